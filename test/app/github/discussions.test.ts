import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import { proposeGroup } from '../../../src/app/groups/groups.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { search } from '../../../src/app/search/search.ts';
import { githubStatus } from '../../../src/app/github/status.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { GithubStandin } from '../../support/github-standin.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

// The webhook examples are payloads GitHub really sent, from its Hello-World repository.
const REPO = 'Codertocat/Hello-World';
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string; repository?: { full_name: string } }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action && x.repository?.full_name === REPO)!,
  ) as any;
const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });

describe.each(databases)('GitHub Discussions mirrored on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openTestHub(database, '2025-06-01T09:00:00Z');
    mirrorRepo(hub, REPO);
    standin = await new GithubStandin(REPO).start();
    app = createHttpApp(hub, undefined, { githubWebhookSecret: standinConfig(standin).webhookSecret });
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  const discussion = (number: number) =>
    hub.store.db
      .selectFrom('github_discussions as d')
      .leftJoin('meetings as m', 'm.id', 'd.meeting_id')
      .select(['d.title', 'd.body', 'd.category', 'd.kind', 'd.deleted_at', 'm.number as meeting'])
      .where('d.repo', '=', REPO)
      .where('d.number', '=', number)
      .executeTakeFirst();
  const comments = (number: number) =>
    hub.store.db
      .selectFrom('github_discussion_comments as c')
      .leftJoin('people as p', 'p.id', 'c.author_id')
      .select(['c.github_id', 'c.parent_github_id as parent', 'c.body', 'c.deleted_at', 'p.github as author'])
      .where('c.repo', '=', REPO)
      .where('c.discussion_number', '=', number)
      .orderBy('c.created_at')
      .orderBy('c.github_id')
      .execute();
  const events = async () =>
    Number(
      (
        await hub.store.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const found = async (q: string) => (await search(hub, { q })).items.map((h) => h.ref);

  it('the backfill mirrors Discussions with comments and replies; notes attach to the matching meeting; a second run changes nothing; deletions on GitHub are hidden', async () => {
    const lead = await person(hub, 'lead', { role: 'member' });
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
    });
    const at = (d: string) => `2025-06-${d}Z`;
    const notes = standin.discuss({
      title: 'Core Maintainers Meeting Notes 2025-06-11',
      body: 'Decided: SEP-1686 moves to in-review. Tachyon buffering is deferred.',
      category: 'Meeting Notes',
      login: 'dsp-ant',
      created_at: at('11T18:02:11'),
      updated_at: at('12T09:15:40'),
      comments: [
        {
          id: 13211957,
          login: 'pcarleton',
          body: 'Could we link the recording?',
          created_at: at('12T08:01:00'),
          updated_at: at('12T08:01:00'),
          replies: [
            {
              id: 13212001,
              login: 'dsp-ant',
              body: 'Added at the top.',
              created_at: at('12T09:15:40'),
              updated_at: at('12T09:15:40'),
            },
          ],
        },
        // more than one page of comments (50 a page)
        ...Array.from({ length: 52 }, (_, i) => ({
          id: 13300000 + i,
          login: 'someone-new-on-github',
          body: `+1 number ${i}`,
          created_at: at('13T00:00:00').replace('00:00', `00:${String(i).padStart(2, '0')}`),
          updated_at: at('13T00:00:00').replace('00:00', `00:${String(i).padStart(2, '0')}`),
        })),
      ],
    });
    // notes of a day with no meeting in the hub: kept as a mirrored Discussion of its own
    const orphan = standin.discuss({
      title: 'Hosting WG notes 2025-06-20',
      body: 'We compared session affinity approaches.',
      category: 'Meeting Notes',
      login: 'kurtisvg',
      created_at: at('20T10:00:00'),
      updated_at: at('20T10:00:00'),
    });
    const quarterly = standin.discuss({
      title: 'Q2 2025 update',
      body: 'The registry entered preview.',
      category: 'Quarterly Updates',
      login: 'jspahrsummers',
      created_at: at('30T10:00:00'),
      updated_at: at('30T10:00:00'),
    });
    // the hub's own notes, written back earlier: not mirrored back
    standin.discuss({
      title: 'Hub notes',
      body: 'Notes.\n\n<!-- wghub:notes M-9 -->',
      category: 'Meeting Notes',
      created_at: at('25T10:00:00'),
      updated_at: at('25T10:00:00'),
    });

    const s = await syncRepository(hub, await standinClient(standin), REPO);
    expect(s.discussions).toEqual({ added: 3, edited: 0, unchanged: 0, hidden: 0, meetings: 1 });
    expect(s.discussionComments).toEqual({ added: 54, edited: 0, unchanged: 0, hidden: 0, meetings: 0 });
    expect(standin.drift).toEqual([]);
    // the operator's status counts them per repository (the hub's own notes Discussion is not mirrored)
    expect((await githubStatus(hub)).repositories[0]!.discussions).toEqual({ count: 3, comments: 54, meetings: 1 });
    expect(await discussion(notes.number)).toMatchObject({ kind: 'notes', meeting: 1, deleted_at: null });
    expect(await discussion(orphan.number)).toMatchObject({ kind: 'notes', meeting: null });
    expect(await discussion(quarterly.number)).toMatchObject({ kind: 'quarterly', category: 'Quarterly Updates' });
    expect((await comments(notes.number)).slice(0, 2)).toEqual([
      {
        github_id: '13211957',
        parent: null,
        body: 'Could we link the recording?',
        deleted_at: null,
        author: 'pcarleton',
      },
      { github_id: '13212001', parent: '13211957', body: 'Added at the top.', deleted_at: null, author: 'dsp-ant' },
    ]);
    // found by search, as meeting notes or as a Discussion, and shown on a page of its own
    expect(await found('tachyon buffering')).toContain(`github:${REPO}/discussions/${notes.number}`);
    expect((await search(hub, { q: 'registry preview', kind: 'github-discussion' })).items[0]?.ref).toBe(
      `github:${REPO}/discussions/${quarterly.number}`,
    );
    const page = await (await app.request(`/github/${REPO}/discussions/${notes.number}`)).text();
    expect(page).toContain('Core Maintainers Meeting Notes 2025-06-11');
    expect(page).toContain('Added at the top.');
    expect(page).toContain(`href="/meetings/${meeting.ref}"`);
    expect(page).toContain(notes.url);
    const meetingPage = await (await app.request(`/meetings/${meeting.ref}`)).text();
    expect(meetingPage).toContain(`href="/github/${REPO}/discussions/${notes.number}"`);
    expect((await app.request(`/github/${REPO}/discussions/9999`)).status).toBe(404);

    const before = await events();
    const again = await syncRepository(hub, await standinClient(standin), REPO);
    expect(again.discussions).toMatchObject({ added: 0, edited: 0, hidden: 0 });
    expect(again.discussionComments).toMatchObject({ added: 0, edited: 0, hidden: 0 });
    expect(await events()).toBe(before + 1); // only the "synced" entry

    // on GitHub: a comment deleted, one edited, the quarterly update deleted
    notes.comments!.splice(1, 1);
    notes.comments![0]!.body = 'Could we link the recording? Thanks!';
    notes.comments![0]!.updated_at = at('14T00:00:00');
    standin.discussions.splice(standin.discussions.indexOf(quarterly), 1);
    const third = await syncRepository(hub, await standinClient(standin), REPO);
    expect(third.discussions).toMatchObject({ hidden: 1 });
    expect(third.discussionComments).toMatchObject({ edited: 1, hidden: 1 });
    expect((await comments(notes.number))[0]!.body).toBe('Could we link the recording? Thanks!');
    const gone = (await comments(notes.number)).find((c) => c.github_id === '13300000')!;
    expect(gone.deleted_at).not.toBeNull();
    expect(gone.body).toMatch(/deleted on GitHub/);
    expect((await discussion(quarterly.number))?.body).toMatch(/deleted on GitHub/);
    expect(await found('registry preview')).not.toContain(`github:${REPO}/discussions/${quarterly.number}`);
    expect((await githubStatus(hub)).repositories[0]!.discussions).toMatchObject({ count: 2, meetings: 1 });
  });

  it('applies discussion and discussion_comment webhooks: created, edited, deleted, in any order, and replays change nothing', async () => {
    const worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
    let n = 0;
    const post = async (event: string, payload: unknown) => {
      const body = JSON.stringify(payload);
      const res = await app.request('/github/webhooks', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': `dd-${++n}`,
          'x-hub-signature-256': await signer.sign(body),
        },
        body,
      });
      expect(res.status).toBe(202);
      // acknowledged and recorded, waiting for the worker until it runs
      expect((await githubStatus(hub)).deliveries).toMatchObject({ received: n, pending: 1 });
      await worker.drain();
      expect((await githubStatus(hub)).deliveries).toMatchObject({ received: n, pending: 0 });
    };
    const outcomes = async () =>
      (
        await hub.store.db
          .selectFrom('github_deliveries')
          .select('outcome')
          .orderBy('received_at')
          .orderBy('id')
          .execute()
      ).map((d) => d.outcome);

    // a comment arrives before the Discussion's "created": the Discussion comes along
    await post('discussion_comment', example('discussion_comment', 'created'));
    expect(await discussion(4)).toMatchObject({ title: 'TEST edit', category: 'General', kind: null });
    expect((await comments(4)).map((c) => [c.github_id, c.body, c.author])).toEqual([
      ['550062', 'ANSWER', 'Codertocat'],
    ]);
    await post('discussion', example('discussion', 'created'));

    const edited = example('discussion', 'edited');
    edited.discussion.body = 'The body, edited on GitHub.';
    edited.discussion.updated_at = '2021-03-31T10:00:00Z';
    await post('discussion', edited);
    expect((await discussion(4))?.body).toBe('The body, edited on GitHub.');
    // the older "created" redelivered after the edit: the edit stands
    await post('discussion', example('discussion', 'created'));
    expect((await discussion(4))?.body).toBe('The body, edited on GitHub.');

    const commentEdited = example('discussion_comment', 'edited');
    commentEdited.comment.body = 'ANSWER, with a link';
    commentEdited.comment.updated_at = '2021-03-31T11:00:00Z';
    await post('discussion_comment', commentEdited);
    expect((await comments(4))[0]?.body).toBe('ANSWER, with a link');
    expect(await search(hub, { q: 'link', kind: 'github-discussion' })).toMatchObject({
      items: [{ ref: `github:${REPO}/discussions/4` }],
    });

    await post('discussion_comment', example('discussion_comment', 'deleted'));
    expect((await comments(4))[0]).toMatchObject({ deleted_at: expect.any(String) });
    expect((await comments(4))[0]?.body).toMatch(/deleted on GitHub/);
    // a late "created" cannot bring it back
    await post('discussion_comment', example('discussion_comment', 'created'));
    expect((await comments(4))[0]?.body).toMatch(/deleted on GitHub/);

    const deleted = example('discussion', 'created');
    deleted.action = 'deleted';
    await post('discussion', deleted);
    expect((await discussion(4))?.body).toMatch(/This Discussion was deleted on GitHub/);
    expect((await search(hub, { q: 'edited', kind: 'github-discussion' })).items).toEqual([]);
    await post('discussion', edited);
    expect((await discussion(4))?.body).toMatch(/deleted on GitHub/);
    const page = await (await app.request(`/github/${REPO}/discussions/4`)).text();
    expect(page).toContain('deleted on GitHub');
    expect(page).not.toContain('ANSWER');

    expect(await outcomes()).toEqual([
      'applied', // comment (and its Discussion) created
      'ignored', // created: already there, as recent
      'applied', // edited
      'ignored', // the older created
      'applied', // comment edited
      'applied', // comment deleted
      'ignored', // late comment created
      'applied', // Discussion deleted
      'ignored', // edit after deletion
    ]);
  });

  it('a backfill stopped in the middle of the Discussions resumes after the last page it mirrored, not from the first', async () => {
    for (const d of ['01', '02', '03'])
      standin.discuss({
        title: `Notes ${d}`,
        body: `Notes of day ${d}.`,
        category: 'General',
        created_at: `2025-06-${d}T10:00:00Z`,
        updated_at: `2025-06-${d}T10:00:00Z`,
      });
    const client = await standinClient(standin, 0);
    // every Discussions page asked for is noted; the connection drops on the second one, once
    const asked: (string | null)[] = [];
    let drop = true;
    const watched = new Proxy(client, {
      get(target, key, receiver) {
        if (key !== 'graphql') return Reflect.get(target, key, receiver);
        return (query: string, vars: { after?: string | null }) => {
          if (query.includes('query MirrorDiscussions(')) {
            asked.push(vars.after ?? null);
            if (asked.length === 2 && drop) {
              drop = false;
              throw new Error('the connection to GitHub dropped');
            }
          }
          return target.graphql(query, vars);
        };
      },
    });
    await expect(syncRepository(hub, watched, REPO, { discussionsPerPage: 1 })).rejects.toThrow('dropped');
    const stopped = await hub.store.db.selectFrom('github_repos').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(stopped.cursor!)).toMatchObject({ discussionsAfter: asked[1] });
    expect((await githubStatus(hub)).repositories[0]!.discussions.count).toBe(1);

    asked.length = 0;
    const resumed = await syncRepository(hub, watched, REPO, { discussionsPerPage: 1 });
    // the first page is not asked for again: the run goes on after the Discussion it had mirrored
    expect(asked[0]).not.toBeNull();
    expect(asked).not.toContain(null);
    expect(resumed.discussions).toMatchObject({ added: 2, hidden: 0 });
    expect((await githubStatus(hub)).repositories[0]!.discussions.count).toBe(3);
    expect((await hub.store.db.selectFrom('github_repos').selectAll().executeTakeFirstOrThrow()).cursor).toBeNull();
    // the next whole listing starts from the first page again
    asked.length = 0;
    const again = await syncRepository(hub, watched, REPO, { discussionsPerPage: 1 });
    expect(asked[0]).toBeNull();
    expect(again.discussions).toMatchObject({ added: 0, edited: 0, hidden: 0 });
  });

  it('a page of Discussions GitHub times out on is asked for again in fewer, so the sync does not fail at the same page on every try', async () => {
    for (const d of ['01', '02', '03'])
      standin.discuss({
        title: `Notes ${d}`,
        body: `Notes of day ${d}.`,
        category: 'General',
        created_at: `2025-06-${d}T10:00:00Z`,
        updated_at: `2025-06-${d}T10:00:00Z`,
      });
    // long Discussions: GitHub gives up on a page of more than two
    standin.discussionsTimeoutAbove = 2;
    const s = await syncRepository(hub, await standinClient(standin), REPO);
    expect(s.warnings.filter((w) => w.startsWith('Discussions not mirrored'))).toEqual([]);
    expect(s.discussions).toMatchObject({ added: 3 });
    expect((await githubStatus(hub)).repositories[0]!.discussions.count).toBe(3);
    // GitHub giving up on even one: the sync fails, to resume there, rather than finishing without them
    standin.discussionsTimeoutAbove = 0;
    standin.discuss({
      title: 'Notes 04',
      body: 'Notes of day 04.',
      category: 'General',
      created_at: '2025-06-04T10:00:00Z',
      updated_at: '2025-06-04T10:00:00Z',
    });
    await expect(syncRepository(hub, await standinClient(standin), REPO)).rejects.toThrow(/timeout/);
    expect((await githubStatus(hub)).repositories[0]!.discussions.count).toBe(3);
    // the reason is kept for the status, saying what GitHub said
    const row = await hub.store.db.selectFrom('github_repos').selectAll().executeTakeFirstOrThrow();
    expect(row.last_error).toMatch(/^GitHub failed POST \/graphql \(500\)/);
  });
});
