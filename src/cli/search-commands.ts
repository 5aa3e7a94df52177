import { cliIo } from './io.ts';
import type { CommandTools } from './command-tools.ts';
import type { Command } from 'commander';
import { readOptionFile } from './files.ts';

// each command loads its use cases when it runs (main.ts)
const searching = () => import('../app/search/search.ts');

const plain = (html: string) =>
  html
    .replace(/<\/?mark>/g, '*')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

export function registerSearchCommands(program: Command, { withHub, print, report, words }: CommandTools): void {
  program
    .command('search <query...>')
    .description(
      words(
        'search proposals, SEPs, artifacts, charters, meeting notes, comments and the GitHub discussions and issues mirrored ("quoted phrases", -exclude)',
      ),
    )
    .option(
      '--kind <kind>',
      'proposal, sep, artifact, charter, meeting-notes, comment, github-discussion or github-issue',
    )
    .option('--group <slug>', 'a group')
    .option('--status <status>', 'a stage or status')
    .option('--layer <layer>', 'a target layer')
    .option('--since <date>', 'changed on or after YYYY-MM-DD')
    .option('--until <date>', 'changed on or before YYYY-MM-DD')
    .option('--limit <n>', 'how many', '20')
    .option('--cursor <cursor>', 'the next page, as the last one said (its nextCursor)')
    // paged by offset once: still read, so one using it is told to use --cursor rather than given the first page
    .option('--offset <n>', 'no longer taken: use --cursor, as the last page said')
    .action((words: string[], o: Record<string, string | undefined>) =>
      report(
        async (hub) =>
          (await searching()).search(hub, {
            q: words.join(' '),
            ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
          }),
        (r) =>
          (r.correctedQuery ? `nothing matched "${r.query}"; results for "${r.correctedQuery}":\n` : '') +
          (r.someWords
            ? `nothing holds every word of "${r.query}"; results holding some of ${r.someWords.join(', ')}:\n`
            : '') +
          (r.items
            .map(
              (h) =>
                `${h.ref}  [${h.kind}${h.group ? `, ${h.group}` : ''}${h.status ? `, ${h.status}` : ''}]  ${h.title}\n    ${plain(h.snippet)}`,
            )
            .join('\n') || 'no matches') +
          (r.nextCursor !== null ? `\nmore: the same search with --cursor ${r.nextCursor}` : ''),
      ),
    );

  program
    .command('prior-work')
    .description(
      'existing items that may cover the same ground as a draft, best first, with reasons (--json prints [{ref, title, score, reasons, pages?}])',
    )
    .requiredOption('--title <text>', 'the draft title')
    .option('--text-file <file>', 'a file with the draft text')
    .option('--text <text>', 'the draft text')
    .option('--group <slug>', 'the group it would belong to')
    .option('--limit <n>', 'how many', '10')
    .action((o: { title: string; textFile?: string; text?: string; group?: string; limit: string }) =>
      withHub(async (hub) => {
        const text = o.textFile ? readOptionFile('--text-file', o.textFile) : (o.text ?? '');
        const items = await (await searching()).priorWork(hub, {
          title: o.title,
          text,
          limit: o.limit, // as typed: Number() read 1e1 as 10 and 'ten' as NaN
          ...(o.group ? { group: o.group } : {}),
        });
        print(
          items.map((m) => ({
            ref: m.ref,
            title: m.title,
            score: m.score,
            reasons: m.reasons,
            ...(m.pages ? { pages: m.pages } : {}),
          })),
          () =>
            items
              .map(
                (m) =>
                  `${m.score.toFixed(3)}  ${m.ref}  ${m.title}\n        ${m.reasons.join('; ')}${m.pages ? `\n        restated in: ${m.pages.map((p) => p.ref).join(', ')}` : ''}`,
              )
              .join('\n') || 'nothing similar found',
        );
      }),
    );

  program
    .command('search-index')
    .description(
      'PostgreSQL: build the RUM index that ranks searches inside the index (after installing postgresql-15-rum on a hub migrated without it; minutes at a million documents, writes to the search index wait meanwhile)',
    )
    .action(() =>
      withHub(async (hub) => {
        if (hub.store.kind === 'sqlite') {
          print({ index: 'not needed' }, () => 'SQLite ranks inside its FTS5 index already: nothing to build');
          return;
        }
        const started = performance.now();
        const { createRankIndex } = await import('../search/rank-index.ts');
        const r = await hub.store.db.transaction().execute((trx) => createRankIndex(trx));
        const s = Math.round((performance.now() - started) / 1000);
        print({ index: r, seconds: s }, () =>
          r === 'built'
            ? `built the RUM search index in ${s} s`
            : r === 'present'
              ? 'the RUM search index is already there'
              : 'the RUM extension is not available to this database (install postgresql-15-rum; creating the extension needs a superuser)',
        );
      }),
    );

  const importCmd = program.commands.find((c) => c.name() === 'import')!;
  importCmd
    .command('corpus <dir>')
    .description(
      'import a governance corpus: charters, SEPs, governance docs and working-group artifacts (RFCs, research, meeting notes, glossary); idempotent',
    )
    .action((dir: string) =>
      withHub(async (hub, actor) => {
        const cliProgress = (await import('cli-progress')).default;
        const { importCorpus } = await import('../app/imports/corpus.ts');
        const bar = cliIo().stderr.isTTY
          ? new cliProgress.SingleBar(
              {
                format: 'importing [{bar}] {value}/{total} {file}',
                stream: cliIo().stderr,
                clearOnComplete: true,
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            )
          : null;
        let started = false;
        const r = await importCorpus(hub, actor, dir, (done, total, item) => {
          if (!bar) return;
          if (!started) {
            bar.start(total, 0, { file: '' });
            started = true;
          }
          bar.update(done, { file: item.path.slice(-50) });
        });
        bar?.stop();
        print(r, () =>
          [
            `${r.imported} imported, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped.length} skipped, ${r.warnings.length} warnings`,
            `  by kind: ${Object.entries(r.byKind)
              .map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`)
              .join(', ')}`,
            ...r.skipped.map((s) => `  skipped ${s.path}: ${s.why}`),
            ...r.warnings.map((w) => `  warning: ${w}`),
          ].join('\n'),
        );
      }),
    );
}
