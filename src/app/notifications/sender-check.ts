// Checking who sent a reply by mail (src/domain/notifications/sender-auth.ts says the rule). Two
// sources of results:
// - the hub's own check of the raw message on its SMTP listener: SPF from the client's IP, HELO and
//   MAIL FROM, DKIM and DMARC (mailauth), with every DNS lookup bounded in time and the whole check
//   under a deadline, so one slow DNS answer stalls no other mail;
// - the Authentication-Results field of a server the operator trusts (its authserv-id, RFC 8601):
//   a provider's inbound webhook, or a listener behind the operator's own MX. Any other such field
//   is ignored (anyone may write one), and a mail carrying two that claim the trusted id is refused:
//   the sender forged one of them.
import { Resolver } from 'node:dns/promises';
import { authenticate, type DNSResolver } from 'mailauth';
import parseHeader, { type ResultInfo } from 'mailauth/lib/parse-dkim-headers.js';
import { type AuthVerdicts, judgeSender, type SenderCheck } from '../../domain/notifications/sender-auth.ts';

export type SenderCheckMode = 'dmarc' | 'trusted-header' | 'off';
export const SENDER_CHECK_MODES: readonly SenderCheckMode[] = ['dmarc', 'trusted-header', 'off'];

export type SenderCheckConfig = {
  /**
   * `dmarc`: the listener checks SPF, DKIM and DMARC itself; the webhook reads the trusted
   * Authentication-Results. `trusted-header`: both read the trusted Authentication-Results only.
   * `off`: the From header is believed (development, or a hub whose members accept that risk).
   */
  mode: SenderCheckMode;
  /** The authserv-ids whose Authentication-Results are believed (WGHUB_INBOUND_TRUSTED_AUTHSERV_ID). */
  trustedAuthservIds: string[];
  /** DNS for mailauth (tests give a fake one); the system's resolver otherwise. */
  resolver?: DNSResolver;
  /** Longest wait for one DNS answer, in ms. */
  dnsTimeoutMs?: number;
  /** Longest the whole check of one mail may take, in ms. */
  deadlineMs?: number;
};

const DNS_TIMEOUT_MS = 3_000;
const DEADLINE_MS = 15_000;
const AUTHSERV_ID = /^[A-Za-z0-9._-]{1,253}$/;

export function senderCheckConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SenderCheckConfig {
  const raw = env.WGHUB_INBOUND_SENDER_CHECK?.trim() || 'dmarc';
  if (!SENDER_CHECK_MODES.includes(raw as SenderCheckMode))
    throw new Error(`WGHUB_INBOUND_SENDER_CHECK must be one of ${SENDER_CHECK_MODES.join(', ')}, not '${raw}'`);
  const mode = raw as SenderCheckMode;
  const ids = (env.WGHUB_INBOUND_TRUSTED_AUTHSERV_ID ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids)
    if (!AUTHSERV_ID.test(id))
      throw new Error(
        `WGHUB_INBOUND_TRUSTED_AUTHSERV_ID must be host names like mx.example.org, separated by commas, not '${id}'`,
      );
  if (mode === 'trusted-header' && !ids.length)
    throw new Error(
      'WGHUB_INBOUND_SENDER_CHECK=trusted-header needs WGHUB_INBOUND_TRUSTED_AUTHSERV_ID: the authserv-id your mail server writes in Authentication-Results',
    );
  return { mode, trustedAuthservIds: ids };
}

/** Each DNS lookup answers within `ms` or fails as a time-out (mailauth reads that as a temporary error). */
function bounded(resolver: DNSResolver, ms: number): DNSResolver {
  return (name, rrtype) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`DNS lookup of ${name} timed out`), { code: 'ETIMEOUT' })),
        ms,
      );
    });
    return Promise.race([resolver(name, rrtype), late]).finally(() => clearTimeout(timer));
  };
}

function systemResolver(ms: number): DNSResolver {
  const r = new Resolver({ timeout: ms, tries: 2 });
  return (name, rrtype) => r.resolve(name, rrtype) as Promise<string[][] | string[]>;
}

/** The SMTP session's facts that SPF needs. */
export type SmtpFacts = { ip: string; helo: string; mailFrom: string };

/** The hub's own SPF, DKIM and DMARC check of a raw message received over SMTP. */
export async function checkRawSender(
  raw: Buffer,
  from: string,
  smtp: SmtpFacts,
  config: SenderCheckConfig,
  mta: string,
): Promise<SenderCheck> {
  const dnsMs = config.dnsTimeoutMs ?? DNS_TIMEOUT_MS;
  const deadlineMs = config.deadlineMs ?? DEADLINE_MS;
  const resolver = bounded(config.resolver ?? systemResolver(dnsMs), dnsMs);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), deadlineMs);
  });
  try {
    const res = await Promise.race<Awaited<ReturnType<typeof authenticate>> | null>([
      authenticate(raw, {
        ip: smtp.ip,
        helo: smtp.helo,
        sender: smtp.mailFrom,
        mta,
        resolver,
        disableArc: true,
        disableBimi: true,
      }),
      late,
    ]);
    if (!res)
      return {
        kind: 'refused',
        reason: `checking SPF, DKIM and DMARC took longer than ${deadlineMs / 1000} s`,
        temporary: true,
      };
    const verdicts: AuthVerdicts = {
      dmarc: res.dmarc ? { result: res.dmarc.status.result, domain: res.dmarc.status.header?.from ?? '' } : null,
      dkim: (res.dkim.results ?? []).map((r) => ({ result: r.status.result, domain: r.signingDomain ?? '' })),
      spf: res.spf ? { result: res.spf.status.result, domain: res.spf.domain ?? '' } : null,
    };
    return judgeSender(from, verdicts);
  } catch (e) {
    // mailauth answers DNS failures with temperror itself; what throws is the message
    return {
      kind: 'refused',
      reason: `its authentication could not be read (${(e as Error).message.slice(0, 200)})`,
      temporary: false,
    };
  } finally {
    clearTimeout(timer);
  }
}

const info = (r: ResultInfo | undefined) => (r?.value ?? '').toLowerCase();
const domainOf = (s: string | undefined) => (s ?? '').replace(/^.*@/, '');

/**
 * The results in the one Authentication-Results field of a trusted authserv-id among a mail's
 * header lines ("Name: value", folded or not).
 */
export function checkTrustedHeader(headerLines: string[], from: string, config: SenderCheckConfig): SenderCheck {
  const trusted = new Set(config.trustedAuthservIds.map((id) => id.toLowerCase()));
  const named = config.trustedAuthservIds.join(' or ');
  const fields = headerLines
    .filter((l) => /^authentication-results\s*:/i.test(l))
    .map((l) => parseHeader(l.replace(/\r?\n[ \t]+/g, ' ')).parsed)
    .filter((p) => trusted.has((p.value ?? '').trim().split(/\s+/)[0]!.toLowerCase()));
  if (!fields.length)
    return {
      kind: 'refused',
      reason: `no Authentication-Results from ${named}, the server this hub trusts to check senders`,
      temporary: false,
    };
  if (fields.length > 1)
    return {
      kind: 'refused',
      reason: `${fields.length} Authentication-Results fields claim to come from ${named}, so one was written by someone else`,
      temporary: false,
    };
  const p = fields[0]!;
  const verdicts: AuthVerdicts = {
    dmarc: p.dmarc ? { result: info(p.dmarc), domain: p.dmarc.header?.from ?? '' } : null,
    dkim: (p.dkim ?? []).map((s) => ({
      result: info(s),
      domain: s.header?.d ?? domainOf(s.header?.i),
    })),
    spf: p.spf ? { result: info(p.spf), domain: domainOf(p.spf.smtp?.mailfrom) } : null,
  };
  return judgeSender(from, verdicts);
}
