// A decision's state is computed from its facts and the clock whenever it is read, so nothing
// depends on a job having run at the deadline. Lazy consensus (silence is consent) → a vote when
// a block stands at the deadline or a vote is requested → escalation when the vote fails.
import type { Governance, Majority } from '../governance/index.ts';
import { levelsNamed, resolverName } from '../governance/words.ts';
import { nameWithHandle } from '../people.ts';

export type ResponseKind = 'consent' | 'concern' | 'block';
/** What a designee's guidance on an escalated decision says: it binds, or more is needed first. */
export const GUIDANCE_KINDS = ['binding', 'more-information', 'full-deliberation'] as const;
export type GuidanceKind = (typeof GUIDANCE_KINDS)[number];
/**
 * A kind of guidance in words, for every edge (the page, the timeline, notices, `why`): the stored
 * key ("more-information") read as the form offered it.
 */
export function guidanceWords(g: Governance, kind: string | null | undefined): string {
  if (kind === 'binding') return 'binding guidance';
  if (kind === 'more-information') return 'more information is needed';
  if (kind === 'full-deliberation') return `it needs full deliberation by the ${resolverName(g, true)}`;
  return String(kind ?? '');
}
/**
 * Where the parties answer a resolver who asks for more information, once responses and votes are
 * closed: a proposal's discussion, where a mention of the resolver tells them; a charter's or the
 * process's decision has no discussion here, so where the group works (its charter's Operations names
 * its channels), with no promise that a mention tells anyone. One rule for the notice, the decision's
 * page and what needs the parties (they sent people to the group's page, where nobody can write).
 */
export function guidanceAnswerPlace(
  subject: { type: string; ref: string | null },
  group: string,
): { path: string; words: string; mentionTells: boolean } {
  return subject.type === 'proposal' && subject.ref
    ? { path: `/proposals/${subject.ref}#discussion`, words: `in ${subject.ref}'s discussion`, mentionTells: true }
    : {
        path: `/groups/${group}#charter`,
        words:
          "where the group works (its charter's Operations names its channels; the hub has no discussion for this decision)",
        mentionTells: false,
      };
}
export type ResponseFact = {
  handle: string;
  /** The person's name, so `why` names them as pages do ("Sam Rivera (@sam-lead)"), not by handle alone. */
  name?: string | null;
  kind: ResponseKind;
  organisation: string | null;
  eligible: boolean;
  at: string;
  reason?: string | null;
  alternative?: string | null;
  /** When the person's membership of the group ended after this answer (left or removed): it counts until then only. */
  membershipEndedAt?: string | null;
};
export type VoteChoice = 'yes' | 'no' | 'abstain';
export type VoteFact = {
  handle: string;
  choice: VoteChoice;
  organisation: string | null;
  eligible: boolean;
  at: string;
  /** When the person's membership of the group ended after this vote (left or removed): it counts until then only. */
  membershipEndedAt?: string | null;
};

/**
 * Whether an answer counts toward the outcome as judged at `limit` (ms; the deadline for a block, the
 * vote's close for a vote, or now when sooner): given at a level whose answers count, by someone still in
 * the group then. One whose membership ended (left, or removed by a lead) while the decision was open no
 * longer speaks for the group: their answer stays in the record and is shown, not counted, from then; an
 * outcome judged before they went keeps it, so no closed outcome changes when someone leaves later.
 */
export function answerCountsAt(
  a: { eligible: boolean; membershipEndedAt?: string | null | undefined },
  limit: number,
): boolean {
  return a.eligible && (!a.membershipEndedAt || new Date(a.membershipEndedAt).getTime() > limit);
}

/**
 * Why an answer shown on a decision does not count, in the words every edge shows beside it: its author
 * left the group (or was removed) since answering, or their level does not count (advisory). Null: it counts.
 */
export function notCountedWords(a: { counts: boolean; membershipEndedAt: string | null }): string | null {
  if (a.counts) return null;
  return a.membershipEndedAt ? 'no longer in the group: not counted' : 'advisory';
}

/** The instant (ms) a decision's responses are judged at now `t`: the deadline once it passed (blocks stand or not there). */
export function responsesJudgedAt(f: Pick<DecisionFacts, 'deadline'>, t: number): number {
  return Math.min(t, new Date(f.deadline).getTime());
}

/** The instant (ms) its votes are counted at now `t`: the vote's close once it passed (null: no vote). */
export function votesJudgedAt(voteClosesAt: string | null, t: number): number {
  return voteClosesAt ? Math.min(t, new Date(voteClosesAt).getTime()) : t;
}
export type Matter = 'routine' | 'scope-change';

export type DecisionFacts = {
  openedAt: string;
  deadline: string;
  matter: Matter;
  /** When a lead, or enough members, asked for a vote before the deadline. */
  voteRequestedAt: string | null;
  /** Latest response per person (withdrawn ones removed). */
  responses: ResponseFact[];
  /** Latest vote per person. */
  votes: VoteFact[];
  /** Active eligible members, for quorum. */
  activeEligible: number;
  escalation: {
    at: string;
    designee: string | null;
    /** The designee's name, so the outcome names them as pages do ("Ada Lovelace (@ada)"). */
    designeeName?: string | null;
    guidance: string | null;
    guidanceKind: GuidanceKind | null;
  } | null;
  /** Taken back by whoever opened it or a lead of its group (a duplicate, a wrong question): it ends there. */
  withdrawn: { at: string; by: string; reason: string } | null;
  /**
   * Under lazy consensus, of the members whose answer counts and who stayed silent, how many had their
   * silence counted as consent and how many did not, not informed of it in time (the proof of who was
   * told: app/notifications/proof.ts, `uncounted`). Read by the words of an adoption; left out (undefined)
   * where it was not worked out, and those words then say only that silence counts when told in time.
   */
  silence?: { counted: number; uncounted: number };
};

export type Phase = 'lazy-consensus' | 'vote' | 'escalated' | 'closed';
export type Outcome = 'pending' | 'adopted' | 'adopted-by-vote' | 'resolved-by-escalation' | 'withdrawn';

/** Each outcome as people read it, never its id. */
export const OUTCOME_WORDS: Record<Outcome, string> = {
  pending: 'not decided yet',
  adopted: 'adopted by lazy consensus',
  'adopted-by-vote': 'adopted by vote',
  'resolved-by-escalation': 'resolved by escalation',
  withdrawn: 'withdrawn',
};

export type DecisionState = {
  phase: Phase;
  outcome: Outcome;
  /** Why the state is what it is, in plain words, newest reasoning last. */
  why: string[];
  standingBlocks: ResponseFact[];
  voteOpensAt: string | null;
  voteClosesAt: string | null;
  quorum: { needed: number; cast: number; met: boolean } | null;
  result: { yes: number; no: number; abstain: number; passed: boolean; rule: string } | null;
  escalationDueAt: string | null;
};

const DAY = 86_400_000;

export function addBusinessDays(fromIso: string, days: number): string {
  const d = new Date(fromIso);
  let left = days;
  while (left > 0) {
    d.setTime(d.getTime() + DAY);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d.toISOString();
}

export function majorityPasses(m: Majority, yes: number, no: number): boolean {
  const total = yes + no;
  if (total === 0) return false;
  if ('moreThan' in m) return yes * m.moreThan[1] > m.moreThan[0] * total;
  return yes * m.atLeast[1] >= m.atLeast[0] * total;
}

/** The share a majority asks for: "more than 1/2", "at least 2/3". */
export function majorityShare(m: Majority): string {
  return 'moreThan' in m ? `more than ${m.moreThan[0]}/${m.moreThan[1]}` : `at least ${m.atLeast[0]}/${m.atLeast[1]}`;
}

export function describeMajority(m: Majority): string {
  return `${majorityShare(m)} of the yes and no votes`;
}

/** A vote opens when one is requested, or at the deadline if a block stands there; never after the deadline. */
export function voteOpeningTime(deadline: string, voteRequestedAt: string | null): Date {
  const d = new Date(deadline);
  return voteRequestedAt && new Date(voteRequestedAt) < d ? new Date(voteRequestedAt) : d;
}

/**
 * What silence did at an adoption by lazy consensus, in the community's words for the levels whose
 * answer counts: "the silence of 3 members or leads counted as consent; that of 1 member or lead was
 * not counted, as they were not informed of it in time". Never "silence counted" of everyone when some
 * silences were left out.
 */
export function silenceInWords(g: Pick<Governance, 'decisions' | 'levelNames'>, s: DecisionFacts['silence']): string {
  if (!s) return 'the silence of those informed of it in time counted as consent';
  const who = (n: number) => `${n} ${levelsNamed(g, g.decisions.eligibleLevels, 'or', n !== 1)}`;
  const parts = [
    s.counted ? `the silence of ${who(s.counted)} counted as consent` : null,
    s.uncounted
      ? `${s.counted ? 'that' : 'the silence'} of ${who(s.uncounted)} was not counted, as they were not informed of it in time`
      : null,
  ].filter((x): x is string => x !== null);
  return parts.length ? parts.join('; ') : 'nobody stayed silent';
}

/**
 * Who withdrew a decision, as stored (`withdrawn_by`): a handle, 'operator', or a system job as its
 * events name it ('system:decisions', the close job ending one left open in a retired group).
 */
export function withdrawerWords(by: string, handlePrefix = ''): string {
  if (by === 'system:decisions') return "the hub's deadline timer";
  if (by.startsWith('system:')) return `the hub (${by.slice('system:'.length)})`;
  return `${handlePrefix}${by}`;
}

export function decisionState(g: Governance, f: DecisionFacts, now: Date): DecisionState {
  const t = now.getTime();
  const deadline = new Date(f.deadline).getTime();
  const why: string[] = [];
  const blocksAt = (limit: number) =>
    f.responses.filter((r) => r.kind === 'block' && answerCountsAt(r, limit) && new Date(r.at).getTime() <= limit);
  const base = {
    standingBlocks: blocksAt(Math.min(t, deadline)),
    voteOpensAt: null,
    voteClosesAt: null,
    quorum: null,
    result: null,
    escalationDueAt: null,
  };
  if (f.withdrawn && t >= new Date(f.withdrawn.at).getTime()) {
    const at = new Date(f.withdrawn.at).getTime();
    why.push(`withdrawn by ${withdrawerWords(f.withdrawn.by)} at ${new Date(at).toISOString()}: ${f.withdrawn.reason}`);
    return { ...base, standingBlocks: blocksAt(Math.min(at, deadline)), phase: 'closed', outcome: 'withdrawn', why };
  }

  let voteOpens: number | null = f.voteRequestedAt ? voteOpeningTime(f.deadline, f.voteRequestedAt).getTime() : null;
  if (voteOpens === null && t < deadline) {
    why.push(
      `lazy consensus until ${f.deadline}: silence is consent${base.standingBlocks.length ? `; ${base.standingBlocks.length === 1 ? '1 block stands so far: if it still stands' : `${base.standingBlocks.length} blocks stand so far: if one still stands`} at the deadline, a formal vote opens` : ''}`,
    );
    return { ...base, phase: 'lazy-consensus', outcome: 'pending', why };
  }
  if (voteOpens === null) {
    const standing = blocksAt(deadline);
    if (!standing.length) {
      const consents = f.responses.filter((r) => r.kind === 'consent').length;
      const concerns = f.responses.filter((r) => r.kind === 'concern').length;
      why.push(
        `no block stood at the deadline ${f.deadline}: adopted by lazy consensus (${consents} consent, ${concerns} concern; ${silenceInWords(g, f.silence)})`,
      );
      return { ...base, standingBlocks: [], phase: 'closed', outcome: 'adopted', why };
    }
    voteOpens = deadline;
    why.push(
      `${standing.length === 1 ? '1 block' : `${standing.length} blocks`} stood at the deadline, by ${standing.map((b) => nameWithHandle(b.handle, b.name ?? undefined)).join(', ')}: a formal vote opened`,
    );
  } else {
    why.push(`a vote was requested at ${new Date(voteOpens).toISOString()}`);
  }
  const closes = voteOpens + g.decisions.vote.durationDays * DAY;
  const voteOpensAt = new Date(voteOpens).toISOString();
  const voteClosesAt = new Date(closes).toISOString();
  const cast = f.votes.filter((v) => answerCountsAt(v, Math.min(t, closes)) && new Date(v.at).getTime() < closes);
  const count = (c: VoteChoice) => cast.filter((v) => v.choice === c).length;
  const needed = g.decisions.vote.quorum * f.activeEligible;
  const quorum = { needed, cast: cast.length, met: cast.length >= needed && cast.length > 0 };
  const majority = g.decisions.vote.majorities[f.matter];
  const result = {
    yes: count('yes'),
    no: count('no'),
    abstain: count('abstain'),
    passed: quorum.met && majorityPasses(majority, count('yes'), count('no')),
    rule: `${f.matter === 'routine' ? 'routine matter' : 'scope change'}: ${describeMajority(majority)}`,
  };
  if (t < closes) {
    why.push(`the vote is open until ${voteClosesAt}`);
    return {
      ...base,
      standingBlocks: blocksAt(deadline),
      phase: 'vote',
      outcome: 'pending',
      why,
      voteOpensAt,
      voteClosesAt,
      quorum,
      result: { ...result, passed: false },
    };
  }
  if (result.passed) {
    why.push(
      `the vote passed: ${result.yes} yes, ${result.no} no, ${result.abstain} abstain; quorum met with ${quorum.cast} votes cast, ${Math.ceil(needed)} needed; ${result.rule}`,
    );
    return {
      ...base,
      standingBlocks: blocksAt(deadline),
      phase: 'closed',
      outcome: 'adopted-by-vote',
      why,
      voteOpensAt,
      voteClosesAt,
      quorum,
      result,
    };
  }
  why.push(
    !quorum.met
      ? `the vote did not reach quorum (${quorum.cast} votes cast, ${Math.ceil(needed)} needed: ${g.decisions.vote.quorum * 100}% of ${f.activeEligible} active members): escalated to the ${resolverName(g, true)}`
      : `the vote did not pass (${result.yes} yes, ${result.no} no; ${result.rule}): escalated to the ${resolverName(g, true)}`,
  );
  const escalatedAt = f.escalation?.at ?? voteClosesAt;
  const escalationDueAt = addBusinessDays(escalatedAt, g.decisions.escalation.responseBusinessDays);
  if (f.escalation?.guidanceKind === 'binding') {
    why.push(
      `${f.escalation.designee ? nameWithHandle(f.escalation.designee, f.escalation.designeeName ?? undefined, '@handle') : `the designated ${resolverName(g)}`} gave binding guidance: ${f.escalation.guidance}`,
    );
    return {
      ...base,
      standingBlocks: blocksAt(deadline),
      phase: 'closed',
      outcome: 'resolved-by-escalation',
      why,
      voteOpensAt,
      voteClosesAt,
      quorum,
      result,
      escalationDueAt,
    };
  }
  if (f.escalation?.designee)
    why.push(
      `${nameWithHandle(f.escalation.designee, f.escalation.designeeName ?? undefined, '@handle')} is designated to resolve it; initial response due ${escalationDueAt}${f.escalation.guidanceKind ? ` (so far: ${guidanceWords(g, f.escalation.guidanceKind)})` : ''}`,
    );
  else why.push(`awaiting a designated ${resolverName(g)}; initial response due ${escalationDueAt}`);
  return {
    ...base,
    standingBlocks: blocksAt(deadline),
    phase: 'escalated',
    outcome: 'pending',
    why,
    voteOpensAt,
    voteClosesAt,
    quorum,
    result,
    escalationDueAt,
  };
}
