// What a SEP's header says, parsed, with warnings for the messy cases real files have: missing
// or "None" sponsors, non-standard statuses, statuses contradicted inside the body, group authors.
import { refNumber } from '../limits.ts';
import type { SepDocument } from './document.ts';
import { fromMarkdownLine } from '../text.ts';

export const SEP_STAGES = [
  'awaiting-sponsor',
  'draft',
  'in-review',
  'accepted',
  'final',
  'rejected',
  'withdrawn',
  'superseded',
  'dormant',
] as const;
export type SepStage = (typeof SEP_STAGES)[number];

export type SepPerson = { name: string; handle: string | null; isGroup: boolean };

export type SepFacts = {
  number: number | null;
  title: string;
  /** Every header field exactly as written. */
  fields: Record<string, string>;
  status: { raw: string; stage: SepStage | null };
  type: string;
  created: string;
  authors: SepPerson[];
  sponsor: SepPerson | null;
  pr: string | null;
  issue: string | null;
  supersedes: string[];
  related: string[];
  warnings: string[];
};

const ALIASES: Record<string, SepStage> = {
  proposal: 'awaiting-sponsor',
  'awaiting-sponsor': 'awaiting-sponsor',
  'seeking-sponsor': 'awaiting-sponsor',
  review: 'in-review',
  inreview: 'in-review',
};

export function sepStage(raw: string): SepStage | null {
  const k = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  return SEP_STAGES.find((s) => s === k) ?? ALIASES[k] ?? null;
}

const GROUP = /\b(working group|interest group|wg|ig)\b/i;

// The expressions that read a header are linear in its length: it is text from anyone's pull request,
// and a pattern that may start anywhere in a run and scan to its end ('<<<…', '(((…', spaces with
// no line break) took seconds on a line of 40,000 characters (test/http/slow-seps.test.ts).
function person(text: string): SepPerson | null {
  const t = text.replace(/<[^<>]*>/g, '').trim();
  if (!t) return null;
  const handle = /(?<![\w.])@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/.exec(t)?.[1] ?? null;
  let name = t
    .replace(/\([^()@]*@[^()]*\)/g, '')
    .replace(/—.*$/, '')
    .trim();
  if (!name && handle) name = handle;
  if (/^@/.test(name)) name = name.slice(1);
  return { name: name.trim(), handle: handle ?? (/^[A-Za-z0-9-]+$/.test(name) ? name : null), isGroup: GROUP.test(t) };
}

/** Splits "A (@a), B (@b) and C" on commas, semicolons and "and" outside parentheses. */
export function splitPeople(value: string): string[] {
  // "Name (@x) — original proposal; …": the role note after a dash is not a person
  // (a run of white space is tried from its start only)
  const flat = value.replace(/(?<!\s)\s*\n\s*/g, ' ').replace(/(?<!\s)\s+—[^;]*/g, '');
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < flat.length; i++) {
    const ch = flat[i]!;
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === ';')) {
      out.push(cur);
      cur = '';
      continue;
    }
    if (depth === 0 && flat.slice(i, i + 5) === ' and ') {
      out.push(cur);
      cur = '';
      i += 4;
      continue;
    }
    // "(@a) B (@b)" with no separator: a closing parenthesis followed by a new name
    if (depth === 0 && ch === ' ' && flat[i - 1] === ')' && /[A-Z@]/.test(flat[i + 1] ?? '')) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s && !/^on behalf of/i.test(s));
}

function field(fields: Record<string, string>, ...names: string[]): string | null {
  for (const [k, v] of Object.entries(fields)) if (names.some((n) => n.toLowerCase() === k.toLowerCase())) return v;
  return null;
}

/**
 * A SEP file's facts. `prefix`: the community's prefix for its documents (`referencePrefix`, "RFC"),
 * whose exports head the file "RFC-12: …": that heading is read as SEP-12's too.
 */
export function sepFacts(doc: SepDocument, prefix = 'SEP'): SepFacts {
  const fields = Object.fromEntries(doc.header.map((f) => [f.key, f.value]));
  const h = new RegExp(`^(?:SEP|${prefix.replace(/[^\p{L}\p{N}]/gu, '')})-(\\d+|\\{NUMBER\\}):\\s*(.*)$`, 'iu').exec(
    doc.heading,
  );
  const number = h ? refNumber(h[1]!) : null;
  // an exported title's markup is escaped (markdownLine): the title is the text the heading shows
  const title = fromMarkdownLine((h ? h[2]! : doc.heading).trim());
  const warnings: string[] = [];
  if (h && /^\d+$/.test(h[1]!) && number === null)
    warnings.push(`SEP number ${h[1]} is beyond any issue number; read as none`);

  const statusRaw = (field(fields, 'Status') ?? '').trim();
  const stage = sepStage(statusRaw);
  if (!statusRaw) warnings.push('no Status field');
  else if (!stage) warnings.push(`non-standard status '${statusRaw}'; kept as written`);

  const bodyStatus = /^[ \t]*Status:[ \t]*([A-Za-z][A-Za-z -]*)$/m.exec(doc.body)?.[1]?.trimEnd();
  if (bodyStatus && stage && sepStage(bodyStatus) !== stage)
    warnings.push(
      `the body says status '${bodyStatus}' but the header says '${statusRaw}' (stale status inside the body)`,
    );

  const authorsRaw = fromMarkdownLine(field(fields, 'Author(s)', 'Authors', 'Author') ?? '');
  const authors = splitPeople(authorsRaw)
    .map(person)
    .filter((p): p is SepPerson => p !== null);
  if (!authors.length) warnings.push('no authors');
  for (const a of authors) if (a.isGroup) warnings.push(`authored by a group: '${a.name}'`);
  if (/on behalf of/i.test(authorsRaw))
    warnings.push(`written on behalf of a group: '${authorsRaw.replace(/\s+/g, ' ').trim()}'`);

  const sponsorField = field(fields, 'Sponsor');
  const sponsorRaw = sponsorField === null ? null : fromMarkdownLine(sponsorField);
  let sponsor: SepPerson | null = null;
  if (sponsorRaw === null) warnings.push('no Sponsor field');
  else if (/^\s*none\b/i.test(sponsorRaw) || /github-username/.test(sponsorRaw))
    warnings.push(`no sponsor ('${sponsorRaw.trim()}')`);
  else sponsor = person(sponsorRaw);
  if (!sponsor && stage && !['awaiting-sponsor', 'dormant', 'withdrawn'].includes(stage))
    warnings.push(`status '${statusRaw}' without a recorded sponsor`);

  const written = (field(fields, 'Created') ?? '').trim();
  // 2025-02-30 parses (as March 2nd) and year 0 is a date to JavaScript; neither is a creation day
  const real =
    /^\d{4}-\d{2}-\d{2}$/.test(written) &&
    Number(written.slice(0, 4)) >= 1970 &&
    !Number.isNaN(Date.parse(written)) &&
    new Date(`${written}T00:00:00Z`).toISOString().slice(0, 10) === written;
  const created = real ? written : '';
  if (!real) warnings.push(`Created '${written.slice(0, 40)}' is not a real date (YYYY-MM-DD); not kept`);
  else if (Number(created.slice(0, 4)) < 2024 || Number(created.slice(0, 4)) > 2030)
    warnings.push(`Created '${created}' looks like a year typo`);

  const pr = field(fields, 'PR')?.trim() || null;
  if (pr && /\{[^{}]*\}/.test(pr)) warnings.push(`PR '${pr}' contains a template placeholder`);

  const refs = (v: string | null) => (v ? [...v.matchAll(/SEP-(\d+)/gi)].map((m) => `SEP-${m[1]}`) : []);

  return {
    number,
    title,
    fields,
    status: { raw: statusRaw, stage },
    type: (field(fields, 'Type') ?? '').trim(),
    created,
    authors,
    sponsor,
    pr,
    issue: field(fields, 'Issue')?.trim() || null,
    supersedes: refs(field(fields, 'Supersedes')),
    related: refs(field(fields, 'Related')),
    warnings,
  };
}

/**
 * The group a SEP was written on behalf of, where its authors line names one ("…; on behalf of
 * the Agents Working Group", "MCP Transports Working Group"): the group's own name ("Agents").
 */
export function sepGroupName(fields: Record<string, string>): string | null {
  const authors = field(fields, 'Author(s)', 'Authors', 'Author') ?? '';
  const m =
    /(?:on behalf of\s+)?(?:the\s+)?(?:MCP\s+)?(?<![\w-])([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,7}?)\s+(?:Working|Interest)\s+Group\b/.exec(
      authors.replace(/\s+/g, ' '),
    );
  return m ? m[1]!.trim() : null;
}
