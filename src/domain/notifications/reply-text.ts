// What a person wrote in a reply by mail, without the mail they replied to: mail clients quote the
// original below an attribution line ("On Mon, … wrote:"), prefix it with "> ", or put it after
// an "Original Message" rule; a signature follows "-- ". Everything from the first of these on is
// dropped, so the comment holds only the new text.

/** Lines that start the quoted original or the signature: the reply ends above them. */
const CUT: RegExp[] = [
  /^-- ?$/, // signature delimiter (RFC 3676)
  /^-{2,}\s*(original message|forwarded message)\s*-{2,}/i,
  /^_{10,}$/, // Outlook's rule above the original
  /^on .{4,}wrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^le .{4,}a écrit\s*:\s*$/i,
  /^am .{4,}schrieb .{1,80}:\s*$/i,
  /^el .{4,}escribió:\s*$/i,
  /^from:\s.+$/i, // Outlook's header block of the original
  /^sent from my \w+/i,
  /^get outlook for /i,
];

/** An attribution split over two lines by the client's wrapping: "On Mon, 2 Mar 2026, Bo <bo@…>" / "wrote:". */
const SPLIT_ATTRIBUTION = /^on .{4,}$/i;

export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (CUT.some((re) => re.test(t))) break;
    if (SPLIT_ATTRIBUTION.test(t) && /(^|\s)wrote:\s*$/i.test(lines[i + 1]?.trim() ?? '')) break;
    if (t.startsWith('>')) continue; // an interleaved quote: the person's own lines around it stay
    kept.push(line.trimEnd()); // not /\s+$/, which retries from every space of a long run
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
