// A real haproxy on loopback, for the tests that put `wghub serve` behind one (test/deploy/,
// test/cli/many-processes): written a config of the test's own, started in the foreground, and
// waited for until `ready` says it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './process.ts';

export const HAPROXY = process.env.WGHUB_HAPROXY ?? '/usr/sbin/haproxy';

export type Haproxy = { child: ChildProcess; base: string; dir: string; output: () => string };

/** haproxy with the config `configFor(port)` gives (its frontend binding 127.0.0.1:port), once `ready(base, port)`. */
export async function startHaproxy(
  configFor: (port: number) => string[],
  ready: (base: string, port: number) => Promise<boolean>,
): Promise<Haproxy> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-haproxy-'));
  const cfg = path.join(dir, 'haproxy.cfg');
  writeFileSync(cfg, [...configFor(port), ''].join('\n'));
  const child = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${out}`);
    if (await ready(base, port)) break;
    if (i > 200) throw new Error(`haproxy did not answer:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, base, dir, output: () => out };
}

export function stopHaproxy(p: Haproxy | undefined): void {
  if (!p) return;
  p.child.kill('SIGTERM');
  rmSync(p.dir, { recursive: true, force: true });
}
