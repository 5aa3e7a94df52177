// A reply by mail must come from the member it claims to come from: the From header alone is
// anyone's to write. With real parts: the hub's SMTP listener (smtp-server on the loopback), mail
// signed by nodemailer's DKIM signer, and mailauth checking SPF, DKIM and DMARC against a DNS of the
// test's own. A forged or unaligned sender is refused with why, and the address stays usable for the
// member's own reply; a DNS that does not answer defers the mail (451) within a bounded time.
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Hub } from '../../../src/app/core/hub.ts';
import { getDecision, openDecision, requestVote } from '../../../src/app/decisions/decisions.ts';
import {
  type InboundSmtp,
  inboundSmtpConfigFromEnv,
  inboundSmtpWarnings,
  startInboundSmtp,
} from '../../../src/app/notifications/inbound-smtp.ts';
import { inboundWebhookConfigFromEnv } from '../../../src/app/notifications/inbound-webhook.ts';
import { acceptReply } from '../../../src/app/notifications/replies.ts';
import { type SenderCheckConfig, senderCheckConfigFromEnv } from '../../../src/app/notifications/sender-check.ts';
import { mailToken } from '../../../src/app/notifications/tokens.ts';
import { listComments } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import type { TestHub } from '../../support/hub.ts';
import { type FakeDns, fakeDns } from '../../support/mail-auth.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

const DOMAIN = 'reply.wg.example.org';

describe.each(databases)('the sender of a reply by mail is verified on $name', (database) => {
  let hub: TestHub;
  let inbound: InboundSmtp | undefined;
  let dns: FakeDns;
  let ana: Actor, lead: Actor;
  const log: { to: string; ok: boolean; detail: string }[] = [];

  beforeEach(async () => {
    log.length = 0;
    ({ hub, ana, lead } = await hostingGroupWithMail(database));
    await createProposal(hub, lead, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    dns = fakeDns();
    dns.dmarc('example.org');
    dns.txt.set('example.org', ['v=spf1 -all']);
  });
  afterEach(async () => {
    await inbound?.close();
    inbound = undefined;
    await hub?.close();
  });

  const listen = async (senderCheck: SenderCheckConfig, maxBytes?: number) => {
    inbound = await startInboundSmtp(hub, {
      host: '127.0.0.1',
      port: 0,
      replyDomain: DOMAIN,
      senderCheck,
      ...(maxBytes ? { maxBytes } : {}),
      onReply: (r) => log.push(r),
    });
  };
  /** ana's reply address for mail about this subject (as the mail worker makes it). */
  const addressFor = async (type: string, ref: string, notification?: string) => {
    const p = ana.kind === 'person' ? ana.person : null;
    return `reply+${await mailToken(hub, 'reply', { id: p!.id, epoch: 0 }, { type, ref }, notification)}@${DOMAIN}`;
  };
  /** Mail to the listener, signed as `signer` (a domain whose key the DNS publishes) or not at all. */
  const send = (to: string, text: string, opts: { from?: string; signer?: string; headers?: string[] } = {}) =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: inbound!.port,
        secure: false,
        ignoreTLS: true,
        ...(opts.signer ? { dkim: dns.signAs(opts.signer) } : {}),
      })
      .sendMail({
        from: opts.from ?? 'Ana <ana@example.org>',
        to,
        subject: 'Re: [P-1] Shared session store',
        text,
        ...(opts.headers ? { headers: opts.headers.map((h) => ({ key: 'Authentication-Results', value: h })) } : {}),
      });
  const replies = async () => (await listComments(hub, 'P-1')).map((c) => [c.author, c.body]);
  /** A whole message as a mail program would write it, signed by each of `signers` (none: unsigned). */
  const compose = async (
    mail: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0],
    signers: string[] = [],
  ) =>
    (
      await nodemailer
        .createTransport({
          streamTransport: true,
          buffer: true,
          ...(signers.length ? { dkim: { keys: signers.map((d) => dns.signAs(d)) } } : {}),
        })
        .sendMail({ subject: 'Re: [P-1] Shared session store', ...mail })
    ).message as Buffer;
  /** A message sent as it is to `to` (the envelope), whatever its header says. */
  const sendRaw = (to: string, raw: Buffer | string) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: inbound!.port, secure: false, ignoreTLS: true })
      .sendMail({ envelope: { from: 'ana@example.org', to }, raw });

  it('signed by the From domain and aligned: accepted; unsigned with the same From: refused with why, and the address still works for ana', async () => {
    await listen(dns.config());
    const to = await addressFor('proposal', 'P-1');
    await expect(send(to, 'Approve everything.')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining(
        "not posted: the mail's sender could not be verified (DMARC fail for example.org): answer on the hub",
      ),
    });
    expect(log).toEqual([{ to, ok: false, detail: expect.stringContaining('DMARC fail for example.org') }]);
    expect(await replies()).toEqual([]);
    await send(to, 'Redis with allkeys-lru works for us.', { signer: 'example.org' });
    expect(log.at(-1)).toEqual({ to, ok: true, detail: expect.stringMatching(/^comment \S+ on P-1$/) });
    expect(await replies()).toEqual([['ana', 'Redis with allkeys-lru works for us.']]);
  });

  it('signed by another domain (not aligned with the From): refused, the address still usable', async () => {
    await listen(dns.config());
    const to = await addressFor('proposal', 'P-1');
    await expect(send(to, 'Approve everything.', { signer: 'evil.example' })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('(DMARC fail for example.org)'),
    });
    expect(await replies()).toEqual([]);
    await send(to, 'Three nodes.', { signer: 'example.org' });
    expect(await replies()).toEqual([['ana', 'Three nodes.']]);
  });

  it('a domain with no DMARC record: a signature of the domain itself is accepted, none or another domain’s is refused', async () => {
    await hub.store.db
      .updateTable('people')
      .set({ email: 'ana@plain.example', confirmed_email: 'ana@plain.example' })
      .where('handle', '=', 'ana')
      .execute();
    await listen(dns.config());
    const to = await addressFor('proposal', 'P-1');
    const from = 'ana@plain.example';
    await expect(send(to, 'Unsigned.', { from })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining(
        '(no DMARC record for plain.example, and no DKIM signature or SPF pass of plain.example itself: SPF none for plain.example)',
      ),
    });
    await expect(send(to, 'Signed by someone else.', { from, signer: 'example.org' })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('DKIM pass for example.org'),
    });
    await send(to, 'Signed by my own domain.', { from, signer: 'plain.example' });
    expect(await replies()).toEqual([['ana', 'Signed by my own domain.']]);
  });

  it('a DNS that does not answer defers the mail (451) within the time limit, and the address works once it answers', async () => {
    await listen(dns.config({ dnsTimeoutMs: 200, deadlineMs: 2_000 }));
    const to = await addressFor('proposal', 'P-1');
    dns.signAs('example.org');
    dns.silent.add('wg2026._domainkey.example.org');
    const started = Date.now();
    await expect(send(to, 'Three nodes.', { signer: 'example.org' })).rejects.toMatchObject({
      responseCode: 451,
      response: expect.stringContaining('the sender could not be checked now'),
    });
    // the documented limit (deadlineMs, 2 s) with generous slack for a loaded machine: unbounded, a
    // DNS that never answers held the mail until the sender gave up, minutes later
    expect(Date.now() - started).toBeLessThan(2_000 + 3_000);
    expect(await replies()).toEqual([]);
    dns.silent.clear();
    await send(to, 'Three nodes.', { signer: 'example.org' });
    expect(await replies()).toEqual([['ana', 'Three nodes.']]);
  });

  it('a mail over the size limit is refused before any DNS lookup', async () => {
    await listen(dns.config(), 50_000);
    const to = await addressFor('proposal', 'P-1');
    await expect(send(to, 'x'.repeat(60_000), { signer: 'example.org' })).rejects.toMatchObject({
      responseCode: 552,
    });
    expect(dns.asked).toEqual([]);
  });

  it('behind a trusted MX (trusted-header): its one Authentication-Results counts; another server’s or a second one claiming its id is refused', async () => {
    await listen({ mode: 'trusted-header', trustedAuthservIds: ['mx.wg.example.org'] });
    const to = await addressFor('proposal', 'P-1');
    const pass = 'mx.wg.example.org; dkim=pass header.d=example.org; dmarc=pass header.from=example.org';
    await expect(
      send(to, 'Forged.', { headers: ['mx.evil.example; dmarc=pass header.from=example.org'] }),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('no Authentication-Results from mx.wg.example.org'),
    });
    // the MX's own verdict (fail) and one the sender wrote (pass), both claiming the MX's id
    await expect(
      send(to, 'Forged.', {
        headers: [pass, 'mx.wg.example.org; dkim=none; dmarc=fail header.from=example.org'],
      }),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('2 Authentication-Results fields claim to come from mx.wg.example.org'),
    });
    expect(dns.asked).toEqual([]);
    expect(await replies()).toEqual([]);
    await send(to, 'Three nodes.', { headers: [pass] });
    expect(await replies()).toEqual([['ana', 'Three nodes.']]);
  });

  // review of the sender check: each of these once counted, or cost the hub without bound
  it('a member’s own signed mail with a second From added above it is refused: DMARC cannot judge two', async () => {
    await listen(dns.config());
    const to = await addressFor('proposal', 'P-1');
    // bo's genuine mail, which example.org signed, re-sent to ana's address under her name
    const genuine = await compose({ from: 'bo@example.org', to, text: 'Approve everything.' }, ['example.org']);
    await expect(
      sendRaw(to, Buffer.concat([Buffer.from('From: Ana <ana@example.org>\r\n'), genuine])),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('its header has 2 From fields'),
    });
    expect(await replies()).toEqual([]);
  });

  it('a signed mail delivered to the address but not addressed to it (an old mail re-sent) is refused', async () => {
    await listen(dns.config());
    const to = await addressFor('proposal', 'P-1');
    const old = await compose({ from: 'Ana <ana@example.org>', to: 'list@lists.example.org', text: 'Yes, ship it.' }, [
      'example.org',
    ]);
    await expect(sendRaw(to, old)).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining("the mail's To and Cc do not name " + to),
    });
    expect(dns.asked).toEqual([]);
    // a reply that names it in Cc is a reply
    await sendRaw(
      to,
      await compose({ from: 'Ana <ana@example.org>', to: 'lead@example.org', cc: to, text: 'Three nodes.' }, [
        'example.org',
      ]),
    );
    expect(await replies()).toEqual([['ana', 'Three nodes.']]);
  });

  it('an internationalised domain: a reply its domain signed is accepted (DNS names it in ASCII, the mail in Unicode)', async () => {
    await hub.store.db
      .updateTable('people')
      .set({ email: 'ana@bücher.example', confirmed_email: 'ana@bücher.example' })
      .where('handle', '=', 'ana')
      .execute();
    dns.dmarc('xn--bcher-kva.example');
    await listen(dns.config());
    const to = await addressFor('proposal', 'P-1');
    await send(to, 'Signed by my own domain.', { from: 'Ana <ana@bücher.example>', signer: 'xn--bcher-kva.example' });
    expect(log.at(-1)).toEqual({ to, ok: true, detail: expect.stringMatching(/^comment \S+ on P-1$/) });
    expect(await replies()).toEqual([['ana', 'Signed by my own domain.']]);
  });

  it('mail to an address no notification carried, or with more signatures than any mail needs, costs no DNS lookup', async () => {
    await listen(dns.config());
    await expect(send(`reply+${'0'.repeat(32)}@${DOMAIN}`, 'Hello?', { signer: 'example.org' })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('no such reply address'),
    });
    const to = await addressFor('proposal', 'P-1');
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${x}.example.net`);
    await expect(
      sendRaw(to, await compose({ from: 'Ana <ana@example.org>', to, text: 'Six signatures.' }, many)),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('the mail carries 6 DKIM signatures; at most 5 are checked'),
    });
    expect(dns.asked).toEqual([]);
  });

  it('once the check’s deadline has passed, the signatures still unchecked cost no more lookups', async () => {
    await listen(dns.config({ dnsTimeoutMs: 400, deadlineMs: 200 }));
    const to = await addressFor('proposal', 'P-1');
    const slow = ['a', 'b', 'c', 'd', 'e'].map((x) => `${x}.example.net`);
    const raw = await compose({ from: 'Ana <ana@example.org>', to, text: 'Five slow keys.' }, slow);
    for (const d of slow) dns.silent.add(`wg2026._domainkey.${d}`);
    await expect(sendRaw(to, raw)).rejects.toMatchObject({ responseCode: 451 });
    // without the cut, mailauth went on to the next key every 400 ms long after the 451
    await new Promise((r) => setTimeout(r, 1_500));
    expect(dns.asked.filter((q) => q.includes('_domainkey'))).toHaveLength(1);
  });

  it('with the check off, the From header is believed: an unsigned mail posts (development only)', async () => {
    await listen({ mode: 'off', trustedAuthservIds: [] });
    await send(await addressFor('proposal', 'P-1'), 'Unsigned, and taken.');
    expect(await replies()).toEqual([['ana', 'Unsigned, and taken.']]);
    expect(dns.asked).toEqual([]);
  });

  // the decision's phase was read before the transaction that records the answer: a vote opened in
  // between left "Yes." read as text (a comment) in what had become a vote
  it('a decision that moved to a vote just before the answer is recorded is judged as a vote', async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'proposal', ref: 'P-1' },
      question: 'Adopt the shared session store as a working-group artifact?',
      significance: 'minor',
    });
    const to = await addressFor('decision', 'D-1');
    const token = /^reply\+([0-9a-f]+)@/.exec(to)![1]!;
    // another request opens the vote the moment this reply's transaction is about to begin
    let raced = false;
    const db = hub.store.db;
    const racing: Hub = {
      ...hub,
      store: {
        ...hub.store,
        db: new Proxy(db, {
          get(target, prop, receiver) {
            if (prop === 'transaction' && !raced) {
              raced = true;
              const builder = target.transaction();
              return () => ({
                execute: async (fn: Parameters<typeof builder.execute>[0]) => {
                  await requestVote(hub, lead, 'D-1');
                  return builder.execute(fn);
                },
              });
            }
            const v = Reflect.get(target, prop, receiver);
            return typeof v === 'function' ? v.bind(target) : v;
          },
        }),
      },
    };
    const r = await acceptReply(racing, {
      token,
      from: 'ana@example.org',
      messageId: null,
      text: 'Yes. The interface text settles it.',
      automatic: null,
      sender: { kind: 'verified', how: 'DMARC pass for example.org' },
    });
    expect(raced).toBe(true);
    expect(r.where).toEqual({ decision: 'D-1', answer: 'yes' });
    expect((await getDecision(hub, 'D-1')).votes).toEqual([expect.objectContaining({ handle: 'ana', choice: 'yes' })]);
    expect(await replies()).toEqual([]);
  });
});

describe('the sender check’s settings', () => {
  it('default to the hub’s own DMARC check; a webhook needs the trusted authserv-id or an explicit off', () => {
    const base = { WGHUB_REPLY_DOMAIN: DOMAIN, WGHUB_INBOUND_SMTP_PORT: '2525' };
    expect(inboundSmtpConfigFromEnv(base)?.senderCheck).toEqual({ mode: 'dmarc', trustedAuthservIds: [] });
    expect(() => senderCheckConfigFromEnv({ WGHUB_INBOUND_SENDER_CHECK: 'spf' })).toThrow(
      "WGHUB_INBOUND_SENDER_CHECK must be one of dmarc, trusted-header, off, not 'spf'",
    );
    expect(() => senderCheckConfigFromEnv({ WGHUB_INBOUND_SENDER_CHECK: 'trusted-header' })).toThrow(
      'needs WGHUB_INBOUND_TRUSTED_AUTHSERV_ID',
    );
    expect(() => senderCheckConfigFromEnv({ WGHUB_INBOUND_TRUSTED_AUTHSERV_ID: 'mx.example.org; dmarc=pass' })).toThrow(
      'WGHUB_INBOUND_TRUSTED_AUTHSERV_ID must be host names like mx.example.org',
    );
    const hook = { WGHUB_REPLY_DOMAIN: DOMAIN, WGHUB_INBOUND_WEBHOOK_SECRET: 'a-secret-of-the-test' };
    expect(() => inboundWebhookConfigFromEnv(hook)).toThrow('needs WGHUB_INBOUND_TRUSTED_AUTHSERV_ID');
    expect(
      inboundWebhookConfigFromEnv({ ...hook, WGHUB_INBOUND_TRUSTED_AUTHSERV_ID: 'mx1.example.org, mx2.example.org' })
        ?.senderCheck,
    ).toEqual({ mode: 'dmarc', trustedAuthservIds: ['mx1.example.org', 'mx2.example.org'] });
    expect(inboundWebhookConfigFromEnv({ ...hook, WGHUB_INBOUND_SENDER_CHECK: 'off' })?.senderCheck.mode).toBe('off');
  });

  it('tell the operator at start what the listener’s place means for the check', () => {
    const trusted = { mode: 'trusted-header' as const, trustedAuthservIds: ['mx.example.org'] };
    expect(inboundSmtpWarnings({ host: '0.0.0.0', senderCheck: trusted })).toEqual([
      expect.stringContaining('anyone who can reach it can write that field'),
    ]);
    expect(inboundSmtpWarnings({ host: '127.0.0.1', senderCheck: trusted })).toEqual([]);
    expect(inboundSmtpWarnings({ host: '127.0.0.1', senderCheck: { mode: 'dmarc', trustedAuthservIds: [] } })).toEqual([
      expect.stringContaining('SPF sees the relay'),
    ]);
    expect(inboundSmtpWarnings({ host: '0.0.0.0', senderCheck: { mode: 'dmarc', trustedAuthservIds: [] } })).toEqual(
      [],
    );
  });
});
