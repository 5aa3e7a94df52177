import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { replayDelivery } from '../../../src/app/github/webhooks.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { readJson } from '../../../src/store/schema.ts';
import { readFileSync } from 'node:fs';
import { DEFAULT_GOVERNANCE_PATH, parseGovernance } from '../../../src/app/core/governance-file.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { asActor } from '../../support/hub.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository, type StandinComment } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

// Who hears of a comment mirrored from GitHub. The hub starts watching the repository at its first
// sync (the test clock: 2026-11-02 09:00): the threads the backfill finds from before then are
// history and tell nobody; a comment written since (found by the reconcile: its webhook was lost)
// or delivered by a webhook tells the proposal's authors and sponsor, and whom it mentions, as a
// comment written in the hub does; nobody is told of their own comment.
const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action)!,
  ) as any;

describe.each(databases)('Notices of GitHub comments on $name', { timeout: 180_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let app: ReturnType<typeof createHttpApp>;
  let worker: Worker;
  beforeEach(async () => {
    hub = await openTestHub(database);
    hub.reactions.push(notificationsReaction({ mail: false }));
    mirrorRepo(hub, MCP_REPO);
    // SEP-2207 (by @wdawson, sponsored by @pcarleton) and SEP-2575 (five authors, sponsored by
    // @kurtisvg), each with a comment, a reply and a review from 2025 or early 2026
    standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207 && n !== 2575) standin.pulls.delete(n);
    await standin.start();
    app = createHttpApp(hub, undefined, { githubWebhookSecret: standinConfig(standin).webhookSecret });
    worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  /** Who was told what about a SEP: "handle kind×events", sorted. */
  const told = async (ref: string) =>
    (
      await hub.store.db
        .selectFrom('notifications as n')
        .innerJoin('people as p', 'p.id', 'n.person_id')
        .select(['p.handle', 'n.kind', 'n.events'])
        .where('n.subject_ref', '=', ref)
        .where('n.kind', 'in', ['proposal-commented', 'mention', 'reply'])
        .execute()
    )
      .map((r) => `${r.handle} ${r.kind}×${r.events}`)
      .sort();
  const commented = async (ref: string) =>
    (
      await hub.store.db
        .selectFrom('events')
        .select('after')
        .where('kind', '=', 'proposal.commented')
        .where('subject_id', '=', ref)
        .orderBy('seq')
        .execute()
    ).map((e) => readJson(e.after) as { historical?: boolean });
  const onGithub = (number: number, login: string, body: string, at: string): StandinComment => {
    const c = { id: standin.nextId(), login, body, created_at: at, updated_at: at };
    const pr = standin.pulls.get(number)!;
    pr.comments.push(c);
    pr.updated_at = at;
    return c;
  };
  const post = async (event: string, delivery: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    return app.request('/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': await signer.sign(body),
      },
      body,
    });
  };

  it('a backfill of old threads tells nobody; a comment the reconcile finds since then tells the authors, the sponsor and whom it mentions', async () => {
    const s = await syncRepository(hub, await standinClient(standin), MCP_REPO);
    expect(s.comments.added).toBe(6);
    expect(await told('SEP-2207')).toEqual([]);
    expect(await told('SEP-2575')).toEqual([]);
    // the comments are in the history all the same, marked as history
    expect(await commented('SEP-2207')).toHaveLength(3);
    expect((await commented('SEP-2207')).every((a) => a.historical === true)).toBe(true);

    // written on GitHub after the hub began watching; their webhooks never came
    hub.clock.set('2026-11-04T12:00:00Z');
    onGithub(2207, 'octo-reader', 'Has @jonathanhefner looked at the stateless case?', '2026-11-03T10:00:00Z');
    onGithub(2575, 'kurtisvg', 'Updated the transport section.', '2026-11-03T11:00:00Z');
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    expect(await told('SEP-2207')).toEqual([
      'jonathanhefner mention×1',
      'pcarleton proposal-commented×1',
      'wdawson proposal-commented×1',
    ]);
    // the sponsor wrote it (and is one of the authors): the other four authors hear of it, not them
    expect(await told('SEP-2575')).toEqual([
      'evalstate proposal-commented×1',
      'htuch proposal-commented×1',
      'jonathanhefner proposal-commented×1',
      'markdroth proposal-commented×1',
    ]);
    const inbox = await hub.store.db
      .selectFrom('notifications as n')
      .innerJoin('people as p', 'p.id', 'n.person_id')
      .select('n.title')
      .where('p.handle', '=', 'wdawson')
      .where('n.subject_ref', '=', 'SEP-2207')
      .executeTakeFirstOrThrow();
    expect(inbox.title).toMatch(/^octo-reader commented on GitHub on SEP-2207: /);

    // a reconcile again finds nothing new and tells nobody anything more
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    expect(await told('SEP-2207')).toHaveLength(3);
    expect((await commented('SEP-2207')).map((a) => a.historical ?? false)).toEqual([true, true, true, false]);
  });

  it('where documents are RFCs, a GitHub comment citing RFC-2575 is found as one citing SEP-2575, and its notice cites RFC-2207', async () => {
    const sensorium = parseGovernance(
      readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8').replace('shortName: SEP', 'shortName: RFC'),
      'sensorium.yaml',
    );
    hub.governance = { ...sensorium, github: hub.governance.github };
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    hub.clock.set('2026-11-04T12:00:00Z');
    onGithub(2207, 'octo-reader', 'This overlaps RFC-2575; @jonathanhefner?', '2026-11-03T10:00:00Z');
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    const facts = (await commented('SEP-2207')).at(-1) as { mentions?: { items: string[] } };
    expect(facts.mentions?.items).toEqual(['SEP-2575']);
    const inbox = await listInbox(hub, await asActor(hub, 'wdawson'));
    expect(inbox.items.map((n) => n.title)).toEqual([
      expect.stringMatching(/^octo-reader commented on GitHub on RFC-2207: /),
    ]);
    // stored as before
    expect(await told('SEP-2207')).toContain('wdawson proposal-commented×1');
  });

  it('a comment a webhook delivers is news, also on a pull request the backfill had not reached, whose older thread stays history', async () => {
    // only SEP-2207 is mirrored when the hub starts watching; SEP-2575's pull request comes later
    const later = standin.pulls.get(2575)!;
    standin.pulls.delete(2575);
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    standin.pulls.set(2575, later);

    // GitHub's own example payload (a comment by Codertocat, dated 2019), on the mirrored PR
    const onMirrored = example('issue_comment', 'created');
    onMirrored.repository.full_name = MCP_REPO;
    onMirrored.issue.number = 2207;
    onMirrored.issue.pull_request = { url: `${standin.url}/repos/${MCP_REPO}/pulls/2207` };
    expect((await post('issue_comment', 'n-1', onMirrored)).status).toBe(202);
    await worker.drain();
    expect(await told('SEP-2207')).toEqual(['pcarleton proposal-commented×1', 'wdawson proposal-commented×1']);

    // the same comment on SEP-2575's pull request, which the mirror takes in with its whole thread
    const onNew = structuredClone(onMirrored);
    onNew.comment.id += 1;
    onNew.issue.number = 2575;
    onNew.issue.pull_request = { url: `${standin.url}/repos/${MCP_REPO}/pulls/2575` };
    later.comments.push({
      id: onNew.comment.id,
      login: 'Codertocat',
      body: onNew.comment.body,
      created_at: onNew.comment.created_at,
      updated_at: onNew.comment.updated_at,
    });
    await post('issue_comment', 'n-2', onNew);
    await worker.drain();
    expect(await told('SEP-2575')).toEqual([
      'evalstate proposal-commented×1',
      'htuch proposal-commented×1',
      'jonathanhefner proposal-commented×1',
      'kurtisvg proposal-commented×1',
      'markdroth proposal-commented×1',
    ]);
    expect((await commented('SEP-2575')).map((a) => a.historical ?? false).sort()).toEqual([false, true, true, true]);

    // replayed, or the reconcile finding it again: nobody is told twice
    await replayDelivery(hub, 'n-1');
    await worker.drain();
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    expect(await told('SEP-2207')).toEqual(['pcarleton proposal-commented×1', 'wdawson proposal-commented×1']);
    expect(await told('SEP-2575')).toHaveLength(5);

    // an edit of a 2019 comment the hub never saw (its "created" came before the hub watched): history
    const edited = example('issue_comment', 'edited');
    edited.repository.full_name = MCP_REPO;
    edited.comment.id = onNew.comment.id + 1;
    edited.comment.body = 'Edited today: @wdawson wrote this part.';
    edited.comment.updated_at = '2026-11-02T08:00:00Z';
    edited.issue.number = 2207;
    edited.issue.pull_request = { url: `${standin.url}/repos/${MCP_REPO}/pulls/2207` };
    await post('issue_comment', 'n-3', edited);
    await worker.drain();
    expect(await told('SEP-2207')).toEqual(['pcarleton proposal-commented×1', 'wdawson proposal-commented×1']);
    expect((await commented('SEP-2207')).at(-1)?.historical).toBe(true);
  });
});
