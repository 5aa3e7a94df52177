// Taken now, so a test faking timers cannot stall writes.
const nextTurn = globalThis.setImmediate;

/**
 * Admits at most one write request per turn of the event loop, first come first served.
 *
 * On SQLite every query answers synchronously, so a write request (its validation, markdown, hints,
 * transaction and event) runs as one unbroken stretch of the one event loop. Eight writers' requests
 * arriving together ran back to back, and a reader that arrived with them waited for all eight
 * (a reader's p50 165× idle in docs/performance.md). Held to one per turn, a read waits at most for
 * the one write that turn runs. PostgreSQL's queries are real I/O, so its writes interleave anyway.
 */
export function oneWritePerTurn(): () => Promise<void> {
  let admitting = false;
  const waiting: (() => void)[] = [];
  const pump = () => {
    const next = waiting.shift();
    if (!next) {
      admitting = false;
      return;
    }
    next();
    nextTurn(pump);
  };
  return async () => {
    if (!admitting) {
      admitting = true;
      nextTurn(pump);
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
}
