// Found by fuzzing reply by mail: a reply became a comment through addCommentIn, which took the
// body as it came, past the rules every other edge applies to a comment. A reply holding a NUL
// failed on PostgreSQL with the database's own words and was stored on SQLite with any escape
// sequence; one of 60,000 characters (under the mail size limit) was stored though a comment may
// hold 50,000. Now the reply is refused naming the body and the rule, and its address stays unused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { createMailer, sendDigest, sendNotificationMail } from '../../../src/app/notifications/mail.ts';
import { DIGEST_QUEUE, MAIL_QUEUE } from '../../../src/app/notifications/notify.ts';
import { acceptReply } from '../../../src/app/notifications/replies.ts';
import { InvalidInput } from '../../../src/domain/errors.ts';
import { addComment, listComments } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import type { TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { type LoopbackSmtp, startSmtp } from '../../support/smtp.ts';

const REPLY_DOMAIN = 'reply.wg.example.org';

describe.each(databases)('a reply by mail holds to the rules of a comment on $name', (database) => {
  let hub: TestHub;
  let outbound: LoopbackSmtp;
  let bo: Actor;
  let worker: Worker;

  beforeEach(async () => {
    outbound = await startSmtp();
    ({ hub, bo } = await hostingGroupWithMail(database));
    await createProposal(hub, bo, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
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
      },
      { onError: () => {} },
    );
  });
  afterEach(async () => {
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

  const reply = async (text: string) => {
    const mail = await mentionAna('@ana how many nodes do you run?');
    const to = mail.mail.replyTo!.value[0]!.address!;
    const token = /^reply\+([0-9a-f]+)@/.exec(to)![1]!;
    return {
      token,
      send: (t = text, messageId: string | null = null) =>
        // the sender check is off here (WGHUB_INBOUND_SENDER_CHECK=off): these are the rules of the text
        acceptReply(hub, {
          token,
          from: 'ana@example.org',
          messageId,
          text: t,
          automatic: null,
          sender: { kind: 'off' },
        }),
    };
  };

  it.each([
    [
      'a NUL',
      'Twelve nodes \u0000 in two zones.',
      /^must not contain control or invisible formatting characters \(U\+0000 at character 14\)$/,
    ],
    [
      'an escape',
      'Twelve \u001b[2J nodes.',
      /^must not contain control or invisible formatting characters \(U\+001B at character 8\)$/,
    ],
    ['more than a comment holds', 'x'.repeat(60_000), /^must be at most 50000 characters$/],
  ])(
    'a reply with %s is refused naming the body and the rule; nothing is posted and the address still works',
    async (_, text, rule) => {
      const r = await reply(text);
      const e = await r.send().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InvalidInput);
      expect((e as InvalidInput).issues).toEqual([{ field: 'body', rule: expect.stringMatching(rule) }]);
      expect((await listComments(hub, 'P-1'))[0]!.replies).toEqual([]);
      await r.send('Twelve nodes in two zones.');
      expect((await listComments(hub, 'P-1'))[0]!.replies.map((c) => c.body)).toEqual(['Twelve nodes in two zones.']);
    },
  );

  it('a reply whose Message-ID is longer than a header line is refused naming messageId and the rule, over SMTP as through a provider; the address still works (attack round 30)', async () => {
    const r = await reply('Twelve nodes in two zones.');
    const e = await r.send(undefined, `<${'x'.repeat(1_000)}@mail.example.org>`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidInput);
    expect((e as InvalidInput).issues).toEqual([
      {
        field: 'messageId',
        rule: 'must be at most 998 characters on one line, with no control characters (a Message-ID header, RFC 5322 §2.1.1, §3.6.4)',
      },
    ]);
    expect((await listComments(hub, 'P-1'))[0]!.replies).toEqual([]);
    await r.send(undefined, '<abc-1@mail.example.org>');
    expect((await listComments(hub, 'P-1'))[0]!.replies.map((c) => c.body)).toEqual(['Twelve nodes in two zones.']);
  });
});
