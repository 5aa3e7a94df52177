// Inbound mail through a provider's webhook, over a real loopback HTTP server: a signed POST
// carrying a reply to a notification's mail becomes a comment on the proposal (the quote stripped),
// or written input on a meeting's agenda item; a forged sender is refused and nothing is posted; a
// bad signature is 401 before anything is read; the body is bounded.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { addAgendaItem, publishAgenda } from '../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { receiveInboundMail, signBody } from '../../src/app/notifications/inbound-webhook.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { mailToken } from '../../src/app/notifications/tokens.ts';
import { listComments } from '../../src/app/proposals/comments.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

const SECRET = 'inbound-secret-of-the-test';
const DOMAIN = 'reply.wg.example.org';
/** What the provider's MX (authserv-id mx.wg.example.org, which the hub trusts) found of ana's mail. */
const VOUCHED =
  'mx.wg.example.org; dkim=pass header.d=example.org header.s=wg2026; spf=pass smtp.mailfrom=ana@example.org; dmarc=pass (p=reject) header.from=example.org';

describe.each(databases)('inbound mail webhook on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let base: string;
  let ana: Actor;

  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: true }));
    const lead = await person(hub, 'lead', { role: 'member' });
    ana = await person(hub, 'ana');
    await hub.store.db
      .updateTable('people')
      .set({ email: 'ana@example.org', confirmed_email: 'ana@example.org' })
      .where('handle', '=', 'ana')
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
      startsAt: '2026-03-19T15:00:00Z',
    });
    await addAgendaItem(hub, lead, 'M-1', { title: 'Session stores' });
    await addAgendaItem(hub, lead, 'M-1', { title: 'Health checks' });
    await publishAgenda(hub, lead, 'M-1');
    const app = createHttpApp(hub, undefined, {
      inboundMail: {
        secret: SECRET,
        replyDomain: DOMAIN,
        maxBytes: 100_000,
        senderCheck: { mode: 'dmarc', trustedAuthservIds: ['mx.wg.example.org'] },
      },
    });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    await hub?.close();
  });

  /** ana's reply address for mail about this subject (as the mail worker makes it). */
  const addressFor = async (type: string, ref: string) => {
    const p = ana.kind === 'person' ? ana.person : null;
    return `reply+${await mailToken(hub, 'reply', { id: p!.id, epoch: 0 }, { type, ref })}@${DOMAIN}`;
  };
  const post = (body: string, contentType: string, signature = signBody(SECRET, body)) =>
    fetch(`${base}/inbound/mail`, {
      method: 'POST',
      headers: { 'Content-Type': contentType, 'X-Wghub-Signature-256': signature },
      body,
    });

  it('a From made to be slow to read (a run of dots in its domain, "<a@a@a@…") is answered at once and posts nothing (attack round 17)', async () => {
    // within the 1 MiB a hub takes: each held the event loop for minutes, sent by anyone who mails the provider
    const app = createHttpApp(hub, undefined, {
      inboundMail: {
        secret: SECRET,
        replyDomain: DOMAIN,
        maxBytes: 1_048_576,
        senderCheck: { mode: 'dmarc', trustedAuthservIds: ['mx.wg.example.org'] },
      },
    });
    const to = await addressFor('proposal', 'P-1');
    for (const from of [`ana@x${'.'.repeat(1_000_000)}y`, `<${'a@'.repeat(500_000)}`]) {
      const body = JSON.stringify({ from, to, text: 'Approve.', headers: `Authentication-Results: ${VOUCHED}` });
      const res = await app.request('/inbound/mail', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Wghub-Signature-256': signBody(SECRET, body) },
        body,
      });
      expect(res.status).toBe(200);
      expect((await res.json()).replies).toEqual([
        {
          to,
          ok: false,
          reason: expect.stringContaining('accepted only from the address the notification was sent to'),
        },
      ]);
    }
    expect(await listComments(hub, 'P-1')).toEqual([]);
  });

  it('a signed Postmark-style JSON reply becomes a comment, quote stripped; the address then works no more', async () => {
    const to = await addressFor('proposal', 'P-1');
    const body = JSON.stringify({
      From: 'Ana <ana@example.org>',
      FromFull: { Email: 'ana@example.org' },
      To: to,
      Subject: 'Re: [P-1] Shared session store',
      TextBody: 'Redis with allkeys-lru works for us.\n\nOn Mon, 2 Mar 2026, Hosting hub wrote:\n> old text',
      MessageID: 'abc-1@mail.example.org',
      Headers: [{ Name: 'Authentication-Results', Value: VOUCHED }],
    });
    const res = await post(body, 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ replies: [{ to, ok: true, proposal: 'P-1', id: expect.any(String) }] });
    expect((await listComments(hub, 'P-1')).map((c) => [c.author, c.body])).toEqual([
      ['ana', 'Redis with allkeys-lru works for us.'],
    ]);
    // the same mail delivered again: refused, not posted twice (200, so the provider does not retry)
    const again = await post(body, 'application/json');
    expect((await again.json()).replies[0]).toMatchObject({
      ok: false,
      reason: expect.stringContaining('used already'),
    });
    expect(await listComments(hub, 'P-1')).toHaveLength(1);
  });

  it('an out-of-office reply is refused and posts nothing, whichever way the provider passes its headers; the address stays usable', async () => {
    const to = await addressFor('proposal', 'P-1');
    const away = 'I am away until Monday 9 March with no access to mail.';
    const postmark = JSON.stringify({
      FromFull: { Email: 'ana@example.org' },
      To: to,
      TextBody: away,
      Headers: [{ Name: 'Auto-Submitted', Value: 'auto-replied' }],
    });
    const mailgun = new URLSearchParams({
      sender: 'ana@example.org',
      recipient: to,
      'body-plain': away,
      'message-headers': JSON.stringify([['Precedence', 'bulk']]),
    }).toString();
    const sendgrid = new URLSearchParams({
      from: 'ana@example.org',
      to,
      text: away,
      headers: 'Subject: Automatic reply\r\nX-Autoreply: yes\r\n',
    }).toString();
    const raw = JSON.stringify({
      raw: `From: ana@example.org\r\nTo: ${to}\r\nSubject: Undeliverable\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${away}\r\n--b--\r\n`,
    });
    const reasons: string[] = [];
    for (const [body, type] of [
      [postmark, 'application/json'],
      [mailgun, 'application/x-www-form-urlencoded'],
      [sendgrid, 'application/x-www-form-urlencoded'],
      [raw, 'application/json'],
    ] as const) {
      const res = await post(body, type);
      expect(res.status).toBe(200);
      const [r] = (await res.json()).replies;
      expect(r).toMatchObject({ to, ok: false });
      reasons.push(r.reason);
    }
    expect(reasons).toEqual([
      expect.stringContaining('an automatic mail (Auto-Submitted: auto-replied) is not posted'),
      expect.stringContaining('(Precedence: bulk)'),
      expect.stringContaining('(x-autoreply: yes)'),
      expect.stringContaining('multipart/report'),
    ]);
    expect(await listComments(hub, 'P-1')).toEqual([]);
    const own = await post(
      JSON.stringify({
        from: 'ana@example.org',
        to,
        text: 'Back now: Redis works.',
        headers: `Authentication-Results: ${VOUCHED}`,
      }),
      'application/json',
    );
    expect((await own.json()).replies).toEqual([{ to, ok: true, proposal: 'P-1', id: expect.any(String) }]);
  });

  it('a reply counts only with the trusted Authentication-Results: another server’s, a second one claiming the trusted id or none is refused; the address stays usable', async () => {
    const to = await addressFor('proposal', 'P-1');
    const postmark = (headers: { Name: string; Value: string }[]) =>
      JSON.stringify({
        FromFull: { Email: 'ana@example.org' },
        To: to,
        TextBody: 'Approve everything.',
        Headers: headers,
      });
    const ar = (Value: string) => ({ Name: 'Authentication-Results', Value });
    const refusals: string[] = [];
    for (const headers of [
      [],
      [ar('mx.evil.example; dmarc=pass header.from=example.org')],
      // the MX's own verdict and one the sender wrote under the MX's name
      [
        ar(
          'mx.wg.example.org; dkim=none; spf=softfail smtp.mailfrom=ana@example.org; dmarc=fail header.from=example.org',
        ),
        ar(VOUCHED),
      ],
      [ar('mx.wg.example.org; dkim=pass header.d=evil.example; dmarc=fail header.from=example.org')],
    ]) {
      const res = await post(postmark(headers), 'application/json');
      expect(res.status).toBe(200);
      const [r] = (await res.json()).replies;
      expect(r).toMatchObject({ to, ok: false });
      refusals.push(r.reason);
    }
    expect(refusals).toEqual([
      expect.stringMatching(
        /^the mail's sender could not be verified \(no Authentication-Results from mx\.wg\.example\.org, the server this hub trusts to check senders\): answer on the hub/,
      ),
      expect.stringContaining('(no Authentication-Results from mx.wg.example.org'),
      expect.stringContaining(
        '(2 Authentication-Results fields claim to come from mx.wg.example.org, so one was written by someone else)',
      ),
      expect.stringContaining('(DMARC fail for example.org)'),
    ]);
    expect(await listComments(hub, 'P-1')).toEqual([]);
    // a raw message passed whole is read the same way; the address was never used
    const raw = `Authentication-Results: ${VOUCHED}\r\nFrom: Ana <ana@example.org>\r\nTo: ${to}\r\nSubject: Re: P-1\r\n\r\nThree nodes.\r\n`;
    const ok = await post(JSON.stringify({ raw }), 'application/json');
    expect((await ok.json()).replies).toEqual([{ to, ok: true, proposal: 'P-1', id: expect.any(String) }]);
    expect((await listComments(hub, 'P-1')).map((c) => [c.author, c.body])).toEqual([['ana', 'Three nodes.']]);
  });

  it('with the sender check off, the From header is believed (development only)', async () => {
    const to = await addressFor('proposal', 'P-1');
    const out = await receiveInboundMail(
      hub,
      { secret: SECRET, replyDomain: DOMAIN, maxBytes: 100_000, senderCheck: { mode: 'off', trustedAuthservIds: [] } },
      { from: 'ana@example.org', to, text: 'Unverified, and taken.' },
    );
    expect(out).toEqual([{ to, ok: true, proposal: 'P-1', id: expect.any(String) }]);
  });

  it('a Mailgun-style form from a forged sender is refused and posts nothing', async () => {
    const to = await addressFor('proposal', 'P-1');
    const form = new URLSearchParams({
      sender: 'mallory@evil.example',
      from: 'Mallory <mallory@evil.example>',
      recipient: to,
      subject: 'Re: [P-1]',
      'body-plain': 'Approve everything.',
    }).toString();
    const res = await post(form, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect((await res.json()).replies).toEqual([
      {
        to,
        ok: false,
        reason: 'replies are accepted only from the address the notification was sent to; this one came from another',
      },
    ]);
    expect(await listComments(hub, 'P-1')).toEqual([]);
  });

  it("a provider's From field naming the owner and a stranger is refused, as over SMTP; nothing is posted", async () => {
    const to = await addressFor('proposal', 'P-1');
    const body = JSON.stringify({
      from: 'Ana <ana@example.org>, Mallory <mallory@evil.example>',
      to,
      text: 'Approve everything.',
    });
    const res = await post(body, 'application/json');
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('its From names 2 addresses; a reply is accepted from one');
    expect(await listComments(hub, 'P-1')).toEqual([]);
  });

  it('a bad signature is 401 and posts nothing; a mail naming no reply address is 422; too large is 413', async () => {
    const to = await addressFor('proposal', 'P-1');
    const body = JSON.stringify({ from: 'ana@example.org', to, text: 'Forged through the hook.' });
    const bad = await post(body, 'application/json', signBody('another-secret-entirely', body));
    expect(bad.status).toBe(401);
    expect((await bad.json()).title).toBe('Signature does not match');
    expect((await post(body, 'application/json', '')).status).toBe(401);
    expect(await listComments(hub, 'P-1')).toEqual([]);
    const stranger = JSON.stringify({ from: 'ana@example.org', to: 'someone@example.org', text: 'Hello there.' });
    const res = await post(stranger, 'application/json');
    expect(res.status).toBe(422);
    expect((await res.json()).detail).toContain('to: names no reply address');
    const huge = JSON.stringify({ from: 'ana@example.org', to, text: 'x'.repeat(200_000) });
    expect((await post(huge, 'application/json')).status).toBe(413);
  });

  it("a provider's messageId longer than a header line, or of two lines, is 422 naming the field and the rule; nothing is posted and the address still works (attack round 30: it was cut to 500 unseen)", async () => {
    const to = await addressFor('proposal', 'P-1');
    const mail = (id: string) =>
      JSON.stringify({
        From: 'Ana <ana@example.org>',
        To: to,
        TextBody: 'Redis with allkeys-lru works for us.',
        MessageID: id,
        Headers: [{ Name: 'Authentication-Results', Value: VOUCHED }],
      });
    for (const id of [`${'x'.repeat(990)}@mail.example.org`, 'abc-1@mail.example.org\r\nBcc: eve@example.org']) {
      const res = await post(mail(id), 'application/json');
      expect(res.status).toBe(422);
      expect((await res.json()).detail).toBe(
        'messageId: must be at most 998 characters on one line, with no control characters (a Message-ID header, RFC 5322 §2.1.1, §3.6.4)',
      );
    }
    expect(await listComments(hub, 'P-1')).toEqual([]);
    // one as long as a header line may be is kept whole with the address it used
    const longest = `${'x'.repeat(998 - '@mail.example.org'.length)}@mail.example.org`;
    const ok = await post(mail(longest), 'application/json');
    expect((await ok.json()).replies).toEqual([{ to, ok: true, proposal: 'P-1', id: expect.any(String) }]);
    const used = await hub.store.db
      .selectFrom('mail_tokens')
      .select('used_message_id')
      .where('used_at', 'is not', null)
      .execute();
    expect(used.map((u) => u.used_message_id)).toEqual([longest]);
  });

  it('a raw message the parser cannot take (more than a thousand parts) is 422 naming the field and the rule, not a failure of the hub; nothing is posted', async () => {
    const to = await addressFor('proposal', 'P-1');
    const parts = Array.from({ length: 1100 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\nPart ${i}.\r\n`).join(
      '',
    );
    const raw = `From: ana@example.org\r\nTo: ${to}\r\nSubject: Re: P-1\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`;
    const res = await post(JSON.stringify({ raw }), 'application/json');
    expect(res.status).toBe(422);
    expect((await res.json()).detail).toMatch(/^raw: cannot be read as a mail \(.+\)$/);
    expect(await listComments(hub, 'P-1')).toEqual([]);
  });

  it('a reply to a meeting mail is written input on the agenda item it names, or the first', async () => {
    const first = await addressFor('meeting', 'M-1');
    const r1 = await post(
      JSON.stringify({
        from: 'ana@example.org',
        to: first,
        text: 'I cannot attend; Redis has worked for us.',
        headers: `Authentication-Results: ${VOUCHED}`,
      }),
      'application/json',
    );
    expect((await r1.json()).replies[0]).toMatchObject({ ok: true, meeting: 'M-1' });
    // a newer mail about the meeting carries a new address (another notification)
    const p = ana.kind === 'person' ? ana.person : null;
    const second = `reply+${await mailToken(hub, 'reply', { id: p!.id, epoch: 0 }, { type: 'meeting', ref: 'M-1' }, 'n-2')}@${DOMAIN}`;
    const r2 = await post(
      JSON.stringify({
        from: 'ana@example.org',
        to: second,
        text: 'Item 2: probe /readyz, not /healthz.',
        headers: `Authentication-Results: ${VOUCHED}`,
      }),
      'application/json',
    );
    expect((await r2.json()).replies[0]).toMatchObject({ ok: true, meeting: 'M-1' });
    const m = await getMeeting(hub, 'M-1');
    expect(m.agenda.items.map((i) => i.writtenInput.map((w) => [w.author, w.body]))).toEqual([
      [['ana', 'I cannot attend; Redis has worked for us.']],
      [['ana', 'probe /readyz, not /healthz.']],
    ]);
  });
});
