// Fuzz round 7: lists one person could grow without end, each read whole by every view of what
// holds them. Action items and recorded decisions on a meeting, one person's responses to a decision,
// one person's evidence on a proposal and one person's unrevoked tokens are bounded
// (src/domain/limits.ts): one more is a 422 naming the field and the rule, and nothing is stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { addActionItem } from '../../src/app/meetings/outcomes.ts';
import { personRow } from '../../src/app/people/people.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('bounded lists on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const call = async (method: string, path: string, who: string, body?: unknown) => {
    const r = await app.request(path, {
      method,
      headers: { Authorization: `Bearer ${tokens[who]}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: await r.json() };
  };
  const at = () => new Date().toISOString();

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    app = createHttpApp(hub);
    const lead = await person(hub, 'lead', { role: 'member' });
    await person(hub, 'bo');
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'member' });
    for (const h of ['lead', 'bo']) {
      tokens[h] = (await createToken(hub, SYSTEM, h)).token;
      ids[h] = (
        await hub.store.db.selectFrom('people').select('id').where('handle', '=', h).executeTakeFirstOrThrow()
      ).id;
    }
  });
  afterEach(async () => hub?.close());

  /** One more than the bound: a 422 naming `field` with the rule, and the table as it was. */
  async function refused(
    table:
      | 'meeting_actions'
      | 'meeting_decisions'
      | 'decision_responses'
      | 'decision_votes'
      | 'proposal_evidence'
      | 'api_tokens',
    send: () => ReturnType<typeof call>,
    field: string,
    rule: RegExp,
  ) {
    const count = async () => (await hub.store.db.selectFrom(table).select('id').execute()).length;
    const before = await count();
    const r = await send();
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.errors).toEqual([{ field, rule: expect.stringMatching(rule) }]);
    expect(await count()).toBe(before);
  }

  it('a meeting keeps at most so many action items and recorded decisions', async () => {
    const m = await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'process',
      title: 'Planning',
      startsAt: '2026-03-20T15:00:00Z',
    });
    const meeting = await hub.store.db.selectFrom('meetings').select('id').executeTakeFirstOrThrow();
    await hub.store.db
      .insertInto('meeting_actions')
      .values(
        Array.from({ length: LIMITS.actionItems }, (_, i) => ({
          id: `a-${i}`,
          meeting_id: meeting.id,
          owner_id: ids.bo!,
          description: `Action ${i}`,
          due_date: '2026-04-01',
          done_at: null,
          created_at: at(),
        })),
      )
      .execute();
    await refused(
      'meeting_actions',
      () =>
        call('POST', `/api/meetings/${m.body.ref}/actions`, 'lead', {
          owner: 'bo',
          description: 'One more',
          due: '2026-04-01',
        }),
      'description',
      /has 300 action items, as many as one meeting keeps/,
    );
    hub.clock.advance(20 * 86_400_000); // outcomes are recorded once the meeting has started
    await hub.store.db
      .insertInto('meeting_decisions')
      .values(
        Array.from({ length: LIMITS.meetingDecisions }, (_, i) => ({
          id: `d-${i}`,
          meeting_id: meeting.id,
          summary: `Decided ${i}`,
          decision_ref: null,
          recorded_by: 'lead',
          recorded_at: at(),
        })),
      )
      .execute();
    await refused(
      'meeting_decisions',
      () => call('POST', `/api/meetings/${m.body.ref}/decisions`, 'lead', { summary: 'One more thing decided' }),
      'summary',
      /has 200 decisions recorded, as many as one meeting keeps/,
    );
  });

  it('one person gives a decision at most so many responses, a proposal so much evidence, and holds so many tokens', async () => {
    const d = await call('POST', '/api/decisions', 'lead', {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Shall we meet weekly?',
      significance: 'minor',
    });
    expect(d.status).toBe(201);
    const decision = await hub.store.db.selectFrom('decisions').select('id').executeTakeFirstOrThrow();
    const respond = () => call('POST', `/api/decisions/${d.body.ref}/responses`, 'bo', { kind: 'consent' });
    const first = await respond();
    expect(first.status).toBe(200);
    await hub.store.db
      .insertInto('decision_responses')
      .values(
        Array.from({ length: LIMITS.responsesPerPerson - 1 }, (_, i) => ({
          id: `r-${i}`,
          decision_id: decision.id,
          person_id: ids.bo!,
          kind: 'consent',
          reason: null,
          alternative: null,
          resolution_criteria: null,
          amendment: null,
          organisation: null,
          eligible: 1,
          at: at(),
        })),
      )
      .execute();
    // the last response given again word for word is no new one: a retry at the bound is answered as
    // the first call was, not refused
    expect((await respond()).status).toBe(200);
    await refused(
      'decision_responses',
      () =>
        call('POST', `/api/decisions/${d.body.ref}/responses`, 'bo', {
          kind: 'concern',
          amendment: 'Meet fortnightly instead.',
        }),
      'kind',
      /responded to D-1 50 times, as often as one person may/,
    );
    // a vote called by a lead: one person's votes are bounded too (each changed vote is kept)
    expect((await call('POST', `/api/decisions/${d.body.ref}/vote-requests`, 'lead')).status).toBe(200);
    const vote = () => call('POST', `/api/decisions/${d.body.ref}/votes`, 'bo', { choice: 'yes' });
    expect((await vote()).status).toBe(200);
    await hub.store.db
      .insertInto('decision_votes')
      .values(
        Array.from({ length: LIMITS.votesPerPerson - 1 }, (_, i) => ({
          id: `v-${i}`,
          decision_id: decision.id,
          person_id: ids.bo!,
          choice: 'yes',
          rationale: null,
          organisation: null,
          eligible: 1,
          at: at(),
        })),
      )
      .execute();
    await refused('decision_votes', vote, 'choice', /voted on D-1 50 times, as often as one person may/);

    const p = await call('POST', '/api/proposals', 'bo', {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    const proposal = await hub.store.db.selectFrom('proposals').select('id').executeTakeFirstOrThrow();
    await hub.store.db
      .insertInto('proposal_evidence')
      .values(
        Array.from({ length: LIMITS.evidencePerPerson }, (_, i) => ({
          id: `e-${i}`,
          proposal_id: proposal.id,
          kind: 'other',
          description: `Seen in use ${i}`,
          url: null,
          organisation: null,
          sdk: null,
          added_by: ids.bo!,
          added_at: at(),
        })),
      )
      .execute();
    const evidence = { kind: 'community-use', description: 'Used by three hosts.' };
    await refused(
      'proposal_evidence',
      () => call('POST', `/api/proposals/${p.body.ref}/evidence`, 'bo', evidence),
      'description',
      /added evidence to P-1 50 times, as often as one person may/,
    );
    // another person's evidence is theirs to add
    expect((await call('POST', `/api/proposals/${p.body.ref}/evidence`, 'lead', evidence)).status).toBe(200);

    await hub.store.db
      .insertInto('api_tokens')
      .values(
        Array.from({ length: LIMITS.tokensPerPerson - 1 }, (_, i) => ({
          id: `t-${i}`,
          person_id: ids.bo!,
          token_hash: `hash-${i}`,
          label: 'api',
          created_at: at(),
          revoked_at: null,
          last_used_at: null,
        })),
      )
      .execute();
    await refused(
      'api_tokens',
      () => call('POST', '/api/people/bo/tokens', 'bo', { label: 'one more' }),
      'label',
      /@bo holds 100 tokens, as many as one person may: revoke one/,
    );
    // a revoked one makes room
    await hub.store.db.updateTable('api_tokens').set({ revoked_at: at() }).where('id', '=', 't-0').execute();
    expect((await call('POST', '/api/people/bo/tokens', 'bo', { label: 'one more' })).status).toBe(201);
  });
  it('requests sent at once cannot pass a bound together: one takes the last place, the others are refused', async () => {
    const m = await call('POST', '/api/meetings', 'lead', {
      group: 'hosting',
      kind: 'process',
      title: 'Planning',
      startsAt: '2026-03-20T15:00:00Z',
    });
    const meeting = await hub.store.db.selectFrom('meetings').select('id').executeTakeFirstOrThrow();
    await hub.store.db
      .insertInto('meeting_actions')
      .values(
        Array.from({ length: LIMITS.actionItems - 1 }, (_, i) => ({
          id: `a-${i}`,
          meeting_id: meeting.id,
          owner_id: ids.bo!,
          description: `Action ${i}`,
          due_date: '2026-04-01',
          done_at: null,
          created_at: at(),
        })),
      )
      .execute();
    // bo already holds the token made in beforeEach
    await hub.store.db
      .insertInto('api_tokens')
      .values(
        Array.from({ length: LIMITS.tokensPerPerson - 2 }, (_, i) => ({
          id: `t-${i}`,
          person_id: ids.bo!,
          token_hash: `hash-${i}`,
          label: 'api',
          created_at: at(),
          revoked_at: null,
          last_used_at: null,
        })),
      )
      .execute();
    // through the use cases: the HTTP edge lets one client have only two writes in flight, but
    // two clients, the CLI and MCP each reach them
    const lead: Actor = { kind: 'person', person: await personRow(hub.store.db, 'lead') };
    const outcomes = async (runs: Promise<unknown>[]) =>
      (await Promise.allSettled(runs)).map((r) => (r.status === 'fulfilled' ? 'stored' : String(r.reason))).sort();
    const refusal = (rule: RegExp) => expect.stringMatching(rule);
    expect(
      await outcomes(
        Array.from({ length: 6 }, (_, i) =>
          addActionItem(hub, lead, m.body.ref, { owner: 'bo', description: `At once ${i}`, due: '2026-04-01' }),
        ),
      ),
    ).toEqual([...Array(5).fill(refusal(/has 300 action items/)), 'stored']);
    expect(
      await outcomes(Array.from({ length: 6 }, (_, i) => createToken(hub, SYSTEM, 'bo', { label: `at once ${i}` }))),
    ).toEqual([...Array(5).fill(refusal(/@bo holds 100 tokens/)), 'stored']);
    const held = await hub.store.db
      .selectFrom('api_tokens')
      .select('id')
      .where('person_id', '=', ids.bo!)
      .where('revoked_at', 'is', null)
      .execute();
    expect(held).toHaveLength(LIMITS.tokensPerPerson);
    expect(await hub.store.db.selectFrom('meeting_actions').select('id').execute()).toHaveLength(LIMITS.actionItems);
  });
});
