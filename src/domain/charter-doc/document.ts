// A charter as a document: front matter, preamble, and sections of blocks, where every table
// cell and every paragraph is the raw markdown as written. Keeping the raw text is what lets
// export give back every row and section of a real, messy charter.
import MarkdownIt from 'markdown-it';
import { z } from 'zod';
import { LIMITS } from '../limits.ts';

export type Align = 'left' | 'right' | 'center' | null;
export type MarkdownBlock = { type: 'markdown'; text: string };
export type TableBlock = { type: 'table'; columns: string[]; align: Align[]; rows: string[][] };
export type Block = MarkdownBlock | TableBlock;
export type CharterSection = { heading: string; level: number; blocks: Block[] };
export type CharterDocument = {
  frontmatter: { key: string; value: string }[];
  preamble: string;
  sections: CharterSection[];
};

/** The document's shape, for reading one back from stored JSON (an event's facts) without a cast. */
export const CharterDocumentShape = z.object({
  frontmatter: z.array(z.object({ key: z.string(), value: z.string() })),
  preamble: z.string(),
  sections: z.array(
    z.object({
      heading: z.string(),
      level: z.number(),
      blocks: z.array(
        z.discriminatedUnion('type', [
          z.object({ type: z.literal('markdown'), text: z.string() }),
          z.object({
            type: z.literal('table'),
            columns: z.array(z.string()),
            align: z.array(z.enum(['left', 'right', 'center']).nullable()),
            rows: z.array(z.array(z.string())),
          }),
        ]),
      ),
    }),
  ),
}) satisfies z.ZodType<CharterDocument>;

// A charter is read for its blocks (headings, tables, lists) by their place in the source, so
// inline markup is never parsed: block parsing in markdown-it is linear in the text and stops
// nesting at LIMITS.markdown.maxNesting, so no crafted charter can stall an import.
const blockParser = MarkdownIt('default', { html: true, maxNesting: LIMITS.markdown.maxNesting });
blockParser.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join']);

/** A top-level block of markdown, by its character offsets in the source (end: its last non-space character). */
export type TopBlock = {
  type: 'heading' | 'table' | 'list' | 'other';
  depth: number;
  start: number;
  end: number;
  /** A list's items, by offsets, when type is 'list'. */
  items: { start: number; end: number }[];
};

export function topBlocks(text: string): TopBlock[] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const span = (map: [number, number]) => {
    const start = lineStarts[map[0]] ?? text.length;
    const rawEnd = map[1] < lineStarts.length ? lineStarts[map[1]]! : text.length;
    return { start, end: start + text.slice(start, rawEnd).trimEnd().length };
  };
  const out: TopBlock[] = [];
  const tokens = blockParser.parse(text, {});
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.level !== 0 || t.nesting === -1 || !t.map) continue;
    const block: TopBlock = { type: 'other', depth: 0, ...span(t.map), items: [] };
    if (t.type === 'heading_open') Object.assign(block, { type: 'heading', depth: Number(t.tag.slice(1)) });
    else if (t.type === 'table_open') block.type = 'table';
    else if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') {
      block.type = 'list';
      for (let j = i + 1; j < tokens.length && tokens[j]!.level > 0; j++) {
        const item = tokens[j]!;
        if (item.type === 'list_item_open' && item.level === 1 && item.map) block.items.push(span(item.map));
      }
    }
    out.push(block);
  }
  return out;
}

function splitFrontmatter(src: string): { frontmatter: CharterDocument['frontmatter']; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(src);
  if (!m) return { frontmatter: [], body: src };
  const frontmatter = m[1]!
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const i = line.indexOf(':');
      return i < 0 ? { key: line, value: '' } : { key: line.slice(0, i), value: line.slice(i + 1).trim() };
    });
  return { frontmatter, body: src.slice(m[0].length) };
}

/** Splits one table row line on the pipes GFM splits on: not escaped (\|). */
export function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && s[i + 1] === '|') {
      cur += '\\|';
      i++;
    } else if (ch === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

function alignOf(cell: string): Align {
  const c = cell.trim();
  if (c.startsWith(':') && c.endsWith(':') && c.length > 1) return 'center';
  if (c.endsWith(':')) return 'right';
  if (c.startsWith(':')) return 'left';
  return null;
}

function tableBlock(node: TopBlock, src: string): TableBlock {
  const lines = src.slice(node.start, node.end).split(/\r?\n/);
  const [header, delimiter, ...rows] = lines;
  return {
    type: 'table',
    columns: splitRow(header!),
    align: splitRow(delimiter ?? '').map(alignOf),
    rows: rows.filter((r) => r.trim() !== '').map(splitRow),
  };
}

function headingText(node: TopBlock, src: string): string {
  return src
    .slice(node.start, node.end)
    .replace(/^#+[ \t]*/, '')
    .replace(/[ \t]#+[ \t]*$/, '') // one blank before the closing #s (trim takes the rest): linear
    .trim();
}

export function parseCharter(src: string): CharterDocument {
  const { frontmatter, body } = splitFrontmatter(src.replace(/\r\n/g, '\n'));
  const blocks = topBlocks(body);
  const doc: CharterDocument = { frontmatter, preamble: '', sections: [] };
  let pending: { start: number; end: number } | null = null;
  const flush = () => {
    if (!pending) return;
    const text = body.slice(pending.start, pending.end).trim();
    pending = null;
    if (!text) return;
    const section = doc.sections.at(-1);
    if (section) section.blocks.push({ type: 'markdown', text });
    else doc.preamble = doc.preamble ? `${doc.preamble}\n\n${text}` : text;
  };
  for (const node of blocks) {
    const { start, end } = node;
    if (node.type === 'heading' && (node.depth === 2 || node.depth === 3)) {
      flush();
      doc.sections.push({ heading: headingText(node, body), level: node.depth, blocks: [] });
    } else if (node.type === 'table') {
      flush();
      const section = doc.sections.at(-1);
      const block = tableBlock(node, body);
      if (section) section.blocks.push(block);
      else doc.preamble = [doc.preamble, body.slice(start, end)].filter(Boolean).join('\n\n');
    } else {
      pending = pending ? { start: pending.start, end } : { start, end };
    }
  }
  flush();
  return doc;
}

/** Display width as prettier measures it: one per code point, two for wide East Asian characters. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (/\p{Mn}/u.test(ch) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    w +=
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1f300 && cp <= 0x1faff) ||
      (cp >= 0x20000 && cp <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

function pad(text: string, width: number, align: Align): string {
  const gap = Math.max(0, width - displayWidth(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(Math.ceil(gap / 2));
  return text + ' '.repeat(gap);
}

/**
 * How much larger padding may make a table than its cells written as they are (and always allowed up
 * to PADDED_FREE characters): one very wide cell over thousands of short rows would otherwise pad
 * every row to its width, 150 MB from a section of 50,000 characters.
 */
const PADDING_FACTOR = 8;
const PADDED_FREE = 65_536;

export function renderTable(t: TableBlock): string {
  const n = t.columns.length;
  const all = [t.columns, ...t.rows];
  const cellWidths = all.map((r) => r.map(displayWidth));
  const widths = t.columns.map((_, i) => {
    let w = 3;
    for (const r of cellWidths) w = Math.max(w, r[i] ?? 0);
    return w;
  });
  // the characters of the rows as written and as padded ("| " and " |" around, " | " between)
  let unpadded = 0;
  let padded = widths.reduce((a, b) => a + b + 3, 1);
  for (const r of cellWidths)
    r.forEach((w, i) => {
      unpadded += w + 3;
      padded += (widths[i] ?? w) + 3;
    });
  if (padded > PADDED_FREE && padded > PADDING_FACTOR * unpadded) return unpaddedTable(t);
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => pad(c, widths[i] ?? displayWidth(c), t.align[i] ?? null)).join(' | ')} |`;
  const delimiter = `| ${widths
    .slice(0, n)
    .map((w, i) => {
      const a = t.align[i] ?? null;
      if (a === 'center') return `:${'-'.repeat(w - 2)}:`;
      if (a === 'right') return `${'-'.repeat(w - 1)}:`;
      if (a === 'left') return `:${'-'.repeat(w - 1)}`;
      return '-'.repeat(w);
    })
    .join(' | ')} |`;
  return [line(t.columns), delimiter, ...t.rows.map(line)].join('\n');
}

/** A table written with its cells as they are: the same table to every reader, without the padding. */
function unpaddedTable(t: TableBlock): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const delimiter = `| ${t.columns
    .map((_, i) => {
      const a = t.align[i] ?? null;
      return a === 'center' ? ':-:' : a === 'right' ? '--:' : a === 'left' ? ':--' : '---';
    })
    .join(' | ')} |`;
  return [line(t.columns), delimiter, ...t.rows.map(line)].join('\n');
}

export function renderBlock(b: Block): string {
  return b.type === 'table' ? renderTable(b) : b.text;
}

/** A block as written with no padding: a table's cells and separators alone (what its text measures). */
export function unpaddedBlock(b: Block): string {
  return b.type === 'table' ? unpaddedTable(b) : b.text;
}

export function renderCharter(doc: CharterDocument): string {
  const parts: string[] = [];
  if (doc.frontmatter.length)
    parts.push(
      `---\n${doc.frontmatter.map((f) => (f.value === '' && !f.key.includes(':') ? f.key : `${f.key}: ${f.value}`)).join('\n')}\n---`,
    );
  if (doc.preamble) parts.push(doc.preamble);
  for (const s of doc.sections) {
    parts.push(`${'#'.repeat(s.level)} ${s.heading}`);
    for (const b of s.blocks) parts.push(renderBlock(b));
  }
  return parts.join('\n\n') + '\n';
}
