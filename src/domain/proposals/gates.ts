// The guide's "barrier to change" made checkable: per target layer, conditions that must hold
// before a proposal moves on. Every condition reports pass or fail and why, in plain words.
import { beyondAsciiAsDrawn, lookalikeKeys, spelling } from '../lookalike.ts';
import { plural } from '../sentence.ts';
import type { GateCondition, Governance, LayerId } from '../governance/index.ts';

/** `verification` is the newest probe of an implementation named as evidence, when there was one. */
export type EvidenceFact = {
  kind: string;
  organisation: string | null;
  sdk: string | null;
  verification?: 'verified' | 'failed' | null;
};
export type GateFacts = {
  problem: string;
  examples: string[];
  supporters: { handle: string; organisation: string | null }[];
  evidence: EvidenceFact[];
  /** Confirmed builds-on / promoted-from relations to working-group artifacts that are still alive. */
  priorArtifacts: { ref: string; title: string }[];
};

export type ConditionResult = { check: GateCondition['check']; condition: string; passed: boolean; reason: string };
export type GateResult = { layer: LayerId; passed: boolean; conditions: ConditionResult[] };

const MIN_PROBLEM = 20;
const UNAFFILIATED = 'no organisation';

/** Each kind of evidence in the community's words (one, many): the page reads these, never the kind's id. */
type EvidenceKind = Extract<GateCondition, { check: 'evidence' }>['kind'];
const EVIDENCE_WORDS: Record<EvidenceKind, [string, string]> = {
  implementation: ['implementation', 'implementations'],
  interoperability: ['interoperability test', 'interoperability tests'],
  'community-use': ['use in the community', 'uses in the community'],
  'implementer-validation': ['validation by an implementer', 'validations by implementers'],
};

function evidenceCounted(kind: EvidenceKind, n: number): string {
  const [one, many] = EVIDENCE_WORDS[kind];
  return plural(n, one, many);
}

/**
 * A name of an organisation (or SDK) as evidence is counted by: its spelling (`spelling`: case, spacing
 * and invisible characters aside, an accent typed apart (NFD, as a Mac keyboard sends it) the same
 * accent) read in compatibility form first (NFKC: a full-width letter is the letter). Attack round 26:
 * "Café Labs" in its two Unicode forms counted as two independent organisations. No confusable
 * skeletons (attack round 28): they read "m" as "rn" and "1" as "l", so Modern Labs and Modem Labs, or
 * the SDKs Kotlin and Kot1in, were one, and two real implementations counted as one. A character beyond
 * ASCII drawn like a Latin letter is that letter (`beyondAsciiAsDrawn`): "Cаfé Labs" with a Cyrillic "а"
 * imitates Café Labs and is not a second organisation.
 */
export function nameCounted(name: string): string {
  return spelling(beyondAsciiAsDrawn(name.normalize('NFKC')));
}

/** The organisations (or SDKs) among names as people typed them, one per `key`; each named as first written, in lower case. */
function distinct(values: (string | null)[], key: (name: string) => string = nameCounted): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const name = (v ?? UNAFFILIATED).trim();
    const k = key(name);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(name.toLowerCase());
  }
  return out;
}

/** Supporters' organisations: as `nameCounted`, and one that looks like another, written with other characters, is that one. */
function supporterOrganisations(values: (string | null)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const name = (v ?? UNAFFILIATED).trim();
    const keys = lookalikeKeys(name);
    if ([...keys].some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    out.push(name.toLowerCase());
  }
  return out;
}

/**
 * An SDK's name without the word "SDK" after it: "TypeScript SDK", "typescript-sdk", "typescript_sdk" and "typescript" are
 * one SDK (attack round 27: they counted as three towards the SDK-alignment gate). Read in compatibility
 * form first, so a full-width "ＳＤＫ" is the word too; a name that is only "SDK" stays as it is. Counted
 * as `nameCounted` reads it.
 */
export function sdkKey(name: string): string {
  const n = name.normalize('NFKC');
  // the word after a separator or alone, not by \b: `_` is a word character, so typescript_sdk had no
  // boundary before sdk and stayed a second SDK; "mysdk" is not "my"
  return nameCounted(n.replace(/(?:^|[\s._-]+)sdk\s*$/iu, '').trim() || n);
}

function evaluate(c: GateCondition, f: GateFacts): ConditionResult {
  switch (c.check) {
    case 'problem-stated': {
      const ok = f.problem.trim().length >= MIN_PROBLEM;
      return {
        check: c.check,
        condition: 'states the specific problem it solves',
        passed: ok,
        reason: ok
          ? 'a problem statement is given'
          : `the problem statement has ${f.problem.trim().length} characters; say what specific problem this solves (at least ${MIN_PROBLEM})`,
      };
    }
    case 'problem-validated': {
      const stated = f.problem.trim().length >= MIN_PROBLEM;
      const ok = stated && f.examples.length >= c.minExamples;
      const why = !stated
        ? 'no problem statement yet'
        : `${f.examples.length} real-world example${f.examples.length === 1 ? '' : 's'} given, ${c.minExamples} needed`;
      return {
        check: c.check,
        condition: `a validated problem: a problem statement with at least ${c.minExamples} real-world example${c.minExamples > 1 ? 's' : ''}`,
        passed: ok,
        reason: ok ? `problem stated with ${plural(f.examples.length, 'example', 'examples')}` : why,
      };
    }
    case 'supporters-from-organisations': {
      // Unaffiliated supporters count together as one voice: many voices from one entity weigh less.
      const orgs = supporterOrganisations(f.supporters.map((s) => s.organisation));
      const ok = orgs.length >= c.min;
      return {
        check: c.check,
        condition: `supporters from at least ${c.min} organisations`,
        passed: ok,
        reason: `${plural(f.supporters.length, 'supporter', 'supporters')} from ${plural(orgs.length, 'organisation', 'organisations')}${orgs.length ? ` (${orgs.join(', ')})` : ''}; ${c.min} needed`,
      };
    }
    case 'evidence': {
      // an implementation wghub connected to and found wanting does not count until it passes again
      const failedProbe = f.evidence.filter((e) => e.kind === c.kind && e.verification === 'failed').length;
      const items = f.evidence.filter((e) => e.kind === c.kind && e.verification !== 'failed');
      // Evidence that names no organisation (or no SDK) cannot show independence, so it does not count towards it.
      const count = c.distinctSdks
        ? distinct(
            items.map((e) => e.sdk),
            sdkKey,
          ).filter((s) => s !== UNAFFILIATED).length
        : c.distinctOrganisations
          ? distinct(items.map((e) => e.organisation)).filter((o) => o !== UNAFFILIATED).length
          : items.length;
      const unit = (n: number) =>
        c.distinctSdks
          ? plural(n, 'SDK', 'different SDKs')
          : plural(n, 'independent organisation', 'independent organisations');
      const independent = c.distinctSdks || c.distinctOrganisations;
      const unnamed = c.distinctSdks
        ? items.filter((e) => !e.sdk?.trim()).length
        : c.distinctOrganisations
          ? items.filter((e) => !e.organisation?.trim()).length
          : 0;
      const ok = count >= c.min;
      const note =
        unnamed && !ok
          ? ` (${unnamed} name${unnamed === 1 ? 's' : ''} no ${c.distinctSdks ? 'SDK' : 'organisation'} and cannot show independence)`
          : '';
      return {
        check: c.check,
        condition: `at least ${evidenceCounted(c.kind, c.min)}${independent ? ` from ${c.distinctSdks ? 'different SDKs' : 'independent organisations'}` : ''}`,
        passed: ok,
        reason: `${evidenceCounted(c.kind, items.length)}${independent ? `, from ${unit(count)}` : ''}${note}${failedProbe ? `; ${failedProbe} more failed verification and ${failedProbe === 1 ? 'does' : 'do'} not count` : ''}; ${c.min} needed`,
      };
    }
    case 'prior-artifact': {
      const ok = f.priorArtifacts.length > 0;
      return {
        check: c.check,
        condition:
          'builds on a prior working-group artifact on the same subject ("establishing patterns in working group artifacts first")',
        passed: ok,
        reason: ok
          ? `builds on ${f.priorArtifacts.map((a) => `${a.ref} (${a.title})`).join(', ')}`
          : 'no confirmed builds-on or promoted-from link to a working-group artifact',
      };
    }
  }
}

export function checkGate(g: Governance, layer: LayerId, facts: GateFacts): GateResult {
  const conditions = g.proposals.gates[layer].map((c) => evaluate(c, facts));
  return { layer, passed: conditions.every((c) => c.passed), conditions };
}

export function layerIndex(g: Governance, layer: LayerId): number {
  return g.proposals.layers.findIndex((l) => l.id === layer);
}

/** The highest layer whose gate the evidence already passes, or null. */
export function highestSupportedLayer(g: Governance, facts: GateFacts): LayerId | null {
  for (const l of g.proposals.layers) if (checkGate(g, l.id, facts).passed) return l.id;
  return null;
}
