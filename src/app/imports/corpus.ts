// `wghub import corpus DIR`: everything under a governance corpus (charters, SEPs, governance
// docs, working-group artifacts) through the importers of each kind. Idempotent.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readSourceFile } from './source-files.ts';
import { importArtifact } from './artifacts.ts';
import { importCharterText } from './charters.ts';
import { InvalidInput, invalid } from '../../domain/errors.ts';
import type { Actor, Hub } from '../core/hub.ts';
import { importSepText, linkSepRelations, type SepLink } from './seps.ts';

export type CorpusItem = { path: string; kind: 'charter' | 'sep' | 'artifact'; group: string | null };
export type CorpusReport = {
  imported: number;
  updated: number;
  unchanged: number;
  skipped: { path: string; why: string }[];
  warnings: string[];
  byKind: Record<string, number>;
};

// numbers in names in their numeric order, so SEP-414 is imported (and listed) before SEP-1024
const byName = new Intl.Collator('en', { numeric: true }).compare;

// a linked folder is not entered (one linking to its parent never ends); a linked file is listed,
// and readSourceFile reads it only when it lies inside the folder imported
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory() ? walk(full, base) : [path.relative(base, full)];
    });
}

/** Decides what each file is; charters and SEPs by their folders, the rest by name. */
export function classifyCorpus(root: string): { items: CorpusItem[]; skipped: { path: string; why: string }[] } {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw invalid('dir', `${root} is not a folder`);
  const items: CorpusItem[] = [];
  const skipped: { path: string; why: string }[] = [];
  for (const rel of walk(root)) {
    const p = rel.split(path.sep).join('/');
    if (!/\.mdx?$/.test(p)) {
      skipped.push({ path: p, why: 'not markdown' });
      continue;
    }
    if (/(^|\/)docs\/community\/(working|interest)-groups\/[^/]+\.mdx?$/.test(p))
      items.push({ path: p, kind: 'charter', group: null });
    else if (/(^|\/)seps\/\d+-[^/]+\.md$/.test(p)) items.push({ path: p, kind: 'sep', group: null });
    else if (/(^|\/)seps\/(README|TEMPLATE)\.md$/.test(p) || /^README\.md$/.test(p) || /(^|\/)LICENSE/.test(p))
      skipped.push({
        path: p,
        why: /README\.md$/.test(p) && !p.includes('/') ? 'the corpus description' : 'a template or index, not content',
      });
    else {
      const wg = /^community-wg-repo\/wg\/([^/]+)\//.exec(p);
      items.push({ path: p, kind: 'artifact', group: wg ? wg[1]! : null });
    }
  }
  // charters first so artifacts can attach to their groups, then SEPs, then the rest
  const order = { charter: 0, sep: 1, artifact: 2 };
  items.sort((a, b) => order[a.kind] - order[b.kind] || byName(a.path, b.path));
  return { items, skipped };
}

export async function importCorpus(
  hub: Hub,
  actor: Actor,
  root: string,
  onProgress?: (done: number, total: number, item: CorpusItem) => void,
): Promise<CorpusReport> {
  const { items, skipped } = classifyCorpus(root);
  const warnings: string[] = [];
  const report: CorpusReport = { imported: 0, updated: 0, unchanged: 0, skipped, warnings, byKind: {} };
  const links: SepLink[] = [];
  for (const [i, item] of items.entries()) {
    const read = readSourceFile(path.join(root, item.path), root);
    if ('skipped' in read) {
      skipped.push({ path: item.path, why: read.skipped });
      continue;
    }
    const text = read.text;
    let status: 'created' | 'updated' | 'unchanged';
    try {
      if (item.kind === 'charter')
        status = (
          await importCharterText(hub, actor, text, item.path.replace(/^.*docs\/community\//, ''), (w) =>
            warnings.push(w),
          )
        ).status;
      else if (item.kind === 'sep') {
        const r = await importSepText(hub, actor, text, path.basename(item.path), (w) => warnings.push(w));
        links.push(
          ...r.supersedes.map((to) => ({ from: r.ref, kind: 'supersedes' as const, to })),
          ...r.related.map((to) => ({ from: r.ref, kind: 'related' as const, to })),
        );
        status = r.status;
      } else
        status = await importArtifact(
          hub,
          actor,
          item.path,
          text,
          item.group &&
            (await hub.store.db.selectFrom('groups').select('slug').where('slug', '=', item.group).executeTakeFirst())
            ? item.group
            : null,
        );
    } catch (e) {
      // one file's mistake (a charter named 日本語.mdx, a SEP with a NUL) skips that file, as the
      // charter and SEP importers do, rather than stopping the run with the files after it unread
      if (!(e instanceof InvalidInput)) throw e;
      skipped.push({ path: item.path, why: e.issues.map((i) => i.rule).join('; ') });
      onProgress?.(i + 1, items.length, item);
      continue;
    }
    if (status === 'created') report.imported++;
    else if (status === 'updated') report.updated++;
    else report.unchanged++;
    report.byKind[item.kind] = (report.byKind[item.kind] ?? 0) + 1;
    onProgress?.(i + 1, items.length, item);
  }
  await linkSepRelations(hub, actor, links, warnings);
  return report;
}
