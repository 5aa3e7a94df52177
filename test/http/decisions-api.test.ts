import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('decisions over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const call = (method: string, path: string, who?: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        ...(who ? { Authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
    const lead = await person(hub, 'lead', { role: 'member', org: 'Acme' });
    await person(hub, 'bo', { org: 'Nebula' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    for (const h of ['lead', 'bo']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
  });
  afterEach(async () => hub?.close());

  it('the decision says who was told and warns while a member whose silence counts has not been reached', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    await call('POST', '/api/decisions', 'lead', {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
    const before = await (await call('GET', '/api/decisions/D-1')).json();
    expect(before.notified).toEqual({
      told: [
        {
          handle: 'bo',
          // the name beside the handle, added for pages that show people by name (no field renamed)
          name: 'Bo',
          kind: 'decision-opened',
          // the notice's title, and whose block it was for a block notice (none here)
          title: 'D-1 opened: Meet fortnightly from April?',
          by: null,
          at: '2026-03-02T12:00:00.000Z',
          lastAt: '2026-03-02T12:00:00.000Z',
          how: 'inbox',
          mail: null,
          mailedAt: null,
          openedAt: null,
        },
      ],
      silent: ['bo'],
      // the same members by name too, for pages that show people by name (silent itself unchanged)
      silentPeople: [{ handle: 'bo', name: 'Bo' }],
      unreached: [{ handle: 'bo', name: 'Bo', why: 'told only in the inbox (no mail) and never opened it' }],
      // bo has no mail address: a facilitator sees his silence cannot have been informed by mail
      notMailable: [{ handle: 'bo', name: 'Bo', why: 'not reachable by mail: no mail address on record' }],
      // told when it opened, days before the deadline: informed in time, so his silence counts
      uncounted: [],
      silenceWarning:
        'Silence will count as consent at the deadline, yet the news has not reached 1 member whose voice counts: Bo (@bo).',
      // members whose answer counts there are: nothing to say of a decision no one's answer counts in
      nobodyCounts: null,
    });
    hub.clock.set('2026-03-02T15:30:00Z');
    expect((await call('POST', '/api/me/notifications/read', 'bo', {})).status).toBe(200);
    const after = await (await call('GET', '/api/decisions/D-1')).json();
    expect(after.notified.told[0].openedAt).toBe('2026-03-02T15:30:00.000Z');
    expect(after.notified.unreached).toEqual([]);
    expect(after.notified.silenceWarning).toBeNull();
    // reached, yet still silent: the one a facilitator may still ask before the deadline
    expect(after.notified.silent).toEqual(['bo']);
    expect(after.notified.notMailable).toEqual(before.notified.notMailable);
  });

  it('lists the decisions about a proposal (subject), and the proposal names those open on it with their phase', async () => {
    const created = await call('POST', '/api/proposals', 'lead', {
      title: 'Retry guidance for clients',
      problem: 'Clients retry differently when a gateway drops the connection.',
      examples: ['A nightly restart duplicated a tool call'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    const { ref } = await created.json();
    for (const subject of [{ type: 'proposal', ref }, { type: 'process' }])
      await call('POST', '/api/decisions', 'lead', {
        group: 'hosting',
        subject,
        question: `Decide on ${subject.type} matters this month?`,
        significance: 'minor',
      });
    const about = await (await call('GET', `/api/decisions?subject=${ref}`)).json();
    expect(about.items.map((d: { ref: string }) => d.ref)).toEqual(['D-1']);
    expect(
      (await (await call('GET', '/api/decisions?subject=process')).json()).items.map((d: { ref: string }) => d.ref),
    ).toEqual(['D-2']);
    const missing = await call('GET', '/api/decisions?subject=P-99');
    expect(missing.status).toBe(404);
    expect((await missing.json()).detail).toBe("proposal 'P-99' does not exist");
    const p = await (await call('GET', `/api/proposals/${ref}`)).json();
    expect(p.openDecisions).toEqual([
      {
        ref: 'D-1',
        question: 'Decide on proposal matters this month?',
        phase: 'lazy-consensus',
        closesAt: expect.any(String),
        // where it stands, and what this reader (a visitor) may do: sign in to answer
        responses: { consent: 0, concern: 0, block: 0 },
        votes: null,
        yours: null,
        can: expect.objectContaining({ respond: expect.objectContaining({ allowed: false, remedy: 'sign-in' }) }),
      },
    ]);
    expect(p.openDecisionsMore).toBe(false);
    // read again on every read: the deadline passing with no objection closes it, before any event says so
    hub.clock.set('2026-04-30T00:00:00Z');
    expect((await (await call('GET', `/api/proposals/${ref}`)).json()).openDecisions).toEqual([]);
  });

  it('in a vote, those who have not voted are listed, the opener too; a response before the vote is no vote', async () => {
    await call('POST', '/api/decisions', 'lead', {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
    // under lazy consensus, opening it is the opener's answer; bo's consent answers it
    expect((await call('POST', '/api/decisions/D-1/responses', 'bo', { kind: 'consent' })).status).toBe(200);
    expect((await (await call('GET', '/api/decisions/D-1')).json()).notified.silent).toEqual([]);
    expect((await call('POST', '/api/decisions/D-1/vote-requests', 'lead', {})).status).toBe(200);
    // in the vote silence is not consent: nobody has voted yet, the lead who opened it neither
    expect((await (await call('GET', '/api/decisions/D-1')).json()).notified.silent).toEqual(['bo', 'lead']);
    expect((await call('POST', '/api/decisions/D-1/votes', 'bo', { choice: 'yes' })).status).toBe(200);
    const voted = await (await call('GET', '/api/decisions/D-1')).json();
    expect(voted.state.phase).toBe('vote');
    expect(voted.notified.silent).toEqual(['lead']);
    expect(voted.notified.silentPeople).toEqual([{ handle: 'lead', name: expect.any(String) }]);
    expect((await call('POST', '/api/decisions/D-1/votes', 'lead', { choice: 'yes' })).status).toBe(200);
    const all = await (await call('GET', '/api/decisions/D-1')).json();
    expect(all.notified.silent).toEqual([]);
    expect(all.notified.notMailable).toEqual([]);
  });

  it('a decision opened by mistake is withdrawn by its lead with a reason: 403 in words to a member, 422 naming reason', async () => {
    await call('POST', '/api/decisions', 'lead', {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
    const forbidden = await call('POST', '/api/decisions/D-1/withdraw', 'bo', { reason: 'I do not like it' });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).detail).toBe('Only whoever opened it or a group lead may withdraw this decision');
    const noReason = await call('POST', '/api/decisions/D-1/withdraw', 'lead', { reason: '' });
    expect(noReason.status).toBe(422);
    expect((await noReason.json()).errors).toEqual([
      { field: 'reason', rule: 'must say why it is withdrawn (e.g. a duplicate of D-3, or the wrong question)' },
    ]);
    expect((await call('POST', '/api/decisions/D-1/withdraw', undefined, { reason: 'x' })).status).toBe(401);
    const ok = await call('POST', '/api/decisions/D-1/withdraw', 'lead', { reason: 'A duplicate of the charter one' });
    expect(ok.status).toBe(200);
    const d = await ok.json();
    expect(d.state).toMatchObject({ phase: 'closed', outcome: 'withdrawn' });
    expect(d.state.why).toEqual(['withdrawn by lead at 2026-03-02T12:00:00.000Z: A duplicate of the charter one']);
    expect(d.can.withdraw).toEqual({
      allowed: false,
      reason: 'The decision is already withdrawn by @lead at 2026-03-02T12:00:00.000Z',
    });
    // a second click: already as asked, naming who and when, not 403 or the stale-version remedy
    const again = await call('POST', '/api/decisions/D-1/withdraw', 'lead', {
      reason: 'A duplicate of the charter one',
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      title: 'Already as asked',
      rule: 'already-as-asked',
      detail: 'The decision is already withdrawn by @lead at 2026-03-02T12:00:00.000Z: it is already so, nothing to do',
    });
    // lists count it as closed, with its outcome
    const closed = await (await call('GET', '/api/decisions?open=false')).json();
    expect(closed.items).toEqual([expect.objectContaining({ ref: 'D-1', phase: 'closed', outcome: 'withdrawn' })]);
    const doc = await (await call('GET', '/api/openapi.json')).json();
    expect(
      doc.paths['/api/decisions/{ref}/withdraw'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['reason']);
  });

  it('a lead extends a decision from the ETag they read: 428 without If-Match, 409 when stale, 403 in words to a member', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    await call('POST', '/api/decisions', 'lead', {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
    const read = await call('GET', '/api/decisions/D-1', 'lead');
    expect(read.headers.get('etag')).toMatch(/^"v1-[0-9a-f]{16}"$/);
    expect((await read.json()).can.extend).toEqual({ allowed: true });
    const extend = (who: string, ifMatch: string | null, body: unknown) =>
      app.request('/api/decisions/D-1/extend', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${tokens[who]}`,
          'Content-Type': 'application/json',
          ...(ifMatch ? { 'If-Match': ifMatch } : {}),
        },
        body: JSON.stringify(body),
      });
    const body = { deadline: '2026-03-10T12:00:00Z', reason: 'Bo was not reached: his mail bounced' };
    const forbidden = await extend('bo', '"v1"', body);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).detail).toBe(
      "Only whoever opened it or a group lead may extend this decision's deadline",
    );
    expect((await extend('lead', null, body)).status).toBe(428);
    const earlier = await extend('lead', '"v1"', { ...body, deadline: '2026-03-06T12:00:00Z' });
    expect(earlier.status).toBe(422);
    expect((await earlier.json()).errors).toEqual([
      {
        field: 'deadline',
        rule: 'must be later than the current deadline (2026-03-07T12:00:00.000Z): an extension gives more time, never less',
      },
    ]);
    const ok = await extend('lead', '"v1"', body);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toMatch(/^"v2-[0-9a-f]{16}"$/);
    expect(await ok.json()).toMatchObject({ deadline: '2026-03-10T12:00:00.000Z', version: 2 });
    const stale = await extend('lead', '"v1"', { ...body, deadline: '2026-03-11T12:00:00Z' });
    expect(stale.status).toBe(409);
    expect((await (await call('GET', '/api/decisions/D-1')).json()).deadline).toBe('2026-03-10T12:00:00.000Z');
    // bo, a member whose voice counts, is told the new deadline and why
    const inbox = await (await call('GET', '/api/me/notifications', 'bo')).json();
    expect(inbox.items[0]).toMatchObject({ kind: 'decision-extended', subject: { ref: 'D-1' } });
    expect(inbox.items[0].detail).toMatch(/^Extended by .*: Bo was not reached: his mail bounced\. · Now answer by /);
    const doc = await (await call('GET', '/api/openapi.json')).json();
    expect(
      doc.paths['/api/decisions/{ref}/extend'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['reason']);
    // or by hours, as JSON numbers: text is refused naming the field
    const asText = await extend('lead', '"v2"', { hours: '24', reason: body.reason });
    expect(asText.status).toBe(422);
    expect((await asText.json()).errors).toEqual([
      { field: 'hours', rule: 'must be a JSON number, without quotes ("24" is text)' },
    ]);
    const byHours = await extend('lead', '"v2"', { hours: 24, reason: body.reason });
    expect(byHours.status).toBe(200);
    expect(await byHours.json()).toMatchObject({ deadline: '2026-03-11T12:00:00.000Z', version: 3 });
  });

  it('open, block without an alternative (422 naming the field), block properly, and read the computed state', async () => {
    const opened = await call('POST', '/api/decisions', 'lead', {
      group: 'hosting',
      subject: { type: 'charter' },
      question: 'Widen the scope to edge hosting?',
      significance: 'significant',
      matter: 'scope-change',
    });
    expect(opened.status).toBe(201);
    expect((await opened.json()).deadline).toBe('2026-03-12T12:00:00.000Z');
    const bad = await call('POST', '/api/decisions/D-1/responses', 'bo', { kind: 'block', reason: 'Too broad' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([
      {
        field: 'alternative',
        rule: 'a block must propose an alternative or clear criteria for resolution',
      },
      {
        field: 'resolutionCriteria',
        rule: 'a block must give clear criteria for resolution or propose an alternative',
      },
    ]);
    const ok = await call('POST', '/api/decisions/D-1/responses', 'bo', {
      kind: 'block',
      reason: 'Too broad',
      resolutionCriteria: 'A separate topic area with its own facilitator',
    });
    const d = await ok.json();
    expect(d.state.standingBlocks).toEqual([expect.objectContaining({ handle: 'bo' })]);
    expect(d.tally).toMatchObject({ raw: { block: 1 }, weighted: { block: 1 } });
    const needing = await (await call('GET', '/api/decisions?needing=lead&open=true')).json();
    expect(needing.items.map((x: { ref: string }) => x.ref)).toEqual(['D-1']);
    const doc = await (await call('GET', '/api/openapi.json')).json();
    expect(
      doc.paths['/api/decisions/{ref}/responses'].post.requestBody.content['application/json'].schema.properties.kind
        .enum,
    ).toEqual(['consent', 'concern', 'block']);
  });
});
