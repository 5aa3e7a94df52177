// Webhooks about people and labels, with payloads GitHub really sent (@octokit/webhooks-examples):
// `membership` and `team` for a configured team, `member` (a collaborator), `label` (a mapped
// label renamed or deleted), and a stage label removed by hand on a pull request (`pull_request`
// unlabeled), which the hub shows and does not fight.
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, SYSTEM } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { personForLogin } from '../../../src/app/github/mirror.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { enqueueStatus, writebackReaction } from '../../../src/app/github/writeback.ts';
import { acceptAgreements } from '../../../src/app/people/people.ts';
import { moveProposal } from '../../../src/app/proposals/proposals.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { asActor, openTestHub, person, type TestHub } from '../../support/hub.ts';

type Example = Record<string, any>;
const examplesOf = (event: string, action: string): Example[] =>
  (examples as unknown as { name: string; examples: { action?: string }[] }[])
    .find((e) => e.name === event)!
    .examples.filter((x) => x.action === action)
    .map((x) => structuredClone(x) as Example);
const example = (event: string, action: string) => examplesOf(event, action)[0]!;
const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });

describe.each(databases)('GitHub webhooks about people and labels on $name', { timeout: 180_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let app: ReturnType<typeof createHttpApp>;
  let worker: Worker;
  beforeEach(async () => {
    hub = await openTestHub(database);
    hub.reactions.push(writebackReaction());
    mirrorRepo(hub, MCP_REPO, true);
    // the examples' organisation and team stand for the maintainers' team
    hub.governance.github!.teams = [{ org: 'Octocoders', team: 'github', role: 'maintainer' }];
    standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207) standin.pulls.delete(n);
    standin.teams.clear();
    await standin.start();
    app = createHttpApp(hub, undefined, { githubWebhookSecret: standinConfig(standin).webhookSecret });
    worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  let n = 0;
  const post = async (event: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const res = await app.request('/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': `p-${++n}`,
        'x-hub-signature-256': await signer.sign(body),
      },
      body,
    });
    expect(res.status).toBe(202);
    await worker.drain();
    const d = await hub.store.db
      .selectFrom('github_deliveries')
      .select(['outcome', 'error'])
      .where('id', '=', `p-${n}`)
      .executeTakeFirstOrThrow();
    return d.outcome;
  };
  const roleOf = async (login: string) =>
    (await hub.store.db.selectFrom('people').select('role').where('github', '=', login).executeTakeFirst())?.role;
  const events = async (kind: string) =>
    (await hub.store.db.selectFrom('events').select(['subject_id', 'after']).where('kind', '=', kind).execute()).map(
      (e) => ({ subject: e.subject_id, after: JSON.parse(String(e.after)) }),
    );
  const forRepo = (p: Example): Example => ({ ...p, repository: { ...p.repository, full_name: MCP_REPO } });

  it('membership: joining the configured team gives its role; leaving is recorded and the role kept; a deleted team lets its members go', async () => {
    await inTransaction(hub, (trx) => personForLogin(trx, hub, 'Codertocat'));
    expect(await roleOf('Codertocat')).toBe('contributor');
    expect(await post('membership', example('membership', 'added'))).toBe('applied');
    expect(await roleOf('Codertocat')).toBe('maintainer');
    const members = () => hub.store.db.selectFrom('github_team_members').select(['org', 'team', 'login']).execute();
    expect(await members()).toEqual([{ org: 'Octocoders', team: 'github', login: 'Codertocat' }]);

    expect(await post('membership', example('membership', 'removed'))).toBe('applied');
    expect(await members()).toEqual([]);
    expect(await roleOf('Codertocat')).toBe('maintainer'); // the hub never lowers a role by itself
    expect(await events('github.team-member-left')).toEqual([
      { subject: 'Octocoders/github', after: expect.objectContaining({ login: 'Codertocat' }) },
    ]);

    // a team nobody configured changes nothing
    const other = example('membership', 'added');
    other.team.slug = 'somebody-else';
    expect(await post('membership', other)).toBe('ignored');
    expect(await members()).toEqual([]);

    await post('membership', example('membership', 'added'));
    expect(await post('team', example('team', 'deleted'))).toBe('applied');
    expect(await members()).toEqual([]);
    expect(await events('github.team-deleted')).toEqual([
      { subject: 'Octocoders/github', after: expect.objectContaining({ members: ['Codertocat'] }) },
    ]);
    for (const action of ['created', 'edited', 'added_to_repository', 'removed_from_repository'])
      expect(await post('team', example('team', action)), action).toBe('ignored');
  });

  it('member: a new collaborator becomes a person without an account; removed and edited are recorded or ignored', async () => {
    expect(await post('member', forRepo(example('member', 'added')))).toBe('applied');
    const hacktocat = await hub.store.db
      .selectFrom('people')
      .select(['handle', 'role', 'github'])
      .where('github', '=', 'hacktocat')
      .executeTakeFirstOrThrow();
    expect(hacktocat).toEqual({ handle: 'hacktocat', role: 'contributor', github: 'hacktocat' });
    expect(await post('member', forRepo({ ...example('member', 'added'), action: 'removed' }))).toBe('applied');
    expect((await events('github.collaborator-removed')).map((e) => e.after.login)).toEqual(['hacktocat']);
    expect(await post('member', forRepo(example('member', 'edited')))).toBe('ignored');
    // a repository nobody mirrors (another id: the same id is the mirrored repository, renamed)
    const elsewhere = example('member', 'added');
    expect(await post('member', { ...elsewhere, repository: { ...elsewhere.repository, id: 1 } })).toBe('ignored');
  });

  it('a GitHub login that is a local handle is not that person: a person with a free handle is made for it, and found by the login from then on', async () => {
    // a local person whose handle is the collaborator's login, with no GitHub login on record
    // (or another one): anyone may register that login on GitHub
    await person(hub, 'hacktocat', { role: 'maintainer' });
    await person(hub, 'hacktocat-2');
    expect(await post('member', forRepo(example('member', 'added')))).toBe('applied');
    const rows = await hub.store.db
      .selectFrom('people')
      .select(['handle', 'role', 'github'])
      .orderBy('handle')
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { handle: 'hacktocat', role: 'maintainer', github: null },
        { handle: 'hacktocat-2', role: 'contributor', github: null },
        { handle: 'hacktocat-3', role: 'contributor', github: 'hacktocat' },
      ]),
    );
    // the one made for the login is found by it from now on
    const again = await inTransaction(hub, (trx) => personForLogin(trx, hub, 'HackToCat'));
    const made = await hub.store.db
      .selectFrom('people')
      .select('id')
      .where('handle', '=', 'hacktocat-3')
      .executeTakeFirst();
    expect(again).toBe(made?.id);
    // the login 'operator' is someone's on GitHub, but the handle stands for the hub's operator here
    const op = await inTransaction(hub, (trx) => personForLogin(trx, hub, 'Operator'));
    expect(
      await hub.store.db.selectFrom('people').select(['handle', 'github']).where('id', '=', op).executeTakeFirst(),
    ).toEqual({ handle: 'Operator-2', github: 'Operator' });
  });

  it('label: a mapped label renamed or deleted on GitHub is recorded with what to do; other labels are ignored', async () => {
    hub.governance.github!.labels.sep = { ...hub.governance.github!.labels.sep, final: ':bug: Bugfix' };
    expect(await post('label', forRepo(example('label', 'created')))).toBe('ignored');
    expect(await post('label', forRepo(example('label', 'edited')))).toBe('ignored'); // a colour change
    const renamed = forRepo(example('label', 'edited'));
    renamed.changes = { name: { from: ':bug: Bugfix' } };
    renamed.label.name = 'bugfix';
    expect(await post('label', renamed)).toBe('applied');
    expect(await post('label', forRepo(example('label', 'deleted')))).toBe('applied');
    const changed = await events('github.label-changed');
    expect(changed.map((e) => e.after)).toEqual([
      expect.objectContaining({ label: ':bug: Bugfix', renamedTo: 'bugfix', stage: 'final' }),
      expect.objectContaining({ label: ':bug: Bugfix', deleted: true, stage: 'final' }),
    ]);
    const other = forRepo(example('label', 'deleted'));
    other.label.name = 'good first issue';
    expect(await post('label', other)).toBe('ignored');
  });

  it('a stage label removed by hand shows in the proposal’s history, and the write-back does not put it back until the stage moves', async () => {
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    const pr = standin.pulls.get(2207)!;
    await enqueueStatus(hub.store.db, hub, { repo: MCP_REPO, number: 2207 }, 'first');
    await worker.drain();
    expect(pr.labels).toEqual(['SEP', 'final']);

    // a maintainer removes "final" on GitHub; GitHub sends pull_request "unlabeled"
    pr.labels = ['SEP'];
    pr.updated_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const unlabeled = forRepo(example('pull_request', 'unlabeled'));
    unlabeled.pull_request.number = 2207;
    unlabeled.pull_request.updated_at = pr.updated_at;
    unlabeled.label.name = 'final';
    expect(await post('pull_request', unlabeled)).toBe('applied');
    expect(await events('proposal.github-labels-changed')).toEqual([
      { subject: 'SEP-2207', after: { labels: ['SEP'], added: [], removed: ['final'] } },
    ]);

    // the write-back runs again (a reconcile, a new comment): the human's choice stands
    await enqueueStatus(hub.store.db, hub, { repo: MCP_REPO, number: 2207 }, 'again');
    await worker.drain();
    expect(pr.labels).toEqual(['SEP']);

    // the proposal moves in the hub: the new stage's label is set
    const g = hub.governance.agreements;
    await acceptAgreements(hub, SYSTEM, 'pcarleton', {
      codeOfConduct: g.codeOfConduct.version,
      contributionTerms: g.contributionTerms.version,
    });
    await moveProposal(hub, await asActor(hub, 'pcarleton'), 'SEP-2207', { to: 'superseded' });
    await worker.drain();
    expect(pr.labels).toEqual(['SEP', 'superseded']);
  });
});
