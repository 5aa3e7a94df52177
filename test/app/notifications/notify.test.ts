// Who is told what, in the same transaction as the event: members of a group hear of its
// decisions, a mention reaches the person named even on a muted group, events about one subject
// fold into one unread row and one mail, and the hourly cap sends the rest to the digest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import {
  castVote,
  closeDueDecisions,
  getDecision,
  openDecision,
  requestVote,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { joinGroup, placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { leaveGroup } from '../../../src/app/groups/leave-group.ts';
import { createTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import { listInbox, markRead, markSubjectRead, unreadCount } from '../../../src/app/notifications/inbox.ts';
import { createMailer, markAddressFailing, sendDigest } from '../../../src/app/notifications/mail.ts';
import {
  CLOSING_QUEUE,
  DIGEST_QUEUE,
  expandFanout,
  FANOUT_QUEUE,
  MAIL_QUEUE,
  notificationsReaction,
} from '../../../src/app/notifications/notify.ts';
import {
  getPreferences,
  listSubscriptions,
  setPreferences,
  setSubscription,
} from '../../../src/app/notifications/subscriptions.ts';
import { revokeReplyAddresses } from '../../../src/app/notifications/replies.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { asActor, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('notifications on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const jobs = (queue: string) =>
    hub.store.db.selectFrom('jobs').selectAll().where('queue', '=', queue).orderBy('run_at').execute();
  const open = () =>
    openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });

  it('a decision opened in my group reaches every member but its opener, with the deadline in each one’s zone', async () => {
    await open();
    const [a] = (await listInbox(hub, ana)).items;
    expect(a).toMatchObject({
      kind: 'decision-opened',
      subject: { type: 'decision', ref: 'D-1' },
      title: 'D-1 opened: Adopt fortnightly content meetings?',
      detail: 'Answer by Sat 7 Mar 2026, 04:00 (America/Los_Angeles); silence by then counts as consent',
      reason: 'member',
      read: false,
      // not about ana herself: it waits for her daily digest
      mail: 'digest',
      path: '/decisions/D-1',
    });
    expect((await listInbox(hub, bo)).items[0]!.detail).toBe(
      'Answer by Sat 7 Mar 2026, 21:00 (Asia/Tokyo); silence by then counts as consent',
    );
    expect((await listInbox(hub, lead)).items).toEqual([]);
    // ana's digest is due at 08:00 her time (it is 04:00 in Los Angeles now); the closing-soon timer is
    // due 48 h before the deadline, and first runs a day before that, for whoever's night holds that time
    const digests = await jobs(DIGEST_QUEUE);
    expect(digests.map((j) => j.run_at)).toContain('2026-03-02T16:00:00.000Z');
    expect((await jobs(CLOSING_QUEUE)).map((j) => j.run_at)).toEqual(['2026-03-04T12:00:00.000Z']);
  });

  // Silence must be informed, and truthfully: a participant's silence is not consent, so their
  // notice says their answer is advisory instead of that their silence counts.
  it('a participant is told their answer is advisory, not that their silence is consent, in a vote too', async () => {
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'participant' });
    await open();
    expect((await listInbox(hub, bo)).items[0]!.detail).toBe(
      'Answer by Sat 7 Mar 2026, 21:00 (Asia/Tokyo); your answer is advisory: only the answers of a group member or lead count, and their silence by then counts as consent',
    );
    expect((await listInbox(hub, ana)).items[0]!.detail).toMatch(/; silence by then counts as consent$/);
    await respondToDecision(hub, ana, 'D-1', {
      kind: 'block',
      reason: 'Fortnightly is too rare for the content we have.',
      alternative: 'Weekly content meetings, fortnightly process ones.',
    });
    await requestVote(hub, lead, 'D-1');
    const vote = (await listInbox(hub, bo)).items.find((n) => n.kind === 'vote-opened');
    expect(vote?.detail).toMatch(/^Vote by .*; your vote is advisory: only the votes of a group member or lead count$/);
  });

  it('closing soon: only members who have not answered are told, urgently, when the timer runs', async () => {
    await open();
    await respondToDecision(hub, ana, 'D-1', { kind: 'consent' });
    hub.clock.set('2026-03-05T12:00:00Z');
    const worker = new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
    expect(await worker.drain()).toBe(1);
    expect((await listInbox(hub, bo)).items.map((n) => [n.kind, n.mail])).toEqual([
      ['decision-closing', 'queued'],
      ['decision-opened', 'digest'],
    ]);
    expect((await listInbox(hub, ana)).items.map((n) => n.kind)).toEqual(['decision-opened']);
  });

  it('a subscription names a group or topic area in capitals as its proposal refs may be (Hosting is hosting)', async () => {
    await createTopicArea(hub, lead, 'hosting', {
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      facilitators: ['lead'],
    });
    expect(
      await setSubscription(hub, bo, { subjectType: 'group', subjectRef: 'Hosting', level: 'watching' }),
    ).toMatchObject({
      subjectRef: 'hosting',
    });
    expect(
      await setSubscription(hub, bo, { subjectType: 'topic', subjectRef: 'HOSTING/Scaling', level: 'muted' }),
    ).toMatchObject({ subjectRef: 'hosting/scaling' });
    expect((await listSubscriptions(hub, bo)).items.map((i) => [i.subjectType, i.subjectRef, i.level])).toEqual([
      ['group', 'hosting', 'watching'],
      ['topic', 'hosting/scaling', 'muted'],
    ]);
  });

  it('closing soon honours topic areas: muted there, no reminder, unless the decision itself is followed', async () => {
    await createTopicArea(hub, lead, 'hosting', {
      slug: 'scaling',
      name: 'Horizontal scaling',
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
    await setSubscription(hub, bo, { subjectType: 'topic', subjectRef: 'hosting/scaling', level: 'muted' });
    await setSubscription(hub, ana, { subjectType: 'topic', subjectRef: 'hosting/scaling', level: 'muted' });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store?',
      significance: 'minor',
    });
    await setSubscription(hub, ana, { subjectType: 'decision', subjectRef: 'D-1', level: 'normal' });
    hub.clock.set('2026-03-05T12:00:00Z');
    const worker = new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
    expect(await worker.drain()).toBe(1);
    const closing = async (who: Actor) =>
      (await listInbox(hub, who)).items.filter((n) => n.kind === 'decision-closing').map((n) => n.subject.ref);
    expect(await closing(bo)).toEqual([]);
    expect(await closing(ana)).toEqual(['D-1']);
  });

  // A vote has a deadline too, and in a vote silence is not consent: whoever has not voted is
  // reminded once, before it closes, with the choices and the deadline in their own zone.
  it('vote closing soon: members who have not voted are reminded once, closingSoonHours before the vote closes', async () => {
    await open();
    await respondToDecision(hub, ana, 'D-1', { kind: 'consent' });
    await requestVote(hub, lead, 'D-1'); // opens now (12:00 on 2 March): 7 days, closing 9 March 12:00
    // each timer first runs a day before it is due (7 March 12:00 for the vote), for whoever's night holds that time
    expect((await jobs(CLOSING_QUEUE)).map((j) => [j.key, j.run_at])).toEqual([
      ['closing:D-1', '2026-03-04T12:00:00.000Z'],
      ['vote-closing:D-1', '2026-03-06T12:00:00.000Z'],
    ]);
    await castVote(hub, ana, 'D-1', { choice: 'yes' });
    hub.clock.set('2026-03-07T12:00:00Z');
    // the close job records the vote's phase: no second timer, no second reminder
    await closeDueDecisions(hub);
    expect(await jobs(CLOSING_QUEUE)).toHaveLength(2);
    const worker = new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
    // the lazy-consensus timer finds a vote and tells nobody; the vote's timer reminds who has not voted
    expect(await worker.drain()).toBe(2);
    const reminders = async (who: Actor) =>
      (await listInbox(hub, who)).items
        .filter((n) => n.kind === 'decision-closing' || n.kind === 'vote-closing')
        .map((n) => ({ kind: n.kind, title: n.title, detail: n.detail, mail: n.mail }));
    expect(await reminders(bo)).toEqual([
      {
        kind: 'vote-closing',
        title: 'The vote on D-1 closes soon and waits for your vote: Adopt fortnightly content meetings?',
        detail:
          'Vote yes, no or abstain by Mon 9 Mar 2026, 21:00 (Asia/Tokyo); in a vote, silence is not consent: a vote not cast is not counted',
        mail: 'queued',
      },
    ]);
    expect((await reminders(lead)).map((n) => n.kind)).toEqual(['vote-closing']);
    expect(await reminders(ana)).toEqual([]); // she voted
    hub.clock.set('2026-03-08T12:00:00Z');
    await closeDueDecisions(hub);
    expect(await worker.drain()).toBe(0);
    expect(await reminders(bo)).toHaveLength(1);
  });

  // a member inactive past the governance file's days answers in an advisory voice only: the vote
  // does not wait for them, and they cannot cast one that counts
  it('a member whose standing lapsed is not told a vote waits for their vote', async () => {
    await open();
    await requestVote(hub, lead, 'D-1');
    const bo_ = bo.kind === 'person' ? bo.person.id : '';
    await hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: '2025-06-01T00:00:00.000Z' })
      .where('person_id', '=', bo_)
      .execute();
    hub.clock.set('2026-03-07T12:00:00Z');
    const worker = new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
    await worker.drain();
    const closing = async (who: Actor) =>
      (await listInbox(hub, who)).items.filter((n) => n.kind === 'vote-closing').map((n) => n.subject.ref);
    expect(await closing(lead)).toEqual(['D-1']);
    expect(await closing(bo)).toEqual([]);
  });

  it('a vote opened because a block stood at the deadline gets its reminder too; a vote already closed tells nobody', async () => {
    await open();
    await respondToDecision(hub, ana, 'D-1', {
      kind: 'block',
      reason: 'Fortnightly is too rare for the content we have.',
      alternative: 'Weekly content meetings, fortnightly process ones.',
    });
    hub.clock.set('2026-03-07T13:00:00Z'); // past the deadline (7 March 12:00): the vote opened then
    await closeDueDecisions(hub);
    expect((await jobs(CLOSING_QUEUE)).map((j) => [j.key, j.run_at])).toEqual([
      ['closing:D-1', '2026-03-04T12:00:00.000Z'],
      ['vote-closing:D-1', '2026-03-11T12:00:00.000Z'],
    ]);
    // the worker was down until after the vote closed: the late timer finds it closed and tells nobody
    hub.clock.set('2026-03-14T12:00:00Z');
    const worker = new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
    expect(await worker.drain()).toBe(2);
    for (const who of [lead, ana, bo])
      expect((await listInbox(hub, who)).items.filter((n) => n.kind === 'vote-closing')).toEqual([]);
  });

  // Leaving a group ends watching it: a former member who kept watching would go on hearing every
  // decision of a group whose decisions no longer count their voice; one who comes back starts anew.
  it('leaving a group ends watching it and its topic areas (single items stay); joining again starts from the defaults', async () => {
    await createTopicArea(hub, lead, 'hosting', {
      slug: 'scaling',
      name: 'Horizontal scaling',
      goal: 'both',
      facilitators: ['lead'],
    });
    const draft = {
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    };
    await createProposal(hub, lead, { ...draft, title: 'Session store', topicArea: 'scaling' });
    await createProposal(hub, lead, { ...draft, title: 'Health checks' });
    await setSubscription(hub, bo, { subjectType: 'group', subjectRef: 'hosting', level: 'watching' });
    await setSubscription(hub, bo, { subjectType: 'topic', subjectRef: 'hosting/scaling', level: 'watching' });
    await setSubscription(hub, bo, { subjectType: 'proposal', subjectRef: 'P-2', level: 'watching' });
    await setSubscription(hub, ana, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await leaveGroup(hub, bo, 'hosting');
    await leaveGroup(hub, ana, 'hosting');
    expect((await listSubscriptions(hub, bo)).items.map((i) => [i.subjectType, i.subjectRef, i.level])).toEqual([
      ['proposal', 'P-2', 'watching'],
    ]);
    expect((await listSubscriptions(hub, ana)).items).toEqual([]);
    const left = await hub.store.db
      .selectFrom('events')
      .select('before')
      .where('kind', '=', 'group.member-left')
      .orderBy('seq')
      .execute();
    expect(left.map((e) => JSON.parse(e.before!).subscriptions)).toEqual([
      ['group hosting: watching', 'topic hosting/scaling: watching'],
      ['group hosting: muted'],
    ]);
    const had = new Set((await listInbox(hub, bo)).items.map((n) => n.id));
    await open();
    await addComment(hub, ana, 'P-1', { body: 'Redis or the database?' });
    await addComment(hub, ana, 'P-2', { body: 'Which endpoints?' });
    // the group's decision and the topic area's proposal no longer reach bo; the proposal he watches does
    expect(
      (await listInbox(hub, bo)).items.filter((n) => !had.has(n.id)).map((n) => [n.subject.ref, n.reason]),
    ).toEqual([['P-2', 'watching']]);
    // back in the group, bo and ana hear of its decisions as members do, not as watchers, nor muted
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    await joinGroup(hub, ana, 'hosting', { level: 'participant' });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Move the call to Thursdays?',
      significance: 'minor',
    });
    for (const who of [bo, ana])
      expect(
        (await listInbox(hub, who)).items.filter((n) => n.subject.ref === 'D-2').map((n) => [n.kind, n.reason]),
      ).toEqual([['decision-opened', 'member']]);
  });

  it('a mention reaches the person named even when they muted the group; muting silences the rest', async () => {
    await setSubscription(hub, bo, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await open();
    expect(await unreadCount(hub, bo)).toBe(0);
    await createProposal(hub, ana, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await addComment(hub, lead, 'P-1', { body: 'What does @bo think of sticky sessions?' });
    const [mention] = (await listInbox(hub, bo)).items;
    expect(mention).toMatchObject({ kind: 'mention', reason: 'mention', subject: { ref: 'P-1' }, mail: 'queued' });
    // and ana, the author, hears of the comment on her proposal
    expect((await listInbox(hub, ana)).items.map((n) => n.kind)).toContain('proposal-commented');
  });

  it('topic areas: watching one tells me of its proposals in a group I muted; muting one silences it in a group I watch', async () => {
    await createTopicArea(hub, lead, 'hosting', {
      slug: 'scaling',
      name: 'Horizontal scaling',
      goal: 'both',
      facilitators: ['lead'],
    });
    await setSubscription(hub, bo, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await setSubscription(hub, bo, { subjectType: 'topic', subjectRef: 'hosting/scaling', level: 'watching' });
    await setSubscription(hub, ana, { subjectType: 'group', subjectRef: 'hosting', level: 'watching' });
    await setSubscription(hub, ana, { subjectType: 'topic', subjectRef: 'scaling', level: 'muted' });
    const draft = {
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    };
    await createProposal(hub, lead, { ...draft, title: 'Session store in the scaling area', topicArea: 'scaling' });
    await createProposal(hub, lead, { ...draft, title: 'Health checks, no topic area' });
    await addComment(hub, lead, 'P-1', { body: 'A first sketch is in the description.' });
    await addComment(hub, lead, 'P-2', { body: 'A first sketch is in the description.' });
    expect((await listInbox(hub, bo)).items.map((n) => [n.subject.ref, n.reason])).toEqual([['P-1', 'watching']]);
    expect((await listInbox(hub, ana)).items.map((n) => [n.subject.ref, n.reason])).toEqual([['P-2', 'watching']]);
  });

  it('a topic area is known by its group too: watching auth in one group is not watching auth in another', async () => {
    await proposeGroup(hub, lead, {
      slug: 'identity',
      name: 'Identity',
      kind: 'working',
      mission: 'Agree how MCP servers identify clients.',
      scopeIn: ['Auth'],
      leads: ['lead'],
    });
    await placeInGroup(hub, SYSTEM, 'identity', 'bo', { level: 'member' });
    for (const group of ['hosting', 'identity'])
      await createTopicArea(hub, lead, group, { slug: 'auth', name: 'Auth', goal: 'both', facilitators: ['lead'] });
    // two groups have "auth": the bare short name is ambiguous and refused, naming both
    await expect(
      setSubscription(hub, bo, { subjectType: 'topic', subjectRef: 'auth', level: 'watching' }),
    ).rejects.toThrow(/hosting\/auth, identity\/auth/);
    expect(
      await setSubscription(hub, bo, { subjectType: 'topic', subjectRef: 'hosting/auth', level: 'watching' }),
    ).toEqual({
      subjectType: 'topic',
      subjectRef: 'hosting/auth',
      level: 'watching',
      // a subscription now carries its own can (a person's own to change)
      can: { change: { allowed: true } },
    });
    const draft = {
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      topicArea: 'auth',
    };
    await createProposal(hub, lead, { ...draft, title: 'Token audience in hosting', group: 'hosting' });
    await createProposal(hub, lead, { ...draft, title: 'Token audience in identity', group: 'identity' });
    await addComment(hub, lead, 'P-1', { body: 'A first sketch is in the description.' });
    await addComment(hub, lead, 'P-2', { body: 'A first sketch is in the description.' });
    // bo hears of the comment in hosting/auth, which he watches, and not of the one in identity/auth
    expect((await listInbox(hub, bo)).items.map((n) => [n.subject.ref, n.reason])).toEqual([['P-1', 'watching']]);
  });

  it('a big group hears of a decision through one fan-out job written with it, expanded once by the worker', async () => {
    // as if the group were past the inline limit: the write queues one job and no inbox rows
    hub.reactions[0] = notificationsReaction({ mail: true, inlineLimit: 1 });
    await open();
    expect(await unreadCount(hub, ana)).toBe(0);
    const [fanout, ...more] = await jobs(FANOUT_QUEUE);
    expect(more).toEqual([]);
    expect(JSON.parse(fanout!.payload)).toEqual({ seq: expect.any(Number) });
    expect(await jobs(DIGEST_QUEUE)).toEqual([]);
    const worker = new Worker(hub, { [FANOUT_QUEUE]: (h, j) => expandFanout(h, j, { mail: true }) });
    expect(await worker.drain()).toBe(1);
    expect((await listInbox(hub, ana)).items.map((n) => [n.kind, n.detail, n.mail])).toEqual([
      [
        'decision-opened',
        'Answer by Sat 7 Mar 2026, 04:00 (America/Los_Angeles); silence by then counts as consent',
        'digest',
      ],
    ]);
    expect((await listInbox(hub, bo)).items.map((n) => n.reason)).toEqual(['member']);
    // the opener is not told of their own action, as in the write
    expect((await listInbox(hub, lead)).items).toEqual([]);
    expect((await jobs(DIGEST_QUEUE)).length).toBe(2);
    // a worker whose lease ran out runs the same job again: it finds it done and writes nothing twice
    const again = {
      id: fanout!.id,
      queue: FANOUT_QUEUE,
      key: fanout!.key,
      payload: JSON.parse(fanout!.payload),
      attempt: 2,
      maxAttempts: 8,
      createdAt: fanout!.created_at,
    };
    await expandFanout(hub, again, { mail: true });
    expect((await listInbox(hub, ana)).items).toHaveLength(1);
    // what names one person is still written in the event's own transaction
    await createProposal(hub, ana, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await addComment(hub, lead, 'P-1', { body: 'What does @bo think of sticky sessions?' });
    expect((await listInbox(hub, bo)).items.map((n) => n.kind)).toContain('mention');
  });

  it('a fan-out writes in batches; a crash in the middle loses nobody and tells nobody twice when the job is retried', async () => {
    for (const h of ['cy', 'di', 'ed']) {
      await person(hub, h);
      await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
    }
    hub.reactions[0] = notificationsReaction({ mail: true, inlineLimit: 1 });
    await open();
    let batches = 0;
    const crashing = new Worker(
      hub,
      {
        [FANOUT_QUEUE]: (h, j) =>
          expandFanout(h, j, {
            mail: true,
            fanoutBatch: 2,
            onFanoutBatch: () => {
              if (++batches === 2) throw new Error('killed in the middle of the second batch');
            },
          }),
      },
      { onError: () => {} },
    );
    await crashing.drain();
    const told = async () =>
      (
        await hub.store.db
          .selectFrom('notifications')
          .select('person_id')
          .where('kind', '=', 'decision-opened')
          .execute()
      )
        .map((r) => r.person_id)
        .sort();
    // the first page (two members by id; the lead who opened it is not told) stayed written, the
    // second rolled back whole: the cursor stands after the first page
    const [job] = await jobs(FANOUT_QUEUE);
    expect(job).toMatchObject({ done_at: null, failed_at: null, attempts: 1 });
    const cursor = JSON.parse(job!.payload);
    expect(cursor).toEqual({ seq: expect.any(Number), after: expect.any(String) });
    const everyone = await hub.store.db
      .selectFrom('group_members')
      .innerJoin('people', 'people.id', 'group_members.person_id')
      .select(['people.id', 'people.handle'])
      .where('people.handle', 'in', ['lead', 'ana', 'bo', 'cy', 'di', 'ed'])
      .orderBy('people.id')
      .execute();
    expect(cursor.after).toBe(everyone[1]!.id);
    expect(await told()).toEqual(
      everyone
        .slice(0, 2)
        .filter((p) => p.handle !== 'lead')
        .map((p) => p.id),
    );
    hub.clock.advance(60_000); // past the retry's backoff
    const retry = new Worker(hub, { [FANOUT_QUEUE]: (h, j) => expandFanout(h, j, { mail: true, fanoutBatch: 2 }) });
    expect(await retry.drain()).toBe(1);
    const members = await hub.store.db
      .selectFrom('people')
      .select('id')
      .where('handle', 'in', ['ana', 'bo', 'cy', 'di', 'ed'])
      .execute();
    expect(await told()).toEqual(members.map((m) => m.id).sort());
    expect((await jobs(FANOUT_QUEUE))[0]!.done_at).not.toBeNull();
  });

  it('a fan-out reads the group page by page: members, an author and a watcher outside the group are each told once', async () => {
    for (const h of ['cy', 'di', 'ed']) {
      await person(hub, h);
      await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
    }
    // zed is no member but watches the group; di muted it; ana wrote the proposal decided on
    const zed = await person(hub, 'zed');
    await setSubscription(hub, zed, { subjectType: 'group', subjectRef: 'hosting', level: 'watching' });
    await setSubscription(hub, await asActor(hub, 'di'), {
      subjectType: 'group',
      subjectRef: 'hosting',
      level: 'muted',
    });
    await createProposal(hub, ana, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    hub.reactions[0] = notificationsReaction({ mail: true, inlineLimit: 1 });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store?',
      significance: 'minor',
    });
    const pages: number[] = [];
    const worker = new Worker(hub, {
      [FANOUT_QUEUE]: (h, j) =>
        expandFanout(h, j, { mail: true, fanoutBatch: 1, onFanoutBatch: (people) => pages.push(people) }),
    });
    expect(await worker.drain()).toBe(1);
    // six members, one a page, then the last page for whoever comes after them (zed, perhaps)
    expect(pages).toHaveLength(7);
    const told = await hub.store.db
      .selectFrom('notifications')
      .innerJoin('people', 'people.id', 'notifications.person_id')
      .select(['people.handle', 'notifications.reason'])
      .where('kind', '=', 'decision-opened')
      .orderBy('people.handle')
      .execute();
    expect(told.map((r) => r.handle)).toEqual(['ana', 'bo', 'cy', 'ed', 'zed']);
    expect(told.find((r) => r.handle === 'zed')!.reason).toBe('watching');
  });

  it('events about one subject fold into one unread row and one mail; a read row starts a new one', async () => {
    await createProposal(hub, ana, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await addComment(hub, bo, 'P-1', { body: 'Hi @ana, first thought.' });
    await addComment(hub, bo, 'P-1', { body: 'Hi @ana, second thought.' });
    let inbox = (await listInbox(hub, ana)).items;
    expect(inbox.map((n) => [n.kind, n.events])).toEqual([['mention', 2]]);
    expect((await jobs(MAIL_QUEUE)).filter((j) => j.payload.includes(inbox[0]!.id))).toHaveLength(1);
    expect(await markRead(hub, ana)).toEqual({ marked: 1 });
    await addComment(hub, bo, 'P-1', { body: 'Hi @ana, third thought.' });
    inbox = (await listInbox(hub, ana)).items;
    expect(inbox.map((n) => [n.kind, n.events, n.read])).toEqual([
      ['mention', 1, false],
      ['mention', 2, true],
    ]);
    expect(await unreadCount(hub, ana)).toBe(1);
  });

  it('quiet hours in my zone hold mail that would go at once until they end; someone awake gets it after the batch window', async () => {
    // 12:00 UTC is 04:00 in Los Angeles (ana: quiet 22:00–07:00) and 21:00 in Tokyo (bo: the same hours, not yet quiet)
    for (const who of [ana, bo]) await setPreferences(hub, who, { quietStart: '22:00', quietEnd: '07:00' });
    await createProposal(hub, lead, {
      title: 'Session affinity',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await addComment(hub, lead, 'P-1', { body: '@ana and @bo, could you look at this?' });
    const runAt = async (a: Actor) => {
      const mine = (await listInbox(hub, a)).items.find((n) => n.kind === 'mention')!;
      expect(mine.mail).toBe('queued');
      return (await jobs(MAIL_QUEUE)).filter((j) => j.payload.includes(mine.id)).map((j) => j.run_at);
    };
    expect(await runAt(ana)).toEqual(['2026-03-02T15:00:00.000Z']); // 07:00 in Los Angeles
    expect(await runAt(bo)).toEqual([
      new Date(hub.clock.now().getTime() + hub.governance.notifications.batchMinutes * 60_000).toISOString(),
    ]);
  });

  it('past the hourly cap, mail that would go at once waits for the digest; digest "off" keeps it in the inbox', async () => {
    hub.governance = {
      ...hub.governance,
      notifications: { ...hub.governance.notifications, hourlyCap: 2 },
    };
    await setPreferences(hub, ana, { digest: 'weekly', digestHour: 7, digestWeekday: 5 });
    for (let i = 1; i <= 3; i++) {
      await createProposal(hub, lead, {
        title: `Proposal number ${i}`,
        problem: 'Servers behind a load balancer lose sessions when a node restarts.',
        examples: ['Hosting WG incident in May'],
        layer: 'working-group-artifact',
        route: 'contribution',
        group: 'hosting',
      });
      await addComment(hub, bo, `P-${i}`, { body: `@ana see P-${i}` });
    }
    const states = (await listInbox(hub, ana)).items.map((n) => n.mail);
    expect(states.sort()).toEqual(['digest', 'queued', 'queued']);
    // a weekly digest on Friday at 07:00 in Los Angeles
    const anaId = (ana as { person: { id: string } }).person.id;
    expect((await jobs(DIGEST_QUEUE)).filter((j) => j.payload.includes(anaId)).map((j) => j.run_at)).toEqual([
      '2026-03-06T15:00:00.000Z',
    ]);
    await setPreferences(hub, bo, { digest: 'off', immediate: false });
    await addComment(hub, ana, 'P-1', { body: 'Thanks @bo' });
    expect((await listInbox(hub, bo)).items[0]).toMatchObject({ kind: 'mention', mail: null });
  });

  it('two changes to my preferences at once both hold, and so does revoking my reply addresses (fuzz round 6)', async () => {
    for (let round = 0; round < 5; round++) {
      await setPreferences(hub, ana, { digest: 'daily', quietStart: null, quietEnd: null });
      // two tabs: one changes the digest, the other the quiet hours; on PostgreSQL each wrote back
      // the whole row it had read, so one of the two changes was lost every time
      await Promise.all([
        setPreferences(hub, ana, { digest: 'weekly' }),
        setPreferences(hub, ana, { quietStart: '22:00', quietEnd: '07:00' }),
        revokeReplyAddresses(hub, ana),
      ]);
      const now = await getPreferences(hub, ana);
      expect(now, `round ${round}`).toMatchObject({ digest: 'weekly', quietStart: '22:00', quietEnd: '07:00' });
      const epoch = await hub.store.db
        .selectFrom('notification_preferences')
        .select('reply_epoch')
        .where('person_id', '=', (ana as { person: { id: string } }).person.id)
        .executeTakeFirstOrThrow();
      // each revocation moves the epoch on (mail sent afterwards gets new addresses): a save wrote the old one back
      expect(Number(epoch.reply_epoch), `round ${round}`).toBe(round + 1);
    }
  });

  it('revoking my reply addresses at the moment of my first save of preferences: both hold, never a failure', async () => {
    const anaId = (ana as { person: { id: string } }).person.id;
    for (let round = 0; round < 6; round++) {
      // no row yet: the save and the revoke both create it
      await hub.store.db.deleteFrom('notification_preferences').where('person_id', '=', anaId).execute();
      const [, revoked] = await Promise.all([
        setPreferences(hub, ana, { digest: 'weekly' }),
        revokeReplyAddresses(hub, ana),
        revokeReplyAddresses(hub, ana),
      ]);
      expect(revoked, `round ${round}`).toMatchObject({ revoked: expect.any(Number) });
      expect((await getPreferences(hub, ana)).digest, `round ${round}`).toBe('weekly');
      const epoch = await hub.store.db
        .selectFrom('notification_preferences')
        .select('reply_epoch')
        .where('person_id', '=', anaId)
        .executeTakeFirstOrThrow();
      // two revocations at once move the epoch twice (the first creates the row at 1)
      expect(Number(epoch.reply_epoch), `round ${round}`).toBe(2);
    }
  });

  it('bad preferences are refused naming the field and the rule', async () => {
    await expect(setPreferences(hub, ana, { quietStart: '25:00', quietEnd: '07:00' })).rejects.toMatchObject({
      issues: [{ field: 'quietStart', rule: 'must be a time of day as HH:MM (24-hour), such as 22:00' }],
    });
    await expect(
      setSubscription(hub, ana, { subjectType: 'decision', subjectRef: 'D-99', level: 'muted' }),
    ).rejects.toMatchObject({ issues: [{ field: 'subjectRef', rule: "no decision 'D-99'" }] });
  });

  it('proof of informed silence: who was told, how and who opened it; a warning names whoever silence counts unreached', async () => {
    const cy = await person(hub, 'cy');
    await person(hub, 'dee'); // no mail address: told in the inbox only, not reachable by mail
    for (const h of ['cy', 'dee']) await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
    await hub.store.db
      .updateTable('people')
      .set({ email: 'cy@example.org', confirmed_email: 'cy@example.org' })
      .where('handle', '=', 'cy')
      .execute();
    await setSubscription(hub, cy, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await open();
    await markSubjectRead(hub, ana, 'decision', 'D-1');
    const proof = (await getDecision(hub, 'D-1')).notified;
    expect(proof.told.map((t) => [t.handle, t.kind, t.how, t.mail, t.openedAt !== null])).toEqual([
      ['ana', 'decision-opened', 'digest', 'digest', true],
      ['bo', 'decision-opened', 'digest', 'digest', false],
      ['dee', 'decision-opened', 'inbox', 'no-address', false],
    ]);
    expect(proof.unreached).toEqual([
      { handle: 'bo', name: 'Bo', why: 'mail not sent yet (batching, quiet hours or the digest) and not opened' },
      { handle: 'cy', name: 'Cy', why: 'muted this decision, its topic area or its group, so was never told' },
      {
        handle: 'dee',
        name: 'Dee',
        why: 'told only in the inbox, not reachable by mail: no mail address on record, and never opened it',
      },
    ]);
    expect(proof.notMailable).toEqual([
      { handle: 'dee', name: 'Dee', why: 'not reachable by mail: no mail address on record' },
    ]);
    expect(proof.silenceWarning).toBe(
      'Silence will count as consent at the deadline, yet the news has not reached 3 members whose voice counts: Bo (@bo), Cy (@cy), Dee (@dee).',
    );

    // bo's address bounces: his digest is never sent, and the proof says why
    await markAddressFailing(hub, 'bo@example.org', '550 5.1.1 no such mailbox');
    hub.clock.set('2026-03-03T00:00:00Z');
    const mailer = createMailer({
      smtpUrl: 'smtp://127.0.0.1:9',
      from: 'wghub <hub@example.org>',
      publicUrl: 'http://hub.test',
      replyDomain: null,
    });
    await new Worker(hub, { [DIGEST_QUEUE]: (h, j) => sendDigest(h, mailer, j) }).drain();
    // dee answers, so her silence no longer counts; the deadline passes with no block
    await respondToDecision(hub, await asActor(hub, 'dee'), 'D-1', { kind: 'consent' });
    hub.clock.set('2026-03-08T00:00:00Z');
    const closed = await getDecision(hub, 'D-1');
    expect(closed.state.outcome).toBe('adopted');
    expect(closed.notified.unreached).toEqual([
      { handle: 'bo', name: 'Bo', why: 'mail bounced (the address is failing) and never opened it' },
      { handle: 'cy', name: 'Cy', why: 'muted this decision, its topic area or its group, so was never told' },
    ]);
    expect(closed.notified.silenceWarning).toBe(
      'Adopted by silence, yet the news never reached 2 members whose voice counted: Bo (@bo), Cy (@cy).',
    );
    expect(closed.notified.notMailable).toEqual([
      { handle: 'bo', name: 'Bo', why: 'not reachable by mail: mail to their address bounces' },
    ]);
  });

  it('no silence warning once everyone whose silence counts was reached, nor in a vote, where silence is not consent', async () => {
    await open();
    await markSubjectRead(hub, ana, 'decision', 'D-1');
    await respondToDecision(hub, bo, 'D-1', {
      kind: 'concern',
      reason: 'Fortnightly is a lot',
      amendment: 'Try it for a quarter',
    });
    let d = await getDecision(hub, 'D-1');
    expect(d.notified.unreached).toEqual([]);
    expect(d.notified.silenceWarning).toBeNull();
    await hub.store.db.updateTable('notifications').set({ read_at: null }).execute();
    d = await requestVote(hub, lead, 'D-1');
    expect(d.state.phase).toBe('vote');
    // in a vote only a vote answers it: bo's concern is no vote, and the lead who opened it has not voted
    expect(d.notified.unreached.map((u) => [u.handle, u.why])).toEqual([
      ['ana', 'mail not sent yet (batching, quiet hours or the digest) and not opened'],
      ['bo', 'mail not sent yet (batching, quiet hours or the digest) and not opened'],
      ['lead', 'opened it, so was sent no notice of it'],
    ]);
    expect(d.notified.silenceWarning).toBeNull();
  });
});
