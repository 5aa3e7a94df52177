// The guide's last step: "open a Pull Request … explaining the collaboration that has occurred to
// date". The hub holds that collaboration (the route walked, the discussion, meetings, decisions,
// support and evidence), so it drafts the pull request's description from it; the author edits it.
import type { GateResult } from './gates.ts';
import { relationVerb } from './relations.ts';
import { plural, sentence } from '../sentence.ts';
import { markdownLine } from '../text.ts';

/** Each kind of evidence as a heading of its own in a description. */
const EVIDENCE_KIND_WORDS: Record<string, string> = {
  implementation: 'Implementation',
  interoperability: 'Interoperability between implementations',
  'community-use': 'Use in the community',
  'implementer-validation': 'Validation by an implementer',
  other: 'Other evidence',
};

export type CollaborationFacts = {
  ref: string;
  title: string;
  problem: string;
  examples: string[];
  interests: string;
  layerTitle: string;
  routeTitle: string;
  stage: string;
  createdAt: string;
  group: string | null;
  topicArea: string | null;
  authors: string[];
  sponsor: string | null;
  links: { discussion?: string | null; tracker?: string | null; forum?: string | null; pullRequest?: string | null };
  /** The route walked so far, oldest first: each stage it reached, when and by whom (a name, or null for the hub). */
  moves: { from: string; to: string; at: string; by: string | null }[];
  gate: GateResult;
  priorWork: { checkedAt: string; matches: number } | null;
  /** Relations this proposal recorded to others, confirmed ones only: a suggestion is not yet a fact. */
  relations: { kind: string; ref: string; title: string; url: string | null }[];
  /** The hub's discussion: shown comments, by whom (names and organisations), first and last. */
  discussion: {
    comments: number;
    people: { name: string; organisation: string | null }[];
    first: string | null;
    last: string | null;
    url: string | null;
  };
  supporters: { organisation: string; names: string[] }[];
  evidence: {
    kind: string;
    description: string;
    url: string | null;
    organisation: string | null;
    sdk: string | null;
    verified: 'verified' | 'failed' | null;
  }[];
  /** Meetings, not cancelled, whose agenda took it up (directly or through a decision about it). */
  meetings: {
    ref: string;
    title: string;
    kind: string;
    startsAt: string;
    items: string[];
    writtenInputs: number;
    notes: boolean;
    url: string | null;
  }[];
  decisions: { ref: string; question: string; outcome: string; url: string | null }[];
  /** The proposal's own page on the hub, when the hub knows its public address. */
  url: string | null;
  /** When the draft was made (the hub's clock). */
  at: string;
};

/** The most characters GitHub takes in a pull request's description. */
export const PULL_REQUEST_BODY_LIMIT = 65_536;
/** A long list is cut in the description, saying how many more the hub's page shows. */
const LISTED_AT_MOST = { names: 20, lines: 30 };

/**
 * What the guide's route asks for that the record does not show yet, and whether the description
 * fits a pull request (`length`: its characters): the author reads these before opening it.
 */
export function collaborationGaps(f: CollaborationFacts, length = 0): string[] {
  const gaps: string[] = [];
  if (length > PULL_REQUEST_BODY_LIMIT)
    gaps.push(
      `The description is ${length.toLocaleString('en')} characters; GitHub takes at most ${PULL_REQUEST_BODY_LIMIT.toLocaleString('en')} in a pull request: shorten the problem, examples or interests, or link to the proposal for them.`,
    );
  if (!f.priorWork) gaps.push('No prior-work check is recorded: make sure no existing work covers it.');
  if (!f.links.forum && !f.links.discussion)
    gaps.push(
      'No discussion link: the guide asks for a thread on the official discussion forum before the pull request.',
    );
  if (!f.links.tracker) gaps.push('No tracker link: the guide asks for it on the CWG Project Tracker.');
  if (f.examples.length === 0) gaps.push('No real-world example of the problem.');
  if (!f.gate.passed)
    gaps.push(
      `The barrier to change of its layer (${f.layerTitle}) does not hold yet: ${f.gate.conditions
        .filter((c) => !c.passed)
        .map((c) => c.reason)
        .join('; ')}`,
    );
  const talked = f.discussion.comments > 0 || f.meetings.length > 0 || f.decisions.length > 0;
  // a thread elsewhere is discussion too: only a proposal nobody has talked about anywhere lacks it
  if (!talked && !f.links.forum && !f.links.discussion)
    gaps.push('Nobody has discussed it on the hub yet: no comments, meetings or decisions to point to.');
  return gaps.map(sentence);
}

/**
 * A name, title or question as text in GitHub's markdown: no markup (markdownLine), and no
 * @mention: a zero-width space after "@" keeps a name like "@octocat" from notifying that account.
 */
const plain = (text: string) => markdownLine(text).replace(/@(?=[\p{L}\p{N}_-])/gu, '@\u200B');
/**
 * A web address as it goes into markdown: everything but the plain characters of a URL
 * percent-encoded, so that a ")" or a space in it can neither end the link early nor start another.
 */
function address(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]/gu, (c) =>
    [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
const day = (iso: string) => iso.slice(0, 10);
/** A stage as people say it ("prior work checked"), not its id. */
const stage = (id: string) => id.replace(/-/g, ' ');
const between = (first: string, last: string) =>
  day(first) === day(last) ? `on ${day(first)}` : `${day(first)} to ${day(last)}`;
const link = (text: string, url: string | null) => (url ? `[${text}](${address(url)})` : text);
function names(all: string[]): string {
  // past a score of names the rest are counted: the hub's page lists them all
  const list =
    all.length > LISTED_AT_MOST.names
      ? [...all.slice(0, LISTED_AT_MOST.names), plural(all.length - LISTED_AT_MOST.names, 'other')]
      : all;
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

/** The first lines of a long list, and a line counting the rest. */
function atMost(lines: string[], what: [string, string]): string[] {
  if (lines.length <= LISTED_AT_MOST.lines) return lines;
  const rest = lines.length - LISTED_AT_MOST.lines;
  return [...lines.slice(0, LISTED_AT_MOST.lines), `- …and ${plural(rest, what[0], what[1])} more, on the hub.`];
}

function routeLines(f: CollaborationFacts): string[] {
  if (f.moves.length === 0) return [`- ${day(f.createdAt)}: proposed; still at ${stage(f.stage)}.`];
  return [
    `- ${day(f.createdAt)}: proposed.`,
    ...atMost(
      f.moves.map((m) => `- ${day(m.at)}: ${stage(m.from)} → ${stage(m.to)}${m.by ? `, by ${plain(m.by)}` : ''}.`),
      ['move', 'moves'],
    ),
  ];
}

function discussionLines(f: CollaborationFacts): string[] {
  const d = f.discussion;
  const out: string[] = [];
  if (f.links.forum) out.push(`- Forum or chat thread: <${address(f.links.forum)}>`);
  if (f.links.discussion) out.push(`- Discussion: <${address(f.links.discussion)}>`);
  if (f.links.tracker) out.push(`- Tracked at: <${address(f.links.tracker)}>`);
  if (d.comments > 0) {
    const orgs = new Set(d.people.map((p) => p.organisation).filter((o): o is string => o !== null));
    const who = d.people.map((p) => plain(p.name));
    out.push(
      `- ${link(`${plural(d.comments, 'comment')} on the hub`, d.url)} from ${plural(d.people.length, 'person', 'people')}${orgs.size ? ` (${plural(orgs.size, 'organisation')})` : ''}, ${between(d.first!, d.last!)}: ${names(who)}.`,
    );
  }
  out.push(
    ...atMost(
      f.meetings.map(
        (m) =>
          `- ${link(plain(m.title), m.url)} (${m.kind} meeting, ${day(m.startsAt)}): ${m.items.map((i) => `“${plain(i)}”`).join(', ')}${m.writtenInputs ? `, with ${plural(m.writtenInputs, 'written input')} from people who could not attend` : ''}${m.notes ? '; notes published' : ''}.`,
      ),
      ['meeting', 'meetings'],
    ),
    ...atMost(
      f.decisions.map((d) => `- Decision ${link(d.ref, d.url)}: ${sentence(plain(d.question))} Outcome: ${d.outcome}.`),
      ['decision', 'decisions'],
    ),
  );
  return out.length ? out : ['- None recorded on the hub yet.'];
}

function evidenceLines(f: CollaborationFacts): string[] {
  const support = atMost(
    f.supporters.map((s) => `- ${plain(s.organisation)}: ${names(s.names.map((n) => plain(n)))}`),
    ['organisation', 'organisations'],
  );
  const evidence = f.evidence.map((e) => {
    const where = [e.organisation, e.sdk].filter((x): x is string => !!x).map((x) => plain(x));
    const check =
      e.verified === 'verified'
        ? ' (verified by the hub)'
        : e.verified === 'failed'
          ? ' (the hub could not verify it)'
          : '';
    return `- ${EVIDENCE_KIND_WORDS[e.kind] ?? e.kind}${where.length ? ` (${where.join(', ')})` : ''}: ${link(plain(e.description), e.url && /^https?:/.test(e.url) ? e.url : null)}${check}`;
  });
  return [
    `Supporters by organisation (${plural(
      f.supporters.reduce((n, s) => n + s.names.length, 0),
      'supporter',
    )} from ${plural(f.supporters.length, 'organisation')}):`,
    '',
    ...(support.length ? support : ['- None yet.']),
    '',
    'Evidence:',
    '',
    ...(evidence.length ? evidence : ['- None yet.']),
  ];
}

/** The pull request's description, in markdown: the problem, the barrier to change, and the collaboration to date. */
export function pullRequestDescription(f: CollaborationFacts): string {
  const where = [f.group, f.topicArea].filter((x): x is string => !!x);
  const gate = f.gate.conditions.map((c) => `- ${c.passed ? '[x]' : '[ ]'} ${sentence(c.reason)}`);
  const lines = [
    `# ${plain(f.title)}`,
    '',
    `<!-- Drafted by the working-groups hub from ${f.ref} on ${day(f.at)}. Edit it before you open the pull request. -->`,
    '',
    `${link(f.ref, f.url)} · layer: ${plain(f.layerTitle)}${where.length ? ` · ${where.map(plain).join(' / ')}` : ''} · by ${names(f.authors.map(plain))}${f.sponsor ? ` · sponsor: ${plain(f.sponsor)}` : ''}`,
    '',
    '## The problem',
    '',
    f.problem.trim(),
    ...(f.examples.length
      ? ['', '### Real-world examples', '', ...f.examples.map((e) => `- ${e.trim().replace(/\n+/g, ' ')}`)]
      : []),
    ...(f.interests.trim() ? ['', '### Interests at stake', '', f.interests.trim()] : []),
    '',
    '## Barrier to change',
    '',
    `${plain(f.layerTitle)}: ${f.gate.passed ? 'every condition holds' : 'not every condition holds yet'}.`,
    '',
    ...(gate.length ? gate : ['- This layer sets no conditions.']),
    '',
    '## Collaboration to date',
    '',
    `${plain(f.routeTitle)}, as walked:`,
    '',
    ...routeLines(f),
    '',
    'Where it was discussed:',
    '',
    ...discussionLines(f),
    '',
    ...evidenceLines(f),
    '',
    '## Prior work',
    '',
    f.priorWork
      ? `Checked on ${day(f.priorWork.checkedAt)}: ${plural(f.priorWork.matches, 'possible match', 'possible matches')} read.`
      : 'No prior-work check is recorded.',
    ...(f.relations.length
      ? ['', ...f.relations.map((r) => `- This ${relationVerb(r.kind)} ${link(r.ref, r.url)}: ${plain(r.title)}`)]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}
