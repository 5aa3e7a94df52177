// A received mail, parsed (mailparser). A message the parser refuses (more parts than it takes, a
// header block past its limit, a line past its limit) is the sender's bad input, answered with the
// reason, never a failure of the hub that a mail server or a provider would retry for days.
import { type ParsedMail, simpleParser } from 'mailparser';
import { invalid } from '../../domain/errors.ts';

export async function parseMail(raw: string | Buffer, field: string): Promise<ParsedMail> {
  try {
    return await simpleParser(raw);
  } catch (e) {
    throw invalid(field, `cannot be read as a mail (${(e instanceof Error ? e.message : String(e)).slice(0, 200)})`);
  }
}
