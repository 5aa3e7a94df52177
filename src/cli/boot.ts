// The composition root of every command that opens the hub. The job handlers (mail, chat, the
// GitHub clients) are in job-handlers.ts, loaded only by the processes that work the queue.
import { loadGovernanceCached, validatorIdentity } from '../app/core/governance-cache.ts';
import { createHub, type Hub } from '../app/core/hub.ts';
import { openStore } from '../store/connect.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { databaseUrl, governancePath, hubSettings, notifyOptions, reactions } from './hub-settings.ts';
import { testClockFromEnv } from './test-clock.ts';

export { databaseUrl, governancePath, notifyOptions, reactions };

export type BootOptions = { database?: string; governance?: string; migrate?: boolean };

/**
 * The composition root: rules first (so a bad file stops start-up before anything opens), then the
 * store. The rules validated before from the same text by the same code are reused
 * (governance-cache.ts): parsing the YAML was 80–150 ms of every start.
 */
export async function bootHub(opts: BootOptions = {}): Promise<Hub> {
  const governance = await loadGovernanceCached(governancePath(opts.governance), validatorIdentity());
  const store = openStore(databaseUrl(opts.database));
  try {
    if (opts.migrate !== false) await migrateToLatest(store.db, store.schema);
  } catch (e) {
    await store.close();
    throw e;
  }
  // a test moving a served hub's time (WGHUB_TEST_CLOCK_FILE, docs/web.md); the real time otherwise
  const clock = testClockFromEnv();
  return createHub(store, governance, { reactions: reactions(), settings: hubSettings(), ...(clock ? { clock } : {}) });
}
