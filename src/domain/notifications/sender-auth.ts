// Who really sent a reply: the From header is trivially forged, so a reply by mail counts only when
// the From domain's own authentication says so. The results come from the hub's own check of the
// raw message (SPF, DKIM and DMARC with mailauth, on the SMTP listener) or from the one
// Authentication-Results field of a server the operator trusts (RFC 8601); this rule is the same
// for both, and pure.
//
// The rule: DMARC pass for the From domain is accepted, DMARC fail refused (whatever the domain's
// p=: a domain that publishes DMARC said how its mail is recognised, and this mail is not). Where the
// domain publishes no DMARC record, a DKIM signature of the From domain itself (d= equal to it) or an
// SPF pass for a MAIL FROM in the From domain itself is accepted: strict alignment, since without a
// record nothing says a parent or sibling domain speaks for it. A DNS failure is temporary (the
// sender's server tries again), never a pass.

import { domainToASCII } from 'node:url';
import { withoutTrailing } from '../text.ts';

/** One method's result as a verifier reported it. */
export type MethodResult = { result: string; domain: string };

/** What a verifier found about one mail: DMARC for its From domain, each DKIM signature, SPF for its MAIL FROM. */
export type AuthVerdicts = {
  dmarc: MethodResult | null;
  dkim: MethodResult[];
  spf: MethodResult | null;
};

/** How the sender of one reply stands. */
export type SenderCheck =
  /** WGHUB_INBOUND_SENDER_CHECK=off: the From header is taken as it is. */
  | { kind: 'off' }
  | { kind: 'verified'; how: string }
  /** `temporary`: a DNS failure or time-out; the same mail may pass later. */
  | { kind: 'refused'; reason: string; temporary: boolean };

// a domain as DNS knows it: mailparser gives the From's domain in Unicode (bücher.example) while
// verifiers report the ASCII form (xn--bcher-kva.example). By hand, not /\.+$/: a regular expression
// anchored only at the end retries from every dot of a long run, and a From of 100,000 dots took 18 s
// of the event loop, from anyone mailing a provider's inbound webhook (attack round 17)
const bare = (d: string) => {
  const lower = d.trim().toLowerCase();
  const domain = withoutTrailing(lower.slice(lower.lastIndexOf('@') + 1), '.');
  return domainToASCII(domain) || domain;
};

const TEMPORARY = new Set(['temperror', 'temperr']);

const unanswered = (v: AuthVerdicts) =>
  [...v.dkim, ...(v.spf ? [v.spf] : [])].some((m) => TEMPORARY.has(m.result.toLowerCase()));

export function fromDomain(from: string): string {
  return bare(from);
}

export function judgeSender(from: string, v: AuthVerdicts): SenderCheck {
  const domain = fromDomain(from);
  if (!domain) return { kind: 'refused', reason: 'the From address has no domain', temporary: false };
  const refused = (reason: string, temporary = false): SenderCheck => ({ kind: 'refused', reason, temporary });
  if (v.dmarc) {
    const about = bare(v.dmarc.domain);
    const r = v.dmarc.result.toLowerCase();
    if (about && about !== domain) return refused(`the DMARC result is about ${about}, not the From domain ${domain}`);
    if (r === 'pass') return { kind: 'verified', how: `DMARC pass for ${domain}` };
    if (TEMPORARY.has(r)) return refused(`DMARC temperror for ${domain}: its DNS did not answer`, true);
    // a key or SPF record that did not come might have made it pass: ask again later
    if (r === 'fail' && unanswered(v)) return refused(`DMARC fail for ${domain} while DNS did not answer`, true);
    if (r !== 'none') return refused(`DMARC ${r} for ${domain}`);
  }
  // no DMARC record: a signature or an SPF pass of the From domain itself
  const dkim = v.dkim.find((s) => s.result.toLowerCase() === 'pass' && bare(s.domain) === domain);
  if (dkim) return { kind: 'verified', how: `DKIM signature of ${domain} (no DMARC record)` };
  if (v.spf && v.spf.result.toLowerCase() === 'pass' && bare(v.spf.domain) === domain)
    return { kind: 'verified', how: `SPF pass for ${domain} (no DMARC record)` };
  if (unanswered(v)) return refused(`DKIM or SPF temperror for ${domain}: its DNS did not answer`, true);
  const found = [
    ...v.dkim
      .filter((s) => bare(s.domain))
      .map((s) => `DKIM ${s.result.toLowerCase()} for ${bare(s.domain) || 'no domain'}`),
    ...(v.spf ? [`SPF ${v.spf.result.toLowerCase()} for ${bare(v.spf.domain) || 'no domain'}`] : []),
  ];
  // a mail may carry many signatures: the reason names a few
  const listed = found.length > 4 ? [...found.slice(0, 4), `${found.length - 4} more`] : found;
  return refused(
    `${v.dmarc ? 'no DMARC record' : 'no DMARC result'} for ${domain}, and no DKIM signature or SPF pass of ${domain} itself${listed.length ? `: ${listed.join(', ')}` : ''}`,
  );
}
