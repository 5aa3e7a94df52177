import { cliIo } from './io.ts';
import type { CommandTools } from './command-tools.ts';
import type { Command } from 'commander';
import type { reconcileRepository } from '../app/github/operate.ts';

// each command loads its use cases (and Octokit) when it runs (main.ts)
const github = async () => ({
  cliProgress: (await import('cli-progress')).default,
  ...(await import('../app/github/client.ts')),
  ...(await import('../app/github/config.ts')),
  ...(await import('../app/github/sync.ts')),
  ...(await import('../app/github/operate.ts')),
});

/** Mirroring anonymously works for a public repository, slowly: say so rather than let it look set up. */
function warnWithoutCredentials(config: { auth: { kind: string } }): void {
  if (config.auth.kind === 'none')
    cliIo().stderr.write(
      'warning: no GitHub credentials (WGHUB_GITHUB_TOKEN, or WGHUB_GITHUB_APP_ID with its private key): public repositories only, at 60 requests an hour\n',
    );
}

export function registerGithubCommands(program: Command, { withHub, print, report }: CommandTools): void {
  const gh = program
    .command('github')
    .description('the GitHub bridge: mirror repositories named in the governance file (docs/github.md)');

  gh.command('sync <repo>')
    .description(
      'backfill REPO (owner/name): pull requests with SEP files, their comments and reviews, team members; idempotent, and an interrupted run resumes where it stopped',
    )
    .action((repo: string) =>
      withHub(async (hub) => {
        const {
          cliProgress,
          describeFailure,
          githubClient,
          githubConfigFromEnv,
          redact,
          requireRepository,
          SyncInProgress,
          syncRepository,
        } = await github();
        const name = requireRepository(hub, repo).name;
        const config = githubConfigFromEnv();
        warnWithoutCredentials(config);
        const bar = cliIo().stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: 'page {page} | {value} pull requests | #{number} {title}', clearOnComplete: true },
              cliProgress.Presets.shades_classic,
            )
          : null;
        bar?.start(0, 0, { page: 1, number: '', title: '' });
        try {
          const client = await githubClient(config, name, {
            log: (m) => cliIo().stderr.write(`${redact(config, m)}\n`),
            store: hub.store,
          });
          const s = await syncRepository(hub, client, name, {
            ...(config.leaseMs ? { leaseMs: config.leaseMs } : {}),
            onProgress: (p) => {
              bar?.setTotal(p.pulls);
              bar?.update(p.pulls, { page: p.page, number: p.number, title: p.title.slice(0, 50) });
            },
          });
          bar?.stop();
          print(s, () =>
            [
              `${name}: ${s.pulls} pull requests on ${s.pages} pages (${s.pagesUnchanged} pages unchanged since the last sync)${s.resumedFromPage ? `, resumed at page ${s.resumedFromPage}` : ''}`,
              `SEPs: ${s.seps.created} new, ${s.seps.updated} updated, ${s.seps.unchanged} unchanged`,
              `comments and reviews: ${s.comments.added} new, ${s.comments.edited} edited, ${s.comments.unchanged} unchanged`,
              ...(s.issues && s.issueComments
                ? [
                    `issues: ${s.issues.added} new, ${s.issues.edited} updated, ${s.issues.unchanged} unchanged; their comments: ${s.issueComments.added} new, ${s.issueComments.edited} edited, ${s.issueComments.hidden} hidden (deleted on GitHub)`,
                  ]
                : []),
              `team members: ${s.teamMembers}`,
              ...s.warnings.slice(0, 20).map((w) => `warning: ${w}`),
              ...(s.warnings.length > 20 ? [`… and ${s.warnings.length - 20} more warnings`] : []),
            ].join('\n'),
          );
        } catch (e) {
          bar?.stop();
          if (e instanceof SyncInProgress) throw new Error(e.message);
          throw new Error(
            `${redact(config, describeFailure(e)).replace(/; run again( later)? to resume$/, '')}; what was mirrored is kept, and \`wghub github sync ${name}\` resumes from there`,
          );
        }
      }),
    );

  gh.command('reconcile [repo]')
    .description(
      'repair what missed webhook deliveries and write-backs left out: sync REPO (or every named repository) again, then queue a write-back check of each mirrored proposal where write-back is on; `wghub serve` runs it on its own every github.reconcileEveryMinutes',
    )
    .action((repo: string | undefined) =>
      withHub(async (hub) => {
        const {
          describeFailure,
          githubClient,
          githubConfigFromEnv,
          githubMapping,
          reconcileRepository,
          redact,
          requireRepository,
        } = await github();
        const names = repo ? [requireRepository(hub, repo).name] : githubMapping(hub).repositories.map((r) => r.name);
        const config = githubConfigFromEnv();
        warnWithoutCredentials(config);
        const out: Awaited<ReturnType<typeof reconcileRepository>>[] = [];
        for (const name of names) {
          try {
            const client = await githubClient(config, name, {
              log: (m) => cliIo().stderr.write(`${redact(config, m)}\n`),
              store: hub.store,
            });
            out.push(await reconcileRepository(hub, client, name));
          } catch (e) {
            throw new Error(
              `${name}: ${redact(config, describeFailure(e)).replace(/; run again( later)? to resume$/, '')}; what was mirrored is kept, and running it again resumes`,
            );
          }
        }
        print(
          out,
          () =>
            out
              .map(
                (s) =>
                  `${s.repo}: ${s.pulls - s.pullsUnchanged} pull requests changed since the last sync (${s.pagesUnchanged} of ${s.pages} list pages unchanged); comments ${s.comments.added} new, ${s.comments.edited} edited; ${s.writeBacksQueued} write-back checks queued`,
              )
              .join('\n') || 'no repository is named in the governance file (github.repositories)',
        );
      }),
    );

  gh.command('replay <delivery>')
    .description('apply a received webhook delivery again (it is idempotent); the worker of `wghub serve` does it')
    .action((delivery: string) =>
      withHub(async (hub) => {
        await (await import('../app/github/webhooks.ts')).replayDelivery(hub, delivery);
        print({ delivery, queued: true }, () => `delivery ${delivery} queued to be applied again`);
      }),
    );

  gh.command('status')
    .description('repositories, last sync, webhook deliveries, queue depth and failures')
    .action(() =>
      report(
        async (hub) => (await import('../app/github/status.ts')).githubStatus(hub),
        (s) =>
          [
            ...(s.configured ? [] : ['no repository is named in the governance file (github.repositories)']),
            ...s.repositories.map(
              (r) =>
                `${r.name}${r.nameOnGithub === r.name ? '' : ` (GitHub names it ${r.nameOnGithub} now)`}${r.onGithub ? ` (${r.onGithub.says}; since ${r.onGithub.since})` : ''}${r.writeBack ? ' (write-back on)' : ''}: ${r.mirrored} items mirrored (pull requests: ${r.pulls.count}, ${r.pulls.comments} comments and reviews; issues: ${r.issues.open} open, ${r.issues.closed} closed, ${r.issues.comments} comments; discussions: ${r.discussions.count}, ${r.discussions.comments} comments, ${r.discussions.meetings} attached to meetings); last sync ${r.lastSyncFinishedAt ?? 'never finished'}${r.resumesAtPage ? `; resumes at page ${r.resumesAtPage}` : ''}${r.lastError ? `\n  last error (the run at ${r.lastSyncStartedAt ?? 'unknown'}): ${r.lastError}` : ''}`,
            ),
            `webhook deliveries: ${s.deliveries.received} received, ${s.deliveries.pending} waiting to be applied, ${s.deliveries.applied} applied, ${s.deliveries.ignored} ignored, ${s.deliveries.failed} failed${s.deliveries.lastReceivedAt ? `; the last at ${s.deliveries.lastReceivedAt}` : ''}`,
            ...(s.deliveries.refused
              ? [
                  `  refused for their signature: ${s.deliveries.refused.count} (the last at ${s.deliveries.refused.lastAt}: ${s.deliveries.refused.lastReason})${s.deliveries.refused.secretMismatch ? "; none taken in since: if GitHub sent them, WGHUB_GITHUB_WEBHOOK_SECRET is not the App's (or webhook's) secret" : ''}`,
                ]
              : []),
            ...s.deliveries.unnamedRepositories.map(
              (u) =>
                `  ignored: ${u.count} for ${u.repo} (the last at ${u.lastReceivedAt}), not one of the governance file's github.repositories; name it there to mirror it`,
            ),
            ...s.queues.map((q) => `queue ${q.queue}: ${q.pending} waiting, ${q.running} running, ${q.failed} failed`),
            ...s.failures.map((f) => `failed ${f.queue} ${f.key ?? f.id} after ${f.attempts} attempts: ${f.error}`),
          ].join('\n'),
      ),
    );
}
