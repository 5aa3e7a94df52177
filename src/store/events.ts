import type { Kysely, Transaction } from 'kysely';
import { eventHash, findChainBreak, type ChainBreak } from '../domain/event-chain.ts';
import { readJson, writeJson, type Database, type EventFacts, type EventsTable } from './schema.ts';

export type NewEvent = {
  at: string;
  actor: string | null;
  kind: string;
  subjectType: string;
  subjectId: string;
  before?: EventFacts | null;
  after?: EventFacts | null;
  /** The HTTP request that carried the change; kept beside the chain, not hashed. */
  requestId?: string | null;
};

/** An event's facts: a plain object (every `record` call gives one), or nothing. */
const json = (v: EventFacts | null | undefined) => (v === undefined || v === null ? null : writeJson(v));

/**
 * Appends one event inside the caller's transaction. Bumping the chain head first takes the
 * write lock (a row lock on PostgreSQL, the database lock on SQLite), so appends are serial
 * and the chain never forks.
 */
export async function appendEvent(trx: Kysely<Database>, e: NewEvent): Promise<number> {
  const head = await trx
    .updateTable('event_chain')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const row = {
    seq: Number(head.seq),
    at: e.at,
    actor: e.actor,
    kind: e.kind,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    before: json(e.before),
    after: json(e.after),
    prevHash: head.hash,
  };
  const hash = eventHash(row);
  await trx
    .insertInto('events')
    .values({
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      kind: row.kind,
      subject_type: row.subjectType,
      subject_id: row.subjectId,
      before: row.before,
      after: row.after,
      prev_hash: row.prevHash,
      hash,
      request_id: e.requestId ?? null,
    })
    .execute();
  await trx.updateTable('event_chain').set({ hash }).where('id', '=', 1).execute();
  return row.seq;
}

/**
 * Appends several events in order inside the caller's transaction, with one bump of the chain
 * head and one insert per 200 events (a backfill records thousands): the same chain, hash by hash,
 * as appending them one at a time. Returns their sequence numbers.
 */
export async function appendEvents(trx: Kysely<Database>, es: NewEvent[]): Promise<number[]> {
  if (!es.length) return [];
  const head = await trx
    .updateTable('event_chain')
    .set((eb) => ({ seq: eb('seq', '+', es.length) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  let prevHash = head.hash;
  const first = Number(head.seq) - es.length + 1;
  const rows = es.map((e, i) => {
    const row = {
      seq: first + i,
      at: e.at,
      actor: e.actor,
      kind: e.kind,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      before: json(e.before),
      after: json(e.after),
      prevHash,
    };
    const hash = eventHash(row);
    prevHash = hash;
    return {
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      kind: row.kind,
      subject_type: row.subjectType,
      subject_id: row.subjectId,
      before: row.before,
      after: row.after,
      prev_hash: row.prevHash,
      hash,
      request_id: e.requestId ?? null,
    };
  });
  for (let i = 0; i < rows.length; i += 200)
    await trx
      .insertInto('events')
      .values(rows.slice(i, i + 200))
      .execute();
  await trx.updateTable('event_chain').set({ hash: prevHash }).where('id', '=', 1).execute();
  return rows.map((r) => r.seq);
}

export type EventRow = EventsTable;

/** One field of an event's facts when it is text, the way readers of the log name a stage, a level, a handle. */
export function factText(facts: EventFacts | null | undefined, key: string): string | undefined {
  const v = facts?.[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * A list of text in an event's facts (who was asked, who was mentioned), found by its path of keys;
 * [] when it is missing. Facts are plain JSON, so the reader checks their shape instead of casting.
 */
export function factList(facts: EventFacts | null | undefined, ...path: [string, ...string[]]): string[] {
  let v: unknown = facts;
  for (const key of path) v = v !== null && typeof v === 'object' && key in v ? Reflect.get(v, key) : undefined;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function tailEvents(db: Kysely<Database>, limit: number, beforeSeq?: number): Promise<EventRow[]> {
  let q = db.selectFrom('events').selectAll().orderBy('seq', 'desc').limit(limit);
  if (beforeSeq !== undefined) q = q.where('seq', '<', beforeSeq);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export async function eventsFor(
  db: Kysely<Database> | Transaction<Database>,
  subjectType: string,
  subjectId: string,
): Promise<EventRow[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/**
 * The latest `limit` events on one subject before event `before` (all, without it), newest first,
 * and how many there are before that (a page of one thing's history: a decision's timeline).
 */
export async function latestEventsFor(
  db: Kysely<Database> | Transaction<Database>,
  subjectType: string,
  subjectId: string,
  limit: number,
  before?: number,
): Promise<{ rows: EventRow[]; total: number }> {
  let q = db.selectFrom('events').where('subject_type', '=', subjectType).where('subject_id', '=', subjectId);
  if (before !== undefined) q = q.where('seq', '<', before);
  const rows = await q.selectAll().orderBy('seq', 'desc').limit(limit).execute();
  const { n } = await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return { rows: rows.map((r) => ({ ...r, seq: Number(r.seq) })), total: Number(n) };
}

/**
 * Whether the latest of `kinds` recorded on a subject (the latest about one thing, with `about`) is
 * `kind` with these very facts (or any): what a GitHub delivery would record says nothing new. A signed body
 * sent again under a new X-GitHub-Delivery id (the signature covers the body, not the id) recorded a
 * collaborator added or a label renamed twice (fuzz round 16). The latest 200 are read.
 */
export async function saysAgain(
  db: Kysely<Database> | Transaction<Database>,
  subject: { type: string; id: string },
  kinds: readonly string[],
  kind: string,
  /** null: whatever facts it holds */
  facts: EventFacts | null,
  about: (facts: EventFacts | null) => boolean = () => true,
): Promise<boolean> {
  const rows = await db
    .selectFrom('events')
    .select(['kind', 'after'])
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('kind', 'in', kinds)
    .orderBy('seq', 'desc')
    .limit(200)
    .execute();
  const latest = rows.find((r) => about(readJson(r.after)));
  return latest?.kind === kind && (facts === null || JSON.stringify(readJson(latest.after)) === JSON.stringify(facts));
}

/** Walks the whole log in pages and reports the first broken link, or that the chain holds. */
export async function verifyEvents(db: Kysely<Database>): Promise<{ checked: number; break: ChainBreak | null }> {
  const page = 2000;
  let start = { seq: 0, hash: 'genesis' };
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>', start.seq)
      .orderBy('seq')
      .limit(page)
      .execute();
    if (!rows.length) break;
    const events = rows.map((r) => ({
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      kind: r.kind,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      before: r.before,
      after: r.after,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
    const broken = findChainBreak(events, start);
    if (broken) return { checked: checked + events.findIndex((e) => e.seq === broken.seq), break: broken };
    checked += events.length;
    const last = events.at(-1)!;
    start = { seq: last.seq, hash: last.hash };
  }
  const head = await db.selectFrom('event_chain').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  if (Number(head.seq) !== start.seq || head.hash !== start.hash) {
    return {
      checked,
      break: {
        seq: start.seq + 1,
        reason: `the log ends at event ${start.seq} but its head says ${Number(head.seq)}: events were removed from the end`,
      },
    };
  }
  return { checked, break: null };
}
