// A SEP file as a document: its H1 ("SEP-1865: Title"), the header bullets under it (kept as
// written, continuation lines included), and the body as raw markdown. Rendering gives the file
// back byte for byte, so export never loses a field the original readers rely on.

export type SepHeaderField = { key: string; value: string };
export type SepDocument = {
  /** Text before the H1, if any (normally empty). */
  before: string;
  /** The H1 text after "# ". */
  heading: string;
  /** Blank lines and HTML comments (lint directives) between the H1 and the first header bullet. */
  gap: string;
  header: SepHeaderField[];
  /** Everything after the header block, as written. */
  body: string;
};

/** An imported SEP as the hub keeps it: the file's path, its document, and what import warned about. */
export type SepSource = { path: string; document: SepDocument; warnings: string[] };

const FIELD = /^- \*\*([^*]+?)(?::\*\*|\*\*:)[ \t]?(.*)$/;

export function parseSep(src: string): SepDocument {
  const text = src.replace(/\r\n/g, '\n');
  const h1 = /^# (.*)$/m.exec(text);
  if (!h1) return { before: '', heading: '', gap: '', header: [], body: text };
  const before = text.slice(0, h1.index);
  let rest = text.slice(h1.index + h1[0].length);
  const gapMatch = /^(?:\n|<!--[^\n]*?-->[ \t]*(?=\n))*/.exec(rest)!;
  const gap = gapMatch[0];
  rest = rest.slice(gap.length);
  const header: SepHeaderField[] = [];
  const lines = rest.split('\n');
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const m = FIELD.exec(line);
    if (m) {
      header.push({ key: m[1]!.trim(), value: m[2]! });
    } else if (header.length && /^[ \t]+\S/.test(line)) {
      header.at(-1)!.value += `\n${line}`;
    } else break;
  }
  if (!header.length) return { before, heading: h1[1]!, gap, header, body: rest };
  return { before, heading: h1[1]!, gap, header, body: lines.slice(i).join('\n') };
}

export function renderSep(doc: SepDocument): string {
  if (!doc.heading && !doc.header.length) return doc.body;
  const header = doc.header.map((f) => `- **${f.key}**:${f.value === '' ? '' : ' '}${f.value}`).join('\n');
  return `${doc.before}# ${doc.heading}${doc.gap}${header}${doc.header.length ? '\n' : ''}${doc.body}`;
}
