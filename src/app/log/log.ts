import { readJson, type EventFacts } from '../../store/schema.ts';
import { factText, tailEvents, verifyEvents } from '../../store/events.ts';
import { type Can, type EventLogAction, eventLogPolicy } from '../../domain/policies/index.ts';
import { LIMITS, pageWithin } from '../../domain/limits.ts';
import type { Hub } from '../core/hub.ts';
import { EventsQuery } from '../core/schemas.ts';
import { parseInput } from '../core/validate.ts';
import { namesOf } from '../people/names.ts';
import {
  type Governance,
  inCommunityWords,
  shownRefsIn,
  shownSubjectRef,
  speaksDefaultWords,
} from '../../domain/governance/index.ts';

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
export type EventLogPage = {
  items: EventView[];
  nextBefore: number | null;
  /** The name of each actor who is a person, by handle as the events give it. */
  names: Record<string, string>;
  can: Can<EventLogAction>;
};

/**
 * Events whose facts carried a comment's text (an edit's before and after), and so follow its
 * moderation. Edits now record the revisions' numbers instead (the history holds the text); those
 * recorded before 2026-12-05 keep their text in the stored facts.
 */
const COMMENT_TEXT_EVENTS = new Set(['proposal.comment-edited']);

/** What the log shows in place of a hidden comment's text. */
export const HIDDEN_TEXT =
  'hidden by moderation: the text shows in the comment history to those who moderate its group';

/**
 * Events about a person's API tokens and MCP clients: what they name (a token's label, a client's
 * registered name, where it signs in back to, why it was revoked) is for the person and those above
 * them on the contributor ladder (`manageTokens`), as their profile and `GET …/mcp-clients` are; the
 * log, which anyone reads, says only that it happened, with the token's or grant's id.
 */
const TOKEN_EVENTS = new Set(['token.created', 'token.revoked', 'oauth.granted', 'oauth.revoked']);
const TOKEN_IDS = ['tokenId', 'grantId', 'why'] as const;

/** What the log shows in place of a token's or MCP client's details. */
export const TOKEN_DETAILS = "on the person's profile, for them and those above them on the contributor ladder";

function tokenFacts(facts: EventFacts): EventFacts {
  const kept = Object.fromEntries(TOKEN_IDS.filter((k) => k in facts).map((k) => [k, facts[k]]));
  return { ...kept, details: TOKEN_DETAILS };
}

/**
 * A sign-in linked to a person: which provider and how the log says, not the account's id there (the
 * OIDC `subject`), which names the person's account at a provider to anyone who reads the log.
 */
const IDENTITY_EVENTS = new Set(['person.identity-linked']);

function identityFacts(facts: EventFacts): EventFacts {
  const { subject: _, ...rest } = facts;
  return rest;
}

/** A fact that is a proposal's stored reference (SEP-12, proposal:SEP-12), which is cited as the community cites it. */
const STORED_REF = /^(?:proposal:)?SEP-\d+$/;

/**
 * An event's facts as the community reads them: a reference to a document as it cites it (RFC-12),
 * and the hub's own sentences (a decision's `why`: "escalated to the core maintainers", recorded in
 * the words of when it was written) in its words. Keys (a level, a role, a kind of group) stay the
 * API's, and what people wrote (a comment, a question) stays as written; the stored facts, and so
 * the chain, `wghub log verify` and an export, keep what was recorded.
 */
function inCommunityFacts(g: Governance, facts: EventFacts | null): EventFacts | null {
  if (!facts || speaksDefaultWords(g)) return facts;
  const ref = (v: unknown): unknown =>
    typeof v === 'string' && STORED_REF.test(v)
      ? shownRefsIn(g, v)
      : Array.isArray(v)
        ? v.map(ref)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ref(x)]))
          : v;
  const out = ref(facts) as EventFacts;
  return Array.isArray(out.why)
    ? { ...out, why: out.why.map((w) => (typeof w === 'string' ? shownRefsIn(g, inCommunityWords(w, g)) : w)) }
    : out;
}

export async function eventLogTail(hub: Hub, raw: unknown): Promise<EventLogPage> {
  const q = parseInput(EventsQuery, raw);
  const read = await tailEvents(hub.store.db, q.limit, q.before);
  const rows = pageWithin(read, LIMITS.eventPageChars, (r) => (r.before?.length ?? 0) + (r.after?.length ?? 0));
  const stored = rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    kind: r.kind,
    subject: { type: r.subject_type, id: r.subject_id },
    before: readJson(r.before),
    after: readJson(r.after),
    hash: r.hash,
  }));
  // A hidden comment's text leaves its page, search and history for readers; an edit's facts carry
  // that text too, so the log shows it as hidden (the stored facts, and so the chain, are unchanged).
  const hidden = await hiddenComments(hub, stored);
  const shown = (kind: string, facts: EventFacts | null): EventFacts | null =>
    facts && TOKEN_EVENTS.has(kind)
      ? tokenFacts(facts)
      : facts && IDENTITY_EVENTS.has(kind)
        ? identityFacts(facts)
        : facts && COMMENT_TEXT_EVENTS.has(kind) && hidden.has(factText(facts, 'comment') ?? '') && 'body' in facts
          ? { ...facts, body: HIDDEN_TEXT }
          : facts;
  const g = hub.governance;
  const items = stored.map((e) => ({
    ...e,
    subject: { ...e.subject, id: shownSubjectRef(g, e.subject.type, e.subject.id) },
    before: inCommunityFacts(g, shown(e.kind, e.before)),
    after: inCommunityFacts(g, shown(e.kind, e.after)),
  }));
  const last = items.at(-1);
  return {
    items,
    nextBefore: (rows.length < read.length || read.length === q.limit) && last && last.seq > 1 ? last.seq : null,
    names: await namesOf(
      hub.store.db,
      items.map((e) => e.actor),
    ),
    can: eventLogPolicy(),
  };
}

/** The comments these events' text-carrying facts name that are hidden now. */
async function hiddenComments(hub: Hub, events: EventView[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const e of events) {
    const id = COMMENT_TEXT_EVENTS.has(e.kind) ? factText(e.after, 'comment') : undefined;
    if (id) ids.add(id);
  }
  if (!ids.size) return ids;
  const found = await hub.store.db
    .selectFrom('comments')
    .select('id')
    .where('id', 'in', [...ids])
    .where('hidden_at', 'is not', null)
    .execute();
  return new Set(found.map((c) => c.id));
}

export type VerifyResult = { ok: boolean; checked: number; firstBroken: { seq: number; reason: string } | null };

/** The verification running for a hub, and the one every caller who came after it started shares. */
type Flight = { running: Promise<VerifyResult> | null; queued: Promise<VerifyResult> | null };
const flights = new WeakMap<Hub, Flight>();

/**
 * Checks the whole chain. Anyone may ask (the log page's button, GET /api/events/verify), and one
 * check reads and hashes every event: twenty at once slowed every other request 150-fold on a log of
 * 3,000 events. So at most one runs at a time per process, and those asking while it runs share the
 * next one, which starts after they asked: each caller's answer covers the log as it was when they
 * asked, and a flood of callers costs two checks, not one each.
 */
export function verifyEventLog(hub: Hub): Promise<VerifyResult> {
  const flight = flights.get(hub) ?? { running: null, queued: null };
  flights.set(hub, flight);
  if (!flight.running) return startVerify(hub, flight);
  flight.queued ??= flight.running
    .catch(() => null)
    .then(() => {
      flight.queued = null;
      return startVerify(hub, flight);
    });
  return flight.queued;
}

function startVerify(hub: Hub, f: Flight): Promise<VerifyResult> {
  const run = verifyEvents(hub.store.db)
    .then((r) => ({ ok: r.break === null, checked: r.checked, firstBroken: r.break }))
    .finally(() => {
      if (f.running === run) f.running = null;
    });
  f.running = run;
  return run;
}
