// A mail address gets notices only once its owner confirmed it, through a real SMTP server on the
// loopback: the confirmation mail and its single-use, expiring link (stored hashed), the old
// confirmed address receiving until the new one is confirmed, the limits on asking again, an
// address someone else records, a sign-in provider's verified address, and the proof of who was
// told saying who cannot be mailed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { getDecision, openDecision } from '../../../src/app/decisions/decisions.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import {
  createMailer,
  markAddressFailing,
  sendConfirmationMail,
  sendDigest,
  sendNotificationMail,
} from '../../../src/app/notifications/mail.ts';
import { DIGEST_QUEUE, MAIL_QUEUE } from '../../../src/app/notifications/notify.ts';
import { CONFIRM_QUEUE, confirmEmail, resendConfirmation } from '../../../src/app/people/email.ts';
import { createPerson, getPerson, personRow, updatePerson } from '../../../src/app/people/people.ts';
import { personForIdentity } from '../../../src/app/people/web-sessions.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { DomainError } from '../../../src/domain/errors.ts';
import { databases } from '../../support/databases.ts';
import { asActor, person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { type LoopbackSmtp, startSmtp } from '../../support/smtp.ts';

describe.each(databases)('mail address confirmation on $name', (database) => {
  let hub: TestHub;
  let smtp: LoopbackSmtp;
  let lead: Actor, ana: Actor, bo: Actor;
  let worker: Worker;

  beforeEach(async () => {
    smtp = await startSmtp();
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
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
        [CONFIRM_QUEUE]: (h, j) => sendConfirmationMail(h, mailer, j),
      },
      { onError: () => {} },
    );
    await createProposal(hub, ana, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
  });
  afterEach(async () => {
    await hub?.close();
    await smtp?.close();
  });

  const later = (minutes: number) =>
    hub.clock.set(new Date(hub.clock.now().getTime() + minutes * 60_000).toISOString());
  const to = (address: string) => smtp.received.filter((r) => r.to.includes(address));
  const linkIn = (address: string) => {
    const mails = to(address);
    const m = /https:\/\/wg\.example\.org\/confirm-email\/([A-Za-z0-9_-]{43})/.exec(mails.at(-1)?.mail.text ?? '');
    return m?.[1];
  };
  const setEmail = async (who: Actor, handle: string, email: string | null) =>
    updatePerson(hub, who, handle, (await getPerson(hub, handle)).version, { email });
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (e instanceof DomainError) return { kind: e.kind, message: e.message, details: e.details };
      throw e;
    }
    throw new Error('expected a refusal');
  };
  const mentionBo = async () => {
    await addComment(hub, lead, 'P-1', { body: `@bo what do you think? (${hub.clock.now().toISOString()})` });
    later(6);
    await worker.drain();
  };

  it('a new address gets a confirmation link, and no notice, until its owner opens the link; the link works once', async () => {
    const view = await setEmail(bo, 'bo', 'Bo.New@Example.org');
    expect(view.mail).toMatchObject({ address: 'bo.new@example.org', confirmed: false, mailedTo: 'bo@example.org' });
    expect(view.mail!.status).toContain('Not confirmed yet');
    expect(view.mail!.status).toContain('still mailed to bo@example.org');
    // the address is never in anyone else's view of the record, nor in the event log
    expect((await getPerson(hub, 'bo', lead)).mail).toBeUndefined();
    const logged = await hub.store.db.selectFrom('events').select(['before', 'after']).execute();
    expect(JSON.stringify(logged)).not.toContain('bo.new@example.org');

    await worker.drain();
    const confirmMail = to('bo.new@example.org');
    expect(confirmMail).toHaveLength(1);
    expect(confirmMail[0]!.mail.subject).toBe('Confirm your mail address');
    expect(confirmMail[0]!.mail.text).toContain('@bo');
    const token = linkIn('bo.new@example.org')!;
    expect(token).toBeTruthy();
    // only the token's hash is stored, and no job or row holds the token itself
    const rows = await hub.store.db.selectFrom('email_confirmations').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify([rows, await hub.store.db.selectFrom('jobs').selectAll().execute()]);
    expect(stored).not.toContain(token);
    expect((await getPerson(hub, 'bo', bo)).mail!.confirmation).toMatchObject({
      mailedAt: hub.clock.now().toISOString(),
    });

    // a mention before confirmation goes to the old confirmed address only
    await mentionBo();
    expect(to('bo@example.org')).toHaveLength(1);
    expect(to('bo.new@example.org')).toHaveLength(1); // the confirmation mail alone

    // a refusal once marked the new address failing (a typo fixed since, a full mailbox emptied)
    await markAddressFailing(hub, 'bo.new@example.org', '552 mailbox full');
    expect(await confirmEmail(hub, token)).toEqual({ handle: 'bo', address: 'bo.new@example.org' });
    // following the link from that mailbox shows it takes mail
    expect(
      await hub.store.db
        .selectFrom('mail_addresses')
        .select('status')
        .where('address', '=', 'bo.new@example.org')
        .executeTakeFirst(),
    ).toEqual({ status: 'ok' });
    const after = (await getPerson(hub, 'bo', bo)).mail!;
    expect(after).toMatchObject({ confirmed: true, mailedTo: 'bo.new@example.org', confirmedVia: 'link' });
    expect(after.resend).toEqual({ allowed: false, reason: 'The mail address is confirmed already' });
    expect(await refusal(confirmEmail(hub, token))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('used already'),
    });
    expect(await refusal(confirmEmail(hub, 'x'.repeat(43)))).toMatchObject({
      message: expect.stringContaining('not one this hub sent'),
    });

    // from now on notices go to the new address, not the old one
    await mentionBo();
    expect(to('bo.new@example.org')).toHaveLength(2);
    expect(to('bo@example.org')).toHaveLength(1);
  });

  it('a first address is not mailed until confirmed: the inbox row says why, and the link expires', async () => {
    const cy = await person(hub, 'cy');
    await setEmail(cy, 'cy', 'cy@example.org');
    await worker.drain();
    expect(to('cy@example.org')).toHaveLength(1); // the confirmation
    await addComment(hub, lead, 'P-1', { body: '@cy have a look' });
    later(6);
    await worker.drain();
    expect(to('cy@example.org')).toHaveLength(1);
    expect((await listInbox(hub, cy)).items[0]).toMatchObject({ mail: 'unconfirmed' });
    expect((await getPerson(hub, 'cy', cy)).mail!.status).toContain('you are not reachable by mail');

    const token = linkIn('cy@example.org')!;
    later(48 * 60);
    expect(await refusal(confirmEmail(hub, token))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('expired'),
    });
    expect((await personRow(hub.store.db, 'cy')).confirmed_email).toBeNull();
  });

  it('a link for an address replaced since confirms nothing; clearing the address stops mail at once', async () => {
    await setEmail(bo, 'bo', 'first@example.org');
    await worker.drain();
    const first = linkIn('first@example.org')!;
    later(6);
    await setEmail(bo, 'bo', 'second@example.org');
    await worker.drain();
    expect(await refusal(confirmEmail(hub, first))).toMatchObject({
      message: 'This link confirms an address that is no longer the one on record for @bo',
    });
    // going back to the confirmed address needs no confirmation at all
    later(6);
    const back = await setEmail(bo, 'bo', 'bo@example.org');
    expect(back.mail).toMatchObject({ confirmed: true, mailedTo: 'bo@example.org' });
    expect(to('bo@example.org')).toHaveLength(0);

    await setEmail(bo, 'bo', null);
    expect((await getPerson(hub, 'bo', bo)).mail).toMatchObject({ address: null, mailedTo: null, confirmed: false });
    await mentionBo();
    const bos = ['bo@example.org', 'first@example.org', 'second@example.org'];
    const toBo = smtp.received.filter((r) => r.to.some((a) => bos.includes(a)));
    expect(toBo.map((r) => r.mail.subject)).toEqual(['Confirm your mail address', 'Confirm your mail address']);
    expect((await listInbox(hub, bo)).items[0]).toMatchObject({ mail: 'no-address' });
  });

  it('asking again is limited per person (every 5 minutes, 5 a day) and per address, with when it may be asked again', async () => {
    await setEmail(bo, 'bo', 'bo.new@example.org');
    const tooSoon = await refusal(resendConfirmation(hub, bo, 'bo'));
    expect(tooSoon).toMatchObject({
      kind: 'rate_limited',
      message:
        'No confirmation mail was sent: a confirmation mail was sent less than 5 minutes ago; ask again after 2026-03-02T12:05:00.000Z',
      details: { retryAt: '2026-03-02T12:05:00.000Z' },
    });
    expect((await getPerson(hub, 'bo', bo)).mail).toMatchObject({
      resend: { allowed: false },
      resendAfter: '2026-03-02T12:05:00.000Z',
    });
    for (let i = 0; i < 4; i++) {
      later(5);
      await resendConfirmation(hub, bo, 'bo');
    }
    later(5);
    const daily = await refusal(resendConfirmation(hub, bo, 'bo'));
    expect(daily.message).toContain('5 confirmation mails were sent in the last 24 hours');
    expect(daily.details).toEqual({ retryAt: '2026-03-03T12:00:00.000Z' });
    await worker.drain();
    expect(to('bo.new@example.org')).toHaveLength(5);

    // a change of address past the limit is kept, but no mail goes; the person sees when they may ask
    const kept = await setEmail(bo, 'bo', 'bo.third@example.org');
    expect(kept.mail).toMatchObject({ address: 'bo.third@example.org', confirmation: null });
    expect(kept.mail!.resend).toMatchObject({ allowed: false });

    // a stranger's address given to many records gets at most 5 confirmation mails a day
    for (const h of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']) {
      const p = await person(hub, h);
      await setEmail(p, h, 'stranger@example.org');
    }
    await worker.drain();
    expect(to('stranger@example.org')).toHaveLength(5);
    const p6 = await asActor(hub, 'p6');
    expect((await refusal(resendConfirmation(hub, p6, 'p6'))).message).toContain(
      '5 confirmation mails went to this address in the last 24 hours',
    );
  });

  it('only the person or whoever may edit the record asks for a link; a confirmed or missing address has none to ask for', async () => {
    expect(await refusal(resendConfirmation(hub, ana, 'bo'))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(resendConfirmation(hub, bo, 'bo'))).toMatchObject({
      message: 'The mail address of @bo is confirmed already',
    });
    await person(hub, 'dee');
    expect(await refusal(resendConfirmation(hub, SYSTEM, 'dee'))).toMatchObject({
      message: '@dee has no mail address on record: give one first',
    });
  });

  it('an address a moderator records is confirmed by its owner too', async () => {
    await createPerson(hub, SYSTEM, {
      handle: 'kai',
      name: 'Kai',
      timeZone: 'UTC',
      email: 'Kai@Example.org',
      affiliations: [],
    });
    expect((await personRow(hub.store.db, 'kai')).confirmed_email).toBeNull();
    await worker.drain();
    const token = linkIn('kai@example.org')!;
    await confirmEmail(hub, token);
    expect((await personRow(hub.store.db, 'kai')).confirmed_email).toBe('kai@example.org');
  });

  it('someone added with an address is mailed an invitation: who added them, the hub, how to sign in and the confirming link', async () => {
    const moderator = await person(hub, 'mod', { role: 'moderator' });
    const mod = await personRow(hub.store.db, 'mod');
    hub.settings.mailsOut = true;
    const added = await createPerson(hub, moderator, {
      handle: 'kai',
      name: 'Kai Tanaka',
      timeZone: 'UTC',
      role: 'member',
      email: 'Kai@Example.org',
      affiliations: [],
    });
    expect(added.invitation).toEqual({ mailed: true, status: expect.stringMatching(/^An invitation is on its way/) });
    await worker.drain();
    const mail = to('kai@example.org').at(-1)!.mail;
    expect(mail.subject).toBe('You are invited to wg.example.org');
    expect(mail.text).toContain(`${mod.name} (@mod) added you to https://wg.example.org as @kai (member)`);
    expect(mail.text).toContain('open https://wg.example.org/sign-in and');
    expect(mail.text).toContain('silence by the deadline counts as consent');
    const token = linkIn('kai@example.org')!;
    await confirmEmail(hub, token);
    expect((await personRow(hub.store.db, 'kai')).confirmed_email).toBe('kai@example.org');

    // a hub that sends no mail says so, and who was added without an address is told nothing
    hub.settings.mailsOut = false;
    const quiet = await createPerson(hub, moderator, {
      handle: 'ines',
      name: 'Inês',
      timeZone: 'UTC',
      email: 'ines@example.org',
      affiliations: [],
    });
    expect(quiet.invitation).toEqual({
      mailed: false,
      status: expect.stringMatching(/^No invitation was mailed: this hub sends no mail/),
    });
    const none = await createPerson(hub, moderator, { handle: 'jo', name: 'Jo', timeZone: 'UTC', affiliations: [] });
    expect(none.invitation).toBeUndefined();
  });

  it('news after the address is confirmed is mailed, not folded into an unread notice from before, when it could not be', async () => {
    await setEmail(ana, 'ana', null);
    await addComment(hub, bo, 'P-1', { body: 'Have you tried a shared store?' });
    const before = (await listInbox(hub, ana)).items.filter((n) => n.kind === 'proposal-commented');
    expect(before.map((n) => n.mail)).toEqual(['no-address']);
    await setEmail(ana, 'ana', 'ana@example.org');
    await worker.drain();
    await confirmEmail(hub, linkIn('ana@example.org')!);
    await addComment(hub, bo, 'P-1', { body: 'We run Redis behind it.' });
    const after = (await listInbox(hub, ana)).items.filter((n) => n.kind === 'proposal-commented');
    expect(after.map((n) => n.mail).sort()).toEqual(['digest', 'no-address']);
    // her daily digest (08:00 in Los Angeles) carries it
    hub.clock.set('2026-03-03T16:30:00Z');
    await worker.drain();
    const digest = to('ana@example.org').find((m) => m.mail.subject?.startsWith('Your MCP Community digest'));
    expect(digest?.mail.text).toContain('Bo (@bo) commented on P-1');
  });

  it('an address the sign-in provider reports verified is confirmed without a mail; an unverified one is not recorded', async () => {
    const claims = { issuer: 'https://id.example.org', handle: 'lena', name: 'Lena', timeZone: null, github: null };
    const made = await personForIdentity(hub, {
      ...claims,
      subject: 'sub-lena',
      email: 'Lena@Example.org',
      emailVerified: true,
    });
    const lena = await personRow(hub.store.db, made.person.handle);
    expect(lena).toMatchObject({
      email: 'lena@example.org',
      confirmed_email: 'lena@example.org',
      email_confirmed_via: 'provider',
    });
    const other = await personForIdentity(hub, {
      ...claims,
      handle: 'max',
      subject: 'sub-max',
      email: 'max@example.org',
      emailVerified: false,
    });
    expect(await personRow(hub.store.db, other.person.handle)).toMatchObject({ email: null, confirmed_email: null });

    // an address the person set and has not confirmed is confirmed by a later sign-in reporting it verified
    await setEmail(await asActor(hub, 'max'), 'max', 'max@example.org');
    await personForIdentity(hub, {
      ...claims,
      handle: 'max',
      subject: 'sub-max',
      email: 'MAX@example.org',
      emailVerified: true,
    });
    expect(await personRow(hub.store.db, 'max')).toMatchObject({ confirmed_email: 'max@example.org' });
    await worker.drain();
    // the confirmation already queued for it is not sent once the address is confirmed
    expect(to('lena@example.org')).toHaveLength(0);
    expect(to('max@example.org')).toHaveLength(0);
  });

  it('the proof of who was told says who cannot be mailed, and why, in words', async () => {
    await setEmail(bo, 'bo', 'bo.new@example.org');
    await hub.store.db.updateTable('people').set({ confirmed_email: null }).where('handle', '=', 'bo').execute();
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly?',
      significance: 'minor',
    });
    const proof = (await getDecision(hub, 'D-1')).notified;
    expect(proof.told.find((t) => t.handle === 'bo')).toMatchObject({ how: 'inbox', mail: 'unconfirmed' });
    expect(proof.notMailable).toEqual([
      { handle: 'bo', name: 'Bo', why: 'not reachable by mail: their mail address is not confirmed' },
    ]);
    expect(proof.unreached.find((u) => u.handle === 'bo')).toEqual({
      handle: 'bo',
      name: 'Bo',
      why: 'told only in the inbox, not reachable by mail: their mail address is not confirmed, and never opened it',
    });
    expect(proof.silenceWarning).toContain('bo');
  });
});
