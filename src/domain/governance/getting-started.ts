// The guide's "Getting Started" in the community's own words, with its links from the governance
// file (`gettingStarted`): the newcomer's first steps and the common route to a contribution. The
// welcome page shows them with links; How we work and `wghub governance show` as text.
import type { Governance } from './schema.ts';

/** One step: words, then perhaps a link (or the words for it when the file names none), then words. */
export type Step = { before: string; link?: { title: string; url: string } | string; after: string };

/** The newcomer's first steps (the guide's "To get started"). */
export function firstSteps(g: Governance): Step[] {
  const s = g.gettingStarted;
  return [
    { before: 'Read the ', link: s.specification ?? `${g.community.protocol} specification`, after: '.' },
    {
      before: 'Engage with the protocol and your use cases to build familiarity with its capabilities and scope.',
      after: '',
    },
    { before: 'Join us on the ', link: s.chat ?? "community's chat", after: '.' },
    s.ideas
      ? {
          before: 'Start contributing to open conversations, or suggest new topic areas in ',
          link: s.ideas,
          after: '.',
        }
      : { before: 'Start contributing to open conversations, or suggest new topic areas to a group.', after: '' },
  ];
}

/** The guide's common route to a high-quality contribution to the specification, in six steps. */
export function contributionSteps(g: Governance): Step[] {
  const s = g.gettingStarted;
  const chat = s.chat ?? "community's chat";
  const p = g.community.protocol;
  return [
    {
      before:
        'Ensure there is no pre-existing work on your contribution idea (search, and the prior-work check of a new proposal).',
      after: '',
    },
    { before: 'Raise it for discussion with others on the ', link: chat, after: '.' },
    {
      before: 'Coordinate with the moderators to get your initiative added to the ',
      link: s.tracker ?? 'project tracker',
      after: '.',
    },
    { before: `Start a thread on the official ${p} `, link: s.forum ?? 'discussion forum', after: '.' },
    {
      before: 'Use the ',
      link: chat,
      after:
        ' to refine thinking and request community engagement with your discussion, optionally including collaboration on artifacts.',
    },
    {
      before: `Finally, open a pull request on the relevant official ${p} repository explaining the collaboration that has occurred to date, for review by the core team.`,
      after: '',
    },
  ];
}

/** A step as one line of text, a link's address in brackets after its title. */
export function stepText(step: Step): string {
  const link =
    step.link === undefined ? '' : typeof step.link === 'string' ? step.link : `${step.link.title} (${step.link.url})`;
  return `${step.before}${link}${step.after}`;
}
