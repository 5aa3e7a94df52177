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
// mailauth's checks (SPF, DKIM, DMARC, with its certificate and DNS libraries: about 18 MB of a
// process's memory) are loaded by the first mail received over SMTP, not by `serve`
import type { authenticate, DNSResolver } from 'mailauth';
import parseHeader, { type ResultInfo } from 'mailauth/lib/parse-dkim-headers.js';
import { LIMITS } from '../../domain/limits.ts';
import { type AuthVerdicts, judgeSender, type SenderCheck } from '../../domain/notifications/sender-auth.ts';
import { SettingError } from '../../domain/errors.ts';

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
    throw new SettingError(`WGHUB_INBOUND_SENDER_CHECK must be one of ${SENDER_CHECK_MODES.join(', ')}, not '${raw}'`);
  const mode = raw as SenderCheckMode;
  const ids = (env.WGHUB_INBOUND_TRUSTED_AUTHSERV_ID ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids)
    if (!AUTHSERV_ID.test(id))
      throw new SettingError(
        `WGHUB_INBOUND_TRUSTED_AUTHSERV_ID must be host names like mx.example.org, separated by commas, not '${id}'`,
      );
  if (mode === 'trusted-header' && !ids.length)
    throw new SettingError(
      'WGHUB_INBOUND_SENDER_CHECK=trusted-header needs WGHUB_INBOUND_TRUSTED_AUTHSERV_ID: the authserv-id your mail server writes in Authentication-Results',
    );
  return { mode, trustedAuthservIds: ids };
}

/** Each DNS lookup answers within `ms` or fails as a time-out (mailauth reads that as a temporary error). */
function bounded(resolver: DNSResolver, ms: number, check: { over: boolean }): DNSResolver {
  return (name, rrtype) => {
    // the sender has had its answer: mailauth's remaining lookups fail at once instead of holding
    // the mail in memory for minutes (it checks signatures one after another)
    if (check.over)
      return Promise.reject(Object.assign(new Error(`DNS lookup of ${name} after the deadline`), { code: 'ETIMEOUT' }));
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

function systemResolver(ms: number): { resolver: DNSResolver; cancel(): void } {
  const r = new Resolver({ timeout: ms, tries: 2 });
  return {
    resolver: (name, rrtype) => r.resolve(name, rrtype) as Promise<string[][] | string[]>,
    cancel: () => r.cancel(),
  };
}

/** More signatures than anyone's mail carries (a list's, the sender's, their provider's) are not checked one by one. */
export const MAX_DKIM_SIGNATURES = 5;

/** The header fields of a raw message named `name` (case-insensitive), each with its folded lines. */
function headerFields(raw: Buffer, name: string): string[] {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  const fields: string[] = [];
  let inField = false;
  for (const l of head.split(/\r?\n/)) {
    if (l.startsWith(' ') || l.startsWith('\t')) {
      if (inField) fields[fields.length - 1] += l;
    } else {
      inField = l.toLowerCase().startsWith(`${name}:`);
      if (inField) fields.push(l);
    }
  }
  return fields;
}

/**
 * Why a mail is refused before mailauth reads it, or null: a From field, a DKIM signature, a MAIL FROM
 * or a HELO longer than any server writes (LIMITS.inboundMail). mailauth's work on a domain is
 * quadratic in a run of dots, and it runs on the event loop that answers every request.
 */
function tooLongToCheck(raw: Buffer, smtp: SmtpFacts): string | null {
  const { fromFieldChars, dkimSignatureChars, envelopeChars } = LIMITS.inboundMail;
  const from = headerFields(raw, 'from').find((f) => f.length > fromFieldChars);
  if (from) return `its From field is ${from.length} characters long; at most ${fromFieldChars} are checked`;
  const dkim = headerFields(raw, 'dkim-signature').find((f) => f.length > dkimSignatureChars);
  if (dkim)
    return `a DKIM signature of it is ${dkim.length} characters long; at most ${dkimSignatureChars} are checked`;
  if (smtp.mailFrom.length > envelopeChars)
    return `its MAIL FROM is ${smtp.mailFrom.length} characters long; an address has at most 254`;
  if (smtp.helo.length > envelopeChars)
    return `its HELO is ${smtp.helo.length} characters long; a host name has at most 255`;
  return null;
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
  const signatures = headerFields(raw, 'dkim-signature').length;
  if (signatures > MAX_DKIM_SIGNATURES)
    return {
      kind: 'refused',
      reason: `the mail carries ${signatures} DKIM signatures; at most ${MAX_DKIM_SIGNATURES} are checked`,
      temporary: false,
    };
  const tooLong = tooLongToCheck(raw, smtp);
  if (tooLong) return { kind: 'refused', reason: tooLong, temporary: false };
  // loaded before the deadline starts: the first mail's loading is not the sender's DNS being slow
  const { authenticate: check } = await import('mailauth');
  const system = config.resolver ? null : systemResolver(dnsMs);
  const state = { over: false };
  const resolver = bounded(config.resolver ?? system!.resolver, dnsMs, state);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      state.over = true;
      system?.cancel();
      resolve(null);
    }, deadlineMs);
  });
  try {
    const res = await Promise.race<Awaited<ReturnType<typeof authenticate>> | null>([
      check(raw, {
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
    // mailauth judges DMARC for every mail with one From domain (a "none" when none is published):
    // no result means it could not, and nothing else is taken in its place
    if (!res.dmarc)
      return {
        kind: 'refused',
        reason: `DMARC could not be judged for it (${(res as { dmarcSkipReason?: string }).dmarcSkipReason ?? 'no single From domain'})`,
        temporary: false,
      };
    // a signature with l= covers only the first part of the body, and DMARC may pass on it: text
    // added after that part is anyone's
    const partial = (res.dkim.results ?? []).find((r) => (r.status as { underSized?: number }).underSized);
    if (partial)
      return {
        kind: 'refused',
        reason: `${(partial.status as { underSized?: number }).underSized} bytes of its body come after what the DKIM signature of ${partial.signingDomain} covers (l=)`,
        temporary: false,
      };
    const verdicts: AuthVerdicts = {
      dmarc: { result: res.dmarc.status.result, domain: res.dmarc.status.header?.from ?? '' },
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
