// A signed GitHub delivery of millions of tiny objects (25 MiB of `{},` is 8.7 million) was read
// with JSON.parse in its thread: over a gigabyte, and a hub run with a 512 MB heap (a container's)
// ended with "JavaScript heap out of memory", every request in flight with it. Stored, it cost the
// worker as much again each time it tried to apply it. Now a delivery's objects and arrays, its
// keys and the keys of one object are counted in the scan before the parse (LIMITS.github) and one
// past them is refused 400 naming the rule; GitHub's own deliveries, a push of 2,048 commits among
// them, are taken as before. Against a real `wghub serve` on each database, over HTTP.
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/domain/limits.ts';
import { databaseForProcess, databases } from '../support/databases.ts';
import { type Running, startHub, stop } from '../support/process.ts';

const SECRET = 'delivery-shape-secret-not-real';
const signer = new Webhooks({ secret: SECRET });
const example = (event: string) =>
  structuredClone(
    (examples as unknown as { name: string; examples: unknown[] }[]).find((e) => e.name === event)!.examples[0],
  ) as any;

/** GitHub's recorded push, with as many commits as a push delivery lists at most (2,048), each changing many files. */
function bigPush(): string {
  const push = example('push');
  const commit = push.commits[0] ?? push.head_commit;
  push.commits = Array.from({ length: 2048 }, (_, i) => ({
    ...structuredClone(commit),
    id: i.toString(16).padStart(40, '0'),
    message: `Commit ${i}\n\n${'A line of the message. '.repeat(20)}`,
    added: Array.from({ length: 40 }, (_, f) => `src/module-${i}/added-file-${f}.ts`),
    modified: Array.from({ length: 40 }, (_, f) => `src/module-${i}/modified-file-${f}.ts`),
    removed: [],
  }));
  return JSON.stringify(push);
}

describe.each(databases)('what a GitHub delivery may hold, on $name', { timeout: 180_000 }, (database) => {
  let hub: Running;
  let cleanup: () => void;
  beforeAll(async () => {
    const db = await databaseForProcess(database);
    cleanup = db.cleanup;
    hub = await startHub(
      {
        WGHUB_DATABASE_URL: db.url,
        WGHUB_GITHUB_WEBHOOK_SECRET: SECRET,
        // a container's memory: the hub's heap (and its threads') bounded as many deployments bound it
        NODE_OPTIONS: '--max-old-space-size=512',
      },
      ['--no-demo'],
    );
  });
  afterAll(async () => {
    if (hub) await stop(hub);
    cleanup?.();
  });

  const deliver = async (id: string, event: string, body: string) =>
    fetch(`${hub.base}/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': id,
        'x-hub-signature-256': await signer.sign(body),
      },
      body,
    });

  it('25 MiB of tiny objects is refused 400 naming the rule, and the hub serves on', async () => {
    const head = '{"action":"opened","padding":[';
    const count = Math.floor((LIMITS.github.payloadBytes - head.length - 2) / 3);
    const body = `${head}${'{},'.repeat(count - 1)}{}]}`;
    expect(body.length).toBeLessThanOrEqual(LIMITS.github.payloadBytes);
    const res = await deliver('tiny-objects', 'issues', body);
    expect(res.status, hub.output().slice(-2000)).toBe(400);
    expect((await res.json()).detail).toBe(
      `the body holds more than ${LIMITS.github.payloadContainers} objects and arrays (a 25 MiB delivery of GitHub's holds under 375,000)`,
    );
    expect(hub.child.exitCode, hub.output().slice(-2000)).toBeNull();
    expect((await fetch(`${hub.base}/healthz`)).status).toBe(200);
  });

  it('an object naming more keys than LIMITS.github.payloadKeysPerObject is refused naming the rule', async () => {
    const e = example('push');
    e.head_commit = Object.fromEntries(
      Array.from({ length: LIMITS.github.payloadKeysPerObject + 1 }, (_, i) => [`k${i}`, 0]),
    );
    const res = await deliver('many-keys', 'push', JSON.stringify(e));
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toBe(
      `an object in the body names more than ${LIMITS.github.payloadKeysPerObject} keys (no object of GitHub's names a hundred)`,
    );
  });

  it('a body naming more keys than LIMITS.github.payloadKeys in all is refused in its thread naming the rule', async () => {
    // no object past its own bound, few objects: the keys alone
    const per = LIMITS.github.payloadKeysPerObject;
    const count = Math.floor(LIMITS.github.payloadKeys / per) + 1;
    let n = 0;
    const objects = Array.from(
      { length: count },
      () => `{${Array.from({ length: per }, () => `"k${n++}":0`).join(',')}}`,
    );
    const body = `{"action":"opened","padding":[${objects.join(',')}]}`;
    expect(body.length).toBeGreaterThan(LIMITS.requestBodyBytes);
    const res = await deliver('too-many-keys', 'issues', body);
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toBe(
      `the body names more than ${LIMITS.github.payloadKeys} keys (a 25 MiB delivery of GitHub's names under 840,000)`,
    );
  });

  it("GitHub's own deliveries are taken: a push of 2,048 commits, and a recorded issue", async () => {
    const push = bigPush();
    expect(push.length).toBeGreaterThan(LIMITS.requestBodyBytes);
    const res = await deliver('push-2048', 'push', push);
    expect(res.status, await res.clone().text()).toBe(202);
    const issue = await deliver('issue-1', 'issues', JSON.stringify(example('issues')));
    expect(issue.status).toBe(202);
  });
});
