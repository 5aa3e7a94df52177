import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

/** Runs the CLI to completion and returns its exit code and output. */
/** Runs `wghub ARGS`; `input`, when given, is written to its stdin, which is then closed. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
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

type CliResult = { code: number; stdout: string; stderr: string };
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
