// Sender authentication for tests, with real parts and no network: a DKIM key made here, which
// nodemailer signs outgoing mail with (its `dkim` option), and a DNS of our own for mailauth that
// publishes the matching key record, and DMARC and SPF records where a test asks for them.
import { generateKeyPairSync } from 'node:crypto';
import type { DNSResolver } from 'mailauth';
import type { SenderCheckConfig } from '../../src/app/notifications/sender-check.ts';

export const SELECTOR = 'wg2026';

export type FakeDns = {
  resolver: DNSResolver;
  /** TXT records by name; edit freely. */
  txt: Map<string, string[]>;
  /** Names whose lookups never answer (a slow DNS server). */
  silent: Set<string>;
  /** Every lookup made, as "TYPE name". */
  asked: string[];
  /** nodemailer's `dkim` option signing as this domain, whose key record is published. */
  signAs(domain: string): { domainName: string; keySelector: string; privateKey: string };
  /** Publishes a DMARC record for the domain (`p=reject` unless told). */
  dmarc(domain: string, policy?: string): void;
  /** A config for the listener's own check with this DNS. */
  config(extra?: Partial<SenderCheckConfig>): SenderCheckConfig;
};

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_B64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

export function fakeDns(): FakeDns {
  const txt = new Map<string, string[]>();
  const silent = new Set<string>();
  const asked: string[] = [];
  const fail = (code: string, name: string) => Object.assign(new Error(`${code} ${name}`), { code });
  const resolver: DNSResolver = async (name, rrtype) => {
    const key = name.toLowerCase().replace(/\.$/, '');
    asked.push(`${rrtype} ${key}`);
    if (silent.has(key)) return new Promise<never>(() => {});
    if (rrtype === 'TXT' && txt.has(key)) return txt.get(key)!.map((r) => [r]);
    const known = [...txt.keys()].some((k) => k === key || k.endsWith(`.${key}`));
    throw known ? fail('ENODATA', key) : fail('ENOTFOUND', key);
  };
  const dns: FakeDns = {
    resolver,
    txt,
    silent,
    asked,
    signAs(domain) {
      txt.set(`${SELECTOR}._domainkey.${domain}`, [`v=DKIM1; k=rsa; p=${PUBLIC_B64}`]);
      return { domainName: domain, keySelector: SELECTOR, privateKey: PRIVATE_PEM };
    },
    dmarc(domain, policy = 'reject') {
      txt.set(`_dmarc.${domain}`, [`v=DMARC1; p=${policy}`]);
    },
    config: (extra = {}) => ({ mode: 'dmarc', trustedAuthservIds: [], resolver, ...extra }),
  };
  return dns;
}
