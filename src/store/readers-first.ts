// Reads before writes on the one event loop (SQLite). better-sqlite3 answers synchronously, so a
// write holds the loop while it runs; a reader's request crosses the loop several times (its
// request, its handler, each piece of its gzip stream) and waited at each crossing for whatever
// piece of a write was running or queued (8 writers: the reader's p50 3–6× idle, docs/performance.md).
// While a read is in flight a write waits before its next piece, so a reader waits at most for the
// one piece that was running when it arrived. Both waits are bounded: a write waits for readers at
// most `writerWaitMs` at a time (a flood of reads slows writes, never stops them), and a read counts
// as in flight at most `readMs` (a client that reads its answer slowly cannot hold writes back).

import { AsyncLocalStorage } from 'node:async_hooks';

// Taken now, so a test faking timers cannot stop the hand-over (as in turns.ts).
const later = globalThis.setTimeout;
const clear = globalThis.clearTimeout;
const nextTurn = globalThis.setImmediate;

/** How long one read keeps writes waiting at most. */
export const READ_PRIORITY_MS = 100;
/** How long a write waits for readers at most before its next piece. */
export const WRITER_WAIT_MS = 20;

export class ReadersFirst {
  readonly readMs: number;
  readonly writerWaitMs: number;
  #reading = 0;
  #writers = new Set<() => void>();
  /** The read the current request is making (its `end`), so a write it makes does not wait for it. */
  readonly #own = new AsyncLocalStorage<() => void>();

  constructor({ readMs = READ_PRIORITY_MS, writerWaitMs = WRITER_WAIT_MS } = {}) {
    this.readMs = readMs;
    this.writerWaitMs = writerWaitMs;
  }

  /** Reads in flight now. */
  get reading(): number {
    return this.#reading;
  }

  /**
   * Reads begun within the same slice of time (a tenth of `readMs`) share one timer that ends those
   * of them still open: a timer for each read (a Node Timeout, its list entry and its clearing) was
   * about 1.5 % of a cached read's CPU. So a read counts as in flight for at most `readMs`, and at
   * least nine tenths of it.
   */
  #slice: { begun: number; open: number; over: boolean } | null = null;

  /** A read begins; the function returned ends it (once, however often called), as does `readMs`. */
  read(): () => void {
    this.#reading++;
    const now = performance.now();
    let slice = this.#slice;
    if (!slice || now - slice.begun >= this.readMs / 10) {
      const s = { begun: now, open: 0, over: false };
      slice = this.#slice = s;
      // unref'd: it may outlive every read of its slice, and must not keep a finished process alive
      (later(() => this.#expire(s), this.readMs) as { unref?: () => void }).unref?.();
    }
    slice.open++;
    const inSlice = slice;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      if (inSlice.over) return; // ended by its slice's timer already
      inSlice.open--;
      this.#ended(1);
    };
  }

  /** The reads of `slice` still open have counted long enough: they end now. */
  #expire(slice: { open: number; over: boolean }): void {
    slice.over = true;
    if (this.#slice === slice) this.#slice = null;
    if (slice.open) this.#ended(slice.open);
  }

  /** `n` reads ended: the last lets the writers waiting go. */
  #ended(n: number): void {
    this.#reading -= n;
    if (this.#reading === 0 && this.#writers.size) {
      const go = [...this.#writers];
      this.#writers.clear();
      // on the next turn: reads that arrived in this one start first
      nextTurn(() => {
        for (const w of go) w();
      });
    }
  }

  /** Runs `fn` as the read `end` ends: a write made in it ends that read (`writing`). */
  within<T>(end: () => void, fn: () => T): T {
    return this.#own.run(end, fn);
  }

  /**
   * A write begins: the read its request was making (a GET that writes, such as a sign-in callback)
   * is over, so the write does not wait for its own read (up to `readMs`, holding the write lock).
   */
  writing(): void {
    this.#own.getStore()?.();
  }

  /**
   * Resolves when a write may run its next piece: on the next turn of the loop when no read is in
   * flight, else when the last one ends or after `writerWaitMs`, whichever is first.
   */
  writersTurn(): Promise<void> {
    if (this.#reading === 0) return new Promise((r) => nextTurn(r));
    return new Promise((resolve) => {
      let done = false;
      const go = () => {
        if (done) return;
        done = true;
        clear(timer);
        this.#writers.delete(go);
        resolve();
      };
      const timer = later(go, this.writerWaitMs);
      this.#writers.add(go);
    });
  }
}
