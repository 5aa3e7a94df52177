// Slips a reader notices in a page's visible text: doubled stops and commas (". ." or ".."), "::",
// and counts that contradict themselves ("Quorum: 2 of 1"). Preformatted text and form values are
// left out, and inline code counts as one word: there ".." and "::" are the writer's (paths, C++
// names, IPv6).

/** Visible prose of a page: no head, scripts, code, pre, textarea or tags; inline tags leave no gap. */
export function visibleProse(html: string): string {
  return (
    html
      .replace(/<head>[\s\S]*?<\/head>/, '')
      .replace(/<(script|style|pre|textarea|select)\b[\s\S]*?<\/\1>/g, ' ')
      // inline code reads as a word in its sentence ("allows `anyOf`, `oneOf`"), whatever it holds
      .replace(/<code\b[\s\S]*?<\/code>/g, 'code')
      .replace(/<\/?(a|strong|em|b|i|span|abbr|time|q|mark|small|sup|sub|del|ins|kbd|s|u)\b[^>]*>/g, '')
      .replace(/<[^>]+>/g, '\n')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/[ \t]+/g, ' ')
  );
}

const SLIPS: [string, RegExp][] = [
  // two stops that are not an ellipsis, a path (../) or a range (1..5)
  ['doubled stop', /(?<![.\d/])\.\.(?![./\d])/],
  ['doubled stop', /(?<![.\s])\. \.(?!\.)/],
  ['doubled comma', /,\s*,/],
  ['doubled colon', /(?<![\w:])::(?![\w:])|\w ?:: /],
  ['stop after a colon', /:\s?\.(?![.\w])/],
];

/** Each slip found, with a little of the text around it. */
export function punctuationSlips(html: string): string[] {
  const out: string[] = [];
  for (const line of visibleProse(html).split('\n')) {
    const text = line.trim();
    if (!text) continue;
    for (const [name, re] of SLIPS) {
      const m = re.exec(text);
      if (m) out.push(`${name}: “${text.slice(Math.max(0, m.index - 40), m.index + 40)}”`);
    }
    // "2 of 1 needed", "Step 4 of 3": a part larger than its whole
    for (const m of text.matchAll(/\b(\d+) of (\d+)\b/g))
      if (Number(m[1]) > Number(m[2]))
        out.push(`count larger than its whole: “${text.slice(Math.max(0, m.index - 30), m.index + 30)}”`);
  }
  return out;
}
