// Replying by mail to a meeting's notes, with real parts: the hub mails "notes published" through a
// loopback SMTP server, the member replies with nodemailer to its Reply-To, and the hub's inbound
// listener (smtp-server) posts the reply on the proposal the named agenda item links to. A reply
// that names no item, or an item without a proposal, bounces with where to reply instead, and
// leaves the address usable for a corrected reply.
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { openDecision } from '../../../src/app/decisions/decisions.ts';
import { placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { addAgendaItem, publishAgenda } from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { recordNotes } from '../../../src/app/meetings/outcomes.ts';
import { type InboundSmtp, startInboundSmtp } from '../../../src/app/notifications/inbound-smtp.ts';
import { createMailer, sendNotificationMail } from '../../../src/app/notifications/mail.ts';
import { MAIL_QUEUE, notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { listComments } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';
import { type FakeDns, fakeDns } from '../../support/mail-auth.ts';
import { type LoopbackSmtp, startSmtp } from '../../support/smtp.ts';

const REPLY_DOMAIN = 'reply.wg.example.org';

describe.each(databases)('replying by mail to meeting notes on $name', (database) => {
  let hub: TestHub;
  let outbound: LoopbackSmtp;
  let inbound: InboundSmtp;
  let lead: Actor;
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
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    // this hub mails notes at once (the default puts them in the digest, which has no reply address)
    const n = hub.governance.notifications;
    hub.governance = {
      ...hub.governance,
      notifications: {
        ...n,
        kinds: { ...n.kinds, 'notes-published': { ...n.kinds['notes-published'], immediate: true } },
      },
    };
    hub.reactions.push(notificationsReaction({ mail: true }));
    lead = await person(hub, 'lead', { role: 'member' });
    await person(hub, 'ana');
    for (const h of ['lead', 'ana'])
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
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    await createProposal(hub, lead, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting coordination',
      startsAt: '2026-03-05T15:00:00Z',
    });
    await addAgendaItem(hub, lead, 'M-1', { title: 'Session stores', link: { type: 'proposal', ref: 'P-1' } });
    await addAgendaItem(hub, lead, 'M-1', { title: 'Health checks' });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store?',
      significance: 'minor',
    });
    await addAgendaItem(hub, lead, 'M-1', { title: 'Adopt it?', link: { type: 'decision', ref: 'D-1' } });
    await publishAgenda(hub, lead, 'M-1');
    const mailer = createMailer({
      smtpUrl: outbound.url,
      from: 'Hosting hub <hub@wg.example.org>',
      publicUrl: 'https://wg.example.org',
      replyDomain: REPLY_DOMAIN,
    });
    worker = new Worker(hub, { [MAIL_QUEUE]: (h, j) => sendNotificationMail(h, mailer, j) }, { onError: () => {} });
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

  /** The meeting happens, the lead publishes its notes, and the mail goes out; returns ana's. */
  async function notesMail() {
    hub.clock.set(new Date('2026-03-05T17:00:00Z'));
    await recordNotes(hub, lead, 'M-1', undefined, {
      notes: '## Session stores\nTen nodes lose sessions on deploy.\n\n## Health checks\nNothing new.',
    });
    hub.clock.advance(10 * 60_000);
    await worker.drain();
    const mail = outbound.received
      .filter((m) => m.to.includes('ana@example.org') && m.mail.subject?.startsWith('[M-1]'))
      .at(-1)!;
    expect(mail?.mail.subject).toMatch(/notes/i);
    return { mail, replyTo: mail.mail.replyTo!.value[0]!.address! };
  }

  const reply = (to: string, text: string) =>
    signed().sendMail({
      from: 'Ana <ana@example.org>',
      to,
      subject: 'Re: [M-1] notes published',
      text: `${text}\n\nOn Thu, 5 Mar 2026 at 18:10, Hosting hub <hub@wg.example.org> wrote:\n> Ten nodes lose sessions on deploy.\n`,
    });

  it('a reply naming an item becomes a comment on the proposal that item links to, saying which notes it answers', async () => {
    const { mail, replyTo } = await notesMail();
    expect(mail.mail.text).toContain(
      'Reply to this mail to comment on the proposal an agenda item links to: start with "Item 2:" to name the item.',
    );
    await reply(replyTo, 'Item 1: It was twelve nodes, not ten; the other two were drained first.');
    const comments = await listComments(hub, 'P-1');
    expect(comments).toEqual([
      expect.objectContaining({
        author: 'ana',
        body: 'On the notes of M-1, item 1 (Session stores):\n\nIt was twelve nodes, not ten; the other two were drained first.',
      }),
    ]);
    expect(log).toEqual([{ to: replyTo, ok: true, detail: expect.stringMatching(/^comment \S+ on P-1$/) }]);
    // the meeting itself is untouched: no written input after the fact
    expect((await getMeeting(hub, 'M-1')).agenda.items.flatMap((i) => i.writtenInput)).toEqual([]);
  });

  it('a reply naming no item, or one without a proposal, bounces with where to reply; a corrected reply (an item linked to a decision) then works', async () => {
    const { replyTo } = await notesMail();
    await expect(reply(replyTo, 'It was twelve nodes, not ten.')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(
        /not posted: M-1 has started and meeting notes take no comments; .*start your reply with the item it is about \("Item 1:" for P-1, "Item 3:" for P-1\); to correct the notes themselves, ask the meeting's facilitators or note-taker/,
      ),
    });
    await expect(reply(replyTo, 'Item 2: the probe interval was 5 s.')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('not posted: item 2 of M-1 links to no proposal; start your reply with'),
    });
    await expect(reply(replyTo, '#7: nothing.')).rejects.toMatchObject({
      response: expect.stringContaining('not posted: M-1 has no agenda item 7;'),
    });
    expect(await listComments(hub, 'P-1')).toEqual([]);

    // an item linked to a decision about a proposal answers on that proposal
    await reply(replyTo, '#3 - I was away; I support adopting it.');
    expect((await listComments(hub, 'P-1')).map((c) => c.body)).toEqual([
      'On the notes of M-1, item 3 (Adopt it?):\n\nI was away; I support adopting it.',
    ]);
  });
});
