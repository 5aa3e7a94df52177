// Where one run of the `wghub` command tree reads and writes: the process's own streams for the real
// binary (src/cli/entry.ts at start-up), others for a run in a process that goes on after it (the
// tests' `runCliInProcess`, test/support/process.ts). The command modules write through `cliIo()`,
// never to process.stdout or process.stderr, and set their exit code with `setExitCode`, never
// process.exitCode, so one run's output and code reach only its caller.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Writable } from 'node:stream';

/** A stream a command writes to: process.stdout and process.stderr are two. */
export type CliOut = Writable & { isTTY?: boolean; columns?: number };

export type CliIo = {
  /** The environment the command reads (`process.env` for the real binary). */
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  stdout: CliOut;
  stderr: CliOut;
  /** Ends the run at once with `code` (`process.exit` for the real binary; only `wghub mcp` uses it). */
  exit: (code: number) => void;
};

type Run = { io: CliIo; code?: number };

const runs = new AsyncLocalStorage<Run>();

/** The process's own streams and environment, read when used (process.stdin opens only when asked). */
export const processIo = (): CliIo => ({
  env: process.env,
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (code) => process.exit(code),
});

/** The streams of the run this code is part of; the process's own outside any run. */
export function cliIo(): CliIo {
  return runs.getStore()?.io ?? processIo();
}

/** The run's exit code, when it is not 0 (a check that found something wrong). */
export function setExitCode(code: number): void {
  const run = runs.getStore();
  if (run) run.code = code;
  else process.exitCode = code;
}

/** Runs `fn` as one command's run on `io`; resolves to the exit code it set (undefined: none). */
export async function inRun(io: CliIo, fn: () => Promise<void>): Promise<number | undefined> {
  const run: Run = { io };
  await runs.run(run, fn);
  return run.code;
}
