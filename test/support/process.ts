import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const WGHUB = path.join(ROOT, 'bin/wghub');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export type Running = { child: ChildProcess; output: () => string; base: string };

/** Starts `wghub serve` as a real process and waits until it is ready (within `withinMs`). */
export async function startHub(env: Record<string, string>, args: string[] = [], withinMs = 45_000): Promise<Running> {
  const port = await freePort();
  const child = spawn(WGHUB, ['serve', '--port', String(port), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wghub exited with ${child.exitCode}:\n${out}`);
    try {
      // /readyz, not /healthz: a hub answers liveness from its first moment, readiness once start-up is done
      const r = await fetch(`${base}/readyz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`wghub did not answer within ${withinMs / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, base };
}

/** Sends `signal` and waits for the process to exit; at once if it has exited (or been killed) already. */
export function stop(r: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    // a child killed by a signal has a null exit code, and its 'exit' has fired already
    if (r.child.exitCode !== null || r.child.signalCode !== null) return resolve();
    r.child.once('exit', () => resolve());
    r.child.kill(signal);
  });
}

type CliResult = { code: number; stdout: string; stderr: string };

/**
 * Runs `wghub ARGS` to completion and returns its exit code and output; `input`, when given, is its
 * standard input (else an empty one). In this test process (`runCliInProcess`), as a user's command
 * behaves but without a Node start-up of 0.4–1 s, unless it serves (`serve`, `worker`, `mcp`: they
 * stay up and take signals) or WGHUB_TEST_CLI=spawn asks for real processes throughout; a test of the
 * process itself (start-up, exit, signals, two processes at once) calls `spawnCli`.
 */
export async function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  const serves = ['serve', 'worker', 'mcp'].includes(commandWord(args) ?? '');
  // a run left pending by a test that timed out would hold every run queued behind it
  const { wghubRunPending } = await import('../../src/cli/main.ts');
  return serves || process.env.WGHUB_TEST_CLI === 'spawn' || wghubRunPending()
    ? spawnCli(args, env, input)
    : runCliInProcess(args, env, input);
}

/** The command word, as src/cli/entry.ts finds it: the first word that is no flag nor a flag's value. */
function commandWord(args: string[]): string | undefined {
  return args.find((a, i) => !a.startsWith('-') && !['--database', '--governance', '--as'].includes(args[i - 1]!));
}

/**
 * `wghub ARGS` run in this process by the function the binary runs (`runWghub`, src/cli/main.ts), on
 * streams of its own: the environment is this process's with `env` over it, as a spawned command's
 * is, for the run only; one run at a time.
 */
export async function runCliInProcess(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  const { runWghub } = await import('../../src/cli/main.ts');
  const sink = (chunks: Buffer[]) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const code = await runWghub(args, {
    env: { ...process.env, ...env },
    stdin: Readable.from(input === undefined ? [] : [Buffer.from(input)]),
    stdout: sink(out),
    stderr: sink(err),
    exit: (c) => {
      throw new Error(`wghub ${args.join(' ')} asked to exit the process (${c}): run it with spawnCli`);
    },
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Runs `wghub ARGS` as a real process (bin/wghub); `input`, when given, is written to its stdin, which is then closed. */
export function spawnCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(WGHUB, args, {
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every person's handle a running hub has stored, read through its REST list page by page. */
export async function storedHandles(base: string): Promise<Set<string>> {
  const stored = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { items: { handle: string }[]; nextCursor: string | null } = await (
      await fetch(`${base}/api/people?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
    ).json();
    for (const p of page.items) stored.add(p.handle);
    cursor = page.nextCursor;
  } while (cursor);
  return stored;
}

const seededFiles = new Map<string, Promise<{ result: CliResult; file: string }>>();

/**
 * What `wghub seed ARGS` gives with `env`: on SQLite, a copy of a database this test process seeded
 * once with the same settings and arguments (a seed is a process of 2–3 s, and over a dozen CLI files
 * seed the demo as their first step), and that seeding's result; on another database, the command
 * run on it, and on a SQLite file already there (a copy would go under whoever has it open).
 */
export async function seedCli(env: Record<string, string>, args: string[] = []): Promise<CliResult> {
  const { WGHUB_DATABASE_URL: url, ...rest } = env;
  // a file already there may be open (a test's own store): the command seeds it in place
  if (!url?.startsWith('sqlite:') || existsSync(url.slice('sqlite:'.length))) return runCli(['seed', ...args], env);
  const key = JSON.stringify([args, rest]);
  let made = seededFiles.get(key);
  if (!made) {
    made = (async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'wghub-seeded-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const file = path.join(dir, 'hub.sqlite');
      return { result: await runCli(['seed', ...args], { ...rest, WGHUB_DATABASE_URL: `sqlite:${file}` }), file };
    })();
    seededFiles.set(key, made);
  }
  const { result, file } = await made;
  if (result.code !== 0) {
    seededFiles.delete(key);
    return result;
  }
  const target = url.slice('sqlite:'.length);
  // the seeding process has exited: its WAL is checkpointed, but a copy of it goes along if one is left
  copyFileSync(file, target);
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${target}-wal`);
  return { ...result };
}
