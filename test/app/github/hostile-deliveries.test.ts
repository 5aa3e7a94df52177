// Fuzz round 7, the webhook receiver: correctly signed deliveries with hostile bodies. A number past
// any column (or not whole) was PostgreSQL's own refusal on the delivery ('value "2147483648" is out of
// range for type integer') and stored as it came on SQLite; a 500,000-character Discussion title broke
// PostgreSQL's title index; a time that is no time was stored; each was retried as if GitHub might
// send it differently next time. A body nested thousands deep was stored, then overflowed the stack
// when applied. Now the receiver refuses the deep body at once (400), and the others fail once, the
// field named, with nothing mirrored; the recorded examples still apply.
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { GithubStandin } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

const REPO = 'Codertocat/Hello-World';
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: { action?: string }[] }[])
      .find((e) => e.name === event)!
      .examples.find((x) => x.action === action)!,
  ) as any;
const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });

describe.each(databases)('hostile GitHub deliveries on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let app: ReturnType<typeof createHttpApp>;
  let worker: Worker;
  beforeEach(async () => {
    hub = await openTestHub(database);
    mirrorRepo(hub, REPO);
    standin = await new GithubStandin(REPO).start();
    app = createHttpApp(hub, undefined, { githubWebhookSecret: standinConfig(standin).webhookSecret });
    worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  const post = async (event: string, delivery: string, body: string, type = 'application/json') =>
    app.request('/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': type,
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': await signer.sign(body),
      },
      body,
    });
  const mirrored = async () => ({
    issues: await hub.store.db.selectFrom('github_issues').select('number').execute(),
    discussions: await hub.store.db.selectFrom('github_discussions').select('number').execute(),
  });

  it('a body nested past the bound is refused at once and nothing is stored', async () => {
    const deep = `{"action":"created","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const r = await post('issue_comment', 'deep-1', deep);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('nests deeper than 64 levels');
    // brackets inside strings are text, not nesting
    const text = example('issues', 'opened');
    text.issue.body = '['.repeat(5000);
    expect((await post('issues', 'deep-2', JSON.stringify(text))).status).toBe(202);
    expect((await hub.store.db.selectFrom('github_deliveries').select('id').execute()).map((d) => d.id)).toEqual([
      'deep-2',
    ]);
  });

  it("a signed delivery that is a JSON array, or sent form-encoded (GitHub's other content type), is refused saying so, and nothing is stored (round 15)", async () => {
    // an array is an object to typeof: it was stored and queued as a delivery
    const list = await post('issues', 'array-1', '[{"action":"opened"}]');
    expect(list.status).toBe(400);
    expect(await list.text()).toContain('the body is not a JSON object');
    // GitHub's "application/x-www-form-urlencoded" setting: 'not a JSON object' read as GitHub sending garbage
    const form = `payload=${encodeURIComponent(JSON.stringify(example('issues', 'opened')))}`;
    const r = await post('issues', 'form-1', form, 'application/x-www-form-urlencoded');
    expect(r.status).toBe(415);
    expect((await r.json()).detail).toBe(
      'Content-Type must be application/json: set the webhook\'s "Content type" to application/json on GitHub (it sends application/x-www-form-urlencoded)',
    );
    expect(await hub.store.db.selectFrom('github_deliveries').select('id').execute()).toEqual([]);
    expect(await hub.store.db.selectFrom('jobs').select('id').execute()).toEqual([]);
    // JSON with its charset named is JSON
    expect(
      (await post('issues', 'json-1', JSON.stringify(example('issues', 'opened')), 'application/json; charset=utf-8'))
        .status,
    ).toBe(202);
  });

  it('a signed delivery labelled with a charset other than UTF-8, or naming a key twice, is refused and nothing is stored (round 21)', async () => {
    const body = JSON.stringify(example('issues', 'opened'));
    const latin = await post('issues', 'latin-1', body, 'application/json; charset=iso-8859-1');
    expect(latin.status).toBe(415);
    expect((await latin.json()).detail).toBe(
      'Content-Type must be application/json in UTF-8 (another charset was sent)',
    );
    const twiceNamed = await post('issues', 'charset-2', body, 'application/json; charset=utf-8; charset=latin1');
    expect(twiceNamed.status).toBe(415);
    expect((await twiceNamed.json()).detail).toContain('charset was named 2 times');
    // the hub kept the last "action" where another reader keeps the first
    const twice = await post(
      'issues',
      'twice-1',
      `{"action":"opened",${body.slice(1)}`.replace('"action":"opened",', '"action":"closed",'),
    );
    expect(twice.status).toBe(400);
    expect((await twice.json()).detail).toContain('gives the key "action" twice in one object');
    expect(await hub.store.db.selectFrom('github_deliveries').select('id').execute()).toEqual([]);
    expect(await hub.store.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('numbers past a column, times that are no time and titles past GitHub’s own fail once, naming the field, and mirror nothing', async () => {
    const cases: [string, string, (p: any) => void, string][] = [
      ['issues', 'opened', (p) => (p.issue.number = 2 ** 31), 'issue.number: must be at most 2147483647'],
      ['issues', 'opened', (p) => (p.issue.number = 1.5), 'issue.number'],
      ['issue_comment', 'created', (p) => (p.issue.number = 1e300), 'issue.number'],
      ['issue_comment', 'created', (p) => (p.comment.id = 2 ** 60), 'comment.id'],
      ['issues', 'edited', (p) => (p.issue.updated_at = 'not a date'), 'issue.updated_at'],
      ['discussion', 'created', (p) => (p.discussion.title = 't'.repeat(500_000)), 'discussion.title'],
      ['discussion', 'created', (p) => (p.discussion.number = 2 ** 31), 'discussion.number'],
      ['issues', 'opened', (p) => (p.issue.user.login = `${'a'.repeat(5000)}\u0000`), 'issue.user.login'],
    ];
    let n = 0;
    for (const [event, action, mutate, field] of cases) {
      const p = example(event, action);
      mutate(p);
      const id = `bad-${n++}`;
      expect((await post(event, id, JSON.stringify(p))).status).toBe(202);
      await worker.drain();
      const d = await hub.store.db
        .selectFrom('github_deliveries')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(d.outcome).toBe('failed');
      expect(d.error).toContain(field);
      // not retried: the same body would fail the same way
      const job = await hub.store.db
        .selectFrom('jobs')
        .selectAll()
        .where('key', '=', `github.delivery:${id}`)
        .executeTakeFirstOrThrow();
      expect(job.failed_at).not.toBeNull();
      expect(job.attempts).toBe(1);
    }
    expect(await mirrored()).toEqual({ issues: [], discussions: [] });
    // the recorded examples still apply
    expect((await post('issues', 'good-1', JSON.stringify(example('issues', 'opened')))).status).toBe(202);
    await worker.drain();
    const good = await hub.store.db
      .selectFrom('github_deliveries')
      .select('outcome')
      .where('id', '=', 'good-1')
      .execute();
    expect(good.map((g) => g.outcome)).toEqual(['applied']);
    expect((await mirrored()).issues).toHaveLength(1);
  });
  it('every event GitHub describes is taken in: the ones the hub mirrors are applied or ignored, the others ignored, none failed', async () => {
    // another repository is mirrored: each body is read as the hub reads it, and nothing calls GitHub
    mirrorRepo(hub, 'example-org/elsewhere');
    const all = examples as unknown as { name: string; examples: { action?: string }[] }[];
    let n = 0;
    for (const e of all)
      for (const x of e.examples) {
        const r = await post(e.name, `ex-${++n}`, JSON.stringify(x));
        expect(r.status, `${e.name} ${x.action}: ${await r.text()}`).toBe(202);
      }
    await worker.drain();
    const failed = await hub.store.db
      .selectFrom('github_deliveries')
      .select(['event', 'action', 'error'])
      .where('outcome', 'is not', null)
      .where('outcome', 'not in', ['applied', 'ignored'])
      .execute();
    expect(failed).toEqual([]);
    const done = await hub.store.db.selectFrom('github_deliveries').select('outcome').execute();
    expect(done).toHaveLength(n);
  });
});
