// Cached reads are dropped only for what a write changed: a comment on one proposal leaves every
// other proposal's cached view in memory, on this process and on another one sharing PostgreSQL
// (which hears what changed through LISTEN/NOTIFY). A write that names no scope still drops all.
// A title changed straight in the table (no event, as a tool bypassing the hub would) shows
// whether a view was re-read or answered from memory.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHub, inTransaction, type Actor, type Hub } from '../../../src/app/core/hub.ts';
import type { Logger } from '../../../src/app/core/logger.ts';
import { saveItem } from '../../../src/app/github/mirror.ts';
import { getGroup } from '../../../src/app/groups/groups.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { createProposal, getProposal, supportProposal } from '../../../src/app/proposals/proposals.ts';
import { followChanges } from '../../../src/cli/serve.ts';
import { changeChannel } from '../../../src/store/change-feed.ts';
import { databases } from '../../support/databases.ts';
import { setEnv } from '../../support/env.ts';
import { asActor, openDemoHub, openTestHub, type TestHub } from '../../support/hub.ts';

const draft = (title: string) => ({
  title,
  problem: 'A stream cut by a deploy cannot be resumed on another server process.',
  examples: ['A rolling deploy drops every open stream'],
  layer: 'working-group-artifact' as const,
  group: 'hosting',
});

async function retitleInTable(hub: Hub, ref: string, title: string): Promise<void> {
  await hub.store.db
    .updateTable('proposals')
    .set({ title })
    .where('number', '=', Number(ref.slice(2)))
    .execute();
}

/** The GitHub mirror links a pull request to a proposal (sync.ts): a write that records no event. */
async function linkPullRequest(hub: Hub, ref: string, number: number): Promise<string> {
  const p = await hub.store.db
    .selectFrom('proposals')
    .select('id')
    .where('number', '=', Number(ref.slice(2)))
    .executeTakeFirstOrThrow();
  const url = `https://github.com/example/spec/pull/${number}`;
  await inTransaction(hub, (trx) =>
    saveItem(trx, hub, {
      repo: 'example/spec',
      kind: 'pull',
      githubId: number,
      number,
      hubType: 'proposal',
      hubId: p.id,
      url,
      login: 'amara',
      createdAt: '2026-03-02T12:00:00Z',
      updatedAt: '2026-03-02T12:00:00Z',
      hash: null,
    }),
  );
  return url;
}

async function until(what: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('not seen in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(databases)('read cache on $name', (database) => {
  let hub: TestHub;
  let amara: Actor;
  let jonas: Actor;
  let seven: string;
  let eight: string;
  beforeEach(async () => {
    hub = await openDemoHub(database, { start: '2026-03-02T12:00:00Z' });
    amara = await asActor(hub, 'amara');
    jonas = await asActor(hub, 'jonas');
    seven = (await createProposal(hub, amara, draft('Resumable streams'))).ref;
    eight = (await createProposal(hub, amara, draft('Session affinity'))).ref;
  });
  afterEach(async () => {
    await hub.close();
  });

  it('a comment on one proposal drops its view and its group members, and leaves the other proposal cached', async () => {
    expect((await getProposal(hub, seven)).title).toBe('Resumable streams');
    expect((await getProposal(hub, eight)).title).toBe('Session affinity');
    const before = (await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'jonas')!;
    await retitleInTable(hub, seven, 'Resumable streams (retitled)');
    await retitleInTable(hub, eight, 'Session affinity (retitled)');
    hub.clock.advance(60_000);
    await addComment(hub, jonas, seven, { body: 'We see this at every deploy.' });
    expect((await getProposal(hub, seven)).title).toBe('Resumable streams (retitled)');
    expect((await getProposal(hub, eight)).title).toBe('Session affinity'); // still from memory
    const after = (await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'jonas')!;
    expect(after.lastActiveAt > before.lastActiveAt).toBe(true);
    // a write that does not say what it changed drops everything
    await supportProposal(hub, jonas, eight);
    expect((await getProposal(hub, eight)).title).toBe('Session affinity (retitled)');
  });

  it('a pull request the GitHub mirror links to a proposal shows on its view at once, though the link records no event', async () => {
    expect((await getProposal(hub, seven)).github).toBeNull();
    const url = await linkPullRequest(hub, seven, 41);
    expect((await getProposal(hub, seven)).github).toBe(url);
  });

  it('a log that went back (a restore under a running process) drops every cached read', async () => {
    expect((await getProposal(hub, seven)).title).toBe('Resumable streams');
    const { seq } = await hub.store.db
      .selectFrom('event_chain')
      .select('seq')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    await retitleInTable(hub, seven, 'Resumable streams (as restored)');
    await hub.store.db
      .updateTable('event_chain')
      .set({ seq: Number(seq) - 1 })
      .where('id', '=', 1)
      .execute();
    await until(async () => (await getProposal(hub, seven)).title === 'Resumable streams (as restored)');
  });
});

const postgres = databases.find((d) => d.name === 'postgres');

describe.skipIf(!postgres)('read cache of a second process on PostgreSQL', () => {
  let hub: TestHub;
  let jonas: Actor;
  let seven: string;
  let eight: string;
  beforeEach(async () => {
    hub = await openDemoHub(postgres!, { start: '2026-03-02T12:00:00Z' });
    const amara = await asActor(hub, 'amara');
    jonas = await asActor(hub, 'jonas');
    seven = (await createProposal(hub, amara, draft('Resumable streams'))).ref;
    eight = (await createProposal(hub, amara, draft('Session affinity'))).ref;
  });
  afterEach(async () => {
    await hub.close();
  });

  it('another process hears which proposal a comment changed, and keeps the other one cached', async () => {
    const other = createHub(hub.store, hub.governance, { clock: hub.clock });
    let listening = false;
    const log = { info: () => (listening = true), warn: () => {} } as unknown as Logger;
    const feed = followChanges(other, log);
    try {
      await until(async () => listening);
      expect((await getProposal(other, seven)).title).toBe('Resumable streams');
      expect((await getProposal(other, eight)).title).toBe('Session affinity');
      await retitleInTable(hub, seven, 'Resumable streams (retitled)');
      await retitleInTable(hub, eight, 'Session affinity (retitled)');
      await addComment(hub, jonas, seven, { body: 'We see this at every deploy.' });
      await until(async () => (await getProposal(other, seven)).title === 'Resumable streams (retitled)');
      expect((await getProposal(other, eight)).title).toBe('Session affinity');
      // and a write there that names no scope drops everything here
      await supportProposal(hub, jonas, eight);
      await until(async () => (await getProposal(other, eight)).title === 'Session affinity (retitled)');
      // a write that records no event (the mirror linking a pull request) is heard too
      expect((await getProposal(other, seven)).github).toBeNull();
      const url = await linkPullRequest(hub, seven, 41);
      await until(async () => (await getProposal(other, seven)).github === url);
    } finally {
      await feed.close();
    }
  });

  it('when the listening connection drops, writes are still seen, and once it is back only what changed is dropped', async () => {
    const other = createHub(hub.store, hub.governance, { clock: hub.clock });
    const states: boolean[] = [];
    const log = { info: () => states.push(true), warn: () => states.push(false) } as unknown as Logger;
    // the listener connects where WGHUB_LISTEN_URL says (the server itself, when the pool goes through PgBouncer)
    const direct = new URL(hub.store.url);
    const name = `wghub-listen-${process.pid}`;
    direct.searchParams.set('application_name', name);
    // put back as it was: later files in this worker run in the same process (isolate: false)
    const restoreEnv = setEnv({ WGHUB_LISTEN_URL: direct.toString() });
    const feed = (() => {
      try {
        return followChanges(other, log);
      } finally {
        restoreEnv();
      }
    })();
    try {
      await until(async () => states.at(-1) === true);
      expect((await getProposal(other, seven)).title).toBe('Resumable streams');
      // the server ends the listening connection (a restart, a proxy's idle timeout)
      const ended = await sql<{ ended: boolean }>`select pg_terminate_backend(pid) as ended from pg_stat_activity
        where application_name = ${name} and query = ${`LISTEN "${changeChannel(hub.store)}"`}`.execute(hub.store.db);
      expect(ended.rows).toEqual([{ ended: true }]);
      await until(async () => states.includes(false));
      await retitleInTable(hub, seven, 'Resumable streams (while deaf)');
      await addComment(hub, jonas, seven, { body: 'Written while the other process was not listening.' });
      await until(async () => (await getProposal(other, seven)).title === 'Resumable streams (while deaf)');
      // it listens again by itself, and a comment then drops only its own proposal there
      await until(async () => states.at(-1) === true && states.lastIndexOf(true) > states.indexOf(false));
      expect((await getProposal(other, eight)).title).toBe('Session affinity');
      await retitleInTable(hub, seven, 'Resumable streams (heard again)');
      await retitleInTable(hub, eight, 'Session affinity (not re-read)');
      await addComment(hub, jonas, seven, { body: 'And now it hears us.' });
      await until(async () => (await getProposal(other, seven)).title === 'Resumable streams (heard again)');
      expect((await getProposal(other, eight)).title).toBe('Session affinity');
    } finally {
      await feed.close();
    }
  });
});

describe('a value its loader says not to keep', () => {
  it('is not kept, so it pushes no other read out of a full cache (a large calendar feed, found reviewing)', async () => {
    const hub = await openTestHub(databases[0]!);
    try {
      let loads = 0;
      const read = (key: string, validUntil?: number) =>
        hub.reads.get(hub, key, async () => {
          loads++;
          return { value: key, ...(validUntil === undefined ? {} : { validUntil }) };
        });
      for (let i = 0; i < 2000; i++) await read(`kept:${i}`);
      expect(loads).toBe(2000);
      for (let i = 0; i < 50; i++) expect(await read(`large:${i}`, 0)).toBe(`large:${i}`);
      // all 2,000 still answered from memory: none was evicted to make room for what was not kept
      for (let i = 0; i < 2000; i++) await read(`kept:${i}`);
      expect(loads).toBe(2050);
    } finally {
      await hub.close();
    }
  });
});
