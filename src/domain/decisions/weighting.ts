// "Multiple voices from a single entity have less weight than single voices from multiple
// entities." Raw counts are shown beside organisation-weighted ones, and a warning names an
// organisation that holds too large a share of the voices (the guide's Galactic Hosting case).
import type { Governance } from '../governance/index.ts';

export type Voice = { handle: string; kind: string; organisation: string | null };
export type Tally = {
  raw: Record<string, number>;
  weighted: Record<string, number>;
  byOrganisation: { organisation: string; voices: number; weightEach: number }[];
  warnings: string[];
};

const key = (org: string | null) => org?.trim().toLowerCase() ?? null;

export function weighVoices(g: Governance, voices: Voice[]): Tally {
  const cap = g.decisions.weighting.organisationCap;
  const perOrg = new Map<string, { name: string; n: number }>();
  for (const v of voices) {
    const k = key(v.organisation);
    if (k === null) continue;
    const e = perOrg.get(k) ?? { name: v.organisation!.trim(), n: 0 };
    e.n++;
    perOrg.set(k, e);
  }
  const weightOf = (v: Voice) => {
    const k = key(v.organisation);
    if (k === null) return 1; // a person speaking for no organisation is one entity
    return Math.min(1, cap / perOrg.get(k)!.n);
  };
  const raw: Record<string, number> = {};
  const weighted: Record<string, number> = {};
  for (const v of voices) {
    raw[v.kind] = (raw[v.kind] ?? 0) + 1;
    weighted[v.kind] = (weighted[v.kind] ?? 0) + weightOf(v);
  }
  for (const k of Object.keys(weighted)) weighted[k] = Math.round(weighted[k]! * 1000) / 1000;
  const warnings: string[] = [];
  const share = g.decisions.weighting.dominanceShare;
  for (const e of perOrg.values()) {
    if (voices.length >= 2 && e.n / voices.length > share) {
      warnings.push(
        `${e.n} of ${voices.length} voices come from ${e.name} (more than ${Math.round(share * 100)}%): together they weigh ${cap === 1 ? 'as one organisation' : `at most ${Math.min(cap, e.n)}`}; seek views from other organisations`,
      );
    }
  }
  return {
    raw,
    weighted,
    byOrganisation: [...perOrg.values()]
      .map((e) => ({ organisation: e.name, voices: e.n, weightEach: Math.round(Math.min(1, cap / e.n) * 1000) / 1000 }))
      .sort((a, b) => b.voices - a.voices),
    warnings,
  };
}

export type Candidate = { handle: string; organisations: string[] };

/** Core maintainers who share no organisation with any party to the disagreement (and are not parties). */
/** Why a core maintainer may not resolve the escalation, as a note beside their name. */
export function whyConflicted(c: { shares: string[] }): string {
  // a party's `shares` is the one phrase 'is a party' (the view's shape), not an organisation list
  return c.shares[0] === 'is a party' ? 'a party to the disagreement' : `shares ${c.shares.join(', ')}`;
}

export function escalationCandidates(
  candidates: Candidate[],
  parties: Candidate[],
): { eligible: Candidate[]; conflicted: { handle: string; shares: string[] }[] } {
  const partyOrgs = new Set(parties.flatMap((p) => p.organisations.map((o) => o.toLowerCase())));
  const partyHandles = new Set(parties.map((p) => p.handle.toLowerCase()));
  const eligible: Candidate[] = [];
  const conflicted: { handle: string; shares: string[] }[] = [];
  for (const c of candidates) {
    const shares = c.organisations.filter((o) => partyOrgs.has(o.toLowerCase()));
    if (partyHandles.has(c.handle.toLowerCase())) conflicted.push({ handle: c.handle, shares: ['is a party'] });
    else if (shares.length) conflicted.push({ handle: c.handle, shares });
    else eligible.push(c);
  }
  return { eligible, conflicted };
}
