// The queues a working process (`wghub serve`, `wghub worker`, the GitHub thread) works on, and who
// does each job: kept apart from boot.ts so the other commands do not load the mail, chat and
// GitHub clients.
import type { githubClient as GithubClientOf } from '../app/github/client.ts';
import { type GithubConfig, githubConfigFromEnv, redact } from '../app/github/config.ts';
import { applyDelivery, DELIVERY_QUEUE, DeliveryJob } from '../app/github/webhooks.ts';
import { reconcileRepository, SYNC_QUEUE, SyncJob } from '../app/github/operate.ts';
import { describeFailure, noteSyncFailure, SyncInProgress } from '../app/github/sync.ts';
import { runWriteback, WRITEBACK_QUEUE, WritebackJob } from '../app/github/writeback.ts';
import type { Hub } from '../app/core/hub.ts';
import type { JobHandlers } from '../app/core/worker.ts';
import { type ClaimedJob, payloadOf } from '../app/core/jobs.ts';
import {
  CHAT_QUEUE,
  CHAT_SUMMARY_QUEUE,
  postWeeklySummary,
  sendChat,
  WEBHOOK_ALLOWED_HOSTS,
} from '../app/notifications/chat.ts';
import { remindDecisionClosing } from '../app/notifications/closing.ts';
import {
  createMailer,
  sendAnswerReceipt,
  sendConfirmationMail,
  sendDigest,
  sendNotificationMail,
} from '../app/notifications/mail.ts';
import { RECEIPT_QUEUE } from '../app/notifications/replies.ts';
import { CONFIRM_QUEUE } from '../app/people/email.ts';
import { mailConfigFromEnv } from '../app/notifications/mail-config.ts';
import { CLOSING_QUEUE, DIGEST_QUEUE, expandFanout, FANOUT_QUEUE, MAIL_QUEUE } from '../app/notifications/notify.ts';
import { notifyOptions, publicUrl } from './hub-settings.ts';
import { onFirstUse } from '../domain/first-use.ts';

// the GitHub client (Octokit, its plugins and bottleneck) loads with the first GitHub job, not with every `serve`
const githubClients = onFirstUse(() => import('../app/github/client.ts'));
const githubClient: typeof GithubClientOf = async (...args) => (await githubClients()).githubClient(...args);

/** Chat webhooks reach only public addresses, and the hosts the operator lists (WGHUB_WEBHOOK_ALLOWED_HOSTS). */
function chatFetch(hub: Hub): typeof globalThis.fetch {
  // undici (the address-checking agent) loads with the first chat message, not with every `serve`
  const made = onFirstUse(
    async () =>
      (await import('../app/core/public-fetch.ts')).publicOnlyFetch(
        [...hub.settings.webhookAllowedHosts],
        WEBHOOK_ALLOWED_HOSTS,
      ).fetch as typeof globalThis.fetch,
  );
  return async (input, init) => (await made())(input, init);
}

/** The queues this process works on, and who does each job (each feature adds its handlers here). */
export function jobHandlers(hub: Hub): JobHandlers {
  const mail = mailConfigFromEnv();
  const mailer = mail ? createMailer(mail) : null;
  const chat = chatFetch(hub);
  return {
    [CLOSING_QUEUE]: (hub, job) => remindDecisionClosing(hub, job, notifyOptions()),
    [FANOUT_QUEUE]: (hub, job) => expandFanout(hub, job, notifyOptions()),
    [CHAT_QUEUE]: (hub, job) => sendChat(hub, job, chat),
    [CHAT_SUMMARY_QUEUE]: (hub, job) => postWeeklySummary(hub, job, publicUrl()),
    ...(mailer
      ? {
          [MAIL_QUEUE]: (hub: Hub, job: ClaimedJob) => sendNotificationMail(hub, mailer, job),
          [DIGEST_QUEUE]: (hub: Hub, job: ClaimedJob) => sendDigest(hub, mailer, job),
          [CONFIRM_QUEUE]: (hub: Hub, job: ClaimedJob) => sendConfirmationMail(hub, mailer, job),
          [RECEIPT_QUEUE]: (hub: Hub, job: ClaimedJob) => sendAnswerReceipt(hub, mailer, job),
        }
      : {}),
    ...githubJobHandlers(),
  };
}

/**
 * Webhook deliveries are applied by the worker, with a client for the delivery's repository;
 * write-back jobs use a client that never retries a write by itself (the job retries, looking first).
 */
export function githubJobHandlers(given?: GithubConfig): JobHandlers {
  // read when a GitHub job first runs: a hub whose governance file names no repository starts
  // whatever GitHub settings are left in its environment (serve stops on half an App only when
  // the bridge is on, naming the variable)
  let read: GithubConfig | undefined = given;
  const configOf = () => (read ??= githubConfigFromEnv());
  return {
    [DELIVERY_QUEUE]: async (hub, job) => {
      await applyDelivery(hub, payloadOf(job, DeliveryJob).delivery, (repo) =>
        githubClient(configOf(), repo, { store: hub.store }),
      );
    },
    [SYNC_QUEUE]: async (hub, job) => {
      const { repo } = payloadOf(job, SyncJob);
      try {
        await reconcileRepository(
          hub,
          await githubClient(configOf(), repo, { store: hub.store }),
          repo,
          configOf().leaseMs ? { leaseMs: configOf().leaseMs! } : {},
        );
      } catch (e) {
        // another process is syncing this repository now: that sync mirrors what this one would
        if (e instanceof SyncInProgress) return;
        // what was mirrored is kept and the next attempt resumes; the reason shows without credentials,
        // on the status too when it failed before the sync began (as the client was made)
        const message = redact(configOf(), describeFailure(e));
        await noteSyncFailure(hub, repo, message).catch(() => {});
        throw new Error(message);
      }
    },
    [WRITEBACK_QUEUE]: async (hub, job) => {
      await runWriteback(hub, payloadOf(job, WritebackJob), {
        clientFor: (repo) => githubClient(configOf(), repo, { retries: 0, store: hub.store }),
        publicUrl: configOf().publicUrl,
        queuedAt: job.createdAt,
      });
    },
  };
}
