// Inbound mail through a provider's webhook (Mailgun routes, Postmark inbound, SendGrid parse, or a
// relay of one's own): the provider POSTs the mail as JSON, a form or multipart, and each reply
// goes through acceptReply, exactly as from the SMTP listener. The POST is authenticated by an
// HMAC-SHA256 of its raw body under WGHUB_INBOUND_WEBHOOK_SECRET (the same scheme the hub's own
// signed chat webhooks use), checked before anything in it is read; the secret reply address and
// the From check still apply to every reply, so a valid signature alone posts nothing. The hub
// cannot check DKIM on a message a provider has taken apart, so the sender is vouched for by the
// provider's Authentication-Results field of the authserv-id the operator trusts (sender-check.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DomainError, invalid, SettingError } from '../../domain/errors.ts';
import { automaticMail, headerReader, messageIdProblem } from '../../domain/notifications/reply-text.ts';
import type { Hub } from '../core/hub.ts';
import { parseMail, soleSender } from './parse-mail.ts';
import { type AcceptedReply, acceptReply } from './replies.ts';
import { checkTrustedHeader, type SenderCheckConfig, senderCheckConfigFromEnv } from './sender-check.ts';

export type InboundWebhookConfig = {
  secret: string;
  replyDomain: string;
  maxBytes: number;
  /** How the sender is checked: here always from the trusted Authentication-Results, unless off. */
  senderCheck: SenderCheckConfig;
};

export const SIGNATURE_HEADER = 'x-wghub-signature-256';

export function inboundWebhookConfigFromEnv(env: NodeJS.ProcessEnv = process.env): InboundWebhookConfig | null {
  const secret = env.WGHUB_INBOUND_WEBHOOK_SECRET?.trim();
  const replyDomain = env.WGHUB_REPLY_DOMAIN?.trim();
  if (!secret) return null;
  // as with the SMTP listener's port: a secret with no reply domain would serve no webhook, silently
  if (!replyDomain)
    throw new SettingError(
      'WGHUB_INBOUND_WEBHOOK_SECRET is set but WGHUB_REPLY_DOMAIN is not: the webhook takes replies sent to reply+…@WGHUB_REPLY_DOMAIN, so set both, or neither',
    );
  if (secret.length < 16) throw new SettingError('WGHUB_INBOUND_WEBHOOK_SECRET must be at least 16 characters');
  const senderCheck = senderCheckConfigFromEnv(env);
  if (senderCheck.mode !== 'off' && !senderCheck.trustedAuthservIds.length)
    throw new SettingError(
      "WGHUB_INBOUND_WEBHOOK_SECRET needs WGHUB_INBOUND_TRUSTED_AUTHSERV_ID: the authserv-id in your mail provider's Authentication-Results (the hub cannot check DKIM on a message the provider took apart), or WGHUB_INBOUND_SENDER_CHECK=off to believe the From header",
    );
  return { secret, replyDomain, maxBytes: 1_000_000, senderCheck };
}

/** sha256=HEX over the raw body; compared in constant time. */
export function signatureMatches(secret: string, body: Uint8Array, header: string | undefined): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!m) return false;
  const want = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(want, Buffer.from(m[1]!, 'hex'));
}

export function signBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** One mail as the providers send it, field names of each accepted. */
/** The fields a provider posts (any names: providers differ); JSON must be an object. */
export const InboundFields = z.record(z.string(), z.unknown());
export type InboundFields = z.output<typeof InboundFields>;
// Postmark's structured addresses; anything else in those fields is read as absent
const Address = z.object({ Email: z.string() }).partial().catch({});
const Postmark = z.object({
  FromFull: Address.optional().catch(undefined),
  ToFull: z.array(Address).catch([]).default([]),
});

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const first = (f: InboundFields, ...names: string[]) => {
  for (const n of names) {
    const v = str(f[n]).trim();
    if (v) return v;
  }
  return '';
};
/**
 * "Ana <ana@example.org>" → ana@example.org: the first <…> holding an address. Not /<([^<>\s]+@[^<>\s]+)>/,
 * which tried every "@" of a long run against every other: a From of "<a@a@a@…" (80 KB) took five
 * seconds of the event loop, sent by anyone mailing the provider (attack round 17).
 */
const bareAddress = (s: string) => {
  for (const m of s.matchAll(/<([^<>\s]*)>/g)) if (m[1]!.slice(1, -1).includes('@')) return m[1]!;
  return s.trim();
};

type Mail = {
  from: string;
  to: string[];
  text: string;
  messageId: string | null;
  automatic: string | null;
  /** The mail's header lines, where the provider passed them. */
  headers: string[];
};

const Pair = z.tuple([z.string(), z.string()]);
/**
 * The mail's own header lines as each provider passes them: Postmark's `Headers` ([{Name, Value}]),
 * Mailgun's `message-headers` (JSON of [name, value] pairs), SendGrid's `headers` (the raw block).
 * What does not fit is read as no headers.
 */
function headerLinesOf(f: InboundFields): string[] {
  const postmark = z.array(z.object({ Name: z.string(), Value: z.string() })).safeParse(f.Headers);
  if (postmark.success) return postmark.data.map((h) => `${h.Name}: ${h.Value}`);
  const mailgun = f['message-headers'];
  if (typeof mailgun === 'string') {
    try {
      const pairs = z.array(Pair).safeParse(JSON.parse(mailgun));
      if (pairs.success) return pairs.data.map(([k, v]) => `${k}: ${v}`);
    } catch {
      // not JSON: no headers
    }
  }
  const block = str(f.headers) || str(f.Headers);
  return block ? block.split(/\r?\n(?![ \t])/) : [];
}

async function mailOf(f: InboundFields): Promise<Mail> {
  // a provider that passes the whole MIME message (SendGrid "email", Mailgun "body-mime")
  const field = ['raw', 'email', 'body-mime', 'RawEmail'].find((n) => str(f[n]).trim());
  if (field) {
    const m = await parseMail(str(f[field]).trim(), field);
    const to = [m.to, m.cc].flat().flatMap((a) => (a ? a.value.map((v) => v.address ?? '') : []));
    const headers = m.headerLines.map((h) => h.line);
    return {
      from: soleSender(m, field),
      to,
      text: m.text ?? '',
      messageId: m.messageId ?? null,
      automatic: automaticMail(headerReader(headers)),
      headers,
    };
  }
  const postmark = Postmark.parse(f);
  const fromFull = postmark.FromFull;
  const toFull = postmark.ToFull.map((t) => str(t.Email));
  // a provider's From field read as the header it was, so the one-address rule holds here too
  const fromField = first(f, 'from', 'From', 'sender');
  const from = fromField
    ? soleSender(await parseMail(`From: ${fromField.replace(/[\r\n]+/g, ' ')}\r\n\r\n`, 'from'), 'from') ||
      bareAddress(fromField)
    : str(fromFull?.Email).trim();
  return {
    from,
    to: [first(f, 'to', 'To', 'recipient', 'OriginalRecipient'), ...toFull],
    text: first(f, 'text', 'TextBody', 'body-plain'),
    messageId: first(f, 'messageId', 'MessageID', 'Message-Id') || null,
    automatic: automaticMail(headerReader(headerLinesOf(f))),
    headers: headerLinesOf(f),
  };
}

export type WebhookOutcome =
  | { to: string; ok: true; proposal?: string; meeting?: string; decision?: string; answer?: string; id: string }
  | { to: string; ok: false; reason: string };

/**
 * Hands each reply address among the mail's recipients to acceptReply. A refusal (forged sender,
 * used or revoked address, nothing above the quote) is reported, not thrown; a failure of the
 * hub itself is thrown, so the provider tries again.
 */
export async function receiveInboundMail(
  hub: Hub,
  config: InboundWebhookConfig,
  fields: InboundFields,
): Promise<WebhookOutcome[]> {
  const mail = await mailOf(fields);
  const pattern = new RegExp(
    `reply\\+([0-9a-f]{32})@${config.replyDomain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    'gi',
  );
  const tokens = new Map<string, string>();
  for (const line of mail.to)
    for (const m of line.matchAll(pattern)) tokens.set(m[1]!.toLowerCase(), m[0]!.toLowerCase());
  if (!tokens.size)
    throw invalid('to', `names no reply address (reply+SECRET@${config.replyDomain}): this hook takes only replies`);
  if (!mail.from) throw invalid('from', 'is missing: a reply is accepted only from the address it was sent to');
  // the whole post is refused (422), as for a missing From: the provider sent it, no reply address can take it
  const idProblem = mail.messageId === null ? null : messageIdProblem(mail.messageId);
  if (idProblem) throw invalid('messageId', idProblem);
  const sender =
    config.senderCheck.mode === 'off'
      ? ({ kind: 'off' } as const)
      : checkTrustedHeader(mail.headers, mail.from, config.senderCheck);
  const out: WebhookOutcome[] = [];
  for (const [token, to] of tokens) {
    try {
      const r: AcceptedReply = await acceptReply(hub, {
        token,
        from: mail.from,
        messageId: mail.messageId,
        text: mail.text,
        automatic: mail.automatic,
        sender,
      });
      out.push({ to, ok: true, ...r.where, id: r.id });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      out.push({ to, ok: false, reason: e.message });
    }
  }
  return out;
}
