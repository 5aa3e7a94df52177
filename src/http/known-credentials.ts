// The credentials each hub has seen sign someone in (an API or OAuth access token, a web session), by
// a hash, so the rate limits (rate-limits.ts), which run before any of them is looked up, count a
// request by its credential only when it is one: a made-up token or session cookie in every request
// was a fresh budget each (attack round 31: a visitor's made-up `wghub_session` was served as a
// visitor's request and never limited; a made-up token was a 401, but unlimited, and on PostgreSQL a
// new row in `rate_limits` each). One not seen yet counts against itself and then its address. The newest KEPT are kept.
import { createHash } from 'node:crypto';
import type { Hub } from '../app/core/hub.ts';
import { accessTokenSignsIn } from '../app/people/oauth.ts';
import { webSession } from '../app/people/web-sessions.ts';
import { authenticate } from '../app/people/tokens.ts';
import { PREFIX } from '../domain/oauth.ts';

export type CredentialKind = 'token' | 'session';

const KEPT = 10_000;
const seen = new WeakMap<Hub, Map<string, true>>();

/** How the rate limits name a credential (its kind and a short hash of it: never the secret itself). */
export const credentialKey = (kind: CredentialKind, secret: string): string =>
  `${kind}:${createHash('sha256').update(secret).digest('base64url').slice(0, 22)}`;

/** Tells the rate limits that `secret` signs someone in: its requests count against it from then on. */
export function credentialSignsIn(hub: Hub, kind: CredentialKind, secret: string): void {
  let known = seen.get(hub);
  if (!known) {
    known = new Map();
    seen.set(hub, known);
  }
  const key = credentialKey(kind, secret);
  if (known.has(key)) return;
  if (known.size >= KEPT) known.delete(known.keys().next().value!);
  known.set(key, true);
}

/** Whether a credential's key (`credentialKey`) was seen signing someone in on this hub. */
export function credentialSeen(hub: Hub, key: string): boolean {
  return seen.get(hub)?.has(key) ?? false;
}

/**
 * Whether `secret` signs someone in now, looked up (and, when it does, remembered as seen). The rate
 * limits ask only for a credential not seen yet from an address whose budget is spent: a person whose
 * request this process has not seen since it started is not refused for someone else's flood.
 */
export async function credentialSignsInNow(hub: Hub, kind: CredentialKind, secret: string): Promise<boolean> {
  let signs: boolean;
  const metrics = process.env.WGHUB_METRICS_TOKEN;
  if (kind === 'session') signs = (await webSession(hub, secret)) !== null;
  // the scraper's /metrics token (observability.ts) is no person's, but a budget of its own all the same
  else if (metrics && secret === metrics) signs = true;
  else if (secret.startsWith(PREFIX.access)) signs = await accessTokenSignsIn(hub, secret);
  else
    signs = await authenticate(hub, secret).then(
      () => true,
      () => false,
    );
  if (signs) credentialSignsIn(hub, kind, secret);
  return signs;
}
