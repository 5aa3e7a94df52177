// There was no way to ask to become a member. Open membership (the guide) lets anyone join as an
// observer or participant; the member level is granted by the leads, so a person now asks them and
// a lead accepts (the person becomes a member) or declines with a reason; on both databases,
// through the use cases and REST.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, record, SYSTEM } from '../../../src/app/core/hub.ts';
import { getGroupFor, joinGroup, placeInGroup } from '../../../src/app/groups/groups.ts';
import { groupHome } from '../../../src/app/groups/group-home.ts';
import { leaveGroup } from '../../../src/app/groups/leave-group.ts';
import {
  answerMembershipRequest,
  askToBeMember,
  listMembershipRequests,
  withdrawMembershipRequest,
} from '../../../src/app/groups/membership-requests.ts';
import { memberHome } from '../../../src/app/home/member-home.ts';
import { personRow } from '../../../src/app/people/people.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { Conflict, Forbidden, InvalidInput } from '../../../src/domain/errors.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('asking to become a member on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member' });
    await person(hub, 'bo');
    await person(hub, 'ada');
    await hostingGroup(hub, sam, 'sam');
  });
  afterEach(async () => hub?.close());

  it('a member whose standing lapsed is not sent to the leads: taking part again returns them', async () => {
    const sam = await asActor(hub, 'sam');
    const ada = await asActor(hub, 'ada');
    await placeInGroup(hub, sam, 'hosting', 'ada', { level: 'member' });
    expect((await getGroupFor(hub, 'hosting', ada)).can.askToBeMember).toEqual({
      allowed: false,
      reason: 'You are already a member of this group',
    });
    // past the governance file's inactivity days, an accepted request would change nothing
    hub.clock.advance((hub.governance.membership.inactivityDays + 1) * 86_400_000);
    expect((await getGroupFor(hub, 'hosting', ada)).can.askToBeMember).toEqual({
      allowed: false,
      reason: 'You are a member on emeritus standing: taking part again (a comment, a response) returns you',
    });
  });

  it('the same request sent twenty times at once: one is made, the others are told it was asked already', async () => {
    const bo = await asActor(hub, 'bo');
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    const all = await Promise.allSettled(Array.from({ length: 20 }, () => askToBeMember(hub, bo, 'hosting', {})));
    expect(all.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // the losers hear what a retry hears (403), not a bare "someone else made the same change" (409)
    const reasons = all.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    expect(reasons.every((e) => e instanceof Forbidden && /You have asked already/.test(e.message))).toBe(true);
    const rows = await hub.store.db.selectFrom('membership_requests').select('id').execute();
    expect(rows).toHaveLength(1);
  });

  it('a participant asks; the lead sees it in what needs them and accepts; the person is a member', async () => {
    const bo = await asActor(hub, 'bo');
    const sam = await asActor(hub, 'sam');
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    expect((await getGroupFor(hub, 'hosting', bo)).can.askToBeMember).toEqual({ allowed: true });
    const asked = await askToBeMember(hub, bo, 'hosting', { note: 'I run the Lagos cluster' });
    expect(asked).toMatchObject({ handle: 'bo', level: 'participant', answer: null, note: 'I run the Lagos cluster' });
    expect((await getGroupFor(hub, 'hosting', bo)).can.askToBeMember).toEqual({
      allowed: false,
      reason: "You have asked already: the group's leads will answer",
    });
    await expect(askToBeMember(hub, bo, 'hosting', {})).rejects.toThrow(Forbidden);

    // the lead's home and the group's attention list both say who waits
    const home = await memberHome(hub, await personRow(hub.store.db, 'sam'), null);
    expect(home.membershipRequests).toEqual([
      { group: 'hosting', groupName: 'Hosting', handle: 'bo', name: 'Bo', requestedAt: asked.requestedAt },
    ]);
    expect((await groupHome(hub, 'hosting')).attention.map((a) => `${a.what} ${a.ref}`)).toContain(
      'Asks to become a member Bo (@bo)',
    );
    // only those who may answer see the requests
    expect(await listMembershipRequests(hub, bo, 'hosting')).toEqual({
      items: [],
      can: { answer: expect.objectContaining({ allowed: false }) },
      yourRequest: expect.objectContaining({ id: asked.id, answer: null }),
    });
    expect((await listMembershipRequests(hub, sam, 'hosting')).items.map((r) => r.handle)).toEqual(['bo']);
    await expect(answerMembershipRequest(hub, bo, 'hosting', asked.id, { answer: 'accepted' })).rejects.toThrow(
      Forbidden,
    );

    const accepted = await answerMembershipRequest(hub, sam, 'hosting', asked.id, { answer: 'accepted' });
    expect(accepted).toMatchObject({ answer: 'accepted', answeredBy: 'sam', level: 'member' });
    const g = await getGroupFor(hub, 'hosting', bo);
    expect(g.members.find((m) => m.handle === 'bo')?.level).toBe('member');
    expect(g.can.askToBeMember).toEqual({ allowed: false, reason: 'You are already a member of this group' });
    expect((await listMembershipRequests(hub, sam, 'hosting')).items).toEqual([]);
    await expect(
      answerMembershipRequest(hub, sam, 'hosting', asked.id, { answer: 'declined', reason: 'No' }),
    ).rejects.toThrow(new Conflict('The request of Bo (@bo) was already accepted by Sam (@sam)'));
  });

  it('someone not in the group asks; a decline needs a reason, which they read; they may ask again later', async () => {
    const ada = await asActor(hub, 'ada');
    const sam = await asActor(hub, 'sam');
    const asked = await askToBeMember(hub, ada, 'hosting', {});
    expect(asked.level).toBeNull();
    const bare = answerMembershipRequest(hub, sam, 'hosting', asked.id, { answer: 'declined' });
    await expect(bare).rejects.toThrow(InvalidInput);
    await expect(bare).rejects.toThrow('reason: must say why the request is declined');
    const declined = await answerMembershipRequest(hub, sam, 'hosting', asked.id, {
      answer: 'declined',
      reason: 'Take part for a month first',
    });
    expect(declined).toMatchObject({ answer: 'declined', answerReason: 'Take part for a month first', level: null });
    expect((await getGroupFor(hub, 'hosting', ada)).members.some((m) => m.handle === 'ada')).toBe(false);
    // asking again waits the governance file's askAgainDays (30) after a decline
    expect((await getGroupFor(hub, 'hosting', ada)).can.askToBeMember).toEqual({
      allowed: false,
      reason: expect.stringMatching(
        /^The group's leads declined your last request; you may ask again from \d{4}-\d{2}-\d{2}$/,
      ),
    });
    hub.clock.advance(30 * 86_400_000 + 1);
    expect((await getGroupFor(hub, 'hosting', ada)).can.askToBeMember).toEqual({ allowed: true });
    // a visitor is asked to sign in first
    expect((await getGroupFor(hub, 'hosting', null)).can.askToBeMember).toEqual({
      allowed: false,
      reason: 'Sign in first',
      remedy: 'sign-in',
    });
  });

  it('the asker reads their own request: open, then declined with the day they may ask again', async () => {
    const ada = await asActor(hub, 'ada');
    const sam = await asActor(hub, 'sam');
    expect((await getGroupFor(hub, 'hosting', ada)).yourRequest).toBeNull();
    const asked = await askToBeMember(hub, ada, 'hosting', { note: 'Hello' });
    expect((await getGroupFor(hub, 'hosting', ada)).yourRequest).toMatchObject({
      id: asked.id,
      answer: null,
      note: 'Hello',
      requestedAt: '2026-03-02T12:00:00.000Z',
      askAgainFrom: null,
    });
    // the lead's view carries the lead's own request (none), not the asker's
    expect((await getGroupFor(hub, 'hosting', sam)).yourRequest).toBeNull();
    expect((await listMembershipRequests(hub, ada, 'hosting')).yourRequest).toMatchObject({
      id: asked.id,
      answer: null,
    });
    await answerMembershipRequest(hub, sam, 'hosting', asked.id, { answer: 'declined', reason: 'Not yet' });
    expect((await getGroupFor(hub, 'hosting', ada)).yourRequest).toMatchObject({
      answer: 'declined',
      answerReason: 'Not yet',
      answeredBy: 'sam',
      askAgainFrom: '2026-04-01',
    });
    hub.clock.advance(31 * 86_400_000);
    expect((await getGroupFor(hub, 'hosting', ada)).yourRequest).toMatchObject({
      answer: 'declined',
      askAgainFrom: null,
    });
  });

  it('the asker withdraws an open request: nobody else may, and they may ask again at once', async () => {
    const ada = await asActor(hub, 'ada');
    const sam = await asActor(hub, 'sam');
    const asked = await askToBeMember(hub, ada, 'hosting', {});
    // a lead (who may answer it) cannot take it back for them, nor can the hub's operator
    expect((await getGroupFor(hub, 'hosting', sam)).can.withdrawMembershipRequest).toEqual({
      allowed: false,
      reason: 'You have no open request to become a member of this group',
    });
    await expect(withdrawMembershipRequest(hub, sam, 'hosting')).rejects.toThrow(Forbidden);
    await expect(withdrawMembershipRequest(hub, SYSTEM, 'hosting')).rejects.toThrow(
      'Withdrawing a request to become a member is done by the person who asked: act as one with --as HANDLE',
    );
    expect((await getGroupFor(hub, 'hosting', ada)).can.withdrawMembershipRequest).toEqual({ allowed: true });
    const withdrawn = await withdrawMembershipRequest(hub, ada, 'hosting');
    expect(withdrawn).toMatchObject({ id: asked.id, answer: 'withdrawn', answeredBy: 'ada', askAgainFrom: null });
    expect((await listMembershipRequests(hub, sam, 'hosting')).items).toEqual([]);
    await expect(answerMembershipRequest(hub, sam, 'hosting', asked.id, { answer: 'accepted' })).rejects.toThrow(
      Conflict,
    );
    await expect(withdrawMembershipRequest(hub, ada, 'hosting')).rejects.toThrow(
      'You have no open request to become a member of this group',
    );
    // no decline: no wait before asking again
    const g = await getGroupFor(hub, 'hosting', ada);
    expect([g.can.askToBeMember, g.yourRequest?.answer]).toEqual([{ allowed: true }, 'withdrawn']);
    expect((await askToBeMember(hub, ada, 'hosting', {})).answer).toBeNull();
  });

  it('the asker reads their newest request however often they asked and withdrew before', async () => {
    const ada = await asActor(hub, 'ada');
    const adaId = ada.kind === 'person' ? ada.person.id : '';
    const hosting = await hub.store.db
      .selectFrom('groups')
      .select('id')
      .where('slug', '=', 'hosting')
      .executeTakeFirstOrThrow();
    await hub.store.db
      .insertInto('membership_requests')
      .values(
        Array.from({ length: 200 }, (_, i) => ({
          id: `old-${String(i).padStart(3, '0')}`,
          group_id: hosting.id,
          person_id: adaId,
          note: '',
          requested_at: new Date(Date.parse('2025-06-01T00:00:00Z') + i * 60_000).toISOString(),
          answer: 'withdrawn' as const,
          answer_reason: null,
          answered_by: adaId,
          answered_at: new Date(Date.parse('2025-06-01T00:00:30Z') + i * 60_000).toISOString(),
        })),
      )
      .execute();
    const asked = await askToBeMember(hub, ada, 'hosting', {});
    expect(asked.answer).toBeNull();
    expect((await getGroupFor(hub, 'hosting', ada)).yourRequest).toMatchObject({ id: asked.id, answer: null });
  });

  it('made a member directly by a lead, or leaving the group, closes an open request: the leads see none stale', async () => {
    const ada = await asActor(hub, 'ada');
    const bo = await asActor(hub, 'bo');
    const sam = await asActor(hub, 'sam');
    await askToBeMember(hub, ada, 'hosting', { note: 'I run the gateway tests' });
    await placeInGroup(hub, sam, 'hosting', 'ada', { level: 'member' });
    expect((await listMembershipRequests(hub, sam, 'hosting')).items).toEqual([]);
    expect((await getGroupFor(hub, 'hosting', ada)).yourRequest).toMatchObject({
      answer: 'accepted',
      answeredBy: 'sam',
    });
    expect((await memberHome(hub, await personRow(hub.store.db, 'sam'), null)).membershipRequests).toEqual([]);
    expect((await groupHome(hub, 'hosting')).attention.map((a) => a.what)).not.toContain('Asks to become a member');

    // a participant who asked and then leaves the group no longer asks
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    await askToBeMember(hub, bo, 'hosting', {});
    await leaveGroup(hub, bo, 'hosting');
    expect((await listMembershipRequests(hub, sam, 'hosting')).items).toEqual([]);
    expect((await getGroupFor(hub, 'hosting', bo)).yourRequest).toMatchObject({
      answer: 'withdrawn',
      answeredBy: 'bo',
    });
    // set to a level below member, an open request still waits for the leads
    await askToBeMember(hub, bo, 'hosting', {});
    await placeInGroup(hub, sam, 'hosting', 'bo', { level: 'participant' });
    expect((await listMembershipRequests(hub, sam, 'hosting')).items.map((r) => r.handle)).toEqual(['bo']);
  });

  it("the asker is told up front who answers: the group's leads, or, with none active, the maintainers", async () => {
    const ada = await asActor(hub, 'ada');
    expect((await getGroupFor(hub, 'hosting', ada)).whoAnswersRequests).toEqual({
      byLeads: true,
      who: "the group's leads",
    });
    await hub.store.db.updateTable('group_members').set({ emeritus: 1 }).execute();
    expect((await getGroupFor(hub, 'hosting', ada)).whoAnswersRequests).toEqual({
      byLeads: false,
      who: 'a core maintainer or a lead maintainer',
    });
    // asking stays open: the level is still the community's to grant
    const asked = await askToBeMember(hub, ada, 'hosting', {});
    expect((await getGroupFor(hub, 'hosting', ada)).yourRequest?.whoAnswers).toEqual(asked.whoAnswers);
    expect(asked.whoAnswers.byLeads).toBe(false);
  });

  it("a visitor's answer is kept between reads and read again after any write (a lead who lapses)", async () => {
    const visitor = () => getGroupFor(hub, 'hosting', null);
    expect((await visitor()).whoAnswersRequests.byLeads).toBe(true);
    expect((await visitor()).can.join.allowed).toBe(false);
    // the leads lapse in a write that records it, as every use case does
    await inTransaction(hub, async (trx) => {
      await trx.updateTable('group_members').set({ emeritus: 1 }).execute();
      await record(trx, hub, SYSTEM, 'group.member-emeritus', { type: 'group', id: 'hosting' }, null, {});
    });
    expect((await visitor()).whoAnswersRequests).toEqual({
      byLeads: false,
      who: 'a core maintainer or a lead maintainer',
    });
  });

  it('over REST', async () => {
    const app = createHttpApp(hub);
    const token = async (h: string) => (await createToken(hub, SYSTEM, h)).token;
    const [ada, sam] = [await token('ada'), await token('sam')];
    const call = (method: string, path: string, who: string, body?: unknown) =>
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${who}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const asked = await call('POST', '/api/groups/hosting/membership-requests', ada, { note: 'Hello' });
    expect(asked.status).toBe(201);
    const first = (await asked.json()).id;
    expect((await call('POST', '/api/groups/hosting/membership-requests', ada, {})).status).toBe(403);
    // the asker reads its state on the group
    expect((await (await call('GET', '/api/groups/hosting', ada)).json()).yourRequest).toMatchObject({
      id: first,
      answer: null,
    });
    // withdrawn and asked again over REST
    const withdrawn = await call('DELETE', '/api/groups/hosting/membership-requests/mine', ada);
    expect([withdrawn.status, (await withdrawn.json()).answer]).toEqual([200, 'withdrawn']);
    expect((await call('DELETE', '/api/groups/hosting/membership-requests/mine', ada)).status).toBe(403);
    expect((await call('DELETE', '/api/groups/hosting/membership-requests/mine', sam)).status).toBe(403);
    const again = await call('POST', '/api/groups/hosting/membership-requests', ada, {});
    expect(again.status).toBe(201);
    const { id } = await again.json();
    const list = await (await call('GET', '/api/groups/hosting/membership-requests', sam)).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([id]);
    const answered = await call('POST', `/api/groups/hosting/membership-requests/${id}/answer`, sam, {
      answer: 'accepted',
    });
    expect(answered.status).toBe(200);
    expect((await answered.json()).level).toBe('member');
  });
});
