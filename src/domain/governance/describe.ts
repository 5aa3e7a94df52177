import { describeRule } from './permissions.ts';
import type { Governance } from './schema.ts';

export type RuleSection = { title: string; rules: string[] };

/** The rules in force, in plain words: printed by `wghub governance show` and on "How we work". */
export function describeGovernance(g: Governance): RuleSection[] {
  const sponsorship = g.groups.sponsorship.anyOf
    .map((s) => `${s.count} ${s.role.replace('-', ' ')}${s.count > 1 ? 's' : ''}`)
    .join(' or ');
  return [
    {
      title: 'Before contributing',
      rules: [
        `Accept the ${g.agreements.codeOfConduct.title} (version ${g.agreements.codeOfConduct.version}): ${g.agreements.codeOfConduct.url}`,
        `Accept the contribution terms: ${g.agreements.contributionTerms.title} (version ${g.agreements.contributionTerms.version}): ${g.agreements.contributionTerms.url}`,
        'Nobody can propose, comment or respond to a decision before accepting both; acceptance is recorded with its date and the version accepted.',
      ],
    },
    {
      title: 'Groups',
      rules: [
        `A group and its leadership must be sponsored by at least ${sponsorship}.`,
        `Leads and facilitators hold at least the ${g.groups.leadMinimumRole.replace('-', ' ')} role on the contributor ladder.`,
        ...g.groups.transitions.map(
          (t) =>
            `${t.from} → ${t.to}: by ${describeRule(t.allowed)}${t.requiresSponsorship ? `, once the sponsorship rule is met` : ''}.`,
        ),
        'Every topic area says its goal: agree common patterns, change the specification, or both.',
      ],
    },
    {
      title: 'Membership',
      rules: [
        `Participation levels, lowest first: ${g.membership.levels.join(', ')}.`,
        `Anyone may join a group as ${g.membership.selfServiceLevels.join(' or ')}; other levels are granted.`,
        `${g.membership.decayingLevels.join(', ')} who do not participate for ${g.membership.inactivityDays} days become emeritus, and return by participating again.`,
      ],
    },
    {
      title: 'Meetings',
      rules: [
        `Meetings are listed at least ${g.meetings.noticeDays} days ahead; a meeting listed with less notice is flagged.`,
        `Notes are published within ${g.meetings.notesHours} hours of a meeting's end; later ones are listed as late.`,
        `Working groups post a quarterly update at the end of months ${g.meetings.quarterlyUpdateMonths.join(', ')}.`,
        `Fair times assume working hours ${g.meetings.workingHours.start}–${g.meetings.workingHours.end} and sleeping hours ${g.meetings.sleepingHours.start}–${g.meetings.sleepingHours.end} local time unless a participant gives their own.`,
      ],
    },
    {
      title: 'Who may do what',
      rules: Object.entries(g.permissions).map(([name, rule]) => `${name}: ${describeRule(rule)}`),
    },
  ];
}
