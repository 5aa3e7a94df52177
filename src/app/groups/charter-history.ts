// A group's charter as a document (every section, for the charter page and its editor) and its
// change history, read from the event log: who changed which sections, when, and why.
import { type CharterDocument, CharterDocumentShape } from '../../domain/charter-doc/index.ts';
import { charterInWords } from '../../domain/charter-edit.ts';
import { groupKindHeading } from '../../domain/governance/words.ts';
import { sql } from 'kysely';
import { LIMITS, pageWithin } from '../../domain/limits.ts';
import type { EventRow } from '../../store/events.ts';
import { readJson, type EventFacts } from '../../store/schema.ts';
import { charterOf, groupRow } from './groups.ts';
import type { Hub, Tx } from '../core/hub.ts';
import { namesOf } from '../people/names.ts';

/** The charter a group event recorded (these events' facts carry the whole document under `charter`). */
const charterIn = (facts: EventFacts | null): CharterDocument | undefined =>
  CharterDocumentShape.safeParse(facts?.charter).data;

export type CharterChange = {
  seq: number;
  at: string;
  actor: string | null;
  kind: string;
  sections: string[];
  note: string | null;
};

export type CharterPage = {
  slug: string;
  name: string;
  version: number;
  document: CharterDocument;
  /** The latest changes, newest first, within `LIMITS.charterHistory`. */
  history: CharterChange[];
  /** How many changes came before those `history` lists (every one is in the event log). */
  historyEarlier: number;
  /** The name of each person who changed the charter (the history's actors), to show beside the handle. */
  names: Record<string, string>;
};

function changedSections(before: CharterDocument | undefined, after: CharterDocument | undefined): string[] {
  if (!after) return [];
  const old = new Map((before?.sections ?? []).map((s) => [s.heading, JSON.stringify(s.blocks)]));
  return after.sections
    .filter((s) => old.get(s.heading) !== JSON.stringify(s.blocks) && s.heading !== 'Changelog')
    .map((s) => s.heading);
}

const CHARTER_KINDS = ['group.proposed', 'group.imported', 'group.charter-imported', 'group.charter-amended'];

/**
 * The latest changes of a group's charter within `LIMITS.charterHistory`, oldest first, and how many
 * came before them: their sizes are read first, so the facts of those left out are never read.
 */
async function latestChanges(db: Tx, slug: string): Promise<{ events: EventRow[]; earlier: number }> {
  const ofGroup = db
    .selectFrom('events')
    .where('subject_type', '=', 'group')
    .where('subject_id', '=', slug)
    .where('kind', 'in', CHARTER_KINDS);
  const [sizes, count] = await Promise.all([
    ofGroup
      .select(['seq', sql<number>`coalesce(length(before), 0) + coalesce(length(after), 0)`.as('chars')])
      .orderBy('seq', 'desc')
      .limit(LIMITS.charterHistory.changes)
      .execute(),
    ofGroup.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const kept = pageWithin(sizes, LIMITS.charterHistory.chars, (r) => Number(r.chars)).map((r) => Number(r.seq));
  const rows = kept.length
    ? await db.selectFrom('events').selectAll().where('seq', 'in', kept).orderBy('seq').execute()
    : [];
  return { events: rows.map((r) => ({ ...r, seq: Number(r.seq) })), earlier: Number(count.n) - rows.length };
}

export async function getCharterPage(hub: Hub, slug: string): Promise<CharterPage> {
  const db = hub.store.db;
  const g = await groupRow(db, slug);
  const { events, earlier } = await latestChanges(db, g.slug);
  const history: CharterChange[] = [];
  for (const e of events) {
    const afterDoc = charterIn(readJson(e.after));
    const log = afterDoc?.sections.find((s) => s.heading === 'Changelog')?.blocks.find((b) => b.type === 'table');
    const note = e.kind === 'group.charter-amended' && log && log.type === 'table' ? (log.rows[0]?.[1] ?? null) : null;
    history.push({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      kind: e.kind,
      sections:
        e.kind === 'group.charter-amended' || e.kind === 'group.charter-imported'
          ? changedSections(charterIn(readJson(e.before)), afterDoc)
          : [],
      note,
    });
  }
  return {
    slug: g.slug,
    name: g.name,
    version: g.version,
    // its Group Type in the community's name for the group's kind, as the export writes it
    document: charterInWords(charterOf(g), g.kind, groupKindHeading(hub.governance, g.kind)),
    history: history.reverse(),
    historyEarlier: earlier,
    names: await namesOf(
      db,
      history.map((h) => h.actor),
    ),
  };
}
