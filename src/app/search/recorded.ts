// Relations people recorded between proposals and SEPs (and those SEP headers name), read for the
// prior-work check: what no shared word shows ("P-7 supersedes SEP-1686") is shown because a
// person said so. Only confirmed relations count; a suggestion is not yet anyone's word.
import type { SearchHit } from '../../search/engine.ts';
import type { Hub } from '../core/hub.ts';

/** At most this many relations are read for one check, and this many items joined to the candidates. */
const RELATIONS_AT_MOST = 200;
const ADDED_AT_MOST = 20;

/** Kinds that make one item the other's successor or copy: an item so tied to a match is shown beside it. */
const LINEAGE = new Set(['supersedes', 'duplicate-of', 'builds-on', 'promoted-from']);

const VERB: Record<string, string> = {
  supersedes: 'supersedes',
  'duplicate-of': 'duplicates',
  'builds-on': 'builds on',
  'promoted-from': 'was promoted from',
  related: 'is related to',
};

export type RecordedRelations = {
  /** Candidates (by search document id) the draft itself is recorded as related to, with how. */
  withDraft: Map<string, string>;
  /** Candidates tied to other candidates by a lineage relation, with the other's ref and how. */
  lineage: Map<string, { ref: string; how: string }[]>;
};

/** A search document's ref as prior work reports it (SEP-n, proposal:P-n). */
const reported = (h: Pick<SearchHit, 'kind' | 'ref'>) => (h.kind === 'proposal' ? `proposal:${h.ref}` : h.ref);

/**
 * The confirmed relations touching the draft (its search document, when it is an existing
 * proposal or SEP) or any candidate in `pool`. Items on their other side that the
 * index holds join `pool`, so that a successor sharing no word with the draft is still ranked.
 */
export async function recordedRelations(
  hub: Hub,
  draft: { id: string; ref: string } | undefined,
  pool: SearchHit[],
): Promise<RecordedRelations> {
  const out: RecordedRelations = { withDraft: new Map(), lineage: new Map() };
  const own = draft?.id.startsWith('proposal:') ? draft.id.slice('proposal:'.length) : undefined;
  const ids = [
    ...new Set([...(own ? [own] : []), ...pool.flatMap((h) => (h.id.startsWith('proposal:') ? [h.id.slice(9)] : []))]),
  ];
  if (!ids.length) return out;
  const rows = await hub.store.db
    .selectFrom('proposal_relations')
    .select(['from_id', 'to_id', 'kind', 'confirmed_by'])
    .where('status', '=', 'confirmed')
    .where((eb) => eb.or([eb('from_id', 'in', ids), eb('to_id', 'in', ids)]))
    .orderBy('created_at')
    .limit(RELATIONS_AT_MOST)
    .execute();
  const inPool = new Map(pool.map((h) => [h.id, h]));
  const wanted = (r: (typeof rows)[number]) =>
    r.from_id === own ||
    r.to_id === own ||
    (LINEAGE.has(r.kind) && (inPool.has(`proposal:${r.from_id}`) || inPool.has(`proposal:${r.to_id}`)));
  const missing = [
    ...new Set(
      rows
        .filter(wanted)
        .flatMap((r) => [r.from_id, r.to_id])
        .filter((id) => id !== own)
        .map((id) => `proposal:${id}`)
        .filter((id) => !inPool.has(id)),
    ),
  ].slice(0, ADDED_AT_MOST);
  // what the index does not hold (a withdrawn copy, say) is not shown as prior work
  const added = missing.length
    ? await hub.store.db
        .selectFrom('search_documents')
        .select(['id', 'ref', 'kind', 'title', 'group_slug', 'status', 'layer', 'date'])
        .where('id', 'in', missing)
        .execute()
    : [];
  for (const a of added) {
    const hit: SearchHit = {
      id: a.id,
      ref: a.ref,
      kind: a.kind,
      title: a.title,
      group: a.group_slug,
      status: a.status,
      layer: a.layer,
      date: a.date,
      score: 0,
      snippet: '',
    };
    pool.push(hit);
    inPool.set(a.id, hit);
  }
  const refOf = (id: string) => {
    if (id === own) return draft?.ref;
    const h = inPool.get(`proposal:${id}`);
    return h ? h.ref : undefined;
  };
  for (const r of rows.filter(wanted)) {
    const [from, to] = [refOf(r.from_id), refOf(r.to_id)];
    if (!from || !to) continue;
    const who = r.confirmed_by === 'import' ? 'its SEP header says so' : `confirmed by ${r.confirmed_by ?? 'someone'}`;
    const how = `${from} ${VERB[r.kind] ?? r.kind} ${to} (${who})`;
    if (r.from_id === own || r.to_id === own) {
      const other = `proposal:${r.from_id === own ? r.to_id : r.from_id}`;
      if (!out.withDraft.has(other)) out.withDraft.set(other, how);
      continue;
    }
    const [a, b] = [inPool.get(`proposal:${r.from_id}`)!, inPool.get(`proposal:${r.to_id}`)!];
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const)
      out.lineage.set(x.id, [...(out.lineage.get(x.id) ?? []), { ref: reported(y), how }]);
  }
  return out;
}
