// What a meeting's outcome asks of, or says to, one person is told to them: whoever is given an
// action item hears what it is, from which meeting and group, by when, and where to mark it done
// (not when they gave it to themselves); whoever sent written input hears whether it was presented,
// with the reason given (not when they marked it themselves). Both reach the inbox on both databases
// and go by mail at once, through a real SMTP server on the loopback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { addAgendaItem, markWrittenInput, submitWrittenInput } from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { addActionItem } from '../../../src/app/meetings/outcomes.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { createMailer, sendDigest, sendNotificationMail } from '../../../src/app/notifications/mail.ts';
import { DIGEST_QUEUE, MAIL_QUEUE } from '../../../src/app/notifications/notify.ts';
import { setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import { databases } from '../../support/databases.ts';
import type { TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { type LoopbackSmtp, startSmtp } from '../../support/smtp.ts';

describe.each(databases)('notices of a meeting’s outcome to one person on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-03-10T16:00:00Z',
      durationMinutes: 60,
    });
  });
  afterEach(async () => hub?.close());

  const told = async (who: Actor, kind: string) =>
    (await listInbox(hub, who)).items
      .filter((n) => n.kind === kind)
      .map((n) => ({ title: n.title, detail: n.detail, reason: n.reason, path: n.path, events: n.events }));

  it('an action item tells its owner what, from which meeting and group, by when, and where to mark it done', async () => {
    hub.clock.set('2026-03-10T17:05:00Z');
    // bo muted the group: an action item is theirs all the same
    await setSubscription(hub, bo, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await addActionItem(hub, lead, 'M-1', {
      owner: 'ana',
      description: 'Write up the Redis findings',
      due: '2026-03-12',
    });
    await addActionItem(hub, lead, 'M-1', { owner: 'bo', description: 'Ask the gateway team', due: '2026-03-20' });
    expect(await told(ana, 'action-assigned')).toEqual([
      {
        title:
          'Lead (@lead) gave you an action item from M-1 (Hosting WG coordination, Hosting): Write up the Redis findings',
        detail: 'Due 2026-03-12; mark it done from your home page, or the meeting’s, once it is',
        reason: 'owner',
        path: '/meetings/M-1#actions',
        events: 1,
      },
    ]);
    expect((await told(bo, 'action-assigned')).map((n) => n.title)).toEqual([
      'Lead (@lead) gave you an action item from M-1 (Hosting WG coordination, Hosting): Ask the gateway team',
    ]);
    // told to the owner alone: the one who gave it, and the other members, hear nothing of it
    expect(await told(lead, 'action-assigned')).toEqual([]);
    // nobody is told of an action item they gave themselves
    await addActionItem(hub, lead, 'M-1', { owner: 'lead', description: 'Book the room', due: '2026-03-11' });
    expect((await listInbox(hub, lead)).items.filter((n) => n.title.includes('action item'))).toEqual([]);
    // one the hub's operator records (a script, the CLI without --as) is told as theirs
    await addActionItem(hub, SYSTEM, 'M-1', { owner: 'ana', description: 'Share the traces', due: '2026-03-13' });
    const [latest] = await told(ana, 'action-assigned');
    expect(latest).toMatchObject({
      title: "The hub's operator gave you an action item from M-1 (Hosting WG coordination, Hosting): Share the traces",
      detail: 'Due 2026-03-13; mark it done from your home page, or the meeting’s, once it is',
      events: 2,
    });
  });

  it('written input marked presented, or not with why, tells its sender; not when they marked it themselves', async () => {
    await addAgendaItem(hub, lead, 'M-1', { title: 'Deliverables for Q2' });
    await submitWrittenInput(hub, ana, 'M-1', { item: 1, body: 'Please keep the scope small.' });
    await submitWrittenInput(hub, bo, 'M-1', { item: 1, body: 'I can review drafts asynchronously.' });
    await submitWrittenInput(hub, lead, 'M-1', { item: 1, body: 'A note to myself.' });
    const inputs = (await getMeeting(hub, 'M-1')).agenda.items[0]!.writtenInput;
    const of = (handle: string) => inputs.find((w) => w.author === handle)!.id;
    hub.clock.set('2026-03-10T17:05:00Z');

    await markWrittenInput(hub, lead, 'M-1', of('ana'), { presented: true });
    expect(await told(ana, 'written-input-outcome')).toEqual([
      {
        title:
          'Lead (@lead) marked your written input presented at M-1 (Hosting WG coordination, Hosting), item 1: Deliverables for Q2',
        detail: '',
        reason: 'input-author',
        path: '/meetings/M-1#agenda',
        events: 1,
      },
    ]);
    await markWrittenInput(hub, lead, 'M-1', of('bo'), {
      presented: false,
      note: 'We ran out of time;\nit is first on the next agenda.',
    });
    expect(await told(bo, 'written-input-outcome')).toMatchObject([
      {
        title:
          'Lead (@lead) marked your written input not presented at M-1 (Hosting WG coordination, Hosting), item 1: Deliverables for Q2',
        detail: 'Why: “We ran out of time; it is first on the next agenda.”',
      },
    ]);
    // marking the same again says nothing new; changing it does
    await markWrittenInput(hub, lead, 'M-1', of('ana'), { presented: true });
    expect((await told(ana, 'written-input-outcome'))[0]!.events).toBe(1);
    await markWrittenInput(hub, lead, 'M-1', of('ana'), { presented: false, note: 'Marked by mistake.' });
    expect((await told(ana, 'written-input-outcome'))[0]).toMatchObject({
      title: expect.stringContaining('marked your written input not presented at M-1'),
      detail: 'Why: “Marked by mistake.”',
      events: 2,
    });
    // whoever marks their own input is not told of it
    await markWrittenInput(hub, lead, 'M-1', of('lead'), { presented: true });
    expect(await told(lead, 'written-input-outcome')).toEqual([]);
  });

  describe('by mail', () => {
    let smtp: LoopbackSmtp;
    let worker: Worker;
    beforeEach(async () => {
      smtp = await startSmtp();
      const mailer = createMailer({
        smtpUrl: smtp.url,
        from: 'Hosting hub <hub@wg.example.org>',
        publicUrl: 'https://wg.example.org',
        replyDomain: 'reply.wg.example.org',
      });
      worker = new Worker(
        hub,
        {
          [MAIL_QUEUE]: (h, j) => sendNotificationMail(h, mailer, j),
          [DIGEST_QUEUE]: (h, j) => sendDigest(h, mailer, j),
        },
        { onError: () => {} },
      );
    });
    afterEach(async () => smtp?.close());

    it('each goes at once, with the due date or the reason and the link to the part of the meeting’s page', async () => {
      await addAgendaItem(hub, lead, 'M-1', { title: 'Deliverables for Q2' });
      await submitWrittenInput(hub, ana, 'M-1', { item: 1, body: 'Please keep the scope small.' });
      const input = (await getMeeting(hub, 'M-1')).agenda.items[0]!.writtenInput[0]!.id;
      hub.clock.set('2026-03-10T17:05:00Z');
      await addActionItem(hub, lead, 'M-1', {
        owner: 'ana',
        description: 'Write up the Redis findings',
        due: '2026-03-12',
      });
      await markWrittenInput(hub, lead, 'M-1', input, { presented: false, note: 'We ran out of time.' });
      hub.clock.set('2026-03-10T17:11:00Z');
      await worker.drain();
      const toAna = smtp.received.filter((r) => r.to.includes('ana@example.org'));
      const action = toAna.find((r) => r.mail.subject?.includes('action item'))!;
      expect(action.mail.subject).toBe(
        '[M-1] Lead (@lead) gave you an action item from M-1 (Hosting WG coordination, Hosting): Write up the Redis findings',
      );
      expect(action.mail.text).toContain(
        'Due 2026-03-12; mark it done from your home page, or the meeting’s, once it is',
      );
      expect(action.mail.text).toContain('Open it: https://wg.example.org/meetings/M-1#actions');
      expect(action.mail.text).toContain('You get this because you own an action item of this meeting.');
      // the meeting has happened: a reply goes to an agenda item's proposal, not onto its agenda
      expect(action.mail.text).not.toContain('written input');
      const outcome = toAna.find((r) => r.mail.subject?.includes('written input'))!;
      expect(outcome.mail.subject).toBe(
        '[M-1] Lead (@lead) marked your written input not presented at M-1 (Hosting WG coordination, Hosting), item 1: Deliverables for Q2',
      );
      expect(outcome.mail.text).toContain('Why: “We ran out of time.”');
      expect(outcome.mail.text).toContain('Open it: https://wg.example.org/meetings/M-1#agenda');
      expect(outcome.mail.text).toContain('You get this because you sent this written input.');
      // one mail each, at once (the rest she hears of the meeting waits for her digest)
      expect(toAna.filter((r) => r.mail.subject?.startsWith('[M-1]'))).toHaveLength(2);
    });

    it('an action item given before its meeting says a reply is written input on its agenda', async () => {
      await addAgendaItem(hub, lead, 'M-1', { title: 'Deliverables for Q2' });
      await addActionItem(hub, lead, 'M-1', { owner: 'ana', description: 'Bring the traces', due: '2026-03-10' });
      hub.clock.set('2026-03-02T12:06:00Z');
      await worker.drain();
      const [mail] = smtp.received.filter((r) => r.to.includes('ana@example.org'));
      expect(mail!.mail.text).toContain('Reply to this mail to send written input on the agenda');
    });
  });
});
