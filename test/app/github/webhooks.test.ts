import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { quietSince } from '../../../src/app/proposals/dormancy.ts';
import { listComments } from '../../../src/app/proposals/comments.ts';
import { getProposal } from '../../../src/app/proposals/proposals.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { accountOnGithub, commentOnGithub, GithubStandin, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

// The examples are payloads GitHub really sent, from its Hello-World repository.
const REPO = 'Codertocat/Hello-World';
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action)!,
  ) as any;

const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });

describe.each(databases)('GitHub webhooks on $name', { timeout: 180_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let app: ReturnType<typeof createHttpApp>;
  let worker: Worker;
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, REPO);
    // Hello-World's PR #1 carries SEP-2207; #2 (SEP-2575) is opened after the backfill ran
    const mcp = mcpRepository();
    standin = await new GithubStandin(REPO).start();
    standin.pulls.set(1, {
      ...mcp.pulls.get(2207)!,
      number: 1,
      reviewComments: [
        {
          id: 7001,
          login: 'pcarleton',
          path: 'seps/2207-oidc-refresh-token-guidance.md',
          line: 12,
          body: 'Say which grant types this covers.',
          created_at: '2026-02-06T10:00:00Z',
          updated_at: '2026-02-06T10:00:00Z',
        },
      ],
    });
    app = createHttpApp(hub, undefined, { githubWebhookSecret: standinConfig(standin).webhookSecret });
    worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
    await syncRepository(hub, await standinClient(standin), REPO);
    standin.pulls.set(2, { ...mcp.pulls.get(2575)!, number: 2 });
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  // the example comment is from 2019, so it sorts first in the thread: find it by its author
  const mine = (t: { author: string }[]) => t.find((c) => c.author === 'Codertocat') as any;
  const post = async (event: string, delivery: string, body: string, signature?: string) =>
    app.request('/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': signature ?? (await signer.sign(body)),
      },
      body,
    });
  const deliveries = async () =>
    hub.store.db
      .selectFrom('github_deliveries')
      .select(['id', 'outcome'])
      .orderBy('received_at')
      .orderBy('id')
      .execute();

  it('refuses a bad signature, a truncated body and a malformed payload without storing anything', async () => {
    const body = JSON.stringify(example('issue_comment', 'created'));
    const bad = await post('issue_comment', 'd-bad', body, await new Webhooks({ secret: 'wrong' }).sign(body));
    expect(bad.status).toBe(401);
    const truncated = await post('issue_comment', 'd-cut', body.slice(0, 200), await signer.sign(body));
    expect(truncated.status).toBe(401);
    expect((await post('issue_comment', 'd-none', body, '')).status).toBe(401);
    const malformed = await post('issue_comment', 'd-json', '{"action": "created", ');
    expect(malformed.status).toBe(400);
    expect(await deliveries()).toEqual([]);
    expect(await hub.store.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('applies comments created, edited and deleted once each, in any order, and a review on a PR the backfill had not reached', async () => {
    const thread = () => listComments(hub, 'SEP-2207');
    const before = (await thread()).length;
    const created = JSON.stringify(example('issue_comment', 'created'));
    // the example's issue is Hello-World #1, which here is a pull request
    const createdOnPr = JSON.parse(created);
    createdOnPr.issue.pull_request = { url: `${standin.url}/repos/${REPO}/pulls/1` };
    const res = await post('issue_comment', 'd-1', JSON.stringify(createdOnPr));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ delivery: 'd-1', duplicate: false });
    const replayed = await post('issue_comment', 'd-1', JSON.stringify(createdOnPr));
    expect(await replayed.json()).toEqual({ delivery: 'd-1', duplicate: true });
    await worker.drain();
    let t = await thread();
    expect(t).toHaveLength(before + 1);
    expect(mine(t)).toMatchObject({
      author: 'Codertocat',
      body: "You are totally right! I'll get this fixed right away.",
    });

    await post('issue_comment', 'd-2', JSON.stringify(example('issue_comment', 'edited')));
    // GitHub redelivers the older "created" after the edit: the edit stands
    await post('issue_comment', 'd-3', JSON.stringify(createdOnPr));
    await worker.drain();
    t = await thread();
    expect(t).toHaveLength(before + 1);
    expect(mine(t)!.body).toBe("You are totally right! I'll get this fixed today.");
    expect(mine(t)!.edited).toBe(true);

    await post('issue_comment', 'd-4', JSON.stringify(example('issue_comment', 'deleted')));
    await worker.drain();
    t = await thread();
    expect(mine(t)!.body).toMatch(/^_This comment was deleted on GitHub \(.*\); its text is no longer shown here\._$/);
    const history = await hub.store.db
      .selectFrom('comment_revisions')
      .select('body')
      .where('comment_id', '=', mine(t)!.id)
      .execute();
    expect(history.map((h) => h.body).join()).not.toContain('totally right');
    // nor does the public log keep it: the edit's event names the revisions, not their text
    const facts = await hub.store.db.selectFrom('events').select(['before', 'after']).execute();
    expect(JSON.stringify(facts)).not.toContain('totally right');

    const review = example('pull_request_review', 'submitted');
    review.review.state = 'approved';
    review.review.body = 'Looks right to me.';
    await post('pull_request_review', 'd-5', JSON.stringify(review));
    await post('star', 'd-6', JSON.stringify({ action: 'created', repository: { full_name: REPO } }));
    await worker.drain();
    const second = await listComments(hub, 'SEP-2575');
    expect(second.length).toBeGreaterThan(1); // the PR's own thread came along when it was mirrored
    expect(mine(second)).toMatchObject({
      author: 'Codertocat',
      body: '**Approved** (GitHub review)\n\nLooks right to me.',
    });
    expect(await deliveries()).toEqual([
      { id: 'd-1', outcome: 'applied' },
      { id: 'd-2', outcome: 'applied' },
      { id: 'd-3', outcome: 'ignored' },
      { id: 'd-4', outcome: 'applied' },
      { id: 'd-5', outcome: 'applied' },
      { id: 'd-6', outcome: 'ignored' },
    ]);

    // a maintainer dismisses the approval: GitHub's delivery keeps the review's submitted time
    const dismissed = example('pull_request_review', 'dismissed');
    dismissed.review.body = 'Looks right to me.';
    await post('pull_request_review', 'd-7', JSON.stringify(dismissed));
    await worker.drain();
    expect(mine(await listComments(hub, 'SEP-2575'))).toMatchObject({
      body: '**Review dismissed** (GitHub review)\n\nLooks right to me.',
    });
    // the approval delivered again later does not bring it back
    await post('pull_request_review', 'd-8', JSON.stringify(review));
    await worker.drain();
    expect(mine(await listComments(hub, 'SEP-2575')).body).toMatch(/^\*\*Review dismissed\*\*/);
  });

  it('review comments on lines of the SEP: backfilled, then created, edited and deleted by webhook', async () => {
    expect((await listComments(hub, 'SEP-2207')).map((c) => c.body)).toContain(
      '**Review comment** on `seps/2207-oidc-refresh-token-guidance.md` line 12 (GitHub)\n\nSay which grant types this covers.',
    );
    const created = example('pull_request_review_comment', 'created');
    await post('pull_request_review_comment', 'rc-1', JSON.stringify(created));
    await worker.drain();
    const onSecond = async () => mine(await listComments(hub, 'SEP-2575'));
    expect((await onSecond()).body).toBe(
      `**Review comment** on \`README.md\`${created.comment.line ? ` line ${created.comment.line}` : ''} (GitHub)\n\n${created.comment.body}`,
    );
    const edited = example('pull_request_review_comment', 'edited');
    edited.comment.id = created.comment.id;
    edited.comment.body = 'Maybe say that in the README instead.';
    edited.comment.updated_at = '2030-01-01T00:00:00Z';
    await post('pull_request_review_comment', 'rc-2', JSON.stringify(edited));
    await worker.drain();
    expect((await onSecond()).body).toMatch(/\n\nMaybe say that in the README instead\.$/);
    const deleted = example('pull_request_review_comment', 'deleted');
    deleted.comment.id = created.comment.id;
    await post('pull_request_review_comment', 'rc-3', JSON.stringify(deleted));
    // the older "created" again, after the deletion: it stays hidden
    await post('pull_request_review_comment', 'rc-4', JSON.stringify(created));
    await worker.drain();
    expect((await onSecond()).body).toMatch(/^_This comment was deleted on GitHub/);
  });

  it('a review whose text is edited on GitHub shows the new text, by its delivery and by the reconcile', async () => {
    // GitHub keeps a review's submitted time when its text is edited: the edit is told by its action
    const submitted = example('pull_request_review', 'submitted');
    submitted.review.state = 'changes_requested';
    submitted.review.body = 'Say which grant types this covers.';
    await post('pull_request_review', 'rv-1', JSON.stringify(submitted));
    await worker.drain();
    const review = async () => mine(await listComments(hub, 'SEP-2575'));
    expect((await review()).body).toBe('**Changes requested** (GitHub review)\n\nSay which grant types this covers.');
    const edited = structuredClone(submitted);
    edited.action = 'edited';
    edited.changes = { body: { from: submitted.review.body } };
    edited.review.body = 'Say which grant types this covers, and why not the others.';
    await post('pull_request_review', 'rv-2', JSON.stringify(edited));
    // the older "submitted" delivered again after the edit: the edit stands
    await post('pull_request_review', 'rv-3', JSON.stringify(submitted));
    await worker.drain();
    expect((await review()).body).toBe(
      '**Changes requested** (GitHub review)\n\nSay which grant types this covers, and why not the others.',
    );
    expect((await review()).edited).toBe(true);

    // an edit whose delivery was lost: the reconcile reads the review's text as GitHub shows it now
    const pr = standin.pulls.get(1)!;
    const before = (await listComments(hub, 'SEP-2207')).map((c) => c.body);
    const reviewed = pr.reviews[0]!;
    expect(before).toContain(`**Approved** (GitHub review)\n\n${reviewed.body}`);
    reviewed.body = 'Approving, with the wording fixed.';
    pr.updated_at = '2030-01-02T00:00:00Z';
    await syncRepository(hub, await standinClient(standin), REPO);
    const after = (await listComments(hub, 'SEP-2207')).map((c) => c.body);
    expect(after).toContain('**Approved** (GitHub review)\n\nApproving, with the wording fixed.');
    expect(after).toHaveLength(before.length);
  });

  it("two edits of one review delivered out of order: the newer stands (by its updated_at); GitHub's listing and a dismissal still apply", async () => {
    const submitted = example('pull_request_review', 'submitted');
    submitted.review.state = 'changes_requested';
    submitted.review.body = 'Say which grant types this covers.';
    await post('pull_request_review', 'rvo-1', JSON.stringify(submitted));
    await worker.drain();
    const review = async () => mine(await listComments(hub, 'SEP-2575')).body;
    const edit = (body: string, at: string) => {
      const e = structuredClone(submitted);
      e.action = 'edited';
      e.changes = { body: { from: submitted.review.body } };
      e.review.body = body;
      e.review.updated_at = at;
      return JSON.stringify(e);
    };
    const older = edit('Say which grant types.', '2026-11-01T10:00:00Z');
    // the newer edit arrives first, the older after it
    await post(
      'pull_request_review',
      'rvo-3',
      edit('Say which grant types this covers, and why.', '2026-11-01T11:00:00Z'),
    );
    await worker.drain();
    await post('pull_request_review', 'rvo-2', older);
    await worker.drain();
    expect(await review()).toBe('**Changes requested** (GitHub review)\n\nSay which grant types this covers, and why.');
    expect((await deliveries()).find((d) => d.id === 'rvo-2')?.outcome).toBe('ignored');

    // a later edit whose delivery was lost: the reconcile's listing (which says when the review was
    // submitted, not when it was edited) shows GitHub's present text, and it is applied
    accountOnGithub('Codertocat', submitted.review.user.id);
    const pr = standin.pulls.get(2)!;
    pr.reviews.push({
      id: submitted.review.id,
      login: 'Codertocat',
      body: 'Say which grant types this covers, and why; see RFC 6749.',
      state: 'CHANGES_REQUESTED',
      submitted_at: submitted.review.submitted_at,
    });
    pr.updated_at = '2030-01-02T00:00:00Z';
    await syncRepository(hub, await standinClient(standin), REPO);
    expect(await review()).toBe(
      '**Changes requested** (GitHub review)\n\nSay which grant types this covers, and why; see RFC 6749.',
    );
    // the older edit delivered again afterwards does not bring its text back
    await post('pull_request_review', 'rvo-4', older);
    await worker.drain();
    expect(await review()).toBe(
      '**Changes requested** (GitHub review)\n\nSay which grant types this covers, and why; see RFC 6749.',
    );
    // dismissed (GitHub's recorded delivery carries the submitted time only, older than the edits): final
    const dismissed = structuredClone(submitted);
    dismissed.action = 'dismissed';
    dismissed.review.state = 'dismissed';
    await post('pull_request_review', 'rvo-5', JSON.stringify(dismissed));
    await worker.drain();
    expect(await review()).toMatch(/^\*\*Review dismissed\*\* \(GitHub review\)/);
    expect(standin.drift).toEqual([]);
  });

  it('a review edited while the reconcile lists the reviews: the listing (asked for before the edit) does not overwrite it', async () => {
    const submitted = example('pull_request_review', 'submitted');
    submitted.review.state = 'changes_requested';
    submitted.review.body = 'Say which grant types this covers.';
    await post('pull_request_review', 'rvl-1', JSON.stringify(submitted));
    await worker.drain();
    accountOnGithub('Codertocat', submitted.review.user.id);
    const pr = standin.pulls.get(2)!;
    // GitHub's listing, asked for at the hub's 09:00, still shows the text as submitted
    pr.reviews.push({
      id: submitted.review.id,
      login: 'Codertocat',
      body: submitted.review.body,
      state: 'CHANGES_REQUESTED',
      submitted_at: submitted.review.submitted_at,
    });
    pr.updated_at = '2030-01-02T00:00:00Z';
    const edited = structuredClone(submitted);
    edited.action = 'edited';
    edited.changes = { body: { from: submitted.review.body } };
    edited.review.body = 'Say which grant types this covers, and why.';
    edited.review.updated_at = '2026-11-02T09:00:30Z';
    // the edit is made, delivered and mirrored while the reconcile waits for the listing
    standin.beforeAnswering(/\/pulls\/2\/reviews$/, async () => {
      await post('pull_request_review', 'rvl-2', JSON.stringify(edited));
      await worker.drain();
    });
    await syncRepository(hub, await standinClient(standin), REPO);
    expect((await deliveries()).find((d) => d.id === 'rvl-2')?.outcome).toBe('applied');
    const review = mine(await listComments(hub, 'SEP-2575'));
    expect(review.body).toBe('**Changes requested** (GitHub review)\n\nSay which grant types this covers, and why.');
    const item = await hub.store.db
      .selectFrom('github_items')
      .select('github_updated_at')
      .where('kind', '=', 'review')
      .where('github_id', '=', String(submitted.review.id))
      .executeTakeFirstOrThrow();
    expect(item.github_updated_at).toBe('2026-11-02T09:00:30Z');
    // a later reconcile, its listing asked for after the edit, applies GitHub's text as it stands then
    pr.reviews.at(-1)!.body = 'Say which grant types this covers, and why; see RFC 6749.';
    pr.updated_at = '2030-01-03T00:00:00Z';
    hub.clock.advance(60_000);
    await syncRepository(hub, await standinClient(standin), REPO);
    expect(mine(await listComments(hub, 'SEP-2575')).body).toBe(
      '**Changes requested** (GitHub review)\n\nSay which grant types this covers, and why; see RFC 6749.',
    );
    expect(standin.drift).toEqual([]);
  });

  it('a burst of deliveries from one address is taken whole (GitHub does not retry a refused delivery)', async () => {
    const body = JSON.stringify(example('issue_comment', 'created'));
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post('issue_comment', `burst-${i}`, body)));
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(202));
    expect(await deliveries()).toHaveLength(40);
  });

  it('a pull request turned into a draft and back, closed unmerged, reopened and merged: the proposal shows each as GitHub delivers it', async () => {
    const pr = standin.pulls.get(1)!;
    const view = async () => (await getProposal(hub, 'SEP-2207')).githubState;
    // SEP-2207's pull request was merged when the backfill mirrored it
    expect(await view()).toBe('merged');
    let n = 0;
    const deliver = async (action: string, change: () => void) => {
      change();
      pr.updated_at = `2026-11-0${++n}T10:00:00Z`;
      const p = example('pull_request', action);
      p.number = 1;
      p.pull_request.number = 1;
      p.pull_request.updated_at = pr.updated_at;
      p.pull_request.state = pr.state;
      p.pull_request.draft = pr.draft ?? false;
      p.pull_request.merged = pr.state === 'closed' && !pr.unmerged;
      expect((await post('pull_request', `state-${n}`, JSON.stringify(p))).status).toBe(202);
      await worker.drain();
      return view();
    };
    expect(await deliver('reopened', () => (pr.state = 'open'))).toBe('open');
    expect(await deliver('converted_to_draft', () => (pr.draft = true))).toBe('draft');
    const page = async () => (await (await app.request('/proposals/SEP-2207')).text()).replace(/\s+/g, ' ');
    expect(await page()).toMatch(/on GitHub: Codertocat\/Hello-World #1<\/a> <span class="badge github-state">draft</);
    expect(await deliver('ready_for_review', () => (pr.draft = false))).toBe('open');
    expect(await deliver('closed', () => Object.assign(pr, { state: 'closed', unmerged: true }))).toBe('closed');
    expect(await page()).toContain('closed without merging');
    expect(await deliver('reopened', () => Object.assign(pr, { state: 'open', unmerged: false }))).toBe('open');
    expect(await deliver('closed', () => (pr.state = 'closed'))).toBe('merged');
    expect(standin.drift).toEqual([]);
  });

  it('a reconcile repairs a delivery that never arrived', async () => {
    commentOnGithub(standin, 1, 'dsp-ant', 'Dropped on the way: no webhook ever came for this one.');
    await syncRepository(hub, await standinClient(standin), REPO);
    expect((await listComments(hub, 'SEP-2207')).at(-1)).toMatchObject({
      body: 'Dropped on the way: no webhook ever came for this one.',
    });
  });

  it('commits the author pushes count as their activity for the SEP timers; a bot pushing does not', async () => {
    const sep = () =>
      hub.store.db.selectFrom('proposals').selectAll().where('sep_number', '=', 2207).executeTakeFirstOrThrow();
    const before = await quietSince(hub.store.db, await sep());
    const push = (delivery: string, login: string, sha: string, at: string) => {
      const p = example('pull_request', 'synchronize');
      p.number = 1;
      p.pull_request.number = 1;
      p.sender.login = login;
      p.after = sha;
      p.pull_request.updated_at = at;
      return post('pull_request', delivery, JSON.stringify(p));
    };
    // a bot rebases the branch: nobody responsible did anything
    expect((await push('s-1', 'dependabot[bot]', 'a'.repeat(40), '2026-10-01T10:00:00Z')).status).toBe(202);
    await worker.drain();
    expect(await quietSince(hub.store.db, await sep())).toBe(before);
    // the author (its SEP file names @wdawson) pushes: the wait starts again from the push
    await push('s-2', 'wdawson', 'b'.repeat(40), '2026-10-20T08:30:00Z');
    await worker.drain();
    expect(await quietSince(hub.store.db, await sep())).toBe('2026-10-20T08:30:00Z');
    // the same push delivered again, and an older push arriving late, move nothing back
    expect(await (await push('s-2', 'wdawson', 'b'.repeat(40), '2026-10-20T08:30:00Z')).json()).toMatchObject({
      duplicate: true,
    });
    await push('s-3', 'wdawson', 'c'.repeat(40), '2026-10-05T08:30:00Z');
    await worker.drain();
    expect(await quietSince(hub.store.db, await sep())).toBe('2026-10-20T08:30:00Z');
    expect((await deliveries()).filter((d) => d.id.startsWith('s-')).map((d) => d.outcome)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);

    // the reconcile lists the pull request's commits: the sponsor's counts, a bot's does not
    const pr = standin.pulls.get(1)!;
    pr.commits = [
      { sha: 'd'.repeat(40), login: 'github-actions[bot]', date: '2026-10-30T12:00:00Z' },
      { sha: 'e'.repeat(40), login: 'pcarleton', date: '2026-10-25T12:00:00Z' },
    ];
    pr.updated_at = '2026-10-30T12:00:00Z';
    await syncRepository(hub, await standinClient(standin), REPO);
    expect(await quietSince(hub.store.db, await sep())).toBe('2026-10-25T12:00:00Z');
    expect(standin.drift).toEqual([]);
  });

  // Found by fuzzing the GitHub bridge: a comment on a pull request holding a NUL failed its whole
  // delivery on PostgreSQL ('invalid byte sequence for encoding "UTF8": 0x00'; the comment was never
  // mirrored), and a reconcile of that pull request failed the same way; on SQLite the NUL, an
  // escape sequence and a bidirectional override were stored. Anyone may comment on a pull request,
  // and the hub cannot refuse what GitHub holds: each such character now arrives as U+FFFD.
  const HOSTILE = 'Nul \u0000 here, \u001b[31mred\u001b[0m, \u202eoverride,\r\nand a\ttab.';
  const STORED = 'Nul \ufffd here, \ufffd[31mred\ufffd[0m, \ufffdoverride,\r\nand a\ttab.';

  it('a comment delivered by webhook is mirrored with each such character as U+FFFD, line breaks and tabs kept', async () => {
    const created = example('issue_comment', 'created');
    created.issue.pull_request = { url: `${standin.url}/repos/${REPO}/pulls/1` };
    created.comment.body = HOSTILE;
    expect((await post('issue_comment', 'd-nul', JSON.stringify(created))).status).toBe(202);
    await worker.drain();
    expect(await deliveries()).toEqual([{ id: 'd-nul', outcome: 'applied' }]);
    expect(mine(await listComments(hub, 'SEP-2207'))?.body).toBe(STORED);
  });

  it('a reconcile reading such a comment from the API mirrors it the same way, and the comments after it', async () => {
    commentOnGithub(standin, 1, 'dsp-ant', HOSTILE);
    commentOnGithub(standin, 1, 'dsp-ant', 'The one after it.');
    await syncRepository(hub, await standinClient(standin), REPO);
    expect((await listComments(hub, 'SEP-2207')).slice(-2).map((c) => c.body)).toEqual([STORED, 'The one after it.']);
  });
});
