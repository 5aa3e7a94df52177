// OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) through
// openid-client. The provider's metadata is discovered once, at the first sign-in.
import type * as OpenId from 'openid-client';
import type { OidcConfig } from './config.ts';

// Loaded at the first sign-in, not at start: a demo hub never needs it.
const lib = () => import('openid-client');

export type OidcLogin = { url: URL; verifier: string; state: string; nonce: string };
export type OidcClaims = {
  issuer: string;
  subject: string;
  handle: string;
  name: string;
  timeZone: string | null;
  github: string | null;
  /** The e-mail address, and whether the provider says it verified it (email_verified: true, nothing else). */
  email: string | null;
  emailVerified: boolean;
};

const configs = new Map<string, Promise<OpenId.Configuration>>();

function discover(o: OidcConfig): Promise<OpenId.Configuration> {
  const key = `${o.issuer}\n${o.clientId}`;
  let found = configs.get(key);
  if (!found) {
    found = lib().then((client) =>
      client.discovery(
        new URL(o.issuer),
        o.clientId,
        o.clientSecret,
        undefined,
        o.allowHttpIssuer ? { execute: [client.allowInsecureRequests] } : undefined,
      ),
    );
    // a provider that was down at the first sign-in is asked again at the next one
    found.catch(() => configs.delete(key));
    configs.set(key, found);
  }
  return found;
}

/** Where to send the browser to sign in, and the secrets to keep (in a cookie) until it returns. */
export async function startOidcLogin(o: OidcConfig, redirectUri: string): Promise<OidcLogin> {
  const client = await lib();
  const config = await discover(o);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: o.scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, verifier, state, nonce };
}

/** Exchanges the code the provider sent back, checks state, nonce and the ID token, and reads who it is. */
export async function finishOidcLogin(
  o: OidcConfig,
  currentUrl: URL,
  login: { verifier: string; state: string; nonce: string },
): Promise<OidcClaims> {
  const client = await lib();
  const config = await discover(o);
  const tokens = await client.authorizationCodeGrant(config, currentUrl, {
    pkceCodeVerifier: login.verifier,
    expectedState: login.state,
    expectedNonce: login.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims()!;
  // Profile claims often live only at the userinfo endpoint (an ID token may carry just `sub`).
  const info = tokens.access_token ? await client.fetchUserInfo(config, tokens.access_token, idClaims.sub) : {};
  const all: Record<string, unknown> = { ...info, ...idClaims };
  const str = (k: string) => {
    const v = all[k];
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  const handle =
    str(o.handleClaim) ?? str('preferred_username') ?? str('nickname') ?? str('email')?.split('@')[0] ?? idClaims.sub;
  return {
    issuer: String(idClaims.iss),
    subject: idClaims.sub,
    handle,
    name: str('name') ?? handle,
    timeZone: str('zoneinfo'),
    github: str('github') ?? null,
    email: str('email'),
    emailVerified: all.email_verified === true,
  };
}
