// GitHub sends deliveries up to 25 MB (a push or pull request with a huge body); the hub refused
// those past its 1 MiB request body with 413, and the change was lost to the mirror. Now the webhook
// route alone takes up to 25 MiB, reads it as it streams in with the signature computed on the way,
// reads its JSON in a thread of its own (the event loop other requests wait on reads none of it), and
// says in GitHub's delivery log that it was big. Every other route keeps its 1 MiB.
import { Webhooks } from '@octokit/webhooks';
import examples from '@octokit/webhooks-examples';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Worker } from '../../../src/app/core/worker.ts';
import {
  BigDeliveryNotReadNow,
  parseBigPayload,
  readBigBody,
  threadsRunning,
} from '../../../src/app/github/big-deliveries.ts';
import { DELIVERY_BODY_WORK, STORED_PAYLOAD_WORK } from '../../../src/app/github/delivery-body.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { PermanentFailure } from '../../../src/app/core/jobs.ts';
import { applyDelivery } from '../../../src/app/github/webhooks.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { workOfAsync } from '../../../src/domain/work.ts';
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

/** GitHub's recorded "issues opened", its body padded to about `bytes` (an issue pasted a huge log into). */
function padded(bytes: number): string {
  const e = example('issues', 'opened');
  const base = JSON.stringify(e).length;
  e.issue.body = `A log:\n${'0123456789abcdef '.repeat(Math.ceil((bytes - base) / 17))}`;
  return JSON.stringify(e);
}

describe.each(databases)('big GitHub deliveries on $name', { timeout: 120_000 }, (database) => {
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
    vi.useRealTimers();
    await hub?.close();
    await standin?.stop();
  });

  /** As @hono/node-server hands the app a request from a sender at `address`. */
  const from = (address: string) => ({ incoming: { headers: {}, socket: { remoteAddress: address } } });
  const post = async (delivery: string, body: string, signature?: string, address = '192.0.2.1') =>
    app.request(
      '/github/webhooks',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': delivery,
          'x-hub-signature-256': signature ?? (await signer.sign(body)),
        },
        body,
      },
      from(address),
    );

  it('a signed delivery past 1 MiB is taken, stored whole, said to be big, and mirrored', async () => {
    const body = padded(3 * 1_048_576);
    expect(Buffer.byteLength(body)).toBeGreaterThan(LIMITS.requestBodyBytes);
    // the serving thread reads none of its JSON: a thread of its own does
    const { value: res, read } = await workOfAsync(DELIVERY_BODY_WORK, () => post('big-1', body));
    expect(res.status).toBe(202);
    const answer = await res.json();
    expect(answer).toMatchObject({ delivery: 'big-1', duplicate: false });
    expect(answer.big).toContain(`${Buffer.byteLength(body)} bytes, over the ${LIMITS.requestBodyBytes}`);
    expect(read).toBe(0);
    const row = await hub.store.db
      .selectFrom('github_deliveries')
      .select(['action', 'repo', 'payload'])
      .where('id', '=', 'big-1')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: 'opened', repo: REPO });
    expect(row.payload).toBe(body);
    // applied by the worker, its payload parsed in a thread too (the serving process works the queue on SQLite)
    const applied = await workOfAsync(STORED_PAYLOAD_WORK, () => worker.drain());
    expect(applied.read).toBe(0);
    expect(await hub.store.db.selectFrom('github_issues').select('number').execute()).toHaveLength(1);
    // a small one is read where it arrives, as before, and its answer says nothing of size
    const small = JSON.stringify(example('issues', 'opened'));
    const { value: smallRes, read: smallRead } = await workOfAsync(DELIVERY_BODY_WORK, () => post('small-1', small));
    expect(smallRes.status).toBe(202);
    expect((await smallRes.json()).big).toBeUndefined();
    expect(smallRead).toBe(small.length);
    expect((await workOfAsync(STORED_PAYLOAD_WORK, () => worker.drain())).read).toBe(small.length);
  });

  it('a big delivery is refused like a small one when its signature does not match, or its JSON is bad, and nothing is stored', async () => {
    const body = padded(2 * 1_048_576);
    const forged = await post('big-forged', body, await signer.sign(`${body} `));
    expect(forged.status).toBe(401);
    const twice = `{"action":"opened",${body.slice(1)}`;
    const bad = await post('big-twice', twice);
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toContain('the key "action" twice');
    expect(await hub.store.db.selectFrom('github_deliveries').select('id').execute()).toEqual([]);
  });

  it('a payload stored before its objects and keys were counted, holding too many, fails once naming the rule and is not retried', async () => {
    // stored by a hub before LIMITS.github.payloadContainers: 500,001 empty objects (1.5 MB: parsed in a thread) and,
    // under 1 MiB, one object of 10,001 keys (parsed where the worker runs)
    const many = `{"action":"opened","padding":[${'{},'.repeat(LIMITS.github.payloadContainers)}{}]}`;
    const keys = JSON.stringify({
      action: 'opened',
      padding: Object.fromEntries(
        Array.from({ length: LIMITS.github.payloadKeysPerObject + 1 }, (_, i) => [`k${i}`, 0]),
      ),
    });
    for (const [id, payload] of [
      ['stored-many', many],
      ['stored-keys', keys],
    ] as const)
      await hub.store.db
        .insertInto('github_deliveries')
        .values({
          id,
          event: 'issues',
          action: 'opened',
          repo: REPO,
          payload,
          received_at: new Date().toISOString(),
          processed_at: null,
          outcome: null,
          error: null,
        })
        .execute();
    for (const id of ['stored-many', 'stored-keys'])
      await expect(applyDelivery(hub, id, () => Promise.reject(new Error('no client')))).rejects.toBeInstanceOf(
        PermanentFailure,
      );
    const rows = await hub.store.db
      .selectFrom('github_deliveries')
      .select(['id', 'outcome', 'error'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        id: 'stored-keys',
        outcome: 'failed',
        error: `delivery stored-keys: an object in the body names more than ${LIMITS.github.payloadKeysPerObject} keys (no object of GitHub's names a hundred)`,
      },
      {
        id: 'stored-many',
        outcome: 'failed',
        error: `delivery stored-many: the body holds more than ${LIMITS.github.payloadContainers} objects and arrays (a 25 MiB delivery of GitHub's holds under 375,000)`,
      },
    ]);
    expect(threadsRunning()).toBe(0);
  });

  it("past GitHub's own cap (25 MiB) a delivery is refused 413; every other route keeps its 1 MiB", async () => {
    const body = padded(LIMITS.github.payloadBytes + 1_000);
    const res = await post('huge-1', body);
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toContain(`at most ${LIMITS.github.payloadBytes} bytes`);
    expect(await hub.store.db.selectFrom('github_deliveries').select('id').execute()).toEqual([]);
    // one that says its length is refused before a byte of it is read
    const declared = await app.request('/github/webhooks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(LIMITS.github.payloadBytes + 1),
        'x-github-event': 'issues',
        'x-github-delivery': 'huge-2',
        'x-hub-signature-256': await signer.sign('{}'),
      },
      body: '{}',
    });
    expect(declared.status).toBe(413);
    const rest = await app.request('/api/proposals', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x', body: 'y'.repeat(2 * 1_048_576) }),
    });
    expect(rest.status).toBe(413);
    expect((await rest.json()).detail).toBe(`a request body may be at most ${LIMITS.requestBodyBytes} bytes`);
  });

  it('few big deliveries are held in memory at once: one more is answered 503 to be sent again, and the next is taken', async () => {
    const body = new TextEncoder().encode(padded(2 * 1_048_576));
    const held: (() => void)[] = [];
    const reading: Promise<void>[] = [];
    // a sender that has sent more than 1 MiB and then waits, holding its place: the route asks for
    // the next chunk only once it counted the first (highWaterMark 0: nothing is read ahead)
    const slow = (delivery: string, address: string) => {
      let finish!: () => void;
      const rest = new Promise<void>((r) => {
        finish = r;
      });
      held.push(finish);
      let counted!: () => void;
      reading.push(
        new Promise<void>((r) => {
          counted = r;
        }),
      );
      let pulls = 0;
      const stream = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            if (++pulls === 1) return controller.enqueue(body.subarray(0, 1_500_000));
            counted();
            await rest;
            controller.enqueue(body.subarray(1_500_000));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      return app.request(
        '/github/webhooks',
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'issues',
            'x-github-delivery': delivery,
            'x-hub-signature-256': signatureOf,
          },
          body: stream,
          duplex: 'half',
        } as RequestInit,
        from(address),
      );
    };
    const signatureOf = await signer.sign(new TextDecoder().decode(body));
    const first = Array.from({ length: LIMITS.github.bigAtOnce }, (_, i) => slow(`held-${i}`, `192.0.2.${10 + i}`));
    await Promise.all(reading); // each has sent its first 1.5 MB, counted
    const refused = await post('one-more', new TextDecoder().decode(body));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await refused.json()).detail).toContain("send it again from GitHub's delivery log");
    for (const f of held) f();
    for (const r of await Promise.all(first)) expect(r.status).toBe(202);
    expect((await post('one-more', new TextDecoder().decode(body))).status).toBe(202);
  });

  it('one address holds at most one big-delivery place: a sender forging deliveries does not keep them all', async () => {
    const body = new TextEncoder().encode(padded(2 * 1_048_576));
    const signature = await signer.sign(new TextDecoder().decode(body));
    let counted!: () => void;
    const reading = new Promise<void>((r) => {
      counted = r;
    });
    let finish!: () => void;
    const rest = new Promise<void>((r) => {
      finish = r;
    });
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (++pulls === 1) return controller.enqueue(body.subarray(0, 1_500_000));
          counted();
          await rest;
          controller.enqueue(body.subarray(1_500_000));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const held = app.request(
      '/github/webhooks',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': 'held',
          'x-hub-signature-256': signature,
        },
        body: stream,
        duplex: 'half',
      } as RequestInit,
      from('198.51.100.7'),
    );
    await reading; // it holds a place
    const whole = new TextDecoder().decode(body);
    const second = await post('same-sender', whole, undefined, '198.51.100.7');
    expect(second.status).toBe(503);
    expect((await second.json()).detail).toContain(`one address may send ${LIMITS.github.bigPerAddress} at a time`);
    // another sender still gets the place left
    expect((await post('other-sender', whole, undefined, '198.51.100.8')).status).toBe(202);
    finish();
    expect((await held).status).toBe(202);
    // and once its first is in, the same sender is taken again
    expect((await post('same-sender', whole, undefined, '198.51.100.7')).status).toBe(202);
  });

  it('a big delivery trickled in is not let hold its place past LIMITS.github.bigBodyMs: 408, and the place is free again', async () => {
    const body = new TextEncoder().encode(padded(2 * 1_048_576));
    let counted!: () => void;
    const reading = new Promise<void>((r) => {
      counted = r;
    });
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (++pulls === 1) return controller.enqueue(body.subarray(0, 1_500_000));
          counted();
          await new Promise(() => {}); // the rest never comes
        },
      },
      { highWaterMark: 0 },
    );
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const slow = app.request('/github/webhooks', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': 'slow-1',
          'x-hub-signature-256': await signer.sign('{}'),
        },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      await reading;
      await vi.advanceTimersByTimeAsync(LIMITS.github.bigBodyMs);
      const res = await slow;
      expect(res.status).toBe(408);
      expect((await res.json()).detail).toContain(`within ${LIMITS.github.bigBodyMs} ms`);
    } finally {
      vi.useRealTimers();
    }
    // its place is given back: as many big ones as ever are taken again
    const whole = new TextDecoder().decode(body);
    const again = await Promise.all(
      Array.from({ length: LIMITS.github.bigAtOnce }, (_, i) =>
        post(`after-slow-${i}`, whole, undefined, `192.0.2.${20 + i}`),
      ),
    );
    expect(again.map((r) => r.status)).toEqual(Array(LIMITS.github.bigAtOnce).fill(202));
  });
});

// Past its deadline a reading thread was told to stop and the read failed at once, before the thread
// had stopped: the route then gave its big-delivery place back while the thread still held the body
// in memory, so more than LIMITS.github.bigAtOnce could be in memory at once. Now the read fails only
// once its thread has exited.
describe('a big delivery read past its deadline', { timeout: 60_000 }, () => {
  it('fails only once its thread has exited, so its place is given back after the memory is', async () => {
    const body = padded(2 * 1_048_576);
    // a deadline of 1 ms: the thread is still starting or reading when it passes
    const read = readBigBody(Buffer.from(body), { readMs: 1 });
    expect(threadsRunning()).toBe(1);
    const failed = await read.then(
      () => null,
      (e: unknown) => ({ e, running: threadsRunning() }),
    );
    expect(failed?.e).toBeInstanceOf(BigDeliveryNotReadNow);
    expect(String(failed?.e)).toContain('took longer than 1 ms');
    expect(failed?.running).toBe(0);
    // the worker's parse of a stored payload likewise
    const parsed = await parseBigPayload(body, { readMs: 1 }).then(
      () => null,
      (e: unknown) => ({ e, running: threadsRunning() }),
    );
    expect(parsed?.e).toBeInstanceOf(BigDeliveryNotReadNow);
    expect(parsed?.running).toBe(0);
    // one given its time is read as before
    expect(await readBigBody(Buffer.from(body))).toMatchObject({ ok: true });
    expect(threadsRunning()).toBe(0);
  });
});
