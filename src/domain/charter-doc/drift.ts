// Where a charter's Leadership table and the leads the hub records disagree. The table is the
// charter's own text: naming a lead here (or stepping down) does not rewrite it, so the two drift
// apart until a facilitator amends the charter. Shown, not fixed: the charter is the group's word.
import { personKey } from '../community.ts';
import { type CharterFacts, openSeat } from './facts.ts';

export type RecordedLead = { handle: string; name: string; github: string | null };

export type LeadershipDrift = {
  /** Rows of the charter's Leadership table that name nobody leading the group here. */
  inCharterOnly: { name: string; github: string | null }[];
  /** The group's leads here whom the charter's Leadership table does not name. */
  leadsOnly: { handle: string; name: string }[];
};

const low = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();
const nameKey = (s: string) =>
  low(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
// a row for someone who led before ("Emeritus Lead", "Former co-chair") is history, not a claim
const PAST_ROLE = /\b(emeritus|former|past|previous|alumni|retired)\b/i;

function sameLead(row: CharterFacts['leadership'][number], key: string, lead: RecordedLead): boolean {
  if (low(key) === low(lead.handle) || (row.github && low(row.github) === low(lead.github))) return true;
  return nameKey(row.name) !== '' && nameKey(row.name) === nameKey(lead.name);
}

/** Rows of the Leadership table that name someone the hub can know (as the charter import reads them). */
function namingRows(facts: CharterFacts) {
  // not an open seat, and with a name or GitHub handle that makes a handle
  return facts.leadership.flatMap((r) => {
    if (openSeat(r.name) && !r.github) return [];
    const key = personKey(r.name, r.github);
    return key ? [{ row: r, key, past: PAST_ROLE.test(r.role) }] : [];
  });
}

/** Whether the charter's Leadership table names `lead` as leading now (not in a past role's row). */
export function charterNamesLead(facts: CharterFacts, lead: RecordedLead): boolean {
  return namingRows(facts).some(({ row, key, past }) => !past && sameLead(row, key, lead));
}

/**
 * The disagreement between the charter's Leadership table and `leads`, or null when they agree. A row
 * naming one of `invited` (named as lead in the group's proposal, invited and not yet accepted) is no
 * drift: the proposal wrote them in, and they lead once they accept (the views say so apart).
 */
export function leadershipDrift(
  facts: CharterFacts,
  leads: RecordedLead[],
  invited: RecordedLead[] = [],
): LeadershipDrift | null {
  const rows = namingRows(facts);
  // a past role's row is not missed when its person no longer leads, nor a lead it names missing
  const inCharterOnly = rows
    .filter(
      ({ row, key, past }) =>
        !past && !leads.some((l) => sameLead(row, key, l)) && !invited.some((l) => sameLead(row, key, l)),
    )
    .map(({ row }) => ({ name: row.name.trim() || `@${row.github}`, github: row.github }));
  const leadsOnly = leads
    .filter((l) => !rows.some(({ row, key }) => sameLead(row, key, l)))
    .map((l) => ({ handle: l.handle, name: l.name }));
  return inCharterOnly.length || leadsOnly.length ? { inCharterOnly, leadsOnly } : null;
}
