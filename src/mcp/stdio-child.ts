// The evidence probe's stdio transport: one child process per probe, started in a process group
// of its own, and ended with its whole group (SIGKILL), so a wrapper (npx, a shell script) never
// leaves its server running after the deadline. The SDK's own transport kills only the child
// and, in 'auto' negotiation, starts the command a second time to probe the protocol era.
import { type ChildProcess, spawn } from 'node:child_process';
import { ReadBuffer, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';

/** Variables every probe gets (like the SDK's defaults), before those the allow-list names. */
const BASE_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #child: ChildProcess | undefined;
  #group: number | undefined;
  #buffer = new ReadBuffer();
  #stderr = '';

  private readonly command: string;
  private readonly args: string[];
  private readonly env: Record<string, string>;

  constructor(command: string, args: string[], env: Record<string, string>) {
    this.command = command;
    this.args = args;
    this.env = env;
  }

  /** The last 400 characters the child wrote to stderr. */
  get stderr(): string {
    return this.#stderr;
  }

  async start(): Promise<void> {
    const env: Record<string, string> = {};
    for (const k of BASE_ENV) if (process.env[k] !== undefined) env[k] = process.env[k]!;
    const child = spawn(this.command, this.args, {
      env: { ...env, ...this.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: killed as a whole below
      shell: false,
    });
    this.#child = child;
    this.#group = child.pid;
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.on('error', (e) => this.onerror?.(e));
    child.stdout!.on('data', (chunk: Buffer) => {
      this.#buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.#buffer.readMessage();
        } catch (e) {
          this.onerror?.(e as Error);
          continue;
        }
        if (!message) break;
        this.onmessage?.(message);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString()).slice(-400);
    });
    child.stdin!.on('error', (e) => this.onerror?.(e));
    child.once('close', () => {
      this.#child = undefined;
      this.onclose?.();
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (!stdin || stdin.destroyed) throw new Error('the server process has ended');
    if (!stdin.write(serializeMessage(message))) await new Promise((r) => stdin.once('drain', r));
  }

  /** Ends the child and everything it started. */
  async close(): Promise<void> {
    // the group goes even when the child itself has exited: a wrapper's server may live on in it
    if (this.#group) killGroup(this.#group);
    this.#group = undefined;
    const child = this.#child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      setTimeout(resolve, 2000).unref();
    });
    for (const s of [child.stdin, child.stdout, child.stderr]) s?.destroy();
  }
}

function killGroup(group: number): void {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // already gone
  }
}
