import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Haproxy, startHaproxy, stopHaproxy } from '../support/haproxy.ts';
import { ROOT, startHub, stop, type Running } from '../support/process.ts';

const DEPLOYED = readFileSync(path.join(ROOT, 'deploy/haproxy.cfg'), 'utf8');

/** The `defaults` section of deploy/haproxy.cfg as it is: its timeouts, retries and logging. */
function deployedDefaults(): string {
  const m = /^defaults\n((?:[ \t]+.*\n|\s*\n)*)/m.exec(DEPLOYED);
  if (!m) throw new Error('deploy/haproxy.cfg has no defaults section');
  return `defaults\n${m[1]}`;
}

type Proxy = Haproxy & { log: () => string[] };

/**
 * haproxy on loopback in front of `backend`, with deploy/haproxy.cfg's defaults; each request's log
 * line is `STATUS BACKEND-SOURCE-PORT TERMINATION-STATE PATH`, so a test sees which connection to
 * the hub carried it and how the exchange ended (`--`: normally; `SD`, `SH`: the server cut it).
 */
async function startProxy(backend: string): Promise<Proxy> {
  const proxy = await startHaproxy(
    (port) => [
      'global',
      '  log stdout format raw local0',
      deployedDefaults(),
      'frontend hub',
      `  bind 127.0.0.1:${port}`,
      '  log-format "wghub-test %ST %bp %ts %HP"',
      '  default_backend hubs',
      'backend hubs',
      `  server hub ${new URL(backend).host}`,
    ],
    (_base, port) =>
      new Promise((r) =>
        net
          .connect(port, '127.0.0.1')
          .once('connect', function (this: net.Socket) {
            this.destroy();
            r(true);
          })
          .once('error', () => r(false)),
      ),
  );
  return {
    ...proxy,
    log: () =>
      proxy
        .output()
        .split('\n')
        .filter((l) => l.startsWith('wghub-test ')),
  };
}

/** GET through one kept-alive client connection: status, body. */
function get(agent: http.Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('wghub serve behind haproxy with the deploy timeouts', () => {
  let dir: string;
  const env = () => ({ WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}`, WGHUB_LOG_LEVEL: 'warn' });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-behind-haproxy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('an idle connection', () => {
    let hub: Running;
    let proxy: Proxy;
    beforeAll(async () => {
      hub = await startHub(env(), ['--no-worker']);
      proxy = await startProxy(hub.base);
    }, 60_000);
    afterAll(async () => {
      stopHaproxy(proxy);
      if (hub) await stop(hub);
    });

    it("stays open past Node's 5 s, so haproxy reuses it after 7 s idle and answers 200, never 502", async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        expect((await get(agent, `${proxy.base}/healthz`)).status).toBe(200);
        await sleep(7_000);
        expect((await get(agent, `${proxy.base}/healthz`)).status).toBe(200);
        await sleep(200); // haproxy writes its log line as the exchange ends
        const lines = proxy
          .log()
          .map((l) => l.split(' '))
          .filter((l) => l[4] === '/healthz');
        expect(lines, proxy.log().join('\n')).toHaveLength(2);
        // the same connection to the hub carried both: the hub had not closed it
        expect(lines[1]![2]).toBe(lines[0]![2]);
        for (const l of lines) expect(l[3]).toBe('--');
      } finally {
        agent.destroy();
      }
    }, 30_000);

    it('is kept 65 s by default, and the hub says so in its Keep-Alive header', async () => {
      const res = await fetch(`${hub.base}/healthz`);
      expect(res.headers.get('keep-alive')).toBe('timeout=65');
    });
  });

  describe('SIGTERM', () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'drain', version: '1' } },
    });
    const head = (port: number) =>
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n`;

    /** A raw connection: what came back, whether it ended with a FIN, and any error (a reset). */
    function connect(url: string) {
      const u = new URL(url);
      const socket = net.connect(Number(u.port), u.hostname);
      const seen = { data: '', fin: false, error: null as string | null };
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (seen.data += d));
      socket.on('end', () => (seen.fin = true));
      socket.on('error', (e: NodeJS.ErrnoException) => (seen.error = e.code ?? e.message));
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      return { socket, seen, closed, port: Number(u.port) };
    }

    /** SIGTERM the hub; resolves with how long it took to exit, and its exit code. */
    function terminate(hub: Running): { exited: Promise<{ code: number | null; ms: number }> } {
      const t0 = Date.now();
      const exited = new Promise<{ code: number | null; ms: number }>((r) =>
        hub.child.once('exit', (code) => r({ code, ms: Date.now() - t0 })),
      );
      hub.child.kill('SIGTERM');
      return { exited };
    }

    /** Resolves once `base` refuses new connections: the stop has begun (a loaded machine takes its time). */
    async function stopBegun(base: string): Promise<void> {
      const { hostname, port } = new URL(base);
      const refused = () =>
        new Promise<boolean>((r) => {
          const s = net.connect(Number(port), hostname);
          s.once('connect', () => {
            s.destroy();
            r(false);
          });
          s.once('error', () => r(true));
        });
      await expect.poll(refused, { timeout: 10_000 }).toBe(true);
    }

    it('an answer in flight goes out whole with Connection: close and a FIN, idle connections close, and the hub exits at once', async () => {
      // a keep-alive longer than the default, as one behind a proxy with a longer idle timeout sets it
      const hub = await startHub({ ...env(), WGHUB_KEEP_ALIVE_MS: '90000' }, ['--no-worker', '--mcp-anonymous-reads']);
      try {
        const idle = connect(hub.base);
        idle.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${idle.port}\r\n\r\n`);
        await expect.poll(() => idle.seen.data, { timeout: 10_000 }).toContain('{"ok":true}');
        expect(idle.seen.data).toMatch(/\r\nKeep-Alive: timeout=90\r\n/);
        const busy = connect(hub.base);
        busy.socket.write(head(busy.port) + body.slice(0, 10));
        await sleep(300);
        const { exited } = terminate(hub);
        await stopBegun(hub.base);
        busy.socket.write(body.slice(10));
        await busy.closed;
        expect(busy.seen.error).toBeNull();
        expect(busy.seen.fin).toBe(true);
        expect(busy.seen.data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        // the proxy is told not to send another request on it
        expect(busy.seen.data).toMatch(/\r\nConnection: close\r\n/i);
        expect(busy.seen.data).not.toMatch(/\r\nconnection: keep-alive\r\n/i);
        expect(busy.seen.data).toContain('"protocolVersion":"2025-06-18"');
        expect(busy.seen.data).toMatch(/\r\n0\r\n\r\n$/); // the chunked answer's end: it is whole
        await idle.closed;
        expect(idle.seen.error).toBeNull();
        expect(idle.seen.fin).toBe(true);
        // the stop waits for no keep-alive time (90 s here): a third of it is slack enough for a
        // loaded machine, where a 4 s budget was not
        const { code, ms } = await exited;
        expect(code).toBe(0);
        expect(ms).toBeLessThan(30_000);
      } finally {
        await stop(hub);
      }
    }, 60_000);

    it('behind haproxy: the answer in flight reaches the client whole and haproxy logs no cut by the server', async () => {
      const hub = await startHub(env(), ['--no-worker', '--mcp-anonymous-reads']);
      let started: Proxy | undefined;
      try {
        const proxy = await startProxy(hub.base);
        started = proxy;
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        // a connection from haproxy to the hub, idle when the hub is stopped
        expect((await get(agent, `${proxy.base}/healthz`)).status).toBe(200);
        const busy = connect(proxy.base);
        busy.socket.write(head(busy.port) + body.slice(0, 10));
        await sleep(300);
        const { exited } = terminate(hub);
        await stopBegun(hub.base);
        busy.socket.write(body.slice(10));
        await expect.poll(() => busy.seen.data, { timeout: 5_000 }).toMatch(/\r\n0\r\n\r\n$/);
        expect(busy.seen.data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        expect(busy.seen.data).toContain('"protocolVersion":"2025-06-18"');
        expect(busy.seen.error).toBeNull();
        const { code, ms } = await exited;
        expect(code).toBe(0);
        // not the keep-alive time (65 s by default): generous slack for a loaded machine
        expect(ms).toBeLessThan(30_000);
        await sleep(200);
        const lines = proxy.log().map((l) => l.split(' '));
        const post = lines.filter((l) => l[4] === '/mcp');
        expect(post, proxy.log().join('\n')).toHaveLength(1);
        expect(post[0]![1]).toBe('200');
        // `--`: the exchange ended normally (SD, SH, SC would be the server cutting or refusing it)
        for (const l of lines.filter((l) => l[4] === '/healthz' || l[4] === '/mcp')) expect(l[3]).toBe('--');
        busy.socket.destroy();
        agent.destroy();
      } finally {
        if (started) stopHaproxy(started);
        await stop(hub);
      }
    }, 60_000);
    // once a hub stopped listening, Node no longer bounded how long a request's head may take: a
    // connection whose request was still arriving held the stop for the whole grace
    // (WGHUB_SHUTDOWN_GRACE_MS, up to an hour), and then the process exited 1
    it('a client whose request is still arriving does not hold the stop: the hub exits 0 at once, not after the grace', async () => {
      // a grace far longer than this test: a stop that waited for the slow client shows as no exit
      const hub = await startHub({ ...env(), WGHUB_SHUTDOWN_GRACE_MS: '600000' }, ['--no-worker']);
      let started: Proxy | undefined;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const proxy = await startProxy(hub.base);
        started = proxy;
        // a connection from haproxy to the hub, kept alive and idle
        expect((await get(agent, `${proxy.base}/healthz`)).status).toBe(200);
        // a client that sent part of its request's head and nothing more (slow, or gone quiet)
        const slow = connect(hub.base);
        slow.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${slow.port}\r\n`);
        await sleep(1_000);
        const { exited } = terminate(hub);
        const outcome = await Promise.race([exited, sleep(40_000).then(() => null)]);
        expect(outcome, `no exit 40 s after SIGTERM:\n${hub.output()}`).not.toBeNull();
        expect(outcome!.code).toBe(0);
        await slow.closed;
        // no answer was owed: the request never arrived whole
        expect(slow.seen.data).toBe('');
        // the next request through haproxy finds no hub and says so; it does not hang
        expect((await get(agent, `${proxy.base}/healthz`)).status).toBe(503);
      } finally {
        agent.destroy();
        if (started) stopHaproxy(started);
        await stop(hub);
      }
    }, 60_000);
  });

  describe('SIGTERM with WGHUB_DRAIN_MS, behind haproxy checking /readyz', () => {
    /** haproxy over two hubs, checking /readyz often; a line per request: status, server, retries, termination, path. */
    async function startPair(backends: string[], retries: boolean): Promise<Proxy> {
      const proxy = await startHaproxy(
        (port) => [
          'global',
          '  log stdout format raw local0',
          deployedDefaults(),
          // without haproxy's second chance, a request sent to a hub that stopped listening is the client's error
          ...(retries ? [] : ['  retries 0', '  no option redispatch']),
          'frontend hub',
          `  bind 127.0.0.1:${port}`,
          '  log-format "wghub-test %ST %s %rc %ts %HP"',
          '  default_backend hubs',
          'backend hubs',
          '  balance roundrobin',
          '  option httpchk GET /readyz',
          // a check may take up to 2 s (a loaded machine), so hub B never fails two in a row and leaves no server
          '  timeout check 2s',
          '  default-server inter 200ms fall 2 rise 1',
          ...backends.map((b, i) => `  server hub${'ab'[i]} ${new URL(b).host} check`),
        ],
        async (base) => {
          try {
            return (await fetch(`${base}/healthz`)).ok;
          } catch {
            return false; // not yet
          }
        },
      );
      return {
        ...proxy,
        log: () =>
          proxy
            .output()
            .split('\n')
            .filter((l) => l.startsWith('wghub-test ')),
      };
    }

    it.each([
      ['with the deploy defaults (retries 2, redispatch)', true],
      ['with no retries', false],
    ])(
      'a steady stream of requests through haproxy %s loses none while one of two hubs stops',
      async (_, retries) => {
        const drainEnv = { ...env(), WGHUB_DATABASE_URL: `sqlite:${path.join(dir, `drain-${retries}.sqlite`)}` };
        const agents = Array.from({ length: 4 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
        const failures: string[] = [];
        let answered = 0;
        let going = true;
        let clients: Promise<void>[] = [];
        let a: Running | undefined;
        let b: Running | undefined;
        let proxy: Proxy | undefined;
        // whatever fails from here on, the processes started are stopped
        try {
          // the drain: longer than haproxy needs to see /readyz fail twice, 200 ms apart, each check
          // taking up to its 2 s timeout
          const hubA = await startHub({ ...drainEnv, WGHUB_DRAIN_MS: '8000' }, ['--no-worker']);
          a = hubA;
          b = await startHub(drainEnv, ['--no-worker', '--no-demo']);
          const front = await startPair([hubA.base, b.base], retries);
          proxy = front;
          // each client sends a request every 20 ms or so over its kept-alive connection (a steady stream,
          // under the 500 reads a second one address may make)
          clients = agents.map(async (agent) => {
            while (going) {
              await sleep(20);
              try {
                const r = await get(agent, `${front.base}/api/groups`);
                if (r.status !== 200) failures.push(`${r.status} ${r.body.slice(0, 200)}`);
              } catch (e) {
                failures.push(String(e));
              }
              answered++;
            }
          });
          await expect.poll(() => answered, { timeout: 20_000 }).toBeGreaterThan(100);
          const exited = new Promise<number | null>((r) => hubA.child.once('exit', (code) => r(code)));
          hubA.child.kill('SIGTERM');
          expect(await exited).toBe(0);
          const atExit = answered;
          await expect.poll(() => answered, { timeout: 20_000 }).toBeGreaterThan(atExit + 100);
          going = false;
          await Promise.all(clients);
          await sleep(200); // haproxy writes its log line as the exchange ends
          expect({ failed: failures.length, first: failures.slice(0, 5) }).toEqual({ failed: 0, first: [] });
          const lines = front
            .log()
            .map((l) => l.split(' '))
            .filter((l) => l[5] === '/api/groups');
          // both hubs served the stream, and B alone once A was gone
          expect(lines.filter((l) => l[2] === 'huba').length, front.output()).toBeGreaterThan(0);
          expect(lines.slice(-50).every((l) => l[2] === 'hubb')).toBe(true);
          // no request was retried or cut: haproxy never sent one to a hub that had stopped listening
          expect(lines.filter((l) => l[1] !== '200' || l[3] !== '0' || l[4] !== '--').map((l) => l.join(' '))).toEqual(
            [],
          );
          // haproxy took A out because its /readyz said 503, not because it stopped answering
          expect(
            front
              .output()
              .split('\n')
              .filter((l) => !l.startsWith('wghub-test '))
              .join('\n'),
          ).toMatch(/Server hubs\/huba is DOWN, reason: Layer7 wrong status, code: 503/);
          // those 503s were A's answer, not its failure: none is logged as a failed request
          expect(hubA.output()).not.toMatch(/request failed/);
        } finally {
          going = false;
          await Promise.all(clients);
          for (const agent of agents) agent.destroy();
          if (proxy) stopHaproxy(proxy);
          if (a) await stop(a);
          if (b) await stop(b);
        }
      },
      90_000,
    );
  });
});
