// A received mail, parsed (mailparser). A message the parser refuses (more parts than it takes, a
// header block past its limit, a line past its limit) is the sender's bad input, answered with the
// reason, never a failure of the hub that a mail server or a provider would retry for days.
// A From naming several mailboxes is refused too: a reply comes from one person, and taking the
// first of 'From: owner@example.org, someone@else.example' let a stranger's mail read as the owner's.
// mailparser (with its charset tables) is loaded by the first mail, not by `serve`: most hubs never
// receive one, and it is about 6 MB of a process's memory (docs/performance.md).
import type { ParsedMail } from 'mailparser';
import { invalid } from '../../domain/errors.ts';

export async function parseMail(raw: string | Buffer, field: string): Promise<ParsedMail> {
  const { simpleParser } = await import('mailparser');
  try {
    return await simpleParser(raw);
  } catch (e) {
    throw invalid(field, `cannot be read as a mail (${(e instanceof Error ? e.message : String(e)).slice(0, 200)})`);
  }
}

/** The one address a mail's From names; a From of several mailboxes (or a group of them) is refused. */
export function soleSender(mail: ParsedMail, field: string): string {
  // mailparser reads the first of several From fields, DMARC cannot judge such a mail at all (RFC 7489
  // 6.6.1), and a genuine signed mail with a forged From added above it read as the forged sender's
  const fields = mail.headerLines.filter((h) => h.key === 'from').length;
  if (fields > 1)
    throw invalid(field, `its header has ${fields} From fields; a mail has one, naming the one person it is from`);
  const all = (mail.from?.value ?? []).flatMap((a) => (a.group ? a.group : [a]));
  if (all.length > 1)
    throw invalid(
      field,
      `its From names ${all.length} addresses; a reply is accepted from one, the one it was sent to`,
    );
  return all[0]?.address ?? '';
}
