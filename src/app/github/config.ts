// The bridge's credentials and the API it talks to, from the environment. Secrets are held in a
// closure, so printing, logging or serialising the config never shows them.
import { readFileSync } from 'node:fs';
import { SettingError } from '../../domain/errors.ts';

export type Secret = { reveal(): string; toJSON(): string; toString(): string };

export function secret(value: string): Secret {
  const masked = '[secret]';
  return {
    reveal: () => value,
    toJSON: () => masked,
    toString: () => masked,
    [Symbol.for('nodejs.util.inspect.custom')]: () => masked,
  };
}

export type GithubConfig = {
  /** The REST API root: api.github.com, GitHub Enterprise's /api/v3, or a stand-in in tests. */
  apiUrl: string;
  auth: { kind: 'app'; appId: string; privateKey: Secret } | { kind: 'token'; token: Secret } | { kind: 'none' };
  webhookSecret: Secret | null;
  /** The hub's own address, for links written back to GitHub (WGHUB_PUBLIC_URL). */
  publicUrl: string;
  /**
   * How long a sync's claim on its repository holds unless renewed (WGHUB_JOB_LEASE_MS, the job
   * lease, 5 minutes by default): a sync renews it while it runs, so another process skips it.
   */
  leaseMs?: number;
  /**
   * How far apart the bridge sends GitHub its writes and GraphQL queries. Unset, GitHub's own
   * advice as the throttling plugin keeps it: one a second, one every three seconds for those that
   * notify people (a comment, an issue); a stand-in in tests needs no spacing (0).
   */
  writeSpacingMs?: number;
};

/**
 * WGHUB_GITHUB_APP_ID with WGHUB_GITHUB_PRIVATE_KEY (PEM) or WGHUB_GITHUB_PRIVATE_KEY_FILE for a
 * GitHub App; or WGHUB_GITHUB_TOKEN for read-only mirroring; WGHUB_GITHUB_WEBHOOK_SECRET for
 * webhooks; WGHUB_GITHUB_API_URL to point somewhere other than api.github.com.
 */
export function githubConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GithubConfig {
  const apiUrl = (env.WGHUB_GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  let auth: GithubConfig['auth'] = { kind: 'none' };
  const key = env.WGHUB_GITHUB_PRIVATE_KEY ?? privateKeyFile(env.WGHUB_GITHUB_PRIVATE_KEY_FILE);
  // half an App is a mistake to name, not a reason to mirror anonymously (or with the token) instead
  if (env.WGHUB_GITHUB_APP_ID && !key)
    throw new GithubSettingError(
      "WGHUB_GITHUB_APP_ID is set without the App's private key: set WGHUB_GITHUB_PRIVATE_KEY (the PEM) or WGHUB_GITHUB_PRIVATE_KEY_FILE (its path), or unset WGHUB_GITHUB_APP_ID to use WGHUB_GITHUB_TOKEN",
    );
  if (key && !env.WGHUB_GITHUB_APP_ID)
    throw new GithubSettingError(
      'the GitHub App\'s private key is set without WGHUB_GITHUB_APP_ID: set it to the App\'s id (its settings page, "App ID")',
    );
  if (env.WGHUB_GITHUB_APP_ID && key) auth = { kind: 'app', appId: env.WGHUB_GITHUB_APP_ID, privateKey: secret(key) };
  else if (env.WGHUB_GITHUB_TOKEN) auth = { kind: 'token', token: secret(env.WGHUB_GITHUB_TOKEN) };
  return {
    apiUrl,
    auth,
    webhookSecret: env.WGHUB_GITHUB_WEBHOOK_SECRET ? secret(env.WGHUB_GITHUB_WEBHOOK_SECRET) : null,
    publicUrl: (env.WGHUB_PUBLIC_URL?.trim() || 'http://127.0.0.1:8787').replace(/\/+$/, ''),
    ...(Number(env.WGHUB_JOB_LEASE_MS) > 0 ? { leaseMs: Number(env.WGHUB_JOB_LEASE_MS) } : {}),
  };
}

/**
 * A GitHub setting in the environment that cannot work as given; the message names the variable. A
 * setting, as any other: the CLI prints it and exits 78 (configuration), with no hint to debug wghub.
 */
export class GithubSettingError extends SettingError {
  constructor(message: string) {
    super(message);
    this.name = 'GithubSettingError';
  }
}

function privateKeyFile(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new GithubSettingError(
      `WGHUB_GITHUB_PRIVATE_KEY_FILE cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}: ${file}): give the path of the App's private key (.pem)`,
    );
  }
}

/** Removes any secret's text from a message before it is logged or stored. */
export function redact(config: GithubConfig, message: string): string {
  let out = message;
  const values = [
    config.auth.kind === 'token' ? config.auth.token.reveal() : null,
    config.auth.kind === 'app' ? config.auth.privateKey.reveal() : null,
    config.webhookSecret?.reveal() ?? null,
  ];
  for (const v of values) if (v && v.length >= 4) out = out.split(v).join('[secret]');
  return out;
}
