// Mail settings, read once from the environment (docs/configuration.md). Without WGHUB_SMTP_URL
// the hub sends no mail and notifications stay in the inbox.
export type MailConfig = {
  /** smtp://user:pass@host:port or smtps://… (nodemailer's connection URL). */
  smtpUrl: string;
  /** The From address: "wghub <hub@example.org>". */
  from: string;
  /** Where links in mail point: the hub's public origin. */
  publicUrl: string;
  /** Domain of per-recipient reply addresses (reply+SECRET@domain); unset turns reply by email off. */
  replyDomain: string | null;
  /** How people sign in here, as a mail's invitation says it ("sign in with GitHub"); read from the sign-in settings. */
  signIn?: string;
};

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig | null {
  const smtpUrl = env.WGHUB_SMTP_URL?.trim();
  if (!smtpUrl) return null;
  return {
    smtpUrl,
    from: env.WGHUB_MAIL_FROM?.trim() || 'wghub <wghub@localhost>',
    publicUrl: (env.WGHUB_PUBLIC_URL?.trim() || 'http://127.0.0.1:8787').replace(/\/+$/, ''),
    replyDomain: env.WGHUB_REPLY_DOMAIN?.trim() || null,
    signIn: signInWords(env),
  };
}

/** How a person signs in, in words, from the same settings the web's sign-in reads (docs/configuration.md). */
export function signInWords(env: NodeJS.ProcessEnv = process.env): string {
  const issuer = env.WGHUB_OIDC_ISSUER?.trim();
  let host: string | null = null;
  try {
    host = issuer ? new URL(issuer).host : null;
  } catch {
    host = issuer ?? null;
  }
  const ways = [host, env.WGHUB_GITHUB_CLIENT_ID?.trim() ? 'GitHub' : null].filter(Boolean);
  return ways.length
    ? `sign in with ${ways.join(' or ')}`
    : 'pick yourself from the list (this hub runs in demo mode, without passwords)';
}

/** The domain part of the From address: Message-IDs are made under it. */
export function mailDomain(config: MailConfig): string {
  const m = /@([^>\s]+)>?\s*$/.exec(config.from);
  return m?.[1] ?? 'localhost';
}
