// Keeps the search index in step with what people write. Each use case that changes something
// searchable re-indexes it in the same transaction, so search never shows a write that failed.
import { renderCharter } from '../../domain/charter-doc/index.ts';
import { addWords, changeWords } from '../../search/engine.ts';
import { documentWords } from '../../search/words.ts';
import { sql } from 'kysely';
import { plainFromMarkdown } from '../../search/text.ts';
import { readJson, type SearchDocumentsTable } from '../../store/schema.ts';
import { LIMITS } from '../../domain/limits.ts';
import { firstCharacters } from '../../domain/text.ts';
import type { Tx } from '../core/hub.ts';

/** The words a stored document gave the vocabulary when it was indexed, or null when it is not indexed. */
async function storedWords(trx: Tx, id: string): Promise<string[] | null> {
  const old = await trx
    .selectFrom('search_documents')
    .select(['title', sql<string>`substr(body, 1, ${LIMITS.search.wordsFromChars})`.as('body')])
    .where('id', '=', id)
    .executeTakeFirst();
  return old ? documentWords(old.title, old.body) : null;
}

/** Takes a document out of the index, and its words out of the vocabulary's counts. */
async function remove(trx: Tx, id: string): Promise<void> {
  const before = await storedWords(trx, id);
  if (!before) return;
  await trx.deleteFrom('search_documents').where('id', '=', id).execute();
  await changeWords(trx, before, null);
}

/**
 * Text as the index holds it: NFC, so an accent typed apart (NFD, as a Mac may send it) and one typed
 * whole are one word to both databases (attack round 26: PostgreSQL's vectors kept them apart, so
 * "Café" written one way was not found by the other, on SQLite a query typed decomposed found nothing).
 */
const indexed = (text: string): string => text.normalize('NFC');

async function upsert(trx: Tx, raw: SearchDocumentsTable): Promise<void> {
  // a bounded document keeps every search's cost bounded; what lies past the cap is not searchable
  const doc = {
    ...raw,
    title: indexed(raw.title),
    body: firstCharacters(indexed(raw.body), LIMITS.search.indexedBodyChars),
  };
  const before = await storedWords(trx, doc.id);
  await trx
    .insertInto('search_documents')
    .values(doc)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        ref: doc.ref,
        kind: doc.kind,
        title: doc.title,
        body: doc.body,
        group_slug: doc.group_slug,
        status: doc.status,
        layer: doc.layer,
        date: doc.date,
      }),
    )
    .execute();
  await changeWords(trx, before, documentWords(doc.title, doc.body));
}

export async function indexProposal(trx: Tx, proposalId: string): Promise<void> {
  const p = await trx
    .selectFrom('proposals as p')
    .leftJoin('groups as g', 'g.id', 'p.group_id')
    .selectAll('p')
    .select('g.slug as group')
    .where('p.id', '=', proposalId)
    .executeTakeFirstOrThrow();
  const source = readJson(p.source);
  const examples = readJson(p.examples);
  const body = plainFromMarkdown(
    [p.problem, ...examples, p.interests, source?.document.body ?? ''].filter(Boolean).join('\n'),
  );
  await upsert(trx, {
    id: `proposal:${p.id}`,
    ref: p.sep_number !== null ? `SEP-${p.sep_number}` : `P-${p.number}`,
    kind: p.route === 'sep' ? 'sep' : 'proposal',
    title: p.title,
    body,
    group_slug: p.group,
    status: p.stage,
    layer: p.layer,
    // a SEP is dated by its own Created date (an import would date every SEP the day it ran)
    date: p.route === 'sep' ? p.created_at : p.updated_at,
  });
}

export async function indexGroup(trx: Tx, groupId: string): Promise<void> {
  const g = await trx.selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirstOrThrow();
  await upsert(trx, {
    id: `charter:${g.slug}`,
    ref: `charter:${g.slug}`,
    kind: 'charter',
    title: `${g.name} Charter`,
    body: plainFromMarkdown(renderCharter(readJson(g.charter))),
    group_slug: g.slug,
    status: g.status,
    layer: null,
    date: g.updated_at,
  });
}

export async function indexComment(trx: Tx, commentId: string): Promise<void> {
  const c = await trx
    .selectFrom('comments as c')
    .innerJoin('proposals as p', 'p.id', 'c.proposal_id')
    .leftJoin('groups as g', 'g.id', 'p.group_id')
    .select(['c.id', 'c.body', 'c.updated_at', 'c.hidden_at', 'p.title', 'p.number', 'p.sep_number', 'g.slug as group'])
    .where('c.id', '=', commentId)
    .executeTakeFirstOrThrow();
  // a comment a moderator hid is not found by search, whatever re-indexes it (an edit mirrored from GitHub)
  if (c.hidden_at) {
    await remove(trx, `comment:${c.id}`);
    return;
  }
  const ref = c.sep_number !== null ? `SEP-${c.sep_number}` : `P-${c.number}`;
  await upsert(trx, {
    id: `comment:${c.id}`,
    ref: `${ref}#comment-${c.id}`,
    kind: 'comment',
    title: `Comment on ${ref}: ${c.title}`,
    body: plainFromMarkdown(c.body),
    group_slug: c.group,
    status: null,
    layer: null,
    date: c.updated_at,
  });
}

/**
 * Comments new to the index, in bulk (a backfill's thread): one insert per 100 documents and one
 * vocabulary update for all of them, counted as indexing each would.
 */
export async function indexNewComments(
  trx: Tx,
  comments: { id: string; body: string; updated_at: string }[],
  on: { ref: string; title: string; group: string | null },
): Promise<void> {
  const docs = comments.map((c) => ({
    id: `comment:${c.id}`,
    ref: `${on.ref}#comment-${c.id}`,
    kind: 'comment',
    title: indexed(`Comment on ${on.ref}: ${on.title}`),
    body: firstCharacters(indexed(plainFromMarkdown(c.body)), LIMITS.search.indexedBodyChars),
    group_slug: on.group,
    status: null,
    layer: null,
    date: c.updated_at,
  }));
  for (let i = 0; i < docs.length; i += 100)
    await trx
      .insertInto('search_documents')
      .values(docs.slice(i, i + 100))
      .execute();
  const counts = new Map<string, number>();
  for (const d of docs) for (const w of documentWords(d.title, d.body)) counts.set(w, (counts.get(w) ?? 0) + 1);
  await addWords(trx, counts);
}

export async function indexArtifact(trx: Tx, artifactId: string): Promise<void> {
  const a = await trx
    .selectFrom('artifacts as a')
    .leftJoin('groups as g', 'g.id', 'a.group_id')
    .selectAll('a')
    .select('g.slug as group')
    .where('a.id', '=', artifactId)
    .executeTakeFirstOrThrow();
  await upsert(trx, {
    id: `artifact:${a.path}`,
    ref: `artifact:${a.path}`,
    kind: a.kind === 'meeting-notes' ? 'meeting-notes' : 'artifact',
    title: a.title,
    body: plainFromMarkdown(a.body),
    group_slug: a.group,
    status: a.kind,
    layer: a.kind === 'meeting-notes' ? null : 'working-group-artifact',
    date: a.updated_at,
  });
}

/** Meeting notes, with the agenda they followed, so search finds what was said and where. */
export async function indexMeeting(trx: Tx, meetingId: string): Promise<void> {
  const m = await trx
    .selectFrom('meetings as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .selectAll('m')
    .select('g.slug as group')
    .where('m.id', '=', meetingId)
    .executeTakeFirstOrThrow();
  if (m.notes === null) return;
  const items = await trx
    .selectFrom('meeting_agenda_items')
    .select('title')
    .where('meeting_id', '=', m.id)
    .orderBy('position')
    .execute();
  await upsert(trx, {
    id: `meeting:${m.id}`,
    ref: `M-${m.number}`,
    kind: 'meeting-notes',
    title: `${m.title} (${m.starts_at.slice(0, 10)})`,
    body: plainFromMarkdown([m.notes, ...items.map((i) => `- ${i.title}`)].join('\n')),
    group_slug: m.group,
    status: m.kind,
    layer: null,
    date: m.notes_published_at ?? m.updated_at,
  });
}

/**
 * A GitHub Discussion mirrored into the hub, with its comments, so search finds what was said
 * there too; meeting notes are found as meeting notes, anything else as a GitHub Discussion.
 * A Discussion deleted on GitHub is taken out of the index.
 */
export async function indexGithubDiscussion(trx: Tx, discussionId: string): Promise<void> {
  const d = await trx
    .selectFrom('github_discussions as d')
    .leftJoin('meetings as m', 'm.id', 'd.meeting_id')
    .leftJoin('groups as g', 'g.id', 'm.group_id')
    .selectAll('d')
    .select('g.slug as group')
    .where('d.id', '=', discussionId)
    .executeTakeFirstOrThrow();
  if (d.deleted_at) {
    await remove(trx, `github-discussion:${d.id}`);
    return;
  }
  const comments = await trx
    .selectFrom('github_discussion_comments')
    .select('body')
    .where('repo', '=', d.repo)
    .where('discussion_number', '=', d.number)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  await upsert(trx, {
    id: `github-discussion:${d.id}`,
    ref: `github:${d.repo}/discussions/${d.number}`,
    kind: d.kind === 'notes' ? 'meeting-notes' : 'github-discussion',
    title: d.title,
    body: plainFromMarkdown([d.body, ...comments.map((c) => c.body)].join('\n\n')),
    group_slug: d.group,
    status: d.category,
    layer: null,
    date: d.updated_at,
  });
}

/** A plain GitHub issue mirrored into the hub, with its comments; a deleted one leaves the index. */
export async function indexGithubIssue(trx: Tx, issueId: string): Promise<void> {
  const i = await trx.selectFrom('github_issues').selectAll().where('id', '=', issueId).executeTakeFirstOrThrow();
  if (i.deleted_at) {
    await remove(trx, `github-issue:${i.id}`);
    return;
  }
  const comments = await trx
    .selectFrom('github_issue_comments')
    .select('body')
    .where('repo', '=', i.repo)
    .where('issue_number', '=', i.number)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  await upsert(trx, {
    id: `github-issue:${i.id}`,
    ref: `github:${i.repo}/issues/${i.number}`,
    kind: 'github-issue',
    title: i.title,
    body: plainFromMarkdown([i.body, ...comments.map((c) => c.body)].join('\n\n')),
    group_slug: null,
    status: i.state,
    layer: null,
    date: i.updated_at,
  });
}
