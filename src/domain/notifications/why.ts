// Why a person was told of something, in words: the inbox shows it beside each notice and a mail
// ends with it ("You get this because …"), so nobody has to guess why a notice reached them.
import type { Governance } from '../governance/schema.ts';
import { levelName, withArticle } from '../governance/words.ts';

const WHY: Record<string, string> = {
  member: 'you take part in this group',
  author: 'you are an author of this proposal',
  sponsor: 'you sponsor this proposal',
  lead: 'you lead this group',
  facilitator: 'you facilitate this topic area',
  mention: 'you were mentioned',
  reply: 'someone replied to you',
  watching: 'you watch this',
  responded: 'you answered this decision',
  voted: 'you voted on this decision',
  opener: 'you opened this decision',
  'opened-on-github': 'you opened this on GitHub',
  'note-taker': 'you keep the notes of this meeting',
  organiser: 'you organise this meeting',
  owner: 'you own an action item of this meeting',
  'input-author': 'you sent this written input',
  // a meeting moved or cancelled, to those who sent it written input (recipients.ts)
  'sent written input': 'you sent written input to this meeting',
  you: 'it is about you',
  inviter: 'you sent this invitation',
  escalation: 'your role names who resolves an escalated decision',
  'answers-leaderless': 'your role answers requests to become a member of a group with no active lead',
};

/**
 * The reason a notice was written for its reader (`reason` as the recipients rules give it), as a
 * clause; with the governance file, the member level by the community's name for it ("a voting member").
 */
export function whyTold(reason: string, kind?: string, g?: Pick<Governance, 'levelNames'>): string {
  if (reason === 'author' && (kind === 'comment-moderated' || kind === 'comment-restored'))
    return 'you wrote the comment';
  if (g && reason === 'answers-leaderless')
    return `your role answers requests to become ${withArticle(levelName(g, 'member'))} of a group with no active lead`;
  return WHY[reason] ?? reason;
}
