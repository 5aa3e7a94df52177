import { Turns } from '../store/turns.ts';

/** Write requests waiting for their turn at most; one more is answered 503 at once (server.ts). */
export const WRITE_REQUESTS_WAITING = 1_000;

/**
 * How long one write request keeps the turn at most. A write that waits on something outside the
 * process (an MCP tool that asks GitHub, a slow client's body) lets the next write start after this,
 * so no request can stall the others' writes for longer.
 */
export const WRITE_TURN_MAX_MS = 50;

// Taken now, so a test faking timers cannot stop the hand-over (as in turns.ts).
const later = globalThis.setTimeout;
const clear = globalThis.clearTimeout;

/**
 * One write request at a time, first come first served, each handed to the next on the next turn of
 * the event loop.
 *
 * On SQLite every query answers synchronously and the one writer connection serialises every write
 * transaction anyway, so writes running side by side gain nothing; but each one in flight adds its
 * parsing, validation, markdown and after-commit work to the event loop, and a reader's request waited
 * behind the pieces of all of them (8 writers: the reader's p50 3–6× idle, docs/performance.md).
 * Held to one write in flight, a read waits at most for a piece of one write at each of its steps.
 * The turn is given back when the handler has made its answer, or after `holdMs`, whichever is first.
 * More than `max` waiting: the next is refused (`TurnsFull`) rather than queued (src/store/turns.ts).
 */
export function oneWriteAtATime(max = WRITE_REQUESTS_WAITING, holdMs = WRITE_TURN_MAX_MS) {
  const turns = new Turns({ max });
  return async (): Promise<() => void> => {
    await turns.take();
    let held = true;
    const give = () => {
      if (!held) return;
      held = false;
      clear(timer);
      turns.giveNextTurn();
    };
    const timer = later(give, holdMs);
    return give;
  };
}
