// What an outside fuzzer found in a running hub (the h-fuzz round), through a real server on the
// loopback with the demo community, on both databases: each test is what the attacker sent and
// what they must be answered now.
import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inTransaction, record, SYSTEM } from '../../src/app/core/hub.ts';
import { exportAll } from '../../src/app/operations/export-all.ts';
import { createTopicArea } from '../../src/app/groups/topic-areas.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { recordNotes } from '../../src/app/meetings/outcomes.ts';
import { addWebhook } from '../../src/app/notifications/chat.ts';
import { addAgendaItem } from '../../src/app/meetings/agenda.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe.each(databases)('fuzzing findings on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let base: string;
  const tokens: Record<string, string> = {};

  /** A request to the running hub, as `who` (a demo handle) or anonymously. */
  async function call(
    path: string,
    opts: { who?: string; method?: string; body?: unknown; raw?: string; headers?: object } = {},
  ) {
    const sent = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const res = await fetch(base + path, {
      method: opts.method ?? (sent === undefined ? 'GET' : 'POST'),
      headers: {
        ...(opts.who ? { authorization: `Bearer ${tokens[opts.who]}` } : {}),
        ...(sent === undefined ? {} : { 'content-type': 'application/json' }),
        ...opts.headers,
      },
      ...(sent === undefined ? {} : { body: sent }),
    });
    return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
  }

  beforeEach(async () => {
    hub = await openDemoHub(database, { work: true });
    for (const who of ['amara', 'sam-lead', 'priya']) tokens[who] = (await createToken(hub, SYSTEM, who)).token;
    server = serveHub(createHttpApp(hub), { hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    await hub?.close();
  });

  it("an edit's event names the comment's revisions, never its text, so hiding it leaves no copy in the log or the open data", async () => {
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    const posted = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      body: { body: 'Call me on +44 7700 900123 any time' },
    });
    expect(posted.status).toBe(201);
    const id = JSON.parse(posted.text).id as string;
    const edited = await call(`/api/comments/${id}`, {
      who: 'amara',
      method: 'PATCH',
      headers: { 'if-match': posted.etag ?? '"v1"' },
      body: { body: 'Or write to amara.home@example.org' },
    });
    expect(edited.status).toBe(200);
    // the log says which revision followed which; the history holds their text
    const log = await call('/api/events?limit=20');
    expect(log.text).not.toContain('7700 900123');
    expect(log.text).not.toContain('amara.home@example.org');
    const edit = JSON.parse(log.text).items.find((e: { kind: string }) => e.kind === 'proposal.comment-edited');
    expect(edit.before).toEqual({ comment: id, revision: 1 });
    expect(edit.after).toEqual({ comment: id, revision: 2 });

    const hidden = await call(`/api/comments/${id}/moderation`, {
      who: 'sam-lead',
      body: { action: 'hide', reason: 'Personal contact details' },
    });
    expect(hidden.status).toBe(200);
    // the community's open data carries the log whole: before, the edit's event published both texts
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (d) => lines.push(String(d)));
    await exportAll(hub.store, out, { public: true });
    out.end();
    expect(lines.join('')).toContain(id);
    expect(lines.join('')).not.toContain('7700 900123');
    expect(lines.join('')).not.toContain('amara.home@example.org');
    // the other doors to the text stay as they were: closed to readers, open to the lead who hid it
    expect((await call(`/api/comments/${id}/history`)).status).toBe(403);
    expect((await call(`/api/comments/${id}/history`, { who: 'sam-lead' })).text).toContain('7700 900123');
  });

  it('an edit recorded with its text (before 2026-12-05) shows it as hidden while its comment is hidden', async () => {
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    const posted = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      body: { body: 'Or write to amara.home@example.org' },
    });
    const id = JSON.parse(posted.text).id as string;
    // the facts an edit carried until then
    await inTransaction(hub, (trx) =>
      record(
        trx,
        hub,
        SYSTEM,
        'proposal.comment-edited',
        { type: 'proposal', id: ref },
        { comment: id, body: 'Call me on +44 7700 900123 any time' },
        { comment: id, body: 'Or write to amara.home@example.org' },
      ),
    );
    expect((await call('/api/events?limit=20')).text).toContain('amara.home@example.org');
    expect(
      (
        await call(`/api/comments/${id}/moderation`, {
          who: 'sam-lead',
          body: { action: 'hide', reason: 'Personal contact details' },
        })
      ).status,
    ).toBe(200);

    const log = await call('/api/events?limit=20');
    expect(log.status).toBe(200);
    expect(log.text).not.toContain('7700 900123');
    expect(log.text).not.toContain('amara.home@example.org');
    const edit = JSON.parse(log.text).items.find((e: { kind: string }) => e.kind === 'proposal.comment-edited');
    expect(edit.after.comment).toBe(id);
    expect(edit.after.body).toMatch(/hidden by moderation/);
    // the stored facts are not changed: the chain still holds
    expect(JSON.parse((await call('/api/events/verify')).text).ok).toBe(true);

    // shown again, its edits read as they were made
    expect((await call(`/api/comments/${id}/moderation`, { who: 'sam-lead', body: { action: 'unhide' } })).status).toBe(
      200,
    );
    expect((await call('/api/events?limit=20')).text).toContain('amara.home@example.org');
  });

  it("a lead cannot open a decision in their group about another group's charter by naming it as the subject's ref", async () => {
    const before = JSON.parse((await call('/api/decisions?limit=50')).text).items.length;
    for (const subject of [
      { type: 'charter', ref: 'security' },
      { type: 'process', ref: 'P-1' },
      { type: 'charter', ref: '../../welcome' },
    ]) {
      const r = await call('/api/decisions', {
        who: 'sam-lead',
        body: { group: 'hosting', subject, question: 'Narrow the scope of this charter?', significance: 'minor' },
      });
      expect(r.status).toBe(422);
      const problem = JSON.parse(r.text);
      expect(problem.errors[0].field).toBe('subject.ref');
      expect(problem.errors[0].rule).toContain(`a ${subject.type} decision is about the hosting group's own`);
    }
    expect(JSON.parse((await call('/api/decisions?limit=50')).text).items).toHaveLength(before);
    // the group's own charter, without a ref, opens as before
    const own = await call('/api/decisions', {
      who: 'sam-lead',
      body: {
        group: 'hosting',
        subject: { type: 'charter' },
        question: 'Narrow the scope of our charter?',
        significance: 'minor',
      },
    });
    expect(own.status).toBe(201);
  });

  it('a series cannot repeat more than daily through BYHOUR, BYMINUTE or a second FREQ, on create or on a later change', async () => {
    const meeting = {
      group: 'hosting',
      kind: 'process',
      title: 'Around the clock',
      startsAt: '2027-03-01T10:00:00Z',
      timeZone: 'UTC',
    };
    const count = async () => JSON.parse((await call('/api/meetings?group=hosting&limit=100')).text).items.length;
    const before = await count();
    const hourly =
      'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23';
    for (const [rrule, rule] of [
      [hourly, 'a series repeats at most daily'],
      ['FREQ=DAILY;BYMINUTE=0,1,2,3,4,5', 'a series repeats at most daily'],
      // the check read the first FREQ, the expansion the last: this met every minute
      ['FREQ=DAILY;FREQ=MINUTELY', 'must give FREQ once'],
      ['FREQ=DAILY;COUNT=-5', 'COUNT must be a whole number from 1 to 520'],
    ]) {
      const r = await call('/api/meetings', { who: 'sam-lead', body: { ...meeting, rrule } });
      expect(r.status, rrule).toBe(422);
      const problem = JSON.parse(r.text);
      expect(problem.errors[0].field).toBe('rrule');
      expect(problem.errors[0].rule).toContain(rule);
    }
    expect(await count()).toBe(before);

    const weekly = await call('/api/meetings', { who: 'sam-lead', body: { ...meeting, rrule: 'FREQ=WEEKLY' } });
    expect(weekly.status).toBe(201);
    const { ref } = JSON.parse(weekly.text);
    const changed = await call(`/api/meetings/${ref}`, {
      who: 'sam-lead',
      method: 'PATCH',
      headers: { 'if-match': weekly.etag! },
      body: { rrule: hourly },
    });
    expect(changed.status).toBe(422);
    expect(JSON.parse(changed.text).errors[0].field).toBe('rrule');
    const now = JSON.parse((await call(`/api/meetings/${ref}`)).text);
    expect(now.rrule).toBe('FREQ=WEEKLY');
    expect(now.upcoming.slice(0, 2)).toEqual(['2027-03-01T10:00:00.000Z', '2027-03-08T10:00:00.000Z']);
  });

  it('a meeting start or a decision deadline past the year 9999 in UTC is refused naming the field (round 6): it was stored as +010000-…, text that sorts before every date', async () => {
    const far = '9999-12-31T23:59:00-12:00'; // 10000-01-01T11:59Z
    const series = await call('/api/meetings', {
      who: 'sam-lead',
      body: {
        group: 'hosting',
        kind: 'process',
        title: 'Far off',
        startsAt: '2027-03-01T10:00:00Z',
        rrule: 'FREQ=DAILY',
      },
    });
    const ref = JSON.parse(series.text).ref as string;
    const refused = [
      // a one-off was told 'must be in the future'; an occurrence of a series was stored
      await call('/api/meetings', {
        who: 'sam-lead',
        body: { group: 'hosting', kind: 'process', title: 'Far off', startsAt: far },
      }),
      await call('/api/meetings', {
        who: 'sam-lead',
        body: { group: 'hosting', kind: 'process', title: 'Far off', startsAt: far, seriesOf: ref },
      }),
      await call('/api/decisions', {
        who: 'sam-lead',
        body: {
          group: 'hosting',
          subject: { type: 'process' },
          question: 'Shall we meet in ten thousand?',
          significance: 'minor',
          deadline: far,
        },
      }),
    ];
    for (const r of refused) {
      expect(r.status, r.text).toBe(422);
      expect(JSON.parse(r.text).errors[0].rule).toBe('must fall between the years 0000 and 9999 in UTC');
    }
    expect(refused.map((r) => JSON.parse(r.text).errors[0].field)).toEqual(['startsAt', 'startsAt', 'deadline']);
    expect((await call('/api/meetings?group=hosting&limit=100')).text).not.toContain('+010000');
    expect((await call('/api/decisions?group=hosting')).text).not.toContain('+010000');
    // a year past 9999 written another way is no ISO date-time: told that once, not also its year
    for (const [path, body] of [
      ['/api/meetings', { group: 'hosting', kind: 'process', title: 'Far off', startsAt: '+012026-01-01T00:00:00Z' }],
      [
        '/api/decisions',
        {
          group: 'hosting',
          subject: { type: 'process' },
          question: 'Shall we meet in twelve thousand?',
          significance: 'minor',
          deadline: '+012026-01-01T00:00:00Z',
        },
      ],
    ] as const) {
      const r = await call(path, { who: 'sam-lead', body });
      expect(r.status).toBe(422);
      expect(JSON.parse(r.text).errors.map((e: { rule: string }) => e.rule)).toEqual([
        expect.stringMatching(/^must be an ISO date-time with a zone/),
      ]);
    }
  });
  it('a 404 names what the address asked for with its bidirectional overrides shown as escapes (round 14): echoed, one reordered the sentence around it', async () => {
    for (const path of ['/api/groups/ab%E2%80%AEcd', '/groups/ab%E2%80%AEcd', '/proposals/P-1%E2%80%AEx']) {
      const r = await call(path);
      expect(r.status, path).toBe(404);
      expect(r.text, path).not.toContain('\u202e');
      expect(r.text, path).toMatch(/(ab|P-1)\\{1,2}u202e(cd|x)/);
    }
  });

  it('a method no page takes (OPTIONS, PATCH, PUT, DELETE, PROPFIND) on the OAuth consent page is the 404 of any other page, not a 500 (round 8)', async () => {
    // its Host check ran for every method and read the web's settings, set only for a page's own methods.
    // amara's token signs her in once first: a token this process has not seen counts against its
    // address too (rate-limits.ts), and these 404s never look it up, so her twenty would spend the
    // address the visitor's twenty share
    expect((await call('/api/me', { who: 'amara' })).status).toBe(200);
    for (const path of ['/oauth/authorize', '/oauth/authorize?client_id=x', '/proposals', '/sign-in'])
      for (const method of ['OPTIONS', 'PATCH', 'PUT', 'DELETE', 'PROPFIND'])
        for (const who of [undefined, 'amara'] as const) {
          const r = await call(path, { method, ...(who ? { who } : {}) });
          expect(r.status, `${method} ${path}`).toBe(404);
        }
    // the page itself still answers (a request missing its parameters is told so)
    expect((await call('/oauth/authorize', { method: 'HEAD' })).status).toBe(400);
    expect((await call('/oauth/authorize')).status).toBe(400);
  });
  it('a change to a topic area that leaves out its description keeps it, over REST and MCP (round 8): the default of a new one was applied, wiping it', async () => {
    const created = await call('/api/groups/hosting/topics', {
      who: 'sam-lead',
      body: {
        slug: 'gateways',
        name: 'Gateways',
        goal: 'common-patterns',
        description: 'Which gateways keep a session on one process.',
        facilitators: ['priya'],
      },
    });
    expect(created.status, created.text).toBe(201);
    const renamed = await call('/api/groups/hosting/topics/gateways', {
      who: 'sam-lead',
      method: 'PATCH',
      body: { name: 'Gateways and proxies' },
      headers: { 'if-match': created.etag ?? '"v1"' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    const rpc = await call('/mcp', {
      who: 'sam-lead',
      headers: { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'update_topic_area', arguments: { group: 'hosting', topic: 'gateways', cadence: 'Monthly' } },
      },
    });
    expect(rpc.status).toBe(200);
    expect(rpc.text).not.toContain('"isError":true');
    const now = JSON.parse((await call('/api/groups/hosting/topics/gateways')).text);
    expect(now).toMatchObject({
      name: 'Gateways and proxies',
      cadence: 'Monthly',
      description: 'Which gateways keep a session on one process.',
    });
    // clearing it is still said outright
    const cleared = await call('/api/groups/hosting/topics/gateways', {
      who: 'sam-lead',
      method: 'PATCH',
      body: { description: '' },
      headers: { 'if-match': `"v${now.version}"` },
    });
    expect(JSON.parse(cleared.text).description).toBe('');
  });
  it('update_topic_area and update_person over MCP carry the version read: a change made since is refused, not overwritten (round 8)', async () => {
    const tool = async (who: string, name: string, args: object) => {
      const r = await call('/mcp', {
        who,
        headers: { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
      });
      // answered as one server-sent event, or as JSON
      const data = r.text.startsWith('event:')
        ? r.text
            .split('\n')
            .find((l) => l.startsWith('data:'))!
            .slice(5)
        : r.text;
      return JSON.parse(data).result as {
        isError?: boolean;
        content: { text: string }[];
        structuredContent: { version: number; affiliations: unknown[] };
      };
    };
    // an assistant reads the topic area, then a lead changes its facilitators on the web (or REST)
    const read = await tool('sam-lead', 'update_topic_area', {
      group: 'hosting',
      topic: 'horizontal-scaling',
      cadence: 'Fortnightly',
    });
    expect(read.isError).toBeFalsy();
    const seen = read.structuredContent.version as number;
    const changed = await call('/api/groups/hosting/topics/horizontal-scaling', {
      who: 'sam-lead',
      method: 'PATCH',
      body: { facilitators: ['sam-lead'] },
      headers: { 'if-match': `"v${seen}"` },
    });
    expect(changed.status, changed.text).toBe(200);
    // the assistant's list from its older read would bring the removed facilitator back: refused
    const stale = await tool('sam-lead', 'update_topic_area', {
      group: 'hosting',
      topic: 'horizontal-scaling',
      facilitators: ['priya', 'sam-lead'],
      version: seen,
    });
    expect(stale.isError).toBe(true);
    expect(stale.content[0]!.text).toMatch(/^conflict/);
    const topic = JSON.parse((await call('/api/groups/hosting/topics/horizontal-scaling')).text);
    expect(topic.facilitators.map((f: { handle: string }) => f.handle)).toEqual(['sam-lead']);

    // a person's record likewise; replacing the whole list of affiliations needs the version
    const me = (await tool('priya', 'get_person', {})).structuredContent;
    const renamed = await call('/api/people/priya', {
      who: 'priya',
      method: 'PATCH',
      body: { name: 'Priya N.' },
      headers: { 'if-match': `"v${me.version}"` },
    });
    expect(renamed.status, renamed.text).toBe(200);
    const older = await tool('priya', 'update_person', { name: 'Priya Nair', version: me.version });
    expect(older.isError).toBe(true);
    expect(older.content[0]!.text).toMatch(/^conflict/);
    const blind = await tool('priya', 'update_person', { affiliations: [] });
    expect(blind.isError).toBe(true);
    expect(blind.content[0]!.text).toContain("replacing priya's affiliations needs the version you last read");
    const now = JSON.parse((await call('/api/people/priya')).text);
    expect(now.name).toBe('Priya N.');
    expect(now.affiliations).toHaveLength(me.affiliations.length);
    // without a version a one-field change still goes through, as before
    expect((await tool('priya', 'update_person', { timeZone: 'Europe/Berlin' })).isError).toBeFalsy();
  });
  it('TRACE on the protected-resource metadata is a 405 like any method it does not take, not a 500 (round 8)', async () => {
    // fetch cannot send TRACE: a raw request, as an attacker's client sends it
    const raw = (method: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const r = request(base + path, { method }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        r.on('error', reject);
        r.end();
      });
    for (const method of ['TRACE'])
      for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])
        expect(await raw(method, path), `${method} ${path}`).toBe(405);
    expect(await raw('GET', '/.well-known/oauth-protected-resource')).toBe(200);
  });

  it('tag characters, text no reader sees but an assistant reading over MCP does, are refused naming the field; a subdivision flag keeps its tags (round 9)', async () => {
    // "IGNORE ALL" in tag characters: invisible on every page, read by a language model as letters
    const hidden = [...'IGNORE ALL'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const scotland = '\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}';
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    const before = (await call(`/api/proposals/${ref}/comments`)).text;
    const comment = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      body: { body: `Looks good to me.${hidden}` },
    });
    expect(comment.status, comment.text).toBe(422);
    expect(JSON.parse(comment.text).errors).toEqual([
      { field: 'body', rule: expect.stringContaining('invisible formatting characters (U+E0049 at character 18)') },
    ]);
    const title = await call('/api/proposals', {
      who: 'amara',
      body: {
        title: `Retry budgets ${hidden}`,
        problem: 'Clients retry without a budget and flood gateways.',
        layer: 'specification',
      },
    });
    expect(title.status).toBe(422);
    expect(JSON.parse(title.text).errors[0].field).toBe('title');
    expect((await call(`/api/proposals/${ref}/comments`)).text).toBe(before);
    // over MCP the same rule, from the same schema
    const rpc = await call('/mcp', {
      who: 'amara',
      headers: { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'create_draft_proposal',
          arguments: {
            title: `Retry budgets ${hidden}`,
            problem: 'Clients retry without a budget.',
            layer: 'specification',
          },
        },
      },
    });
    expect(rpc.text).toContain('U+E0049');
    expect(rpc.text).not.toContain('"structuredContent"');
    // a flag of Scotland is tags too, after the black flag and up to CANCEL TAG: kept as written
    const flag = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      body: { body: `Greetings from ${scotland}` },
    });
    expect(flag.status, flag.text).toBe(201);
    expect(JSON.parse(flag.text).body).toBe(`Greetings from ${scotland}`);
    // tags after a flag's end are not part of it
    const smuggled = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      body: { body: `Greetings from ${scotland}${hidden}` },
    });
    expect(smuggled.status).toBe(422);
  });

  it("a group's chat webhooks are bounded, and one address is posted to once (round 9): a lead added the same hook without end, so each decision was that many posts from the queue everyone's mail waits in", async () => {
    const add = (n: number | string) =>
      call('/api/groups/hosting/webhooks', {
        who: 'sam-lead',
        body: { format: 'slack', url: `https://hooks.slack.com/services/T0/B0/${n}` },
      });
    expect((await add(1)).status).toBe(201);
    const again = await add(1);
    expect(again.status).toBe(422);
    expect(JSON.parse(again.text).errors).toEqual([
      { field: 'url', rule: expect.stringContaining('hosting already posts to this address') },
    ]);
    // five at once with room for three (through the use case: the rate limits let two in at a time):
    // three are added, two refused, never more than the bound
    const lead = await asActor(hub, 'sam-lead');
    const hook = (n: number) => ({ format: 'slack', url: `https://hooks.slack.com/services/T0/B0/${n}` });
    for (let n = 2; n <= 17; n++) await addWebhook(hub, lead, 'hosting', hook(n));
    const racing = await Promise.allSettled([18, 19, 20, 21, 22].map((n) => addWebhook(hub, lead, 'hosting', hook(n))));
    expect(racing.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    const refused = await add(23);
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.text).errors).toEqual([
      {
        field: 'url',
        rule: 'hosting posts to 20 chat webhooks, as many as one group may: remove one no longer used first',
      },
    ]);
    const hooks = JSON.parse((await call('/api/groups/hosting/webhooks', { who: 'sam-lead' })).text).items;
    expect(hooks).toHaveLength(20);
    // removing one makes room again
    expect(
      (await call(`/api/groups/hosting/webhooks/${hooks[0].id}`, { who: 'sam-lead', method: 'DELETE' })).status,
    ).toBe(200);
    expect((await add(24)).status).toBe(201);
  });

  it("a group's topic areas are bounded (round 9): a lead added them without end, and 2,000 made the group's page a second and a half of everyone's event loop", async () => {
    const lead = await asActor(hub, 'sam-lead');
    const topic = (n: number) => ({
      slug: `area-${n}`,
      name: `Area ${n}`,
      goal: 'both',
      description: 'What this area works on.',
      facilitators: ['priya'],
    });
    const had = JSON.parse((await call('/api/groups/hosting/topics')).text).items.length as number;
    for (let n = had; n < 98; n++) await createTopicArea(hub, lead, 'hosting', topic(n));
    // five at once with room for two: two are added, never more than the bound
    const racing = await Promise.allSettled(
      [98, 99, 100, 101, 102].map((n) => createTopicArea(hub, lead, 'hosting', topic(n))),
    );
    expect(racing.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    const refused = await call('/api/groups/hosting/topics', { who: 'sam-lead', body: topic(103) });
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.text).errors).toEqual([
      {
        field: 'slug',
        rule: 'hosting has 100 topic areas, as many as one group may: widen one it has, or propose a group of its own',
      },
    ]);
    expect(JSON.parse((await call('/api/groups/hosting/topics')).text).items).toHaveLength(100);
    expect(JSON.parse((await call('/api/groups/hosting')).text).topicAreas).toHaveLength(100);
  });

  it('a name or title of characters that draw nothing (Hangul fillers, the blank Braille pattern) is refused naming the field; the stored name stays', async () => {
    const me = await call('/api/people/amara', { who: 'amara' });
    const blank = await call('/api/people/amara', {
      who: 'amara',
      method: 'PATCH',
      body: { name: '\u3164\u3164' },
      headers: { 'if-match': me.etag! },
    });
    expect(blank.status, blank.text).toBe(422);
    expect(JSON.parse(blank.text).errors).toEqual([
      {
        field: 'name',
        rule: 'must show something: it holds only characters that draw nothing (U+3164 at character 1)',
      },
    ]);
    expect(JSON.parse((await call('/api/people/amara')).text).name).toBe(JSON.parse(me.text).name);
    const title = await call('/api/proposals', {
      who: 'amara',
      body: { title: '\u2800 \u115f', problem: 'Clients retry without a budget.', layer: 'specification' },
    });
    expect(title.status, title.text).toBe(422);
    expect(JSON.parse(title.text).errors[0]).toEqual({
      field: 'title',
      rule: expect.stringContaining('must show something'),
    });
    // a name that shows something keeps a filler inside it as written
    const me2 = await call('/api/people/amara', { who: 'amara' });
    const kept = await call('/api/people/amara', {
      who: 'amara',
      method: 'PATCH',
      body: { name: 'Amara\u3164Diallo' },
      headers: { 'if-match': me2.etag! },
    });
    expect(kept.status, kept.text).toBe(200);
  });

  it('the list of organisations holds those someone is or was with (round 9): naming twenty new ones a save, anyone grew it without end for every reader', async () => {
    const names = (round: number) =>
      Array.from({ length: 20 }, (_, i) => ({ organisation: `Spam ${round} Corp ${i}`, from: '2025-01-01' }));
    for (const round of [1, 2, 3]) {
      const me = await call('/api/people/amara', { who: 'amara' });
      const saved = await call('/api/people/amara', {
        who: 'amara',
        method: 'PATCH',
        body: { affiliations: names(round) },
        headers: { 'if-match': me.etag! },
      });
      expect(saved.status, saved.text).toBe(200);
    }
    const listed = JSON.parse((await call('/api/organisations')).text).items as { name: string; people: number }[];
    const spam = listed.filter((o) => o.name.startsWith('Spam '));
    // the twenty amara is with now, each with one person; the forty she named and replaced are not listed
    expect(spam.map((o) => o.name).sort()).toEqual(
      names(3)
        .map((a) => a.organisation)
        .sort(),
    );
    expect(spam.every((o) => o.people === 1)).toBe(true);
    // one whose people all left is still listed (its history stays), with nobody there now
    const priya = await call('/api/people/priya', { who: 'priya' });
    const before = JSON.parse(priya.text).affiliations[0].organisation.name as string;
    const left = await call('/api/people/priya', {
      who: 'priya',
      method: 'PATCH',
      body: { affiliations: [{ organisation: before, from: '2025-01-01', to: '2026-01-01' }] },
      headers: { 'if-match': priya.etag! },
    });
    expect(left.status, left.text).toBe(200);
    const now = JSON.parse((await call('/api/organisations')).text).items as { name: string; people: number }[];
    expect(now.find((o) => o.name === before)?.people).toBe(listed.find((o) => o.name === before)!.people - 1);
  });

  it("a group's meetings to come are bounded (round 9): every list of upcoming meetings reads them all, and a lead scheduled one-offs without end", async () => {
    const lead = await asActor(hub, 'sam-lead');
    const meeting = (n: number) => ({
      group: 'hosting',
      kind: 'content',
      title: `Deep-dive ${n}`,
      startsAt: new Date(Date.parse('2027-01-04T10:00:00Z') + n * 3_600_000).toISOString(),
    });
    const now = hub.clock.now().toISOString();
    const ahead = async () =>
      Number(
        (
          await hub.store.db
            .selectFrom('meetings as m')
            .innerJoin('groups as g', 'g.id', 'm.group_id')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('g.slug', '=', 'hosting')
            .where('m.starts_at', '>', now)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // a series is one however often it meets
    const series = await call('/api/meetings', {
      who: 'sam-lead',
      body: { ...meeting(0), title: 'Weekly', rrule: 'FREQ=WEEKLY' },
    });
    expect(series.status, series.text).toBe(201);
    const had = await ahead();
    for (let n = had; n < 197; n++) await scheduleMeeting(hub, lead, meeting(n));
    // five at once with room for three: three are scheduled, never more than the bound
    const racing = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => scheduleMeeting(hub, lead, meeting(1000 + n))));
    expect(racing.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    const refused = await call('/api/meetings', { who: 'sam-lead', body: meeting(2000) });
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.text).errors).toEqual([
      {
        field: 'startsAt',
        rule: 'hosting has 200 meetings to come (cancelled ones count, as they stay listed and may be restored), as many as one group may: let a series stand for a rhythm, or schedule more nearer the time',
      },
    ]);
    // an occurrence of its series is given its own meeting no more than a new one is
    const occurrence = await call('/api/meetings', {
      who: 'sam-lead',
      body: { ...meeting(168), seriesOf: JSON.parse(series.text).ref },
    });
    expect(occurrence.status).toBe(422);
    expect(await ahead()).toBe(200);
  });

  it('a page of comments is bounded in characters as in comments (round 9): 200 of 50,000 characters each were 41 MB and 0.7 s of the event loop per request', async () => {
    const priya = await asActor(hub, 'priya');
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    for (let i = 0; i < 45; i++)
      await addComment(hub, priya, ref, { body: `Long comment ${i}. ${'Gateways retry calls twice. '.repeat(1_780)}` });
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const r = await call(`/api/proposals/${ref}/comments?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      // the bound is on bodies and their HTML; the rest of a comment's view is small
      expect(r.text.length).toBeLessThan(2_500_000);
      const page = JSON.parse(r.text) as { items: { id: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeGreaterThan(0);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    }
    // every comment once, over several pages though 200 were asked for
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(JSON.parse((await call(`/api/proposals/${ref}/comments?limit=1`)).text).total);
  });

  it('a page of the event log is bounded in characters as in events (round 9): an event keeps revised notes whole, and 500 revisions were an 80 MB page for each anonymous request', async () => {
    const lead = await asActor(hub, 'sam-lead');
    // M-1 has been held: its notes may be recorded, and each revision is an event carrying them
    let version = JSON.parse((await call('/api/meetings/M-1')).text).version as number;
    for (let i = 0; i < 15; i++)
      version = (
        await recordNotes(hub, lead, 'M-1', version, {
          notes: `Round ${i}\n${'We talked about gateways. '.repeat(7_600)}`,
        })
      ).version;
    const head = JSON.parse((await call('/api/events?limit=1')).text).items[0].seq as number;
    const seen: number[] = [];
    let before: number | null = head + 1;
    while (before !== null) {
      const r = await call(`/api/events?limit=500&before=${before}`);
      expect(r.status).toBe(200);
      expect(r.text.length).toBeLessThan(2_500_000);
      const page = JSON.parse(r.text) as { items: { seq: number }[]; nextBefore: number | null };
      expect(page.items.length).toBeGreaterThan(0);
      seen.push(...page.items.map((e) => e.seq));
      before = page.nextBefore;
    }
    // every event once, newest first, down to the first
    expect(seen).toEqual(Array.from({ length: head }, (_, i) => head - i));
  });

  it('a JSON body whose bytes are not UTF-8 is refused naming the body (round 9): its bytes were read as U+FFFD and stored so, the text sent lost without a word', async () => {
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    const before = (await call(`/api/proposals/${ref}/comments?limit=200`)).text;
    const encoder = new TextEncoder();
    const bytes = (a: string, middle: number[], b: string) =>
      new Uint8Array([...encoder.encode(a), ...middle, ...encoder.encode(b)]);
    for (const body of [
      bytes('{"body":"Gr', [0xfc], 'e from Latin-1"}'), // ü in ISO-8859-1
      bytes('{"body":"overlong ', [0xc0, 0xaf], ' slash"}'),
      bytes('{"body":"a surrogate ', [0xed, 0xa0, 0x80], ' in CESU-8"}'),
    ]) {
      const r = await fetch(`${base}/api/proposals/${ref}/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.amara}`, 'content-type': 'application/json' },
        body,
      });
      expect(r.status).toBe(422);
      expect((await r.json()).errors).toEqual([
        { field: '(body)', rule: 'must be UTF-8 text: it holds bytes that are not (sent in another encoding?)' },
      ]);
    }
    expect((await call(`/api/proposals/${ref}/comments?limit=200`)).text).toBe(before);
    // the same text in UTF-8 is taken as it was written
    const ok = await call(`/api/proposals/${ref}/comments`, { who: 'amara', body: { body: 'Grüße from UTF-8' } });
    expect(ok.status).toBe(201);
    expect(JSON.parse(ok.text).body).toBe('Grüße from UTF-8');
  });

  it("a body nested past 64 levels is refused before it is parsed, on REST and MCP, and a visitor's write is a 401 whatever its body (round 10): 1 MiB of nested arrays cost 0.2-0.9 s of the event loop each, even refused", async () => {
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    const before = (await call(`/api/proposals/${ref}/comments?limit=200`)).text;
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const tooDeep = [{ field: '(body)', rule: 'must nest arrays and objects at most 64 levels deep' }];
    // a member's body: named, never parsed
    for (const raw of [nested(524_000), `{"body":"x","parent":${nested(64)}}`]) {
      const r = await fetch(`${base}/api/proposals/${ref}/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.amara}`, 'content-type': 'application/json' },
        body: raw,
      });
      expect(r.status).toBe(422);
      expect((await r.json()).errors).toEqual(tooDeep);
    }
    // a route anyone may call refuses it the same way
    const prior = await fetch(`${base}/api/prior-work`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: nested(524_000),
    });
    expect(prior.status).toBe(422);
    expect((await prior.json()).errors).toEqual(tooDeep);
    // a visitor's write is refused for its missing token before its body is read, whatever it holds
    for (const raw of [nested(524_000), '{', '[]']) {
      const r = await fetch(`${base}/api/proposals/${ref}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: raw,
      });
      expect(r.status).toBe(401);
    }
    // MCP: a parse error naming the rule, with or without a token, before the batch count or the SDK reads it
    for (const auth of [{}, { authorization: `Bearer ${tokens.amara}` }]) {
      const r = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...auth },
        body: nested(524_000),
      });
      expect(r.status).toBe(400);
      expect((await r.json()).error).toEqual({
        code: -32700,
        message: 'Parse error: the body must nest arrays and objects at most 64 levels deep',
      });
    }
    expect((await call(`/api/proposals/${ref}/comments?limit=200`)).text).toBe(before);
    // 64 levels, and brackets inside a string, are read as before
    const fine = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      raw: `{"body":"${'['.repeat(5_000)} a quoted \\" [ too"}`,
    });
    expect(fine.status).toBe(201);
    const deepest = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      raw: `{"body":"x","parent":${nested(63)}}`,
    });
    expect(JSON.parse(deepest.text).errors).toEqual([{ field: 'parent', rule: 'must be a string' }]);
  });

  it('a query parameter given twice is refused naming it (round 10): the first was read and the other dropped without a word, so asking for two groups answered one', async () => {
    const twice = await call('/api/proposals?group=hosting&group=security');
    expect(twice.status).toBe(400);
    expect(JSON.parse(twice.text).errors).toEqual([
      {
        field: 'group',
        rule: 'is given more than once (2 times); GET /api/proposals takes each query parameter once (none as a list)',
      },
    ]);
    // every such parameter is named, on a write too (after its token), and odd names are only names
    const search = JSON.parse((await call('/api/search?q=retry&q=gateway&kind=proposal&kind=decision')).text);
    expect(search.errors.map((e: { field: string }) => e.field)).toEqual(['q', 'kind']);
    expect((await call('/api/proposals?__proto__=a&__proto__=b')).status).toBe(400);
    expect((await call('/api/prior-work?ref=P-1&ref=P-2', { body: { title: 'Retry guidance' } })).status).toBe(400);
    // once each, as before
    const once = await call('/api/proposals?group=security&limit=1');
    expect(once.status).toBe(200);
    expect(JSON.parse(once.text).items[0].group).toBe('security');
  });

  it('an update that names nothing to change is refused and writes nothing (round 10): PATCH {} moved the version, so open edits went stale, and recorded a change nobody made, a charter amendment in the public history among them', async () => {
    const targets: [string, string, string][] = [
      ['/api/people/amara', 'amara', 'name, timeZone, github, discord, email, affiliations'],
      ['/api/groups/hosting', 'sam-lead', 'name, sections, changelog'],
      ['/api/proposals/P-2', 'sam-lead', 'title, problem, examples, interests, layer, links'],
      [
        '/api/meetings/M-1',
        'sam-lead',
        'kind, title, description, startsAt, timeZone, durationMinutes, rrule, location, cancelled, noteTaker',
      ],
      ['/api/groups/hosting/topics/horizontal-scaling', 'sam-lead', 'name, goal, description, cadence, facilitators'],
    ];
    const head = () => call('/api/events?limit=1').then((r) => JSON.parse(r.text).items[0].seq as number);
    const before = await head();
    for (const [path, who, fields] of targets) {
      const read = await call(path);
      expect(read.etag).toMatch(/^"v\d+-[0-9a-f]{16}"$/);
      for (const body of [{}, { name: undefined }]) {
        const r = await call(path, { who, method: 'PATCH', body, headers: { 'if-match': read.etag! } });
        expect(r.status, path).toBe(422);
        expect(JSON.parse(r.text).errors).toEqual([
          { field: '(body)', rule: `names nothing to change: send at least one of ${fields}` },
        ]);
      }
      expect((await call(path)).etag, path).toBe(read.etag);
    }
    expect(await head()).toBe(before);
    // a field's own mistake is told alone, and one field is enough to change
    const wrong = await call('/api/groups/hosting', {
      who: 'sam-lead',
      method: 'PATCH',
      body: { sections: 'Scope' },
      headers: { 'if-match': (await call('/api/groups/hosting')).etag! },
    });
    expect(JSON.parse(wrong.text).errors.map((e: { field: string }) => e.field)).toEqual(['sections']);
    const topic = await call('/api/groups/hosting/topics/horizontal-scaling');
    const renamed = await call('/api/groups/hosting/topics/horizontal-scaling', {
      who: 'sam-lead',
      method: 'PATCH',
      body: { name: 'Scaling out' },
      headers: { 'if-match': topic.etag! },
    });
    expect(renamed.status).toBe(200);
    expect(JSON.parse(renamed.text).name).toBe('Scaling out');
  });

  it("a proposal's pull request draft, pasted on GitHub, makes no mention, link, image or HTML of what people typed as text (round 11): a title @mentioned a stranger, an example and a link became a tracking image", async () => {
    const made = await call('/api/proposals', {
      who: 'priya',
      body: {
        title: 'Ping @octocat, see https://evil.example/x',
        layer: 'supporting-resource',
        route: 'contribution',
        group: 'hosting',
        problem: 'A problem long enough <img src=https://evil.example/p.png> and <!-- hides the rest',
        examples: ['ex ![i](https://evil.example/i.png) <b>x</b>'],
        interests: '',
        links: { tracker: 'https://a.example/)![x](https://evil.example/t.png)' },
      },
    });
    expect(made.status).toBe(201);
    const ref = JSON.parse(made.text).ref as string;
    const api = JSON.parse((await call(`/api/proposals/${ref}/pull-request-draft`)).text).markdown as string;
    const file = (await call(`/proposals/${ref}/pull-request-draft.md`)).text;
    for (const md of [api, file]) {
      expect(md).toContain('# Ping @\u2060octocat, see https:\u2060//evil.example/x\n');
      expect(md).toContain('A problem long enough \\<img src=https://evil.example/p.png> and \\<!-- hides the rest');
      expect(md).toContain('- ex !\\[i\\](https:\u2060//evil.example/i.png) \\<b\\>x\\</b\\>');
      expect(md).toContain('- Tracked at: <https://a.example/)![x](https://evil.example/t.png)>');
    }
  });

  it("a proposal's pull request draft lists the latest meetings, items and decisions about it and counts the rest (round 11): 1,000 decisions made it a 500, 10,000 agenda items a 280,000-character draft GitHub refuses and 0.4 s of the event loop", async () => {
    const lead = await asActor(hub, 'sam-lead');
    const first = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-2' },
      question: 'Adopt the session affinity guide?',
      significance: 'minor',
    });
    await addAgendaItem(hub, lead, 'M-2', { title: 'Affinity, part 1', link: { type: 'proposal', ref: 'P-2' } });
    // an agenda takes one item per thing linked now; items from before that rule (or other meetings'
    // items) are written straight to the store, as they stand there
    const item = await hub.store.db
      .selectFrom('meeting_agenda_items')
      .selectAll()
      .where('link_ref', '=', 'P-2')
      .executeTakeFirstOrThrow();
    for (let i = 1; i < 7; i++)
      await hub.store.db
        .insertInto('meeting_agenda_items')
        .values({ ...item, id: `part-${i}`, position: item.position + i, title: `Affinity, part ${i + 1}` })
        .execute();
    // what members opening decisions without end leave behind, written at once
    const row = await hub.store.db
      .selectFrom('decisions')
      .selectAll()
      .where('number', '=', Number(first.ref.slice(2)))
      .executeTakeFirstOrThrow();
    for (let batch = 0; batch < 11; batch++)
      await hub.store.db
        .insertInto('decisions')
        .values(
          Array.from({ length: 100 }, (_, i) => ({
            ...row,
            id: `flood-${batch}-${i}`,
            number: 10_000 + batch * 100 + i,
            question: `Flood question number ${batch * 100 + i}?`,
          })),
        )
        .execute();
    const r = await call('/api/proposals/P-2/pull-request-draft');
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    const draft = JSON.parse(r.text) as { markdown: string; facts: { decisions: unknown[] } };
    expect(draft.facts.decisions).toHaveLength(30);
    expect(draft.markdown).toContain('- 1072 earlier decisions about it, listed on the hub.');
    expect(draft.markdown).toMatch(/- Decision \[D-11099\]\(\S+\): Flood question number 1099\? Outcome/);
    expect(draft.markdown).not.toContain(`Decision ${first.ref}:`);
    expect(draft.markdown).toMatch(/“Affinity, part 5” and 2 more items/);
    expect(draft.markdown.length).toBeLessThan(65_536);
  });

  it('a key "__proto__" in an MCP tool\'s arguments is refused naming it, as REST names it no field (attack round 17): the SDK copied the arguments key by key and it vanished without a word', async () => {
    const mcp = (body: string) =>
      fetch(`${base}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${tokens.amara}`,
        },
        body,
      });
    for (const [args, field] of [
      ['{"__proto__":{"limit":1}}', 'params.arguments.__proto__'],
      ['{"\\u005f_proto__":{"limit":1}}', 'params.arguments.__proto__'],
      ['{"group":"hosting","x":[{"__proto__":null}]}', 'params.arguments.x[0].__proto__'],
    ] as const) {
      const r = await mcp(
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_proposals","arguments":${args}}}`,
      );
      expect(r.status, args).toBe(400);
      expect((await r.json()).error, args).toEqual({
        code: -32600,
        message: `Invalid Request: the body names ${field}, which is no field: a key "__proto__" is read as an object's prototype, and is never sent`,
      });
    }
    // REST named it before: no field of the route's
    const rest = await call('/api/prior-work', { raw: '{"__proto__":{"title":"x"},"title":"Retry guidance"}' });
    expect(rest.status).toBe(422);
    expect(JSON.parse(rest.text).errors).toEqual([
      { field: '__proto__', rule: expect.stringContaining('not a field') },
    ]);
    // as text or a value it is anyone's
    const fine = await mcp(
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search","arguments":{"q":"__proto__"}}}',
    );
    expect(fine.status).toBe(200);
  });

  it('a JSON key given twice in one object is refused naming it, on REST and MCP (round 14): the last was kept without a word, so a proxy or log reading the first saw another request than the hub served', async () => {
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    const before = (await call(`/api/proposals/${ref}/comments?limit=200`)).text;
    const rule = 'is given twice in one object; each key is given once';
    for (const [raw, field] of [
      ['{"body":"A harmless comment to show","body":"what was kept instead"}', 'body'],
      ['{"body":"A harmless comment","\\u0062ody":"spelt with an escape"}', 'body'],
    ] as const) {
      const r = await call(`/api/proposals/${ref}/comments`, { who: 'amara', raw });
      expect(r.status, raw).toBe(422);
      expect(JSON.parse(r.text).errors).toEqual([{ field, rule }]);
    }
    // a nested key is named by its path; the same key in two objects, or as a value, is fine
    const nested = await call('/api/prior-work', {
      raw: '{"title":"Retry guidance","links":[{"a":1},{"a":1,"a":2}]}',
    });
    expect(JSON.parse(nested.text).errors).toEqual([{ field: 'links[1].a', rule }]);
    expect((await call(`/api/proposals/${ref}/comments?limit=200`)).text).toBe(before);
    const fine = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      raw: '{"body":"body, \\"body\\": twice as text"}',
    });
    expect(fine.status).toBe(201);
    // MCP: an invalid request naming it (the JSON parses; it is read wrongly), before the SDK keeps one of the two
    const r = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${tokens.amara}`,
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_person","arguments":{"handle":"amara","handle":"priya"}}}',
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error).toEqual({
      code: -32600,
      message: 'Invalid Request: the body names params.arguments.handle twice in one object; each key is given once',
    });
    // a key of any length or characters is named at most 100 characters long, controls and overrides escaped
    const odd = `\u202e${'k'.repeat(5000)}`;
    const long = await call(`/api/proposals/${ref}/comments`, {
      who: 'amara',
      raw: `{"body":"A harmless comment","${odd}":1,"${odd}":2}`,
    });
    expect(long.status).toBe(422);
    expect(JSON.parse(long.text).errors).toEqual([{ field: `\\u202e${'k'.repeat(99)}…`, rule }]);
  });

  it('a REST body must be sent as application/json, UTF-8: any other type is a 415 naming the rule and writes nothing (round 15): text/plain, a form or a Latin-1 charset were read as JSON all the same', async () => {
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    const before = (await call(`/api/proposals/${ref}/comments?limit=200`)).text;
    const raw = JSON.stringify({ body: 'Sent as another type' });
    for (const [type, sent] of [
      ['text/plain', 'text/plain was sent'],
      ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded was sent'],
      ['application/merge-patch+json', 'application/merge-patch+json was sent'],
      ['application/json; charset=latin1', 'charset=latin1 was sent'],
      // the hub read the first, where a proxy or a log may read the last (attack round 21)
      ['application/json; charset=utf-8; charset=latin1', 'charset was named 2 times'],
      ['text/plain\u00e9; x', 'another was sent'],
    ] as const) {
      const r = await call(`/api/proposals/${ref}/comments`, { who: 'amara', raw, headers: { 'content-type': type } });
      expect(r.status, type).toBe(415);
      const rule = `must be application/json (UTF-8) for a request with a body; ${sent}`;
      expect(JSON.parse(r.text).errors, type).toEqual([{ field: 'Content-Type', rule }]);
    }
    // none at all (fetch would say text/plain for a string: bytes go without one)
    const none = await fetch(`${base}/api/proposals/${ref}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.amara}` },
      body: new TextEncoder().encode(raw),
    });
    expect(none.status).toBe(415);
    expect(none.headers.get('accept-post')).toBe('application/json');
    expect((await none.json()).errors[0].rule).toContain('none was sent');
    expect((await call(`/api/proposals/${ref}/comments?limit=200`)).text).toBe(before);
    // JSON's own type in any case, with UTF-8 named or not, is taken; a body-less write needs no type
    for (const type of ['application/json', 'Application/JSON; charset="UTF-8"'])
      expect(
        (await call(`/api/proposals/${ref}/comments`, { who: 'amara', raw, headers: { 'content-type': type } })).status,
      ).toBe(201);
    const join = await fetch(`${base}/api/groups/security/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.amara}` },
    });
    expect(join.status).not.toBe(415);
  });

  it('keys that are no field are named ten at a time and the rest counted, on REST and MCP (round 15): 60,000 made-up keys were named each, over MCP with the tool fields after each, 6.4 MB and 3 s of the event loop', async () => {
    const keys = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, 1]));
    const ref = JSON.parse((await call('/api/proposals?group=hosting')).text).items[0].ref as string;
    const rest = await call(`/api/proposals/${ref}/comments`, { who: 'amara', body: { body: 'Hello there', ...keys } });
    expect(rest.status).toBe(422);
    expect(rest.text.length).toBeLessThan(1_000);
    expect(JSON.parse(rest.text).errors).toEqual([
      {
        field: Array.from({ length: 10 }, (_, i) => `k${i}`).join(', '),
        rule: 'is not a field here; 59,990 more keys sent with them are no field either',
      },
    ]);
    const r = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${tokens.amara}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_person', arguments: { handle: 'amara', [`\u202e${'x'.repeat(300)}`]: 1, ...keys } },
      }),
    });
    const text = await r.text();
    expect(text.length).toBeLessThan(3_000);
    expect(text).toContain(
      `\\\\u202e${'x'.repeat(99)}…: is not a field here; the fields are handle\\n  - k0: is not a field here\\n`,
    );
    expect(text).toContain('k8: is not a field here; 59,991 more keys sent with them are no field either');
  });

  it("a request Node's parser refuses (a query past its header size, a request line that is not HTTP) is answered naming the rule (round 15): it was a bare 431 or 400 with no body", async () => {
    const long = await fetch(`${base}/api/search?q=a&z=${'x'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    expect(long.headers.get('content-type')).toBe('application/problem+json');
    expect((await long.json()).detail).toMatch(/^the request line and headers together may be at most \d+ bytes/);
    const { connect } = await import('node:net');
    const raw = await new Promise<string>((resolve, reject) => {
      let got = '';
      const s = connect(Number(new URL(base).port), '127.0.0.1', () =>
        s.write('GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      s.on('data', (d) => (got += d))
        .on('end', () => resolve(got))
        .on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toContain('"detail":"the request is not well-formed HTTP/1.1');
    // the hub goes on serving
    expect((await call('/api/groups')).status).toBe(200);
  });

  it("what needs me, and the home, list a meeting's first five agenda items and count the rest (round 15): every item of every meeting was listed, so a lead's crowded agendas made each member's answer 4.9 MB", async () => {
    const lead = await asActor(hub, 'sam-lead');
    const m = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      title: 'Crowded agenda',
      kind: 'content',
      startsAt: new Date(hub.clock.now().getTime() + 2 * 86_400_000).toISOString(),
      durationMinutes: 30,
    });
    for (let i = 1; i <= 12; i++) await addAgendaItem(hub, lead, m.ref, { title: `Crowded item ${i}` });
    const needs = JSON.parse((await call('/api/me/needs', { who: 'sam-lead' })).text) as {
      items: { ref: string; asked: string }[];
    };
    const asked = needs.items.find((n) => n.ref === m.ref)!.asked;
    expect(asked).toContain('Crowded item 5; and 7 more items on its page');
    expect(asked).not.toContain('Crowded item 6');
  });
});
