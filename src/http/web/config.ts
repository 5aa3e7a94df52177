// How the web UI signs people in, read once from the environment: OpenID Connect when an issuer
// is configured, GitHub when the GitHub App's OAuth client is, either or both; demo mode (pick a
// demo person) only when neither is.
import { type Secret, secret } from '../../app/github/config.ts';
import { hostnameOf } from '../../domain/addresses.ts';
import { SettingError } from '../../domain/errors.ts';

export type OidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  /** The claim that becomes the handle of a newly linked person. */
  handleClaim: string;
  scope: string;
  /** Allows an http:// issuer (a provider on the loopback in tests); never set it in production. */
  allowHttpIssuer: boolean;
};

/** Sign-in with GitHub: the GitHub App's (or an OAuth App's) client, and the API it belongs to. */
export type GithubSignInConfig = {
  clientId: string;
  /** Held in a closure: printing or logging the config shows `[secret]`. */
  clientSecret: Secret;
  /** api.github.com, GitHub Enterprise's /api/v3, or the stand-in in tests; the web flow's host follows from it. */
  apiUrl: string;
};

export type WebConfig = {
  oidc: OidcConfig | null;
  /** Absent or null: no "Sign in with GitHub". */
  github?: GithubSignInConfig | null;
  /** The hub's public origin (https://hub.example.org); decides cookie security and redirect URIs. */
  publicUrl: string | null;
  /** Secure cookies: on whenever the public URL is https, or forced with WGHUB_COOKIE_SECURE=1. */
  secureCookies: boolean;
  sessionHours: number;
  /**
   * Where MCP clients' metadata documents (a client_id that is an https URL) may come from besides
   * public addresses (WGHUB_CLIENT_METADATA_ALLOWED_HOSTS), and, for tests, the certificates to trust.
   */
  clientMetadata?: { allowedHosts: string[]; ca?: string };
  /**
   * Host names a request's Host header is trusted to name when `publicUrl` is unset, for the OAuth
   * addresses the consent page and the metadata documents build (WGHUB_ALLOWED_HOSTS; createHttpApp
   * adds the loopback names and the hosts /mcp answers to, the listen address among them).
   */
  hosts?: readonly string[];
};

/** The setting naming the hosts the hub answers to by name besides the loopback and its listen address. */
export const ALLOWED_HOSTS = 'WGHUB_ALLOWED_HOSTS';

/** A host name (letters, digits, hyphens, dots), an IPv4 address or a bracketed IPv6 one; no scheme, port or path. */
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$|^\[[0-9a-f:.]+\]$/;

/** WGHUB_ALLOWED_HOSTS, checked: comma-separated host names, lower-cased. */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const hosts = (env[ALLOWED_HOSTS] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const h of hosts)
    if (!HOST_NAME.test(h) || !URL.canParse(`http://${h}`))
      throw new SettingError(
        `${ALLOWED_HOSTS} must be comma-separated host names (hub.example.org, 10.0.0.5 or [fd00::5], no scheme, port or path), not '${h.slice(0, 100)}'`,
      );
  // as a Host header's URL.hostname reads them, which is what they are compared with: [fd00:0::5] is [fd00::5]
  return [...new Set(hosts.map(hostnameOf))];
}

export function webConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const publicUrl = env.WGHUB_PUBLIC_URL?.replace(/\/+$/, '') || null;
  const issuer = env.WGHUB_OIDC_ISSUER?.trim();
  const oidc: OidcConfig | null = issuer
    ? {
        issuer,
        clientId: required(env, 'WGHUB_OIDC_CLIENT_ID'),
        clientSecret: env.WGHUB_OIDC_CLIENT_SECRET || undefined,
        handleClaim: env.WGHUB_OIDC_HANDLE_CLAIM || 'preferred_username',
        scope: env.WGHUB_OIDC_SCOPE || 'openid profile email',
        allowHttpIssuer: env.WGHUB_OIDC_ALLOW_HTTP === '1',
      }
    : null;
  const github = githubSignInFromEnv(env);
  const hours = Number(env.WGHUB_SESSION_HOURS ?? 24 * 14);
  if (!Number.isFinite(hours) || hours <= 0)
    throw new SettingError(`WGHUB_SESSION_HOURS must be a positive number of hours, not '${env.WGHUB_SESSION_HOURS}'`);
  return {
    oidc,
    github,
    publicUrl,
    secureCookies: env.WGHUB_COOKIE_SECURE === '1' || (publicUrl?.startsWith('https://') ?? false),
    sessionHours: hours,
    clientMetadata: {
      allowedHosts: (env.WGHUB_CLIENT_METADATA_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    },
    hosts: allowedHostsFromEnv(env),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name]?.trim();
  if (!v)
    throw new SettingError(
      `${name} must be set when WGHUB_OIDC_ISSUER is (the client id registered with your identity provider)`,
    );
  return v;
}

/**
 * WGHUB_GITHUB_CLIENT_ID and WGHUB_GITHUB_CLIENT_SECRET (the GitHub App's "Client ID" and a client
 * secret generated there) turn on "Sign in with GitHub"; one without the other stops the start.
 */
function githubSignInFromEnv(env: NodeJS.ProcessEnv): GithubSignInConfig | null {
  const clientId = env.WGHUB_GITHUB_CLIENT_ID?.trim();
  const clientSecret = env.WGHUB_GITHUB_CLIENT_SECRET?.trim();
  if (!clientId && !clientSecret) return null;
  if (!clientId || !clientSecret)
    throw new SettingError(
      `${clientId ? 'WGHUB_GITHUB_CLIENT_SECRET' : 'WGHUB_GITHUB_CLIENT_ID'} must be set when ${clientId ? 'WGHUB_GITHUB_CLIENT_ID' : 'WGHUB_GITHUB_CLIENT_SECRET'} is (the GitHub App's client id and a client secret generated for it; docs/github.md)`,
    );
  return {
    clientId,
    clientSecret: secret(clientSecret),
    apiUrl: (env.WGHUB_GITHUB_API_URL?.trim() || 'https://api.github.com').replace(/\/+$/, ''),
  };
}

/** Whether people sign in with a provider (OpenID Connect or GitHub): then demo mode is off. */
export function hasSignInProvider(config: WebConfig): boolean {
  return !!(config.oidc || config.github);
}
