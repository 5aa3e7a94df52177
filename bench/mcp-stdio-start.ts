// How long `wghub mcp` takes to give its first answer over stdio: the time from starting the
// process to the answer to `initialize`, next to a bare Node process that echoes one JSON line
// (the floor: starting Node itself), in the same run. Hosts give `server/discover` about a
// second before they fall back to the older protocol; the target is under 0.5 s on an idle machine.
// On a busy machine wall time mostly measures the wait for a core, so the run also prints the CPU
// time the process used until its answer (all its threads, from /proc): on an idle machine the wall
// time is at most about that.
// Rebuilds dist/mcp-stdio/ first, as `npm install` does.
// Usage: node bench/mcp-stdio-start.ts [--runs 10]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from './support.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const root = path.resolve(import.meta.dirname, '..');
const node = process.execPath;
const dir = mkdtempSync(path.join(tmpdir(), 'wghub-bench-'));
const env = { ...process.env, WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
const wghub = (...args: string[]) => execFileSync(path.join(root, 'bin/wghub'), args, { env, stdio: 'pipe' });
// What a host runs after `npm install`: the bundle built from these sources (a checkout's bundle is
// stale after a pull or an edit, and bin/wghub then runs the sources, which is not what is measured).
execFileSync(node, [path.join(root, 'scripts/build-mcp-stdio.ts')], { stdio: 'pipe' });
wghub('migrate');
wghub('person', 'add', '--handle', 'ada', '--name', 'Ada');

const initialize = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
})}\n`;

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** CPU time (user + system, every thread) a process has used so far, in milliseconds. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime and stime (fields 14, 15)
}

const cpu: number[] = [];

/** Milliseconds from spawn to the first line on stdout (a JSON-RPC result, unless `echo`). */
function firstAnswer(cmd: string, args: string[], echo = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.write(initialize);
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        const ms = performance.now() - t;
        if (!echo && child.pid) cpu.push(cpuMs(child.pid));
        child.kill();
        if (!echo && !out.includes('"result"')) reject(new Error(`unexpected answer: ${out}`));
        else resolve(ms);
      }
    });
    child.on('error', reject);
  });
}

// One start that lives long enough to write V8's compile cache, as a host's server does.
await new Promise<void>((resolve) => {
  const warm = spawn(path.join(root, 'bin/wghub'), ['--as', 'ada', 'mcp'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  warm.stdin.write(initialize);
  warm.stdout.once('data', () => setTimeout(() => warm.kill(), 1000));
  warm.on('exit', () => resolve());
});

const echo = ['-e', 'process.stdin.once("data", (d) => { process.stdout.write(d); process.exit(0) })'];
const bare: number[] = [];
const mcp: number[] = [];
for (let i = 0; i < runs; i++) {
  bare.push(await firstAnswer(node, echo, true));
  mcp.push(await firstAnswer(path.join(root, 'bin/wghub'), ['--as', 'ada', 'mcp']));
}
rmSync(dir, { recursive: true, force: true });
const p50 = (xs: number[]) => percentile(xs, 50);
console.log(`runs: ${runs}`);
console.log(`bare node echo   p50 ${p50(bare).toFixed(0)} ms   max ${Math.max(...bare).toFixed(0)} ms`);
console.log(`wghub mcp        p50 ${p50(mcp).toFixed(0)} ms   max ${Math.max(...mcp).toFixed(0)} ms`);
console.log(`wghub mcp CPU time to its answer p50 ${p50(cpu).toFixed(0)} ms   max ${Math.max(...cpu).toFixed(0)} ms`);
console.log(`wghub mcp - bare node: ${(p50(mcp) - p50(bare)).toFixed(0)} ms (target: wghub mcp under 500 ms idle)`);
