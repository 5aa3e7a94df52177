// What attack round 32 found, on both databases: a U+0000 reached PostgreSQL, which cannot compare it,
// from an MCP resource's address (wghub://groups/%00/charter) and a completion's argument, answered as
// internal errors quoting the database where SQLite said "does not exist" or offered nothing; and from
// the group of a refused new-proposal form, whose page then lost the person's text to a database error
// where SQLite named the field; and from a signed GitHub delivery whose action or repository name
// held an escaped U+0000, a 500 on PostgreSQL with the delivery lost, stored as sent on SQLite. A search
// for a word left out and nothing else (`-hosting`) answered every other document on PostgreSQL and none
// on SQLite; "- hosting", a dash and a space, left Hosting out on PostgreSQL and asked for it on SQLite.
// The decisions page dropped a state filter it does not take (?open=maybe) unseen, where REST names it.
import { createHmac } from 'node:crypto';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { createWghubMcpServer } from '../../src/mcp/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { setEnv } from '../support/env.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('attack round 32 on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openDemoHub(database);
  });
  afterEach(async () => hub?.close());

  const mcp = async () => {
    const client = new Client({ name: 'attacker', version: '1' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await createWghubMcpServer(hub, { actor: await asActor(hub, 'sam-lead') }).connect(a);
    await client.connect(b);
    return client;
  };
  const refusal = async (read: Promise<unknown>) => {
    try {
      await read;
    } catch (e) {
      return { code: (e as { code?: number }).code, message: (e as Error).message };
    }
    return null;
  };

  it('a resource address holding a control character, written or %-escaped, is refused naming its variable, not an internal error', async () => {
    const client = await mcp();
    try {
      for (const [uri, name] of [
        ['wghub://groups/%00/charter', 'slug'],
        ['wghub://groups/host%00ing/charter', 'slug'],
        ['wghub://proposals/P-1%00', 'ref'],
        ['wghub://meetings/M-1%00/agenda', 'ref'],
        ['wghub://groups/ho%07sting/charter', 'slug'],
      ] as const) {
        const r = await refusal(client.readResource({ uri }));
        expect(r, uri).toMatchObject({ code: -32602 });
        expect(r!.message, uri).toContain(`${name}: must not contain control or invisible formatting characters (U+00`);
        expect(r!.message, uri).not.toMatch(/byte sequence|UTF8/);
      }
      // what names a group or a proposal still reads it
      const charter = await client.readResource({ uri: 'wghub://groups/%68osting/charter' });
      expect(charter.contents[0]).toMatchObject({ mimeType: 'text/markdown' });
    } finally {
      await client.close();
    }
  });

  it('a group slug to complete holding a character no slug holds is offered nothing, not an internal error', async () => {
    const client = await mcp();
    try {
      for (const ref of [
        { type: 'ref/resource', uri: 'wghub://groups/{slug}/charter' },
        { type: 'ref/prompt', name: 'draft_proposal' },
      ] as const)
        for (const value of ['\u0000', 'ho\u0000', '\u212Aa', 'h_s', 'ho%']) {
          const done = await client.complete({
            ref,
            argument: { name: ref.type === 'ref/prompt' ? 'group' : 'slug', value },
          });
          expect(done.completion.values, JSON.stringify(value)).toEqual([]);
        }
      // a slug typed with capitals is still completed, as every edge reads it
      const done = await client.complete({
        ref: { type: 'ref/resource', uri: 'wghub://groups/{slug}/charter' },
        argument: { name: 'slug', value: 'HO' },
      });
      expect(done.completion.values).toEqual(['hosting']);
    } finally {
      await client.close();
    }
  });

  it('a new-proposal form whose group holds U+0000 is sent back naming the group, the text kept, nothing stored', async () => {
    const app = createHttpApp(hub, undefined, { web: demo });
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/proposals/new');
    const before = (await hub.store.db.selectFrom('proposals').select('id').execute()).length;
    const res = await sam.post('/proposals/new', {
      title: 'Session affinity for hosted servers',
      problem: 'Hosted servers lose their sessions when a load balancer moves a client to another node.',
      layer: 'specification',
      group: 'host\u0000ing',
    });
    expect(res.status).toBe(422);
    const text = pageText(res.html);
    expect(text).toContain('Group (optional): must be letters, digits and single hyphens');
    expect(text).not.toContain('cannot store');
    expect(res.html).toContain(
      'Hosted servers lose their sessions when a load balancer moves a client to another node.',
    );
    expect((await hub.store.db.selectFrom('proposals').select('id').execute()).length).toBe(before);
  });

  it('a signed delivery whose action or repository name holds an escaped U+0000 is taken 202 and stored with U+FFFD in its place, as its text is', async () => {
    const secret = 'round-32-webhook-secret';
    const restore = setEnv({ WGHUB_GITHUB_WEBHOOK_SECRET: secret });
    let app: ReturnType<typeof createHttpApp>;
    try {
      app = createHttpApp(hub, undefined, { web: demo });
    } finally {
      restore();
    }
    const deliver = (id: string, body: string) =>
      app.request('http://localhost/github/webhooks', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': id,
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
        body,
      });
    for (const [id, body] of [
      ['nul-action', '{"action":"op\\u0000ened","repository":{"full_name":"acme/spec"}}'],
      ['nul-repo', '{"action":"opened","repository":{"full_name":"acme/sp\\u0000ec"}}'],
    ] as const) {
      const res = await deliver(id, body);
      expect(res.status, id).toBe(202);
      expect(await res.json(), id).toEqual({ delivery: id, duplicate: false });
      // sent again, it is the one delivery
      expect(await (await deliver(id, body)).json(), id).toEqual({ delivery: id, duplicate: true });
    }
    const rows = await hub.store.db
      .selectFrom('github_deliveries')
      .select(['id', 'action', 'repo'])
      .where('id', 'in', ['nul-action', 'nul-repo'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'nul-action', action: 'op\ufffdened', repo: 'acme/spec' },
      { id: 'nul-repo', action: 'opened', repo: 'acme/sp\ufffdec' },
    ]);
  });

  it('a search asking only to leave words out finds nothing on either database, and a dash standing alone leaves nothing out', async () => {
    const app = createHttpApp(hub, undefined, { web: demo });
    const refs = async (q: string) => {
      const res = await app.request(`http://localhost/api/search?${new URLSearchParams({ q })}`);
      expect(res.status, q).toBe(200);
      return ((await res.json()) as { items: { ref: string }[] }).items.map((i) => i.ref);
    };
    for (const q of ['-hosting', '-security', '-hosting -security', '-"working group"'])
      expect(await refs(q), q).toEqual([]);
    // what it held on PostgreSQL: the documents without the word, which the same search holds when it asks for one
    expect(await refs('security -hosting')).toContain('charter:security');
    expect(await refs('security -hosting')).not.toContain('charter:hosting');
    expect(await refs('hosting')).toContain('charter:hosting');
    // a "-" before a space or a bracket leaves nothing out: PostgreSQL read it as leaving out the word after it
    for (const q of ['- hosting', '-(hosting)', 'hosting -.charter', 'hosting - charter'])
      expect(await refs(q), q).toContain('charter:hosting');
    // `or` is not a word to find, nor an OR, and words that are all stop words ask for nothing: on
    // PostgreSQL `security or -hosting` and `the -hosting` found every document without Hosting
    // (PostgreSQL finds no "the", SQLite does: each finds among what it finds for the word alone)
    const withThe = await refs('the');
    for (const ref of await refs('the -hosting')) expect(withThe).toContain(ref);
    expect(await refs('security or -hosting')).toEqual(await refs('security -hosting'));
    expect(await refs('security OR hosting')).toEqual(await refs('security hosting'));
  });

  it("the decisions page's state filter given a value it does not take names it, as REST does, not the whole list under 'Open and closed'", async () => {
    const app = createHttpApp(hub, undefined, { web: demo });
    const sam = await signInAs(app, 'sam-lead');
    for (const open of ['maybe', 'TRUE', '1']) {
      const page = await sam.get(`/decisions?open=${open}`);
      expect(page.status, open).toBe(422);
      expect(pageText(page.html), open).toContain('State: must be one of: true, false');
      const rest = await app.request(`http://localhost/api/decisions?open=${open}`);
      expect(rest.status, open).toBe(422);
    }
    // the values it offers still filter
    for (const open of ['true', 'false', '']) expect((await sam.get(`/decisions?open=${open}`)).status, open).toBe(200);
  });
});
