// Which database and rules a command uses, and what every recorded event sets in motion: the part of
// the composition root that `wghub mcp`'s short path shares with the other commands. Kept apart
// from boot.ts so that path does not load the worker's mail and GitHub clients (bench/mcp-stdio-start.ts).
import { DEFAULT_GOVERNANCE_PATH } from '../app/core/governance-path.ts';
import { DEFAULT_RETENTION, type HubSettings, type Reaction, type Retention } from '../app/core/hub.ts';
import { writebackReaction } from '../app/github/writeback.ts';
import { chatReaction, webhookAllowedHostsFromEnv } from '../app/notifications/chat.ts';
import { notificationsReaction } from '../app/notifications/notify.ts';
import { DEFAULT_DATABASE_URL } from '../store/connect.ts';
import { APP_SCHEMES_SETTING, appSchemeProblem } from '../domain/oauth.ts';
import { SettingError } from '../domain/errors.ts';

export function databaseUrl(opt?: string): string {
  return opt ?? process.env.WGHUB_DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

export function governancePath(opt?: string): string {
  return opt ?? process.env.WGHUB_GOVERNANCE ?? DEFAULT_GOVERNANCE_PATH;
}

/** The operator's settings use cases read, from the environment (docs/configuration.md). */
export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
  return {
    webhookAllowedHosts: webhookAllowedHostsFromEnv(env),
    appSchemes: appSchemesFromEnv(env),
    mailsOut: Boolean(env.WGHUB_SMTP_URL?.trim()),
    publicOrigin: publicOriginFromEnv(env),
    retention: retentionFromEnv(env),
  };
}

/** A whole number of days from 1 to 3650 (ten years), or `fallback` when the setting is unset or empty. */
function days(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= 3650))
    throw new SettingError(`${name} must be a whole number of days from 1 to 3650, not '${raw}'`);
  return n;
}

/**
 * WGHUB_RETENTION_DAYS and WGHUB_RETENTION_FAILED_DAYS: how long finished and failed working rows are
 * kept (app/operations/retention.ts). A failed row is kept at least as long as a finished one: it is
 * what an operator looks into.
 */
export function retentionFromEnv(env: NodeJS.ProcessEnv = process.env): Retention {
  const finishedDays = days(env, 'WGHUB_RETENTION_DAYS', DEFAULT_RETENTION.finishedDays);
  const failedDays = days(env, 'WGHUB_RETENTION_FAILED_DAYS', Math.max(DEFAULT_RETENTION.failedDays, finishedDays));
  if (failedDays < finishedDays)
    throw new SettingError(
      `WGHUB_RETENTION_FAILED_DAYS (${failedDays}) must be at least WGHUB_RETENTION_DAYS (${finishedDays}): failed work is kept at least as long as finished work`,
    );
  return { finishedDays, failedDays };
}

/** WGHUB_PUBLIC_URL's origin, or null when unset or not a web address. */
export function publicOriginFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = URL.parse(env.WGHUB_PUBLIC_URL?.trim() ?? '');
  return url && /^https?:$/.test(url.protocol) ? url.origin : null;
}

/** WGHUB_OAUTH_APP_SCHEMES: comma-separated schemes, each checked (a mistake stops the start, naming it). */
export function appSchemesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const schemes = (env[APP_SCHEMES_SETTING] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/:$/, ''))
    .filter(Boolean);
  for (const scheme of schemes) {
    const problem = appSchemeProblem(scheme);
    if (problem) throw new SettingError(`${APP_SCHEMES_SETTING} must list private-use URI schemes: ${problem}`);
  }
  return [...new Set(schemes)];
}

/** What every recorded event sets in motion, in its own transaction (each feature adds its reaction here). */
export function reactions(): Reaction[] {
  return [notificationsReaction(notifyOptions()), chatReaction(publicUrl()), writebackReaction()];
}

/** Links in mail and chat point here (docs/configuration.md: WGHUB_PUBLIC_URL). */
export function publicUrl(): string {
  return (process.env.WGHUB_PUBLIC_URL?.trim() || 'http://127.0.0.1:8787').replace(/\/+$/, '');
}

/** Mail is queued only when the hub can send it (docs/configuration.md: WGHUB_SMTP_URL). */
export function notifyOptions(env: NodeJS.ProcessEnv = process.env) {
  const batch = env.WGHUB_FANOUT_BATCH?.trim();
  if (batch && !(/^\d+$/.test(batch) && Number(batch) >= 1 && Number(batch) <= 10_000))
    throw new SettingError(`WGHUB_FANOUT_BATCH must be a whole number of people from 1 to 10000, not '${batch}'`);
  return {
    mail: Boolean(env.WGHUB_SMTP_URL),
    publicUrl: publicUrl(),
    ...(batch ? { fanoutBatch: Number(batch) } : {}),
  };
}
