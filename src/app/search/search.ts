import {
  cappedDocumentCounts,
  documentCountEstimate,
  documentsMentioningNumber,
  indexedBodies,
  searchIndex,
  type SearchHit,
} from '../../search/engine.ts';
import { explicitRefs, formerNumber, keyPhrases, keyTerms } from '../../search/text.ts';
import { inTransaction, nowIso, record, type Hub } from '../core/hub.ts';
import { PriorWorkInput, SearchQuery } from './schemas.ts';
import { parseInput } from '../core/validate.ts';

/** The search box's input: shape, real calendar days, and a date range that runs forwards. */
export const SearchInput = SearchQuery;

export async function search(hub: Hub, raw: unknown): Promise<{ query: string; items: SearchHit[] }> {
  const q = parseInput(SearchInput, raw);
  const items = await searchIndex(
    hub.store,
    q.q,
    {
      kind: q.kind,
      group: q.group,
      status: q.status,
      layer: q.layer,
      since: q.since,
      until: q.until ? `${q.until}\uffff` : undefined,
    },
    q.limit,
    q.offset,
  );
  return { query: q.q, items };
}

export type PriorWorkMatch = { ref: string; kind: string; title: string; score: number; reasons: string[] };

const CANDIDATES = 60;

/**
 * Candidates for a draft. Asking the engine for "any of 16 terms" makes it rank most of a large
 * index when some terms are common, so common terms are left to the ranking here: the engine is
 * asked for the rare terms (any of them), and, when the draft has few rare terms, for documents
 * holding its two strongest terms together.
 */
async function candidates(hub: Hub, terms: string[]): Promise<{ hits: SearchHit[]; rarity: Map<string, number> }> {
  if (!terms.length) return { hits: [], rarity: new Map() };
  const total = await documentCountEstimate(hub.store);
  const common = Math.max(2000, Math.floor(total * 0.01));
  // counted no further than `common`: enough to tell rare terms from common ones on any index
  const df = await cappedDocumentCounts(hub.store, terms, common + 1);
  // a small index is cheap to rank whole: every term counts as rare there
  const rare = total > common ? terms.filter((t) => (df.get(t) ?? 0) > 0 && (df.get(t) ?? 0) <= common) : terms;
  const hits: SearchHit[] = [];
  if (rare.length)
    hits.push(
      ...(await searchIndex(hub.store, rare.slice(0, total > common ? 10 : 16).join(' '), {}, CANDIDATES, 0, 'any')),
    );
  if (rare.length < 3) {
    const strong = terms.filter((t) => !rare.includes(t)).slice(0, 2);
    if (strong.length === 2)
      for (const h of await searchIndex(hub.store, strong.join(' '), {}, CANDIDATES, 0, 'all'))
        if (!hits.some((x) => x.id === h.id)) hits.push(h);
  }
  // inverse document frequency: a term most documents carry says little about which one is meant
  const n = Math.max(total, 1);
  const rarity = new Map(terms.map((t) => [t, Math.log(1 + n / Math.max(1, Math.min(df.get(t) ?? 0, n)))]));
  return { hits, rarity };
}

/**
 * How much of the draft's vocabulary a document carries, scored like BM25: each key term counts
 * by its rarity in the index and its rank in the draft, more in the title; repetition saturates
 * (k1) and long documents are discounted against the average length (b), so a long page that
 * mentions everything once does not outrank the short one about the subject.
 */
const K1 = 1.2;
const B = 0.75;
function termOverlap(
  terms: string[],
  rarity: Map<string, number>,
  doc: { title: string; body: string },
  averageLength: number,
): number {
  const title = doc.title.toLowerCase();
  const body = doc.body.toLowerCase();
  const lengthNorm = 1 - B + (B * body.length) / Math.max(1, averageLength);
  let score = 0;
  terms.forEach((t, i) => {
    const weight = (rarity.get(t) ?? 1) / (1 + i * 0.15);
    const stem = t.length > 5 ? t.slice(0, -2) : t;
    const count = body.split(stem).length - 1;
    if (title.includes(stem)) score += 2 * weight;
    score += (weight * count * (K1 + 1)) / (count + K1 * lengthNorm);
  });
  return score;
}

/**
 * SEPs a draft cites by a number that is no longer theirs (renumbered, or superseded by them):
 * for each cited SEP number nothing in the index carries, the SEPs whose text mentions it are
 * read to see whether they account for it (see `formerNumber`). Found ones join the candidates.
 */
async function formerNumbers(
  hub: Hub,
  refs: string[],
  hits: SearchHit[],
): Promise<Map<string, { cited: string; how: 'renumbered' | 'supersedes' }>> {
  const out = new Map<string, { cited: string; how: 'renumbered' | 'supersedes' }>();
  const wanted = refs
    .map((r) => ({ cited: r, n: /^(?:SEP-|#)(\d+)$/.exec(r)?.[1] }))
    .filter((w): w is { cited: string; n: string } => !!w.n);
  if (!wanted.length) return out;
  const known = new Set(
    (
      await hub.store.db
        .selectFrom('search_documents')
        .select('ref')
        .where(
          'ref',
          'in',
          wanted.map((w) => `SEP-${w.n}`),
        )
        .execute()
    ).map((r) => r.ref),
  );
  for (const w of wanted.filter((x) => !known.has(`SEP-${x.n}`)).slice(0, 5)) {
    const mentions = await documentsMentioningNumber(hub.store, w.n, 'sep', 20);
    const bodies = await indexedBodies(
      hub.store,
      mentions.map((m) => m.id),
    );
    for (const m of mentions) {
      const how = formerNumber(bodies.get(m.id)?.body ?? '', w.n);
      if (!how || out.has(m.id)) continue;
      out.set(m.id, { cited: w.cited, how });
      if (!hits.some((h) => h.id === m.id)) hits.push({ ...m, score: 0 });
    }
  }
  return out;
}

/**
 * The existing items most likely to cover the same ground as a draft, best first, each with why:
 * an explicit reference, shared key phrases and terms, the same group. Shown, never blocking.
 */
export async function priorWork(hub: Hub, raw: unknown): Promise<PriorWorkMatch[]> {
  const input = parseInput(PriorWorkInput, raw);
  const terms = keyTerms(input.title, input.text);
  const phrases = keyPhrases(input.title, input.text);
  const { refs, urls } = explicitRefs(`${input.title}\n${input.text}`);
  const { hits, rarity } = await candidates(hub, terms);
  // items the draft cites by reference are candidates even when they share few words
  if (refs.length || urls.length) {
    const cited = await hub.store.db
      .selectFrom('search_documents')
      .select(['id', 'ref', 'kind', 'title', 'group_slug', 'status', 'layer', 'date'])
      .where((eb) =>
        eb.or([
          eb('ref', 'in', refs.length ? refs.map((r) => (r.startsWith('#') ? `SEP-${r.slice(1)}` : r)) : ['-']),
          ...urls.map((u) => eb('id', '=', `artifact:${u}`)),
        ]),
      )
      .execute();
    for (const c of cited)
      if (!hits.some((h) => h.id === c.id))
        hits.push({
          id: c.id,
          ref: c.ref,
          kind: c.kind,
          title: c.title,
          group: c.group_slug,
          status: c.status,
          layer: c.layer,
          date: c.date,
          score: 0,
          snippet: '',
        });
  }
  const former = await formerNumbers(hub, refs, hits);
  const pool = hits.filter(
    (h) =>
      h.kind !== 'comment' &&
      h.ref !== input.exclude &&
      h.id !== input.exclude &&
      `proposal:${h.ref}` !== input.exclude,
  );
  const bodies = await indexedBodies(
    hub.store,
    pool.map((h) => h.id),
  );
  // Candidates come from the engine; the ranking is computed here, the same on both databases.
  // the candidates' average length stands in for the index's (which would cost a scan to know)
  const averageLength = [...bodies.values()].reduce((n, d) => n + d.body.length, 0) / Math.max(1, bodies.size);
  const overlap = new Map(pool.map((h) => [h.id, termOverlap(terms, rarity, bodies.get(h.id)!, averageLength)]));
  const top = Math.max(...overlap.values(), 1e-9);
  const urlText = urls.join(' ');
  const matches = pool.map((h) => {
    const doc = bodies.get(h.id)!;
    const hay = `${doc.title}\n${doc.body}`.toLowerCase();
    const reasons: string[] = [];
    let score = 0.55 * (overlap.get(h.id)! / top);
    const cites =
      refs.some((r) => r === h.ref || (r.startsWith('#') && h.ref === `SEP-${r.slice(1)}`)) ||
      (h.ref.startsWith('SEP-') && new RegExp(`/pull/${h.ref.slice(4)}\\b`).test(urlText));
    const earlier = former.get(h.id);
    if (cites) {
      score += 0.4;
      reasons.push(`the draft cites ${h.ref}`);
    } else if (earlier) {
      score += 0.4;
      reasons.push(
        earlier.how === 'renumbered'
          ? `the draft cites ${earlier.cited}, an earlier number of ${h.ref} (its file links that issue or pull request)`
          : `the draft cites ${earlier.cited}, which ${h.ref} supersedes`,
      );
    }
    const shared = phrases.filter((p) => hay.includes(p));
    if (shared.length) {
      score += Math.min(0.25, 0.05 * shared.length);
      reasons.push(
        `shares the phrases ${shared
          .slice(0, 4)
          .map((p) => `"${p}"`)
          .join(', ')}`,
      );
    }
    const titleTerms = terms.filter((t) => doc.title.toLowerCase().includes(t));
    if (titleTerms.length) {
      score += Math.min(0.15, 0.05 * titleTerms.length);
      reasons.push(
        `its title has ${titleTerms
          .slice(0, 4)
          .map((t) => `"${t}"`)
          .join(', ')}`,
      );
    } else if (h.score > 0) {
      reasons.push(
        `shares key terms (${terms
          .filter((t) => hay.includes(t))
          .slice(0, 5)
          .join(', ')})`,
      );
    }
    if (input.group && doc.group === input.group) {
      score += 0.05;
      reasons.push(`same group: ${input.group}`);
    }
    // the fixed form scripts rely on: SEP-n, proposal:P-n, artifact:PATH, charter:SLUG
    return {
      ref: h.kind === 'proposal' ? `proposal:${h.ref}` : h.ref,
      kind: h.kind,
      title: h.title,
      score: Math.round(Math.min(1, score) * 1000) / 1000,
      reasons,
    };
  });
  return matches.sort((a, b) => b.score - a.score || a.ref.localeCompare(b.ref)).slice(0, input.limit);
}

/**
 * Runs the prior-work check for a proposal and stores the result on it, as the evidence that
 * step 1 of the route ("ensure there is no pre-existing work") happened. Runs after the write
 * that triggered it has committed.
 */
export async function recordPriorWork(hub: Hub, proposalId: string): Promise<void> {
  const p = await hub.store.db
    .selectFrom('proposals as p')
    .leftJoin('groups as g', 'g.id', 'p.group_id')
    .select([
      'p.id',
      'p.number',
      'p.sep_number',
      'p.title',
      'p.problem',
      'p.examples',
      'p.interests',
      'g.slug as group',
    ])
    .where('p.id', '=', proposalId)
    .executeTakeFirstOrThrow();
  const ref = p.sep_number !== null ? `SEP-${p.sep_number}` : `P-${p.number}`;
  const matches = await priorWork(hub, {
    title: p.title,
    text: [p.problem, ...(JSON.parse(p.examples) as string[]), p.interests].join('\n'),
    ...(p.group ? { group: p.group } : {}),
    limit: 5,
    exclude: ref,
  });
  const result = { checkedAt: nowIso(hub), matches };
  await inTransaction(hub, async (trx) => {
    await trx
      .updateTable('proposals')
      .set({ prior_work: JSON.stringify(result) })
      .where('id', '=', p.id)
      .execute();
    await record(
      trx,
      hub,
      { kind: 'system', label: 'prior-work' },
      'proposal.prior-work-checked',
      { type: 'proposal', id: ref },
      null,
      { matches: matches.map((m) => ({ ref: m.ref, score: m.score })) },
    );
  });
}
