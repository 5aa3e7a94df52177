import { majorityShare } from '../decisions/outcome.ts';
import { checkGate } from '../proposals/gates.ts';
import { describeRule } from './permissions.ts';
import type { Governance } from './schema.ts';
import { groupKindName, levelName, levelsNamed, roleCount, roleName, withArticle } from './words.ts';

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
import { FACILITATOR_EXPECTATIONS } from '../facilitation.ts';
import { contributionSteps, firstSteps, stepText } from './getting-started.ts';

export type RuleSection = { title: string; rules: string[] };

/** The group sponsorship rule in words: "2 core maintainers or 1 lead maintainer". */
export function sponsorshipInWords(g: Governance): string {
  return g.groups.sponsorship.anyOf.map((s) => roleCount(g, s.role, s.count)).join(' or ');
}

/** The rules in force, in plain words: printed by `wghub governance show` and on "How we work". */
export function describeGovernance(g: Governance): RuleSection[] {
  const sponsorship = sponsorshipInWords(g);
  return [
    {
      title: 'Getting started',
      rules: [
        ...firstSteps(g).map((s, i) => `${i + 1}. ${stepText(s)}`),
        `A common route to a high-quality contribution to the specification: ${contributionSteps(g)
          .map((s, i) => `${i + 1}. ${stepText(s)}`)
          .join(' ')}`,
      ],
    },
    {
      title: 'Before contributing',
      rules: [
        `Accept the ${g.agreements.codeOfConduct.title} (version ${g.agreements.codeOfConduct.version}): ${g.agreements.codeOfConduct.url}`,
        `Accept the contribution terms: ${g.agreements.contributionTerms.title} (version ${g.agreements.contributionTerms.version}): ${g.agreements.contributionTerms.url}`,
        'Nobody can propose, comment or respond to a decision before accepting both; acceptance is recorded with its date and the version accepted.',
        `Where content is added (a proposal, a comment, evidence, written input), the form says: ${g.agreements.contributionTerms.note}`,
      ],
    },
    {
      title: 'Groups',
      rules: [
        `A group and its leadership must be sponsored by at least ${sponsorship}.`,
        `Leads and facilitators hold at least the ${roleName(g, g.groups.leadMinimumRole)} role on the contributor ladder.`,
        ...g.groups.transitions.map(
          (t) =>
            `${t.from} → ${t.to}: by ${describeRule(g, t.allowed)}${t.requiresSponsorship ? `, once the sponsorship rule is met` : ''}.`,
        ),
        'Every topic area says its goal: agree common patterns, change the specification, or both.',
        // "group lead" below reads as a group's leads only: the hub also counts a topic area's facilitators
        "A topic area's facilitators count as the group's leads for that topic area: where a rule below names a group lead, they may do it for the topic area itself, its meetings and its proposals' moves along the route.",
      ],
    },
    { title: 'The ideal topic facilitator', rules: [...FACILITATOR_EXPECTATIONS] },
    {
      title: 'Membership',
      rules: [
        `Participation levels, lowest first: ${g.membership.levels.map((l) => levelName(g, l)).join(', ')}.`,
        `Anyone may join a group as ${levelsNamed(g, g.membership.selfServiceLevels)}; other levels are granted.`,
        `${capitalised(levelsNamed(g, g.membership.decayingLevels, 'and', true))} who do not participate for ${g.membership.inactivityDays} days become emeritus, and return by participating again.`,
      ],
    },
    {
      title: 'Meetings',
      rules: [
        `Meetings are listed at least ${g.meetings.noticeDays} days ahead; a meeting listed with less notice is flagged.`,
        `Notes are published within ${g.meetings.notesHours} hours of a meeting's end; later ones are listed as late.`,
        `${capitalised(groupKindName(g, 'working'))}s post a quarterly update at the end of months ${g.meetings.quarterlyUpdateMonths.join(', ')}.`,
        `Fair times assume working hours ${g.meetings.workingHours.start}–${g.meetings.workingHours.end} and sleeping hours ${g.meetings.sleepingHours.start}–${g.meetings.sleepingHours.end} local time unless a participant gives their own, on working days ${g.meetings.workingDays.join(', ')} in each person's own time zone (a slot that falls on another day where someone is counts as the worst for them).`,
      ],
    },
    { title: 'Contributions', rules: contributions(g) },
    { title: 'Decisions', rules: decisions(g) },
    {
      title: 'Who may do what',
      rules: Object.entries(g.permissions).map(([name, rule]) => `${name}: ${describeRule(g, rule)}`),
    },
  ];
}

const NO_FACTS = { problem: '', examples: [], supporters: [], evidence: [], priorArtifacts: [] };

/** The routes, their gated moves, and each layer's barrier to change, in the gates' own words. */
function contributions(g: Governance): string[] {
  const p = g.proposals;
  const routes = Object.values(p.routes).map((r) => {
    const open = r.stages.filter((s) => !r.closed.includes(s));
    const gated = [...new Set(r.transitions.filter((t) => t.gate).map((t) => t.to))];
    const steps = r.stages
      .filter((s) => r.guidance?.[s])
      .map((s) => `${r.title}, at ${s.replace(/-/g, ' ')}: ${r.guidance![s]}`);
    return [
      `${r.title}: ${open.join(' → ')}; it ends as ${r.closed.join(', ')}.${gated.length ? ` A move to ${gated.join(' or ')} checks the proposal's layer first.` : ''}`,
      ...steps,
    ];
  });
  return [
    ...routes.flat(),
    ...p.layers.map(
      (l) =>
        `The ${l.title} layer's barrier to change: ${
          checkGate(g, l.id, NO_FACTS)
            .conditions.map((c) => c.condition)
            .join('; ') || 'no conditions'
        }.${l.pullRequests ? ` Its pull requests are opened at ${l.pullRequests}.` : ''}`,
    ),
  ];
}

/** Consensus managed by objection, then a vote, then escalation. */
function decisions(g: Governance): string[] {
  const d = g.decisions;
  return [
    `Decisions are consensus managed by objection: lazy consensus until a deadline at least ${d.minimumDays.minor} days away for minor items and ${d.minimumDays.significant} for significant ones; silence is consent.`,
    // the decision's proof lists who this leaves out (notified.uncounted): the rule said where it is read
    `A member's silence is counted as consent only when they were told of the decision at least ${d.noticeHours} ${d.noticeHours === 1 ? 'hour' : 'hours'} before its deadline, since their voice began (joining, a new level, a return from a lapse); the decision lists those not informed in time.`,
    'A concern carries a "yes, and" amendment and does not block; a block is a documented objection: it gives its reason and an alternative or criteria for resolving it.',
    `The responses of a group ${levelsNamed(g, d.eligibleLevels)} count; others are shown as advisory.`,
    `A block standing at the deadline, a lead, or ${d.vote.memberRequests} members asking open a ${d.vote.durationDays}-day vote; its quorum is ${Math.round(d.vote.quorum * 100)}% of the active members, and routine matters pass with ${majorityShare(d.vote.majorities.routine)} of the yes and no votes, scope changes with ${majorityShare(d.vote.majorities['scope-change'])}.`,
    `A failed vote escalates to ${withArticle(roleName(g, d.escalation.candidateRole))} who shares no organisation with the parties, with a first answer within ${d.escalation.responseBusinessDays} business days.`,
    `One organisation's voices together weigh at most ${d.weighting.organisationCap}; a warning shows when one organisation holds more than ${Math.round(d.weighting.dominanceShare * 100)}% of the voices.`,
  ];
}
