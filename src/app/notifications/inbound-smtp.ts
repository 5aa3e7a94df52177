// The inbound mail listener (smtp-server): takes replies to notification mail and hands each to
// acceptReply. It is not a relay: any recipient but reply+SECRET@<reply domain> is refused at
// RCPT. A refused reply (forged sender, used or revoked address, nothing written above the quote)
// is answered 550 with the reason, so the sender's server bounces it to them with that reason; a
// failure of the hub itself is 451, so their server tries again later. The sender is checked
// (sender-check.ts): by the hub itself from the SMTP session and the raw message (SPF, DKIM, DMARC),
// or from a trusted server's Authentication-Results; a DNS failure is 451 too.
import { DomainError, InvalidInput, SettingError } from '../../domain/errors.ts';
import type { Hub } from '../core/hub.ts';
import { LIMITS } from '../../domain/limits.ts';
import { addressGroup } from '../../domain/addresses.ts';
import { automaticMail, headerReader } from '../../domain/notifications/reply-text.ts';
import { MailNotReadNow, parseMail, soleSender } from './parse-mail.ts';
import { acceptReply, describeAccepted } from './replies.ts';
import { findToken } from './tokens.ts';
import type { SenderCheck } from '../../domain/notifications/sender-auth.ts';
import {
  checkRawSender,
  checkTrustedHeader,
  type SenderCheckConfig,
  type SmtpFacts,
  senderCheckConfigFromEnv,
} from './sender-check.ts';

export type InboundOptions = {
  host: string;
  port: number;
  /** The domain of reply addresses (WGHUB_REPLY_DOMAIN). */
  replyDomain: string;
  /** Largest mail taken, in bytes. */
  maxBytes?: number;
  /** How the sender is checked (WGHUB_INBOUND_SENDER_CHECK, WGHUB_INBOUND_TRUSTED_AUTHSERV_ID). */
  senderCheck: SenderCheckConfig;
  /** Told of each reply taken or refused (the server logs it). */
  onReply?: (r: { to: string; ok: boolean; detail: string }) => void;
};

export type InboundSmtp = { port: number; close(): Promise<void> };

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export function replyToken(address: string, replyDomain: string): string | null {
  const m = /^reply\+([0-9a-f]{32})@(.+)$/i.exec(address.trim());
  return m && m[2]!.toLowerCase() === replyDomain.toLowerCase() ? m[1]!.toLowerCase() : null;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/** What an operator should know about how the listener's senders will be judged (serve logs each). */
export function inboundSmtpWarnings(c: Pick<InboundOptions, 'host' | 'senderCheck'>): string[] {
  const mode = c.senderCheck.mode;
  if (mode === 'trusted-header' && !LOOPBACK.test(c.host))
    return [
      `replies by mail: the listener on ${c.host} believes the Authentication-Results of ${c.senderCheck.trustedAuthservIds.join(', ')}; anyone who can reach it can write that field, so let only that mail server reach it`,
    ];
  if (mode === 'dmarc' && LOOPBACK.test(c.host))
    return [
      `replies by mail: the listener on ${c.host} gets its mail through a relay on this machine, so SPF sees the relay's address and only a DKIM signature can pass; if the relay checks senders, set WGHUB_INBOUND_SENDER_CHECK=trusted-header and WGHUB_INBOUND_TRUSTED_AUTHSERV_ID to its authserv-id`,
    ];
  if (mode === 'off') return ['replies by mail: WGHUB_INBOUND_SENDER_CHECK=off believes any From header'];
  return [];
}

export function inboundSmtpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<InboundOptions, 'onReply'> | null {
  const port = env.WGHUB_INBOUND_SMTP_PORT?.trim();
  const replyDomain = env.WGHUB_REPLY_DOMAIN?.trim();
  // a listener for replies needs the domain they are addressed to: one without the other stops the start
  if (port && !replyDomain)
    throw new SettingError(
      'WGHUB_INBOUND_SMTP_PORT is set but WGHUB_REPLY_DOMAIN is not: the listener takes replies sent to reply+…@WGHUB_REPLY_DOMAIN, so set both, or neither',
    );
  if (!port || !replyDomain) return null;
  const n = Number(port);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new SettingError(`WGHUB_INBOUND_SMTP_PORT must be a port number from 0 to 65535, not '${port}'`);
  return {
    host: env.WGHUB_INBOUND_SMTP_HOST?.trim() || '127.0.0.1',
    port: n,
    replyDomain,
    senderCheck: senderCheckConfigFromEnv(env),
  };
}

export async function startInboundSmtp(hub: Hub, opts: InboundOptions): Promise<InboundSmtp> {
  const maxBytes = opts.maxBytes ?? 1_000_000;
  // loaded only by a hub that listens for mail (WGHUB_INBOUND_SMTP_*), not by every `serve`
  const { SMTPServer } = await import('smtp-server');
  // the connections each address holds open now, and the sessions counted in it
  const open = new Map<string, number>();
  const counted = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: maxBytes,
    // one sender cannot hold every connection (onConnect) or keep an idle one forever
    maxClients: LIMITS.inboundMail.smtpClients,
    // MAIL FROM, RCPT TO and HELO: RFC 5321's 512 characters a command line, with room for parameters
    // (smtp-server took 16 KB, and mailauth's work on a MAIL FROM's domain is quadratic in its dots)
    maxCommandLength: 1_024,
    socketTimeout: 30_000,
    banner: 'wghub: replies to notifications only',
    onConnect(session, cb) {
      // an IPv6 sender by its /64: one host holds a whole /64, and would take 5 connections per address
      const from = addressGroup(session.remoteAddress);
      const n = open.get(from) ?? 0;
      if (n >= LIMITS.inboundMail.smtpClientsPerAddress)
        return cb(
          smtpError(
            421,
            `4.7.0 ${n} connections from ${from} are open, and one address may hold ${LIMITS.inboundMail.smtpClientsPerAddress} at once; try again in a moment`,
          ),
        );
      open.set(from, n + 1);
      counted.add(session.id);
      cb();
    },
    onClose(session) {
      // only a connection onConnect let in was counted (one refused, by it or by maxClients, closes too)
      if (!counted.delete(session.id)) return;
      const from = addressGroup(session.remoteAddress);
      const n = (open.get(from) ?? 1) - 1;
      if (n > 0) open.set(from, n);
      else open.delete(from);
    },
    onRcptTo(address, _session, cb) {
      const token = replyToken(address.address, opts.replyDomain);
      if (!token)
        return cb(smtpError(550, '5.1.1 no such mailbox: this server takes only replies to wghub notifications'));
      // an address no notification carried is refused before its mail is read: no DNS is spent on
      // mail to made-up addresses
      findToken(hub.store.db, 'reply', token).then(
        (t) => cb(t ? undefined : smtpError(550, '5.1.1 no such reply address')),
        () => cb(smtpError(451, '4.3.0 the hub could not look the address up now; try again')),
      );
    },
    onData(stream, session, cb) {
      // smtp-server only flags an oversized mail at its end: what lies past the limit is not kept
      const chunks: Buffer[] = [];
      let kept = 0;
      stream.on('data', (c: Buffer) => {
        if (kept > maxBytes) return;
        kept += c.length;
        chunks.push(c);
      });
      stream.on('end', () => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded)
          return cb(smtpError(552, `5.3.4 the mail is larger than ${maxBytes} bytes`));
        const mailFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        void handle(
          Buffer.concat(chunks),
          session.envelope.rcptTo.map((r) => r.address),
          // the null reverse-path (MAIL FROM:<>) is what bounces and auto-replies are sent with
          !mailFrom,
          { ip: session.remoteAddress, helo: session.hostNameAppearsAs || session.clientHostname || '', mailFrom },
        ).then(
          () => cb(),
          (e: Error) => cb(e),
        );
      });
    },
  });

  async function handle(raw: Buffer, recipients: string[], nullSender: boolean, smtp: SmtpFacts): Promise<void> {
    let mail: Awaited<ReturnType<typeof parseMail>>;
    let from: string;
    try {
      mail = await parseMail(raw, 'mail');
      from = soleSender(mail, 'mail');
    } catch (e) {
      if (e instanceof MailNotReadNow) throw smtpError(451, `4.3.2 ${e.message}`);
      if (!(e instanceof InvalidInput)) throw e;
      const reason = e.issues.map((i) => i.rule).join('; ');
      for (const to of recipients) opts.onReply?.({ to, ok: false, detail: reason });
      throw smtpError(550, `5.6.0 not posted: ${reason}`);
    }
    const automatic =
      automaticMail(headerReader(mail.headerLines.map((h) => h.line))) ??
      (nullSender ? 'sent from the null address MAIL FROM:<>' : null);
    // A signature proves the domain sent the mail, not that it was meant for this address: an old
    // signed mail of the member's (a list post starting "yes") re-sent to their reply address would
    // pass. A reply names the address it answers in To or Cc (the notification's Reply-To).
    const named = new Set(
      [mail.to, mail.cc]
        .flatMap((a) => (a ? (Array.isArray(a) ? a : [a]) : []))
        .flatMap((a) => a.value)
        .flatMap((a) => (a.group ? a.group : [a]))
        .map((a) => (a.address ?? '').toLowerCase()),
    );
    const unnamed = recipients.filter((to) => !named.has(to.toLowerCase()));
    if (unnamed.length && opts.senderCheck.mode !== 'off') {
      const reason = `the mail's To and Cc do not name ${unnamed.join(', ')}, the address it was delivered to: a reply to a notification is addressed to it`;
      for (const to of recipients) opts.onReply?.({ to, ok: false, detail: reason });
      throw smtpError(550, `5.7.1 not posted: ${reason}`);
    }
    // automatic mail is dropped whoever sent it, and mail to addresses already used or revoked is
    // refused for that: no DNS is spent on either
    const live = await Promise.all(
      recipients.map(async (to) => {
        const t = await findToken(hub.store.db, 'reply', replyToken(to, opts.replyDomain)!);
        return Boolean(t && !t.used_at && !t.revoked_at);
      }),
    );
    const sender: SenderCheck = automatic
      ? { kind: 'refused', reason: 'automatic mail is not checked', temporary: false }
      : !live.some(Boolean)
        ? { kind: 'refused', reason: 'its reply address cannot be used', temporary: false }
        : await senderOf(raw, from, mail.headerLines, smtp);
    if (sender.kind === 'refused' && sender.temporary) {
      for (const to of recipients) opts.onReply?.({ to, ok: false, detail: sender.reason });
      throw smtpError(451, `4.7.0 the sender could not be checked now (${sender.reason}); try again`);
    }
    for (const to of recipients) {
      const token = replyToken(to, opts.replyDomain)!;
      try {
        const r = await acceptReply(hub, {
          token,
          from,
          messageId: mail.messageId ?? null,
          text: mail.text ?? '',
          automatic,
          sender,
        });
        opts.onReply?.({ to, ok: true, detail: describeAccepted(r) });
      } catch (e) {
        const refused = e instanceof DomainError;
        // an automatic mail is taken and dropped, not bounced: answering one feeds a mail loop (RFC 3834)
        if (refused && automatic) {
          opts.onReply?.({ to, ok: false, detail: e.message });
          continue;
        }
        const reason =
          e instanceof InvalidInput
            ? e.issues.map((i) => i.rule).join('; ')
            : refused
              ? e.message
              : 'the hub could not take the reply now';
        opts.onReply?.({ to, ok: false, detail: reason });
        throw refused ? smtpError(550, `5.7.1 not posted: ${reason}`) : smtpError(451, `4.3.0 ${reason}; try again`);
      }
    }
  }

  async function senderOf(
    raw: Buffer,
    from: string,
    headerLines: readonly { line: string }[],
    smtp: SmtpFacts,
  ): Promise<SenderCheck> {
    const check = opts.senderCheck;
    if (check.mode === 'off') return { kind: 'off' };
    if (check.mode === 'trusted-header')
      return checkTrustedHeader(
        headerLines.map((h) => h.line),
        from,
        check,
      );
    return checkRawSender(raw, from, smtp, check, opts.replyDomain);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
