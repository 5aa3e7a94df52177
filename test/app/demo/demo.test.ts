// The demo community `wghub serve` shows a newcomer: every main page has something in it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimDemoLoad,
  DEMO_CLAIM_MS,
  demoIsNeeded,
  loadDemoCommunity,
  loadDemoOnce,
} from '../../../src/app/demo/demo.ts';
import { getDecision } from '../../../src/app/decisions/decisions.ts';
import { listMeetings } from '../../../src/app/meetings/meetings.ts';
import { listProposals } from '../../../src/app/proposals/proposals.ts';
import { search } from '../../../src/app/search/search.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';
import { writeJson } from '../../../src/store/schema.ts';

describe.each(databases)('the full demo community on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
    await loadDemoCommunity(hub, { work: true });
  });
  afterEach(async () => hub?.close());

  it('has proposals at several stages, an open decision with a concern and a block, and a vote', async () => {
    const proposals = (await listProposals(hub, {})).items;
    expect(new Set(proposals.map((p) => p.stage))).toEqual(new Set(['idea', 'community-discussion', 'refining']));
    const open = await getDecision(hub, 'D-1');
    expect(open.state.phase).toBe('lazy-consensus');
    expect(open.responses.map((r) => r.kind).sort()).toEqual(['block', 'concern', 'consent']);
    const vote = await getDecision(hub, 'D-2');
    expect(vote.state.phase).toBe('vote');
    expect(vote.votes.length).toBe(1);
  });

  it("search ranks the demo's matches with scores that fall as the list does, none shown as 0", async () => {
    // most of the demo's documents say "hosting": each match's BM25 weight is a few millionths, which
    // three decimals showed as 0 for all of them
    const { items } = await search(hub, { q: 'hosting' });
    expect(items.length).toBeGreaterThan(3);
    const scores = items.map((i) => i.score);
    expect(scores.every((s) => s > 0)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('has meetings that have happened and meetings still to come', async () => {
    const now = hub.clock.now().toISOString();
    const meetings = (await listMeetings(hub, {})).items;
    expect(meetings.some((m) => m.startsAt < now)).toBe(true);
    expect(meetings.some((m) => m.startsAt > now)).toBe(true);
  });
});

describe.each(databases)('loading the demo once on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  it('a load that fails gives its claim back, so the next start loads the demo instead of waiting on nobody', async () => {
    await expect(
      loadDemoOnce(hub, async () => {
        throw new Error('the disk filled up');
      }),
    ).rejects.toThrow('the disk filled up');
    expect(await demoIsNeeded(hub)).toBe(true);
    expect(await loadDemoOnce(hub)).toMatchObject({ people: 7 });
    expect(await demoIsNeeded(hub)).toBe(false);
    // once loaded, another process started later has nothing to load
    expect(await loadDemoOnce(hub)).toBeNull();
  });

  it('a claim left by a process killed while loading runs out, and a later start loads the demo, keeping the people it had added', async () => {
    // process A claims the load, adds its first person, and is killed (it never renews its claim)
    expect(await claimDemoLoad(hub, 'process-a')).toBe(true);
    await person(hub, 'lena-core', { role: 'lead-maintainer' });
    // a start while A's claim runs serves what A writes
    expect(await loadDemoOnce(hub)).toBeNull();
    hub.clock.advance(DEMO_CLAIM_MS + 1000);
    expect(await demoIsNeeded(hub)).toBe(true);
    expect(await loadDemoOnce(hub)).toMatchObject({ people: 7 });
    expect(await demoIsNeeded(hub)).toBe(false);
    const lena = await hub.store.db.selectFrom('people').select('id').where('handle', '=', 'lena-core').execute();
    expect(lena).toHaveLength(1);
    // loaded: the claim stands for good, however late the next start
    hub.clock.advance(10 * DEMO_CLAIM_MS);
    expect(await loadDemoOnce(hub)).toBeNull();
  });

  it('a claim with no time on it, left by a process from before the upgrade killed while loading, is taken over once it is older than a claim lasts', async () => {
    // before 2026-12-07 a claim had no locked_until: one left by a process killed before any group stood
    const now = hub.clock.now().toISOString();
    await hub.store.db
      .insertInto('jobs')
      .values({
        id: 'old-claim',
        queue: 'demo',
        key: 'demo:community',
        payload: writeJson({}),
        run_at: now,
        attempts: 0,
        max_attempts: 5,
        locked_by: null,
        locked_until: null,
        last_error: null,
        created_at: now,
        done_at: now,
        failed_at: null,
      })
      .execute();
    // it may still be loading: a start at once serves what it writes
    expect(await loadDemoOnce(hub)).toBeNull();
    hub.clock.advance(DEMO_CLAIM_MS + 1000);
    expect(await loadDemoOnce(hub)).toMatchObject({ people: 7 });
    expect(await demoIsNeeded(hub)).toBe(false);
    hub.clock.advance(10 * DEMO_CLAIM_MS);
    expect(await loadDemoOnce(hub)).toBeNull();
  });

  it('a loader that stalled past its claim, taken over meanwhile, stops loading rather than load beside the other', async () => {
    const steps: string[] = [];
    const a = await loadDemoOnce(hub, async (mine) => {
      await mine?.();
      steps.push('first person');
      // A stalls past its claim; B starts, finds it run out and loads in its place
      hub.clock.advance(DEMO_CLAIM_MS + 1000);
      expect(await claimDemoLoad(hub, 'process-b')).toBe(true);
      await mine?.();
      steps.push('second person');
      return { people: 7, groups: 3 };
    });
    expect(a).toBeNull();
    expect(steps).toEqual(['first person']);
    // the claim is B's still: A neither gave it back nor marked it loaded
    const claim = await hub.store.db
      .selectFrom('jobs')
      .select(['locked_by', 'locked_until'])
      .where('key', '=', 'demo:community')
      .executeTakeFirstOrThrow();
    expect(claim.locked_by).toBe('process-b');
    expect(claim.locked_until).not.toBeNull();
  });
});
