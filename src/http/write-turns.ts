import { Turns } from '../store/turns.ts';

/** Write requests waiting for their turn at most; one more is answered 503 at once (server.ts). */
export const WRITE_REQUESTS_WAITING = 1_000;

/**
 * Admits at most one write request per turn of the event loop, first come first served.
 *
 * On SQLite every query answers synchronously, so a write request (its validation, markdown, hints,
 * transaction and event) runs as one unbroken stretch of the one event loop. Eight writers' requests
 * arriving together ran back to back, and a reader that arrived with them waited for all eight
 * (a reader's p50 165× idle in docs/performance.md). Held to one per turn, a read waits at most for
 * the one write that turn runs. PostgreSQL's queries are real I/O, so its writes interleave anyway.
 * More than `max` waiting: the next is refused (`TurnsFull`) rather than queued (src/store/turns.ts).
 */
export function oneWritePerTurn(max = WRITE_REQUESTS_WAITING): () => Promise<void> {
  const turns = new Turns({ max });
  return () => turns.admitOnePerTurn();
}
