// Hot reads (a group page is five queries and a markdown parse) are served from memory while
// nothing has changed. "Nothing has changed" is the head of the event log: every write appends
// an event, so its sequence number is a generation for the whole database. Writes made through
// this process invalidate at once; writes from another process (a CLI import, a second server)
// are seen at the next head check, at most RECHECK_MS later. Stale reads never cause lost
// writes: updates still compare versions in the database.
import type { Hub } from './hub.ts';

const RECHECK_MS = 250;
const MAX_ENTRIES = 2000;

type Entry = { generation: number; validUntil: number; value: unknown };

export class ReadCache {
  #entries = new Map<string, Entry>();
  #generation = -1;
  #checkedAt = -Infinity;
  /** Reads answered from memory and reads that had to load, since start (for /metrics). */
  readonly counts = { hits: 0, misses: 0 };

  /** Called after every local write. */
  invalidate(): void {
    this.#checkedAt = -Infinity;
  }

  async #currentGeneration(hub: Hub): Promise<number> {
    const t = performance.now();
    if (t - this.#checkedAt < RECHECK_MS) return this.#generation;
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
