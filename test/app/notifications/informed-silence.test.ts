// Lazy consensus counts silence as consent, so silence must be informed in time: an audit of what
// people actually receive, through a real SMTP server on the loopback. A notice with a deadline never
// waits for a digest that would come too late; a member who gains a voice while a decision is open is
// told of it, as the group was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { getDecision, openDecision, requestVote, respondToDecision } from '../../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { createMailer, sendDigest, sendNotificationMail } from '../../../src/app/notifications/mail.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import { CLOSING_QUEUE, DIGEST_QUEUE, MAIL_QUEUE } from '../../../src/app/notifications/notify.ts';
import { setPreferences, setSubscription } from '../../../src/app/notifications/subscriptions.ts';
import { databases } from '../../support/databases.ts';
import { asActor, person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { type LoopbackSmtp, startSmtp } from '../../support/smtp.ts';

describe.each(databases)('informed silence on $name', (database) => {
  let hub: TestHub;
  let smtp: LoopbackSmtp;
  let lead: Actor, ana: Actor;
  let worker: Worker;

  beforeEach(async () => {
    smtp = await startSmtp();
    ({ hub, lead, ana } = await hostingGroupWithMail(database));
    const mailer = createMailer({
      smtpUrl: smtp.url,
      from: 'Hosting hub <hub@wg.example.org>',
      publicUrl: 'https://wg.example.org',
      replyDomain: null,
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
  afterEach(async () => {
    await hub?.close();
    await smtp?.close();
  });

  const at = (iso: string) => hub.clock.set(iso);
  const to = (address: string) => smtp.received.filter((r) => r.to.includes(address));
  const open = () =>
    openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });

  it('a weekly digest that would come after the deadline does not hold the notice: it is mailed on its own, in time', async () => {
    // it is Monday 2 March, 04:00 in Los Angeles; ana's weekly digest goes on Saturdays at 07:00, so the
    // next one (7 March, 07:00) is three hours after the deadline (Saturday 7 March, 04:00 hers)
    await setPreferences(hub, ana, { digest: 'weekly', digestHour: 7, digestWeekday: 6 });
    await open();
    expect((await listInbox(hub, ana)).items.map((n) => [n.kind, n.mail])).toEqual([['decision-opened', 'queued']]);
    // bo's daily digest comes tomorrow morning, days before the deadline: it waits for it as before
    expect((await listInbox(hub, await asActor(hub, 'bo'))).items.map((n) => n.mail)).toEqual(['digest']);
    at('2026-03-02T12:05:00Z');
    await worker.drain();
    const mail = to('ana@example.org');
    expect(mail.map((m) => m.mail.subject)).toEqual(['[D-1] D-1 opened: Adopt fortnightly content meetings?']);
    expect(mail[0]!.mail.text).toContain(
      'Answer by Sat 7 Mar 2026, 04:00 (America/Los_Angeles); silence by then counts as consent',
    );
    const proof = (await getDecision(hub, 'D-1')).notified;
    expect(proof.told.find((t) => t.handle === 'ana')).toMatchObject({ how: 'mail', mail: 'sent' });
    expect(proof.unreached.map((u) => u.handle)).not.toContain('ana');
  });

  it('a weekly digest well before the deadline still carries the notice', async () => {
    // Wednesday 4 March at 07:00 in Los Angeles: three days before the deadline
    await setPreferences(hub, ana, { digest: 'weekly', digestHour: 7, digestWeekday: 3 });
    await open();
    expect((await listInbox(hub, ana)).items.map((n) => n.mail)).toEqual(['digest']);
  });

  it('with mail at once turned off, the closing-soon reminder is not left for a digest that comes with less time to answer', async () => {
    await setPreferences(hub, ana, { immediate: false, digest: 'daily', digestHour: 8 });
    await open();
    at('2026-03-05T12:00:00Z');
    await new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) }).drain();
    const closing = (await listInbox(hub, ana)).items.find((n) => n.kind === 'decision-closing');
    expect(closing?.mail).toBe('queued');
  });

  it('a person made a member while a decision is open is told of it, by mail in time, and the proof shows them reached', async () => {
    await open();
    await person(hub, 'cy', { timeZone: 'Europe/Berlin' });
    await hub.store.db
      .updateTable('people')
      .set({ email: 'cy@example.org', confirmed_email: 'cy@example.org' })
      .where('handle', '=', 'cy')
      .execute();
    at('2026-03-04T09:00:00Z');
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'member' });
    const cy = await asActor(hub, 'cy');
    const told = (await listInbox(hub, cy)).items.find((n) => n.kind === 'decision-opened');
    expect(told).toMatchObject({
      title: 'D-1 is open, and your answer now counts: Adopt fortnightly content meetings?',
      detail: 'Answer by Sat 7 Mar 2026, 13:00 (Europe/Berlin); silence by then counts as consent',
      path: '/decisions/D-1',
    });
    // before: never told (joined after it opened), yet counted
    const before = (await getDecision(hub, 'D-1')).notified;
    expect(before.silent).toContain('cy');
    expect(before.unreached.find((u) => u.handle === 'cy')?.why).toBe(
      'mail not sent yet (batching, quiet hours or the digest) and not opened',
    );
    // cy's daily digest (08:00 in Berlin, the next morning) carries it, days before the deadline
    at('2026-03-05T07:00:00Z');
    await worker.drain();
    const mail = to('cy@example.org');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.mail.text).toContain('D-1 is open, and your answer now counts');
    const after = (await getDecision(hub, 'D-1')).notified;
    expect(after.unreached.map((u) => u.handle)).not.toContain('cy');
  });

  it('made a member during a vote: told the vote now waits for their vote; a member made lead, or one muted, is told nothing new', async () => {
    await open();
    await respondToDecision(hub, ana, 'D-1', {
      kind: 'block',
      reason: 'Fortnightly is too rare for the content we have.',
      alternative: 'Weekly content meetings, fortnightly process ones.',
    });
    await requestVote(hub, lead, 'D-1');
    const cy = await person(hub, 'cy');
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'participant' });
    expect((await listInbox(hub, cy)).items).toEqual([]);
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'member' });
    expect((await listInbox(hub, cy)).items.filter((n) => n.kind === 'vote-opened').map((n) => n.title)).toEqual([
      'D-1 is in a vote, and your vote now counts: Adopt fortnightly content meetings?',
    ]);
    const bo = await asActor(hub, 'bo');
    const had = (await listInbox(hub, bo)).items.length;
    await hub.store.db.updateTable('people').set({ role: 'member' }).where('handle', '=', 'bo').execute();
    await placeInGroup(hub, SYSTEM, 'hosting', 'bo', { level: 'lead' });
    expect((await listInbox(hub, bo)).items.filter((n) => n.kind !== 'level-changed')).toHaveLength(had);
    const dee = await person(hub, 'dee');
    await setSubscription(hub, dee, { subjectType: 'group', subjectRef: 'hosting', level: 'muted' });
    await placeInGroup(hub, SYSTEM, 'hosting', 'dee', { level: 'member' });
    expect((await listInbox(hub, dee)).items.filter((n) => n.subject.type === 'decision')).toEqual([]);
  });
});
