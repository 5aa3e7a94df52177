// Found by fuzzing: anyone may check the event log's chain (GET /api/events/verify, the log page's
// button), and each check read and hashed every event: twenty at once slowed every other request
// 150-fold on a log of 3,000 events, and the cost grows with the log. Now at most one check runs at
// a time per process, and those who ask while it runs share the next one, which starts after they
// asked, so a tampered row is still found by everyone who asked after it was changed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyEventLog } from '../../../src/app/log/log.ts';
import { verifyEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { openDemoHub, type TestHub } from '../../support/hub.ts';

vi.mock('../../../src/store/events.ts', async (original) => {
  const m = await original<typeof import('../../../src/store/events.ts')>();
  return { ...m, verifyEvents: vi.fn(m.verifyEvents) };
});

describe.each(databases)('checking the event log under a flood on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    vi.mocked(verifyEvents).mockClear();
  });
  afterEach(async () => hub?.close());

  it('twenty checks asked at once read the log twice at most, and all say it holds', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => verifyEventLog(hub)));
    expect(vi.mocked(verifyEvents).mock.calls.length).toBeLessThanOrEqual(2);
    expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify(results[0])]));
    expect(results[0]).toMatchObject({ ok: true, firstBroken: null });
    // a later check reads the log again
    await verifyEventLog(hub);
    expect(vi.mocked(verifyEvents).mock.calls.length).toBeLessThanOrEqual(3);
  });

  it('a row changed while a check runs is found by everyone who asked after the change', async () => {
    const first = verifyEventLog(hub);
    await hub.store.db.updateTable('events').set({ actor: 'mallory' }).where('seq', '=', 1).execute();
    const after = await Promise.all([verifyEventLog(hub), verifyEventLog(hub)]);
    await first;
    for (const r of after) expect(r).toMatchObject({ ok: false, firstBroken: { seq: 1 } });
  });
});
