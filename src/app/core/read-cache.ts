// Hot reads (a group page is five queries and a markdown parse) are served from memory until a
// write changes what they show. Each cached value names the scopes it was read from (its tags, such
// as `proposal:P-7` or `members:<group id>`); each write names the scopes it changed. A write drops
// only the values that share a scope with it, so a comment on P-7 drops P-7's pages and its group's
// member list but leaves every other proposal's page in memory. A value given no tags, and a write
// that names no scope (most writes: only those that are known to be local say what they change),
// stand for "everything": such a write drops every value, and such a value is dropped by every write.
//
// Writes made through this process are applied as soon as they commit (inTransaction). Another
// process's writes arrive through PostgreSQL's LISTEN/NOTIFY when a change feed runs
// (store/change-feed.ts): the notification carries the events' sequence numbers and the scopes
// they changed. As a safety net the head of the event log is re-read every SAFETY_RECHECK_MS; an
// event that no notification accounted for (a write made without announcing, or one missed)
// drops everything. Without a feed (SQLite, or while the listening connection is down) the head is
// polled every RECHECK_MS and any event this process did not write itself drops everything, as
// before. Stale reads never cause lost writes: updates still compare versions in the database.
import { randomUUID } from 'node:crypto';
import type { Hub } from './hub.ts';

const RECHECK_MS = 250;
const SAFETY_RECHECK_MS = 5000;
const MAX_ENTRIES = 2000;
/** Drops remembered for loads in flight (a load that overlaps more than this many is not kept). */
const RECENT_DROPS = 512;

/** What a write changed: the scopes it names, or null for everything. */
export type Scope = readonly string[] | null;

type Entry = { tags: ReadonlySet<string> | null; validUntil: number; value: unknown };
type Drop = { n: number; scope: ReadonlySet<string> | null };

/**
 * What one transaction changed, gathered by `record` (events) and `touch` (writes that record no
 * event but change cached reads, such as the GitHub mirror linking a pull request) and applied
 * when it commits.
 */
export type Changes = { first: number; last: number; scope: Set<string> | null; touched: boolean };

export class ReadCache {
  /** Tells this process's own notifications apart from other processes'. */
  readonly instance = randomUUID().slice(0, 8);
  #entries = new Map<string, Entry>();
  /** Every drop so far, counted; the newest few are kept so a load in flight can tell if it is stale. */
  #drops = 0;
  #recent: Drop[] = [];
  /** The head of the log as last read, and the sequence numbers above it already accounted for. */
  #head = -1;
  #accounted = new Set<number>();
  /** A head seen with events not yet accounted for, while a feed is listening (its notification may be on its way). */
  #suspect = -1;
  #checkedAt = -Infinity;
  #recheckMs = RECHECK_MS;
  #listening = false;
  #open = new WeakMap<object, Changes>();
  /** Reads answered from memory and reads that had to load, since start (for /metrics). */
  readonly counts = { hits: 0, misses: 0 };

  /** Drops every cached value (and re-reads the log's head on the next read). */
  invalidate(): void {
    this.#drop(null);
    this.#checkedAt = -Infinity;
  }

  /** A change feed tells us of every write (true), or it is down and we poll again (false). */
  followingChanges(listening: boolean): void {
    this.#listening = listening;
    this.#recheckMs = listening ? SAFETY_RECHECK_MS : RECHECK_MS;
    this.invalidate();
  }

  /** Starts gathering what a transaction changes (keyed by the transaction object). */
  begin(trx: object): Changes {
    const c: Changes = { first: -1, last: -1, scope: new Set(), touched: false };
    this.#open.set(trx, c);
    return c;
  }

  /**
   * Notes an event recorded in `trx`: its sequence number and the scopes it changed (null: all).
   * Returns false when `trx` is not a transaction begun here (then nothing accounts for the event,
   * and the next check of the head drops everything).
   */
  noted(trx: object, seq: number, scope: Scope): boolean {
    const c = this.#open.get(trx);
    if (!c) return false;
    if (c.first < 0) c.first = seq;
    c.last = seq;
    if (!scope) c.scope = null;
    else if (c.scope) for (const s of scope) c.scope.add(s);
    return true;
  }

  /**
   * Notes a write in `trx` that records no event but changes the cached reads of `scope` (null:
   * all). Returns false when `trx` is not a transaction begun here (the caller then drops and
   * announces everything itself: no event moves the log's head, so no check would notice).
   */
  touch(trx: object, scope: Scope): boolean {
    const c = this.#open.get(trx);
    if (!c) return false;
    c.touched = true;
    if (!scope) c.scope = null;
    else if (c.scope) for (const s of scope) c.scope.add(s);
    return true;
  }

  /** Whether a transaction's changes need announcing and dropping: it recorded events, or touched cached reads. */
  static any(c: Changes | undefined): c is Changes {
    return !!c && (c.first >= 0 || c.touched);
  }

  /** The changes gathered in `trx`, which is over. */
  end(trx: object): Changes | undefined {
    const c = this.#open.get(trx);
    this.#open.delete(trx);
    return c;
  }

  /** A write committed (here or, through a notification, elsewhere): drop what it changed. */
  changed(first: number, last: number, scope: Scope): void {
    this.#drop(scope);
    if (first < 0) return;
    for (let s = first; s <= last; s++) if (s > this.#head) this.#accounted.add(s);
    this.#advance();
    if (this.#accounted.size > 10_000) {
      // a process that writes but never reads (a worker) never checks the head: start afresh
      this.#accounted.clear();
      this.#head = -1;
    }
  }

  /**
   * A notification from the change feed: `INSTANCE FIRST-LAST SCOPE…` (`-` for no events, `*` for
   * everything) from another process, or anything else (a reconnect, an older process, a write in a
   * caller's own transaction) meaning "something changed": everything is dropped.
   */
  heard(payload: string | undefined): void {
    const m = /^([0-9a-f]{8}) (?:(\d+)-(\d+)|-) (.*)$/s.exec(payload ?? '');
    if (!m) {
      this.invalidate();
      return;
    }
    if (m[1] === this.instance) return; // applied when it committed
    const scope = m[4] === '*' ? null : m[4]!.split(' ').filter(Boolean);
    if (m[2] === undefined) this.changed(-1, -1, scope);
    else this.changed(Number(m[2]), Number(m[3]), scope);
  }

  /** The notification payload for a transaction's changes (see `heard`); `*` when the scopes are too long to send. */
  payload(c: Changes): string {
    const scope = c.scope ? [...c.scope].join(' ') : '*';
    const events = c.first >= 0 ? `${c.first}-${c.last}` : '-';
    return `${this.instance} ${events} ${Buffer.byteLength(scope) > 7000 ? '*' : scope}`;
  }

  #advance(): void {
    while (this.#accounted.has(this.#head + 1)) this.#accounted.delete(++this.#head);
  }

  #drop(scope: Scope): void {
    const tags = scope ? new Set(scope) : null;
    this.#drops++;
    this.#recent.push({ n: this.#drops, scope: tags });
    if (this.#recent.length > RECENT_DROPS) this.#recent.splice(0, this.#recent.length - RECENT_DROPS);
    if (!tags) {
      this.#entries.clear();
      return;
    }
    if (!tags.size) return;
    for (const [key, e] of this.#entries) if (!e.tags || overlaps(e.tags, tags)) this.#entries.delete(key);
  }

  /** Whether a drop since `since` touches a value with these tags (so a load that began then may be stale). */
  #droppedSince(since: number, tags: ReadonlySet<string> | null): boolean {
    if (since === this.#drops) return false;
    const oldest = this.#recent[0];
    if (!oldest || oldest.n > since + 1) return true; // forgotten: assume it did
    for (let i = this.#recent.length - 1; i >= 0 && this.#recent[i]!.n > since; i--) {
      const d = this.#recent[i]!;
      if (!d.scope || !tags) return true;
      if (overlaps(tags, d.scope)) return true;
    }
    return false;
  }

  /** Re-reads the log's head when due: events nobody accounted for drop everything. */
  async #check(hub: Hub): Promise<void> {
    this.#checkedAt = performance.now();
    const row = await hub.store.db
      .selectFrom('event_chain')
      .select('seq')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const head = Number(row.seq);
    this.#advance();
    if (head < this.#head) {
      // the log went back (a restore under a running process): nothing read before is known true
      this.#drop(null);
      this.#head = head;
      this.#suspect = -1;
      this.#accounted.clear();
      return;
    }
    if (head === this.#head) {
      this.#suspect = -1;
      return;
    }
    // events up to `head` that no write of ours and no notification accounted for: while a feed
    // listens, their notification may still be on its way, so they drop everything only if they
    // are still unaccounted for at the next check
    const waited = this.#suspect >= 0 && this.#suspect > this.#head;
    if (this.#listening && this.#head >= 0 && !waited) {
      this.#suspect = head;
      return;
    }
    this.#drop(null);
    this.#head = head;
    this.#suspect = -1;
    for (const s of this.#accounted) if (s <= head) this.#accounted.delete(s);
    this.#advance();
  }

  /**
   * Returns the cached value for `key` unless a write has changed what it was read from, or its
   * own time limit (for example the next emeritus date) has passed on the hub's clock. `load`
   * names the scopes the value depends on (`tags`); without tags any write drops it.
   */
  async get<T>(
    hub: Hub,
    key: string,
    load: () => Promise<{ value: T; validUntil?: number; tags?: readonly string[] }>,
  ): Promise<T> {
    // not due (nearly every read): no await, so a hit costs no promise of its own
    if (performance.now() - this.#checkedAt >= this.#recheckMs) await this.#check(hub);
    const hit = this.#entries.get(key);
    if (hit && hub.clock.now().getTime() < hit.validUntil) {
      this.counts.hits++;
      return hit.value as T;
    }
    this.counts.misses++;
    const since = this.#drops;
    const { value, validUntil = Infinity, tags } = await load();
    const tagSet = tags ? new Set(tags) : null;
    this.#entries.delete(key);
    // a write that committed while this was loading may have been read only in part: keep it only if
    // none touched it; a value valid no longer (a loader that says "do not keep this") is not kept
    if (!this.#droppedSince(since, tagSet) && validUntil > hub.clock.now().getTime()) {
      this.#entries.set(key, { tags: tagSet, validUntil, value });
      if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    }
    return value;
  }
}

function overlaps(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
}
