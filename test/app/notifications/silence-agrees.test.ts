// Two reads say whose silence lazy consensus does not count: the proof of who was told on a decision
// (`whoWasTold`, many members, one decision: the decision's page, its state's words) and what one who
// joins is told of each open decision (`uncountedSilenceOf`, one member, many decisions). They are one
// read (proof.ts, `silenceNotInTime`), so for every member and decision they agree: here over the
// cases the proof tells apart (told in time or too late, joined after the call, back from a lapse,
// muted on the decision or the whole group, mail bouncing, mail turned off, never told, an address
// not confirmed, emeritus, advisory, joined after the deadline, answered, a topic area muted or
// watched against the decision's own choice and the group's), both while the decisions are open and
// once their deadlines passed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { decisionRows, getDecision, openDecision, respondToDecision } from '../../../src/app/decisions/decisions.ts';
import { joinGroup, placeInGroup } from '../../../src/app/groups/groups.ts';
import { createTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { uncountedSilenceOf } from '../../../src/app/notifications/proof.ts';
import { setPreferences, setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { pageText, signInAs } from '../../support/web-client.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

describe.each(databases)('whose silence is not counted: the proof and the joiner agree on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  const people: Record<string, Actor> = {};

  beforeEach(async () => {
    let ana: Actor, bo: Actor;
    for (const h of Object.keys(people)) delete people[h];
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
    Object.assign(people, { lead, ana, bo });
  });
  afterEach(async () => hub?.close());

  const idOf = (a: Actor) => (a.kind === 'person' ? a.person.id : '');
  const member = async (h: string, level = 'member') => {
    people[h] = await person(hub, h);
    await placeInGroup(hub, SYSTEM, 'hosting', h, { level });
    return people[h]!;
  };
  const at = (iso: string) => hub.clock.set(iso);
  const open = (question: string) =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });
  const lapse = (h: string) =>
    hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: '2025-06-01T00:00:00.000Z' })
      .where('person_id', '=', idOf(people[h]!))
      .execute();

  /** For every member and decision, what each read says: the proof's `uncounted` why, and the joiner's. */
  async function bothSay(refs: string[]) {
    const g = await hub.store.db
      .selectFrom('groups')
      .select(['id', 'slug'])
      .where('slug', '=', 'hosting')
      .executeTakeFirstOrThrow();
    const rows = await decisionRows(hub.store.db, refs);
    const proof: string[] = [];
    const joiner: string[] = [];
    const views = await Promise.all(refs.map((ref) => getDecision(hub, ref)));
    for (const v of views) for (const u of v.notified.uncounted) proof.push(`${v.ref} ${u.handle}: ${u.why}`);
    for (const [h, who] of Object.entries(people)) {
      // the joiner's read takes the decisions they have not answered (opening one under lazy consensus answers it)
      const unanswered = rows.filter((d, i) => {
        const v = views[i]!;
        return d.opened_by !== h && !v.responses.some((r) => r.handle === h);
      });
      const late = await uncountedSilenceOf(hub.store.db, hub, g, { id: idOf(who), handle: h }, unanswered);
      for (const d of unanswered) {
        const why = late.get(d.id);
        if (why !== undefined) joiner.push(`D-${d.number} ${h}: ${why}`);
      }
    }
    return { proof: proof.sort(), joiner: joiner.sort() };
  }

  it('for every member and decision, before and after the deadlines', async () => {
    // D-1 opened Monday 2 March 12:00 UTC, deadline Saturday 7 March 12:00; D-2 two days later
    at('2026-03-02T12:00:00Z');
    await member('jo'); // told, then the notice is gone: never told
    await member('fay', 'participant'); // advisory: never judged
    await member('gus'); // emeritus: never judged
    await hub.store.db
      .updateTable('group_members')
      .set({ emeritus: 1 })
      .where('person_id', '=', idOf(people.gus!))
      .execute();
    await member('eve'); // mail bounces, and mail is off
    await hub.store.db
      .insertInto('mail_addresses')
      .values({ address: 'eve@example.org', status: 'failing', reason: '550', changed_at: '2026-03-01T00:00:00.000Z' })
      .execute();
    await hub.store.db
      .updateTable('people')
      .set({ email: 'eve@example.org', confirmed_email: 'eve@example.org' })
      .where('handle', '=', 'eve')
      .execute();
    await setPreferences(hub, people.eve!, { immediate: false, digest: 'off' });
    await member('una'); // an address never confirmed
    await hub.store.db
      .updateTable('people')
      .set({ email: 'una@example.org', confirmed_email: null })
      .where('handle', '=', 'una')
      .execute();
    await member('dee'); // lapsed before the call, back late
    await lapse('dee');
    await open('Adopt fortnightly content meetings?');
    // muted it, so was never told: their silence counts all the same
    await setSubscription(hub, people.bo!, { subjectType: 'decision', subjectRef: 'D-1', level: 'muted' });
    await hub.store.db.deleteFrom('notifications').where('person_id', '=', idOf(people.bo!)).execute();
    await respondToDecision(hub, people.ana!, 'D-1', { kind: 'consent' });
    await hub.store.db.deleteFrom('notifications').where('person_id', '=', idOf(people.jo!)).execute();
    at('2026-03-04T12:00:00Z');
    await open('Move the notes to the wiki?');
    await hub.store.db
      .deleteFrom('notifications')
      .where('person_id', '=', idOf(people.jo!))
      .where('subject_ref', '=', 'D-2')
      .execute();
    // joined after the call, in time for D-2 but not for D-1
    at('2026-03-06T20:00:00Z');
    people.cy = await person(hub, 'cy');
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'member' });
    // back from a lapse late for D-1
    await joinGroup(hub, people.dee!, 'hosting');
    // muted the whole group, then joined: too late for D-1 (muted or not), in time for D-2, where their
    // silence counts though never told (muting is their own choice)
    people.ivy = await person(hub, 'ivy');
    await setSubscription(hub, people.ivy, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await placeInGroup(hub, SYSTEM, 'hosting', 'ivy', { level: 'member' });
    at('2026-03-06T23:00:00Z');
    const open1 = await bothSay(['D-1', 'D-2']);
    expect(open1.joiner).toEqual(open1.proof);
    // the cases are all there: not every silence counts, and not every one is left out
    expect(open1.proof.map((l) => l.split(':')[0])).toEqual(['D-1 cy', 'D-1 dee', 'D-1 ivy', 'D-1 jo', 'D-2 jo']);
    // joined after D-1's deadline, late for D-2's
    at('2026-03-08T18:00:00Z');
    people.hal = await person(hub, 'hal');
    await placeInGroup(hub, SYSTEM, 'hosting', 'hal', { level: 'member' });
    at('2026-03-10T12:00:00Z');
    const closed = await bothSay(['D-1', 'D-2']);
    expect(closed.joiner).toEqual(closed.proof);
    expect(closed.proof.map((l) => l.split(':')[0])).toEqual([
      'D-1 cy',
      'D-1 dee',
      'D-1 ivy',
      'D-1 jo',
      'D-2 hal',
      'D-2 jo',
    ]);
  });

  // The topic area of the proposal a decision decides counts as it does for every notice (docs/notifications.md):
  // the decision's own choice wins over its topic area's, which wins over its group's. One who muted at the
  // nearest of these chose not to be told, so their silence counts though the proof lists them as not reached;
  // one who did not was owed the news, and never told, their silence is not counted.
  it('a topic area muted or watched, against the decision and the group', async () => {
    at('2026-03-02T12:00:00Z');
    await createTopicArea(hub, lead, 'hosting', {
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      facilitators: ['lead'],
    });
    await createProposal(hub, lead, {
      title: 'Session store in the scaling area',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
      topicArea: 'scaling',
    });
    await member('tia');
    // bo muted the topic area; tia too, and she watches the decision itself; ana muted the group, and
    // watches the topic area: none of them is told as it opens (each was muted then), and only bo is muted now
    for (const who of [people.bo!, people.tia!])
      await setSubscription(hub, who, { subjectType: 'topic', subjectRef: 'hosting/scaling', level: 'muted' });
    await setSubscription(hub, people.ana!, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store?',
      significance: 'minor',
    });
    await setSubscription(hub, people.tia!, { subjectType: 'decision', subjectRef: 'D-1', level: 'watching' });
    await setSubscription(hub, people.ana!, { subjectType: 'topic', subjectRef: 'hosting/scaling', level: 'watching' });
    const told = await hub.store.db
      .selectFrom('notifications')
      .select('person_id')
      .where('subject_ref', '=', 'D-1')
      .execute();
    expect(told.map((t) => t.person_id)).not.toContain(idOf(people.bo!));
    at('2026-03-04T12:00:00Z');
    const open1 = await bothSay(['D-1']);
    expect(open1.joiner).toEqual(open1.proof);
    expect(open1.proof).toEqual(['D-1 ana: never told of it', 'D-1 tia: never told of it']);
    // the decision's page, "Who was told": bo is not reached by his own choice, the others never told
    const v = await getDecision(hub, 'D-1');
    expect(v.notified.unreached.map((u) => `${u.handle}: ${u.why}`)).toEqual([
      'ana: never told',
      'bo: muted this decision, its topic area or its group, so was never told',
      'tia: never told',
    ]);
    // and the page itself lists them so, under the same headings
    const app = createHttpApp(hub, undefined, {
      web: { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 },
    });
    const page = pageText((await (await signInAs(app, 'lead')).get('/decisions/D-1')).html);
    expect(page).toMatch(
      /Not reached .* Ana \(@ana\): never told Bo \(@bo\): muted this decision, its topic area or its group, so was never told Tia \(@tia\): never told Not informed in time .* Ana \(@ana\): never told of it Tia \(@tia\): never told of it/,
    );
    expect(v.notified.silenceWarning).toBe(
      'Silence will count as consent at the deadline, yet the news has not reached 1 member whose voice counts: Bo (@bo). The silence of 2 members not informed in time will not count as consent: Ana (@ana), never told of it; Tia (@tia), never told of it.',
    );
  });
});
