// Where a charter's Leadership table and the leads the hub records disagree. The table is the
// charter's own text: naming a lead here (or stepping down) does not rewrite it, so the two drift
// apart until a facilitator amends the charter. Shown, not fixed: the charter is the group's word.
import { slugify } from '../community.ts';
import type { CharterFacts } from './facts.ts';

export type RecordedLead = { handle: string; name: string; github: string | null };

export type LeadershipDrift = {
  /** Rows of the charter's Leadership table that name nobody leading the group here. */
  inCharterOnly: { name: string; github: string | null }[];
  /** The group's leads here whom the charter's Leadership table does not name. */
  leadsOnly: { handle: string; name: string }[];
};

const low = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();
// a seat the charter keeps open ("TBD", "Seeking a co-lead") names nobody
const OPEN_SEAT = /^(tbd|tba|n\/a|none|vacant|open|-+|seeking\b.*)$/i;
const nameKey = (s: string) =>
  low(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function sameLead(row: CharterFacts['leadership'][number], lead: RecordedLead): boolean {
  const github = low(row.github);
  if (github && (github === low(lead.github) || github === low(lead.handle))) return true;
  if (slugify(row.name) && slugify(row.name) === low(lead.handle)) return true;
  return nameKey(row.name) !== '' && nameKey(row.name) === nameKey(lead.name);
}

/** The disagreement between the charter's Leadership table and `leads`, or null when they agree. */
export function leadershipDrift(facts: CharterFacts, leads: RecordedLead[]): LeadershipDrift | null {
  const rows = facts.leadership.filter((r) => (r.name.trim() !== '' && !OPEN_SEAT.test(r.name.trim())) || r.github);
  const inCharterOnly = rows
    .filter((r) => !leads.some((l) => sameLead(r, l)))
    .map((r) => ({ name: r.name.trim() || `@${r.github}`, github: r.github }));
  const leadsOnly = leads
    .filter((l) => !rows.some((r) => sameLead(r, l)))
    .map((l) => ({ handle: l.handle, name: l.name }));
  return inCharterOnly.length || leadsOnly.length ? { inCharterOnly, leadsOnly } : null;
}
