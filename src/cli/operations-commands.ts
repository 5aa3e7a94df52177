// The operator's commands for keeping a hub: back up, restore, export everything, import everything.
import { cliIo, setExitCode } from './io.ts';
import type { CommandTools } from './command-tools.ts';
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { EXIT } from '../domain/failure.ts';

// each command loads the store and its use cases when it runs (main.ts)
const backup = () => import('../app/operations/backup.ts');
const exportImport = () => import('../app/operations/export-all.ts');
const retention = () => import('../app/operations/retention.ts');
/** The store the global options name (not migrated: these commands read or write it whole). */
async function open(database: string | undefined) {
  const { openStore } = await import('../store/connect.ts');
  return openStore((await import('./hub-settings.ts')).databaseUrl(database));
}

export function registerOperationsCommands(
  program: Command,
  commands: { importCmd: Command; exportCmd: Command },
  { print, globals, report }: CommandTools,
): void {
  const jobs = program.commands.find((c) => c.name() === 'jobs');
  jobs
    ?.command('prune')
    .description(
      'say what finished work is past its retention (jobs, chat and digest claims, GitHub deliveries, expired links) and, with --yes, delete it now (serve and worker do it every hour). The days are WGHUB_RETENTION_DAYS and WGHUB_RETENTION_FAILED_DAYS as this shell has them: they must be the service’s own',
    )
    .option('--yes', 'delete; without it nothing is deleted, and it says which days it would use and what would go')
    .action((opts: { yes?: boolean }) => {
      const days = (r: {
        retention: { finishedDays: number; failedDays: number };
        finishedBefore: string;
        failedBefore: string;
      }) =>
        `finished before ${r.finishedBefore} (${r.retention.finishedDays} days, WGHUB_RETENTION_DAYS), failed before ${r.failedBefore} (${r.retention.failedDays} days, WGHUB_RETENTION_FAILED_DAYS):`;
      if (!opts.yes)
        return report(
          async (hub) => (await retention()).countRetained(hub),
          (r) =>
            [
              days(r),
              ...Object.entries(r.tables).map(([table, n]) => `  ${table.padEnd(20)} ${n} would be deleted`),
              'nothing deleted. These days are read from this shell’s environment: if the service runs with others, set them the same here (or it deletes what the service keeps). `wghub jobs prune --yes` deletes',
            ].join('\n'),
        );
      return report(
        async (hub) => (await retention()).pruneRetained(hub),
        (r) =>
          [
            days(r),
            ...Object.entries(r.tables).map(([table, t]) => `  ${table.padEnd(20)} ${t.deleted} deleted`),
            ...(r.more ? ['more than one run takes: run it again, or let the hourly timer go on'] : []),
          ].join('\n'),
      );
    });
  program
    .command('backup <file>')
    .description(
      'back up the database while the hub runs: SQLite through its online backup API, PostgreSQL with pg_dump (custom format); never overwrites FILE',
    )
    .action(async (file: string) => {
      const store = await open(globals().database);
      try {
        const r = await (await backup()).backupDatabase(store, file);
        print(r, () => `backed up to ${r.file}: ${(r.bytes / 1e6).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s`);
      } finally {
        await store.close();
      }
    });

  program
    .command('restore <file>')
    .description(
      'restore a backup made by `wghub backup` into the database (it must be empty, or --force), then verify the event log; stop the hub first',
    )
    .option('--force', 'replace what the database holds')
    .action(async (file: string, opts: { force?: boolean }) => {
      const url = (await import('./hub-settings.ts')).databaseUrl(globals().database);
      const r = await (await backup()).restoreDatabase(url, file, opts);
      // a backup from an older wghub is brought up to date, as `serve` would
      const store = await open(url);
      try {
        await (await import('../store/migrate.ts')).migrateToLatest(store.db, store.schema);
      } finally {
        await store.close();
      }
      print(r, () =>
        r.chain.ok
          ? `restored in ${(r.ms / 1000).toFixed(1)} s; the event log holds: ${r.events} events verified`
          : `restored, but the event log is BROKEN at event ${r.chain.firstBroken!.seq}: ${r.chain.firstBroken!.reason}`,
      );
      if (!r.chain.ok) setExitCode(EXIT.failure);
    });

  commands.exportCmd
    .command('all')
    .description(
      'write every object and the event log as JSON Lines (open data, and the way to move a hub between databases); it holds hashed tokens unless --public',
    )
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .option(
      '--public',
      'leave out credentials (tokens, sessions, claim codes, secrets, chat webhooks) and what is private to a person (mail addresses, inboxes, mail preferences) or the operator (rate limits, jobs)',
    )
    .action(async (opts: { output?: string; public?: boolean }) => {
      const store = await open(globals().database);
      try {
        const out = opts.output ? createWriteStream(opts.output) : cliIo().stdout;
        const r = await (await exportImport()).exportAll(store, out, { public: opts.public });
        if (opts.output) {
          out.end();
          await finished(out);
          const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
          cliIo().stderr.write(`exported ${rows} rows of ${Object.keys(r.tables).length} tables to ${opts.output}\n`);
        }
      } finally {
        await store.close();
      }
    });

  commands.importCmd
    .command('all <file>')
    .description(
      'read a `wghub export all` file into an empty hub of either database (e.g. to move from SQLite to PostgreSQL), then verify the event log',
    )
    .action(async (file: string) => {
      const store = await open(globals().database);
      try {
        const r = await (await exportImport()).importAll(store, createReadStream(file));
        const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
        print(r, () =>
          r.chainOk
            ? `imported ${rows} rows of ${Object.keys(r.tables).length} tables; the event log holds: ${r.events} events verified`
            : `imported ${rows} rows, but the event log does NOT verify`,
        );
        if (!r.chainOk) setExitCode(EXIT.failure);
      } finally {
        await store.close();
      }
    });
}
