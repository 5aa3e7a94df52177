import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { renderMarkdown } from '../../../src/domain/markdown.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubStatus } from '../../../src/app/github/status.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { applyDelivery, receiveDelivery } from '../../../src/app/github/webhooks.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { GithubStandin, mcpRepository } from '../../support/github-standin.ts';
import { search } from '../../../src/app/search/search.ts';
import { getProposal } from '../../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

// The examples are payloads GitHub really sent, from its Hello-World repository (issue #1 is a plain issue).
const REPO = 'Codertocat/Hello-World';
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action)!,
  ) as any;
const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });

describe.each(databases)('plain GitHub issues mirrored on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, REPO);
    standin = await new GithubStandin(REPO).start();
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  const issueRow = (number: number) =>
    hub.store.db
      .selectFrom('github_issues as i')
      .leftJoin('people as p', 'p.id', 'i.author_id')
      .select(['i.title', 'i.body', 'i.state', 'i.labels', 'i.url', 'i.deleted_at', 'p.github as author'])
      .where('i.repo', '=', REPO)
      .where('i.number', '=', number)
      .executeTakeFirst();
  const commentRows = () =>
    hub.store.db
      .selectFrom('github_issue_comments as c')
      .leftJoin('people as p', 'p.id', 'c.author_id')
      .select(['c.github_id', 'c.body', 'c.deleted_at', 'p.github as author'])
      .where('c.repo', '=', REPO)
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

  it('the backfill mirrors issues (not pull requests) with comments; a second run changes nothing; a comment deleted on GitHub is hidden', async () => {
    standin.pulls.set(1, {
      number: 1,
      title: 'A pull request, not an issue',
      body: '',
      login: 'octocat',
      state: 'open',
      labels: [],
      assignees: [],
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      files: [{ filename: 'README.md', status: 'modified', content: 'x' }],
      comments: [],
      reviews: [],
    });
    standin.issues.set(2, {
      number: 2,
      title: 'Tool annotations are unclear',
      body: 'What does readOnlyHint promise?',
      login: 'someone-new-on-github',
      state: 'open',
      labels: ['question'],
      created_at: '2026-01-02T00:00:00Z',
      updated_at: '2026-01-03T00:00:00Z',
      comments: [
        {
          id: 501,
          login: 'dsp',
          body: 'Nothing about side effects.',
          created_at: '2026-01-02T01:00:00Z',
          updated_at: '2026-01-02T01:00:00Z',
        },
        {
          id: 502,
          login: 'someone-new-on-github',
          body: 'Thanks!',
          created_at: '2026-01-03T00:00:00Z',
          updated_at: '2026-01-03T00:00:00Z',
        },
      ],
    });
    standin.issues.set(3, {
      number: 3,
      title: 'Old question',
      body: 'Answered long ago.',
      login: 'dsp',
      state: 'closed',
      labels: [],
      created_at: '2026-01-04T00:00:00Z',
      updated_at: '2026-01-05T00:00:00Z',
      comments: [],
    });
    const s = await syncRepository(hub, await standinClient(standin), REPO);
    expect(s.issues).toEqual({ added: 2, edited: 0, unchanged: 0, hidden: 0 });
    expect(s.issueComments).toEqual({ added: 2, edited: 0, unchanged: 0, hidden: 0 });
    expect(standin.drift).toEqual([]);
    expect(await issueRow(1)).toBeUndefined();
    expect(await issueRow(2)).toEqual({
      title: 'Tool annotations are unclear',
      body: 'What does readOnlyHint promise?',
      state: 'open',
      labels: '["question"]',
      url: `https://github.com/${REPO}/issues/2`,
      deleted_at: null,
      // an unknown author becomes a person (without an account), found by their login
      author: 'someone-new-on-github',
    });
    expect((await issueRow(3))?.state).toBe('closed');
    expect((await commentRows()).map((c) => [c.github_id, c.author, c.body])).toEqual([
      ['501', 'dsp', 'Nothing about side effects.'],
      ['502', 'someone-new-on-github', 'Thanks!'],
    ]);
    const status = (await githubStatus(hub)).repositories[0]!;
    expect(status.issues).toEqual({ open: 1, closed: 1, comments: 2 });

    const before = await events();
    const again = await syncRepository(hub, await standinClient(standin), REPO);
    expect(again.issueComments).toEqual({ added: 0, edited: 0, unchanged: 0, hidden: 0 });
    expect(await events()).toBe(before + 1); // only the "synced" entry
    // the unchanged issue list was asked for with its ETag and answered 304
    expect(standin.requests.filter((r) => r.url.startsWith(`/repos/${REPO}/issues?`)).map((r) => r.status)).toEqual([
      200, 304,
    ]);

    // someone deletes comment 501 and edits the issue on GitHub
    const issue = standin.issues.get(2)!;
    issue.comments.shift();
    issue.title = 'Tool annotations: what readOnlyHint promises';
    issue.updated_at = '2026-01-06T00:00:00Z';
    const third = await syncRepository(hub, await standinClient(standin), REPO);
    expect(third.issues).toMatchObject({ edited: 1, unchanged: 1 });
    expect(third.issueComments).toMatchObject({ hidden: 1, unchanged: 1 });
    expect((await issueRow(2))?.title).toBe('Tool annotations: what readOnlyHint promises');
    const hidden = (await commentRows()).find((c) => c.github_id === '501')!;
    expect(hidden.deleted_at).not.toBeNull();
    expect(hidden.body).toMatch(/deleted on GitHub/);
    expect(hidden.body).not.toMatch(/side effects/);
    expect(standin.drift).toEqual([]);
  });

  it('applies issues and issue_comment webhooks on a plain issue, in any order, and hides what GitHub deleted', async () => {
    let n = 0;
    const deliver = async (event: string, payload: unknown) => {
      const raw = JSON.stringify(payload);
      const r = await receiveDelivery(
        hub,
        standinConfig(standin).webhookSecret!,
        { delivery: `d-${++n}`, event, signature: await signer.sign(raw) },
        raw,
      );
      expect(r.status).toBe(202);
      return applyDelivery(hub, `d-${n}`, () => standinClient(standin));
    };
    const at = (t: string, p: any) => ({ ...p, issue: { ...p.issue, updated_at: t } });

    const opened = example('issues', 'opened');
    expect(await deliver('issues', opened)).toBe('applied');
    expect(await issueRow(1)).toMatchObject({
      title: 'Spelling error in the README file',
      state: 'open',
      labels: '["bug"]',
      author: 'Codertocat',
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
    });
    expect(await deliver('issue_comment', example('issue_comment', 'created'))).toBe('applied');
    expect((await commentRows()).map((c) => c.body)).toEqual([
      "You are totally right! I'll get this fixed right away.",
    ]);

    const edited = at('2019-05-15T15:30:00Z', example('issues', 'edited'));
    edited.issue.title = 'Spelling error in the README';
    expect(await deliver('issues', edited)).toBe('applied');
    expect((await issueRow(1))?.title).toBe('Spelling error in the README');
    const labeled = at('2019-05-15T15:31:00Z', example('issues', 'labeled'));
    labeled.issue.labels = [...labeled.issue.labels, { ...labeled.issue.labels[0], name: 'docs' }];
    labeled.issue.title = edited.issue.title;
    expect(await deliver('issues', labeled)).toBe('applied');
    expect((await issueRow(1))?.labels).toBe('["bug","docs"]');
    const unlabeled = at('2019-05-15T15:32:00Z', example('issues', 'unlabeled'));
    unlabeled.issue.labels = [];
    unlabeled.issue.title = edited.issue.title;
    expect(await deliver('issues', unlabeled)).toBe('applied');
    expect((await issueRow(1))?.labels).toBe('[]');
    // the examples have no "closed": GitHub sends the issue with state closed
    const closed = at('2019-05-15T15:40:00Z', { ...example('issues', 'reopened'), action: 'closed' });
    closed.issue.state = 'closed';
    expect(await deliver('issues', closed)).toBe('applied');
    expect((await issueRow(1))?.state).toBe('closed');
    // a late, older copy (the opened delivery again, under a new id) changes nothing
    expect(await deliver('issues', opened)).toBe('ignored');
    expect((await issueRow(1))?.state).toBe('closed');
    expect(await deliver('issues', example('issues', 'reopened'))).toBe('applied');
    expect((await issueRow(1))?.state).toBe('open');
    expect((await githubStatus(hub)).repositories[0]!.issues).toEqual({ open: 1, closed: 0, comments: 1 });

    // a comment deleted on GitHub is hidden with a note; its late "created" does not bring it back
    expect(await deliver('issue_comment', example('issue_comment', 'deleted'))).toBe('applied');
    expect(await deliver('issue_comment', example('issue_comment', 'created'))).toBe('ignored');
    const [c] = await commentRows();
    expect(c!.deleted_at).not.toBeNull();
    expect(c!.body).toMatch(/^_This comment was deleted on GitHub/);

    // the issue deleted on GitHub: hidden with a note, and no longer counted
    expect(await deliver('issues', example('issues', 'deleted'))).toBe('applied');
    const gone = await issueRow(1);
    expect(gone?.deleted_at).not.toBeNull();
    expect(gone?.body).toMatch(/^_This issue was deleted on GitHub/);
    expect(await deliver('issues', opened)).toBe('ignored');
    expect((await githubStatus(hub)).repositories[0]!.issues).toEqual({ open: 0, closed: 0, comments: 0 });
  });

  it('an issue transferred to another repository on GitHub leaves this repository’s open issues, saying where it went; a late edit does not bring it back', async () => {
    let n = 0;
    const deliver = async (event: string, payload: unknown) => {
      const raw = JSON.stringify(payload);
      await receiveDelivery(
        hub,
        standinConfig(standin).webhookSecret!,
        { delivery: `t-${++n}`, event, signature: await signer.sign(raw) },
        raw,
      );
      return applyDelivery(hub, `t-${n}`, () => standinClient(standin));
    };
    expect(await deliver('issues', example('issues', 'opened'))).toBe('applied');
    expect(await deliver('issue_comment', example('issue_comment', 'created'))).toBe('applied');
    expect((await githubStatus(hub)).repositories[0]!.issues).toEqual({ open: 1, closed: 0, comments: 1 });
    // GitHub's recorded delivery, sent to the repository the issue left (here, the one mirrored)
    const transferred = example('issues', 'transferred');
    transferred.repository = example('issues', 'opened').repository;
    transferred.changes.new_issue.html_url = 'https://github.com/Codertocat/Elsewhere/issues/7';
    expect(await deliver('issues', transferred)).toBe('applied');
    const moved = await issueRow(1);
    expect(moved?.deleted_at).not.toBeNull();
    expect(moved?.body).toMatch(
      /^_This issue was moved to another repository on GitHub \(\d{4}-\d\d-\d\d\): <https:\/\/github\.com\/Codertocat\/Elsewhere\/issues\/7>_$/,
    );
    // shown as a link to the issue where it went, in italics (it linked to …/issues/7_, round 20)
    const shown = renderMarkdown(moved!.body!);
    expect(shown).toContain('<em>This issue was moved');
    expect(shown).toContain('href="https://github.com/Codertocat/Elsewhere/issues/7"');
    expect((await commentRows())[0]!.deleted_at).not.toBeNull();
    expect((await githubStatus(hub)).repositories[0]!.issues).toEqual({ open: 0, closed: 0, comments: 0 });
    // the same delivery again, or a late edit from before the move, changes nothing
    expect(await deliver('issues', transferred)).toBe('ignored');
    const late = example('issues', 'edited');
    late.issue.updated_at = '2030-01-01T00:00:00Z';
    expect(await deliver('issues', late)).toBe('ignored');
    expect((await issueRow(1))?.deleted_at).not.toBeNull();
  });

  it('an issue moved or deleted on GitHub whose delivery was lost: the reconcile follows it (301, 410) and hides it, an outage on the way fails nothing', async () => {
    const issue = (number: number, title: string) => ({
      number,
      title,
      body: `${title}.`,
      login: 'dsp',
      state: 'open' as const,
      labels: [],
      created_at: `2026-01-0${number}T00:00:00Z`,
      updated_at: `2026-01-0${number}T00:00:00Z`,
      comments: [],
    });
    for (const [n, t] of [
      [1, 'Stays here'],
      [2, 'Belongs to the SDK'],
      [3, 'Spam'],
      [4, 'Also moved'],
    ] as const)
      standin.issues.set(n, issue(n, t));
    // two to a page: each page is kept with its ETag, so an unchanged one costs nothing
    await syncRepository(hub, await standinClient(standin), REPO, { pageSize: 2 });
    expect((await githubStatus(hub)).repositories[0]!.issues.open).toBe(4);
    standin.transferIssue(2, { repo: 'modelcontextprotocol/typescript-sdk', number: 77 });
    standin.issues.delete(3);
    standin.deletedIssues.add(3);
    // GitHub is down while #4 is asked for: the sync goes on and hides nothing it could not check
    standin.transferIssue(4, { repo: 'modelcontextprotocol/typescript-sdk', number: 78 });
    standin.fail('502', 1, /\/issues\/4$/);
    const s = await syncRepository(hub, await standinClient(standin, 0), REPO, { pageSize: 2 });
    expect(s.issues?.hidden).toBe(2);
    expect((await issueRow(1))?.deleted_at).toBeNull();
    expect((await issueRow(2))?.body).toMatch(
      /^_This issue was moved to another repository on GitHub \(\d{4}-\d\d-\d\d\): <https:\/\/github\.com\/modelcontextprotocol\/typescript-sdk\/issues\/77>_$/,
    );
    expect((await issueRow(3))?.body).toMatch(/^_This issue was deleted on GitHub/);
    expect((await issueRow(4))?.deleted_at).toBeNull();
    // the next reconcile reads that page again (its ETag was not kept) and follows #4 too
    const again = await syncRepository(hub, await standinClient(standin), REPO, { pageSize: 2 });
    expect(again.issues?.hidden).toBe(1);
    expect((await issueRow(4))?.body).toMatch(/typescript-sdk\/issues\/78>_$/);
    expect((await githubStatus(hub)).repositories[0]!.issues.open).toBe(1);
    expect(standin.drift).toEqual([]);
  });

  it('a sync that read every issue page and then failed resumes past the last page: that empty page asks GitHub for no mirrored issue', async () => {
    for (const n of [1, 2, 3, 4])
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
    // the issue listing is done (the cursor says page 3 next), then reading the owners files fails
    standin.fail('502', 1, /\/contents\//);
    await expect(syncRepository(hub, await standinClient(standin, 0), REPO, { pageSize: 2 })).rejects.toThrow();
    expect((await githubStatus(hub)).repositories[0]!.issues.open).toBe(4);
    const before = standin.requests.length;
    await syncRepository(hub, await standinClient(standin), REPO, { pageSize: 2 });
    // it read page 3 (empty, no next): nothing there says an issue left, so none is asked for by number
    const asked = standin.requests.slice(before).filter((r) => /\/issues\/\d+$/.test(r.url));
    expect(asked).toEqual([]);
    expect((await githubStatus(hub)).repositories[0]!.issues.open).toBe(4);
  });

  it('a login renamed on GitHub (the same account, by its id) stays its person: the new login is recorded, no second person is made', async () => {
    let n = 0;
    const deliver = async (event: string, payload: unknown) => {
      const raw = JSON.stringify(payload);
      await receiveDelivery(
        hub,
        standinConfig(standin).webhookSecret!,
        { delivery: `r-${++n}`, event, signature: await signer.sign(raw) },
        raw,
      );
      return applyDelivery(hub, `r-${n}`, () => standinClient(standin));
    };
    const first = example('issues', 'opened');
    expect(await deliver('issues', first)).toBe('applied');
    expect((await issueRow(1))?.author).toBe('Codertocat');
    // Codertocat renames their account on GitHub, then opens another issue: GitHub's user id is the same
    const second = example('issues', 'opened');
    second.issue.number = 2;
    second.issue.html_url = `https://github.com/${REPO}/issues/2`;
    second.issue.user.login = 'Codertocat-Renamed';
    expect(await deliver('issues', second)).toBe('applied');
    expect((await issueRow(2))?.author).toBe('Codertocat-Renamed');
    expect((await issueRow(1))?.author).toBe('Codertocat-Renamed');
    const people = await hub.store.db
      .selectFrom('people')
      .select(['handle', 'github'])
      .where((eb) => eb(eb.fn('lower', ['github']), 'like', 'codertocat%'))
      .execute();
    expect(people).toEqual([{ handle: 'Codertocat', github: 'Codertocat-Renamed' }]);
    const renamed = await hub.store.db
      .selectFrom('events')
      .select(['subject_id', 'before', 'after'])
      .where('kind', '=', 'person.github-renamed')
      .execute();
    expect(renamed.map((e) => [e.subject_id, JSON.parse(String(e.before)), JSON.parse(String(e.after))])).toEqual([
      ['Codertocat', { github: 'Codertocat' }, { github: 'Codertocat-Renamed' }],
    ]);
    // another account that took the freed login is not them
    const third = example('issues', 'opened');
    third.issue.number = 3;
    third.issue.html_url = `https://github.com/${REPO}/issues/3`;
    third.issue.user = { ...third.issue.user, login: 'Codertocat', id: 99_999_999 };
    expect(await deliver('issues', third)).toBe('applied');
    expect((await issueRow(3))?.author).toBe('Codertocat');
    expect((await issueRow(1))?.author).toBe('Codertocat-Renamed');
    expect(
      await hub.store.db.selectFrom('people').select('handle').where('github', '=', 'Codertocat').execute(),
    ).toEqual([{ handle: 'Codertocat-2' }]);
  });

  it('a login another account took after a rename the mirror had not seen is not the person who had it: what it opens is not read as theirs (round 20)', async () => {
    let n = 0;
    const deliver = async (event: string, payload: unknown) => {
      const raw = JSON.stringify(payload);
      await receiveDelivery(
        hub,
        standinConfig(standin).webhookSecret!,
        { delivery: `t-${++n}`, event, signature: await signer.sign(raw) },
        raw,
      );
      return applyDelivery(hub, `t-${n}`, () => standinClient(standin));
    };
    const first = example('issues', 'opened');
    expect(await deliver('issues', first)).toBe('applied');
    const codertocat = first.issue.user.id;
    // Codertocat renames their account on GitHub; someone else registers the freed login and opens
    // an issue before the mirror has met Codertocat under the new one
    const stranger = example('issues', 'opened');
    stranger.issue.number = 2;
    stranger.issue.html_url = `https://github.com/${REPO}/issues/2`;
    stranger.issue.user = { ...stranger.issue.user, login: 'Codertocat', id: 99_999_999 };
    expect(await deliver('issues', stranger)).toBe('applied');
    const byHandle = async (handle: string) =>
      hub.store.db
        .selectFrom('people')
        .select(['github', 'github_account_id'])
        .where('handle', '=', handle)
        .executeTakeFirstOrThrow();
    const author = async (number: number) =>
      (
        await hub.store.db
          .selectFrom('github_issues as i')
          .innerJoin('people as p', 'p.id', 'i.author_id')
          .select('p.handle')
          .where('i.repo', '=', REPO)
          .where('i.number', '=', number)
          .executeTakeFirstOrThrow()
      ).handle;
    expect(await author(1)).toBe('Codertocat');
    expect(await author(2)).toBe('Codertocat-2');
    expect(await byHandle('Codertocat-2')).toEqual({ github: 'Codertocat', github_account_id: '99999999' });
    // the login is no longer Codertocat's, until the mirror meets their account under its new one
    expect(await byHandle('Codertocat')).toEqual({ github: null, github_account_id: String(codertocat) });
    const renamed = example('issues', 'opened');
    renamed.issue.number = 3;
    renamed.issue.html_url = `https://github.com/${REPO}/issues/3`;
    renamed.issue.user.login = 'Codertocat-Renamed';
    expect(await deliver('issues', renamed)).toBe('applied');
    expect(await author(3)).toBe('Codertocat');
    expect((await byHandle('Codertocat')).github).toBe('Codertocat-Renamed');
    expect(await author(2)).toBe('Codertocat-2');
  });

  it('a label renamed or deleted on GitHub (one the governance file does not map) follows in the mirrored issues, and the reconcile keeps it so', async () => {
    standin.issues.set(2, {
      number: 2,
      title: 'Sampling quotas are undocumented',
      body: 'How many sampling requests may a server make per minute?',
      login: 'someone-new-on-github',
      state: 'open',
      labels: ['question', 'help wanted'],
      assignees: [],
      created_at: '2026-01-02T00:00:00Z',
      updated_at: '2026-01-03T00:00:00Z',
      comments: [],
    });
    await syncRepository(hub, await standinClient(standin), REPO);
    expect((await issueRow(2))?.labels).toBe('["question","help wanted"]');
    let n = 0;
    const deliver = async (event: string, payload: unknown) => {
      const raw = JSON.stringify(payload);
      await receiveDelivery(
        hub,
        standinConfig(standin).webhookSecret!,
        { delivery: `l-${++n}`, event, signature: await signer.sign(raw) },
        raw,
      );
      return applyDelivery(hub, `l-${n}`, () => standinClient(standin));
    };
    // GitHub renames the label on every issue, sends only a `label` delivery and leaves each issue's updated_at
    const renamed = example('label', 'edited');
    renamed.changes = { name: { from: 'question' } };
    renamed.label.name = 'needs answer';
    standin.issues.get(2)!.labels = ['needs answer', 'help wanted'];
    expect(await deliver('label', renamed)).toBe('applied');
    expect((await issueRow(2))?.labels).toBe('["needs answer","help wanted"]');
    const deleted = example('label', 'deleted');
    deleted.label.name = 'help wanted';
    standin.issues.get(2)!.labels = ['needs answer'];
    expect(await deliver('label', deleted)).toBe('applied');
    expect((await issueRow(2))?.labels).toBe('["needs answer"]');
    // the same delivery again under a new id changes nothing
    expect(await deliver('label', deleted)).toBe('ignored');
    // the reconcile does not fetch an issue whose updated_at has not moved: what the page shows stands
    await syncRepository(hub, await standinClient(standin), REPO);
    expect((await issueRow(2))?.labels).toBe('["needs answer"]');
    const page = await createHttpApp(hub, undefined, {}).request(`/github/${REPO}/issues/2`);
    const html = await page.text();
    expect(html).toContain('needs answer');
    expect(html).not.toContain('help wanted');
  });

  it('a mirrored issue has a page with its assignees and is found by search until deleted; a pull request’s assignee shows and sponsors a SEP whose file names none', async () => {
    const app = createHttpApp(hub, undefined, {});
    const sep = mcpRepository().pulls.get(2207)!;
    standin.pulls.set(1, {
      ...sep,
      number: 1,
      assignees: ['pcarleton'],
      files: sep.files.map((f) => ({ ...f, content: f.content.replace(/^- \*\*Sponsor\*\*:.*\n/m, '') })),
    });
    standin.issues.set(2, {
      number: 2,
      title: 'Sampling quotas are undocumented',
      body: 'How many sampling requests may a server make per minute?',
      login: 'someone-new-on-github',
      state: 'open',
      labels: ['question'],
      assignees: ['dsp'],
      created_at: '2026-01-02T00:00:00Z',
      updated_at: '2026-01-03T00:00:00Z',
      comments: [
        {
          id: 601,
          login: 'dsp',
          body: 'Nothing is specified; the host decides.',
          created_at: '2026-01-02T01:00:00Z',
          updated_at: '2026-01-02T01:00:00Z',
        },
      ],
    });
    await syncRepository(hub, await standinClient(standin), REPO);
    const ref = `github:${REPO}/issues/2`;
    expect((await search(hub, { q: 'sampling quotas' })).items.map((h) => h.ref)).toContain(ref);
    // the comments are found too, and the kind filter narrows to mirrored issues
    expect((await search(hub, { q: 'host decides', kind: 'github-issue' })).items.map((h) => h.ref)).toEqual([ref]);
    const page = await app.request(`/github/${REPO}/issues/2`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('Sampling quotas are undocumented');
    expect(text).toContain('Assigned to:</strong> @dsp');
    expect(text).toContain('Nothing is specified; the host decides.');
    expect(text).toContain(`https://github.com/${REPO}/issues/2`);
    expect((await app.request(`/github/${REPO}/issues/99`)).status).toBe(404);
    // a number past the column is no issue either (PostgreSQL refused it, a 422 naming nothing), and
    // 0x2 is not issue 2 (Number() read it so)
    for (const number of ['2147483648', '9'.repeat(30), '0x2', '2e0'])
      for (const kind of ['issues', 'discussions'])
        expect((await app.request(`/github/${REPO}/${kind}/${number}`)).status).toBe(404);

    // the SEP file names no sponsor: the maintainer assigned to the pull request is its sponsor
    const p = await getProposal(hub, 'SEP-2207');
    expect(p.githubAssignees).toEqual(['pcarleton']);
    expect(p.sponsor?.handle).toBe('pcarleton');
    expect(await (await app.request('/proposals/SEP-2207')).text()).toContain('assigned to @pcarleton');

    // deleted on GitHub: no longer found
    const deleted = example('issues', 'deleted');
    deleted.issue.number = 2;
    const raw = JSON.stringify(deleted);
    await receiveDelivery(
      hub,
      standinConfig(standin).webhookSecret!,
      { delivery: 'del-2', event: 'issues', signature: await signer.sign(raw) },
      raw,
    );
    expect(await applyDelivery(hub, 'del-2', () => standinClient(standin))).toBe('applied');
    expect((await search(hub, { q: 'sampling quotas' })).items.map((h) => h.ref)).not.toContain(ref);
  });
});
