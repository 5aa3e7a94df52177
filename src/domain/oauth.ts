// The hub as the OAuth 2.1 authorization server of its own /mcp endpoint (the MCP authorization
// spec): the rules, with no I/O. What a client may register (https, loopback http or an app's own
// scheme) or name as its metadata document, which redirect URI matches, PKCE S256, the lifetimes of
// codes, tokens and fetched documents, and the one scope a grant carries. The use cases are in
// src/app/people/oauth.ts; the HTTP endpoints in src/http/oauth.ts and the consent page in
// src/http/web/pages/oauth-authorize.ts.
import { createHash, timingSafeEqual } from 'node:crypto';
import { namesPortZero, PORT_RULE } from './addresses.ts';
import { controlCharacterProblem } from './text.ts';

export const OAUTH = {
  /** An authorization code is redeemed within this many seconds of the person's Allow, once. */
  codeSeconds: 120,
  /** An access token works at /mcp for this long; the client then refreshes it. */
  accessSeconds: 3_600,
  /** A refresh token is good for this long, and each use gives a new one (rotation). */
  refreshDays: 30,
  /**
   * A refresh token used again within this many seconds of its first use is a client's own
   * concurrent requests racing to refresh (the SDK's client does: a request and its SSE stream
   * both meet the expired token), answered with new tokens; later, it was copied, and the grant ends.
   */
  refreshReuseSeconds: 30,
  /** The one scope: act as the person who allowed it, with their permissions, through /mcp. */
  scope: 'mcp',
  /** Bounds on what a client registers (RFC 7591) or sends to the authorization endpoint. */
  clientName: 100,
  redirectUris: 10,
  redirectUri: 1_000,
  /** state, code_challenge, scope and the like: characters each. */
  param: 500,
  /** A registration body, in bytes. */
  registrationBytes: 16_384,
  /** The whole authorization request's query, in characters: it rides through sign-in in a cookie. */
  authorizeQuery: 2_500,
  /**
   * Registration is open, so what nobody uses is dropped: a client nobody allowed within this many
   * days of registering (one that was allowed is kept), and the oldest of those waiting when more
   * than `waitingClients` wait. Codes and tokens go once expired, a revoked grant after `revokedDays`.
   */
  unallowedClientDays: 7,
  waitingClients: 10_000,
  revokedDays: 30,
  /** A Client ID Metadata Document: bytes read, and the time its fetch may take. */
  metadataDocumentBytes: 16_384,
  metadataDocumentMs: 5_000,
} as const;

/** Secrets handed to clients: an access token, a refresh token, an authorization code. */
export const PREFIX = { access: 'wgha_', refresh: 'wghr_', code: 'wghc_' } as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Schemes that are never an app's redirect: they run script, read local files or memory, or hand the
 * browser to something other than the app that asked (refused with their name, whatever else allows).
 */
const DANGEROUS_SCHEMES = new Set([
  'javascript',
  'vbscript',
  'data',
  'file',
  'blob',
  'filesystem',
  'about',
  'view-source',
  'jar',
  'intent',
  'chrome',
  'chrome-extension',
  'moz-extension',
  'ms-msdt',
  'search-ms',
  'ms-officecmd',
  'shell',
  'mailto',
  'tel',
  'sms',
  'ftp',
  'ws',
  'wss',
]);

/**
 * Private-use schemes of MCP clients people run on their own computer that predate RFC 8252's
 * reverse-domain advice (their apps register them with the system): the editors and assistants.
 */
export const APP_SCHEMES: readonly string[] = [
  'claude',
  'code-oss',
  'cursor',
  'kiro',
  'positron',
  'trae',
  'vscode',
  'vscode-insiders',
  'vscodium',
  'windsurf',
  'zed',
];

/** A reverse domain name (RFC 8252 §7.1: com.example.app), each label letters, digits and hyphens. */
const REVERSE_DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** A URL's scheme without the colon, in lower case (the URL parser lowers it). */
const schemeOf = (u: URL) => u.protocol.slice(0, -1);

/** Whether a redirect URI goes to an app by a private-use scheme (RFC 8252 §7.1), not to http(s). */
export function isPrivateUseRedirect(uri: string): boolean {
  const u = URL.parse(uri);
  return !!u && u.protocol !== 'http:' && u.protocol !== 'https:';
}

/** The setting that adds private-use schemes to APP_SCHEMES (docs/configuration.md). */
export const APP_SCHEMES_SETTING = 'WGHUB_OAUTH_APP_SCHEMES';

/** A URI scheme's syntax (RFC 3986 §3.1), in the lower case the URL parser gives it. */
const SCHEME = /^[a-z][a-z0-9+.-]*$/;

/**
 * Why `scheme` may not be added to the apps' schemes by the operator, or null when it may: it must
 * be a scheme by RFC 3986's syntax (written without the colon), and never one the browser or system
 * acts on itself (http, https, javascript, data, file…), which would turn a redirect into something
 * other than handing the code to the app that asked.
 */
export function appSchemeProblem(scheme: string): string | null {
  if (!SCHEME.test(scheme))
    return `${scheme.slice(0, 60)} is not a URI scheme (RFC 3986: a letter, then letters, digits, +, - or .; written without the colon)`;
  if (scheme.length > 60) return `${scheme.slice(0, 60)}… is longer than 60 characters`;
  if (scheme === 'http' || scheme === 'https')
    return `${scheme} is not a private-use scheme (http(s) redirect URIs follow their own rule)`;
  if (DANGEROUS_SCHEMES.has(scheme)) return `${scheme} is never a redirect (it is not an app's own scheme)`;
  return null;
}

/**
 * Why a private-use scheme may not be a redirect, or null when it may: a reverse domain name
 * (com.example.app, RFC 8252 §7.1), or one of the known apps' own schemes (APP_SCHEMES and those the
 * operator adds). Any other word could be a scheme the browser or system acts on itself, so it is
 * refused rather than guessed at.
 */
function privateUseProblem(u: URL, appSchemes: readonly string[]): string | null {
  const scheme = schemeOf(u);
  if (DANGEROUS_SCHEMES.has(scheme)) return `${scheme}: is never a redirect (it is not an app's own scheme)`;
  if (REVERSE_DOMAIN.test(scheme) || APP_SCHEMES.includes(scheme) || appSchemes.includes(scheme)) return null;
  const known = [...new Set([...APP_SCHEMES, ...appSchemes])].sort();
  return `must be https, http on localhost, 127.0.0.1 or [::1], or an app's private-use scheme: a reverse domain name such as com.example.app: (RFC 8252 §7.1) or one of ${known.join(', ')}; ${scheme}: is none of these`;
}

/**
 * Why a redirect URI may not be registered, or null when it may: https, http on the loopback, or an
 * app's private-use scheme (RFC 8252 §7.1 and §7.3); `appSchemes` are the operator's additions to
 * APP_SCHEMES (each passed appSchemeProblem when read).
 */
export function redirectUriProblem(uri: string, appSchemes: readonly string[] = []): string | null {
  if (uri.length > OAUTH.redirectUri) return `must be at most ${OAUTH.redirectUri} characters`;
  // the URL parser drops tabs and line breaks and keeps invisible characters, so the address stored
  // (and matched exactly later) would not be the one checked and shown
  if (/\s/.test(uri) || controlCharacterProblem(uri, false))
    return 'must not contain spaces, line breaks, control or invisible characters (percent-encode them)';
  const u = URL.parse(uri);
  if (!u) return 'must be an absolute URL';
  if (u.hash || uri.includes('#')) return 'must not have a fragment (#…)';
  if (u.username || u.password) return 'must not carry a user name or password';
  // http://127.0.0.1:0/cb was registered, though no client can listen there to be sent back to:
  // the rule chat webhooks keep (attack round 30)
  if ((u.protocol === 'http:' || u.protocol === 'https:') && namesPortZero(u)) return PORT_RULE;
  // the consent page's CSP names the client's origin, so a host must be a DNS name or an IPv4
  // address: the URL parser lets ';' and ',' through, which would end or add a directive, and CSP
  // cannot name an IPv6 literal (only [::1] over http, by scheme and port: formActionSource)
  if (u.protocol === 'https:')
    return /^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+$/.test(u.hostname)
      ? null
      : 'must name a host of letters, digits, hyphens and dots, or an IPv4 address (an https IPv6 address is not taken)';
  if (u.protocol === 'http:') {
    if (LOOPBACK_HOSTS.has(u.hostname)) return null;
    return 'may be http only on localhost, 127.0.0.1 or [::1] (a native client on this machine); anything else must be https';
  }
  return privateUseProblem(u, appSchemes);
}

/** Whether a native client's loopback URI (any port, RFC 8252 §7.3) or any other URI is exactly one registered. */
export function redirectUriMatches(registered: readonly string[], asked: string): boolean {
  if (registered.includes(asked)) return true;
  const a = URL.parse(asked);
  if (!a || a.protocol !== 'http:' || !LOOPBACK_HOSTS.has(a.hostname) || namesPortZero(a)) return false;
  const portless = (u: URL) => {
    const c = new URL(u.href);
    c.port = '';
    return c.href;
  };
  return registered.some((r) => {
    const u = URL.parse(r);
    return !!u && u.protocol === 'http:' && u.hostname === a.hostname && portless(u) === portless(a);
  });
}

/**
 * The CSP source the consent page names in form-action so that the browser follows the answer's
 * redirect to this URI (Chromium applies form-action to a form submission's redirects). Its origin,
 * except for an IPv6 address literal (http://[::1]:PORT, a native client's loopback): CSP's source
 * grammar has no IPv6 literals, and Chromium ignores such a source and blocks the redirect. Those
 * are named by scheme and port with any host (a path would not narrow it: CSP ignores paths after a
 * redirect). An app's private-use scheme is named as a scheme (`cursor:`): Chromium blocks the
 * redirect when the source names a host too (cursor://anysphere.cursor-retrieval, tried in
 * test/web/oauth-consent.browser.test.ts), and whatever follows the scheme goes to that one app.
 */
export function formActionSource(uri: string): string {
  const u = new URL(uri);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.protocol;
  if (!u.hostname.startsWith('[')) return u.origin;
  return `${u.protocol}//*:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}

/**
 * Where a redirect goes, as a person reads it: the host of an http(s) URI; for an app's private-use
 * scheme the URI up to its query (cursor://anysphere.cursor-retrieval/oauth/callback), since the
 * scheme names the app.
 */
export function redirectHost(uri: string): string {
  const u = URL.parse(uri);
  if (!u) return uri;
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.host;
  return uri.split(/[?#]/)[0]!;
}

/** A PKCE code challenge or verifier's characters (RFC 7636 §4.1): 43 to 128 unreserved ones. */
const PKCE_TEXT = /^[A-Za-z0-9\-._~]{43,128}$/;

export function challengeProblem(challenge: string | undefined, method: string | undefined): string | null {
  if (!challenge) return 'code_challenge is required (PKCE with S256)';
  if (method !== 'S256')
    return method
      ? `code_challenge_method must be S256; ${method.slice(0, 20)} is not accepted`
      : 'code_challenge_method is required and must be S256';
  if (!PKCE_TEXT.test(challenge)) return 'code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~';
  return null;
}

/** Whether a code verifier answers the S256 challenge it was sent with. */
export function verifierAnswers(verifier: string, challenge: string): boolean {
  if (!PKCE_TEXT.test(verifier)) return false;
  const made = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const want = Buffer.from(challenge);
  return made.length === want.length && timingSafeEqual(made, want);
}

/** The resource URI compared as RFC 8707 asks: as given, ignoring one trailing slash. */
export function sameResource(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\/$/, '');
  return norm(a) === norm(b);
}

/** The scope a grant gets for what was asked: always the one scope (unknown scopes are ignored, RFC 6749 §3.3). */
export function grantedScope(_asked: string | undefined): string {
  return OAUTH.scope;
}

/** Whether a client id is a Client ID Metadata Document URL (an https URL with a path). */
export function isMetadataDocumentId(clientId: string): boolean {
  const u = URL.parse(clientId);
  return !!u && u.protocol === 'https:' && u.pathname !== '/' && !u.hash;
}

/**
 * Why a Client ID Metadata Document's URL may not be a client id, or null when it may (the CIMD
 * draft, §3): https with a path, no fragment, user name or dot segments, bounded like a redirect URI.
 */
export function metadataDocumentIdProblem(clientId: string): string | null {
  if (clientId.length > OAUTH.redirectUri) return `must be at most ${OAUTH.redirectUri} characters`;
  const u = URL.parse(clientId);
  if (u?.protocol !== 'https:') return 'must be an https URL';
  if (u.pathname === '/') return 'must have a path (https://app.example/client.json)';
  if (clientId.includes('#')) return 'must not have a fragment (#…)';
  if (u.username || u.password) return 'must not carry a user name or password';
  // the URL parser resolves them, so look at what was sent
  if (/\/\.\.?(?:\/|$|\?)/.test(clientId.split('?')[0]!.replace(/^https:\/\/[^/]*/i, '')))
    return 'must not have . or .. path segments';
  if (!/^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+$/.test(u.hostname))
    return 'must name a host of letters, digits, hyphens and dots, or an IPv4 address';
  // what the parser would make of it must be what was sent: %2e%2e, backslashes, :443 and
  // capitals in the host each name another URL than the one written
  if (u.href !== clientId) return `must be written as the URL it is (${u.href.slice(0, 200)})`;
  return null;
}

/**
 * How long a fetched metadata document is used before it is fetched again: its Cache-Control
 * max-age, kept between 5 minutes (a hub at a client's sign-in page is not a fetcher for hire) and a
 * day (a client that changed its redirect URIs is heard within one); an hour when it says nothing.
 */
export function metadataDocumentSeconds(cacheControl: string | null): number {
  const directives = (cacheControl ?? '').toLowerCase();
  if (/\bno-(?:store|cache)\b/.test(directives)) return 300;
  const maxAge = /\bmax-age=(\d+)/.exec(directives)?.[1];
  if (maxAge === undefined) return 3_600;
  return Math.min(86_400, Math.max(300, Number(maxAge)));
}
