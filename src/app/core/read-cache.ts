// Hot reads (a group page is five queries and a markdown parse) are served from memory while
// nothing has changed. "Nothing has changed" is the head of the event log: every write appends
// an event, so its sequence number is a generation for the whole database. Writes made through
// this process invalidate at once. Writes from another process (a CLI import, a second server)
// are heard through PostgreSQL's LISTEN/NOTIFY when a change feed runs (store/change-feed.ts),
// and the head is then re-read only every SAFETY_RECHECK_MS; without a feed (SQLite, or while the
// listening connection is down) the head is polled every RECHECK_MS. Stale reads never cause lost
// writes: updates still compare versions in the database.
import type { Hub } from './hub.ts';

const RECHECK_MS = 250;
const SAFETY_RECHECK_MS = 5000;
const MAX_ENTRIES = 2000;

type Entry = { generation: number; validUntil: number; value: unknown };

export class ReadCache {
  #entries = new Map<string, Entry>();
  #generation = -1;
  #checkedAt = -Infinity;
  /** Reads answered from memory and reads that had to load, since start (for /metrics). */
  readonly counts = { hits: 0, misses: 0 };

  #recheckMs = RECHECK_MS;

  /** Called after every local write, and when another process announces one. */
  invalidate(): void {
    this.#checkedAt = -Infinity;
  }

  /** A change feed tells us of every write (true), or it is down and we poll again (false). */
  followingChanges(listening: boolean): void {
    this.#recheckMs = listening ? SAFETY_RECHECK_MS : RECHECK_MS;
    this.invalidate();
  }

  async #currentGeneration(hub: Hub): Promise<number> {
    const t = performance.now();
    if (t - this.#checkedAt < this.#recheckMs) return this.#generation;
    const head = await hub.store.db
      .selectFrom('event_chain')
      .select('seq')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    this.#generation = Number(head.seq);
    this.#checkedAt = t;
    return this.#generation;
  }

  /**
   * Returns the cached value for `key` if the database has not changed and the value's own
   * time limit (for example the next emeritus date) has not passed on the hub's clock.
   */
  async get<T>(hub: Hub, key: string, load: () => Promise<{ value: T; validUntil?: number }>): Promise<T> {
    const generation = await this.#currentGeneration(hub);
    const hit = this.#entries.get(key);
    if (hit && hit.generation === generation && hub.clock.now().getTime() < hit.validUntil) {
      this.counts.hits++;
      return hit.value as T;
    }
    this.counts.misses++;
    const { value, validUntil = Infinity } = await load();
    this.#entries.delete(key);
    this.#entries.set(key, { generation, validUntil, value });
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }
}
