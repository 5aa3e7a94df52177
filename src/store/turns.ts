// Turns on the one event loop, first come first served. On SQLite every query answers
// synchronously, so whoever holds a turn (a write transaction, a write request) runs as one unbroken
// stretch of the loop; handing the turn to the next waiter on the next turn of the loop lets
// everything that arrived meanwhile (a reader's request) run between two writes. Two users: the
// SQLite writer (sqlite-split.ts) and the admission of write requests (src/http/write-turns.ts).

// Taken now, so a test faking timers cannot stop the hand-over.
const nextTurn = globalThis.setImmediate;

/** More than `max` waiting: refused at once rather than queued without end. */
export class TurnsFull extends Error {
  constructor(max: number) {
    super(`too many waiting for their turn (${max}); try again shortly`);
    this.name = 'TurnsFull';
  }
}

export class Turns {
  readonly max: number;
  #held = false;
  #waiting: (() => void)[] = [];

  /**
   * At most `max` wait at once; one more is refused (`TurnsFull`), so the waiting list is bounded
   * whatever arrives, and a flood fails fast instead of holding memory and ever-older requests.
   */
  constructor({ max }: { max: number }) {
    this.max = max;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Resolves when it is the caller's turn: at once when nobody holds it, else in order of arrival. */
  take(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.max) return Promise.reject(new TurnsFull(this.max));
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** The holder is done: the next waiter's turn starts now, or the turn is free when nobody waits. */
  giveNow(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }

  /**
   * The holder is done, having run in this turn of the loop: the next waiter's turn starts on the
   * next turn, after what else arrived meanwhile; with nobody waiting the turn is free at once.
   */
  giveNextTurn(): void {
    if (!this.#waiting.length) this.#held = false;
    else nextTurn(() => this.giveNow());
  }
}
