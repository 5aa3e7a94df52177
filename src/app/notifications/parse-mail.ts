// A received mail, parsed (mailparser). A message the parser refuses (more parts than it takes, a
// header block past its limit, a line past its limit) is the sender's bad input, answered with the
// reason, never a failure of the hub that a mail server or a provider would retry for days.
// A From naming several mailboxes is refused too: a reply comes from one person, and taking the
// first of 'From: owner@example.org, someone@else.example' let a stranger's mail read as the owner's.
// The mail is read in a thread of its own (parse-mail-thread.ts), one at a time, and a mail that
// takes longer than LIMITS.inboundMail.parseMs is put off and the thread ended (attack round 17: a
// mail of 120,000 tiny HTML paragraphs, to an address already used, held the event loop five
// seconds, and reaching the provider's webhook needs no reply address at all). mailparser (with its
// charset tables) is loaded by the first mail, in that thread, not by `serve`: most hubs never
// receive one, and it is about 6 MB of memory (docs/performance.md); the thread ends when idle.
import { Worker as Thread } from 'node:worker_threads';
import { invalid } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { ParseAnswer, ParseRequest, ReadMail } from './parse-mail-thread.ts';

export type { ReadMail };

/** A mail that could not be read now (too many waiting, the thread failed): the sender tries again later. */
export class MailNotReadNow extends Error {}

type Waiting = {
  raw: string | Uint8Array;
  field: string;
  parseMs: number;
  resolve: (m: ReadMail) => void;
  reject: (e: unknown) => void;
};

const IDLE_MS = 30_000;
const entry = () => new URL(`./parse-mail-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
const queue: Waiting[] = [];
let thread: Thread | null = null;
/** Whether the thread has loaded mailparser: a mail's deadline counts from then. */
let ready = false;
let current: (Waiting & { id: number; deadline: NodeJS.Timeout | null; thread: Thread }) | null = null;
let ids = 0;
let idle: NodeJS.Timeout | null = null;

function startThread(): Thread {
  const t = new Thread(entry());
  t.unref();
  t.on('message', (a: ParseAnswer) => {
    if (thread !== t) return;
    if ('ready' in a) {
      ready = true;
      if (current && !current.deadline) current.deadline = deadlineFor(current.id, current);
      return;
    }
    if (!current || a.id !== current.id) return;
    const done = current;
    current = null;
    if (done.deadline) clearTimeout(done.deadline);
    if ('error' in a) done.reject(invalid(done.field, `cannot be read as a mail (${a.error.slice(0, 200)})`));
    else done.resolve(a.mail);
    next();
  });
  const lost = (why: string) => {
    if (thread !== t) return;
    thread = null;
    const failed = current;
    current = null;
    if (failed) {
      if (failed.deadline) clearTimeout(failed.deadline);
      failed.reject(new MailNotReadNow(`the thread reading mail stopped (${why}); try again`));
    }
    next();
  };
  t.on('error', (e) => lost(e.message));
  t.on('exit', (code) => lost(`exit ${code}`));
  return t;
}

function next(): void {
  if (current) return;
  const w = queue.shift();
  if (!w) {
    // an idle thread gives its memory back; the next mail starts another
    if (thread && !idle) {
      const t = thread;
      idle = setTimeout(() => {
        idle = null;
        if (thread === t && !current) {
          thread = null;
          void t.terminate();
        }
      }, IDLE_MS);
      idle.unref();
    }
    return;
  }
  if (idle) {
    clearTimeout(idle);
    idle = null;
  }
  if (!thread) {
    ready = false;
    thread = startThread();
  }
  const t = thread;
  const id = ++ids;
  current = { ...w, id, deadline: null, thread: t };
  if (ready) current.deadline = deadlineFor(id, current);
  t.postMessage({ id, raw: w.raw } satisfies ParseRequest);
}

/**
 * The deadline of the mail being read. Past it the thread, stuck in the mail's synchronous work, is
 * ended (the next mail gets a new one) and the mail is answered "try again later", not refused: on a
 * machine busy with other work a genuine reply may read slowly too, and the sender's server tries
 * again, each time costing the reading thread and never the event loop.
 */
function deadlineFor(id: number, w: Waiting & { thread: Thread }): NodeJS.Timeout {
  return setTimeout(() => {
    if (current?.id !== id) return;
    current = null;
    thread = null;
    void w.thread.terminate();
    w.reject(
      new MailNotReadNow(
        `it took longer than ${w.parseMs / 1000} seconds to read, past what a reply takes; try again later, or send it as plain text`,
      ),
    );
    next();
  }, w.parseMs);
}

/**
 * The mail read (in the reading thread), or refused as invalid input naming `field`: a message the
 * parser refuses, and one with no text but HTML too long to read as text. MailNotReadNow (try again
 * later) when too many mails wait already, or it takes longer than `parseMs` to read.
 */
export function parseMail(raw: string | Buffer, field: string, opts: { parseMs?: number } = {}): Promise<ReadMail> {
  if (queue.length >= LIMITS.inboundMail.waiting)
    return Promise.reject(new MailNotReadNow('too many mails are waiting to be read; try again in a few minutes'));
  return new Promise<ReadMail>((resolve, reject) => {
    queue.push({
      raw: typeof raw === 'string' ? raw : new Uint8Array(raw),
      field,
      parseMs: opts.parseMs ?? LIMITS.inboundMail.parseMs,
      resolve,
      reject,
    });
    next();
  }).then((m) => {
    if (m.textConversionError && !m.text?.trim())
      throw invalid(
        field,
        `has no plain-text part, and its HTML could not be read as text (${m.textConversionError.slice(0, 100)}; at most ${LIMITS.inboundMail.htmlChars} characters): send it as plain text too`,
      );
    return m;
  });
}

/** The one address a mail's From names; a From of several mailboxes (or a group of them) is refused. */
export function soleSender(mail: ReadMail, field: string): string {
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
