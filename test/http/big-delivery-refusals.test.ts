// A big GitHub delivery refused while its body is being read (past GitHub's 25 MiB cap: 413; no big
// place free: 503; not in whole within LIMITS.github.bigBodyMs: 408) killed the whole hub: the
// refusal cancelled the request's body stream, which destroyed the request, and the listener that
// closes the connection after a `Connection: close` answer read `req.socket.lingering` of a request
// whose socket was gone: a TypeError in an event listener, and the process exited. Anyone could do
// it without a secret (a signature header of `x` is enough to be read). Against a real `wghub serve`
// process: after each refusal the hub still answers /healthz. The hub is given BIG_BODY_MS
// (WGHUB_GITHUB_BIG_BODY_MS) in place of the 10 s default, so the 408 comes without waiting 10 s;
// a hub that ignored the setting would answer after the client's hold is over (no status: fails).
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/domain/limits.ts';
import { type Running, startHub, stop } from '../support/process.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * The served hub's bound on a big body's arrival: the 503 test's held places must outlast its 500 ms
 * pause and the refused delivery's first MiB on a loaded machine, with seconds to spare.
 */
const BIG_BODY_MS = 4_000;

/**
 * A POST to /github/webhooks over a raw socket: the head, then `bytes` of body (chunked when asked),
 * then nothing more, the socket held open for `holdMs`. Resolves with the status of the answer read
 * (null if none came) once the server closes or the hold is over.
 */
function deliver(
  port: number,
  opts: { declared?: number; bytes: number; chunked?: boolean; holdMs: number; from?: string },
): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: opts.from });
    let received = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(hold);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      resolve(m ? Number(m[1]) : null);
    };
    const hold = setTimeout(finish, opts.holdMs);
    socket.on('data', (d) => {
      received += d.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', finish);
    socket.on('connect', async () => {
      socket.write(
        [
          'POST /github/webhooks HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Content-Type: application/json',
          'X-GitHub-Event: issues',
          'X-GitHub-Delivery: forged',
          'X-Hub-Signature-256: x',
          opts.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${opts.declared}`,
          '\r\n',
        ].join('\r\n'),
      );
      const piece = Buffer.alloc(256 * 1024, 'a');
      for (let sent = 0; sent < opts.bytes && socket.writable && !received; ) {
        const data = piece.subarray(0, Math.min(piece.length, opts.bytes - sent));
        const ok = socket.write(
          opts.chunked
            ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')])
            : data,
        );
        sent += data.length;
        if (!ok) await new Promise((r) => socket.once('drain', r));
      }
    });
  });
}

describe('a big delivery refused while being read leaves the hub serving', { timeout: 120_000 }, () => {
  let dir: string;
  let hub: Running;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-big-refusals-'));
    hub = await startHub(
      {
        WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}`,
        WGHUB_GITHUB_WEBHOOK_SECRET: 'a-secret-the-sender-does-not-know',
        WGHUB_GITHUB_BIG_BODY_MS: String(BIG_BODY_MS),
      },
      ['--no-demo'],
    );
    port = Number(new URL(hub.base).port);
  });
  afterAll(async () => {
    if (hub) await stop(hub);
    rmSync(dir, { recursive: true, force: true });
  });

  const stillServing = async () => {
    await sleep(300);
    expect(hub.child.exitCode, hub.output()).toBeNull();
    expect((await fetch(`${hub.base}/healthz`)).status).toBe(200);
  };

  it(`a chunked body past ${LIMITS.github.payloadBytes} bytes: 413, and the hub still answers`, async () => {
    const status = await deliver(port, {
      chunked: true,
      bytes: LIMITS.github.payloadBytes + 1_048_576,
      holdMs: 20_000,
    });
    expect(status).toBe(413);
    await stillServing();
  });

  it(`one big delivery more than ${LIMITS.github.bigAtOnce} at once: 503, and the hub still answers`, async () => {
    const size = 2_000_000;
    // from addresses of their own (one address holds at most one place): every place is taken
    const held = Array.from({ length: LIMITS.github.bigAtOnce }, (_, i) =>
      deliver(port, { declared: size, bytes: 1_200_000, holdMs: 3_000, from: `127.0.0.${2 + i}` }),
    );
    await sleep(500);
    const refused = await deliver(port, { declared: size, bytes: 1_200_000, holdMs: 3_000 });
    expect(refused).toBe(503);
    await Promise.all(held);
    await stillServing();
  });

  it(`a big delivery not in whole within WGHUB_GITHUB_BIG_BODY_MS (${BIG_BODY_MS} ms): 408, and the hub still answers`, async () => {
    expect(BIG_BODY_MS).toBeLessThan(LIMITS.github.bigBodyMs - 5_000);
    const status = await deliver(port, {
      declared: 2_000_000,
      bytes: 1_200_000,
      holdMs: BIG_BODY_MS + 5_000,
    });
    expect(status).toBe(408);
    await stillServing();
  });
});
