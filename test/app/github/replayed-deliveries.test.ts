// A signed delivery sent again under a new X-GitHub-Delivery id (fuzz round 16): the signature covers
// the body alone, so whoever saw one delivery (a proxy's log, a misrouted copy) can send its bytes again.
import { createHmac } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import { writebackReaction } from '../../../src/app/github/writeback.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinConfig, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

type Example = Record<string, any>;
const examplesOf = (event: string, action: string): Example[] =>
  (examples as unknown as { name: string; examples: { action?: string }[] }[])
    .find((e) => e.name === event)!
    .examples.filter((x) => x.action === action)
    .map((x) => structuredClone(x) as Example);
const example = (event: string, action: string) => examplesOf(event, action)[0]!;

describe.each(databases)('replayed GitHub deliveries on $name', { timeout: 180_000 }, (database) => {
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

  /** Sends `body` (its bytes) as delivery `id`, signed over `signed` (the body unless said). */
  const send = async (event: string, id: string, body: string | Uint8Array, signed: string | Uint8Array = body) =>
    app.request('/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': id,
        'x-hub-signature-256': `sha256=${createHmac('sha256', TEST_WEBHOOK_SECRET).update(signed).digest('hex')}`,
      },
      body,
    });
  const events = async () =>
    (await hub.store.db.selectFrom('events').select(['kind', 'subject_id']).orderBy('seq').execute()).map(
      (e) => `${e.kind} ${e.subject_id}`,
    );
  const outcome = async (id: string) =>
    (
      await hub.store.db
        .selectFrom('github_deliveries')
        .select('outcome')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).outcome;
  const forRepo = (p: Example): Example => ({ ...p, repository: { ...p.repository, full_name: MCP_REPO } });

  it('a signed body sent again under a new delivery id records nothing twice: a collaborator added, a label renamed or deleted, a team deleted', async () => {
    hub.governance.github!.labels.sep = { ...hub.governance.github!.labels.sep, final: ':bug: Bugfix' };
    const renamed = forRepo(example('label', 'edited'));
    renamed.changes = { name: { from: ':bug: Bugfix' } };
    renamed.label.name = 'bugfix';
    let n = 0;
    for (const [event, payload] of [
      ['member', forRepo(example('member', 'added'))],
      ['member', forRepo({ ...example('member', 'added'), action: 'removed' })],
      ['label', renamed],
      ['label', forRepo(example('label', 'deleted'))],
      ['membership', example('membership', 'added')],
      ['team', example('team', 'deleted')],
    ] as const) {
      const body = JSON.stringify(payload);
      expect((await send(event, `first-${++n}`, body)).status).toBe(202);
      await worker.drain();
      expect(await outcome(`first-${n}`), `${event} ${payload.action}`).toBe('applied');
      const before = await events();
      // the same bytes under another id: signed all the same, taken, and found to say nothing new
      expect((await send(event, `again-${n}`, body)).status).toBe(202);
      await worker.drain();
      expect(await events(), `${event} ${payload.action}`).toEqual(before);
      // (joining a team it is already in writes its row again, the same)
      if (event !== 'membership') expect(await outcome(`again-${n}`), `${event} ${payload.action}`).toBe('ignored');
    }
    // what GitHub really does again is still recorded: removed, then added again
    const log = await events();
    expect((await send('member', 'back', JSON.stringify(forRepo(example('member', 'added'))))).status).toBe(202);
    await worker.drain();
    expect(await events()).toEqual([...log, `github.collaborator-added ${MCP_REPO}`]);
  });

  it('the signature is checked over the bytes that came, not text decoded from them: bytes that are not UTF-8 do not pass under the signature of U+FFFD', async () => {
    const payload = forRepo(example('label', 'deleted'));
    payload.label.description = 'caf\uFFFD';
    const signed = JSON.stringify(payload);
    // the same text with a byte that is not UTF-8 where U+FFFD was: decoded, it reads as the signed text
    const text = Buffer.from(signed, 'utf8');
    const at = text.indexOf(Buffer.from('\uFFFD', 'utf8'));
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from([0xff]), text.subarray(at + 3)]);
    const forged = await send('label', 'forged', new Uint8Array(bytes), signed);
    expect(forged.status).toBe(401);
    expect(await hub.store.db.selectFrom('github_deliveries').select('id').execute()).toEqual([]);
    // signed over those very bytes, they are refused as not UTF-8, not read with U+FFFD in them
    const notText = await send('label', 'latin-1', new Uint8Array(bytes));
    expect(notText.status).toBe(400);
    expect((await notText.json()).detail).toContain('must be UTF-8 text');
    // and the body as signed is taken
    expect((await send('label', 'genuine', signed)).status).toBe(202);
  });
});
