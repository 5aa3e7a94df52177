import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { latestEvidenceChecks, verifyEvidence } from '../../src/app/evidence/evidence-checks.ts';
import { eventLogTail } from '../../src/app/log/log.ts';
import { addEvidence, checkProposalGates, createProposal, getProposal } from '../../src/app/proposals/proposals.ts';
import { Forbidden, InvalidInput } from '../../src/domain/errors.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { probeMcpServer } from '../../src/mcp/probe.ts';
import { databases } from '../support/databases.ts';
import { asActor, openSeededHub, openTestHub, person, type TestHub } from '../support/hub.ts';
import { ROOT } from '../support/process.ts';
import { startGoodHttpServer, startSilentServer } from '../fixtures/mcp/http-servers.ts';
import type { Actor } from '../../src/app/core/hub.ts';
import { setEnv } from '../support/env.ts';

// every probe starts real processes; on a busy two-core machine that can take seconds
vi.setConfig({ testTimeout: 90_000 });

const NODE = path.join(ROOT, 'node_modules/.bin/node');
const fixture = (name: string) => [NODE, path.join(ROOT, 'test/fixtures/mcp', `${name}.ts`)];

describe.each(databases)('verified evidence on $name', (database) => {
  let hub: TestHub;
  let priya: Actor;
  let good: Awaited<ReturnType<typeof startGoodHttpServer>>;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  const evidence: Record<string, string> = {};

  beforeAll(async () => {
    good = await startGoodHttpServer();
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await good.close();
    await silent.close();
  });

  // generous for servers that answer (a fixture starts Node twice on a busy machine); the hung ones get 1 s below
  const evidenceRules = () => ({
    allowedHosts: ['127.0.0.1'],
    probeTimeoutSeconds: 30,
    stdioCommands: {
      good: fixture('good-server'),
      hung: fixture('hung-server'),
      crash: fixture('crash-server'),
      liar: fixture('lying-server'),
    },
  });

  beforeEach(async () => {
    // priya, P-1 and its evidence of every kind: written once per database (and fixture servers' ports),
    // copied for each test
    const copy = await openSeededHub(database, `verified evidence ${good.url} ${silent.url}`, async (hub) => {
      hub.governance.evidence = evidenceRules();
      // verifying connects from the hub's network: maintainers and moderators may (evidence.verify)
      await person(hub, 'priya', { org: 'Nebula', role: 'maintainer' });
      await createProposal(hub, await asActor(hub, 'priya'), {
        title: 'Session affinity hints',
        problem: 'Gateways cannot route a session back to the server that holds its state.',
        layer: 'specification',
      });
      const targets = {
        good: 'stdio:good',
        hung: 'stdio:hung',
        crash: 'stdio:crash',
        liar: 'stdio:liar',
        http: good.url,
        silent: silent.url,
        unlisted: 'stdio:everything',
        none: null,
      };
      const ids: Record<string, string> = {};
      for (const [k, url] of Object.entries(targets)) {
        const p = await addEvidence(hub, await asActor(hub, 'priya'), 'P-1', {
          kind: 'implementation',
          description: `implementation ${k}`,
          url,
          organisation: 'Nebula',
        });
        ids[k] = p.evidence.at(-1)!.id;
      }
      return ids;
    });
    hub = copy;
    Object.assign(evidence, copy.seeded);
    priya = await asActor(hub, 'priya');
    hub.governance.evidence = evidenceRules();
  });
  afterEach(async () => hub?.close());

  it('connects to an allow-listed stdio server and records what it reports, shown on the proposal', async () => {
    const c = await verifyEvidence(hub, priya, 'P-1', evidence.good!, probeMcpServer);
    expect(c).toMatchObject({
      status: 'verified',
      reason: null,
      server: { name: 'fixture-good', version: '1.2.3' },
      protocolVersion: '2026-07-28',
      experimental: ['example.org/probe'],
      checkedAt: '2026-11-02T09:00:00.000Z',
    });
    expect(c.capabilities).toContain('tools');
    expect(c.toolNames.sort()).toEqual(['add', 'echo']);
    const p = await getProposal(hub, 'P-1');
    expect(p.evidence.find((e) => e.id === evidence.good)!.verification).toMatchObject({
      status: 'verified',
      server: { name: 'fixture-good' },
      toolNames: expect.arrayContaining(['echo']),
    });
    expect((await eventLogTail(hub, { limit: 1 })).items[0]).toMatchObject({
      kind: 'proposal.evidence-verified',
      subject: { id: 'P-1' },
    });
  });

  it('records how long the probe took', async () => {
    const c = await verifyEvidence(hub, priya, 'P-1', evidence.good!, probeMcpServer);
    expect(c.durationMs).toEqual(expect.any(Number));
    expect((await getProposal(hub, 'P-1')).evidence.find((e) => e.id === evidence.good)!.verification).toMatchObject({
      durationMs: c.durationMs,
    });
  });

  it('a proposal reads only the latest check of each piece of evidence, however often it was verified (fuzz round 13)', async () => {
    // every check is kept, each with the server's tool names: 5,000 checks of one piece of evidence made
    // every read of its proposal read them all (0.4-0.9 s); a later check is what it shows
    let round = 0;
    const stub = async () => ({
      serverName: `stub-${++round}`,
      serverVersion: '1.0.0',
      protocolVersion: '2026-07-28',
      capabilities: ['tools'],
      experimental: [],
      extensions: [],
      toolNames: Array.from({ length: 50 }, (_, i) => `tool_${round}_${i}`),
    });
    for (let i = 0; i < 4; i++) {
      await verifyEvidence(hub, priya, 'P-1', evidence.good!, stub);
      hub.clock.advance(60_000);
    }
    await verifyEvidence(hub, priya, 'P-1', evidence.http!, stub);
    let rowsRead = 0;
    const counting = hub.store.db.withPlugin({
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        rowsRead += a.result.rows.length;
        return a.result;
      },
    });
    const latest = await latestEvidenceChecks(counting, 'P-1', [evidence.good!, evidence.http!, evidence.none!]);
    expect(rowsRead).toBe(2);
    expect(latest.get(evidence.good!)?.server).toEqual({ name: 'stub-4', version: '1.0.0' });
    expect(latest.get(evidence.http!)?.server).toEqual({ name: 'stub-5', version: '1.0.0' });
    const shown = (await getProposal(hub, 'P-1')).evidence.find((e) => e.id === evidence.good)!.verification;
    expect(shown?.server).toEqual({ name: 'stub-4', version: '1.0.0' });
  });

  it('a check keeps the first names of what a server lists about itself, each cut to a line (fuzz round 13)', async () => {
    // a server of anyone's choosing may list any number of tools, kept whole and shown with the proposal
    const { count, chars } = LIMITS.evidence.names;
    const many = (prefix: string) =>
      Array.from({ length: count + 500 }, (_, i) => `${prefix}${i}`.padEnd(chars + 100, 'x'));
    const c = await verifyEvidence(hub, priya, 'P-1', evidence.good!, async () => ({
      serverName: 'many-tools',
      serverVersion: '1.0.0',
      protocolVersion: '2026-07-28',
      capabilities: many('cap'),
      experimental: many('exp'),
      extensions: many('ext'),
      toolNames: many('tool'),
    }));
    for (const list of [c.toolNames, c.capabilities, c.experimental, c.extensions]) {
      expect(list).toHaveLength(count);
      expect(list.every((n) => n.length === chars)).toBe(true);
    }
    expect(c.toolNames[0]).toBe('tool0'.padEnd(chars, 'x'));
    const shown = (await getProposal(hub, 'P-1')).evidence.find((e) => e.id === evidence.good)!.verification;
    expect(shown?.toolNames).toHaveLength(count);
    // a name whose 200th character is an emoji keeps it whole (attack round 22: its first half was
    // stored, as U+FFFD); a failure's reason alike
    const emoji = `${'a'.repeat(chars - 1)}😀tail`;
    const e = await verifyEvidence(hub, priya, 'P-1', evidence.good!, async () => ({
      serverName: 'emoji-tools',
      serverVersion: '1.0.0',
      protocolVersion: '2026-07-28',
      capabilities: [emoji],
      experimental: [],
      extensions: [],
      toolNames: [emoji],
    }));
    expect(e.toolNames).toEqual([`${'a'.repeat(chars - 1)}😀`]);
    const failed = await verifyEvidence(hub, priya, 'P-1', evidence.good!, async () => {
      throw new Error(`${'b'.repeat(LIMITS.evidence.reason - 1)}😀 and more`);
    });
    expect(failed.reason).toBe(`${'b'.repeat(LIMITS.evidence.reason - 1)}😀`);
  });

  it('a contributor may add evidence but not start a probe from the hub', async () => {
    const sam = await person(hub, 'sam', { org: 'Acme' });
    const err = await verifyEvidence(hub, sam, 'P-1', evidence.good!, probeMcpServer).catch((e) => e);
    expect(err).toBeInstanceOf(Forbidden);
    expect(err.message).toMatch(/Only a maintainer or above or a moderator may verify evidence/);
    expect(err.message).not.toContain('evidence.verify'); // words, never a permission id
  });

  it('connects to a Streamable HTTP URL', async () => {
    const c = await verifyEvidence(hub, priya, 'P-1', evidence.http!, probeMcpServer);
    expect(c).toMatchObject({
      status: 'verified',
      server: { name: 'fixture-good', version: '1.2.3' },
      protocolVersion: '2026-07-28',
    });
  });

  it('a hung server fails at the deadline with the reason, and the hub keeps answering meanwhile', async () => {
    // short: the test waits it out twice (the hung server, then the silent one); 2 s for the hung one,
    // time for a read on a loaded machine to finish before it settles
    hub.governance.evidence.probeTimeoutSeconds = 2;
    let settled = false;
    const pending = verifyEvidence(hub, priya, 'P-1', evidence.hung!, probeMcpServer).finally(() => (settled = true));
    const read = await getProposal(hub, 'P-1');
    expect(read.ref).toBe('P-1');
    expect(settled).toBe(false);
    const c = await pending;
    expect(c).toMatchObject({ status: 'failed', server: null, toolNames: [] });
    expect(c.reason).toMatch(/no answer within 2 s/);
    hub.governance.evidence.probeTimeoutSeconds = 1;
    const silentCheck = await verifyEvidence(hub, priya, 'P-1', evidence.silent!, probeMcpServer);
    expect(silentCheck.status).toBe('failed');
    expect(silentCheck.reason).toMatch(/no answer within 1 s|could not connect/);
    expect((await getProposal(hub, 'P-1')).evidence.find((e) => e.id === evidence.hung)!.verification).toMatchObject({
      status: 'failed',
    });
  });

  it('a crashing server fails with what it wrote to stderr', async () => {
    const c = await verifyEvidence(hub, priya, 'P-1', evidence.crash!, probeMcpServer);
    expect(c.status).toBe('failed');
    expect(c.reason).toMatch(/could not connect/);
    expect(c.reason).toContain('cannot open its configuration');
    // the practice-proven gate no longer counts it
    const evidenceCondition = (await checkProposalGates(hub, 'P-1')).conditions.find((x) => x.check === 'evidence')!;
    expect(evidenceCondition.reason).toContain('1 more failed verification and does not count');
  });

  it('a server that advertises tools and then cannot list them fails as not what it claims', async () => {
    const c = await verifyEvidence(hub, priya, 'P-1', evidence.liar!, probeMcpServer);
    expect(c.status).toBe('failed');
    expect(c.reason).toMatch(/advertises tools, but listing them failed/);
    expect((await eventLogTail(hub, { limit: 1 })).items[0]!.kind).toBe('proposal.evidence-check-failed');
  });

  it('only allow-listed commands are started, and evidence without a URL cannot be verified', async () => {
    const err = await verifyEvidence(hub, priya, 'P-1', evidence.unlisted!, probeMcpServer).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err.issues[0]).toMatchObject({
      field: 'url',
      rule: expect.stringContaining('stdio:everything is not on the hub'),
    });
    expect(err.issues[0].rule).toContain('stdio:good');
    const none = await verifyEvidence(hub, priya, 'P-1', evidence.none!, probeMcpServer).catch((e) => e);
    expect(none.issues[0]).toMatchObject({
      field: 'url',
      rule: expect.stringContaining('names no MCP implementation'),
    });
  });
});

describe('verified evidence over REST and the CLI', () => {
  it('POST /api/proposals/{ref}/evidence/{id}/verify and wghub evidence-verify record a check', async () => {
    const { sqliteDatabase } = await import('../support/databases.ts');
    const { createHttpApp } = await import('../../src/http/server.ts');
    const { createToken } = await import('../../src/app/people/tokens.ts');
    const { SYSTEM } = await import('../../src/app/core/hub.ts');
    const { runCli } = await import('../support/process.ts');
    const hub = await openTestHub(sqliteDatabase);
    try {
      hub.governance.evidence = {
        probeTimeoutSeconds: 30,
        stdioCommands: { crash: fixture('crash-server') },
        allowedHosts: [],
      };
      const priya = await person(hub, 'priya', { org: 'Nebula', role: 'maintainer' });
      await createProposal(hub, priya, {
        title: 'Session affinity hints',
        problem: 'Gateways cannot route a session back to the server that holds its state.',
        layer: 'specification',
      });
      const id = (
        await addEvidence(hub, priya, 'P-1', {
          kind: 'implementation',
          description: 'a crashing implementation',
          url: 'stdio:crash',
        })
      ).evidence[0]!.id;
      const token = (await createToken(hub, SYSTEM, 'priya')).token;
      const app = createHttpApp(hub);
      const anon = await app.request(`/api/proposals/P-1/evidence/${id}/verify`, { method: 'POST' });
      expect(anon.status).toBe(401);
      const r = await app.request(`/api/proposals/P-1/evidence/${id}/verify`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({
        status: 'failed',
        target: 'stdio:crash',
        reason: expect.stringContaining('cannot open its configuration'),
      });
      // the CLI reads the governance file, whose allow-list is empty: it refuses to start anything
      const cli = await runCli(['--as', 'priya', 'evidence-verify', 'P-1', id], { WGHUB_DATABASE_URL: hub.store.url });
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain(
        "url: stdio:crash is not on the hub's allow-list of stdio commands (the list is empty",
      );
    } finally {
      await hub.close();
    }
  });
});

describe('evidence probes reach only public addresses (SSRF)', () => {
  it('refuses loopback in every spelling without sending a request, and stores no remote text', async () => {
    let requests = 0;
    const internal = createServer((_req, res) => {
      requests++;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('internal-secret-token: s3cr3t');
    });
    await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
    const port = (internal.address() as { port: number }).port;
    const { sqliteDatabase } = await import('../support/databases.ts');
    const hub = await openTestHub(sqliteDatabase);
    try {
      hub.governance.evidence = { probeTimeoutSeconds: 10, stdioCommands: {}, allowedHosts: [] };
      const maya = await person(hub, 'maya', { org: 'Nebula', role: 'maintainer' });
      await createProposal(hub, maya, {
        title: 'Session affinity hints',
        problem: 'Gateways cannot route a session back to the server that holds its state.',
        layer: 'specification',
      });
      const spellings = ['127.0.0.1', 'localhost', '[::1]', '2130706433', '0x7f.1', '127.1', '[::ffff:127.0.0.1]'];
      for (const host of spellings) {
        // each spelling of the one address as evidence of its own (one address is evidence once): a query apart
        const url = `http://${host}:${port}/mcp?spelling=${spellings.indexOf(host)}`;
        const p = await addEvidence(hub, maya, 'P-1', { kind: 'implementation', description: `at ${host}`, url });
        const c = await verifyEvidence(hub, maya, 'P-1', p.evidence.at(-1)!.id, probeMcpServer);
        expect(c.status, url).toBe('failed');
        expect(c.reason, url).toMatch(/is not a public address \(.* is (loopback|ipv4Mapped)\)/);
        expect(c.reason).not.toContain('s3cr3t');
      }
      // private, link-local and unique-local ranges are refused the same way
      for (const host of ['10.0.0.1', '192.168.1.1', '169.254.169.254', '[fd00::1]', '[fe80::1]', '100.64.0.1']) {
        const p = await addEvidence(hub, maya, 'P-1', {
          kind: 'implementation',
          description: `at ${host}`,
          url: `http://${host}/mcp`,
        });
        const c = await verifyEvidence(hub, maya, 'P-1', p.evidence.at(-1)!.id, probeMcpServer);
        expect(c.reason, host).toMatch(/is not a public address/);
      }
      expect(requests).toBe(0);
      // the operator's allow-list lets a named host through; the 404's body is still not stored
      hub.governance.evidence.allowedHosts = ['127.0.0.1'];
      const p = await addEvidence(hub, maya, 'P-1', {
        kind: 'implementation',
        description: 'allowed',
        url: `http://127.0.0.1:${port}/mcp`,
      });
      const c = await verifyEvidence(hub, maya, 'P-1', p.evidence.at(-1)!.id, probeMcpServer);
      expect(requests).toBeGreaterThan(0);
      expect(c.reason).toMatch(/HTTP 404/);
      expect(c.reason).not.toContain('s3cr3t');
      expect(JSON.stringify((await eventLogTail(hub, { limit: 50 })).items)).not.toContain('s3cr3t');

      // a server that answers without end is read to LIMITS.evidence.responseBytes, then let go: as one
      // JSON body with no length said, and as an event stream
      for (const kind of ['json', 'stream'] as const) {
        let sent = 0;
        const endless = createServer((_req, res) => {
          res.writeHead(200, { 'content-type': kind === 'json' ? 'application/json' : 'text/event-stream' });
          const chunk = kind === 'json' ? '"x",'.repeat(16_384) : `event: message\ndata: ${'x'.repeat(65_536)}\n\n`;
          if (kind === 'json') res.write('[');
          const more = () => {
            while (!res.destroyed && sent < 64 * 1024 * 1024) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', more);
            }
            res.end();
          };
          more();
        });
        await new Promise<void>((r) => endless.listen(0, '127.0.0.1', r));
        try {
          const at = `http://127.0.0.1:${(endless.address() as { port: number }).port}/mcp`;
          const e = await addEvidence(hub, maya, 'P-1', {
            kind: 'implementation',
            description: `a server answering without end (${kind})`,
            url: at,
          });
          const c = await verifyEvidence(hub, maya, 'P-1', e.evidence.at(-1)!.id, probeMcpServer);
          expect(c.status, kind).toBe('failed');
          expect(c.reason, kind).toMatch(/its answer passed 8,388,608 bytes, more than the hub reads$/);
          // it stopped reading long before the server stopped sending
          expect(sent, kind).toBeLessThan(64 * 1024 * 1024);
        } finally {
          endless.closeAllConnections();
          endless.close();
        }
      }
    } finally {
      await hub.close();
      internal.close();
    }
  });
});

describe('evidence probes of stdio commands', () => {
  let hub: TestHub;
  let maya: Actor;
  const pids = path.join(mkdtempSync(path.join(tmpdir(), 'wghub-probe-')), 'pids.json');
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const add = async (url: string) =>
    (await addEvidence(hub, maya, 'P-1', { kind: 'implementation', description: url, url })).evidence.at(-1)!.id;

  beforeEach(async () => {
    const { sqliteDatabase } = await import('../support/databases.ts');
    hub = await openTestHub(sqliteDatabase);
    hub.governance.evidence = {
      // the wrapped server's test waits this out (time enough for the wrapper to start its child and
      // write its pids on a loaded machine)
      probeTimeoutSeconds: 3,
      allowedHosts: [],
      stdioCommands: {
        wrapped: [...fixture('wrapper-server'), pids],
        slow: [...fixture('slow-server'), '3000'],
        legacy: fixture('legacy-server'),
        hung: fixture('hung-server'),
        needsenv: fixture('env-server'),
        withenv: { command: fixture('env-server'), env: ['WGHUB_FIXTURE_REGISTRY'] },
      },
    };
    maya = await person(hub, 'maya', { org: 'Nebula', role: 'maintainer' });
    await createProposal(hub, maya, {
      title: 'Session affinity hints',
      problem: 'Gateways cannot route a session back to the server that holds its state.',
      layer: 'specification',
    });
  });
  afterEach(async () => hub?.close());

  it('ends a wrapped server with its whole process group at the deadline', async () => {
    const c = await verifyEvidence(hub, maya, 'P-1', await add('stdio:wrapped'), probeMcpServer);
    expect(c.status).toBe('failed');
    expect(c.reason).toMatch(/no answer within 3 s/);
    const { wrapper, server } = JSON.parse(readFileSync(pids, 'utf8')) as { wrapper: number; server: number };
    await vi.waitFor(() => expect([alive(wrapper), alive(server)]).toEqual([false, false]), { timeout: 5000 });
  });

  it('starts a slow server once, so its start-up time is not spent twice', async () => {
    hub.governance.evidence.probeTimeoutSeconds = 20;
    const c = await verifyEvidence(hub, maya, 'P-1', await add('stdio:slow'), probeMcpServer);
    expect(c).toMatchObject({ status: 'verified', server: { name: 'fixture-good' } });
  });

  it('falls back to the legacy handshake on the same process when discovery gets no answer', async () => {
    // discovery waits a third of this for an answer that never comes, then the handshake has the rest
    hub.governance.evidence.probeTimeoutSeconds = 9;
    const c = await verifyEvidence(hub, maya, 'P-1', await add('stdio:legacy'), probeMcpServer);
    expect(c).toMatchObject({ status: 'verified', server: { name: 'fixture-legacy', version: '0.9.0' } });
    expect(c.toolNames).toEqual(['ping']);
  });

  it('a cancelled check stops the probe and records nothing', async () => {
    hub.governance.evidence.probeTimeoutSeconds = 60;
    const ctl = new AbortController();
    const started = Date.now();
    setTimeout(() => ctl.abort(), 500);
    const err = await verifyEvidence(hub, maya, 'P-1', await add('stdio:hung'), probeMcpServer, {
      signal: ctl.signal,
    }).catch((e) => e);
    expect(err.message).toMatch(/cancelled/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await eventLogTail(hub, { limit: 1 })).items[0]!.kind).toBe('proposal.evidence-added');
  });

  it('passes the environment variables an allow-list entry names, and only those', async () => {
    hub.governance.evidence.probeTimeoutSeconds = 20;
    // put back as it was: later files in this worker run in the same process (isolate: false)
    const restoreEnv = setEnv({ WGHUB_FIXTURE_REGISTRY: 'https://registry.example' });
    try {
      const without = await verifyEvidence(hub, maya, 'P-1', await add('stdio:needsenv'), probeMcpServer);
      expect(without.status).toBe('failed');
      expect(without.reason).toContain('WGHUB_FIXTURE_REGISTRY is not set');
      const withEnv = await verifyEvidence(hub, maya, 'P-1', await add('stdio:withenv'), probeMcpServer);
      expect(withEnv).toMatchObject({ status: 'verified', server: { name: 'fixture-good' } });
    } finally {
      restoreEnv();
    }
  });

  it('stdio:constructor is not on the allow-list (no lookup reaches Object.prototype)', async () => {
    const err = await verifyEvidence(hub, maya, 'P-1', await add('stdio:constructor'), probeMcpServer).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err.issues[0].rule).toContain('stdio:constructor is not on the hub');
  });
});
