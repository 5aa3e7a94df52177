import { NotFound } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { firstCharacters } from '../../domain/text.ts';
import { type ArtifactAction, artifactPolicy, type Can } from '../../domain/policies/index.ts';
import { authorize, viewerOf } from '../core/gate.ts';
import type { ArtifactsTable } from '../../store/schema.ts';
import {
  CursorPart,
  decodeCursor,
  encodeCursor,
  inTransaction,
  nowIso,
  record,
  type Actor,
  type Hub,
  type Page,
} from '../core/hub.ts';
import { z } from 'zod';
import { ListQuery } from '../core/schemas.ts';
import { parseInput } from '../core/validate.ts';
import { slugAsStored, SlugRef } from '../../domain/community.ts';
import { indexArtifact } from '../search/indexing.ts';
import { knownFilter } from '../groups/filters.ts';

export const ARTIFACT_KINDS = [
  'guide',
  'rfc',
  'research',
  'meeting-notes',
  'glossary',
  'vision',
  'governance-doc',
] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** What a file is, from where it lives: wg/NAME/rfcs, research, diary; glossaries; a group's README. */
export function artifactKindFor(path: string): ArtifactKind {
  if (/\/rfcs?\//i.test(path)) return 'rfc';
  if (/\/research\//i.test(path)) return 'research';
  if (/\/(diary|meetings?|notes)\//i.test(path) || /meeting[_-]notes/i.test(path)) return 'meeting-notes';
  if (/glossary/i.test(path)) return 'glossary';
  if (/^community-wg-repo\/wg\/[^/]+\/README\.md$/i.test(path)) return 'vision';
  if (/^community-wg-repo\/README\.md$/i.test(path)) return 'guide';
  return 'governance-doc';
}

/**
 * A document's title: its front matter's `title:` (front matter opens the file, as in the corpus),
 * else its first `# ` heading, else its file name; at most a line (LIMITS.line characters). Front
 * matter was once looked for at every line that opened with `---`, each read to the end of the
 * file: a 2 MB file of such lines held the importer for minutes.
 */
export function titleOf(markdown: string, path: string): string {
  return firstCharacters(fullTitleOf(markdown, path), LIMITS.line);
}

function fullTitleOf(markdown: string, path: string): string {
  const fm = /^---\r?\n/.exec(markdown);
  const close = fm ? markdown.indexOf('\n---', fm[0].length - 1) : -1;
  const title = close >= 0 ? /^title:[ \t]*(.+)$/m.exec(markdown.slice(fm![0].length, close + 1)) : null;
  if (title) return title[1]!.replace(/^["']|["']$/g, '').trim();
  const h1 = /^#[^\S\n]+(.+)$/m.exec(markdown);
  if (h1)
    return h1[1]!
      .replace(/[*_`\\]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  return path
    .split('/')
    .pop()!
    .replace(/\.mdx?$/, '');
}

export type ArtifactView = {
  path: string;
  title: string;
  kind: string;
  group: string | null;
  body: string;
  version: number;
  updatedAt: string;
  /** Whether the viewer may edit it here (nobody: it is kept in the repository) or import it, and why not. */
  can: Can<ArtifactAction>;
};

/** Imports or updates a working-group artifact by path, keeping every earlier text as a revision. */
export async function importArtifact(
  hub: Hub,
  actor: Actor,
  path: string,
  body: string,
  groupSlug: string | null,
): Promise<'created' | 'updated' | 'unchanged'> {
  authorize(artifactPolicy(viewerOf(hub, actor)), 'import');
  return inTransaction(hub, async (trx) => {
    const now = nowIso(hub);
    const group = groupSlug
      ? await trx.selectFrom('groups').select('id').where('slug', '=', groupSlug).executeTakeFirst()
      : undefined;
    const title = titleOf(body, path);
    const kind = artifactKindFor(path);
    const existing = await trx.selectFrom('artifacts').selectAll().where('path', '=', path).executeTakeFirst();
    if (
      existing &&
      existing.body === body &&
      existing.title === title &&
      existing.kind === kind &&
      existing.group_id === (group?.id ?? null)
    )
      return 'unchanged';
    let row: ArtifactsTable;
    if (!existing) {
      row = {
        id: hub.newId(),
        path,
        title,
        kind,
        group_id: group?.id ?? null,
        body,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('artifacts').values(row).execute();
    } else {
      row = {
        ...existing,
        title,
        kind,
        group_id: group?.id ?? null,
        body,
        version: existing.version + 1,
        updated_at: now,
      };
      await trx
        .updateTable('artifacts')
        .set({ title, kind, group_id: row.group_id, body, version: row.version, updated_at: now })
        .where('id', '=', existing.id)
        .execute();
    }
    await trx
      .insertInto('artifact_revisions')
      .values({ artifact_id: row.id, revision: row.version, body, at: now })
      .execute();
    await indexArtifact(trx, row.id);
    await record(
      trx,
      hub,
      actor,
      existing ? 'artifact.updated' : 'artifact.imported',
      { type: 'artifact', id: path },
      existing ? { title: existing.title, version: existing.version } : null,
      { title, kind, version: row.version },
    );
    return existing ? 'updated' : 'created';
  });
}

export async function getArtifact(
  hub: Hub,
  actor: Actor | null,
  path: string,
): Promise<ArtifactView & { revisions: { revision: number; at: string }[] }> {
  const a = await hub.store.db
    .selectFrom('artifacts as a')
    .leftJoin('groups as g', 'g.id', 'a.group_id')
    .selectAll('a')
    .select('g.slug as group')
    .where('a.path', '=', path)
    .executeTakeFirst();
  if (!a) throw new NotFound('artifact', path);
  const revisions = await hub.store.db
    .selectFrom('artifact_revisions')
    .select(['revision', 'at'])
    .where('artifact_id', '=', a.id)
    .orderBy('revision')
    .execute();
  return {
    path: a.path,
    title: a.title,
    kind: a.kind,
    group: a.group,
    body: a.body,
    version: a.version,
    updatedAt: a.updated_at,
    revisions,
    can: artifactPolicy(viewerOf(hub, actor)),
  };
}

export type ArtifactSummary = Omit<ArtifactView, 'body' | 'version'>;

/** Every artifact (guides, RFCs, research, meeting notes…), by kind then title, optionally of one group. */
export async function listArtifacts(
  hub: Hub,
  actor: Actor | null,
  filter: { group?: string; kind?: string } = {},
): Promise<ArtifactSummary[]> {
  // a group named with capitals is the one stored in lowercase, as on every edge (`slugAsStored`)
  const named = filter.group === undefined ? filter : { ...filter, group: slugAsStored(filter.group) };
  return (await artifactsFrom(hub, actor, named, 2000)).items;
}

export const ListArtifactsQuery = ListQuery.extend({
  group: SlugRef.optional().describe("the group slug, e.g. hosting; omitted: every group's and the community's"),
  kind: z.enum(ARTIFACT_KINDS).optional().describe('only documents of this kind; omitted: every kind'),
});

/** The same list a page at a time (`limit`, and the previous page's `nextCursor` as `cursor`), as the other lists are. */
export async function listArtifactsPage(hub: Hub, actor: Actor | null, raw: unknown): Promise<Page<ArtifactSummary>> {
  const { limit, cursor, ...filter } = parseInput(ListArtifactsQuery, raw);
  return artifactsFrom(
    hub,
    actor,
    filter,
    limit,
    decodeCursor(cursor, [CursorPart.text, CursorPart.text, CursorPart.id]),
  );
}

async function artifactsFrom(
  hub: Hub,
  actor: Actor | null,
  filter: { group?: string; kind?: string },
  limit: number,
  after?: [string, string, string],
): Promise<Page<ArtifactSummary>> {
  await knownFilter(hub.store.db, filter);
  let q = hub.store.db
    .selectFrom('artifacts as a')
    .leftJoin('groups as g', 'g.id', 'a.group_id')
    .select(['a.id', 'a.path', 'a.title', 'a.kind', 'a.updated_at', 'g.slug as group'])
    .orderBy('a.kind')
    .orderBy('a.title')
    .orderBy('a.id')
    .limit(limit + 1);
  if (filter.group) q = q.where('g.slug', '=', filter.group);
  if (filter.kind) q = q.where('a.kind', '=', filter.kind);
  if (after) {
    // the place itself, not the document: one renamed between pages neither skips nor repeats the rest
    const [kind, title, id] = after;
    q = q.where((eb) =>
      eb.or([
        eb('a.kind', '>', kind),
        eb.and([eb('a.kind', '=', kind), eb('a.title', '>', title)]),
        eb.and([eb('a.kind', '=', kind), eb('a.title', '=', title), eb('a.id', '>', id)]),
      ]),
    );
  }
  const found = await q.execute();
  const rows = found.slice(0, limit);
  const last = rows.at(-1);
  const can = artifactPolicy(viewerOf(hub, actor));
  const items = rows.map((r) => ({
    path: r.path,
    title: r.title,
    kind: r.kind,
    group: r.group,
    updatedAt: r.updated_at,
    can,
  }));
  return {
    items,
    nextCursor: found.length > limit && last ? encodeCursor([last.kind, last.title, last.id]) : null,
  };
}
