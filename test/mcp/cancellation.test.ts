// Cancelling a running tool call over Streamable HTTP, as the SDK's own client cancels (an aborted
// request signal): in the 2025 era it POSTs notifications/cancelled on its own, which reaches a
// server instance other than the one running the call; in the 2026-07-28 era it closes the call's
// stream. Either way the call must stop, not run to its end.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { eventLogTail } from '../../src/app/log/log.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { addEvidence, createProposal } from '../../src/app/proposals/proposals.ts';
import { callsInFlight } from '../../src/mcp/cancel.ts';
import { draftQuarterlyUpdate } from '../../src/app/meetings/quarterly.ts';
import { priorWork, search } from '../../src/app/search/search.ts';
import { Cancelled } from '../../src/domain/errors.ts';
import { printable } from '../../src/domain/text.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openSeededHub, person, type TestHub } from '../support/hub.ts';
import { ROOT } from '../support/process.ts';
import { ERAS, httpClient, serveMcpOverHttp } from './support.ts';

vi.setConfig({ testTimeout: 60_000 });

const NODE = path.join(ROOT, 'node_modules/.bin/node');
const HUNG = path.join(ROOT, 'test/fixtures/mcp/hung-server.ts');
const good = [NODE, path.join(ROOT, 'test/fixtures/mcp/good-server.ts')];
const hostile = [NODE, path.join(ROOT, 'test/fixtures/mcp/hostile-name-server.ts')];

// the hung server adds its process id to a file of its test's own: a test sees the probe start it, and
// sees it ended
const pidDir = mkdtempSync(path.join(tmpdir(), 'wghub-cancel-'));
afterAll(() => rmSync(pidDir, { recursive: true, force: true }));
let pidFiles = 0;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidsIn = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
/**
 * Once the probe has started the hung server (when the test means to cancel a running probe).
 */
const probeStarted = (file: string) =>
  vi.waitFor(() => expect(pidsIn(file).length).toBeGreaterThan(0), { timeout: 15_000 });
/**
 * Until every hung server the probe started has ended. Uncancelled, the probe would end it only at its
 * deadline (PROBE_SECONDS, twice this wait), and record a failed check then.
 */
const probeEnded = (file: string) =>
  vi.waitFor(() => expect(pidsIn(file).filter(alive)).toEqual([]), { timeout: 15_000 });
/** Far beyond any wait here: a probe that ended did so because it was cancelled, not at this deadline. */
const PROBE_SECONDS = 30;

describe.each(databases)('cancelling a tool call over HTTP on $name', (database) => {
  let hub: TestHub;
  let served: { url: string; server: ServerType };
  let token: string;
  let other: string;
  let evidenceId: string;
  let pids: string;

  beforeEach(async () => {
    // maya and ana with their tokens, the group, P-1 and its evidence: written once per database,
    // copied for each test
    const copy = await openSeededHub(database, 'cancellation', async (h) => {
      h.governance.evidence = {
        allowedHosts: [],
        probeTimeoutSeconds: PROBE_SECONDS,
        stdioCommands: { hung: [NODE, HUNG] },
      };
      const maya: Actor = await person(h, 'maya', { org: 'Nebula', role: 'maintainer' });
      const token = (await createToken(h, SYSTEM, 'maya')).token;
      await person(h, 'ana', { org: 'Nebula', role: 'maintainer' });
      const other = (await createToken(h, SYSTEM, 'ana')).token;
      // a working group, for draft_quarterly_update (first: the tests read the evidence as the newest event)
      await hostingGroup(h, maya, 'maya');
      await createProposal(h, maya, {
        title: 'Session affinity hints',
        problem: 'Gateways cannot route a session back to the server that holds its state.',
        layer: 'specification',
      });
      const p = await addEvidence(h, maya, 'P-1', {
        kind: 'implementation',
        description: 'a server that hangs',
        url: 'stdio:hung',
      });
      return { token, other, evidenceId: p.evidence.at(-1)!.id };
    });
    hub = copy;
    ({ token, other, evidenceId } = copy.seeded);
    pids = path.join(pidDir, `hung-${++pidFiles}`);
    // a probe of a server that never answers runs to this deadline unless it is cancelled
    hub.governance.evidence = {
      allowedHosts: [],
      probeTimeoutSeconds: PROBE_SECONDS,
      stdioCommands: { hung: [NODE, HUNG, pids], good, hostile },
    };
    served = await serveMcpOverHttp(hub);
  });
  afterEach(async () => {
    await new Promise((r) => served?.server.close(r));
    await hub.close();
  });

  it.each(ERAS)('in the %s era a cancelled verify_evidence stops its probe and records nothing', async (era) => {
    const client = await httpClient(served.url, era, token);
    try {
      const ctl = new AbortController();
      const call = client
        .callTool({ name: 'verify_evidence', arguments: { ref: 'P-1', evidenceId } }, { signal: ctl.signal })
        .then(
          () => 'answered',
          () => 'rejected',
        );
      // once the hub is running it (and its probe has begun)
      await vi.waitFor(() => expect(callsInFlight.size).toBe(1), { timeout: 10_000 });
      await probeStarted(pids);
      ctl.abort('the person changed their mind');
      expect(await call).toBe('rejected');
      // the hub no longer holds the call: the server that ran it has closed
      await vi.waitFor(() => expect(callsInFlight.size).toBe(0), { timeout: 2000 });
      // the probe ended the server it was talking to long before its deadline, and recorded no check
      // (the request below is answered after the probe's end has run its course)
      await probeEnded(pids);
      const kinds = (await eventLogTail(hub, { limit: 3 })).items.map((e) => e.kind);
      expect(kinds[0]).toBe('proposal.evidence-added');
      // and the connection goes on serving
      // (answered at all: a connection left hanging would fail the request at this generous limit)
      expect((await client.listTools(undefined, { timeout: 10_000 })).tools.length).toBeGreaterThan(0);
      expect((await eventLogTail(hub, { limit: 1 })).items[0]!.kind).toBe('proposal.evidence-added');
    } finally {
      await client.close();
    }
  });

  /** A 2025-06-18 POST written by hand: no session, as the SDK's stateless clients send. */
  const post = (body: unknown, bearer: string, signal?: AbortSignal) =>
    fetch(served.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-06-18',
        Authorization: `Bearer ${bearer}`,
      },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  const verify = (id: number) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'verify_evidence', arguments: { ref: 'P-1', evidenceId } },
  });
  /** A request of hers answered whole: whatever the hub had set going before it has run on meanwhile. */
  const answered = async () =>
    expect(await (await post({ jsonrpc: '2.0', id: 98, method: 'tools/list' }, token)).text()).toContain('"id":98');
  const cancel = (requestId: number) => ({
    jsonrpc: '2.0',
    method: 'notifications/cancelled',
    params: { requestId, reason: 'changed my mind' },
  });

  it('a cancellation reaches only the sender’s own request of that id, whose answer then ends with no response', async () => {
    const res = await post(verify(7), token);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const answer = res.text();
    await vi.waitFor(() => expect(callsInFlight.size).toBe(1));
    await probeStarted(pids);
    // another person's token naming the same id cancels nothing of maya's
    expect((await post(cancel(7), other)).status).toBe(202);
    expect(callsInFlight.size).toBe(1);
    // a different id of hers neither
    expect((await post(cancel(8), token)).status).toBe(202);
    expect(callsInFlight.size).toBe(1);
    expect((await post(cancel(7), token)).status).toBe(202);
    // the stream ends without a response for id 7: uncancelled, it would have ended only with the
    // probe, at its deadline, with that response (ordering, not a wall-clock budget)
    expect(await answer).not.toContain('"id":7');
    // the probe ended its server, and no check was recorded (a request answered after that end)
    await probeEnded(pids);
    await answered();
    expect((await eventLogTail(hub, { limit: 1 })).items[0]!.kind).toBe('proposal.evidence-added');
  });

  it('a cancellation that overtakes its request (each is a POST of its own) still stops it', async () => {
    expect((await post(cancel(11), token)).status).toBe(202);
    const res = await post(verify(11), token);
    // answered with no response for id 11 (a probe run would have answered it, at its deadline), and
    // no probe run: any server it started has ended, and no check was recorded (read after a request
    // answered since)
    expect(await res.text()).not.toContain('"id":11');
    await probeEnded(pids);
    await answered();
    // never started at all: a probe begun late would still be running (its deadline is long)
    expect(pidsIn(pids)).toEqual([]);
    expect((await eventLogTail(hub, { limit: 1 })).items[0]!.kind).toBe('proposal.evidence-added');
    expect(callsInFlight.size).toBe(0);
  });

  it('an anonymous caller’s cancellation reaches no other anonymous caller’s request (behind a proxy all share one address)', async () => {
    const open = await serveMcpOverHttp(hub, { anonymousReads: true });
    const anonymous = (body: unknown, version = '2025-06-18') =>
      fetch(open.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'MCP-Protocol-Version': version,
        },
        body: JSON.stringify(body),
      });
    try {
      // one caller posts cancellations for ids another will use (the attack: ids 0-999 every 5 s)
      for (const id of [21, 22]) expect((await anonymous(cancel(id))).status).toBe(202);
      const read = (id: number) => ({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'list_groups', arguments: {} },
      });
      // the other's reads are answered all the same
      for (const id of [21, 22]) {
        const res = await anonymous(read(id));
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ id, result: { content: expect.any(Array) } });
      }
      expect(callsInFlight.size).toBe(0);
      // within one 2025-03-26 batch a caller still cancels its own request
      const batch = await anonymous([read(31), cancel(31), read(32)], '2025-03-26');
      const answers = (await batch.json()) as { id: number; error?: { code: number } }[];
      expect(answers.find((a) => a.id === 31)?.error?.code).toBe(-32800);
      expect(answers.find((a) => a.id === 32)).toMatchObject({ result: { content: expect.any(Array) } });
    } finally {
      await new Promise((r) => open.server.close(r));
    }
  });

  it('a cancellation that comes after its request was answered stops nothing later, not another assistant’s request of that id on the same token', async () => {
    const read = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'list_groups', arguments: {} },
    });
    // one assistant's timeout races its answer: the answer is sent, then its cancellation comes
    expect(await (await post(read(41), token)).text()).toContain('"id":41');
    expect((await post(cancel(41), token)).status).toBe(202);
    // the same person's other assistant numbers its requests from 0 too: its 41 is answered
    const other = await post(read(41), token);
    expect(other.status).toBe(200);
    expect(await other.text()).toMatch(/"id":41,"result"|"result":.*"id":41/s);
    expect(callsInFlight.size).toBe(0);
  });

  it('a cancellation kept for a request yet to come is bounded: a megabyte string id is not kept, a long reason is cut', async () => {
    const huge = 'x'.repeat(1_000_000);
    const stopped: (string | undefined)[] = [];
    callsInFlight.cancel('bounds-test', huge, 'early');
    callsInFlight.add('bounds-test', huge, (r) => stopped.push(r))();
    callsInFlight.cancel('bounds-test', 'short', 'y'.repeat(100_000));
    callsInFlight.add('bounds-test', 'short', (r) => stopped.push(r))();
    await new Promise((r) => setTimeout(r, 10));
    // the short id's early cancellation still stops its request when it comes, with the reason cut
    expect(stopped.map((r) => r?.length)).toEqual([500]);
  });

  it('a 2025-era request whose connection closes stops as a cancelled one does', async () => {
    const ctl = new AbortController();
    const res = await post(verify(3), token, ctl.signal);
    // once its probe is running
    await probeStarted(pids);
    ctl.abort();
    await res.text().catch(() => {});
    await vi.waitFor(() => expect(callsInFlight.size).toBe(0), { timeout: 2000 });
    // the probe ended its server long before its deadline, and no check was recorded (read after a
    // request answered since)
    await probeEnded(pids);
    await answered();
    expect((await eventLogTail(hub, { limit: 1 })).items[0]!.kind).toBe('proposal.evidence-added');
  });

  it.each(ERAS)('in the %s era verify_evidence reports its progress to a client that asks', async (era) => {
    hub.governance.evidence.probeTimeoutSeconds = 30;
    const client = await httpClient(served.url, era, token);
    try {
      const { structuredContent } = await client.callTool({
        name: 'add_evidence',
        arguments: { ref: 'P-1', kind: 'implementation', description: 'a server that answers', url: 'stdio:good' },
      });
      const id = (structuredContent as { evidence: { id: string }[] }).evidence.at(-1)!.id;
      const seen: { progress: number; total?: number; message?: string }[] = [];
      const r = await client.callTool(
        { name: 'verify_evidence', arguments: { ref: 'P-1', evidenceId: id } },
        { onprogress: (p) => seen.push(p) },
      );
      expect(r.structuredContent, JSON.stringify(r)).toMatchObject({ status: 'verified' });
      expect(seen.map((p) => [p.progress, p.total])).toEqual([
        [0, 3],
        [1, 3],
        [2, 3],
        [3, 3],
      ]);
      expect(seen.map((p) => p.message)).toEqual([
        'connecting to stdio:good',
        expect.stringMatching(/^connected to fixture-good 1\.2\.3 \(protocol [-0-9]+\); listing its tools$/),
        'listed 2 tools; recording the check',
        'recorded: verified',
      ]);
    } finally {
      await client.close();
    }
  });

  it('a probed server’s name and version reach its progress as they are stored: one printable line, cut to 200 and 100 characters', async () => {
    hub.governance.evidence.probeTimeoutSeconds = 30;
    const client = await httpClient(served.url, 'legacy', token);
    try {
      const { structuredContent } = await client.callTool({
        name: 'add_evidence',
        arguments: {
          ref: 'P-1',
          kind: 'implementation',
          description: 'a server naming itself badly',
          url: 'stdio:hostile',
        },
      });
      const id = (structuredContent as { evidence: { id: string }[] }).evidence.at(-1)!.id;
      const seen: string[] = [];
      const r = await client.callTool(
        { name: 'verify_evidence', arguments: { ref: 'P-1', evidenceId: id } },
        { onprogress: (p) => seen.push(p.message ?? '') },
      );
      const check = r.structuredContent as { status: string; server: { name: string; version: string } };
      expect(check.status, JSON.stringify(r).slice(0, 500)).toBe('verified');
      // the progress said the name whole: a megabyte in one message
      expect(seen.map((m) => m.length).every((n) => n < 400)).toBe(true);
      const { name, version } = check.server;
      // no escape sequence, bell, line break or direction override left; each within its bound
      expect(name).toBe(`]0;ownedevilserver ${'N'.repeat(200 - 19)}`);
      expect(version).toBe(`9.9 [2J${'V'.repeat(100 - 7)}`);
      const connected = seen.find((m) => m.startsWith('connected to '))!;
      expect(connected.length).toBeLessThan(400);
      expect(connected).toContain(`connected to ${name} ${version}`);
      // nothing a terminal would act on: printable() escapes controls and direction overrides
      for (const m of seen) expect(printable(m)).toBe(m);
    } finally {
      await client.close();
    }
  });

  it.each(ERAS)('in the %s era check_prior_work reports its steps to a client that asks', async (era) => {
    const client = await httpClient(served.url, era, token);
    try {
      const seen: { progress: number; total?: number; message?: string }[] = [];
      const r = await client.callTool(
        {
          name: 'check_prior_work',
          arguments: { title: 'Routing sessions back to their server', text: 'Gateways lose session affinity.' },
        },
        { onprogress: (p) => seen.push(p) },
      );
      const items = (r.structuredContent as { items: { ref: string }[] }).items;
      expect(items.map((i) => i.ref)).toContain('proposal:P-1');
      expect(seen.map((p) => [p.progress, p.total])).toEqual([
        [0, 4],
        [1, 4],
        [2, 4],
        [3, 4],
      ]);
      expect(seen.at(-1)!.message).toBe(`found ${items.length} match${items.length === 1 ? '' : 'es'}`);
    } finally {
      await client.close();
    }
  });

  it('a prior-work check whose caller went away stops at the next step', async () => {
    const ctl = new AbortController();
    const steps: number[] = [];
    const err = await priorWork(
      hub,
      { title: 'Routing sessions back to their server', text: 'Gateways lose session affinity.' },
      {
        signal: ctl.signal,
        step: (n) => {
          steps.push(n);
          if (n === 1) ctl.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Cancelled);
    expect(steps).toEqual([0, 1]);
  });

  it.each(ERAS)(
    'in the %s era search and draft_quarterly_update report their steps to a client that asks',
    async (era) => {
      const client = await httpClient(served.url, era, token);
      try {
        const seen: { progress: number; total?: number; message?: string }[] = [];
        const onprogress = (p: (typeof seen)[number]) => seen.push(p);
        // found at once: the first try, then the count
        const found = await client.callTool({ name: 'search', arguments: { q: 'affinity' } }, { onprogress });
        expect((found.structuredContent as { items: { ref: string }[] }).items.map((i) => i.ref)).toEqual(['P-1']);
        expect(seen.map((p) => [p.progress, p.total, p.message])).toEqual([
          [0, 4, 'searching for the words as written'],
          [3, 4, 'found 1 result'],
        ]);
        // nothing for the words as written: each further try is told
        seen.length = 0;
        await client.callTool({ name: 'search', arguments: { q: 'gatway quuxes' } }, { onprogress });
        expect(seen.map((p) => p.progress)).toEqual([0, 1, 2, 3]);
        expect(seen[1]!.message).toBe('nothing found; trying the words with misspellings corrected');

        seen.length = 0;
        const draft = await client.callTool(
          { name: 'draft_quarterly_update', arguments: { group: 'hosting' } },
          { onprogress },
        );
        expect(draft.isError).toBeFalsy();
        const due = (draft.structuredContent as { period: { dueOn: string } }).period.dueOn;
        expect(seen.map((p) => [p.progress, p.total, p.message])).toEqual([
          [0, 5, `reading the stage moves of hosting's proposals in the quarter due on ${due}`],
          [1, 5, 'reading 0 decisions'],
          [2, 5, 'reading the meetings held and to come'],
          [3, 5, 'reading membership changes and open action items'],
          [4, 5, `drafted the update due on ${due}`],
        ]);
      } finally {
        await client.close();
      }
    },
  );

  it('a search whose caller went away runs no further query', async () => {
    const ctl = new AbortController();
    const steps: number[] = [];
    const err = await search(
      hub,
      { q: 'gatway quuxes' },
      {
        signal: ctl.signal,
        step: (n) => {
          steps.push(n);
          if (n === 1) ctl.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Cancelled);
    expect((err as Error).message).toBe('the search was cancelled');
    expect(steps).toEqual([0, 1]);
  });

  it('a quarterly update whose caller went away stops at the next step', async () => {
    const ctl = new AbortController();
    const steps: number[] = [];
    const err = await draftQuarterlyUpdate(
      hub,
      'hosting',
      {},
      {
        signal: ctl.signal,
        step: (n) => {
          steps.push(n);
          if (n === 1) ctl.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Cancelled);
    expect((err as Error).message).toBe('the quarterly update was cancelled');
    expect(steps).toEqual([0, 1]);
  });
});
