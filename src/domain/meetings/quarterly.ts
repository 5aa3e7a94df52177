// Working groups report quarterly ("end of January, April, July, October", by default) on progress
// against deliverables, blocked items and escalations, membership changes, upcoming priorities and
// resource needs. This drafts the update from what the hub recorded, for a lead to edit.

import { LIMITS } from '../limits.ts';
import { withArticle } from '../governance/words.ts';
import { markdownLine } from '../text.ts';

/** The period an update due in a month covers: from the end of the previous due month to the end of this one. */
export function quarterPeriod(
  dueMonths: number[],
  dueYear: number,
  dueMonth: number,
): { from: string; to: string; dueOn: string } {
  if (!dueMonths.includes(dueMonth))
    throw new Error(`updates are due in months ${dueMonths.join(', ')}, not ${dueMonth}`);
  const i = dueMonths.indexOf(dueMonth);
  const prev = i > 0 ? { y: dueYear, m: dueMonths[i - 1]! } : { y: dueYear - 1, m: dueMonths.at(-1)! };
  const from = new Date(Date.UTC(prev.y, prev.m, 1)); // the first day after the previous due month
  const to = new Date(Date.UTC(dueYear, dueMonth, 1)); // exclusive
  const dueOn = new Date(to.getTime() - 86_400_000);
  return { from: from.toISOString(), to: to.toISOString(), dueOn: dueOn.toISOString().slice(0, 10) };
}

/** The next update due at or after a moment: this month if it is a due month, else the next due month. */
export function nextDue(dueMonths: number[], now: Date): { year: number; month: number } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const month = dueMonths.find((d) => d >= m);
  return month ? { year: y, month } : { year: y + 1, month: dueMonths[0]! };
}

export type QuarterFacts = {
  group: { slug: string; name: string };
  period: { from: string; to: string; dueOn: string };
  deliverables: { item: string; status: string; targetDate: string; champion: string }[];
  landed: { ref: string; title: string; stage: string }[];
  stageMoves: { ref: string; title: string; from: string; to: string; at: string }[];
  decisions: { ref: string; question: string; phase: string; outcome: string }[];
  /** `why` in words with handles ("blocked by @ana"); `kind` and `by` are what the draft names them from. */
  blocked: { ref: string; question: string; why: string; kind: 'blocked' | 'escalated'; by: string[] }[];
  meetings: { ref: string; title: string; kind: string; startsAt: string; attendance: number; notes: string }[];
  membership: { at: string; handle: string; change: string }[];
  openActions: { owner: string; description: string; due: string; meeting: string }[];
  upcomingMeetings: { ref: string; title: string; startsAt: string }[];
  /**
   * What the draft did not read (LIMITS.quarterlyUpdate): earlier decisions of the group, opened before
   * the latest it read, open action items due after those it lists, and meetings held in the quarter
   * before the latest it lists.
   */
  notRead: { decisions: number; openActions: number; meetings: number };
  /** The name of each person the update mentions, by handle: "Ana Lima (@ana)" reads better than "@ana". */
  names: Record<string, string>;
};

/**
 * A person as the update mentions them: their name, and the @handle that GitHub links. The name is
 * its owner's to choose: a word joiner after each @ and in each web address keeps one from
 * mentioning others or linking anywhere once the update is posted ("@everyone", "https://…").
 */
const person = (f: QuarterFacts, handle: string) =>
  f.names[handle] ? `${inert(markdownLine(f.names[handle]))} (@${handle})` : `@${handle}`;
const inert = (name: string) =>
  name
    .replace(/@/g, '@\u2060')
    .replace(/:\/\//g, ':\u2060//')
    .replace(/www\./gi, (w) => `${w.slice(0, 3)}\u2060.`);

const day = (iso: string) => iso.slice(0, 10);
const list = <T>(xs: T[], f: (x: T) => string, empty: string) =>
  xs.length ? xs.map((x) => `- ${f(x)}`) : [`- ${empty}`];

/** The community's words the draft uses: its kind of group as a heading names it, and who resolves an escalation. */
export type QuarterWords = { groupKind: string; resolver: string };
const MCP_WORDS: QuarterWords = { groupKind: 'Working Group', resolver: 'core maintainer' };

export function renderQuarterly(f: QuarterFacts, words: QuarterWords = MCP_WORDS): string {
  const last = day(new Date(Date.parse(f.period.to) - 1).toISOString());
  const out: string[] = [
    `# ${markdownLine(f.group.name)} ${words.groupKind}: quarterly update`,
    '',
    `_Covers ${day(f.period.from)} to ${last}; due ${f.period.dueOn}. Drafted by wghub from the group's record: edit before posting._`,
    '',
    '## Progress against deliverables',
    '',
  ];
  if (f.deliverables.length) {
    out.push('| Deliverable | Status | Target date | Champion |', '| --- | --- | --- | --- |');
    for (const d of f.deliverables) out.push(`| ${d.item} | ${d.status} | ${d.targetDate} | ${d.champion} |`);
    out.push('');
  }
  out.push(
    ...list(
      f.landed,
      (l) => `${l.ref} ${markdownLine(l.title)}: reached ${l.stage}`,
      f.deliverables.length
        ? 'No contribution landed this quarter.'
        : 'No deliverables in the charter and no contribution landed this quarter.',
    ),
    '',
  );
  out.push(
    '### Stage moves',
    '',
    ...list(
      f.stageMoves,
      (s) =>
        `${day(s.at)}: ${s.ref} ${markdownLine(s.title)}: ${s.from.replace(/-/g, ' ')} → ${s.to.replace(/-/g, ' ')}`,
      'None.',
    ),
    '',
  );
  out.push(
    '### Decisions',
    '',
    ...list(
      f.decisions,
      (d) => `${d.ref} ${markdownLine(d.question)}: ${d.outcome === 'pending' ? `open (${d.phase})` : d.outcome}`,
      'None opened this quarter.',
    ),
    ...(f.notRead.decisions
      ? [
          `- ${f.notRead.decisions} earlier ${f.notRead.decisions === 1 ? 'decision' : 'decisions'} of the group not read for this draft (it reads the latest ${LIMITS.quarterlyUpdate.decisions}): see the group's decisions for any this quarter touched.`,
        ]
      : []),
    '',
  );
  out.push(
    '## Blocked items and escalations',
    '',
    ...list(
      f.blocked,
      (b) =>
        `${b.ref} ${markdownLine(b.question)}: ${
          b.kind === 'blocked'
            ? `blocked by ${b.by.map((h) => person(f, h)).join(', ')}`
            : `escalated to ${withArticle(words.resolver)}${b.by.length ? ` (${b.by.map((h) => person(f, h)).join(', ')})` : ''}`
        }`,
      'None.',
    ),
    '',
  );
  out.push(
    '## Meetings',
    '',
    ...list(
      f.meetings,
      (m) =>
        `${day(m.startsAt)} ${m.ref} ${markdownLine(m.title)} (${m.kind}; ${m.attendance} attended; notes ${m.notes})`,
      'None held.',
    ),
    ...(f.notRead.meetings
      ? [
          `- ${f.notRead.meetings} earlier ${f.notRead.meetings === 1 ? 'meeting' : 'meetings'} held this quarter not listed here (the draft lists the latest ${LIMITS.quarterlyUpdate.meetings}): see the group's meetings.`,
        ]
      : []),
    '',
  );
  out.push(
    '## Membership changes',
    '',
    ...list(f.membership, (m) => `${day(m.at)}: ${person(f, m.handle)} ${m.change}`, 'None.'),
    '',
  );
  out.push('## Upcoming priorities', '');
  out.push(
    ...list(
      f.openActions,
      (a) => `${person(f, a.owner)}: ${a.description} (due ${a.due}, from ${a.meeting})`,
      'No open action items.',
    ),
    ...(f.notRead.openActions
      ? [
          `- ${f.notRead.openActions} more open action ${f.notRead.openActions === 1 ? 'item' : 'items'}, due later: see the group's meetings.`,
        ]
      : []),
  );
  for (const m of f.upcomingMeetings) out.push(`- Next: ${day(m.startsAt)} ${m.ref} ${markdownLine(m.title)}`);
  out.push('', '## Resource needs', '', '- _(for the leads to fill in)_', '');
  return out.join('\n');
}
