// A mirrored repository renamed, moved to another owner, made private, archived or deleted on
// GitHub: the mirror follows it by GitHub's id (every delivery carries `repository.id`), keeps what
// it mirrored linked, shows the name GitHub gives it now, and stops polling one GitHub no longer
// serves, losing nothing. GitHub's own recorded deliveries (`@octokit/webhooks-examples`).
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduleReconcile } from '../../../src/app/github/operate.ts';
import { githubStatus } from '../../../src/app/github/status.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { applyDelivery, receiveDelivery } from '../../../src/app/github/webhooks.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { GithubStandin } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

// the examples are from GitHub's Hello-World repository (id 186853002), whose issue #1 is a plain issue
const REPO = 'Codertocat/Hello-World';
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action)!,
  ) as any;
const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });

describe.each(databases)(
  'a mirrored repository renamed, moved or closed on GitHub, on $name',
  { timeout: 120_000 },
  (database) => {
    let hub: TestHub;
    let standin: GithubStandin;
    let n = 0;
    beforeEach(async () => {
      hub = await openTestHub(database);
      mirrorRepo(hub, REPO);
      standin = await new GithubStandin(REPO).start();
    });
    afterEach(async () => {
      await hub?.close();
      await standin?.stop();
    });

    const deliver = async (event: string, payload: unknown) => {
      const raw = JSON.stringify(payload);
      const id = `m-${++n}`;
      await receiveDelivery(
        hub,
        standinConfig(standin).webhookSecret!,
        { delivery: id, event, signature: await signer.sign(raw) },
        raw,
      );
      return applyDelivery(hub, id, () => standinClient(standin));
    };
    /** The example delivery, about the repository as GitHub names it now. */
    const about = (event: string, action: string, fullName: string) => {
      const p = example(event, action);
      p.repository = { ...example('issues', 'opened').repository, full_name: fullName, name: fullName.split('/')[1] };
      return p;
    };
    // three open issues on GitHub, #1 to #3, for the reconcile to mirror
    const threeOpenIssues = () => {
      for (const n of [1, 2, 3])
        standin.issues.set(n, {
          number: n,
          title: `Issue ${n}`,
          body: 'Text.',
          login: 'dsp',
          state: 'open',
          labels: [],
          created_at: `2026-01-0${n}T00:00:00Z`,
          updated_at: `2026-01-0${n}T00:00:00Z`,
          comments: [],
        });
    };
    const issue = () =>
      hub.store.db
        .selectFrom('github_issues')
        .select(['repo', 'title', 'deleted_at'])
        .where('number', '=', 1)
        .execute();
    const comments = () => hub.store.db.selectFrom('github_issue_comments').select(['repo', 'issue_number']).execute();
    const repoStatus = async () => (await githubStatus(hub)).repositories[0]!;

    it('renamed, then transferred: its deliveries under the new names land on what was mirrored, and the new name is shown', async () => {
      expect(await deliver('issues', example('issues', 'opened'))).toBe('applied');

      const renamed = about('repository', 'renamed', 'Codertocat/Hello-Everyone');
      renamed.changes = { repository: { name: { from: 'Hello-World' } } };
      expect(await deliver('repository', renamed)).toBe('applied');
      expect(await repoStatus()).toMatchObject({ name: REPO, nameOnGithub: 'Codertocat/Hello-Everyone' });
      // the same news again changes nothing
      expect(await deliver('repository', renamed)).toBe('ignored');

      // a comment on the issue, delivered under the new name: the issue mirrored before is its thread
      expect(await deliver('issue_comment', about('issue_comment', 'created', 'Codertocat/Hello-Everyone'))).toBe(
        'applied',
      );
      expect(await comments()).toEqual([{ repo: REPO, issue_number: 1 }]);

      // moved to another owner (GitHub's recorded transfer names the owner it left)
      const transferred = about('repository', 'transferred', 'Octocoders/Hello-Everyone');
      transferred.changes.owner.from.user.login = 'Codertocat';
      expect(await deliver('repository', transferred)).toBe('applied');
      const edited = about('issues', 'edited', 'Octocoders/Hello-Everyone');
      edited.issue.title = 'Spelling error in the README file, still';
      edited.issue.updated_at = '2030-01-01T00:00:00Z';
      expect(await deliver('issues', edited)).toBe('applied');
      expect(await issue()).toEqual([
        { repo: REPO, title: 'Spelling error in the README file, still', deleted_at: null },
      ]);

      const s = await githubStatus(hub);
      expect(s.repositories).toMatchObject([
        { name: REPO, nameOnGithub: 'Octocoders/Hello-Everyone', onGithub: null, issues: { open: 1, comments: 1 } },
      ]);
      // its deliveries under the new names are its own, not an unnamed repository's
      expect(s.deliveries.unnamedRepositories).toEqual([]);
      const told = await hub.store.db
        .selectFrom('events')
        .select(['kind', 'subject_id'])
        .where('kind', 'like', 'github.repository-%')
        .orderBy('seq')
        .execute();
      expect(told).toEqual([
        { kind: 'github.repository-renamed', subject_id: REPO },
        { kind: 'github.repository-transferred', subject_id: REPO },
      ]);
      // the feed says which name the governance file is to keep (naming the new one there matches nothing)
      const notes = await hub.store.db
        .selectFrom('events')
        .select('after')
        .where('kind', 'like', 'github.repository-%')
        .orderBy('seq')
        .execute();
      expect(notes.map((e) => JSON.parse(e.after!).note)).toEqual([
        expect.stringContaining(
          "keep Codertocat/Hello-World in the governance file's github.repositories (naming it Codertocat/Hello-Everyone there would leave its deliveries ignored",
        ),
        expect.stringContaining(
          "keep Codertocat/Hello-World in the governance file's github.repositories (naming it Octocoders/Hello-Everyone there",
        ),
      ]);

      // the governance file naming it anew would mirror it all again beside the copies: refused, saying what to do
      mirrorRepo(hub, 'Octocoders/Hello-Everyone');
      await expect(syncRepository(hub, await standinClient(standin), 'Octocoders/Hello-Everyone')).rejects.toThrow(
        /keep Codertocat\/Hello-World in the governance file's github\.repositories/,
      );
      mirrorRepo(hub, REPO);

      // another repository that took the freed name up (another id) is not the mirrored one
      const impostor = example('issues', 'opened');
      impostor.repository.id = 424242;
      impostor.issue.number = 5;
      expect(await deliver('issues', impostor)).toBe('ignored');
      expect(await hub.store.db.selectFrom('github_issues').select('number').execute()).toEqual([{ number: 1 }]);
    });

    it('renamed: a mirrored issue the listing does not show, asked for by number, is answered under the new name and stays (it is not "moved")', async () => {
      threeOpenIssues();
      await syncRepository(hub, await standinClient(standin), REPO);
      const renamed = about('repository', 'renamed', 'Codertocat/Hello-Everyone');
      renamed.changes = { repository: { name: { from: 'Hello-World' } } };
      expect(await deliver('repository', renamed)).toBe('applied');
      standin.renamedTo = 'Codertocat/Hello-Everyone';
      // #3 is still there, but the listing read again does not show it (yet): it is asked for by number
      standin.unlisted.add(3);
      const s = await syncRepository(hub, await standinClient(standin), REPO);
      expect(standin.requests.some((r) => r.url.endsWith('/issues/3'))).toBe(true);
      expect(s.issues?.hidden).toBe(0);
      const rows = await hub.store.db.selectFrom('github_issues').select(['number', 'deleted_at']).execute();
      expect(rows.filter((r) => r.deleted_at !== null)).toEqual([]);
      expect((await repoStatus()).issues.open).toBe(3);
    });

    it('renamed while its `renamed` delivery was lost: an issue answered under the new name is not taken for moved; GitHub is asked the name and it is recorded', async () => {
      // GitHub's Hello-World, known to the hub by its id from a delivery
      standin.repoId = 186853002;
      expect(await deliver('issues', example('issues', 'opened'))).toBe('applied');
      threeOpenIssues();
      await syncRepository(hub, await standinClient(standin), REPO);
      // renamed on GitHub, and the delivery that said so never came; meanwhile #2 was moved away
      standin.renamedTo = 'Codertocat/Hello-Everyone';
      standin.transferIssue(2, { repo: 'Octocoders/Elsewhere', number: 7 });
      standin.unlisted.add(3);
      // GitHub not answering the question (a 404 to these credentials, an outage) hides nothing for it
      standin.fail('not-found', 1, /^\/repos\/Codertocat\/Hello-World$/);
      expect((await syncRepository(hub, await standinClient(standin), REPO)).issues?.hidden).toBe(0);
      expect(
        await hub.store.db.selectFrom('github_issues').select('number').where('deleted_at', 'is not', null).execute(),
      ).toEqual([]);
      // answered, next time
      standin.requests.length = 0;
      const s = await syncRepository(hub, await standinClient(standin), REPO);
      expect(s.issues?.hidden).toBe(1);
      const rows = await hub.store.db
        .selectFrom('github_issues')
        .select(['number', 'deleted_at'])
        .orderBy('number')
        .execute();
      expect(rows.map((r) => [r.number, r.deleted_at !== null])).toEqual([
        [1, false],
        [2, true],
        [3, false],
      ]);
      // one question about the repository, under the name it is mirrored as (GitHub redirects it)
      expect(standin.requests.filter((r) => /^\/repos\/[^/]+\/[^/]+$|^\/repositories\/\d+$/.test(r.url))).toEqual([
        { method: 'GET', url: `/repos/${REPO}`, status: 301 },
        { method: 'GET', url: '/repositories/186853002', status: 200 },
      ]);
      expect(await repoStatus()).toMatchObject({ name: REPO, nameOnGithub: 'Codertocat/Hello-Everyone' });
      expect((await repoStatus()).issues.open).toBe(2);
      const told = await hub.store.db
        .selectFrom('events')
        .select(['kind', 'subject_id'])
        .where('kind', 'like', 'github.repository-%')
        .execute();
      expect(told).toEqual([{ kind: 'github.repository-renamed', subject_id: REPO }]);
      // known now: the next reconcile asks nothing more about the repository
      standin.requests.length = 0;
      await syncRepository(hub, await standinClient(standin), REPO);
      expect(standin.requests.some((r) => /^\/repos\/[^/]+\/[^/]+$/.test(r.url))).toBe(false);
      expect(standin.drift).toEqual([]);
    });

    it('renamed while its `renamed` delivery was lost, its id not known yet: another repository answering at the freed old name is not taken for it (nothing recorded, nothing hidden)', async () => {
      threeOpenIssues();
      await syncRepository(hub, await standinClient(standin), REPO);
      const githubId = async () =>
        (await hub.store.db.selectFrom('github_repos').select('github_id').where('name', '=', REPO).executeTakeFirst())
          ?.github_id ?? null;
      expect(await githubId()).toBeNull();
      // renamed on GitHub, the delivery lost; #3 answered under the new name, and by the time the hub
      // asks what GitHub calls the repository, someone has made a new repository under the freed name
      standin.renamedTo = 'Codertocat/Hello-Everyone';
      standin.unlisted.add(3);
      standin.beforeAnswering(/^\/repos\/Codertocat\/Hello-World$/, async () => {
        standin.oldNameTakenBy = { id: 424242, createdAt: '2026-11-02T09:00:05Z' };
      });
      const s = await syncRepository(hub, await standinClient(standin), REPO);
      expect(standin.requests.some((r) => r.url === `/repos/${REPO}` && r.status === 200)).toBe(true);
      expect(s.issues?.hidden).toBe(0);
      expect(
        await hub.store.db.selectFrom('github_issues').select('number').where('deleted_at', 'is not', null).execute(),
      ).toEqual([]);
      // the newcomer's id is not the mirrored repository's identity, and no rename is recorded
      expect(await githubId()).toBeNull();
      expect(await repoStatus()).toMatchObject({ name: REPO, nameOnGithub: REPO });
      expect(
        await hub.store.db.selectFrom('events').select('kind').where('kind', 'like', 'github.repository-%').execute(),
      ).toEqual([]);
      // the page is read again next time; GitHub redirecting the old name then (the newcomer gone) is
      // the repository's own answer: its id and new name are recorded, and #3 stays
      standin.oldNameTakenBy = null;
      expect((await syncRepository(hub, await standinClient(standin), REPO)).issues?.hidden).toBe(0);
      expect(await githubId()).toBe(String(standin.repoId));
      expect(await repoStatus()).toMatchObject({ name: REPO, nameOnGithub: 'Codertocat/Hello-Everyone' });
      expect(standin.drift).toEqual([]);
    });

    it('made private, archived or deleted: shown so, no longer polled, nothing mirrored lost; public again, polled again', async () => {
      expect(await deliver('issues', example('issues', 'opened'))).toBe('applied');
      expect(await scheduleReconcile(hub)).toBe(1);
      await hub.store.db.deleteFrom('jobs').execute();

      expect(await deliver('repository', about('repository', 'privatized', REPO))).toBe('applied');
      expect((await repoStatus()).onGithub).toMatchObject({
        state: 'private',
        says: 'made private on GitHub: no longer polled, what was mirrored stays',
      });
      expect(await scheduleReconcile(hub)).toBe(0);
      expect(await issue()).toEqual([{ repo: REPO, title: 'Spelling error in the README file', deleted_at: null }]);

      expect(await deliver('repository', about('repository', 'publicized', REPO))).toBe('applied');
      expect((await repoStatus()).onGithub).toBeNull();
      expect(await scheduleReconcile(hub)).toBe(1);
      await hub.store.db.deleteFrom('jobs').execute();

      const archived = about('repository', 'publicized', REPO);
      archived.action = 'archived';
      archived.repository.archived = true;
      expect(await deliver('repository', archived)).toBe('applied');
      expect((await repoStatus()).onGithub?.state).toBe('archived');
      const deleted = about('repository', 'publicized', REPO);
      deleted.action = 'deleted';
      expect(await deliver('repository', deleted)).toBe('applied');
      expect((await repoStatus()).onGithub?.state).toBe('deleted');
      expect(await scheduleReconcile(hub)).toBe(0);
      expect((await repoStatus()).issues.open).toBe(1);
    });
  },
);
