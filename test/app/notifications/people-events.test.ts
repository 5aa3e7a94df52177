// What others do to a person reaches them: a level set by a lead, a removal from a group, a comment hidden or locked by a
// moderator (with who and why), and a group's new sponsor reaching its members; the person acting
// is not told of their own act. On both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, placeInGroup, proposeGroup, setMemberLevel, sponsorGroup } from '../../../src/app/groups/groups.ts';
import { leaveGroup, removeMember } from '../../../src/app/groups/leave-group.ts';
import {
  answerMembershipRequest,
  askToBeMember,
  withdrawMembershipRequest,
} from '../../../src/app/groups/membership-requests.ts';
import { endSeries } from '../../../src/app/meetings/series-end.ts';
import { getMeeting, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { memberHome } from '../../../src/app/home/member-home.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { personRow, setPersonRole } from '../../../src/app/people/people.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { moderateComment } from '../../../src/app/proposals/moderation.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('notices about what others did to you on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, core: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    lead = await person(hub, 'lead', { role: 'member' });
    ana = await person(hub, 'ana');
    core = await person(hub, 'core', { role: 'core-maintainer' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
  });
  afterEach(async () => hub?.close());

  const titles = async (who: Actor, kind: string) =>
    (await listInbox(hub, who)).items.filter((n) => n.kind === kind).map((n) => n.title);

  it("a community role set by a lead maintainer reaches its holder, with what it was; the operator's set-up tells nobody", async () => {
    const lm = await person(hub, 'lm', { role: 'lead-maintainer' });
    const version = (await personRow(hub.store.db, 'ana')).version;
    await setPersonRole(hub, lm, 'ana', version, { role: 'member' });
    expect(await titles(ana, 'level-changed')).toEqual([
      'Your community role is now member (was contributor), set by Lm (@lm)',
    ]);
    // it leads to their own page, where the role shows
    expect((await listInbox(hub, ana)).items.find((n) => n.kind === 'level-changed')?.path).toBe('/people/ana');
    expect(await titles(lm, 'level-changed')).toEqual([]);
    // the role form saved as it was shown changes nothing, and tells nothing
    await setPersonRole(hub, lm, 'ana', (await personRow(hub.store.db, 'ana')).version, { role: 'member' });
    expect(await titles(ana, 'level-changed')).toEqual([
      'Your community role is now member (was contributor), set by Lm (@lm)',
    ]);
    // the hub's operator raising someone from the command line is set-up: nobody is told
    await setPersonRole(hub, SYSTEM, 'lead', (await personRow(hub.store.db, 'lead')).version, {
      role: 'core-maintainer',
    });
    expect(await titles(lead, 'level-changed')).toEqual([]);
  });

  it("a member's level set by a lead reaches them, with what it was", async () => {
    // for one not in the group a lead's level is an invitation: told as one, never as a level set
    const invited = await setMemberLevel(hub, lead, 'hosting', 'ana', { level: 'participant' });
    expect(invited.invitation).not.toBeNull();
    expect(await titles(ana, 'level-changed')).toEqual([]);
    expect(await titles(ana, 'invitation')).toHaveLength(1);
    await placeInGroup(hub, lead, 'hosting', 'ana', { level: 'participant' });
    expect(await titles(ana, 'level-changed')).toEqual([
      'Your level in Hosting is now participant, set by Lead (@lead)',
    ]);
    // the inbox keeps one line per subject, saying the latest
    await setMemberLevel(hub, lead, 'hosting', 'ana', { level: 'member' });
    expect(await titles(ana, 'level-changed')).toEqual([
      'Your level in Hosting is now member (was participant), set by Lead (@lead)',
    ]);
    expect(await titles(lead, 'level-changed')).toEqual([]);
  });

  it('one removed from a group by a lead hears it, with what they were and who removed them', async () => {
    await placeInGroup(hub, lead, 'hosting', 'ana', { level: 'participant' });
    await removeMember(hub, lead, 'hosting', 'ana');
    expect(await titles(ana, 'level-changed')).toEqual([
      'You are no longer in Hosting (you were a participant): removed by Lead (@lead)',
    ]);
    expect(await titles(lead, 'level-changed')).toEqual([]);
  });

  it("a request to become a member reaches the group's leads, and a declined one its asker, with why", async () => {
    await joinGroup(hub, ana, 'hosting', { level: 'participant' });
    const asked = await askToBeMember(hub, ana, 'hosting', { note: 'I run the gateway tests' });
    expect(await titles(lead, 'membership-request')).toEqual(['Ana (@ana) asks to become a member of Hosting']);
    await answerMembershipRequest(hub, lead, 'hosting', asked.id, {
      answer: 'declined',
      reason: 'Take part in two meetings first',
    });
    expect(await titles(ana, 'membership-request')).toEqual([
      'Your request to become a member of Hosting was declined by Lead (@lead): Take part in two meetings first',
    ]);
    // a decline is not answered by asking again at once (every ask reaches every lead)
    await expect(askToBeMember(hub, ana, 'hosting', {})).rejects.toThrow(
      "The group's leads declined your last request; you may ask again from 2026-04-01",
    );
    hub.clock.advance(31 * 86_400_000);
    // accepted, the level it sets is what the asker hears, once
    const again = await askToBeMember(hub, ana, 'hosting', {});
    await answerMembershipRequest(hub, lead, 'hosting', again.id, { answer: 'accepted' });
    expect(await titles(ana, 'level-changed')).toEqual([
      'Your level in Hosting is now member (was participant), set by Lead (@lead)',
    ]);
  });

  it('a withdrawn request reaches the leads in place of the ask, so their inbox does not say she still asks', async () => {
    await askToBeMember(hub, ana, 'hosting', {});
    await withdrawMembershipRequest(hub, ana, 'hosting');
    expect(await titles(lead, 'membership-request')).toEqual([
      'Ana (@ana) withdrew their request to become a member of Hosting',
    ]);
    expect(await titles(ana, 'level-changed')).toEqual([]);
  });

  it('a participant who leaves with a request open withdraws it, and the leads are told so', async () => {
    await joinGroup(hub, ana, 'hosting', { level: 'participant' });
    await askToBeMember(hub, ana, 'hosting', {});
    await leaveGroup(hub, ana, 'hosting');
    expect(await titles(lead, 'membership-request')).toEqual([
      'Ana (@ana) withdrew their request to become a member of Hosting',
    ]);
  });

  it("an answer from the hub's operator (no --as) still reaches the asker, declined with why or accepted", async () => {
    const asked = await askToBeMember(hub, ana, 'hosting', {});
    await answerMembershipRequest(hub, SYSTEM, 'hosting', asked.id, { answer: 'declined', reason: 'Not this quarter' });
    expect(await titles(ana, 'membership-request')).toEqual([
      "Your request to become a member of Hosting was declined by the hub's operator: Not this quarter",
    ]);
    hub.clock.advance(31 * 86_400_000);
    const again = await askToBeMember(hub, ana, 'hosting', {});
    await answerMembershipRequest(hub, SYSTEM, 'hosting', again.id, { answer: 'accepted' });
    expect(await titles(ana, 'membership-request')).toEqual([
      "Your request to become a member of Hosting was accepted by the hub's operator: you are a member now",
    ]);
  });

  it('a group whose leads all lapsed: the request reaches those whose role answers for it, on their home too', async () => {
    // the only lead's standing lapsed (a charter import can record a lead as emeritus)
    await hub.store.db.updateTable('group_members').set({ emeritus: 1 }).execute();
    const asked = await askToBeMember(hub, ana, 'hosting', {});
    expect(asked.whoAnswers).toEqual({ byLeads: false, who: 'a core maintainer or a lead maintainer' });
    expect(await titles(core, 'membership-request')).toEqual(['Ana (@ana) asks to become a member of Hosting']);
    expect(await titles(lead, 'level-changed')).toEqual([]);
    const home = async (handle: string) =>
      (await memberHome(hub, await personRow(hub.store.db, handle), null)).membershipRequests;
    expect((await home('core')).map((r) => `${r.handle} ${r.group}`)).toEqual(['ana hosting']);
    expect(await home('lead')).toEqual([]);
    // and they may answer it
    await answerMembershipRequest(hub, core, 'hosting', asked.id, { answer: 'accepted' });
    expect(await home('core')).toEqual([]);
  });

  it("a leaderless group's request is on the maintainers' home however many requests wait in led groups", async () => {
    await proposeGroup(hub, lead, {
      slug: 'scaling',
      name: 'Scaling',
      kind: 'working',
      mission: 'Share practices for scaling MCP servers.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    const scaling = await hub.store.db
      .selectFrom('groups')
      .select('id')
      .where('slug', '=', 'scaling')
      .executeTakeFirstOrThrow();
    // two hundred older requests wait on Scaling, whose lead leads; written as rows, as a busy hub holds them
    const waiting: string[] = [];
    for (let i = 0; i < 200; i++) {
      const asker = await person(hub, `asker-${i}`);
      if (asker.kind === 'person') waiting.push(asker.person.id);
    }
    await hub.store.db
      .insertInto('membership_requests')
      .values(
        waiting.map((personId, i) => ({
          id: `old-${i}`,
          group_id: scaling.id,
          person_id: personId,
          note: '',
          requested_at: new Date(Date.parse('2026-02-01T00:00:00Z') + i * 1000).toISOString(),
          answer: null,
          answer_reason: null,
          answered_by: null,
          answered_at: null,
        })),
      )
      .execute();
    // Hosting's only lead lapsed there, so its newer request is the maintainers' to answer
    const hosting = await hub.store.db
      .selectFrom('groups')
      .select('id')
      .where('slug', '=', 'hosting')
      .executeTakeFirstOrThrow();
    await hub.store.db.updateTable('group_members').set({ emeritus: 1 }).where('group_id', '=', hosting.id).execute();
    await askToBeMember(hub, ana, 'hosting', {});
    const home = (await memberHome(hub, await personRow(hub.store.db, 'core'), null)).membershipRequests;
    expect(home.map((r) => `${r.handle} ${r.group}`)).toEqual(['ana hosting']);
  }, 60_000);

  it("a series ended from a day reaches the group's members, with the meetings it calls off and why", async () => {
    await placeInGroup(hub, lead, 'hosting', 'ana', { level: 'member' });
    const series = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly sync',
      startsAt: '2026-03-05T15:00:00Z',
      timeZone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
    });
    hub.clock.set('2026-03-20T09:00:00Z');
    const own = await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly sync',
      startsAt: '2026-04-02T14:00:00Z',
      timeZone: 'Europe/Berlin',
      seriesOf: series.ref,
    });
    const read = await getMeeting(hub, series.ref, lead);
    await endSeries(hub, lead, series.ref, read.version, {
      from: '2026-03-26',
      reason: 'We move to a fortnightly call',
    });
    expect(await titles(ana, 'meeting-listed')).toContain(
      `Weekly sync no longer meets from 2026-03-26 (${own.ref} called off): We move to a fortnightly call`,
    );
  });

  it('a hidden or locked comment tells its author who did it and why', async () => {
    await createProposal(hub, ana, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const c = await addComment(hub, ana, 'P-1', { body: 'Buy Zorblax balancers.' });
    await moderateComment(hub, lead, c.id, { action: 'hide', reason: 'advertising' });
    expect(await titles(ana, 'comment-moderated')).toEqual([
      'Your comment on P-1 was hidden by Lead (@lead): advertising',
    ]);
    await moderateComment(hub, lead, c.id, { action: 'lock', reason: 'settled' });
    expect(await titles(ana, 'comment-moderated')).toEqual(['Your comment on P-1 was locked by Lead (@lead): settled']);
  });

  it('a hidden comment shown again tells its author, who was told it was hidden', async () => {
    await createProposal(hub, ana, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const c = await addComment(hub, ana, 'P-1', { body: 'Our balancer vendor fixed this for us.' });
    await moderateComment(hub, lead, c.id, { action: 'hide', reason: 'advertising' });
    expect(await titles(ana, 'comment-restored')).toEqual([]);
    await moderateComment(hub, lead, c.id, { action: 'unhide', reason: 'an experience report, not an advert' });
    expect(await titles(ana, 'comment-restored')).toEqual([
      'Your comment on P-1 was shown again by Lead (@lead): an experience report, not an advert',
    ]);
    expect(await titles(lead, 'comment-restored')).toEqual([]);
  });

  it("a group's new sponsor reaches its members, not the sponsor", async () => {
    await placeInGroup(hub, lead, 'hosting', 'ana', { level: 'member' });
    await sponsorGroup(hub, core, 'hosting');
    expect(await titles(ana, 'group-sponsorship')).toEqual(['Hosting is sponsored by Core (@core)']);
    expect(await titles(lead, 'group-sponsorship')).toEqual(['Hosting is sponsored by Core (@core)']);
    expect(await titles(core, 'group-sponsorship')).toEqual([]);
  });
});
