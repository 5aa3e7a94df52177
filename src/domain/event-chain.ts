import { createHash } from 'node:crypto';

// node:crypto's hash is a pure function of its input; the domain keeps it so the chain rule lives in one place.

export type ChainedEvent = {
  seq: number;
  at: string;
  actor: string | null;
  kind: string;
  subjectType: string;
  subjectId: string;
  before: string | null;
  after: string | null;
  prevHash: string;
};

export const GENESIS_HASH = 'genesis';

export function eventHash(e: ChainedEvent): string {
  const canonical = JSON.stringify([
    e.seq,
    e.at,
    e.actor,
    e.kind,
    e.subjectType,
    e.subjectId,
    e.before,
    e.after,
    e.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type ChainBreak = { seq: number; reason: string };

/** Checks events in seq order; returns the first broken link, or null when the chain holds. */
export function findChainBreak(
  events: Iterable<ChainedEvent & { hash: string }>,
  start = { seq: 0, hash: GENESIS_HASH },
): ChainBreak | null {
  let prev = start;
  for (const e of events) {
    if (e.seq !== prev.seq + 1)
      return { seq: e.seq, reason: `expected event ${prev.seq + 1} next, found ${e.seq}: an event is missing` };
    if (e.prevHash !== prev.hash)
      return {
        seq: e.seq,
        reason: `its link to event ${prev.seq} does not match: an earlier event was edited or removed`,
      };
    if (eventHash(e) !== e.hash)
      return { seq: e.seq, reason: 'its content does not match its hash: this event was edited' };
    prev = { seq: e.seq, hash: e.hash };
  }
  return null;
}
