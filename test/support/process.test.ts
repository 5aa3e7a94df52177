// The process helpers the tests that start real hubs clean up with: a cleanup that never returns
// leaves the file hanging and the processes after it running.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stop } from './process.ts';

describe('stopping a started process', () => {
  it('returns at once for a child already killed by a signal (its exit code is null, its exit event gone)', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect([child.exitCode, child.signalCode]).toEqual([null, 'SIGKILL']);
    await stop({ child, output: () => '', base: '' });
  });

  it('stops a running child and waits for it to be gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    await stop({ child, output: () => '', base: '' });
    expect(child.signalCode).toBe('SIGTERM');
  });
});
