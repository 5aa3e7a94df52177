// What the operator sees of deliveries the bridge mirrors nothing of. A GitHub App installed on more
// repositories than the governance file names (or a name spelled otherwise there) sends deliveries
// the bridge ignores: for which repository, how many and when, instead of a bare "ignored" count.
// Deliveries signed with another secret are refused and not stored, but counted, so a wrong
// WGHUB_GITHUB_WEBHOOK_SECRET does not look like GitHub sending nothing.
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secret } from '../../../src/app/github/config.ts';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { githubStatusFor } from '../../../src/app/github/operate.ts';
import { githubStatus } from '../../../src/app/github/status.ts';
import { applyDelivery, receiveDelivery, refusalWrites } from '../../../src/app/github/webhooks.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import type { WebConfig } from '../../../src/http/web/config.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, TEST_WEBHOOK_SECRET } from '../../support/github.ts';
import { MCP_REPO } from '../../support/github-standin.ts';
import { asActor, openTestHub, person, type TestHub } from '../../support/hub.ts';
import { WebClient } from '../../support/web-client.ts';

const example = (event: string) =>
  structuredClone((examples as unknown as { name: string; examples: unknown[] }[]).find((e) => e.name === event)!)
    .examples[0] as Record<string, unknown>;
const signer = new Webhooks({ secret: TEST_WEBHOOK_SECRET });
const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('deliveries the bridge mirrors nothing of, on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    mirrorRepo(hub, MCP_REPO);
    await person(hub, 'mara', { role: 'maintainer' });
  });
  afterEach(async () => hub?.close());

  const deliver = async (id: string, event: string, body: Record<string, unknown>) => {
    const raw = JSON.stringify(body);
    const r = await receiveDelivery(
      hub,
      secret(TEST_WEBHOOK_SECRET),
      { delivery: id, event, signature: await signer.sign(raw) },
      raw,
    );
    expect(r.status).toBe(202);
    return applyDelivery(hub, id, () => Promise.reject(new Error('no GitHub here')));
  };

  const operatorPage = async () => {
    const w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
    await w.get('/sign-in');
    await w.post('/sign-in/demo', { handle: 'mara' });
    return (await w.get('/github')).html
      .replace(/<[^>]+>/g, '')
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, ' ');
  };

  it('signed with another secret: refused, nothing stored, and the status says the secret is the likely cause', async () => {
    const raw = JSON.stringify(example('issue_comment'));
    const forged = await new Webhooks({ secret: 'not-the-hubs-secret' }).sign(raw);
    const r = await receiveDelivery(
      hub,
      secret(TEST_WEBHOOK_SECRET),
      { delivery: 'd-9', event: 'issue_comment', signature: forged },
      raw,
    );
    expect(r).toEqual({ status: 401, reason: 'X-Hub-Signature-256 does not match the body' });
    const s = await githubStatus(hub);
    expect(s.deliveries.received).toBe(0);
    expect(s.deliveries.refused).toEqual({
      count: 1,
      lastAt: '2026-03-02T12:00:00.000Z',
      lastReason: 'X-Hub-Signature-256 does not match the body',
      secretMismatch: true,
    });
    expect(await operatorPage()).toContain('Refused for their signature: 1 in all (the last ');
    expect(await operatorPage()).toContain(
      'X-Hub-Signature-256 does not match the body). None has been taken in since the last refusal.',
    );
    expect(await operatorPage()).toContain(
      "If GitHub sent them, WGHUB_GITHUB_WEBHOOK_SECRET is not the App's (or webhook's) secret",
    );
    // the secret set right, the next delivery is taken in and the warning goes
    hub.clock.advance(60_000);
    await deliver('d-10', 'issue_comment', example('issue_comment'));
    expect((await githubStatus(hub)).deliveries.refused).toMatchObject({ count: 1, secretMismatch: false });
  });

  it('are counted per repository, with the last one, on the status and the operator page', async () => {
    // GitHub's recorded comments are on Codertocat/Hello-World, which this hub does not mirror
    expect(await deliver('d-1', 'issue_comment', example('issue_comment'))).toBe('ignored');
    expect(await deliver('d-2', 'issues', example('issues'))).toBe('ignored');
    // a ping names its repository too, but is no mirroring left undone
    await deliver('d-3', 'ping', example('ping'));
    const s = await githubStatus(hub);
    expect(s.deliveries.ignored).toBe(3);
    expect(s.deliveries.unnamedRepositories).toEqual([
      { repo: 'Codertocat/Hello-World', count: 2, lastReceivedAt: '2026-03-02T12:00:00.000Z' },
    ]);

    const page = await operatorPage();
    expect(page).toContain(
      "Ignored, for repositories the governance file's github.repositories does not name (name one there to mirror it):",
    );
    // a maintainer reads how many went unmirrored; the names (maybe of private repositories the App
    // is installed on) are the operator's, over REST and MCP too
    expect(page).toMatch(/a repository \(its name: wghub github status\): 2 deliveries, the last /);
    expect(page).not.toContain('Hello-World');
    const viewed = await githubStatusFor(hub, await asActor(hub, 'mara'));
    expect(viewed.deliveries.unnamedRepositories).toEqual([
      { repo: null, count: 2, lastReceivedAt: '2026-03-02T12:00:00.000Z' },
    ]);
    expect((await githubStatusFor(hub, SYSTEM)).deliveries.unnamedRepositories[0]!.repo).toBe('Codertocat/Hello-World');
  });

  it('a burst of refusals within the write interval is counted whole at its end (review)', async () => {
    refusalWrites.everyMs = 200;
    try {
      const send = (id: string) =>
        receiveDelivery(
          hub,
          secret(TEST_WEBHOOK_SECRET),
          { delivery: id, event: 'ping', signature: 'sha256=00' },
          '{}',
        );
      for (const id of ['b-1', 'b-2', 'b-3']) expect((await send(id)).status).toBe(401);
      // the first is written at once, the other two when the interval ends, with nothing sent after them
      expect((await githubStatus(hub)).deliveries.refused?.count).toBe(1);
      await expect.poll(async () => (await githubStatus(hub)).deliveries.refused?.count, { timeout: 5000 }).toBe(3);
    } finally {
      refusalWrites.everyMs = 60_000;
    }
  });

  it('a request with no signature at all is counted, but is no sign of a wrong secret', async () => {
    const r = await receiveDelivery(hub, secret(TEST_WEBHOOK_SECRET), { delivery: 'x-1', event: 'ping' }, '{}');
    expect(r.status).toBe(401);
    expect((await githubStatus(hub)).deliveries.refused).toMatchObject({ count: 1, secretMismatch: false });
  });
});
