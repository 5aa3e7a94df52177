// Suggestions for what a person is typing: group slugs and proposal references. Used by MCP
// completion; bounded, and by prefix, so they stay fast on a large corpus.
import type { Hub } from '../core/hub.ts';
import { documentWords, shownRef } from '../../domain/governance/words.ts';
import { refOf } from '../proposals/proposals.ts';
import { slugAsStored } from '../../domain/slugs.ts';

/**
 * One more than MCP completion returns (100): the SDK reports `hasMore` when it is given more
 * than it sends, so a cut list says so.
 */
const MAX = 101;

/**
 * The longest prefix anything can start with: a slug has at most 64 characters, a reference at
 * most 14 ("SEP-" and an int4's 10 digits). A longer one matches nothing and is answered at once:
 * it never reaches the database (SQLite refuses a LIKE pattern of 50,000 characters as "too
 * complex") or the digit pattern below (whose backtracking grows with the square of the length).
 */
const SLUG_CHARS = 64;
const REF_CHARS = 14;

/** Group slugs starting with `prefix`; `open`: only groups that take new work (not retired), for an argument that places something in one. */
export async function completeGroupSlugs(hub: Hub, prefix: string, opts: { open?: true } = {}): Promise<string[]> {
  // folded as every edge reads a slug (ASCII capitals only: `toLowerCase` read the Kelvin sign as k);
  // a prefix holding anything no slug holds starts none and never reaches the database: a U+0000 in it
  // was an internal error on PostgreSQL, which cannot compare it, and nothing on SQLite (attack round 32)
  const typed = slugAsStored(prefix);
  if (typed.length > SLUG_CHARS || !/^[a-z0-9-]*$/.test(typed)) return [];
  let q = hub.store.db.selectFrom('groups').select('slug').where('slug', 'like', `${typed}%`);
  if (opts.open) q = q.where('status', '!=', 'retired');
  const rows = await q.orderBy('slug').limit(MAX).execute();
  return rows.map((r) => r.slug);
}

/** What was typed with the community's prefix ("RFC-1", "RF") as the stored one's ("SEP-1", "SEP-"). */
function storedPrefix(hub: Hub, typed: string): string {
  const prefix = documentWords(hub.governance).prefix;
  if (prefix === 'SEP') return typed;
  const word = typed.replace(/-?\d*$/, '');
  return word && `${prefix}-`.startsWith(word) ? `SEP-${/(\d*)$/.exec(typed)![1]}` : typed;
}

/** SEP-n (or the community's RFC-n) and P-n references starting with what was typed (a bare number matches both). */
export async function completeProposalRefs(hub: Hub, prefix: string): Promise<string[]> {
  // bounded before the community's prefix is read off it: its patterns (`-?\d*$`) grow with the square of
  // a run of digits (attack round 25: 100,000 digits and a letter held the event loop 15 s); a reference in
  // the community's words is at most its prefix, a hyphen and an int4's 10 digits
  const typed = prefix.trim().toUpperCase();
  if (typed.length > Math.max(REF_CHARS, documentWords(hub.governance).prefix.length + 11)) return [];
  const p = storedPrefix(hub, typed);
  if (p.length > REF_CHARS) return [];
  const digits = /(\d*)$/.exec(p)![1]!;
  const wantSep = p === '' || 'SEP-'.startsWith(p.replace(/\d+$/, '')) || /^#?\d*$/.test(p);
  const wantP = p === '' || 'P-'.startsWith(p.replace(/\d+$/, '')) || /^#?\d*$/.test(p);
  const db = hub.store.db;
  const out: string[] = [];
  if (wantSep) {
    let q = db
      .selectFrom('proposals')
      .select(['number', 'sep_number'])
      .where('sep_number', 'is not', null)
      .orderBy('sep_number', 'desc')
      .limit(MAX);
    if (digits) q = q.where((eb) => eb(eb.cast('sep_number', 'text'), 'like', `${digits}%`));
    out.push(...(await q.execute()).map((r) => shownRef(hub.governance, refOf(r))));
  }
  if (wantP) {
    let q = db
      .selectFrom('proposals')
      .select(['number', 'sep_number'])
      .where('sep_number', 'is', null)
      .orderBy('number', 'desc')
      .limit(MAX);
    if (digits) q = q.where((eb) => eb(eb.cast('number', 'text'), 'like', `${digits}%`));
    out.push(...(await q.execute()).map(refOf));
  }
  return out.slice(0, MAX);
}

/** M-n references starting with what was typed, newest first. */
export async function completeMeetingRefs(hub: Hub, prefix: string): Promise<string[]> {
  if (prefix.trim().length > REF_CHARS) return [];
  const digits = /(\d*)$/.exec(prefix.trim())![1]!;
  let q = hub.store.db.selectFrom('meetings').select('number').orderBy('number', 'desc').limit(MAX);
  if (digits) q = q.where((eb) => eb(eb.cast('number', 'text'), 'like', `${digits}%`));
  return (await q.execute()).map((m) => `M-${m.number}`);
}
