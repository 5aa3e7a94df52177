import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import { systemClock, type Clock, type IdGenerator } from '../../domain/clock.ts';
import { Conflict, invalid, PreconditionRequired } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { Governance } from '../../domain/governance/index.ts';
import { appendEvent, appendEvents } from '../../store/events.ts';
import { announceChange } from '../../store/change-feed.ts';
import type { Database, EventFacts, PeopleTable } from '../../store/schema.ts';
import type { Store } from '../../store/connect.ts';
import { ReadCache, type Changes, type Scope } from './read-cache.ts';
import { currentRequestId, takeHeldRefusal } from './request-context.ts';

/** Everything a use case needs, injected: the store, the rules, the clock and the id generator. */
export type Hub = {
  store: Store;
  governance: Governance;
  clock: Clock;
  newId: IdGenerator;
  reads: ReadCache;
  /** Run inside the writing transaction for every event recorded (notifications, GitHub write-back). */
  reactions: Reaction[];
  /** Called after a transaction commits (a local worker wakes up instead of waiting for its poll). */
  committed: Set<() => void>;
  /** The operator's settings use cases read (from the environment, read once by the composition root). */
  settings: HubSettings;
};

/** What the operator sets for this hub beyond the governance file (docs/configuration.md). */
export type HubSettings = {
  /** Hosts chat webhooks may reach though not public (WGHUB_WEBHOOK_ALLOWED_HOSTS); none unless set. */
  webhookAllowedHosts: readonly string[];
  /** Private-use redirect schemes MCP clients may register besides the known apps' (WGHUB_OAUTH_APP_SCHEMES). */
  appSchemes: readonly string[];
  /** Whether this hub sends mail (WGHUB_SMTP_URL is set): a use case that asks for one says whether it goes. */
  mailsOut: boolean;
  /**
   * The hub's public address as its operator set it (WGHUB_PUBLIC_URL, its origin), for links written
   * outside a request (the CLI, MCP over stdio); null when unset.
   */
  publicOrigin: string | null;
  /**
   * How long the hub keeps its own working rows once they are finished (a job done, a chat post or
   * digest sent, a GitHub delivery applied, a link expired), and failed ones, in days
   * (WGHUB_RETENTION_DAYS, WGHUB_RETENTION_FAILED_DAYS; app/operations/retention.ts).
   */
  retention: Retention;
};

/** Days a finished working row is kept, and a failed one (kept longer, to be looked into and retried). */
export type Retention = { finishedDays: number; failedDays: number };
export const DEFAULT_RETENTION: Retention = { finishedDays: 30, failedDays: 90 };

/** An event as a reaction sees it, inside the transaction that recorded it. */
export type RecordedEvent = {
  seq: number;
  at: string;
  actor: Actor;
  kind: string;
  subject: { type: string; id: string };
  before: EventFacts | null;
  after: EventFacts | null;
};

/**
 * Work that must happen because of an event, in the same transaction: it either commits with the
 * event or not at all (an outbox row for a notification, a write-back job). It must not do I/O
 * outside the database: that is a job's work.
 */
export type Reaction = (trx: Tx, hub: Hub, event: RecordedEvent) => Promise<void>;

export function createHub(
  store: Store,
  governance: Governance,
  opts: { clock?: Clock; newId?: IdGenerator; reactions?: Reaction[]; settings?: Partial<HubSettings> } = {},
): Hub {
  return {
    store,
    governance,
    clock: opts.clock ?? systemClock,
    newId: opts.newId ?? randomUUID,
    reads: new ReadCache(),
    reactions: [...(opts.reactions ?? [])],
    committed: new Set(),
    settings: {
      webhookAllowedHosts: [],
      appSchemes: [],
      mailsOut: false,
      publicOrigin: null,
      retention: DEFAULT_RETENTION,
      ...opts.settings,
    },
  };
}

/** A person acting through a token or `--as`, or the operator at the command line. */
export type Actor = { kind: 'person'; person: PeopleTable } | { kind: 'system'; label: string };

export const SYSTEM: Actor = { kind: 'system', label: 'operator' };

export function actorName(a: Actor): string {
  return a.kind === 'person' ? a.person.handle : `system:${a.label}`;
}

export type Tx = Transaction<Database> | Kysely<Database>;

/** Every use case that writes runs in one transaction: invalid input never half-writes. */
export async function inTransaction<T>(hub: Hub, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  // what the transaction changes is gathered by `record`, announced to other processes just before
  // it commits (delivered only if it does), and dropped from this process's read cache once it has
  let changes: Changes | undefined;
  const result = await hub.store.db.transaction().execute(async (trx) => {
    const gathering = hub.reads.begin(trx);
    try {
      const r = await fn(trx);
      // the use case let its actor act: a refusal of the request's input held until now is told,
      // and what the transaction wrote is rolled back (request-context.ts)
      const held = takeHeldRefusal();
      if (held) throw held;
      if (ReadCache.any(gathering)) await announceChange(trx, hub.store, hub.reads.payload(gathering));
      changes = gathering;
      return r;
    } finally {
      hub.reads.end(trx);
    }
  });
  if (ReadCache.any(changes)) hub.reads.changed(changes.first, changes.last, changes.scope && [...changes.scope]);
  for (const listener of hub.committed) listener();
  return result;
}

export function nowIso(hub: Hub): string {
  return hub.clock.now().toISOString();
}

/**
 * Records several events of one actor in order (a backfill's comments): the same events, reactions
 * and cache notes as `record` called for each, with one append to the chain.
 */
export async function recordMany(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  items: { kind: string; subject: { type: string; id: string }; before: EventFacts | null; after: EventFacts | null }[],
  scope: Scope = null,
): Promise<void> {
  const at = nowIso(hub);
  const seqs = await appendEvents(
    trx,
    items.map((x) => ({
      at,
      actor: actorName(actor),
      kind: x.kind,
      subjectType: x.subject.type,
      subjectId: x.subject.id,
      before: x.before,
      after: x.after,
      requestId: currentRequestId(),
    })),
  );
  let announce = false;
  for (const seq of seqs) if (!hub.reads.noted(trx, seq, scope)) announce = true;
  if (announce) await announceChange(trx, hub.store, '');
  if (!hub.reactions.length) return;
  for (const [i, x] of items.entries()) {
    const event: RecordedEvent = {
      seq: seqs[i]!,
      at,
      actor,
      kind: x.kind,
      subject: x.subject,
      before: x.before,
      after: x.after,
    };
    for (const react of hub.reactions) await react(trx, hub, event);
  }
}

export async function record(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  kind: string,
  subject: { type: string; id: string },
  before: EventFacts | null,
  after: EventFacts | null,
  /**
   * The cached reads this event changes (read-cache.ts), for writes known to be local, such as a
   * comment: `proposal:P-7`. Omitted, the event may have changed anything, and every cached read
   * is dropped.
   */
  scope: Scope = null,
): Promise<number> {
  const at = nowIso(hub);
  const seq = await appendEvent(trx, {
    at,
    actor: actorName(actor),
    kind,
    subjectType: subject.type,
    subjectId: subject.id,
    before,
    after,
    requestId: currentRequestId(),
  });
  // inside inTransaction the transaction announces its changes once, as it commits; a caller's
  // own transaction announces each event as one that may have changed anything
  if (!hub.reads.noted(trx, seq, scope)) await announceChange(trx, hub.store, '');
  if (!hub.reactions.length) return seq;
  const event: RecordedEvent = { seq, at, actor, kind, subject, before, after };
  for (const react of hub.reactions) await react(trx, hub, event);
  return seq;
}

/**
 * A write that records no event but changes what cached reads show (the GitHub mirror linking a
 * pull request to a proposal): says which (read-cache.ts scopes; null for everything). Without
 * it nothing would drop them, here or in another process: no event moves the log's head. Inside
 * inTransaction it is announced and applied as the transaction commits; in a caller's own
 * transaction everything is dropped here at once and announced to other processes.
 */
export async function changedWithoutEvent(trx: Tx, hub: Hub, scope: Scope = null): Promise<void> {
  if (hub.reads.touch(trx, scope)) return;
  await announceChange(trx, hub.store, '');
  hub.reads.invalidate();
}

/**
 * Optimistic concurrency: an update names the version it read. The caller must give one
 * (If-Match on REST); a stale one is a conflict that carries what is stored now.
 */
export function requireVersion(expected: number | undefined, what: string): number {
  if (expected === undefined) {
    throw new PreconditionRequired(
      // each edge says how to send it (REST: If-Match; the CLI: --if-version; MCP: `version`)
      `updating ${what} needs the version you last read`,
    );
  }
  return versionRead(expected);
}

/**
 * A version as some record showed it: a whole number within the column. Anything else (NaN,
 * -1, 1e20 from a command line) is a mangled field, refused naming it: compared, it would be a
 * conflict saying "you read version NaN", and PostgreSQL refuses a number past its column unnamed.
 */
function versionRead(expected: number): number {
  // 0 was never issued but is a whole version (If-Match "v0" is a stale read, a 409 as ever)
  if (!Number.isSafeInteger(expected) || expected < 0 || expected > LIMITS.maxNumber)
    throw invalid(
      'version',
      `must be the version you read, a whole number (as the record's ETag or version shows it); ${String(expected).slice(0, 30)} is not one`,
    );
  return expected;
}

export function assertVersion(stored: number, expected: number, what: string, current: unknown): void {
  versionRead(expected);
  if (stored !== expected) {
    throw new Conflict(
      `${what} was changed by someone else (you read version ${expected}, it is now version ${stored}); compare with what it holds now, reapply your change and try again`,
      {
        currentVersion: stored,
        current,
      },
    );
  }
}

/** The tables whose rows carry a version (If-Match / ETag) and an updated_at. */
export type VersionedTable = 'people' | 'groups' | 'proposals' | 'topic_areas' | 'meetings';

/**
 * Compare-and-set on a versioned row: writes only if the row is still at `expected`; true when this
 * write won. `set` is typed by the table named, so a column that table does not have does not compile.
 */
export async function writeIfVersion<T extends VersionedTable>(
  trx: Tx,
  hub: Hub,
  table: T,
  id: string,
  expected: number,
  set: Updateable<Database[T]>,
): Promise<boolean> {
  versionRead(expected);
  // Kysely's builder types an update of a table named by a type parameter as a union it cannot call
  // (its Database is invariant), so the statement is written with its sql helpers: the table and
  // columns as identifiers, every value a parameter. An undefined value is left out, as Kysely does.
  const assignments = Object.entries({ ...set, version: expected + 1, updated_at: nowIso(hub) })
    .filter(([, value]) => value !== undefined)
    .map(([column, value]) => sql`${sql.ref(column)} = ${value}`);
  const res = await sql`update ${sql.table(table)} set ${sql.join(assignments)}
    where ${sql.ref('id')} = ${id} and ${sql.ref('version')} = ${expected}`.execute(trx);
  return Number(res.numAffectedRows ?? 0) === 1;
}

/**
 * Writes `set` to the row if it is still at version `expected`, and returns the row read again;
 * otherwise a 409 that carries the current record (as `view` shows it), never a silent overwrite.
 */
export async function writeOrConflict<T extends VersionedTable, R extends { version: number }>(
  trx: Tx,
  hub: Hub,
  at: { table: T; id: string; what: string },
  expected: number,
  set: Updateable<Database[T]>,
  reread: () => Promise<R>,
  view: (row: R) => Promise<unknown>,
): Promise<R> {
  if (!(await writeIfVersion(trx, hub, at.table, at.id, expected, set))) {
    const now = await reread();
    assertVersion(now.version, expected, at.what, await view(now));
  }
  return reread();
}

export type Page<T> = { items: T[]; nextCursor: string | null };

export { CursorPart, decodeCursor, encodeCursor } from './cursors.ts';
