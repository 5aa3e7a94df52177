import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import { proposeGroup } from '../../../src/app/groups/groups.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { replayDelivery } from '../../../src/app/github/webhooks.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { unsubscribeByToken } from '../../../src/app/notifications/subscriptions.ts';
import { mailToken } from '../../../src/app/notifications/tokens.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { readJson } from '../../../src/store/schema.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { GithubStandin } from '../../support/github-standin.ts';
import { asActor, openTestHub, person, type TestHub } from '../../support/hub.ts';

// Who hears of a comment mirrored from GitHub onto a plain issue or a Discussion: whom it mentions,
// the author of the comment a reply answers, and, for a comment on the thread itself, its opener
// and (for a meeting's notes) the note-taker. The hub starts watching the repository at its first
// sync (2025-06-20 on the test clock): what the backfill finds from before then is history and tells
// nobody; a delivered comment, or one the reconcile finds dated since, is news. Nobody is told of
// their own comment, an edit tells nobody, and a redelivery or replay tells nobody twice.
// The webhook examples are payloads GitHub really sent, from its Hello-World repository.
const REPO = 'Codertocat/Hello-World';
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string; repository?: { full_name: string } }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action && x.repository?.full_name === REPO)!,
  ) as any;
const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });

describe.each(databases)(
  'Notices of GitHub issue and Discussion comments on $name',
  { timeout: 180_000 },
  (database) => {
    let hub: TestHub;
    let standin: GithubStandin;
    let app: ReturnType<typeof createHttpApp>;
    let worker: Worker;
    beforeEach(async () => {
      hub = await openTestHub(database, '2025-06-01T09:00:00Z');
      hub.reactions.push(notificationsReaction({ mail: false }));
      mirrorRepo(hub, REPO);
      standin = await new GithubStandin(REPO).start();
      app = createHttpApp(hub, undefined, { githubWebhookSecret: standinConfig(standin).webhookSecret });
      worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
      // people of the hub, known on GitHub by their logins
      for (const [handle, login] of [
        ['ana', 'ana-gh'],
        ['bo', 'bo-gh'],
        ['cy', 'cy-gh'],
      ] as const) {
        await person(hub, handle, { role: 'member' });
        await hub.store.db.updateTable('people').set({ github: login }).where('handle', '=', handle).execute();
      }
    });
    afterEach(async () => {
      await hub?.close();
      await standin?.stop();
    });

    let deliveries = 0;
    const deliver = async (event: string, payload: unknown) => {
      const body = JSON.stringify(payload);
      const res = await app.request('/github/webhooks', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': `tn-${++deliveries}`,
          'x-hub-signature-256': await signer.sign(body),
        },
        body,
      });
      expect(res.status).toBe(202);
      await worker.drain();
      return `tn-${deliveries}`;
    };
    /** Who was told what about a thread: "handle kind (reason)", sorted. */
    const told = async (ref: string) =>
      (
        await hub.store.db
          .selectFrom('notifications as n')
          .innerJoin('people as p', 'p.id', 'n.person_id')
          .select(['p.handle', 'n.kind', 'n.reason', 'n.events'])
          .where('n.subject_ref', '=', ref)
          .execute()
      )
        .map((r) => `${r.handle} ${r.kind} (${r.reason})${Number(r.events) > 1 ? ` ×${r.events}` : ''}`)
        .sort();
    const commented = async (kind: string, ref: string) =>
      (
        await hub.store.db
          .selectFrom('events')
          .select('after')
          .where('kind', '=', kind)
          .where('subject_id', '=', ref)
          .orderBy('seq')
          .execute()
      ).map((e) => (readJson(e.after) as { historical?: boolean }).historical ?? false);

    it('a plain issue: the backfill’s history tells nobody; a comment the reconcile finds since, or a webhook brings, tells the opener and whom it mentions', async () => {
      standin.issues.set(2, {
        number: 2,
        title: 'Spec: clarify tool result caching',
        body: 'The caching section is ambiguous.',
        login: 'ana-gh',
        state: 'open',
        labels: [],
        created_at: '2025-05-01T10:00:00Z',
        updated_at: '2025-05-02T10:00:00Z',
        comments: [
          {
            id: 9001,
            login: 'bo-gh',
            body: 'Agreed, @cy-gh wrote that part.',
            created_at: '2025-05-02T10:00:00Z',
            updated_at: '2025-05-02T10:00:00Z',
          },
        ],
      });
      hub.clock.set('2025-06-20T09:00:00Z');
      await syncRepository(hub, await standinClient(standin), REPO);
      // mirrored, and in the event log as history: nobody told
      expect(await told(`${REPO}#2`)).toEqual([]);
      expect(await commented('github.issue-commented', `${REPO}#2`)).toEqual([true]);

      // written on GitHub after the hub began watching; its webhook never came
      hub.clock.set('2025-06-22T09:00:00Z');
      const issue = standin.issues.get(2)!;
      issue.comments.push({
        id: 9002,
        login: 'bo-gh',
        body: 'Drafted a fix, @cy-gh can you check?',
        created_at: '2025-06-21T08:00:00Z',
        updated_at: '2025-06-21T08:00:00Z',
      });
      issue.updated_at = '2025-06-21T08:00:00Z';
      // and an issue opened since, with a comment: their webhooks were lost too
      standin.issues.set(3, {
        number: 3,
        title: 'Docs: broken link',
        body: 'The link to the schema is broken.',
        login: 'cy-gh',
        state: 'open',
        labels: [],
        created_at: '2025-06-21T07:00:00Z',
        updated_at: '2025-06-21T09:00:00Z',
        comments: [
          {
            id: 9101,
            login: 'bo-gh',
            body: 'Fixed on main.',
            created_at: '2025-06-21T09:00:00Z',
            updated_at: '2025-06-21T09:00:00Z',
          },
        ],
      });
      await syncRepository(hub, await standinClient(standin), REPO);
      expect(await told(`${REPO}#2`)).toEqual(['ana reply (opened-on-github)', 'cy mention (mention)']);
      expect(await told(`${REPO}#3`)).toEqual(['cy reply (opened-on-github)']);
      const ana = await listInbox(hub, await asActor(hub, 'ana'));
      expect(ana.items[0]).toMatchObject({
        kind: 'reply',
        title: `bo commented on GitHub on ${REPO}#2: Spec: clarify tool result caching`,
        path: `/github/${REPO}/issues/2`,
      });
      // the reconcile again: nothing new, nobody told twice
      await syncRepository(hub, await standinClient(standin), REPO);
      expect(await told(`${REPO}#2`)).toHaveLength(2);

      // ana follows the mail's "Stop mail about this": more comments on her issue tell her nothing,
      // but one that mentions her still does
      const anaRow = await hub.store.db
        .selectFrom('people')
        .select('id')
        .where('handle', '=', 'ana')
        .executeTakeFirstOrThrow();
      await unsubscribeByToken(
        hub,
        await mailToken(hub, 'unsubscribe', { id: anaRow.id, epoch: 0 }, { type: 'github-issue', ref: `${REPO}#2` }),
      );
      hub.clock.set('2025-06-22T12:00:00Z');
      issue.comments.push(
        {
          id: 9003,
          login: 'cy-gh',
          body: 'Looks right to me.',
          created_at: '2025-06-22T10:00:00Z',
          updated_at: '2025-06-22T10:00:00Z',
        },
        {
          id: 9004,
          login: 'bo-gh',
          body: '@ana-gh shall I merge it?',
          created_at: '2025-06-22T11:00:00Z',
          updated_at: '2025-06-22T11:00:00Z',
        },
      );
      issue.updated_at = '2025-06-22T11:00:00Z';
      await syncRepository(hub, await standinClient(standin), REPO);
      expect(await told(`${REPO}#2`)).toEqual([
        'ana mention (mention)',
        'ana reply (opened-on-github)',
        'cy mention (mention)',
      ]);

      // GitHub's own example: Codertocat comments on their issue #1, here mentioning @bo-gh
      const created = example('issue_comment', 'created');
      created.comment.body = 'You are totally right, @bo-gh! I will fix it right away.';
      const first = await deliver('issue_comment', created);
      // the opener wrote it: only the one mentioned is told
      expect(await told(`${REPO}#1`)).toEqual(['bo mention (mention)']);
      expect(await commented('github.issue-commented', `${REPO}#1`)).toEqual([false]);
      // an edit, a redelivery and a replay tell nobody anything more
      const edited = example('issue_comment', 'edited');
      edited.comment.body = 'Edited: @bo-gh and @cy-gh, fixed.';
      await deliver('issue_comment', edited);
      await deliver('issue_comment', created);
      await replayDelivery(hub, first);
      await worker.drain();
      expect(await told(`${REPO}#1`)).toEqual(['bo mention (mention)']);

      // ana comments on the issue: Codertocat (a person without an account) opened it and is told
      const byAna = structuredClone(created);
      byAna.comment.id += 1;
      byAna.comment.user.login = 'ana-gh';
      byAna.comment.body = 'Same here.';
      await deliver('issue_comment', byAna);
      expect(await told(`${REPO}#1`)).toEqual(['Codertocat reply (opened-on-github)', 'bo mention (mention)']);
    });

    it('an edit delivered for a comment the hub never saw is news only if the comment was written since the hub began watching', async () => {
      // the hub watches from its first delivery; no backfill has run yet
      hub.clock.set('2025-06-20T09:00:00Z');
      const old = example('issue_comment', 'edited');
      old.comment.user.login = 'cy-gh';
      old.comment.body = 'Fixed the typo; @bo-gh wrote the rest.';
      old.comment.updated_at = '2025-06-20T08:59:00Z'; // written in 2019, edited today
      await deliver('issue_comment', old);
      expect(await told(`${REPO}#1`)).toEqual([]);
      expect(await commented('github.issue-commented', `${REPO}#1`)).toEqual([true]);

      // written since (its "created" delivery was lost), then edited: news, as the reconcile would find it
      hub.clock.set('2025-06-22T09:00:00Z');
      const missed = example('issue_comment', 'edited');
      missed.comment.id += 1;
      missed.comment.user.login = 'cy-gh';
      missed.comment.body = 'Edited: @bo-gh can you check?';
      missed.comment.created_at = '2025-06-21T08:00:00Z';
      missed.comment.updated_at = '2025-06-22T08:00:00Z';
      await deliver('issue_comment', missed);
      expect(await told(`${REPO}#1`)).toEqual(['Codertocat reply (opened-on-github)', 'bo mention (mention)']);
      expect(await commented('github.issue-commented', `${REPO}#1`)).toEqual([true, false]);
    });

    it('a meeting’s notes Discussion: a comment tells the note-taker and the opener, a reply the one it answers, a mention whom it names; history tells nobody', async () => {
      const lead = await person(hub, 'lead', { role: 'member' });
      await hub.store.db.updateTable('people').set({ github: 'lead-gh' }).where('handle', '=', 'lead').execute();
      await proposeGroup(hub, lead, {
        slug: 'core',
        name: 'Core Maintainers',
        kind: 'working',
        mission: 'Steward the specification and its process.',
        scopeIn: ['Specification'],
        leads: ['lead'],
      });
      const meeting = await scheduleMeeting(hub, lead, {
        group: 'core',
        kind: 'process',
        title: 'Core Maintainers Meeting',
        startsAt: '2025-06-11T17:00:00Z',
        timeZone: 'Europe/London',
        noteTaker: 'lead',
      });
      const notes = standin.discuss({
        title: 'Core Maintainers Meeting Notes 2025-06-11',
        body: 'Decided: SEP-1686 moves to in-review.',
        category: 'Meeting Notes',
        login: 'ana-gh',
        created_at: '2025-06-11T18:02:11Z',
        updated_at: '2025-06-12T09:15:40Z',
        comments: [
          {
            id: 13211957,
            login: 'bo-gh',
            body: 'Could we link the recording, @cy-gh?',
            created_at: '2025-06-12T08:01:00Z',
            updated_at: '2025-06-12T08:01:00Z',
            replies: [
              {
                id: 13212001,
                login: 'ana-gh',
                body: 'Added at the top.',
                created_at: '2025-06-12T09:15:40Z',
                updated_at: '2025-06-12T09:15:40Z',
              },
            ],
          },
        ],
      });
      const ref = `${REPO}#${notes.number}`;
      hub.clock.set('2025-06-20T09:00:00Z');
      await syncRepository(hub, await standinClient(standin), REPO);
      const attached = await hub.store.db
        .selectFrom('github_discussions')
        .select('meeting_id')
        .where('number', '=', notes.number)
        .executeTakeFirstOrThrow();
      expect(attached.meeting_id).not.toBeNull();
      expect(await told(ref)).toEqual([]);
      expect(await commented('github.discussion-commented', ref)).toEqual([true, true]);

      // GitHub's own example payloads, moved onto the notes Discussion
      const onNotes = (action: string) => {
        const p = example('discussion_comment', action);
        Object.assign(p.discussion, {
          number: notes.number,
          title: notes.title,
          body: notes.body,
          html_url: notes.url,
          created_at: '2025-06-11T18:02:11Z',
          updated_at: '2025-06-12T09:15:40Z',
          category: { ...p.discussion.category, name: 'Meeting Notes' },
          user: { ...p.discussion.user, login: 'ana-gh' },
        });
        return p;
      };
      hub.clock.set('2025-06-23T09:00:00Z');
      const comment = onNotes('created');
      comment.comment.user.login = 'cy-gh';
      comment.comment.body = 'Item 2 was deferred, not dropped.';
      await deliver('discussion_comment', comment);
      expect(await told(ref)).toEqual(['ana reply (opened-on-github)', 'lead reply (note-taker)']);
      const inbox = await listInbox(hub, lead);
      expect(inbox.items[0]).toMatchObject({
        title: `cy commented on GitHub on the notes of ${meeting.ref} (${ref}): ${notes.title}`,
        path: `/github/${REPO}/discussions/${notes.number}`,
      });

      // a reply to cy's comment, by the note-taker, mentioning bo: cy and bo are told, nobody else
      const reply = onNotes('created');
      reply.comment.id = comment.comment.id + 1;
      reply.comment.parent_id = comment.comment.id;
      reply.comment.user.login = 'lead-gh';
      reply.comment.body = 'Right, @bo-gh please fix the notes.';
      await deliver('discussion_comment', reply);
      expect(await told(ref)).toEqual([
        'ana reply (opened-on-github)',
        'bo mention (mention)',
        'cy reply (reply)',
        'lead reply (note-taker)',
      ]);
      expect((await listInbox(hub, await asActor(hub, 'cy'))).items[0]!.title).toBe(
        `lead replied on GitHub on the notes of ${meeting.ref} (${ref}): ${notes.title}`,
      );
      // edited and deleted on GitHub: nobody is told anything more
      const edited = onNotes('edited');
      Object.assign(edited.comment, {
        id: comment.comment.id,
        body: 'Edited: item 2 was deferred.',
        updated_at: '2025-06-23T10:00:00Z',
      });
      await deliver('discussion_comment', edited);
      const deleted = onNotes('deleted');
      deleted.comment.id = reply.comment.id;
      await deliver('discussion_comment', deleted);
      expect(await told(ref)).toHaveLength(4);
      expect(await commented('github.discussion-commented', ref)).toEqual([true, true, false, false]);
    });
  },
);
