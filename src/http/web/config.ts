// How the web UI signs people in, read once from the environment. OpenID Connect when an issuer
// is configured; demo mode (pick a demo person) otherwise.
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

export type WebConfig = {
  oidc: OidcConfig | null;
  /** The hub's public origin (https://hub.example.org); decides cookie security and redirect URIs. */
  publicUrl: string | null;
  /** Secure cookies: on whenever the public URL is https, or forced with WGHUB_COOKIE_SECURE=1. */
  secureCookies: boolean;
  sessionHours: number;
};

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
  const hours = Number(env.WGHUB_SESSION_HOURS ?? 24 * 14);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error('WGHUB_SESSION_HOURS must be a positive number of hours');
  return {
    oidc,
    publicUrl,
    secureCookies: env.WGHUB_COOKIE_SECURE === '1' || (publicUrl?.startsWith('https://') ?? false),
    sessionHours: hours,
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name]?.trim();
  if (!v)
    throw new Error(
      `${name} must be set when WGHUB_OIDC_ISSUER is (the client id registered with your identity provider)`,
    );
  return v;
}
