// A real SMTP server on the loopback (smtp-server) that keeps every mail it is sent, parsed by
// mailparser, so tests read back headers, both bodies and links as a mail client would.
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Received = { to: string[]; raw: string; mail: ParsedMail; header(name: string): string };

export type LoopbackSmtp = {
  port: number;
  url: string;
  received: Received[];
  /** Addresses refused at RCPT TO with a permanent 550. */
  refuse: Set<string>;
  /** Answer the next n DATA commands with a temporary 451 (after reading the mail). */
  failNext(n: number): void;
  /** Runs once a mail was read and before the server answers it (what happens while a mail is in flight). */
  whileReceiving: ((mail: Received) => Promise<void>) | null;
  close(): Promise<void>;
};

export async function startSmtp(): Promise<LoopbackSmtp> {
  const received: Received[] = [];
  const refuse = new Set<string>();
  let failing = 0;
  const hooks: { whileReceiving: ((mail: Received) => Promise<void>) | null } = { whileReceiving: null };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (refuse.has(address.address.toLowerCase())) {
        const e = new Error('5.1.1 no such mailbox') as Error & { responseCode: number };
        e.responseCode = 550;
        return cb(e);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((mail) => {
            const got: Received = {
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              mail,
              header: (name) => {
                const v = mail.headers.get(name.toLowerCase());
                return typeof v === 'string' ? v : Array.isArray(v) ? v.join(' ') : v ? JSON.stringify(v) : '';
              },
            };
            received.push(got);
            return (hooks.whileReceiving?.(got) ?? Promise.resolve()).then(() => got);
          })
          .then(() => {
            if (failing > 0) {
              failing--;
              const e = new Error('4.3.0 try again later') as Error & { responseCode: number };
              e.responseCode = 451;
              return cb(e);
            }
            cb();
          }, cb);
      });
    },
  });
  // A client that dies mid-session (a worker killed with -9, as a test does on purpose) resets its
  // connection; smtp-server reports that as an 'error' event, which with no listener would be
  // thrown in the test process. A reset or broken pipe is the client's going; anything else is said.
  server.on('error', (e: Error & { code?: string }) => {
    if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') console.error('loopback SMTP server:', e);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse,
    failNext: (n) => {
      failing = n;
    },
    get whileReceiving() {
      return hooks.whileReceiving;
    },
    set whileReceiving(f) {
      hooks.whileReceiving = f;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
