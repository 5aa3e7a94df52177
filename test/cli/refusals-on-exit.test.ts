// A flood's refusals are logged one line per client every ten seconds, each line counting those
// refused since the one before: a hub stopped by SIGTERM writes out the count it still held, so the
// log accounts for every 429 it answered (the last seconds of a flood were lost with the process).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseForProcess, databases } from '../support/databases.ts';
import { type Running, startHub, stop } from '../support/process.ts';

describe.each(databases)('refusals on exit on $name', (database) => {
  let hub: Running | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    if (hub) await stop(hub, 'SIGKILL');
    cleanup?.();
  });

  it('a hub stopped by SIGTERM logs every refusal it answered, the last counted ones too', async () => {
    const db = await databaseForProcess(database);
    cleanup = db.cleanup;
    hub = await startHub({ WGHUB_DATABASE_URL: db.url, WGHUB_LOG_LEVEL: 'info' }, ['--no-demo']);
    // searches at once past the budget's two in flight and twenty a second: most are refused at once
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => fetch(`${hub!.base}/api/search?q=streams`).then((r) => r.status)),
    );
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThan(1);
    // the output is read to its end ('close'), not only until the process is gone ('exit')
    const closed = once(hub.child, 'close');
    await stop(hub, 'SIGTERM');
    await closed;
    expect(hub.child.exitCode).toBe(0);
    const lines = hub
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; refusedSinceLastLine?: number; budget?: string; last?: boolean });
    const limited = lines.filter((l) => l.msg === 'rate limited');
    // the first refusal at once, then the rest counted on the line written at shutdown
    expect(limited.map((l) => l.budget)).toEqual(['searches', 'searches']);
    expect(limited.at(-1)!.last).toBe(true);
    expect(limited.reduce((n, l) => n + 1 + (l.refusedSinceLastLine ?? 0), 0) - 1).toBe(refused);
    // written after the hub stopped taking requests, before the process ended
    expect(lines.indexOf(limited.at(-1)!)).toBeGreaterThan(lines.findIndex((l) => l.msg === 'shutting down'));
    hub = undefined;
  }, 60_000);
});
