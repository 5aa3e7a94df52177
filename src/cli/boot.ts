import { loadGovernance, DEFAULT_GOVERNANCE_PATH } from '../app/core/governance-file.ts';
import { createHub, type Hub, type Reaction } from '../app/core/hub.ts';
import type { JobHandlers } from '../app/core/worker.ts';
import { remindDecisionClosing } from '../app/notifications/closing.ts';
import { CLOSING_QUEUE, notificationsReaction } from '../app/notifications/notify.ts';
import { DEFAULT_DATABASE_URL, openStore } from '../store/connect.ts';
import { migrateToLatest } from '../store/migrate.ts';

export type BootOptions = { database?: string; governance?: string; migrate?: boolean };

export function databaseUrl(opt?: string): string {
  return opt ?? process.env.WGHUB_DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

export function governancePath(opt?: string): string {
  return opt ?? process.env.WGHUB_GOVERNANCE ?? DEFAULT_GOVERNANCE_PATH;
}

/** The composition root: rules first (so a bad file stops start-up before anything opens), then the store. */
export async function bootHub(opts: BootOptions = {}): Promise<Hub> {
  const governance = loadGovernance(governancePath(opts.governance));
  const store = openStore(databaseUrl(opts.database));
  try {
    if (opts.migrate !== false) await migrateToLatest(store.db, store.schema);
  } catch (e) {
    await store.close();
    throw e;
  }
  return createHub(store, governance, { reactions: reactions() });
}

/** What every recorded event sets in motion, in its own transaction (each feature adds its reaction here). */
export function reactions(): Reaction[] {
  return [notificationsReaction(notifyOptions())];
}

/** Mail is queued only when the hub can send it (docs/configuration.md: WGHUB_SMTP_URL). */
export function notifyOptions() {
  return { mail: Boolean(process.env.WGHUB_SMTP_URL) };
}

/** The queues this process works on, and who does each job (each feature adds its handlers here). */
export function jobHandlers(_hub: Hub): JobHandlers {
  return {
    [CLOSING_QUEUE]: (hub, job) => remindDecisionClosing(hub, job, notifyOptions()),
  };
}
