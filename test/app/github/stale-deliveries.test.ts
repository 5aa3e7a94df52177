// A delivery older than what the hub already knows about the same thing — replayed by an operator
// (`wghub github replay`), or late — is not applied over the newer change, and the log and the event
// feed say it was ignored. GitHub's own recorded deliveries (@octokit/webhooks-examples), on SQLite
// and PostgreSQL: an issue's label added delivered after its newer removal (the payload's updated_at
// decides), and a team member or collaborator added, replayed after their removal (these payloads carry
// no time: the delivery's arrival decides, kept by a replay).
import { createHmac } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import { applyDelivery, replayDelivery } from '../../../src/app/github/webhooks.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

type Example = Record<string, any>;
const example = (event: string, action: string): Example =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action)!,
  ) as Example;
const forRepo = (p: Example): Example => ({ ...p, repository: { ...p.repository, full_name: MCP_REPO } });

describe.each(databases)('stale GitHub deliveries on $name', { timeout: 180_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let app: ReturnType<typeof createHttpApp>;
  let worker: Worker;
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, MCP_REPO);
    hub.governance.github!.teams = [{ org: 'Octocoders', team: 'github', role: 'maintainer' }];
    standin = mcpRepository();
    standin.teams.clear();
    await standin.start();
    app = createHttpApp(hub, undefined, { githubWebhookSecret: standinConfig(standin).webhookSecret });
    worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await hub?.close();
    await standin?.stop();
  });

  const send = async (event: string, id: string, payload: Example) => {
    const body = JSON.stringify(payload);
    const res = await app.request('/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': id,
        'x-hub-signature-256': `sha256=${createHmac('sha256', TEST_WEBHOOK_SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    expect(res.status).toBe(202);
    await worker.drain();
    hub.clock.advance(60_000); // GitHub's next delivery comes later
  };
  const outcome = async (id: string) =>
    (
      await hub.store.db
        .selectFrom('github_deliveries')
        .select('outcome')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).outcome;
  const ignoredAsStale = async () =>
    (
      await hub.store.db
        .selectFrom('events')
        .select(['subject_id', 'after'])
        .where('kind', '=', 'github.delivery-stale')
        .orderBy('seq')
        .execute()
    ).map((e) => ({ subject: e.subject_id, ...JSON.parse(e.after ?? '{}') }));
  const logged = () => {
    const lines: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      lines.push(args.join(' '));
    });
    return lines;
  };

  it("an issue's label added, delivered after its newer removal, does not put the label back; the feed and the log say it was ignored", async () => {
    const log = logged();
    const removed = forRepo(example('issues', 'unlabeled'));
    removed.issue.labels = [];
    await send('issues', 'removed', removed); // updated 15:20:26
    await send('issues', 'added-late', forRepo(example('issues', 'labeled'))); // updated 15:20:18
    const issue = await hub.store.db
      .selectFrom('github_issues')
      .select('labels')
      .where('number', '=', 1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(issue.labels)).toEqual([]);
    expect(await outcome('added-late')).toBe('ignored');
    expect(await ignoredAsStale()).toEqual([
      expect.objectContaining({
        subject: MCP_REPO,
        delivery: 'added-late',
        event: 'issues labeled',
        about: `issue:${MCP_REPO.toLowerCase()}#1`,
        changedAt: '2019-05-15T15:20:18Z',
        newer: '2019-05-15T15:20:26Z',
      }),
    ]);
    expect(log.join('\n')).toContain('delivery added-late (issues labeled, of 2019-05-15T15:20:18Z) is older than');
  });

  it('a team member added, replayed after their removal, is not put back in the team; a collaborator added, replayed after removal, is not recorded again', async () => {
    const log = logged();
    const members = () =>
      hub.store.db.selectFrom('github_team_members').select('login').where('team', '=', 'github').execute();
    await send('membership', 'joined', example('membership', 'added'));
    expect(await members()).toEqual([{ login: 'Codertocat' }]);
    await send('membership', 'left', example('membership', 'removed'));
    expect(await members()).toEqual([]);
    // the operator replays the old delivery (the same id, the time it first came)
    await replayDelivery(hub, 'joined');
    await worker.drain();
    expect(await members()).toEqual([]);
    // the replay ignored is an event of its own: the delivery still says it was applied when it came
    expect(await outcome('joined')).toBe('applied');

    const collaborators = async () =>
      (
        await hub.store.db
          .selectFrom('events')
          .select('kind')
          .where('kind', 'like', 'github.collaborator-%')
          .orderBy('seq')
          .execute()
      ).map((e) => e.kind);
    await send('member', 'granted', forRepo(example('member', 'added')));
    await send('member', 'revoked', forRepo({ ...example('member', 'added'), action: 'removed' }));
    await replayDelivery(hub, 'granted');
    await worker.drain();
    expect(await collaborators()).toEqual(['github.collaborator-added', 'github.collaborator-removed']);
    expect((await ignoredAsStale()).map((e) => [e.subject, e.delivery, e.newerDelivery, e.about])).toEqual([
      ['octocoders/github', 'joined', 'left', 'team:octocoders/github:codertocat'],
      [MCP_REPO, 'granted', 'revoked', `collaborator:${MCP_REPO.toLowerCase()}:hacktocat`],
    ]);
    expect(log.filter((l) => l.includes('is older than what the hub already has'))).toHaveLength(2);
    // what GitHub really sends again later is still applied: added once more
    await send('member', 'granted-again', forRepo(example('member', 'added')));
    expect(await collaborators()).toEqual([
      'github.collaborator-added',
      'github.collaborator-removed',
      'github.collaborator-added',
    ]);
  });

  it('old "added" deliveries replayed while their newer "removed" ones are applied, all at once (serve and the worker both take deliveries), leave nobody back in the team', async () => {
    const logins = Array.from({ length: 12 }, (_, i) => `coder${i}`);
    const membership = (login: string, action: string) => {
      const p = example('membership', action);
      p.member = { ...p.member, login };
      return p;
    };
    // stored, not applied yet: the requests alone (the worker applies them below)
    const receive = async (event: string, id: string, payload: Example) => {
      const body = JSON.stringify(payload);
      const res = await app.request('/github/webhooks', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': id,
          'x-hub-signature-256': `sha256=${createHmac('sha256', TEST_WEBHOOK_SECRET).update(body).digest('hex')}`,
        },
        body,
      });
      expect(res.status).toBe(202);
    };
    for (const login of logins) await send('membership', `joined-${login}`, membership(login, 'added'));
    for (const login of logins) await receive('membership', `left-${login}`, membership(login, 'removed'));
    const noClient = () => Promise.reject(new Error('no GitHub client needed'));
    await Promise.all(
      logins.flatMap((login) => [
        applyDelivery(hub, `joined-${login}`, noClient),
        applyDelivery(hub, `left-${login}`, noClient),
      ]),
    );
    const members = await hub.store.db
      .selectFrom('github_team_members')
      .select('login')
      .where('login', 'in', logins)
      .execute();
    expect(members).toEqual([]);
    for (const login of logins) {
      expect(await outcome(`left-${login}`)).toBe('applied');
      // the first application stands whatever the replay did
      expect(await outcome(`joined-${login}`)).toBe('applied');
    }
  });
});
