// The guide's last step: "open a Pull Request … explaining the collaboration that has occurred to
// date". The hub holds that collaboration (the route walked, the discussion, meetings, decisions,
// support and evidence), so it drafts the pull request's description from it; the author edits it.
import type { GateResult } from './gates.ts';
import { relationVerb } from './relations.ts';
import { plural, sentence } from '../sentence.ts';
import { LIMITS } from '../limits.ts';
import { githubMarkdown } from '../markdown.ts';
import { characterCount, firstCharacters, githubLine, oneLineFrom } from '../text.ts';

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
  /** Where a proposal of its layer opens its pull request (the governance file's `pullRequests`), if it says. */
  pullRequestsAt: string | null;
  /** The community's project tracker and discussion forum by the names its governance file gives them, if it does. */
  places: { tracker: string | null; forum: string | null };
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
    /** Its first items about it (LIMITS.pullRequestDraft.itemsPerMeeting), and how many more it had. */
    items: string[];
    moreItems: number;
    writtenInputs: number;
    notes: boolean;
    url: string | null;
  }[];
  decisions: { ref: string; question: string; outcome: string; url: string | null }[];
  /** Earlier meetings and decisions about it the draft does not list (LIMITS.pullRequestDraft keeps the latest). */
  notListed: { meetings: number; decisions: number };
  /** The proposal's own page on the hub, when the hub knows its public address. */
  url: string | null;
  /** When the draft was made (the hub's clock). */
  at: string;
};

/** The characters of an evidence description the draft shows (the proposal's page shows it whole). */
const EVIDENCE_SHOWN = 300;

/** Text on one line, cut at `max` characters with an ellipsis when it is longer. */
function shortened(text: string, max: number): string {
  const line = oneLineFrom(text, max + 1);
  return characterCount(line) > max ? `${firstCharacters(line, max).trimEnd()}…` : line;
}

/** The most characters GitHub takes in a pull request's description. */
export const PULL_REQUEST_BODY_LIMIT = 65_536;

/** What the guide's route asks for that the record does not show yet: the author reads these before opening it. */
export function collaborationGaps(f: CollaborationFacts, length = 0): string[] {
  const gaps: string[] = [];
  if (length > PULL_REQUEST_BODY_LIMIT)
    gaps.push(
      `The description is ${length.toLocaleString('en')} characters; GitHub takes at most ${PULL_REQUEST_BODY_LIMIT.toLocaleString('en')} in a pull request: shorten it before you open it, linking to the proposal for the rest.`,
    );
  if (!f.priorWork) gaps.push('No prior-work check is recorded: make sure no existing work covers it.');
  if (!f.links.forum && !f.links.discussion)
    gaps.push(
      `No discussion link: the guide asks for a thread on the official ${f.places.forum ?? 'discussion forum'} before the pull request.`,
    );
  if (!f.links.tracker)
    gaps.push(`No tracker link: the guide asks for it on the ${f.places.tracker ?? 'project tracker'}.`);
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

const day = (iso: string) => iso.slice(0, 10);
/** A stage as people say it ("prior work checked"), not its id. */
const stage = (id: string) => id.replace(/-/g, ' ');
const between = (first: string, last: string) =>
  day(first) === day(last) ? `on ${day(first)}` : `${day(first)} to ${day(last)}`;
/**
 * A web address as the description writes it, or null when it is none: serialised (spaces, quotes
 * and angle brackets percent-encoded), so nothing in it ends the link and starts markup.
 */
function address(url: string | null | undefined): string | null {
  const u = url ? URL.parse(url) : null;
  return u && /^https?:$/.test(u.protocol) ? u.href : null;
}
/** An address a link's target holds as it is: nothing in it (a bracket, a space) ends the target early. */
const plainTarget = (at: string) => !/[\s()<>\\]/.test(at);
const link = (text: string, url: string | null) => {
  const at = address(url);
  return at ? `[${text}](${plainTarget(at) ? at : `<${at}>`})` : text;
};
/**
 * A link someone put on the proposal: the address itself, or nothing. Only an address of the
 * characters every address holds is written bare; any other is an autolink (`<…>`), which nothing
 * in it (`![…](…)`, `*`) can turn into markup.
 */
const bare = (url: string | null | undefined) => {
  const at = address(url);
  return at ? (/^[A-Za-z0-9.:/?#%&=+,;@-]*$/.test(at) ? at : `<${at}>`) : null;
};
const names = (list: string[]) =>
  list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;

function routeLines(f: CollaborationFacts): string[] {
  if (f.moves.length === 0) return [`- ${day(f.createdAt)}: proposed; still at ${stage(f.stage)}.`];
  return [
    `- ${day(f.createdAt)}: proposed.`,
    ...f.moves.map(
      (m) => `- ${day(m.at)}: ${stage(m.from)} → ${stage(m.to)}${m.by ? `, by ${githubLine(m.by)}` : ''}.`,
    ),
  ];
}

function discussionLines(f: CollaborationFacts): string[] {
  const d = f.discussion;
  const out: string[] = [];
  const [forum, discussion, tracker] = [f.links.forum, f.links.discussion, f.links.tracker].map(bare);
  if (forum) out.push(`- Forum or chat thread: ${forum}`);
  if (discussion) out.push(`- Discussion: ${discussion}`);
  if (tracker) out.push(`- Tracked at: ${tracker}`);
  if (d.comments > 0) {
    const orgs = new Set(d.people.map((p) => p.organisation).filter((o): o is string => o !== null));
    const shown = d.people.slice(0, LIMITS.pullRequestDraft.people).map((p) => githubLine(p.name));
    const others = d.people.length - shown.length;
    const who = others ? [...shown, plural(others, 'other', 'others')] : shown;
    out.push(
      `- ${link(`${plural(d.comments, 'comment')} on the hub`, d.url)} from ${plural(d.people.length, 'person', 'people')}${orgs.size ? ` (${plural(orgs.size, 'organisation')})` : ''}, ${between(d.first!, d.last!)}: ${names(who)}.`,
    );
  }
  for (const m of f.meetings)
    out.push(
      `- ${link(githubLine(m.title), m.url)} (${m.kind} meeting, ${day(m.startsAt)}): ${m.items.map((i) => `“${githubLine(i)}”`).join(', ')}${m.moreItems ? ` and ${plural(m.moreItems, 'more item', 'more items')}` : ''}${m.writtenInputs ? `, with ${plural(m.writtenInputs, 'written input')} from people who could not attend` : ''}${m.notes ? '; notes published' : ''}.`,
    );
  if (f.notListed.meetings)
    out.push(
      `- ${plural(f.notListed.meetings, 'earlier meeting', 'earlier meetings')} took it up too, listed on the hub.`,
    );
  for (const d of f.decisions)
    out.push(`- Decision ${link(d.ref, d.url)}: ${sentence(githubLine(d.question))} Outcome: ${d.outcome}.`);
  if (f.notListed.decisions)
    out.push(
      `- ${plural(f.notListed.decisions, 'earlier decision', 'earlier decisions')} about it, listed on the hub.`,
    );
  return out.length ? out : ['- None recorded on the hub yet.'];
}

function evidenceLines(f: CollaborationFacts): string[] {
  // as the discussion's people: the first organisations and names, the rest counted (the hub lists them all)
  const most = LIMITS.pullRequestDraft.people;
  const support = f.supporters.slice(0, most).map((s) => {
    const shown = s.names.slice(0, most).map((n) => githubLine(n));
    return `- ${githubLine(s.organisation)}: ${names(s.names.length > shown.length ? [...shown, plural(s.names.length - shown.length, 'other')] : shown)}`;
  });
  if (f.supporters.length > most)
    support.push(
      `- ${plural(f.supporters.length - most, 'other organisation', 'other organisations')}, listed on the hub.`,
    );
  const evidence = f.evidence.map((e) => {
    const where = [e.organisation, e.sdk].filter((x): x is string => !!x).map((x) => githubLine(x));
    const check =
      e.verified === 'verified'
        ? ' (verified by the hub)'
        : e.verified === 'failed'
          ? ' (the hub could not verify it)'
          : '';
    return `- ${EVIDENCE_KIND_WORDS[e.kind] ?? e.kind}${where.length ? ` (${where.join(', ')})` : ''}: ${link(githubLine(shortened(e.description, EVIDENCE_SHOWN)), e.url)}${check}`;
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
  // a reason names what people typed (supporters' organisations, an artifact's title): plain text too
  const gate = f.gate.conditions.map((c) => `- ${c.passed ? '[x]' : '[ ]'} ${githubLine(sentence(c.reason))}`);
  const lines = [
    `# ${githubLine(f.title)}`,
    '',
    `<!-- Drafted by the working-groups hub from ${f.ref} on ${day(f.at)}. Edit it before you open the pull request. -->`,
    '',
    `${link(f.ref, f.url)} · layer: ${githubLine(f.layerTitle)}${where.length ? ` · ${where.map(githubLine).join(' / ')}` : ''} · by ${names(f.authors.map(githubLine))}${f.sponsor ? ` · sponsor: ${githubLine(f.sponsor)}` : ''}`,
    '',
    '## The problem',
    '',
    // the problem and interests are markdown, written as the hub shows them; examples are plain text
    githubMarkdown(f.problem.trim()),
    ...(f.examples.length ? ['', '### Real-world examples', '', ...f.examples.map((e) => `- ${githubLine(e)}`)] : []),
    ...(f.interests.trim() ? ['', '### Interests at stake', '', githubMarkdown(f.interests.trim())] : []),
    '',
    '## Barrier to change',
    '',
    `${githubLine(f.layerTitle)}: ${f.gate.passed ? 'every condition holds' : 'not every condition holds yet'}.`,
    '',
    ...(gate.length ? gate : ['- This layer sets no conditions.']),
    '',
    '## Collaboration to date',
    '',
    `${githubLine(f.routeTitle)}, as walked:`,
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
      ? ['', ...f.relations.map((r) => `- This ${relationVerb(r.kind)} ${link(r.ref, r.url)}: ${githubLine(r.title)}`)]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}
