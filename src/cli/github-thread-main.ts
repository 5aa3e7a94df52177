// The GitHub thread (github-thread.ts): a hub of its own on the same database and rules, working
// only the GitHub queues. Jobs it enqueues (notifications a mirrored SEP sets off) are taken up by
// the serving thread's worker at its next poll.
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { GovernanceSchema } from '../domain/governance/schema.ts';
import { createHub } from '../app/core/hub.ts';
import { createLogger } from '../app/core/logger.ts';
import { Worker } from '../app/core/worker.ts';
import { openStore } from '../store/connect.ts';
import { githubJobHandlers } from './job-handlers.ts';
import type { GithubThreadData } from './github-thread.ts';
import { hubSettings, reactions } from './hub-settings.ts';
import { testClockFromEnv } from './test-clock.ts';

// what github-thread.ts hands over arrives as a structured clone: read back through its shape
// (the governance file was validated in the parent; its defaults are filled, so this parse only checks)
const ThreadData = z.object({
  databaseUrl: z.string(),
  governance: GovernanceSchema,
  leaseMs: z.number().optional(),
}) satisfies z.ZodType<GithubThreadData>;
const data = ThreadData.parse(workerData);
const log = createLogger();
const store = openStore(data.databaseUrl);
const clock = testClockFromEnv();
const hub = createHub(store, data.governance, {
  reactions: reactions(),
  settings: hubSettings(),
  ...(clock ? { clock } : {}),
});
const worker = new Worker(hub, githubJobHandlers(), {
  ...(data.leaseMs ? { leaseMs: data.leaseMs } : {}),
  onError: (job, e) =>
    log.warn({ job: job.id, queue: job.queue, attempt: job.attempt, err: e }, 'GitHub job attempt failed'),
  onTrouble: (e, doing) => log.error({ err: e }, `GitHub job worker ${doing}`),
});
parentPort!.on('message', (m) => {
  if (m === 'wake') worker.wake();
  if (m === 'stop')
    void worker
      .stop()
      .then(() => store.close())
      .finally(() => process.exit(0)); // ends this thread only
});
worker.start();
