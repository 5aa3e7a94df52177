// Most CLI tests run `wghub` in their own process (`runCliInProcess`, through the `runWghub` the
// binary runs): the same command as a spawned bin/wghub must give the same exit code and the same
// standard output and error, byte for byte, read-only commands on one seeded hub; and a run leaves
// nothing of itself in the test process (its environment, console, exit code).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runWghub } from '../../src/cli/main.ts';
import { ROOT, runCli, runCliInProcess, seedCli, spawnCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-in-process-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a command run in the test process', () => {
  it('answers as the real binary does: code, standard output and standard error', async () => {
    expect((await seedCli(env)).code).toBe(0);
    const commands: [string[], string?][] = [
      [['--help']],
      [['nosuch']],
      [['--json', 'group', 'list']],
      [['group', 'show', 'no-such-group']],
      // standard input: a pipe for the process, a stream for the run
      [['hints', '--lines', '-', '--json'], 'We will ship it.\n\nBuy now, limited offer!\n'],
    ];
    for (const [args, input] of commands) {
      const spawned = await spawnCli(args, env, input);
      expect(await runCliInProcess(args, env, input), args.join(' ')).toEqual(spawned);
    }
    // the cases differ where they should: a refusal, a usage mistake, JSON
    expect((await runCliInProcess(['nosuch'], env)).code).toBe(2);
    expect((await runCliInProcess(['group', 'show', 'no-such-group'], env)).code).toBe(3);
  }, 90_000);

  it('leaves the process as it was: its environment, console and exit code', async () => {
    const consoleWas = console;
    const envWas = { ...process.env };
    const exitCodeWas = process.exitCode;
    const r = await runCliInProcess(['group', 'show', 'no-such-group'], { ...env, IN_PROCESS_PROBE: 'set' });
    expect(r.code).toBe(3);
    expect(process.env).toEqual(envWas);
    expect(console).toBe(consoleWas);
    expect(process.exitCode).toBe(exitCodeWas);
  });

  it('a run left pending (a test timed out in it) holds no later command: that one runs as a real process', async () => {
    const stdin = new PassThrough();
    const sink = () => new Writable({ write: (_c, _e, done) => done() });
    // reading its lines from a standard input nobody ends yet
    const stuck = runWghub(['hints', '--lines', '-'], {
      env: process.env,
      stdin,
      stdout: sink(),
      stderr: sink(),
      exit: () => {},
    });
    const later = await runCli(['group', 'show', 'no-such-group'], env);
    expect(later).toMatchObject({ code: 3, stderr: "wghub: group 'no-such-group' does not exist\n" });
    stdin.end('We will ship it.\n');
    expect(await stuck).toBe(0);
  }, 60_000);

  it('`node src/cli/main.ts ARGS` runs the command, as the binary does', async () => {
    const node = path.join(ROOT, 'node_modules', '.bin', 'node');
    const r = await promisify(execFile)(node, ['src/cli/main.ts', '--json', 'group', 'list'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    expect(JSON.parse(r.stdout).map((g: { slug: string }) => g.slug)).toContain('hosting');
  }, 60_000);
});
