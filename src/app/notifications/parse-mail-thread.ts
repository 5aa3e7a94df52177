// The thread received mail is read in (parse-mail.ts starts it): mailparser's work is synchronous in
// long stretches (an HTML part turned into text, addresses and encoded words in the headers), and a
// mail of 1 MB made to be slow held the event loop that answers every request for seconds. Here it
// holds only this thread, which the serving thread ends when a mail takes too long.
import { parentPort } from 'node:worker_threads';
import type { ParsedMail } from 'mailparser';
import { LIMITS } from '../../domain/limits.ts';

/** What the hub reads of a mail: all that crosses back to the serving thread. */
export type ReadMail = Pick<ParsedMail, 'headerLines' | 'from' | 'to' | 'cc' | 'messageId' | 'text'> & {
  /** Why an HTML part could not be turned into text (too long, nested too deep), when one could not. */
  textConversionError?: string;
};

export type ParseRequest = { id: number; raw: string | Uint8Array };
export type ParseAnswer = { id: number; mail: ReadMail } | { id: number; error: string } | { ready: true };

const { simpleParser } = await import('mailparser');
// loading mailparser is the thread's, not the first mail's: its deadline starts from here
parentPort?.postMessage({ ready: true } satisfies ParseAnswer);

parentPort?.on('message', async ({ id, raw }: ParseRequest) => {
  try {
    const m = await simpleParser(typeof raw === 'string' ? raw : Buffer.from(raw), {
      // the hub reads a reply's text, never its HTML: no links found in the text to make HTML of
      // (linkify spent up to a second on a mail of addresses), no images inlined into HTML unread
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: LIMITS.inboundMail.htmlChars,
    });
    const mail: ReadMail = {
      headerLines: m.headerLines,
      from: m.from,
      to: m.to,
      cc: m.cc,
      messageId: m.messageId,
      text: m.text,
      ...(m.textConversionError ? { textConversionError: m.textConversionError.message } : {}),
    };
    parentPort?.postMessage({ id, mail } satisfies ParseAnswer);
  } catch (e) {
    parentPort?.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies ParseAnswer);
  }
});
