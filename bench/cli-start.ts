// How long a `wghub` command takes from spawn to exit, next to a bare Node process (the floor:
// starting Node itself), in the same run: `wghub --help`, `wghub --version`, `wghub proposal --help`
// (help that states nothing from the database) and two commands that open a temporary SQLite hub
// (`group list`, a read, and `person add`, a write). The tests spawn the CLI hundreds of times, so
// this is what most of their time is made of. The median of --runs runs each (after one warm-up
// run that writes V8's compile cache, as a second start on any machine has it). On a busy machine
// wall time includes the wait for a core, so the CPU time the process used (user + system, from
// /usr/bin/time) is printed too; give the load average beside the figures.
// Usage: node bench/cli-start.ts [--runs 7]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from './support.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-'));
const env = { ...process.env, WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
const wghub = path.join(root, 'bin/wghub');

/** Wall and CPU milliseconds of one run, to exit. */
function timed(cmd: string, args: string[]): { wall: number; cpu: number } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', cmd, ...args], { env, encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').slice(1).map(Number);
  return { wall, cpu: (user! + sys!) * 1000 };
}

execFileSync(wghub, ['migrate'], { env, stdio: 'pipe' });
let n = 0;
const cases: [string, string, () => string[]][] = [
  ['node -e 0 (the floor)', process.execPath, () => ['-e', '0']],
  ['wghub --help', wghub, () => ['--help']],
  ['wghub --version', wghub, () => ['--version']],
  ['wghub proposal --help', wghub, () => ['proposal', '--help']],
  ['wghub group list (SQLite)', wghub, () => ['group', 'list']],
  ['wghub person add (SQLite)', wghub, () => ['person', 'add', '--handle', `p${n++}`, '--name', 'P']],
];
console.log(
  `median of ${runs} runs each, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const [name, cmd, args] of cases) {
  timed(cmd, args()); // warm-up: V8's compile cache
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = timed(cmd, args());
    wall.push(r.wall);
    cpu.push(r.cpu);
  }
  const med = (xs: number[]) => percentile(xs, 50).toFixed(0).padStart(6);
  console.log(`${name.padEnd(30)} wall ${med(wall)} ms   cpu ${med(cpu)} ms`);
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
rmSync(dir, { recursive: true, force: true });
