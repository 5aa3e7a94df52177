import { readJson, type EventFacts } from '../../store/schema.ts';
import { tailEvents, verifyEvents } from '../../store/events.ts';
import { type Can, type EventLogAction, eventLogPolicy } from '../../domain/policies/index.ts';
import type { Hub } from '../core/hub.ts';
import { EventsQuery } from '../core/schemas.ts';
import { parseInput } from '../core/validate.ts';

export type EventView = {
  seq: number;
  at: string;
  actor: string | null;
  kind: string;
  subject: { type: string; id: string };
  before: EventFacts | null;
  after: EventFacts | null;
  hash: string;
};

/** A page of the log, newest first, with what anyone may do with it (read it, check its chain). */
export type EventLogPage = { items: EventView[]; nextBefore: number | null; can: Can<EventLogAction> };

export async function eventLogTail(hub: Hub, raw: unknown): Promise<EventLogPage> {
  const q = parseInput(EventsQuery, raw);
  const rows = await tailEvents(hub.store.db, q.limit, q.before);
  const items = rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    kind: r.kind,
    subject: { type: r.subject_type, id: r.subject_id },
    before: readJson(r.before),
    after: readJson(r.after),
    hash: r.hash,
  }));
  const last = items.at(-1);
  return {
    items,
    nextBefore: items.length === q.limit && last && last.seq > 1 ? last.seq : null,
    can: eventLogPolicy(),
  };
}

export type VerifyResult = { ok: boolean; checked: number; firstBroken: { seq: number; reason: string } | null };

export async function verifyEventLog(hub: Hub): Promise<VerifyResult> {
  const r = await verifyEvents(hub.store.db);
  return { ok: r.break === null, checked: r.checked, firstBroken: r.break };
}
