import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import {
  whyConflicted,
  addBusinessDays,
  decisionState,
  escalationCandidates,
  extendedBy,
  extensionHoursIssues,
  extensionIssues,
  extensionToInform,
  extensionToInformAdvice,
  majorityPasses,
  stateOnRecord,
  weighVoices,
  type DecisionFacts,
  type VoteFact,
} from '../../src/domain/decisions/index.ts';
import { silenceCounts } from '../../src/domain/decisions/informed.ts';
import { decisionPolicy, type Viewer } from '../../src/domain/policies/index.ts';

const g = loadGovernance();
const base: DecisionFacts = {
  openedAt: '2026-03-02T12:00:00.000Z',
  deadline: '2026-03-07T12:00:00.000Z',
  matter: 'routine',
  voteRequestedAt: null,
  responses: [],
  votes: [],
  activeEligible: 6,
  escalation: null,
  withdrawn: null,
};
const at = (iso: string) => new Date(iso);
const block = {
  handle: 'bo',
  kind: 'block' as const,
  organisation: 'Nebula',
  eligible: true,
  at: '2026-03-03T00:00:00.000Z',
  reason: 'breaks clients',
  alternative: 'make it opt-in',
};
const votes = (yes: number, no: number, abstain = 0): VoteFact[] =>
  [...Array(yes).fill('yes'), ...Array(no).fill('no'), ...Array(abstain).fill('abstain')].map((choice, i) => ({
    handle: `v${i}`,
    choice,
    organisation: `Org${i}`,
    eligible: true,
    at: '2026-03-08T00:00:00.000Z',
  }));

describe('lazy consensus', () => {
  it('silence is consent: adopted at the deadline minute, pending one minute before', () => {
    expect(decisionState(g, base, at('2026-03-07T11:59:00Z'))).toMatchObject({
      phase: 'lazy-consensus',
      outcome: 'pending',
    });
    const s = decisionState(g, base, at('2026-03-07T12:00:00Z'));
    expect(s).toMatchObject({ phase: 'closed', outcome: 'adopted' });
    // not told whose silence counted, it claims no more than the rule
    expect(s.why[0]).toContain('the silence of those informed of it in time counted as consent');
  });

  it("an adoption says whose silence counted and whose did not, in the community's names for the levels", () => {
    const closes = at('2026-03-07T12:00:00Z');
    const said = (silence: DecisionFacts['silence'], words = g) =>
      decisionState(words, { ...base, silence }, closes).why[0];
    expect(said({ counted: 3, uncounted: 0 })).toBe(
      'no block stood at the deadline 2026-03-07T12:00:00.000Z: adopted by lazy consensus (0 consent, 0 concern; the silence of 3 members or leads counted as consent)',
    );
    expect(said({ counted: 2, uncounted: 1 })).toContain(
      '(0 consent, 0 concern; the silence of 2 members or leads counted as consent; that of 1 member or lead was not counted, as they were not informed of it in time)',
    );
    expect(said({ counted: 0, uncounted: 2 })).toContain(
      '; the silence of 2 members or leads was not counted, as they were not informed of it in time)',
    );
    expect(said({ counted: 0, uncounted: 0 })).toContain('(0 consent, 0 concern; nobody stayed silent)');
    const named = { ...g, levelNames: { member: 'voting member', lead: 'chair' } };
    expect(said({ counted: 1, uncounted: 1 }, named)).toContain(
      'the silence of 1 voting member or chair counted as consent; that of 1 voting member or chair was not counted',
    );
  });

  it('a concern does not block; a block standing at the deadline opens a vote', () => {
    const concern = { ...block, kind: 'concern' as const };
    expect(decisionState(g, { ...base, responses: [concern] }, at('2026-03-08Z')).outcome).toBe('adopted');
    const s = decisionState(g, { ...base, responses: [block] }, at('2026-03-08T00:00:00Z'));
    expect(s).toMatchObject({
      phase: 'vote',
      voteOpensAt: '2026-03-07T12:00:00.000Z',
      voteClosesAt: '2026-03-14T12:00:00.000Z',
    });
    expect(s.why[0]).toMatch(/^1 block stood at the deadline, by \w+: a formal vote opened$/);
    const two = decisionState(g, { ...base, responses: [block, { ...block, handle: 'zed' }] }, at('2026-03-08Z'));
    expect(two.why[0]).toMatch(/^2 blocks stood at the deadline/);
  });

  it('blocks from people whose level does not count are advisory', () => {
    expect(decisionState(g, { ...base, responses: [{ ...block, eligible: false }] }, at('2026-03-08Z')).outcome).toBe(
      'adopted',
    );
  });
});

describe('votes', () => {
  const voting = { ...base, responses: [block] };
  const closed = at('2026-03-14T12:00:00Z');
  it('quorum is met at exactly half of the active members', () => {
    const s = decisionState(g, { ...voting, votes: votes(2, 1) }, closed);
    expect(s.quorum).toEqual({ needed: 3, cast: 3, met: true });
    expect(s.outcome).toBe('adopted-by-vote');
    const short = decisionState(g, { ...voting, votes: votes(2, 0) }, closed);
    expect(short).toMatchObject({ phase: 'escalated', quorum: { met: false } });
    expect(short.why.at(-2)).toContain('did not reach quorum (2 votes cast, 3 needed');
  });

  it('a routine matter needs more than half; a tie fails', () => {
    expect(decisionState(g, { ...voting, votes: votes(2, 2) }, closed)).toMatchObject({
      phase: 'escalated',
      result: { passed: false },
    });
    expect(decisionState(g, { ...voting, votes: votes(3, 2) }, closed).outcome).toBe('adopted-by-vote');
  });

  it('a scope change needs two thirds: exactly two thirds passes, just under fails', () => {
    const scope = { ...voting, matter: 'scope-change' as const };
    expect(decisionState(g, { ...scope, votes: votes(4, 2) }, closed).outcome).toBe('adopted-by-vote');
    expect(decisionState(g, { ...scope, votes: votes(3, 2) }, closed).outcome).toBe('pending');
    expect(majorityPasses({ atLeast: [2, 3] }, 2, 1)).toBe(true);
    expect(majorityPasses({ atLeast: [2, 3] }, 199, 101)).toBe(false);
  });

  it('ineligible votes and votes after the close do not count', () => {
    const v = votes(3, 0).map((x, i) =>
      i === 0 ? { ...x, eligible: false } : i === 1 ? { ...x, at: '2026-03-14T12:00:00.000Z' } : x,
    );
    expect(decisionState(g, { ...voting, votes: v }, closed).quorum).toMatchObject({ cast: 1, met: false });
  });

  it('a requested vote opens at once, before the deadline', () => {
    const s = decisionState(g, { ...base, voteRequestedAt: '2026-03-04T00:00:00.000Z' }, at('2026-03-05Z'));
    expect(s).toMatchObject({ phase: 'vote', voteOpensAt: '2026-03-04T00:00:00.000Z' });
  });
});

describe('escalation', () => {
  it('is due within five business days, and closes with binding guidance', () => {
    expect(addBusinessDays('2026-03-13T12:00:00.000Z', 5)).toBe('2026-03-20T12:00:00.000Z'); // Friday → next Friday
    const failed = { ...base, responses: [block], votes: votes(1, 2) };
    const s = decisionState(
      g,
      {
        ...failed,
        escalation: { at: '2026-03-14T12:00:00.000Z', designee: 'kai', guidance: null, guidanceKind: null },
      },
      at('2026-03-15Z'),
    );
    expect(s).toMatchObject({ phase: 'escalated', escalationDueAt: '2026-03-20T12:00:00.000Z' });
    const done = decisionState(
      g,
      {
        ...failed,
        escalation: {
          at: '2026-03-14T12:00:00.000Z',
          designee: 'kai',
          guidance: 'Make it opt-in',
          guidanceKind: 'binding',
        },
      },
      at('2026-03-16Z'),
    );
    expect(done).toMatchObject({ phase: 'closed', outcome: 'resolved-by-escalation' });
  });

  it('candidates share no organisation with the parties', () => {
    const r = escalationCandidates(
      [
        { handle: 'kai', organisations: ['Nebula'] },
        { handle: 'ines', organisations: ['Lisbon Labs'] },
        { handle: 'lena', organisations: [] },
        { handle: 'bo', organisations: [] },
      ],
      [
        { handle: 'bo', organisations: ['nebula'] },
        { handle: 'ada', organisations: ['Acme'] },
      ],
    );
    expect(r.eligible.map((c) => c.handle)).toEqual(['ines', 'lena']);
    expect(r.conflicted).toEqual([
      { handle: 'kai', shares: ['Nebula'] },
      { handle: 'bo', shares: ['is a party'] },
    ]);
    // beside each name, why they may not resolve it
    expect(r.conflicted.map(whyConflicted)).toEqual(['shares Nebula', 'a party to the disagreement']);
  });
});

describe('voices weighed by organisation', () => {
  it('an organisation’s voices together weigh one; the dominant one is named', () => {
    const t = weighVoices(g, [
      { handle: 'a', kind: 'consent', organisation: 'Galactic Hosting Corporation' },
      { handle: 'b', kind: 'consent', organisation: 'Galactic Hosting Corporation' },
      { handle: 'c', kind: 'consent', organisation: 'galactic hosting corporation' },
      { handle: 'd', kind: 'block', organisation: 'Nebula' },
      { handle: 'e', kind: 'block', organisation: null },
    ]);
    expect(t.raw).toEqual({ consent: 3, block: 2 });
    expect(t.weighted).toEqual({ consent: 1, block: 2 });
    expect(t.warnings).toEqual([
      '3 of 5 voices come from Galactic Hosting Corporation (more than 50%): together they weigh as one organisation; seek views from other organisations',
    ]);
  });

  it('where the rules let one organisation weigh 2, the warning says so, not "as one"', () => {
    const two = { ...g, decisions: { ...g.decisions, weighting: { ...g.decisions.weighting, organisationCap: 2 } } };
    const t = weighVoices(two, [
      { handle: 'a', kind: 'consent', organisation: 'Acme' },
      { handle: 'b', kind: 'consent', organisation: 'Acme' },
      { handle: 'c', kind: 'consent', organisation: 'Acme' },
      { handle: 'd', kind: 'block', organisation: null },
    ]);
    expect(t.weighted).toEqual({ consent: 2, block: 1 });
    expect(t.warnings).toEqual([
      '3 of 4 voices come from Acme (more than 50%): together they weigh at most 2; seek views from other organisations',
    ]);
  });
});

describe('withdrawal', () => {
  const withdrawn = { at: '2026-03-04T10:00:00.000Z', by: 'sam', reason: 'A duplicate of D-3' };

  it('closes the decision as withdrawn from the moment it is withdrawn, saying who, when and why', () => {
    const f = { ...base, responses: [block], withdrawn };
    expect(decisionState(g, f, at('2026-03-04T09:59:00Z'))).toMatchObject({ phase: 'lazy-consensus' });
    const s = decisionState(g, f, at('2026-03-04T10:00:00Z'));
    expect(s).toMatchObject({ phase: 'closed', outcome: 'withdrawn' });
    expect(s.why).toEqual(['withdrawn by sam at 2026-03-04T10:00:00.000Z: A duplicate of D-3']);
    // long after the deadline, with a block that would have opened a vote: still withdrawn, no vote
    expect(decisionState(g, f, at('2026-04-01T00:00:00Z'))).toMatchObject({
      phase: 'closed',
      outcome: 'withdrawn',
      voteOpensAt: null,
    });
  });

  it('may be withdrawn while open, during a vote or escalation too, by its opener or a group lead; not once closed', () => {
    const facts = {
      phase: 'vote' as const,
      voteRequested: true,
      responded: false,
      designated: false,
      withdrawn: false,
    };
    const member: Viewer = { kind: 'person', handle: 'bo', role: 'contributor', agreed: true };
    expect(decisionPolicy(g, member, { groupLevel: 'member' }, facts).withdraw).toEqual({
      allowed: false,
      reason: 'Only whoever opened it or a group lead may withdraw this decision',
    });
    expect(decisionPolicy(g, member, { groupLevel: 'member', relations: ['author'] }, facts).withdraw.allowed).toBe(
      true,
    );
    expect(decisionPolicy(g, member, { groupLevel: 'lead' }, facts).withdraw.allowed).toBe(true);
    expect(decisionPolicy(g, { kind: 'operator' }, {}, { ...facts, phase: 'escalated' }).withdraw.allowed).toBe(true);
    expect(decisionPolicy(g, member, { groupLevel: 'lead' }, { ...facts, phase: 'closed' }).withdraw).toEqual({
      allowed: false,
      reason: 'The decision is closed',
    });
    const gone = decisionPolicy(g, member, { groupLevel: 'lead' }, { ...facts, phase: 'closed', withdrawn: true });
    expect(gone.withdraw).toMatchObject({ reason: 'The decision is already withdrawn' });
    expect(gone.vote).toMatchObject({ reason: 'The decision was withdrawn' });
    expect(gone.respond).toMatchObject({ reason: 'The decision was withdrawn' });
  });
});

describe('extending the deadline', () => {
  const facts = {
    phase: 'lazy-consensus' as const,
    voteRequested: false,
    responded: false,
    designated: false,
    withdrawn: false,
  };
  const member: Viewer = { kind: 'person', handle: 'bo', role: 'contributor', agreed: true };

  it('is for its opener or a group lead (the operator too), only while lazy consensus runs', () => {
    expect(decisionPolicy(g, member, { groupLevel: 'member' }, facts).extend).toEqual({
      allowed: false,
      reason: "Only whoever opened it or a group lead may extend this decision's deadline",
    });
    expect(decisionPolicy(g, member, { groupLevel: 'member', relations: ['author'] }, facts).extend.allowed).toBe(true);
    expect(decisionPolicy(g, member, { groupLevel: 'lead' }, facts).extend.allowed).toBe(true);
    expect(decisionPolicy(g, { kind: 'operator' }, {}, facts).extend.allowed).toBe(true);
    // the state of the thing first: a lead is refused in words once it is not under lazy consensus
    for (const phase of ['vote', 'escalated', 'closed'] as const)
      expect(decisionPolicy(g, member, { groupLevel: 'lead' }, { ...facts, phase }).extend).toMatchObject({
        allowed: false,
        reason: expect.stringMatching(/^(A vote is open|The decision is escalated|The decision is closed)/),
      });
    expect(
      decisionPolicy(g, member, { groupLevel: 'lead' }, { ...facts, phase: 'closed', withdrawn: true }).extend,
    ).toEqual({ allowed: false, reason: 'The decision was withdrawn' });
  });

  it('moves it later, at most LIMITS.decisionExtensionDays from now, naming deadline otherwise', () => {
    const now = at('2026-03-03T12:00:00Z');
    expect(extensionIssues(base.deadline, '2026-03-10T12:00:00Z', now)).toEqual([]);
    expect(extensionIssues(base.deadline, '2026-04-02T12:00:00Z', now)).toEqual([]);
    expect(extensionIssues(base.deadline, '2026-03-07T12:00:00Z', now)).toEqual([
      {
        field: 'deadline',
        rule: 'must be later than the current deadline (2026-03-07T12:00:00.000Z): an extension gives more time, never less',
      },
    ]);
    expect(extensionIssues(base.deadline, '2026-04-02T12:00:01Z', now)).toEqual([
      {
        field: 'deadline',
        rule: 'must be at most 30 days from now (the latest is 2026-04-02T12:00:00.000Z); extend it again nearer the time if more is needed',
      },
    ]);
  });
});

describe('the extension that lets members be told in time', () => {
  it('is the fewest whole hours after which a notice sent now comes noticeHours before the deadline', () => {
    // 5 hours before a 12:00 deadline, a day's notice needs it 19 hours later
    expect(extensionToInform(base.deadline, at('2026-03-07T07:00:00Z'), 24)).toEqual({
      hours: 19,
      deadline: '2026-03-08T07:00:00.000Z',
      within: true,
      most: 715,
    });
    // a part of an hour more is a whole hour more
    expect(extensionToInform(base.deadline, at('2026-03-07T07:00:01Z'), 24)).toMatchObject({
      hours: 20,
      deadline: '2026-03-08T08:00:00.000Z',
    });
    // already far enough away (a member never told): any extension's notice would do, and one hour is the least
    expect(extensionToInform(base.deadline, at('2026-03-03T12:00:00Z'), 24)).toMatchObject({ hours: 1 });
  });

  it('agrees with the rule of informed silence: extended by that many, a notice sent now counts; one hour fewer, it does not', () => {
    for (const now of ['2026-03-07T07:00:00Z', '2026-03-07T11:59:59Z', '2026-03-06T20:30:00Z', '2026-03-05T12:00:00Z'])
      for (const noticeHours of [1, 24, 72, 336]) {
        const e = extensionToInform(base.deadline, at(now), noticeHours);
        const told = { voiceSince: now, toldAt: [now], muted: false };
        expect(silenceCounts(told, e.deadline, noticeHours), `${now}, ${noticeHours} h`).toEqual({ counts: true });
        if (e.hours > 1)
          expect(silenceCounts(told, extendedBy(base.deadline, e.hours - 1), noticeHours).counts).toBe(false);
      }
  });

  it('respects LIMITS.decisionExtensionDays: past it, not within, with the most hours allowed now', () => {
    const now = at('2026-03-03T12:00:00Z');
    // four days to the deadline: 30 days from now is 624 hours after it
    expect(extensionToInform(base.deadline, now, 30 * 24)).toEqual({
      hours: 624,
      deadline: '2026-04-02T12:00:00.000Z',
      within: true,
      most: 624,
    });
    expect(extensionToInform(base.deadline, now, 30 * 24 + 1)).toMatchObject({ hours: 625, within: false, most: 624 });
    expect(extensionHoursIssues(base.deadline, 624, now)).toEqual([]);
    expect(extensionHoursIssues(base.deadline, 625, now)).toEqual([
      {
        field: 'hours',
        rule: 'must be at most 624 now: the deadline may be at most 30 days from now (the latest is 2026-04-02T12:00:00.000Z); extend it again nearer the time if more is needed',
      },
    ]);
  });

  it('says it in plain words, naming whom it would let be told in time', () => {
    const e = extensionToInform(base.deadline, at('2026-03-07T07:00:00Z'), 24);
    expect(extensionToInformAdvice(['Cy (@cy)'], e, 24)).toBe(
      "Extending the deadline by at least 19 hours (to 2026-03-08T07:00:00.000Z or later) would let Cy (@cy) be told in time: the extension's own notice, sent now, would come at least 24 hours before the new deadline, and their silence would then count as consent.",
    );
    expect(
      extensionToInformAdvice(['Cy (@cy)', 'Di (@di)', 'Ed (@ed)'], { ...e, hours: 1 }, 1).startsWith(
        'Extending the deadline by at least 1 hour (',
      ),
    ).toBe(true);
    expect(extensionToInformAdvice(['Cy (@cy)', 'Di (@di)', 'Ed (@ed)'], e, 24)).toContain(
      'would let Cy (@cy), Di (@di) and Ed (@ed) be told in time',
    );
    expect(
      extensionToInformAdvice(['Cy (@cy)'], extensionToInform(base.deadline, at('2026-03-03T12:00:00Z'), 721), 721),
    ).toBe(
      'No extension allowed now would let Cy (@cy) be told in time: a notice counts only when it comes 721 hours before the deadline, and the deadline may be at most 30 days from now (624 hours more at most); their silence will not count as consent.',
    );
  });
});

describe('the state on record', () => {
  // a process whose clock is 2 s behind the one whose close job recorded the vote opening
  const behind = at('2026-03-07T11:59:58Z');
  const blocked = { ...base, responses: [block] };

  it('a recorded later phase is read as the decision stood when that phase began', () => {
    expect(decisionState(g, blocked, behind).phase).toBe('lazy-consensus');
    const { state, at: read } = stateOnRecord(g, 'vote:pending', blocked, behind);
    expect(read.toISOString()).toBe('2026-03-07T12:00:00.000Z');
    expect(state).toMatchObject({ phase: 'vote', voteClosesAt: '2026-03-14T12:00:00.000Z' });
  });

  it('with nothing recorded, or a phase this clock has passed, the clock decides', () => {
    expect(stateOnRecord(g, null, blocked, behind)).toMatchObject({ state: { phase: 'lazy-consensus' }, at: behind });
    const later = at('2026-03-08T00:00:00Z');
    expect(stateOnRecord(g, 'lazy-consensus:pending', blocked, later)).toMatchObject({
      state: { phase: 'vote' },
      at: later,
    });
  });
});
