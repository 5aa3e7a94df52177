// Building and amending charter documents. A charter is kept as the document itself (see
// domain/charter), so edits are edits of that document and export never loses anything.
import type { GroupKind } from './community.ts';
import { leadTitle } from './community.ts';
import { invalid } from './errors.ts';
import { type Block, parseCharter, renderBlock, type CharterDocument, unpaddedBlock } from './charter-doc/index.ts';
import { markdownLine } from './text.ts';

export type NewCharter = {
  name: string;
  kind: GroupKind;
  mission: string;
  scopeIn: string[];
  scopeOut: string[];
  relatedGroups: string[];
  leads: { name: string; organisation: string; github: string }[];
  date: string;
  /** The protocol the community works on (the governance file's `community.protocol`), e.g. MCP. */
  protocol: string;
  /** What the community calls this kind of group (`groupKindNames`), when not "working group"/"interest group". */
  kindName?: string;
};

const cell = (s: string) => markdownLine(s);
const bullets = (items: string[], none: string) =>
  items.length ? items.map((i) => `- ${i.replace(/\n/g, ' ')}`).join('\n') : none;

/** How the charter template names each kind of group on its Group Type line. */
const TEMPLATE_KIND: Record<GroupKind, string> = { working: 'Working Group', interest: 'Interest Group' };

/**
 * A charter as a community that names its kinds of group otherwise reads it: a Group Type line in the
 * template's words for the group's kind (`**Working Group**`) says the community's (`heading`,
 * "Special Interest Group"). Any other Group Type text is the charter's own and stays; so does the
 * stored document (the same object comes back when nothing changes).
 */
export function charterInWords(doc: CharterDocument, kind: GroupKind, heading: string): CharterDocument {
  if (heading === TEMPLATE_KIND[kind]) return doc;
  const template = new RegExp(`^(\\s*\\*\\*)${TEMPLATE_KIND[kind]}(\\*\\*\\s*)$`, 'i');
  const i = doc.sections.findIndex((s) => sameHeading(s.heading, 'Group Type'));
  const section = doc.sections[i];
  if (!section?.blocks.some((b) => b.type === 'markdown' && template.test(b.text))) return doc;
  const blocks = section.blocks.map((b) =>
    b.type === 'markdown'
      ? { ...b, text: b.text.replace(template, (_, open, close) => `${open}${heading}${close}`) }
      : b,
  );
  return { ...doc, sections: doc.sections.map((s, j) => (j === i ? { ...s, blocks } : s)) };
}

/** A new group's charter, in the structure of the MCP community's charter template. */
export function newCharter(c: NewCharter): CharterDocument {
  // the Group Type line keeps the template's words as stored: pages and exports show it in the
  // community's (charterInWords), and a charter is read back in either (charterFacts)
  const kindTitle = TEMPLATE_KIND[c.kind];
  const named = c.kindName ? c.kindName.replace(/(^|\s)\p{Ll}/gu, (m) => m.toUpperCase()) : kindTitle;
  // the front matter's values are YAML strings (a name with ': ' or '#' is no longer YAML otherwise)
  const md = `---
title: ${JSON.stringify(`${c.name} Charter`)}
description: ${JSON.stringify(`Charter for the ${c.protocol} ${c.name} ${named}.`)}
---

## Group Type

**${kindTitle}**

## Mission Statement

${c.mission.trim()}

## Scope

### In Scope

${bullets(c.scopeIn, '- To be decided')}

### Out of Scope

${bullets(c.scopeOut, '- Nothing stated yet')}

### Related Groups

${bullets(c.relatedGroups, '- None yet')}

## Leadership

| Role | Name | Organization | GitHub | Term |
| ---- | ---- | ------------ | ------ | ---- |
${c.leads.map((l) => `| ${leadTitle(c.kind)} | ${cell(l.name)} | ${cell(l.organisation)} | [@${l.github}](https://github.com/${l.github}) | Initial |`).join('\n')}

## Membership

| Name | Organization | GitHub | Discord | Level |
| ---- | ------------ | ------ | ------- | ----- |
${c.leads.map((l) => `| ${cell(l.name)} | ${cell(l.organisation)} | [@${l.github}](https://github.com/${l.github}) |  | ${leadTitle(c.kind)} |`).join('\n')}

## Operations

| Meeting | Frequency | Duration | Purpose |
| ------- | --------- | -------- | ------- |
| Working Session | TBD | TBD | Technical discussion, proposal review |

## Changelog

| Date | Change |
| ---- | ------ |
| ${c.date} | Initial charter proposed |
`;
  return parseCharter(md);
}

/** Whether two headings name one section (as `replaceSection` finds it: case and outer spaces aside). */
export function sameHeading(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Sections of the MCP charter template (charter-template.mdx) that a charter may lack (the hub's
 * own new charters do, as do several of the community's): a lead may add one by writing it, so a
 * group can record its deliverables, which the group page and the quarterly update read from here.
 * Each comes with the template's starting text and the section it goes before.
 */
export const TEMPLATE_SECTIONS: { heading: string; before: string; starter: string }[] = [
  {
    heading: 'Authority & Decision Rights',
    before: 'Membership',
    starter: `| Decision Type | Authority Level |
| ------------- | --------------- |
| Meeting logistics & scheduling | WG Leads (autonomous) |
| Proposal prioritization within WG | WG Leads (autonomous) |
| Technical design within scope | WG consensus |
| Spec changes (additive) | WG consensus → Core Maintainer approval |
| Scope expansion | Core Maintainer approval required |
`,
  },
  {
    heading: 'Deliverables & Success Metrics',
    before: 'Changelog',
    starter: `### Active Work Items

| Item | Status | Target Date | Champion |
| ---- | ------ | ----------- | -------- |
| SEP-XXX: Name | Draft | YYYY-MM-DD | @handle |

### Success Criteria

- A measurable outcome for the group
`,
  },
];

/**
 * The charter template's sections every group keeps (SEP-2149, Part 2: "Every MCP Working Group and
 * Interest Group must maintain a charter document following this template structure"), and those marked
 * "(WG only)": required of a working group, optional for an interest group.
 */
const REQUIRED_SECTIONS = [
  'Group Type',
  'Mission Statement',
  'Scope',
  'Leadership',
  'Membership',
  'Operations',
  'Changelog',
];
const WORKING_GROUP_SECTIONS = ['Authority & Decision Rights', 'Deliverables & Success Metrics'];

/**
 * Why new text for a section may not be saved, or null: a section the template requires of this kind of
 * group cannot be blanked (a lead clearing the Mission Statement saved a charter with none, without a
 * word). A group's own sections, and the template's optional ones, may be.
 */
export function emptySectionRefusal(
  heading: string,
  markdown: string,
  kind: GroupKind,
  kindName = `${kind} group`,
): string | null {
  if (markdown.trim() !== '') return null;
  const required = [...REQUIRED_SECTIONS, ...(kind === 'working' ? WORKING_GROUP_SECTIONS : [])];
  const name = required.find((r) => sameHeading(r, heading));
  if (!name) return null;
  return `“${name}” cannot be saved empty: the charter template requires it of every ${kindName}; write what it says (or what is not decided yet)`;
}

/** The template sections this charter does not have yet, which a lead may add. */
export function missingTemplateSections(doc: CharterDocument): typeof TEMPLATE_SECTIONS {
  return TEMPLATE_SECTIONS.filter((t) => !doc.sections.some((s) => sameHeading(s.heading, t.heading)));
}

/**
 * Replaces one section (and the subsections under it) with new markdown. A heading that does
 * not exist is refused with the headings that do, so a typo never appends a stray section; a
 * section of the charter template the charter lacks is added, before the section it precedes there.
 */
export function replaceSection(
  doc: CharterDocument,
  heading: string,
  markdown: string,
  field = 'heading',
): CharterDocument {
  const template = missingTemplateSections(doc).find((t) => sameHeading(t.heading, heading));
  if (template) {
    const at = doc.sections.findIndex((s) => s.level <= 2 && sameHeading(s.heading, template.before));
    const added = { heading: template.heading, level: 2, blocks: [] };
    const sections =
      at < 0 ? [...doc.sections, added] : [...doc.sections.slice(0, at), added, ...doc.sections.slice(at)];
    return replaceSection({ ...doc, sections }, heading, markdown, field);
  }
  const i = doc.sections.findIndex((s) => sameHeading(s.heading, heading));
  if (i < 0)
    throw invalid(
      field,
      `the charter has no section '${heading}'; its sections are: ${doc.sections.map((s) => s.heading).join(', ')}`,
    );
  const target = doc.sections[i]!;
  let j = i + 1;
  while (j < doc.sections.length && doc.sections[j]!.level > target.level) j++;
  const parsed = parseCharter(`${'#'.repeat(target.level)} ${target.heading}\n\n${markdown.trim()}\n`);
  const shallower = parsed.sections.slice(1).find((s) => s.level <= target.level);
  if (shallower)
    throw invalid(
      field,
      `the new text for '${target.heading}' must not start another section at its level ('${shallower.heading}'); use a deeper heading`,
    );
  const sections = [...doc.sections.slice(0, i), ...parsed.sections, ...doc.sections.slice(j)];
  return { ...doc, sections };
}

/**
 * The first heading a section's text holds, at any level, or null: a charter is read by its
 * headings, so text written under one (a new group's mission) that holds "## Leadership" or
 * "### Members" starts a section the charter's facts read as its leads or members (attack round 19).
 */
export function headingIn(markdown: string): string | null {
  // a setext heading's text is its first line (the second underlines it)
  const heading = parseCharter(`## Text\n\n${markdown.trim()}\n`).sections[1]?.heading;
  return heading === undefined ? null : (heading.split('\n')[0] ?? '').trim();
}

/** Adds a changelog line at the top of the Changelog table (newest first, as charters keep it). */
export function addChangelogEntry(doc: CharterDocument, date: string, change: string): CharterDocument {
  const sections = structuredClone(doc.sections);
  let section = sections.find((s) => sameHeading(s.heading, 'Changelog'));
  if (!section) {
    section = { heading: 'Changelog', level: 2, blocks: [] };
    sections.push(section);
  }
  let table = section.blocks.find((b) => b.type === 'table');
  if (table?.type !== 'table') {
    table = { type: 'table', columns: ['Date', 'Change'], align: [null, null], rows: [] };
    section.blocks.push(table);
  }
  const row = table.columns.map((col) => (/^date$/i.test(col) ? date : /^change$/i.test(col) ? cell(change) : ''));
  const firstIsEmpty = table.rows[0]?.every((c) => c.trim() === '');
  table.rows = firstIsEmpty ? [row, ...table.rows.slice(1)] : [row, ...table.rows];
  return { ...doc, sections };
}

/**
 * How many characters the charter's Changelog holds: its text with each table's cells and separators
 * as written, not padded to the widest cell (one 5,000-character line padded every short line to
 * its width, and the seventh short line was refused at ~50,000 while the text was ~5,300); 0 without one.
 */
export function changelogChars(doc: CharterDocument): number {
  const section = doc.sections.find((s) => sameHeading(s.heading, 'Changelog'));
  return section ? (sectionMarkdown(doc, section.heading, unpaddedBlock)?.length ?? 0) : 0;
}

/**
 * A section's text (without its own heading), as the editor shows it: its blocks and then its
 * subsections with their headings, all that saving it replaces (`replaceSection`). It showed the
 * blocks alone, so a section saved as shown lost its subsections ("Scope" and its "In scope").
 */
export function sectionMarkdown(
  doc: CharterDocument,
  heading: string,
  render: (b: Block) => string = renderBlock,
): string | null {
  const i = doc.sections.findIndex((x) => x.heading === heading);
  if (i < 0) return null;
  const target = doc.sections[i]!;
  const parts = target.blocks.map(render);
  for (const sub of doc.sections.slice(i + 1)) {
    if (sub.level <= target.level) break;
    parts.push(`${'#'.repeat(sub.level)} ${sub.heading}`, ...sub.blocks.map(render));
  }
  return parts.join('\n\n');
}
