// Relations people recorded between proposals and SEPs (and those SEP headers name), read for the
// prior-work check: what no shared word shows ("P-7 supersedes SEP-1686") is shown because a
// person said so. Only confirmed relations count; a suggestion is not yet anyone's word.
import { relationVerb } from '../../domain/proposals/relations.ts';
import { ABANDONED_STAGES } from '../../domain/proposals/route.ts';
import { type SearchHit, unrankedHit } from '../../search/engine.ts';
import type { Hub } from '../core/hub.ts';
import { documentWords } from '../../domain/governance/words.ts';
import { reportedRef } from './reported-ref.ts';

/** At most this many relations are read for one check (of each sort), and this many items joined to the candidates. */
const RELATIONS_AT_MOST = 200;
const ADDED_AT_MOST = 20;

/** Kinds that make one item the other's successor or copy: an item so tied to a match is shown beside it. */
const LINEAGE = ['supersedes', 'duplicate-of', 'builds-on', 'promoted-from'];

export type RecordedRelations = {
  /** Candidates (by search document id) the draft itself is recorded as related to, with how. */
  withDraft: Map<string, string>;
  /** Candidates tied to other candidates by a lineage relation, with the other's ref and how. */
  lineage: Map<string, { ref: string; how: string }[]>;
  /** Items not among the candidates that such relations name: candidates too, shown only through the relation. */
  added: SearchHit[];
};

/**
 * The confirmed relations touching the draft (its search document, when it is an existing
 * proposal or SEP), and the lineage relations touching any candidate in `pool`. Items on their
 * other side that the index holds are returned as `added` (never the draft itself, nor an
 * abandoned item tied only to a candidate), so that a successor sharing no word with the draft
 * is still ranked.
 */
export async function recordedRelations(
  hub: Hub,
  draft: { id: string; ref: string } | undefined,
  pool: SearchHit[],
): Promise<RecordedRelations> {
  const out: RecordedRelations = { withDraft: new Map(), lineage: new Map(), added: [] };
  const own = draft?.id.startsWith('proposal:') ? draft.id.slice('proposal:'.length) : undefined;
  const ids = [...new Set(pool.flatMap((h) => (h.id.startsWith('proposal:') ? [h.id.slice(9)] : [])))].filter(
    (id) => id !== own,
  );
  const read = (where: 'own' | 'pool') =>
    hub.store.db
      .selectFrom('proposal_relations')
      .select(['from_id', 'to_id', 'kind', 'confirmed_by'])
      .where('status', '=', 'confirmed')
      .where((eb) =>
        where === 'own'
          ? eb.or([eb('from_id', '=', own!), eb('to_id', '=', own!)])
          : eb.and([eb('kind', 'in', LINEAGE), eb.or([eb('from_id', 'in', ids), eb('to_id', 'in', ids)])]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .limit(RELATIONS_AT_MOST)
      .execute();
  // the draft's own relations first: the caps never drop them for its candidates' ties
  const mine = own ? await read('own') : [];
  const ties = ids.length ? (await read('pool')).filter((r) => r.from_id !== own && r.to_id !== own) : [];
  const inPool = new Map(pool.map((h) => [h.id, h]));
  const missing = [
    ...new Set(
      [...mine, ...ties]
        .flatMap((r) => [r.from_id, r.to_id])
        .filter((id) => id !== own)
        .map((id) => `proposal:${id}`)
        .filter((id) => !inPool.has(id)),
    ),
  ].slice(0, ADDED_AT_MOST);
  const known = missing.length
    ? await hub.store.db
        .selectFrom('search_documents')
        .select(['id', 'ref', 'kind', 'title', 'group_slug', 'status', 'layer', 'date'])
        .where('id', 'in', missing)
        .orderBy('id')
        .execute()
    : [];
  const found = new Map(known.map((a) => [a.id, unrankedHit(a)]));
  const hitOf = (id: string) => inPool.get(`proposal:${id}`) ?? found.get(`proposal:${id}`);
  const refOf = (id: string) => (id === own ? draft?.ref : hitOf(id)?.ref);
  const how = (r: (typeof mine)[number]) => {
    // the header of the community's kind of document ("its RFC header says so")
    const who =
      r.confirmed_by === 'import'
        ? `its ${documentWords(hub.governance).one} header says so`
        : `confirmed by ${r.confirmed_by ?? 'someone'}`;
    return `${refOf(r.from_id)} ${relationVerb(r.kind)} ${refOf(r.to_id)} (${who})`;
  };
  const added = new Set<string>();
  for (const r of mine) {
    const other = hitOf(r.from_id === own ? r.to_id : r.from_id);
    if (!other || out.withDraft.has(other.id)) continue;
    out.withDraft.set(other.id, how(r));
    if (!inPool.has(other.id)) added.add(other.id);
  }
  // an abandoned item is not lifted beside a match: it is no one's way forward
  const alive = (h: SearchHit) => !ABANDONED_STAGES.includes(h.status ?? '');
  for (const r of ties) {
    const [a, b] = [hitOf(r.from_id), hitOf(r.to_id)];
    if (!a || !b) continue;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      // a tie lifts x beside y only when y is a candidate in its own right
      if (!inPool.has(y.id) || !alive(x)) continue;
      out.lineage.set(x.id, [...(out.lineage.get(x.id) ?? []), { ref: reportedRef(y), how: how(r) }]);
      if (!inPool.has(x.id)) added.add(x.id);
    }
  }
  out.added = [...added].map((id) => found.get(id)!);
  return out;
}
