// Mail through a real SMTP server on the loopback, read back with mailparser: threading headers,
// both bodies, one-click unsubscribe, folded events in one mail, a retry that keeps its
// Message-ID, a server that is down delaying mail but never the comment, a refused address marked
// failing, and the digest at the person's hour.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { createHub, inTransaction } from '../../../src/app/core/hub.ts';
import { ManualClock } from '../../../src/domain/clock.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, enqueue, retryJob } from '../../../src/app/core/jobs.ts';
import { readJson } from '../../../src/store/schema.ts';
import { saveIssue } from '../../../src/app/github/issues.ts';
import { saveThreadComment } from '../../../src/app/github/thread-comments.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { createMailer, sendDigest, sendNotificationMail } from '../../../src/app/notifications/mail.ts';
import { DIGEST_QUEUE, digestJob, MAIL_QUEUE } from '../../../src/app/notifications/notify.ts';
import { listSubscriptions, unsubscribeByToken } from '../../../src/app/notifications/subscriptions.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { openDecision } from '../../../src/app/decisions/decisions.ts';
import { openStore } from '../../../src/store/connect.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo } from '../../support/github.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import type { TestHub } from '../../support/hub.ts';
import { type LoopbackSmtp, startSmtp } from '../../support/smtp.ts';

describe.each(databases)('mail on $name', (database) => {
  let hub: TestHub;
  let smtp: LoopbackSmtp;
  let lead: Actor, ana: Actor, bo: Actor;
  let worker: Worker;

  const config = (url: string) => ({
    smtpUrl: url,
    from: 'Hosting hub <hub@wg.example.org>',
    publicUrl: 'https://wg.example.org',
    replyDomain: null,
  });
  const makeWorker = (url: string) => {
    const mailer = createMailer(config(url));
    return new Worker(
      hub,
      {
        [MAIL_QUEUE]: (h, j) => sendNotificationMail(h, mailer, j),
        [DIGEST_QUEUE]: (h, j) => sendDigest(h, mailer, j),
      },
      { onError: () => {} },
    );
  };

  beforeEach(async () => {
    smtp = await startSmtp();
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
    await createProposal(hub, ana, {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    worker = makeWorker(smtp.url);
  });
  const boJob = async () => {
    const [n] = (await listInbox(hub, bo)).items;
    return hub.store.db.selectFrom('jobs').selectAll().where('key', '=', `mail:${n!.id}`).executeTakeFirstOrThrow();
  };
  /** Other processes' stores (otherProcess), closed after each test. */
  const others: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of others.splice(0)) await o.close();
    await hub?.close();
    await smtp?.close();
  });

  const later = (minutes: number) =>
    hub.clock.set(new Date(hub.clock.now().getTime() + minutes * 60_000).toISOString());

  it('news folded into a notice while its mail is in flight is mailed after it, under an id of its own, not marked sent unmailed', async () => {
    await addComment(hub, lead, 'P-1', { body: 'What does @bo think of sticky sessions?' });
    later(5);
    // the second mention commits while the server is still taking the first mail: it folds into the
    // same notice, whose mail is still "queued" until the worker records it sent
    smtp.whileReceiving = async (mail) => {
      if (!mail.to.includes('bo@example.org')) return;
      smtp.whileReceiving = null;
      await addComment(hub, lead, 'P-1', { body: '@bo and of a shared Redis?' });
    };
    await worker.drain();
    // the news is batched as news is: it goes once the batching window has passed
    expect(smtp.received.filter((r) => r.to.includes('bo@example.org'))).toHaveLength(1);
    later(5);
    await worker.drain();
    const toBo = smtp.received.filter((r) => r.to.includes('bo@example.org'));
    const [n] = (await listInbox(hub, bo)).items;
    expect(toBo.map((m) => m.mail.messageId)).toEqual([
      `<notification.${n!.id}@wg.example.org>`,
      `<notification.${n!.id}.2@wg.example.org>`,
    ]);
    expect(toBo[1]!.mail.text).toContain('2 updates.');
    expect(n).toMatchObject({ mail: 'sent' });
    // nothing is sent again once both are recorded
    later(60);
    await worker.drain();
    expect(smtp.received.filter((r) => r.to.includes('bo@example.org'))).toHaveLength(2);
  });

  it('news that comes while the mail job records the notice sent starts a notice of its own, never folded into the sent one', async () => {
    await addComment(hub, lead, 'P-1', { body: 'What does @bo think of sticky sessions?' });
    later(5);
    const [notice] = (await listInbox(hub, bo)).items;
    // another process (the mail job) records it sent, as sendNotificationMail does, and holds that
    // uncommitted while the second mention reads the notice as still queued and goes to fold into it
    const other = openStore(hub.store.url);
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let marked!: (pid: number | null) => void;
    const markedSent = new Promise<number | null>((resolve) => {
      marked = resolve;
    });
    const mailJob = other.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('notifications')
        .set({ mail_state: 'sent', mailed_at: hub.clock.now().toISOString() })
        .where('id', '=', notice!.id)
        .where('mail_state', '=', 'queued')
        .where('events', '=', 1)
        .execute();
      marked(
        other.kind === 'postgres'
          ? Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid)
          : null,
      );
      await committing;
    });
    const pid = await markedSent;
    try {
      if (pid === null) {
        // SQLite: one writer at a time, so the mail job commits first and the mention reads it sent
        commit();
        await mailJob;
        await addComment(hub, lead, 'P-1', { body: '@bo and of a shared Redis?' });
      } else {
        // PostgreSQL: the mention read the notice queued and now waits on the mail job's row
        const mention = addComment(hub, lead, 'P-1', { body: '@bo and of a shared Redis?' });
        for (let waiting = 0; waiting === 0; )
          waiting = Number(
            (
              await sql<{
                n: number;
              }>`select count(*) as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))`.execute(
                hub.store.db,
              )
            ).rows[0]!.n,
          );
        commit();
        await mailJob;
        await mention;
      }
    } finally {
      commit();
      await mailJob.catch(() => {});
      await other.close();
    }
    const rows = await hub.store.db
      .selectFrom('notifications')
      .select(['mail_state', 'events'])
      .where('person_id', '=', bo.kind === 'person' ? bo.person.id : '')
      .where('subject_ref', '=', 'P-1')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    // the first mail went with one update; the second mention is a notice of its own, mailed in turn
    expect(rows.map((r) => ({ mail: r.mail_state, events: Number(r.events) }))).toEqual([
      { mail: 'sent', events: 1 },
      { mail: 'queued', events: 1 },
    ]);
  });

  it('a mention is one mail in the proposal’s thread, plain and HTML, with one-click unsubscribe that needs no sign-in', async () => {
    await addComment(hub, lead, 'P-1', { body: 'What does @bo think of sticky sessions?' });
    await addComment(hub, lead, 'P-1', { body: '@bo and of a shared Redis?' });
    expect(await worker.drain()).toBe(0); // batched: nothing goes before the window closes
    later(5);
    await worker.drain();
    const toBo = smtp.received.filter((r) => r.to.includes('bo@example.org'));
    expect(toBo).toHaveLength(1);
    const m = toBo[0]!;
    expect(m.mail.subject).toBe('[P-1] Lead (@lead) commented on P-1: Shared session store');
    expect(m.mail.from?.text).toBe('"Hosting hub" <hub@wg.example.org>');
    const [n] = (await listInbox(hub, bo)).items;
    // two events in one mail: its id names the notice and how many it carries (a retry of it keeps it)
    expect(m.mail.messageId).toBe(`<notification.${n!.id}.2@wg.example.org>`);
    expect(m.mail.inReplyTo).toBe('<proposal.p-1@wg.example.org>');
    expect(m.mail.references).toBe('<proposal.p-1@wg.example.org>');
    expect(m.mail.text).toContain('2 updates.');
    expect(m.mail.text).toContain('https://wg.example.org/proposals/P-1');
    expect(m.mail.html).toContain('<a href="https://wg.example.org/proposals/P-1">Open P-1 on the hub</a>');
    expect(m.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const link = /<(https:\/\/wg\.example\.org\/unsubscribe\/([0-9a-f]{32}))>/.exec(m.raw)?.[2];
    expect(link).toBeTruthy();
    expect(n).toMatchObject({ mail: 'sent' });
    // the unsubscribe link mutes this proposal for bo, and is refused once it is not a real token
    expect(await unsubscribeByToken(hub, link!)).toEqual({ handle: 'bo', subjectType: 'proposal', subjectRef: 'P-1' });
    expect((await listSubscriptions(hub, bo)).items.map(({ can: _, ...s }) => s)).toEqual([
      { subjectType: 'proposal', subjectRef: 'P-1', level: 'muted' },
    ]);
    expect(await unsubscribeByToken(hub, '0'.repeat(32))).toBeNull();
  });

  it('a mention in a comment mirrored from a GitHub issue is mailed with the link to the issue’s page, to be answered on GitHub', async () => {
    mirrorRepo(hub, 'modelcontextprotocol/registry');
    await hub.store.db.updateTable('people').set({ github: 'bo-gh' }).where('handle', '=', 'bo').execute();
    const repo = 'modelcontextprotocol/registry';
    await inTransaction(hub, async (trx) => {
      await saveIssue(trx, hub, repo, {
        number: 12,
        title: 'Publish flow for private servers',
        body: 'How should a private server be published?',
        html_url: `https://github.com/${repo}/issues/12`,
        created_at: '2026-05-01T10:00:00Z',
        updated_at: '2026-05-01T10:00:00Z',
        user: { login: 'octo-reader' },
      });
      await saveThreadComment(
        trx,
        hub,
        { kind: 'issue', repo, number: 12 },
        {
          id: '901',
          body: '@bo-gh does the hosting WG have a view?',
          url: `https://github.com/${repo}/issues/12#issuecomment-901`,
          login: 'octo-reader',
          createdAt: '2026-05-01T11:00:00Z',
          updatedAt: '2026-05-01T11:00:00Z',
        },
        { live: true },
      );
    });
    // with a reply domain set: a mail about a hub thread would carry a reply address, this one does not
    const mailer = createMailer({ ...config(smtp.url), replyDomain: 'reply.wg.example.org' });
    const withReplies = new Worker(
      hub,
      { [MAIL_QUEUE]: (h, j) => sendNotificationMail(h, mailer, j) },
      { onError: () => {} },
    );
    later(5);
    await withReplies.drain();
    const toBo = smtp.received.filter((r) => r.to.includes('bo@example.org'));
    expect(toBo).toHaveLength(1);
    const m = toBo[0]!.mail;
    expect(m.subject).toBe(
      `[${repo}#12] octo-reader commented on GitHub on ${repo}#12: Publish flow for private servers`,
    );
    expect(m.text).toContain(`Open it: https://wg.example.org/github/${repo}/issues/12`);
    expect(m.text).toContain('Answer on GitHub');
    expect(m.text).toContain('You get this because you were mentioned');
    expect(m.replyTo).toBeUndefined();
  });

  it('a server that is down delays the mail, never the comment; the retry keeps the Message-ID', async () => {
    await smtp.close();
    const down = makeWorker(smtp.url);
    const c = await addComment(hub, lead, 'P-1', { body: 'Ping @bo' });
    expect(c.author).toBe('lead');
    later(5);
    await down.drain();
    const job = await boJob();
    expect(job).toMatchObject({ attempts: 1, done_at: null, failed_at: null });
    expect(job.last_error).toMatch(/ECONNREFUSED|connect/);
    // the server is back, but answers the first DATA with a temporary failure after reading it
    smtp = await startSmtp();
    smtp.failNext(2); // the lead's mail (a proposal waiting for them) goes first
    const up = makeWorker(smtp.url);
    later(1);
    await up.drain();
    later(2);
    await up.drain();
    const ids = smtp.received.filter((r) => r.to.includes('bo@example.org')).map((r) => r.mail.messageId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    expect((await listInbox(hub, bo)).items[0]).toMatchObject({ mail: 'sent' });
  });

  it('a refused address is marked failing and its mail is not retried', async () => {
    smtp.refuse.add('bo@example.org');
    await addComment(hub, lead, 'P-1', { body: 'Ping @bo' });
    later(5);
    await worker.drain();
    const job = await boJob();
    expect(job.failed_at).not.toBeNull();
    expect(await hub.store.db.selectFrom('mail_addresses').selectAll().execute()).toMatchObject([
      { address: 'bo@example.org', status: 'failing' },
    ]);
  });

  it('news folded into a digest item while the digest is in flight goes with the next digest, under another id, not marked sent unmailed', async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    const [item] = (await listInbox(hub, ana)).items;
    expect(item).toMatchObject({ mail: 'digest' });
    hub.clock.set('2026-03-02T16:00:00Z'); // 08:00 in Los Angeles
    // another event folds into the same notice while the server is still taking the digest
    smtp.whileReceiving = async (mail) => {
      if (!mail.to.includes('ana@example.org')) return;
      smtp.whileReceiving = null;
      await hub.store.db
        .updateTable('notifications')
        .set((eb) => ({ events: eb('events', '+', 1), detail: 'and more news' }))
        .where('id', '=', item!.id)
        .execute();
    };
    await worker.drain();
    // the news waits for the next digest, as ana chose, rather than a second digest at once
    expect(smtp.received.filter((r) => r.to.includes('ana@example.org'))).toHaveLength(1);
    expect((await listInbox(hub, ana)).items[0]).toMatchObject({ mail: 'digest' });
    hub.clock.set('2026-03-03T16:00:00Z');
    await worker.drain();
    const toAna = smtp.received.filter((r) => r.to.includes('ana@example.org'));
    expect(toAna).toHaveLength(2);
    expect(toAna[1]!.mail.text).toContain('and more news');
    expect(toAna[0]!.mail.messageId).not.toBe(toAna[1]!.mail.messageId);
    expect((await listInbox(hub, ana)).items[0]).toMatchObject({ mail: 'digest-sent' });
    // nothing is sent again once both are recorded
    later(60 * 24);
    await worker.drain();
    expect(smtp.received.filter((r) => r.to.includes('ana@example.org'))).toHaveLength(2);
  });

  /** Another hub process on the same database, with a clock of its own and the notifications reaction. */
  const otherProcess = (at: string) => {
    const store = openStore(hub.store.url);
    let n = 0;
    const other = createHub(store, hub.governance, {
      clock: new ManualClock(at),
      newId: () => `p2-${String(++n).padStart(6, '0')}`,
      reactions: [notificationsReaction({ mail: true })],
    });
    others.push(store);
    return { ...other, clock: other.clock as ManualClock };
  };

  it('a digest the server took before its process died is sent again by another process under the same Message-ID, with what it carried, and news goes with the next', async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    await addComment(hub, lead, 'P-1', { body: 'Sticky sessions first?' });
    expect((await listInbox(hub, ana)).items.map((n) => n.mail)).toEqual(['digest', 'digest']);
    hub.clock.set('2026-03-02T16:00:00Z'); // 08:00 in Los Angeles
    // the server takes the digest, then the process dies before recording it (as a dropped connection
    // after the server's answer does): the job is retried
    const mailer = createMailer(config(smtp.url));
    const dying = new Worker(
      hub,
      {
        [DIGEST_QUEUE]: async (h, j) =>
          sendDigest(
            h,
            {
              ...mailer,
              transport: {
                sendMail: async (m) => {
                  await mailer.transport.sendMail(m);
                  throw new Error('Connection closed unexpectedly');
                },
                close: () => mailer.transport.close(),
              },
            },
            j,
          ),
      },
      { onError: () => {} },
    );
    await dying.drain();
    expect(smtp.received.filter((r) => r.to.includes('ana@example.org'))).toHaveLength(1);
    // news on the proposal meanwhile, folded into ana's unread notice
    hub.clock.set('2026-03-02T16:00:20Z');
    await addComment(hub, lead, 'P-1', { body: 'Or a shared Redis?' });
    // another process takes the retry
    const b = otherProcess('2026-03-02T16:05:00Z');
    const mailerB = createMailer(config(smtp.url));
    await new Worker(b, { [DIGEST_QUEUE]: (h, j) => sendDigest(h, mailerB, j) }, { onError: () => {} }).drain();
    const toAna = () => smtp.received.filter((r) => r.to.includes('ana@example.org'));
    expect(toAna()).toHaveLength(2);
    // the same mail again: the receiver recognises the repeat by its id
    expect(toAna()[1]!.mail.messageId).toBe(toAna()[0]!.mail.messageId);
    expect(toAna()[1]!.mail.subject).toBe(toAna()[0]!.mail.subject);
    // the news goes with the next day's digest, under an id of its own, and nothing is sent twice more
    expect((await listInbox(hub, ana)).items.map((n) => n.mail).sort()).toEqual(['digest', 'digest-sent']);
    hub.clock.set('2026-03-03T16:00:00Z');
    await worker.drain();
    expect(toAna()).toHaveLength(3);
    expect(toAna()[2]!.mail.messageId).not.toBe(toAna()[0]!.mail.messageId);
    expect(toAna()[0]!.mail.subject).toBe('Your MCP Community digest: 2 updates');
    expect(toAna()[2]!.mail.subject).toBe('Your MCP Community digest: 1 update');
    expect(toAna()[2]!.mail.text).toContain('commented on P-1');
    later(60 * 24 * 2);
    await worker.drain();
    expect(toAna()).toHaveLength(3);
  });

  it('a failed digest retried by an operator after a later digest carried its notices sends nothing again, and is recorded done', async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    hub.clock.set('2026-03-02T16:00:00Z'); // 08:00 in Los Angeles
    // the mail server refuses the 2 March digest at every attempt: its job fails for good
    const mailer = createMailer(config(smtp.url));
    const refusing = new Worker(
      hub,
      {
        [DIGEST_QUEUE]: (h, j) =>
          sendDigest(
            h,
            {
              ...mailer,
              transport: {
                sendMail: async () => {
                  throw new Error('connect ECONNREFUSED 127.0.0.1:25');
                },
                close: () => mailer.transport.close(),
              },
            },
            j,
          ),
      },
      { onError: () => {} },
    );
    for (let i = 0; i < 10; i++) {
      await refusing.drain();
      later(61);
    }
    const digestJobs = () => hub.store.db.selectFrom('jobs').selectAll().where('queue', '=', DIGEST_QUEUE).execute();
    const failed = (await digestJobs()).filter((j) => j.failed_at !== null);
    expect(failed).toHaveLength(1);
    const toAna = () => smtp.received.filter((r) => r.to.includes('ana@example.org'));
    expect(toAna()).toHaveLength(0);
    // news the next day: the 4 March digest carries it and the decision still waiting
    hub.clock.set('2026-03-03T12:00:00Z');
    await addComment(hub, lead, 'P-1', { body: 'Sticky sessions first?' });
    hub.clock.set('2026-03-04T16:00:00Z');
    await worker.drain();
    expect(toAna()).toHaveLength(1);
    expect(toAna()[0]!.mail.subject).toBe('Your MCP Community digest: 2 updates');
    expect((await listInbox(hub, ana)).items.map((n) => n.mail)).toEqual(['digest-sent', 'digest-sent']);
    // the operator retries the failed 2 March digest: nothing it claimed waits any more
    expect(await retryJob(hub, failed[0]!.id)).toBe(true);
    await worker.drain();
    expect(toAna()).toHaveLength(1);
    const job = (await digestJobs()).find((j) => j.id === failed[0]!.id);
    expect(job).toMatchObject({ failed_at: null });
    expect(job!.done_at).not.toBeNull();
    const claims = await hub.store.db.selectFrom('digest_sends').selectAll().orderBy('period').execute();
    expect(claims[0]).toMatchObject({ period: '2026-03-02T16:00:00.000Z' });
    expect(claims.filter((c) => c.sent_at === null)).toEqual([]);
  });

  it('a failed digest retried after a later digest carried part of it goes under a Message-ID of its own, which its own retry keeps', async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    await addComment(hub, lead, 'P-1', { body: 'Sticky sessions first?' });
    hub.clock.set('2026-03-02T16:00:00Z'); // 08:00 in Los Angeles
    // the server takes the 2 March digest twice but its answer is lost each time, then refuses it: the
    // job fails for good, and ana has the two updates (twice, under one id: the repeat is recognised)
    const mailer = createMailer(config(smtp.url));
    /** A worker whose server takes the first `taken` digests without the hub hearing so, then refuses any more. */
    const losing = (taken: number, thenSend = false) => {
      let n = 0;
      return new Worker(
        hub,
        {
          [DIGEST_QUEUE]: (h, j) =>
            sendDigest(
              h,
              {
                ...mailer,
                transport: {
                  sendMail: async (m) => {
                    const info = ++n <= taken || thenSend ? await mailer.transport.sendMail(m) : null;
                    if (info && n > taken) return info;
                    throw new Error(
                      n <= taken ? 'Connection closed unexpectedly' : 'connect ECONNREFUSED 127.0.0.1:25',
                    );
                  },
                  close: () => mailer.transport.close(),
                },
              },
              j,
            ),
        },
        { onError: () => {} },
      );
    };
    const first = losing(2);
    for (let i = 0; i < 10; i++) {
      await first.drain();
      later(61);
    }
    const toAna = () => smtp.received.filter((r) => r.to.includes('ana@example.org'));
    expect(toAna().map((m) => m.mail.subject)).toEqual(Array(2).fill('Your MCP Community digest: 2 updates'));
    expect(toAna()[1]!.mail.messageId).toBe(toAna()[0]!.mail.messageId);
    const [failed] = (
      await hub.store.db.selectFrom('jobs').selectAll().where('queue', '=', DIGEST_QUEUE).execute()
    ).filter((j) => j.failed_at !== null);
    // the 3 March digest carries both again; news on the proposal folds into ana's comment notice while
    // it is in flight, so that one still waits for a digest once it is recorded and the decision does not
    const anaId = ana.kind === 'person' ? ana.person.id : '';
    await enqueue(hub.store.db, hub, digestJob(anaId, new Date('2026-03-03T16:00:00Z')));
    hub.clock.set('2026-03-03T16:00:00Z');
    smtp.whileReceiving = async (mail) => {
      if (!mail.to.includes('ana@example.org')) return;
      smtp.whileReceiving = null;
      await addComment(hub, lead, 'P-1', { body: 'Or a shared Redis?' });
    };
    await worker.drain();
    expect(toAna()).toHaveLength(3);
    // the operator retries the failed 2 March digest: of what it claimed, only the comment's notice
    // still waits, so it mails one update, which is not the mail ana has under its claimed id
    expect(await retryJob(hub, failed!.id)).toBe(true);
    const retry = losing(1, true);
    await retry.drain();
    later(1);
    await retry.drain();
    const retried = toAna().slice(3);
    expect(retried.map((m) => m.mail.subject)).toEqual(Array(2).fill('Your MCP Community digest: 1 update'));
    expect(retried[0]!.mail.messageId).not.toBe(toAna()[0]!.mail.messageId);
    expect(retried[0]!.mail.messageId).not.toBe(toAna()[2]!.mail.messageId);
    // and that mail sent again as it was keeps its own id
    expect(retried[1]!.mail.messageId).toBe(retried[0]!.mail.messageId);
  });

  it('two periods’ digests of one person running at once (a backlog after downtime) mail what waited once', async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    // the hub was down over two digest times: the 2 and 3 March digests are both due
    const anaId = ana.kind === 'person' ? ana.person.id : '';
    await enqueue(hub.store.db, hub, digestJob(anaId, new Date('2026-03-03T16:00:00Z')));
    hub.clock.set('2026-03-03T16:05:00Z');
    const due = await hub.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('key', 'like', `digest:${anaId}:%`)
      .orderBy('run_at')
      .execute();
    expect(due.map((j) => j.run_at)).toEqual(['2026-03-02T16:00:00.000Z', '2026-03-03T16:00:00.000Z']);
    // another worker starts the 3 March digest while the server is still taking the 2 March one
    const mailer = createMailer(config(smtp.url));
    const later3 = due[1]!;
    let second: Promise<void> | undefined;
    smtp.whileReceiving = async (mail) => {
      if (!mail.to.includes('ana@example.org')) return;
      smtp.whileReceiving = null;
      second = sendDigest(hub, mailer, {
        id: later3.id,
        queue: later3.queue,
        key: later3.key,
        payload: readJson(later3.payload),
        attempt: 1,
        maxAttempts: 8,
        createdAt: later3.created_at,
      });
      await second;
    };
    await worker.drain();
    await second;
    await worker.drain();
    const toAna = smtp.received.filter((r) => r.to.includes('ana@example.org'));
    expect(toAna).toHaveLength(1);
    expect((await listInbox(hub, ana)).items.map((n) => n.mail)).toEqual(['digest-sent']);
  });

  it('a notice written just after the digest went, by a process whose clock is behind, goes with the next digest: one a period, none lost', async () => {
    hub.clock.set('2026-03-02T16:00:02Z');
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    // the decision's notice is new in the person's next digest: 08:00 on 3 March in Los Angeles
    hub.clock.set('2026-03-03T16:00:02Z');
    await worker.drain();
    const toAna = () => smtp.received.filter((r) => r.to.includes('ana@example.org'));
    expect(toAna()).toHaveLength(1);
    // process B, 4 s behind, still reads 07:59:58 in Los Angeles: by its clock the 08:00 digest is to come
    const b = otherProcess('2026-03-03T15:59:58Z');
    await addComment(b, lead, 'P-1', { body: 'Sticky sessions first?' });
    hub.clock.set('2026-03-03T16:10:00Z');
    await worker.drain();
    expect(toAna()).toHaveLength(1); // not a second digest on the 3rd
    hub.clock.set('2026-03-04T16:00:00Z');
    await worker.drain();
    expect(toAna()).toHaveLength(2);
    expect(toAna()[1]!.mail.text).toContain('Shared session store');
    expect((await listInbox(hub, ana)).items.map((n) => n.mail)).toEqual(['digest-sent', 'digest-sent']);
  });

  it('the digest gathers what waited, at 08:00 in the person’s zone, and skips what they already read', async () => {
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
    hub.clock.set('2026-03-02T15:59:00Z');
    await worker.drain();
    expect(smtp.received.filter((r) => r.to.includes('ana@example.org'))).toHaveLength(0);
    hub.clock.set('2026-03-02T16:00:00Z'); // 08:00 in Los Angeles
    await worker.drain();
    const [digest] = smtp.received.filter((r) => r.to.includes('ana@example.org'));
    expect(digest!.mail.subject).toBe('Your MCP Community digest: 1 update');
    expect(digest!.mail.text).toContain(
      'D-1 opened: Adopt fortnightly content meetings? (Answer by Sat 7 Mar 2026, 04:00 (America/Los_Angeles); silence by then counts as consent)',
    );
    expect(digest!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const token = /unsubscribe\/([0-9a-f]{32})/.exec(digest!.mail.text ?? '')?.[1];
    expect(await unsubscribeByToken(hub, token!)).toMatchObject({ subjectType: 'digest' });
  });
});

describe('how long a digest job waiting to retry holds what it claimed', () => {
  it('its retries end (mailed, or failed for good and holding nothing) well within the shortest digest period', () => {
    // docs/notifications.md: a claim is not released early for another period to mail, because the
    // retry's own Message-ID is what lets a receiver drop a repeat; that is sound only while the hold is
    // bounded below a day (a daily digest, 23 hours on a day the clocks go forward)
    const waits = Array.from({ length: DEFAULT_MAX_ATTEMPTS - 1 }, (_, i) => backoffMs(i + 1));
    const held = waits.reduce((a, b) => a + b, 0);
    expect(held).toBeLessThan(23 * 3_600_000);
    expect(Math.round(held / 60_000)).toBe(64);
    expect(digestJob('p', new Date()).maxAttempts).toBeUndefined(); // the default attempts, as counted here
  });
});
