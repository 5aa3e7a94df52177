// The settings `wghub serve` and `wghub worker` read from the environment (docs/configuration.md),
// checked before the database is opened: a mistake stops the start with a sentence naming the
// setting, before any migration, demo data or listening port, instead of surfacing later as a
// half-started process, a NaN timer or a link to nowhere.
import { createLogger } from '../app/core/logger.ts';
import { mailConfigFromEnv } from '../app/notifications/mail-config.ts';
import { inboundSmtpConfigFromEnv } from '../app/notifications/inbound-smtp.ts';
import { inboundWebhookConfigFromEnv } from '../app/notifications/inbound-webhook.ts';
import { senderCheckConfigFromEnv } from '../app/notifications/sender-check.ts';
import { webConfigFromEnv } from '../http/web/config.ts';
import { poolSize } from '../store/connect.ts';
import { KEEP_ALIVE_MS } from '../http/node-server.ts';
import { hubSettings, notifyOptions } from './hub-settings.ts';
import { SettingError, withoutPassword } from '../domain/errors.ts';
import { LIMITS } from '../domain/limits.ts';

/** A whole number from `min` to `max`, or the default when the setting is unset or empty. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, unit: string) {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new SettingError(`${name} must be a whole number of ${unit} from ${min} to ${max}, not '${raw}'`);
  return n;
}

/**
 * How long SIGTERM waits for in-flight requests and the job in hand (WGHUB_SHUTDOWN_GRACE_MS), counted
 * from the end of the drain (WGHUB_DRAIN_MS).
 */
export const shutdownGraceMs = (env: NodeJS.ProcessEnv = process.env) =>
  wholeNumber(env, 'WGHUB_SHUTDOWN_GRACE_MS', 10_000, 1, 3_600_000, 'milliseconds');

/**
 * How long SIGTERM keeps a hub serving while its /readyz answers 503 (WGHUB_DRAIN_MS), before it
 * closes its connections: a load balancer's health checks see it leave and send nothing more, so no
 * request of theirs meets a closing connection. 0 (the default, for a hub nothing checks) stops at
 * once; behind a proxy, longer than it takes to mark a server down (haproxy: (`inter` + `timeout check`) × `fall`).
 */
export const drainMs = (env: NodeJS.ProcessEnv = process.env) =>
  wholeNumber(env, 'WGHUB_DRAIN_MS', 0, 0, 600_000, 'milliseconds');

/**
 * How long an idle keep-alive connection stays open (WGHUB_KEEP_ALIVE_MS): longer than the proxy in
 * front keeps an idle connection to the hub (haproxy's `timeout server`), so the proxy closes it first.
 */
export const keepAliveMs = (env: NodeJS.ProcessEnv = process.env) =>
  wholeNumber(env, 'WGHUB_KEEP_ALIVE_MS', KEEP_ALIVE_MS, 1_000, 3_600_000, 'milliseconds');

/**
 * How long a GitHub delivery over the 1 MiB of other requests may take to arrive whole once it holds
 * one of the few places for big bodies (WGHUB_GITHUB_BIG_BODY_MS; LIMITS.github.bigBodyMs by default,
 * GitHub's own wait for the answer): a sender trickling one in does not hold the place longer.
 */
export const githubBigBodyMs = (env: NodeJS.ProcessEnv = process.env) =>
  wholeNumber(env, 'WGHUB_GITHUB_BIG_BODY_MS', LIMITS.github.bigBodyMs, 1_000, 300_000, 'milliseconds');

/** How long a claimed job stays with this process (WGHUB_JOB_LEASE_MS); undefined: the worker's default. */
export function jobLeaseMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return env.WGHUB_JOB_LEASE_MS?.trim()
    ? wholeNumber(env, 'WGHUB_JOB_LEASE_MS', 0, 1_000, 86_400_000, 'milliseconds')
    : undefined;
}

/** `1` turns a switch on, `0` or unset leaves it off; `true` or `yes` would silently have been off. */
function flag(env: NodeJS.ProcessEnv, name: string): void {
  const raw = env[name]?.trim();
  if (raw && raw !== '0' && raw !== '1') throw new SettingError(`${name} must be 1 (on) or 0 (off), not '${raw}'`);
}

function url(env: NodeJS.ProcessEnv, name: string, schemes: string[], what: string, originOnly = false): void {
  const raw = env[name]?.trim();
  if (!raw) return;
  let u: URL | null = null;
  try {
    u = new URL(raw);
  } catch {}
  const ok =
    u &&
    schemes.includes(u.protocol) &&
    u.hostname &&
    (!originOnly || (u.pathname.replace(/\/+$/, '') === '' && !u.search && !u.hash));
  if (!ok) throw new SettingError(`${name} must be ${what}, not '${withoutPassword(raw)}'`);
}

/** Throws, naming the setting and what it takes, at the first setting that `serve` or `worker` cannot use. */
export function checkServeSettings(env: NodeJS.ProcessEnv = process.env): void {
  createLogger(env.WGHUB_LOG_LEVEL ?? 'info');
  shutdownGraceMs(env);
  drainMs(env);
  keepAliveMs(env);
  githubBigBodyMs(env);
  jobLeaseMs(env);
  for (const name of ['WGHUB_COOKIE_SECURE', 'WGHUB_TRUST_PROXY', 'WGHUB_OIDC_ALLOW_HTTP']) flag(env, name);
  url(
    env,
    'WGHUB_PUBLIC_URL',
    ['http:', 'https:'],
    "the hub's public origin, like https://hub.example.org (no path)",
    true,
  );
  url(
    env,
    'WGHUB_OIDC_ISSUER',
    ['http:', 'https:'],
    "your identity provider's issuer URL, like https://id.example.org",
  );
  url(env, 'WGHUB_GITHUB_API_URL', ['http:', 'https:'], "GitHub's API URL, like https://api.github.com");
  url(
    env,
    'WGHUB_SMTP_URL',
    ['smtp:', 'smtps:'],
    'an SMTP URL, like smtp://user:pass@host:587 or smtps://user:pass@host:465',
  );
  url(env, 'WGHUB_LISTEN_URL', ['postgres:', 'postgresql:'], 'a PostgreSQL URL, like postgres://USER@HOST:5432/DB');
  if (env.WGHUB_DATABASE_POOL !== undefined) poolSize(env);
  webConfigFromEnv(env);
  mailConfigFromEnv(env);
  inboundSmtpConfigFromEnv(env);
  inboundWebhookConfigFromEnv(env);
  // checked even with no way in for replies yet, so a misspelt mode never waits to surface
  senderCheckConfigFromEnv(env);
  notifyOptions(env);
  hubSettings(env);
}
