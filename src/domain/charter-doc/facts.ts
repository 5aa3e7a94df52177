// Structured facts read off a charter document: who leads, who is a member, what the group
// meets for, what it delivers. Derived, never stored, so they can never disagree with the text.
import type { GroupKind } from '../community.ts';
import { linksAsText } from '../text.ts';
import { topBlocks, type CharterDocument, type CharterSection, type TableBlock } from './document.ts';

export type CharterFacts = {
  title: string;
  description: string;
  groupType: 'working' | 'interest' | null;
  mission: string;
  scopeIn: string[];
  scopeOut: string[];
  relatedGroups: string[];
  leadership: {
    role: string;
    name: string;
    organisation: string;
    github: string | null;
    term: string;
    extra: Record<string, string>;
  }[];
  authority: { decisionType: string; authorityLevel: string }[];
  members: {
    name: string;
    organisation: string;
    github: string | null;
    discord: string | null;
    level: string;
    emeritus: boolean;
    extra: Record<string, string>;
  }[];
  membershipNote: string | null;
  meetings: { name: string; frequency: string; duration: string; purpose: string }[];
  channels: string[];
  deliverables: { item: string; status: string; targetDate: string; champion: string }[];
  successCriteria: string[];
  changelog: { date: string; change: string; extra: Record<string, string> }[];
};

/**
 * A seat a charter's table keeps open ("TBD", "Seeking a co-lead", "(vacant)"): it names nobody. What
 * follows "seeking" is read to the end in one pass (`.*` stopped at a line break and was tried again
 * from each space before it).
 */
export function openSeat(name: string): boolean {
  return /^\(?\s*(tbd|tba|to be (announced|decided|determined)|n\/a|none|vacant|open|-+|seeking\b[\s\S]*)\s*\)?$/i.test(
    plainText(name),
  );
}

/** A front matter value: a double-quoted one (as the hub writes them) read as YAML does, else unquoted. */
function scalar(value: string): string {
  if (/^".*"$/.test(value))
    try {
      return JSON.parse(value) as string;
    } catch {}
  return value.replace(/^["']|["']$/g, '');
}

/** Plain text of a raw cell: links become their text, escapes and emphasis markers go. */
export function plainText(md: string): string {
  // an escaped bracket (\[, as the hub writes a name holding one) opens no link
  const brackets = md.replace(/\\([[\]])/g, (_, b: string) => (b === '[' ? '\uE000' : '\uE001'));
  return linksAsText(brackets)
    .replace(/\uE000/g, '[')
    .replace(/\uE001/g, ']')
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>&])/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1')
    .trim();
}

/** A GitHub handle from a cell such as "[@rdimitrov](https://github.com/rdimitrov)" or "@foo". */
export function githubHandle(cell: string): string | null {
  const at = /@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/.exec(plainText(cell));
  if (at) return at[1]!;
  const url = /github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/.exec(cell);
  if (url) return url[1]!;
  const p = plainText(cell);
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(p) && !/^(tbd|n\/a|none)$/i.test(p) ? p : null;
}

const norm = (s: string) =>
  plainText(s)
    .toLowerCase()
    .replace(/organisation/g, 'organization')
    .replace(/[^a-z0-9?]+/g, ' ')
    .trim();

function column(t: TableBlock, ...names: string[]): number {
  const wanted = names.map(norm);
  return t.columns.findIndex((c) => wanted.includes(norm(c)));
}

function rowsOf(
  t: TableBlock,
  spec: Record<string, string[]>,
): { values: Record<string, string>; extra: Record<string, string> }[] {
  const idx = Object.fromEntries(Object.entries(spec).map(([k, names]) => [k, column(t, ...names)]));
  const used = new Set(Object.values(idx));
  return t.rows
    .filter((r) => r.some((c) => c.trim() !== ''))
    .map((r) => ({
      values: Object.fromEntries(Object.entries(idx).map(([k, i]) => [k, i >= 0 ? (r[i] ?? '') : ''])),
      extra: Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? '']).filter((_, i) => !used.has(i))),
    }));
}

const matches = (s: CharterSection, re: RegExp) => re.test(plainText(s.heading));
const tablesIn = (sections: CharterSection[]) =>
  sections.flatMap((s) => s.blocks.filter((b): b is TableBlock => b.type === 'table'));
const textOf = (s: CharterSection | undefined) =>
  s
    ? s.blocks
        .filter((b) => b.type === 'markdown')
        .map((b) => (b as { text: string }).text)
        .join('\n\n')
    : '';

/** Top-level list items of a section's markdown, each as its raw text without the bullet. */
function listItems(s: CharterSection | undefined): string[] {
  const out: string[] = [];
  for (const b of s?.blocks ?? []) {
    if (b.type !== 'markdown') continue;
    for (const node of topBlocks(b.text)) {
      if (node.type !== 'list') continue;
      for (const item of node.items) {
        const raw = b.text.slice(item.start, item.end);
        out.push(raw.replace(/^(?:[-*+]|\d+[.)])[ \t]+/, '').trim());
      }
    }
  }
  return out;
}

/**
 * A charter's facts. `kindNames`: what the community calls each kind of group (`groupKindNames`), so a
 * Group Type written in its words ("Special Interest Group") reads back as its kind; the template's
 * words ("Working Group", "Interest Group") are read always, the community's first (longest first).
 */
export function charterFacts(doc: CharterDocument, kindNames: Partial<Record<GroupKind, string>> = {}): CharterFacts {
  const fm = (k: string) => scalar(doc.frontmatter.find((f) => f.key.trim() === k)?.value ?? '');
  const find = (re: RegExp) => doc.sections.find((s) => matches(s, re));
  const typeText = plainText(textOf(find(/^group type$/i)));
  const words = (word: string) => new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
  const named = (Object.entries(kindNames) as [GroupKind, string | undefined][])
    .filter((e): e is [GroupKind, string] => !!e[1]?.trim())
    .sort((a, b) => b[1].length - a[1].length)
    .find(([, name]) => words(name.trim()).test(typeText));
  const groupType: GroupKind | null = named
    ? named[0]
    : /working group/i.test(typeText)
      ? 'working'
      : /interest group/i.test(typeText)
        ? 'interest'
        : null;

  const leadershipTables = tablesIn(doc.sections.filter((s) => matches(s, /^leadership$/i)));
  const leadership = leadershipTables.flatMap((t) =>
    rowsOf(t, {
      role: ['role'],
      name: ['name'],
      organisation: ['organization', 'org', 'company'],
      github: ['github'],
      term: ['term'],
    }).map(({ values: v, extra }) => ({
      role: plainText(v.role!),
      name: plainText(v.name!),
      organisation: plainText(v.organisation!),
      github: githubHandle(v.github!),
      term: plainText(v.term!),
      extra,
    })),
  );

  const membershipSections = doc.sections.filter((s) => matches(s, /membership|members$/i));
  const members = membershipSections.flatMap((s) =>
    tablesIn([s]).flatMap((t) =>
      rowsOf(t, {
        name: ['name'],
        organisation: ['organization', 'org', 'company'],
        github: ['github'],
        discord: ['discord'],
        level: ['level', 'role'],
      }).map(({ values: v, extra }) => ({
        name: plainText(v.name!),
        organisation: plainText(v.organisation!),
        github: githubHandle(v.github!),
        discord: plainText(v.discord!) || null,
        level: plainText(v.level!),
        emeritus: /emeritus/i.test(s.heading),
        extra,
      })),
    ),
  );
  const membership = find(/^membership$/i);
  const membershipNote = membership && !tablesIn([membership]).length ? textOf(membership) || null : null;

  const operations = find(/^operations$/i);
  const meetings = tablesIn(operations ? [operations] : []).flatMap((t) =>
    rowsOf(t, {
      name: ['meeting', 'name'],
      frequency: ['frequency', 'cadence'],
      duration: ['duration'],
      purpose: ['purpose'],
    }).map(({ values: v }) => ({
      name: plainText(v.name!),
      frequency: plainText(v.frequency!),
      duration: plainText(v.duration!),
      purpose: plainText(v.purpose!),
    })),
  );
  const channels = textOf(operations)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(discord|slack|github|channel|mailing list|matrix)[^:]{0,40}:/i.test(l));

  const deliverables = tablesIn(doc.sections.filter((s) => matches(s, /work items|deliverables/i))).flatMap((t) =>
    rowsOf(t, {
      item: ['item', 'deliverable'],
      status: ['status'],
      targetDate: ['target date', 'target', 'date'],
      champion: ['champion', 'owner'],
    }).map(({ values: v }) => ({
      item: plainText(v.item!),
      status: plainText(v.status!),
      targetDate: plainText(v.targetDate!),
      champion: plainText(v.champion!),
    })),
  );

  const changelog = tablesIn(doc.sections.filter((s) => matches(s, /^changelog$/i))).flatMap((t) =>
    rowsOf(t, { date: ['date'], change: ['change', 'changes'] }).map(({ values: v, extra }) => ({
      date: plainText(v.date!),
      change: plainText(v.change!),
      extra,
    })),
  );

  const authority = tablesIn(doc.sections.filter((s) => matches(s, /^authority/i))).flatMap((t) =>
    rowsOf(t, { decisionType: ['decision type', 'decision'], authorityLevel: ['authority level', 'authority'] }).map(
      ({ values: v }) => ({
        decisionType: plainText(v.decisionType!),
        authorityLevel: plainText(v.authorityLevel!),
      }),
    ),
  );

  return {
    title: fm('title'),
    description: fm('description'),
    groupType,
    mission: textOf(find(/^mission/i)),
    scopeIn: listItems(find(/^in scope$/i)),
    scopeOut: listItems(find(/^out of scope$/i)),
    relatedGroups: listItems(find(/^related groups$/i)),
    leadership,
    authority,
    members,
    membershipNote,
    meetings,
    channels,
    deliverables,
    successCriteria: listItems(find(/^success criteria$/i)),
    changelog,
  };
}
