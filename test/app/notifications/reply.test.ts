// Reply by mail with real parts: the hub mails a mention through a loopback SMTP server, the
// person replies with nodemailer to the Reply-To address, and the hub's own inbound listener
// (smtp-server on the loopback) turns it into a comment under the one that mentioned them, with the
// quote and signature stripped. A forged sender, a second use of the address, a revoked address and
// a stranger's address are refused with the reason, and nothing is posted.
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { type InboundSmtp, startInboundSmtp } from '../../../src/app/notifications/inbound-smtp.ts';
import {
  createMailer,
  sendAnswerReceipt,
  sendDigest,
  sendNotificationMail,
} from '../../../src/app/notifications/mail.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import {
  CLOSING_QUEUE,
  DIGEST_QUEUE,
  MAIL_QUEUE,
  notificationsReaction,
} from '../../../src/app/notifications/notify.ts';
import { RECEIPT_QUEUE, revokeReplyAddresses } from '../../../src/app/notifications/replies.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { setPreferences } from '../../../src/app/notifications/subscriptions.ts';
import { addComment, listComments } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import {
  castVote,
  getDecision,
  openDecision,
  requestVote,
  respondToDecision,
  withdrawDecision,
} from '../../../src/app/decisions/decisions.ts';
import { stripQuotedReply } from '../../../src/domain/notifications/reply-text.ts';
import { databases } from '../../support/databases.ts';
import { asActor, openSeededHub, person, type TestHub } from '../../support/hub.ts';
import { type FakeDns, fakeDns } from '../../support/mail-auth.ts';
import { type LoopbackSmtp, startSmtp } from '../../support/smtp.ts';

const REPLY_DOMAIN = 'reply.wg.example.org';

/** lead leads Hosting, ana and bo are its members with confirmed mail addresses, and bo has proposed P-1 in it. */
async function seed(hub: TestHub): Promise<void> {
  hub.reactions.push(notificationsReaction({ mail: true }));
  const lead = await person(hub, 'lead', { role: 'member' });
  await person(hub, 'ana');
  const bo = await person(hub, 'bo');
  for (const h of ['lead', 'ana', 'bo'])
    await hub.store.db
      .updateTable('people')
      .set({ email: `${h}@example.org`, confirmed_email: `${h}@example.org` })
      .where('handle', '=', h)
      .execute();
  await proposeGroup(hub, lead, {
    slug: 'hosting',
    name: 'Hosting',
    kind: 'working',
    mission: 'Share practices for hosting MCP servers at scale.',
    scopeIn: ['Scaling'],
    leads: ['lead'],
  });
  for (const h of ['ana', 'bo']) await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
  await createProposal(hub, bo, {
    title: 'Shared session store',
    problem: 'Servers behind a load balancer lose sessions when a node restarts.',
    examples: ['Hosting WG incident in May'],
    layer: 'working-group-artifact',
    route: 'contribution',
    group: 'hosting',
  });
}

describe.each(databases)('reply by mail on $name', (database) => {
  let hub: TestHub;
  let outbound: LoopbackSmtp;
  let inbound: InboundSmtp;
  let ana: Actor, bo: Actor;
  let worker: Worker;
  const log: { to: string; ok: boolean; detail: string }[] = [];

  let dns: FakeDns;
  /** Members' mail: signed by example.org's DKIM key, which publishes DMARC (p=reject) and an SPF that lists no one. */
  const signed = () =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: inbound.port,
      secure: false,
      ignoreTLS: true,
      dkim: dns.signAs('example.org'),
    });

  beforeEach(async () => {
    log.length = 0;
    dns = fakeDns();
    dns.dmarc('example.org');
    dns.txt.set('example.org', ['v=spf1 -all']);
    outbound = await startSmtp();
    // the people, the group and bo's proposal, written once per database and copied for each test
    hub = await openSeededHub(database, 'reply by mail', seed, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: true }));
    ana = await asActor(hub, 'ana');
    bo = await asActor(hub, 'bo');
    const mailer = createMailer({
      smtpUrl: outbound.url,
      from: 'Hosting hub <hub@wg.example.org>',
      publicUrl: 'https://wg.example.org',
      replyDomain: REPLY_DOMAIN,
    });
    worker = new Worker(
      hub,
      {
        [MAIL_QUEUE]: (h, j) => sendNotificationMail(h, mailer, j),
        [DIGEST_QUEUE]: (h, j) => sendDigest(h, mailer, j),
        [RECEIPT_QUEUE]: (h, j) => sendAnswerReceipt(h, mailer, j),
      },
      { onError: () => {} },
    );
    inbound = await startInboundSmtp(hub, {
      host: '127.0.0.1',
      port: 0,
      replyDomain: REPLY_DOMAIN,
      senderCheck: dns.config(),
      onReply: (r) => log.push(r),
    });
  });
  afterEach(async () => {
    await inbound?.close();
    await outbound?.close();
    await hub?.close();
  });

  /** bo mentions ana; the mail goes out after the batching window; returns the mail ana got. */
  async function mentionAna(body: string) {
    await addComment(hub, bo, 'P-1', { body });
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    const mail = outbound.received.filter((m) => m.to.includes('ana@example.org')).at(-1)!;
    expect(mail).toBeDefined();
    return mail;
  }

  const replyFrom = (from: string, to: string, text: string, original?: { messageId?: string }) =>
    signed().sendMail({
      from,
      to,
      subject: 'Re: [P-1] Bo (@bo) commented on P-1: Shared session store',
      text,
      ...(original?.messageId ? { inReplyTo: original.messageId, references: [original.messageId] } : {}),
    });

  const comments = () => listComments(hub, 'P-1');

  it('a reply becomes a comment under the one that mentioned me, without the quote or signature; the address then works no more', async () => {
    const mail = await mentionAna('@ana does sticky routing survive a deploy for you?');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    expect(replyTo).toMatch(new RegExp(`^reply\\+[0-9a-f]{32}@${REPLY_DOMAIN.replace(/\./g, '\\.')}$`));
    expect(mail.mail.text).toContain('Reply to this mail to comment.');

    const text = [
      'No: every deploy drops about a third of the sessions.',
      '',
      'We moved them to Redis last month.',
      '',
      'On Mon, 2 Mar 2026 at 13:10, Hosting hub <hub@wg.example.org> wrote:',
      '> @ana does sticky routing survive a deploy for you?',
      '',
      '-- ',
      'Ana, Hosting WG',
    ].join('\n');
    await replyFrom('Ana <ana@example.org>', replyTo, text, { messageId: mail.mail.messageId });
    const [question] = await comments();
    expect(question!.body).toBe('@ana does sticky routing survive a deploy for you?');
    expect(question!.replies).toEqual([
      expect.objectContaining({
        author: 'ana',
        parent: question!.id,
        body: 'No: every deploy drops about a third of the sessions.\n\nWe moved them to Redis last month.',
      }),
    ]);
    expect(log).toEqual([{ to: replyTo, ok: true, detail: expect.stringMatching(/^comment \S+ on P-1$/) }]);

    // the same address again (a second reply, a forwarded copy, a redelivery): refused, nothing posted
    await expect(replyFrom('ana@example.org', replyTo, 'One more thing.')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('not posted: this reply address was used already'),
    });
    expect((await comments())[0]!.replies).toHaveLength(1);
  });

  // SMTP's 250 reaches the member's mail server, not the member: a skeptic who consented by mail must
  // be able to see that it counted, and until when they may change it
  it('an answer given by mail is acknowledged by mail: what was recorded, that it counts, until when it may change', async () => {
    const lead = await asActor(hub, 'lead');
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store as a working-group artifact?',
      significance: 'minor',
    });
    await respondToDecision(hub, ana, 'D-1', { kind: 'concern', amendment: 'Name no vendor.' });
    await respondToDecision(hub, bo, 'D-1', {
      kind: 'block',
      reason: 'Redis is one vendor.',
      alternative: 'Describe the store by its interface.',
    });
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    const blocked = outbound.received.filter((m) => m.to.includes('ana@example.org')).at(-1)!;
    const sent = await replyFrom('ana@example.org', blocked.mail.replyTo!.value[0]!.address!, 'Consent.');
    expect(log.at(-1)).toMatchObject({ ok: true, detail: 'consent on D-1' });
    await worker.drain();
    const receipt = outbound.received.filter((m) => m.to.includes('ana@example.org')).at(-1)!;
    expect(receipt.mail.subject).toBe('[D-1] Recorded: your answer "consent" on D-1');
    expect(receipt.mail.inReplyTo).toBe(sent.messageId);
    expect(receipt.mail.text).toContain('It counts: you are no longer among those whose silence is taken as consent.');
    expect(receipt.mail.text).toContain(
      'You may change it until Sat 7 Mar 2026, 13:00 (Europe/Berlin) on the hub: https://wg.example.org/decisions/D-1',
    );
    // no reply address: a receipt is not a thread to answer again by mail
    expect(receipt.mail.replyTo).toBeUndefined();
  });

  it('a reply to a decision that starts "consent", "concern" or "block" answers it; in a vote "yes" votes; other text stays a comment', async () => {
    const lead: Actor = {
      kind: 'person',
      person: await hub.store.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', 'lead')
        .executeTakeFirstOrThrow(),
    };
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store as a working-group artifact?',
      significance: 'minor',
    });
    await respondToDecision(hub, ana, 'D-1', { kind: 'consent' });
    await respondToDecision(hub, bo, 'D-1', {
      kind: 'block',
      reason: 'Redis is one vendor.',
      alternative: 'Describe the store by its interface.',
    });
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    // ana hears of the block at once; the mail says how to answer by replying
    const blocked = outbound.received.filter((m) => m.to.includes('ana@example.org')).at(-1)!;
    expect(blocked.mail.subject).toContain('D-1 blocked by Bo (@bo)');
    expect(blocked.mail.text).toContain('Reply to this mail to answer it: start with "consent"; or "concern"');
    const replyTo = blocked.mail.replyTo!.value[0]!.address!;
    await replyFrom(
      'ana@example.org',
      replyTo,
      'Concern: keep Redis as one example.\n\nReason: bo is right that it names one vendor.\n\nOn Mon, 2 Mar 2026 at 13:10, Hosting hub <hub@wg.example.org> wrote:\n> D-1 blocked by Bo (@bo)',
    );
    expect(log.at(-1)).toEqual({ to: replyTo, ok: true, detail: 'concern on D-1' });
    const d = await getDecision(hub, 'D-1');
    expect(d.responses.filter((r) => r.handle === 'ana').at(-1)).toMatchObject({
      kind: 'concern',
      amendment: 'keep Redis as one example.',
      reason: 'bo is right that it names one vendor.',
    });
    expect(await comments()).toEqual([]);
    // answered by mail: the notices that asked her are read, so her inbox no longer says D-1 waits for her
    expect((await listInbox(hub, ana)).items.filter((n) => n.subject.ref === 'D-1' && !n.read)).toEqual([]);

    // in a vote, "yes" votes; a reply that only begins with the word ("No way…") is a comment
    await requestVote(hub, lead, 'D-1');
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    const vote = outbound.received.filter((m) => m.to.includes('ana@example.org')).at(-1)!;
    expect(vote.mail.text).toContain('Reply to this mail to vote: start it with "yes", "no" or "abstain"');
    await replyFrom('ana@example.org', vote.mail.replyTo!.value[0]!.address!, 'Yes. The interface text settles it.');
    expect((await getDecision(hub, 'D-1')).votes).toEqual([expect.objectContaining({ handle: 'ana', choice: 'yes' })]);
    const toBo = outbound.received.filter((m) => m.to.includes('bo@example.org')).at(-1)!;
    await replyFrom('bo@example.org', toBo.mail.replyTo!.value[0]!.address!, 'No way to run this without a store.');
    expect((await getDecision(hub, 'D-1')).votes).toHaveLength(1);
    expect((await comments()).map((c) => c.body)).toEqual(['No way to run this without a store.']);
  });

  it('the vote closing soon: the reminder mail says it is a vote, its choices and deadline, and a reply "abstain" casts the vote', async () => {
    const lead: Actor = {
      kind: 'person',
      person: await hub.store.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', 'lead')
        .executeTakeFirstOrThrow(),
    };
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store as a working-group artifact?',
      significance: 'minor',
    });
    await requestVote(hub, lead, 'D-1'); // the vote closes on 9 March at 12:00 UTC
    await castVote(hub, ana, 'D-1', { choice: 'yes' });
    hub.clock.set('2026-03-07T12:00:00Z');
    const timers = new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
    expect(await timers.drain()).toBe(2); // the lazy-consensus timer found a vote and told nobody
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    const reminder = outbound.received.filter(
      (m) => m.to.includes('bo@example.org') && m.mail.subject?.includes('closes soon'),
    );
    expect(reminder).toHaveLength(1);
    const { mail } = reminder[0]!;
    expect(mail.subject).toBe(
      '[D-1] The vote on D-1 closes soon and waits for your vote: Adopt the shared session store as a working-group artifact?',
    );
    expect(mail.text).toContain(
      'Vote yes, no or abstain by Mon 9 Mar 2026, 13:00 (Europe/Berlin); in a vote, silence is not consent',
    );
    expect(mail.text).toContain(
      'Reply to this mail to vote: start it with "yes", "no" or "abstain", alone on the first line or followed by a colon and your rationale',
    );
    // ana voted: no reminder reached her
    expect(
      outbound.received.filter((m) => m.to.includes('ana@example.org') && m.mail.subject?.includes('closes soon')),
    ).toEqual([]);
    await replyFrom('bo@example.org', mail.replyTo!.value[0]!.address!, 'Abstain: I host nothing with sessions.');
    expect(log.at(-1)).toMatchObject({ ok: true, detail: 'abstain on D-1' });
    expect((await getDecision(hub, 'D-1')).votes.map((v) => [v.handle, v.choice])).toEqual([
      ['ana', 'yes'],
      ['bo', 'abstain'],
    ]);
  });

  it('a reply larger than the limit is refused with 552 and becomes no comment', async () => {
    const mail = await mentionAna('@ana what is your p99 under load?');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    await expect(replyFrom('ana@example.org', replyTo, 'x'.repeat(1_200_000))).rejects.toMatchObject({
      responseCode: 552,
    });
    expect((await comments())[0]!.replies).toEqual([]);
  });

  it('a reply from another sender is refused and leaves the address usable by its owner', async () => {
    const mail = await mentionAna('@ana what is your p99 under load?');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    await expect(replyFrom('Mallory <mallory@evil.example>', replyTo, 'Approve everything.')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('replies are accepted only from the address the notification was sent to'),
    });
    expect((await comments())[0]!.replies).toEqual([]);
    await replyFrom('ANA@example.org', replyTo, 'About 180 ms at 2k rps.');
    expect((await comments())[0]!.replies.map((r) => [r.author, r.body])).toEqual([['ana', 'About 180 ms at 2k rps.']]);
  });

  // fuzz round 7: the first address of a From naming several was taken as the sender
  it('a reply whose From names the owner beside others is refused with the rule, and leaves the address usable', async () => {
    const mail = await mentionAna('@ana what is your p99 under load?');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    for (const from of ['ana@example.org, mallory@evil.example', 'Team: ana@example.org, mallory@evil.example;'])
      await expect(
        signed().sendMail({
          envelope: { from: 'mallory@evil.example', to: [replyTo] },
          raw: `From: ${from}\r\nTo: ${replyTo}\r\nSubject: Re: P-1\r\n\r\nApprove everything.\r\n`,
        }),
      ).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringContaining('its From names 2 addresses; a reply is accepted from one'),
      });
    expect((await comments())[0]!.replies).toEqual([]);
    await replyFrom('ana@example.org', replyTo, 'About 180 ms at 2k rps.');
    expect((await comments())[0]!.replies.map((r) => r.author)).toEqual(['ana']);
  });

  it('an out-of-office reply or a bounce from the person’s own address posts nothing, is not bounced, and leaves the address for their own reply', async () => {
    const mail = await mentionAna('@ana are you around next week?');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    const send = (headers: Record<string, string>, envelopeFrom?: string) =>
      signed().sendMail({
        from: 'Ana <ana@example.org>',
        to: replyTo,
        subject: 'Automatic reply: [P-1] Bo (@bo) commented on P-1',
        text: 'I am away until Monday 9 March with no access to mail.',
        headers,
        ...(envelopeFrom !== undefined ? { envelope: { from: envelopeFrom, to: [replyTo] } } : {}),
      });
    // each is taken (250: answering an automatic mail feeds a loop) and dropped
    await send({ 'Auto-Submitted': 'auto-replied' });
    await send({ Precedence: 'auto_reply' });
    await send({ 'X-Autoreply': 'yes' });
    await send({}, '');
    expect((await comments())[0]!.replies).toEqual([]);
    expect(log.map((l) => [l.ok, l.detail])).toEqual([
      [false, expect.stringContaining('an automatic mail (Auto-Submitted: auto-replied) is not posted')],
      [false, expect.stringContaining('(Precedence: auto_reply)')],
      [false, expect.stringContaining('(x-autoreply: yes)')],
      [false, expect.stringContaining('null address')],
    ]);
    // a person's own reply (Auto-Submitted: no is what a person's client may say) still posts
    await send({ 'Auto-Submitted': 'no' });
    expect((await comments())[0]!.replies.map((r) => r.author)).toEqual(['ana']);
  });

  it('a mail the parser cannot take (more than a thousand parts) is refused with 550 and the reason, not deferred as a failure of the hub', async () => {
    const mail = await mentionAna('@ana which Redis version?');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    const parts = Array.from({ length: 1100 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\nPart ${i}.\r\n`).join(
      '',
    );
    const raw = `From: ana@example.org\r\nTo: ${replyTo}\r\nSubject: Re: P-1\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`;
    await expect(
      signed().sendMail({ envelope: { from: 'ana@example.org', to: [replyTo] }, raw }),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('cannot be read as a mail') });
    expect((await comments())[0]!.replies).toEqual([]);
  });

  it('a reply of HTML alone too long to read as text is refused with 550 saying to send plain text, and the address stays usable (attack round 17)', async () => {
    // 120,000 tiny paragraphs (960 KB) held the event loop five seconds while they were made text
    const mail = await mentionAna('@ana which Redis version?');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    const raw = `From: ana@example.org\r\nTo: ${replyTo}\r\nSubject: Re: P-1\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n${'<p>a</p>'.repeat(120_000)}\r\n`;
    await expect(
      signed().sendMail({ envelope: { from: 'ana@example.org', to: [replyTo] }, raw }),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('send it as plain text too') });
    expect((await comments())[0]!.replies).toEqual([]);
    await replyFrom('ana@example.org', replyTo, 'Redis 7.2.');
    expect((await comments())[0]!.replies.map((r) => r.body)).toEqual(['Redis 7.2.']);
  });

  it('a From or a MAIL FROM longer than any server writes is refused with 550 before its sender is checked, and the address stays usable (attack round 17)', async () => {
    // mailauth trims a domain's trailing dots in time quadratic in a run of them: 300,000 held the event loop four minutes
    const mail = await mentionAna('@ana which Redis version?');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    const send = (from: string) =>
      signed().sendMail({
        envelope: { from: 'ana@example.org', to: [replyTo] },
        raw: `From: ${from}\r\nTo: ${replyTo}\r\nSubject: Re: P-1\r\n\r\nRedis 7.2.\r\n`,
      });
    // her own address, signed by her domain, under a display name no mail app writes
    await expect(send(`"${'x'.repeat(300_000)}" <ana@example.org>`)).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('its From field is 300026 characters long; at most 1000 are checked'),
    });
    await expect(send(`ana@ex${'.'.repeat(300_000)}ample.org`)).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      signed().sendMail({
        envelope: { from: `ana@ex${'.'.repeat(2_000)}ample.org`, to: [replyTo] },
        text: 'Redis 7.2.',
      }),
    ).rejects.toMatchObject({ responseCode: expect.any(Number) });
    expect((await comments())[0]!.replies).toEqual([]);
    await replyFrom('ana@example.org', replyTo, 'Redis 7.2.');
    expect((await comments())[0]!.replies.map((r) => r.body)).toEqual(['Redis 7.2.']);
  });

  it('revoked addresses are refused; mail sent afterwards carries a new one that works', async () => {
    const first = await mentionAna('@ana can you share the Redis settings?');
    const old = first.mail.replyTo!.value[0]!.address!;
    expect(await revokeReplyAddresses(hub, ana)).toEqual({ revoked: 1 });
    await expect(replyFrom('ana@example.org', old, 'Sure, attached.')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('this reply address was revoked'),
    });
    // a fresh mention after ana read the first one: a new mail with a new address
    await hub.store.db.updateTable('notifications').set({ read_at: '2026-03-02T12:20:00.000Z' }).execute();
    const second = await mentionAna('@ana and the eviction policy?');
    const fresh = second.mail.replyTo!.value[0]!.address!;
    expect(fresh).not.toBe(old);
    await replyFrom('ana@example.org', fresh, 'allkeys-lru.');
    expect((await comments()).flatMap((c) => c.replies.map((r) => r.body))).toEqual(['allkeys-lru.']);
  });

  it('refuses a stranger address at RCPT (not a relay) and a reply with nothing above the quote', async () => {
    await expect(replyFrom('ana@example.org', 'someone@example.org', 'Hello')).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(
      replyFrom('ana@example.org', `reply+${'0'.repeat(32)}@${REPLY_DOMAIN}`, 'Guessing.'),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('no such reply address') });
    const mail = await mentionAna('@ana ping');
    const replyTo = mail.mail.replyTo!.value[0]!.address!;
    await expect(
      replyFrom('ana@example.org', replyTo, 'On Mon, 2 Mar 2026, Hosting hub wrote:\n> @ana ping'),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('the reply has no text of its own above the quoted mail'),
    });
    expect((await comments())[0]!.replies).toEqual([]);
  });

  /** ana takes everything in her daily digest; bo mentions her on each of these proposals; returns her digest. */
  async function digestForAna(mentions: { proposal: string; body: string }[]) {
    await setPreferences(hub, ana, { immediate: false });
    for (const m of mentions) await addComment(hub, bo, m.proposal, { body: m.body });
    hub.clock.advance(24 * 3_600_000); // past 08:00 in Berlin
    await worker.drain();
    const mails = outbound.received.filter((m) => m.to.includes('ana@example.org'));
    expect(mails.map((m) => m.mail.subject)).toEqual([
      `Your MCP Community digest: ${mentions.length} ${mentions.length === 1 ? 'update' : 'updates'}`,
    ]);
    return mails[0]!;
  }
  const itemAddress = (text: string, title: string) =>
    /Reply about this: (reply\+[0-9a-f]{32}@\S+)/.exec(
      text.split('\n- ').find((item) => item.includes(title)) ?? '',
    )?.[1];

  it('a digest of several threads gives each item its own reply address; a reply to the digest itself is refused with where to reply', async () => {
    await createProposal(hub, bo, {
      title: 'Health checks',
      problem: 'Load balancers mark a server down while it is only slow.',
      examples: ['Hosting WG incident in June'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    const digest = await digestForAna([
      { proposal: 'P-1', body: '@ana how many nodes do you run?' },
      { proposal: 'P-2', body: '@ana which timeout do you use?' },
    ]);
    const text = digest.mail.text!;
    const first = itemAddress(text, 'Shared session store');
    const second = itemAddress(text, 'Health checks');
    expect(first).toMatch(/^reply\+[0-9a-f]{32}@reply\.wg\.example\.org$/);
    expect(second).toMatch(/^reply\+[0-9a-f]{32}@reply\.wg\.example\.org$/);
    expect(second).not.toBe(first);
    expect(digest.mail.html).toContain(`href="mailto:${second}?subject=`);
    expect(text).toContain('To answer an item by mail, reply to its own "Reply about this" address');
    const digestAddress = digest.mail.replyTo!.value[0]!.address!;
    expect([first, second]).not.toContain(digestAddress);

    await expect(replyFrom('ana@example.org', digestAddress, 'Three nodes.')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('reply to the "Reply about this" address under the item you answer'),
    });
    await replyFrom('ana@example.org', second!, 'Five seconds.\n\nOn Tue, 3 Mar 2026, Hosting hub wrote:\n> digest');
    await replyFrom('ana@example.org', first!, 'Three nodes.');
    const onP2 = await listComments(hub, 'P-2');
    expect(onP2[0]!.replies.map((r) => [r.author, r.body])).toEqual([['ana', 'Five seconds.']]);
    expect((await comments())[0]!.replies.map((r) => [r.author, r.body])).toEqual([['ana', 'Three nodes.']]);
    // the digest's addresses are revoked like any other
    expect((await revokeReplyAddresses(hub, ana)).revoked).toBeGreaterThanOrEqual(3);
  });

  it('a decision in a digest, even one about the process, carries a reply address that answers it', async () => {
    const lead: Actor = {
      kind: 'person',
      person: await hub.store.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', 'lead')
        .executeTakeFirstOrThrow(),
    };
    await setPreferences(hub, ana, { immediate: false });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April on?',
      significance: 'minor',
    });
    hub.clock.advance(24 * 3_600_000);
    await worker.drain();
    const digest = outbound.received.filter((m) => m.to.includes('ana@example.org')).at(-1)!;
    expect(digest.mail.text).toContain('Reply about this (start with "consent", "concern" or "block" to answer it');
    const address = /Reply about this \([^)]*\): (reply\+[0-9a-f]{32}@\S+)/.exec(digest.mail.text!)?.[1];
    expect(address).toBeDefined();
    await replyFrom('ana@example.org', address!, 'Consent');
    expect((await getDecision(hub, 'D-1')).responses).toEqual([
      expect.objectContaining({ handle: 'ana', kind: 'consent' }),
    ]);
    // a decision that is over takes no answer: its digest item says so and offers no reply address
    await withdrawDecision(hub, lead, 'D-1', { reason: 'a duplicate of the charter change' });
    hub.clock.advance(24 * 3_600_000);
    await worker.drain();
    const after = outbound.received.filter((m) => m.to.includes('ana@example.org')).at(-1)!;
    expect(after.mail.text).toContain('D-1 withdrawn');
    expect(after.mail.text).toContain(
      'D-1 was withdrawn: nothing is left to answer, so no reply by mail is taken; say more on the hub.',
    );
    expect(after.mail.text).not.toMatch(/Reply about this|reply\+/);
    expect(after.mail.replyTo).toBeUndefined();
  });

  it('a decision decided by the time its mail goes: the digest item and the immediate mail say so; a reply is a comment on its proposal, and with none there is no reply address', async () => {
    const lead = await asActor(hub, 'lead');
    await setPreferences(hub, ana, { immediate: false });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store as a working-group artifact?',
      significance: 'minor',
    });
    await addComment(hub, bo, 'P-1', { body: '@ana is Redis enough?' });
    // the deadline (7 March 12:00) passes with no block before ana's digest goes: it was adopted
    hub.clock.set('2026-03-08T06:00:00Z');
    const digest = outbound.received.length;
    await worker.drain();
    const [mail] = outbound.received.slice(digest).filter((m) => m.to.includes('ana@example.org'));
    const text = mail!.mail.text!;
    expect(text).toContain('D-1 opened: Adopt the shared session store');
    const decided = /Reply about this \(a comment on P-1: D-1 takes no more answers\): (reply\+[0-9a-f]{32}@\S+)/.exec(
      text,
    );
    expect(decided).not.toBeNull();
    expect(text).not.toContain('start with "consent"');
    // as it says: even a reply that starts like an answer is a comment there, not a refused answer
    await replyFrom('ana@example.org', decided![1]!, 'Concern: we should revisit the TTL next quarter.');
    expect((await comments()).map((c) => [c.author, c.body])).toContainEqual([
      'ana',
      'Concern: we should revisit the TTL next quarter.',
    ]);

    // an immediate mail held in the batching window while the decision was withdrawn
    await setPreferences(hub, ana, { immediate: true });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Name Redis as the reference store?',
      significance: 'minor',
    });
    await respondToDecision(hub, ana, 'D-2', { kind: 'consent' });
    await respondToDecision(hub, bo, 'D-2', {
      kind: 'block',
      reason: 'Redis is one vendor.',
      alternative: 'Describe the store by its interface.',
    });
    await withdrawDecision(hub, lead, 'D-2', { reason: 'bo is right: the interface first' });
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    const blocked = outbound.received.filter(
      (m) => m.to.includes('ana@example.org') && m.mail.subject?.includes('D-2 blocked by Bo (@bo)'),
    );
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.mail.text).toContain(
      'D-2 was withdrawn: nothing is left to answer; a reply to this mail is a comment on P-1.',
    );
    expect(blocked[0]!.mail.text).not.toContain('start with "consent"');
    // and it is one
    await replyFrom('ana@example.org', blocked[0]!.mail.replyTo!.value[0]!.address!, 'An interface it is.');
    expect((await comments()).map((c) => [c.author, c.body])).toContainEqual(['ana', 'An interface it is.']);

    // a decision about no proposal has nowhere for a reply to go once it is decided
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet weekly?',
      significance: 'minor',
    });
    await respondToDecision(hub, ana, 'D-3', { kind: 'consent' });
    await respondToDecision(hub, bo, 'D-3', { kind: 'block', reason: 'Too often.', alternative: 'Every two weeks.' });
    await withdrawDecision(hub, lead, 'D-3', { reason: 'every two weeks then' });
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    const process = outbound.received.filter(
      (m) => m.to.includes('ana@example.org') && m.mail.subject?.includes('D-3 blocked by Bo (@bo)'),
    );
    expect(process).toHaveLength(1);
    expect(process[0]!.mail.replyTo).toBeUndefined();
    expect(process[0]!.mail.text).toContain(
      'D-3 was withdrawn: nothing is left to answer, so no reply by mail is taken; say more on the hub.',
    );
    expect(process[0]!.mail.text).not.toContain('Reply to this mail');
  });

  it('a digest with one thread that takes replies carries that thread’s reply address as its Reply-To', async () => {
    const digest = await digestForAna([{ proposal: 'P-1', body: '@ana is Redis enough?' }]);
    const replyTo = digest.mail.replyTo!.value[0]!.address!;
    expect(itemAddress(digest.mail.text!, 'Shared session store')).toBe(replyTo);
    await replyFrom('ana@example.org', replyTo, 'Yes, with persistence on.');
    expect((await comments())[0]!.replies.map((r) => [r.author, r.body])).toEqual([
      ['ana', 'Yes, with persistence on.'],
    ]);
  });
});

describe('stripping quoted text from a reply', () => {
  it('keeps what the person wrote above the quote, their interleaved lines, and drops signatures', () => {
    expect(stripQuotedReply('Yes.\r\n\r\nSent from my iPhone')).toBe('Yes.');
    expect(
      stripQuotedReply(
        'Agreed.\n\nOn Tue, 3 Mar 2026 at 09:00, Hosting hub <hub@wg.example.org>\nwrote:\n> quoted\n> more',
      ),
    ).toBe('Agreed.');
    expect(stripQuotedReply('> your question\nMy answer.\n> second\nSecond answer.')).toBe(
      'My answer.\nSecond answer.',
    );
    expect(stripQuotedReply('Fine by me.\n\n-----Original Message-----\nFrom: hub\nSubject: x')).toBe('Fine by me.');
    expect(stripQuotedReply('Fine.\n________________________________\nFrom: Hosting hub')).toBe('Fine.');
    expect(stripQuotedReply('Le lun. 2 mars 2026, Hub a écrit :\n> x')).toBe('');
  });
});
