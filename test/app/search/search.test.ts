import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCorpus } from '../../../src/app/imports/corpus.ts';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import {
  createProposal,
  getProposal,
  moveProposal,
  relateProposal,
  updateProposal,
} from '../../../src/app/proposals/proposals.ts';
import {
  type PriorWorkCandidate,
  priorWork,
  rankCandidates,
  search,
  shownScore,
  WEIGHTS,
} from '../../../src/app/search/search.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { CORPUS } from '../../support/corpus.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

/** A new draft whose best matches are the tasks SEPs. */
const draft = {
  title: 'Durable tasks for long running tool calls',
  text: 'Clients need to poll a task handle for the result of a long-running tool call instead of holding the request open.',
  limit: 5,
};

describe.each(databases)('search and prior work over the real corpus on $name', (database) => {
  let hub: TestHub;
  let ada: Actor;
  beforeAll(async () => {
    hub = await openTestHub(database);
    const first = await importCorpus(hub, SYSTEM, CORPUS);
    expect(first).toMatchObject({ imported: 84, updated: 0, byKind: { charter: 16, sep: 41, artifact: 27 } });
    ada = await person(hub, 'ada', { org: 'Acme' });
  });
  afterAll(async () => hub?.close());

  it('imports the whole corpus idempotently: the second run changes nothing and logs nothing', async () => {
    const before = (await tailEvents(hub.store.db, 1))[0]!.seq;
    const again = await importCorpus(hub, SYSTEM, CORPUS);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 84 });
    expect(again.skipped.map((s) => s.path)).toEqual(
      expect.arrayContaining(['spec-repo/seps/TEMPLATE.md', 'MANIFEST.tsv']),
    );
    expect((await tailEvents(hub.store.db, 1))[0]!.seq).toBe(before);
  });

  it('ranks real documents, filters by kind, group and status, and highlights the words', async () => {
    const r = await search(hub, { q: 'stateless session' });
    expect(
      r.items
        .slice(0, 2)
        .map((h) => h.ref)
        .sort(),
    ).toEqual(['SEP-2567', 'SEP-2575']);
    expect(r.items[0]!.snippet).toMatch(/<mark>[Ss]ession/);
    const notes = await search(hub, { q: 'hosting', kind: 'meeting-notes' });
    expect(notes.items.map((h) => h.ref)).toEqual([
      'artifact:community-wg-repo/wg/hosting/diary/2025-04-17_meeting_notes.md',
    ]);
    const charters = await search(hub, { q: 'registry', kind: 'charter', group: 'registry' });
    expect(charters.items.map((h) => h.ref)).toEqual(['charter:registry']);
    expect(
      (await search(hub, { q: 'elicitation', kind: 'sep', status: 'final', limit: 50 })).items.map((h) => h.ref),
    ).toEqual(expect.arrayContaining(['SEP-1036', 'SEP-1330', 'SEP-1034']));
    expect((await search(hub, { q: '"tool annotations"', kind: 'charter' })).items[0]!.ref).toBe(
      'charter:tool-annotations',
    );
    await expect(search(hub, { q: '' })).rejects.toMatchObject({ issues: [{ field: 'q' }] });
  });

  it('markup in documents never reaches a snippet unescaped', async () => {
    const p = await createProposal(hub, ada, {
      title: 'Escaping check proposal',
      problem: 'Snippets must escape <script>alert(1)</script> that people paste into problem statements.',
      layer: 'working-group-artifact',
    });
    const r = await search(hub, { q: 'escape alert', kind: 'proposal' });
    expect(r.items[0]!.ref).toBe(p.ref);
    expect(r.items[0]!.snippet).not.toContain('<script>');
    await addComment(hub, ada, p.ref, { body: 'A comment about quokka migration' });
    expect((await search(hub, { q: 'quokka', kind: 'comment' })).items).toHaveLength(1);
  });

  it('prior work: finds the SEPs a draft overlaps, with reasons, and takes explicit references seriously', async () => {
    const m = await priorWork(hub, {
      title: 'Sessionless MCP servers behind load balancers',
      text: 'Servers should not keep session state so they can scale horizontally behind a load balancer.',
    });
    expect(
      m
        .slice(0, 2)
        .map((x) => x.ref)
        .sort(),
    ).toEqual(['SEP-2567', 'SEP-2575']);
    expect(m[0]!.reasons.join(' ')).toMatch(/shares the phrases/);
    const cited = await priorWork(hub, {
      title: 'Follow-up on resource errors',
      text: 'This builds on SEP-2164 and changes nothing else.',
    });
    expect(cited[0]).toMatchObject({ ref: 'SEP-2164', reasons: expect.arrayContaining(['the draft cites SEP-2164']) });
  });

  it('answers a draft of thousands of references and addresses, looking up the first ones it cites', async () => {
    // 1,500 addresses made a query too deep for SQLite to parse (a 500), before only the first were looked up
    const urls = Array.from({ length: 1_500 }, (_, i) => `https://a.example/${i}`).join(' ');
    const refs = Array.from({ length: 2_000 }, (_, i) => `P-${i + 1}`).join(' ');
    const text = `This builds on SEP-2164. ${urls} ${refs}`;
    expect(text.length).toBeLessThanOrEqual(LIMITS.search.draftChars);
    const cited = await priorWork(hub, { title: 'Follow-up on resource errors', text });
    expect(cited.find((m) => m.ref === 'SEP-2164')).toMatchObject({
      reasons: expect.arrayContaining(['the draft cites SEP-2164']),
    });
  });

  it("a draft that is an existing SEP (its title, its heading, or its opening text) is told so first, then that SEP's prior work", async () => {
    // as someone would paste it from the SEP's file: its heading's title and its abstract
    const file = readFileSync(path.join(CORPUS, 'spec-repo/seps/1686-tasks.md'), 'utf8');
    const abstract = file.slice(file.indexOf('## Abstract') + 12, file.indexOf('## Motivation')).trim();
    const sep = { title: 'Tasks' };
    const asItself = await priorWork(hub, { title: sep.title, text: abstract, limit: 5, exclude: 'SEP-1686' });
    const first = (reason: string) => ({ ref: 'SEP-1686', kind: 'sep', title: 'Tasks', score: 1, reasons: [reason] });
    for (const [title, reason] of [
      [sep.title, 'has this draft’s title: the draft may be this item'],
      ['tasks.', 'has this draft’s title: the draft may be this item'],
      [`SEP-1686: ${sep.title}`, 'this draft’s heading names it: the draft may be this item'],
      ['# SEP-1686 — Tasks', 'this draft’s heading names it: the draft may be this item'],
    ] as const) {
      const m = await priorWork(hub, { title, text: abstract, limit: 5 });
      expect(m[0], title).toEqual(first(reason));
      // the rest is what the hub finds for SEP-1686 itself, from its whole text and header: as many
      // as asked for, the item itself named apart
      expect(m.slice(1).map((x) => x.ref)).toEqual(asItself.map((x) => x.ref));
      expect(m.slice(1)).toHaveLength(5);
    }
    const retitled = await priorWork(hub, { title: 'Call now, fetch later', text: abstract, limit: 5 });
    expect(retitled[0]).toEqual(first('its text opens as this draft does: the draft may be this item'));
    // the heading's number decides: another SEP of a like title, or one the hub does not have, is not this one
    expect((await priorWork(hub, { title: 'SEP-2663: Tasks', text: '', limit: 3 }))[0]).toMatchObject({
      ref: 'SEP-2663',
      reasons: ['this draft’s heading names it: the draft may be this item'],
    });
    const unknown = await priorWork(hub, { title: 'SEP-9999: Tasks', text: abstract, limit: 5 });
    expect(unknown.some((x) => x.reasons.some((r) => r.includes('may be this item')))).toBe(false);
    // an abstract quoted in a new draft is someone else's words: the draft is not taken for that SEP
    const quoting = await priorWork(hub, {
      title: 'Cancel tasks across restarts',
      text: `> ${abstract.split('\n').join('\n> ')}\n\nWe need tasks to survive a server restart.`,
    });
    expect(quoting.some((x) => x.reasons.some((r) => r.includes('may be this item')))).toBe(false);
    // a one-word title is looked up as it is, the same on both databases
    expect((await priorWork(hub, { title: 'Governance', limit: 3 }))[0]!.reasons).toEqual([
      'has this draft’s title: the draft may be this item',
    ]);
    // a new draft on the same subject is not taken for it
    const fresh = await priorWork(hub, {
      title: 'Polling for the result of a long tool call',
      text: 'Clients cannot ask a server for the state of a tool call that takes minutes, or fetch its result after the connection dropped.',
    });
    expect(fresh.every((x) => !x.reasons.some((r) => r.includes('may be this item')))).toBe(true);
  });

  // its own words (in no other test here, nor the corpus): the tests share one hub, in any order
  it('a relation a person recorded is prior work: a successor sharing no word is shown beside the item it supersedes', async () => {
    const successor = await createProposal(hub, ada, {
      title: 'Dingo abacus',
      problem: 'Dingo abacuses need one owner each.',
      layer: 'specification',
      route: 'sep',
    });
    const before = await priorWork(hub, draft);
    const at = before.findIndex((m) => m.ref === 'SEP-1686');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(3);
    expect(before.some((m) => m.ref.endsWith(successor.ref))).toBe(false);
    // a suggestion is nobody's word yet: nothing changes
    await relateProposal(hub, ada, successor.ref, { kind: 'supersedes', to: 'SEP-1686', suggested: true });
    expect((await priorWork(hub, draft)).map((m) => m.ref)).toEqual(before.map((m) => m.ref));
    await relateProposal(hub, ada, successor.ref, { kind: 'supersedes', to: 'SEP-1686' });
    const after = await priorWork(hub, draft);
    const tasks = after.findIndex((m) => m.ref === 'SEP-1686');
    const next = after.findIndex((m) => m.ref.endsWith(successor.ref));
    // among the best three, below the SEP it supersedes (and what scores as high as that SEP)
    expect(next).toBeGreaterThan(tasks);
    expect(next).toBeLessThan(3);
    expect(after[next]!.reasons).toEqual([`recorded: ${successor.ref} supersedes SEP-1686 (confirmed by ada)`]);
    // the successor's own prior work names what it supersedes first, for the same reason
    const own = await priorWork(hub, {
      title: successor.title,
      text: 'Dingo abacuses need one owner each.',
      exclude: successor.ref,
    });
    expect(own[0]).toMatchObject({
      ref: 'SEP-1686',
      reasons: expect.arrayContaining([`recorded: ${successor.ref} supersedes SEP-1686 (confirmed by ada)`]),
    });
    // and a SEP header's relation counts the same way (SEP-2567's header names SEP-2549 as related)
    const sessionless = await priorWork(hub, { title: 'Sessionless MCP', text: '', exclude: 'SEP-2567', limit: 10 });
    expect(sessionless.find((m) => m.ref === 'SEP-2549')?.reasons).toContain(
      'recorded: SEP-2567 is related to SEP-2549 (its SEP header says so)',
    );
  });

  it('a recorded relation never brings back the item checked, nor lifts a withdrawn one', async () => {
    const text = 'Bilby dens need a shared registry of den entrances so bilbies do not collide.';
    const old = await createProposal(hub, ada, {
      title: 'Bilby den registry',
      problem: text,
      layer: 'supporting-resource',
    });
    const next = await createProposal(hub, ada, {
      title: 'Bilby den registry, second take',
      problem: text,
      layer: 'supporting-resource',
    });
    await relateProposal(hub, ada, next.ref, { kind: 'supersedes', to: old.ref });
    // checked in the form prior work itself reports (proposal:P-n) as in the bare one
    for (const exclude of [old.ref, `proposal:${old.ref}`]) {
      const r = await priorWork(hub, { title: old.title, text, exclude });
      expect(r.map((m) => m.ref)).not.toContain(`proposal:${old.ref}`);
      expect(r[0]).toMatchObject({
        ref: `proposal:${next.ref}`,
        reasons: expect.arrayContaining([`recorded: ${next.ref} supersedes ${old.ref} (confirmed by ada)`]),
      });
    }
    // a copy given up is nobody's way forward: not lifted beside the match it copies
    const copy = await createProposal(hub, ada, {
      title: 'Quoll ledger',
      problem: 'Quoll ledgers need one keeper each.',
      layer: 'specification',
      route: 'sep',
    });
    await relateProposal(hub, ada, copy.ref, { kind: 'duplicate-of', to: 'SEP-1686' });
    expect((await priorWork(hub, draft)).map((m) => m.ref)).toContain(copy.ref);
    await moveProposal(hub, ada, copy.ref, { to: 'withdrawn' });
    expect((await priorWork(hub, draft)).map((m) => m.ref)).not.toContain(copy.ref);
  });

  it("a draft's own group's charter is where it would live, not prior work to it; without a group it is shown", async () => {
    const idea = {
      title: 'Registry metadata for publishing servers',
      text: 'The MCP registry publishes server metadata so that clients can discover servers and their packages.',
      limit: 10,
    };
    expect((await priorWork(hub, idea)).map((m) => m.ref)).toContain('charter:registry');
    const inGroup = (await priorWork(hub, { ...idea, group: 'registry' })).map((m) => m.ref);
    expect(inGroup).not.toContain('charter:registry');
    expect(inGroup.length).toBeGreaterThan(0);
  });

  it('runs automatically when a proposal is created or its problem changes, and is stored on it', async () => {
    const p = await createProposal(hub, ada, {
      title: 'Tasks for long running tool calls',
      problem: 'Long-running tool calls need a poll handle so clients are not blocked waiting for results.',
      layer: 'specification',
      route: 'sep',
    });
    expect(p.priorWork!.matches.map((x) => x.ref)).toContain('SEP-1686');
    const v = (await getProposal(hub, p.ref)).version;
    const updated = await updateProposal(hub, ada, p.ref, v, {
      title: 'Out-of-band elicitation for secrets',
      problem: 'Clients need URL mode elicitation of sensitive data out of band, instead of in-band forms.',
    });
    expect(updated.priorWork!.matches[0]!.ref).toBe('SEP-1036');
    const events = (await tailEvents(hub.store.db, 10)).filter(
      (e) => e.kind === 'proposal.prior-work-checked' && e.subject_id === p.ref,
    );
    expect(events).toHaveLength(2);
  });

  it('filters by layer and by date (since and until are whole days, inclusive), and names a bad date or range', async () => {
    hub.clock.set('2026-11-10T23:30:00Z');
    const early = await createProposal(hub, ada, {
      title: 'Wombat burrow naming guide',
      problem: 'Nobody agrees how wombat burrows are named across hosting docs.',
      layer: 'supporting-resource',
    });
    hub.clock.set('2026-11-20T08:00:00Z');
    const late = await createProposal(hub, ada, {
      title: 'Wombat burrow naming in SDKs',
      problem: 'Every SDK names wombat burrows differently, so clients break.',
      layer: 'sdk-alignment',
    });
    const refs = async (q: Record<string, unknown>) =>
      (await search(hub, { q: 'wombat', ...q })).items.map((h) => h.ref).sort();
    expect(await refs({})).toEqual([early.ref, late.ref].sort());
    expect(await refs({ layer: 'supporting-resource' })).toEqual([early.ref]);
    expect(await refs({ layer: 'sdk-alignment' })).toEqual([late.ref]);
    expect(await refs({ layer: 'specification' })).toEqual([]);
    expect(await refs({ until: '2026-11-10' })).toEqual([early.ref]); // 23:30 on the 10th is still the 10th
    expect(await refs({ since: '2026-11-11' })).toEqual([late.ref]);
    expect(await refs({ since: '2026-11-10', until: '2026-11-20' })).toEqual([early.ref, late.ref].sort());
    expect(await refs({ since: '2026-11-11', until: '2026-11-19' })).toEqual([]);
    expect(await refs({ since: '2026-11-10', until: '2026-11-10' })).toEqual([early.ref]);
    // a layer filter on the corpus keeps only that layer: Process SEPs and governance docs are working-group artifacts
    const wg = (await search(hub, { q: 'governance', layer: 'working-group-artifact', limit: 50 })).items;
    expect(wg.map((h) => h.ref)).toEqual(
      expect.arrayContaining(['SEP-2085', 'artifact:spec-repo/docs/community/governance.mdx']),
    );
    expect(wg.every((h) => h.layer === 'working-group-artifact')).toBe(true);

    await expect(search(hub, { q: 'wombat', since: 'yesterday' })).rejects.toMatchObject({
      issues: [{ field: 'since', rule: 'must be a date as YYYY-MM-DD' }],
    });
    await expect(search(hub, { q: 'wombat', until: '2026-02-30' })).rejects.toMatchObject({
      issues: [{ field: 'until', rule: 'must be a real calendar date as YYYY-MM-DD (2026-02-30 is not)' }],
    });
    await expect(search(hub, { q: 'wombat', since: '2026-11-20', until: '2026-11-10' })).rejects.toMatchObject({
      issues: [{ field: 'until', rule: 'must not be before since (2026-11-20)' }],
    });
    await expect(search(hub, { q: 'wombat', layer: 'planet' })).rejects.toMatchObject({ issues: [{ field: 'layer' }] });
  });

  it('a small typo still finds: "sesion" is searched as "session", and the result says so', async () => {
    const exact = await search(hub, { q: 'stateless session' });
    const typo = await search(hub, { q: 'stateless sesion' });
    expect(typo.correctedQuery).toBe('stateless session');
    expect(typo.items.map((h) => h.ref)).toEqual(exact.items.map((h) => h.ref));
    expect(exact.correctedQuery).toBeUndefined();
    // two letters swapped in a longer word, and a word nothing is close to
    expect((await search(hub, { q: 'elicitaiton' })).correctedQuery).toBe('elicitation');
    const none = await search(hub, { q: 'zzyzxq' });
    expect(none).toEqual({ query: 'zzyzxq', items: [], nextCursor: null });
    // a word written after the import is known too
    await createProposal(hub, ada, {
      title: 'Quokkafication of transports',
      problem: 'Transports need quokkafication for the hosting group, with real examples.',
      layer: 'working-group-artifact',
    });
    expect((await search(hub, { q: 'quokafication' })).items.map((h) => h.title)).toContain(
      'Quokkafication of transports',
    );
  });

  // A newcomer types a sentence, not keywords: no item holds every word of it, so the items that
  // hold some of its telling words are offered, best first, and the result says which words.
  it('a sentence no item holds whole finds items with some of its telling words, and says so', async () => {
    // nothing in the corpus names Heroku, so no item holds every word, and no word is near it
    const q = 'keep my sessions alive when a Heroku dyno restarts';
    const some = await search(hub, { q });
    expect(some.correctedQuery).toBeUndefined();
    expect(some.someWords).toEqual(['keep', 'sessions', 'alive', 'heroku', 'dyno', 'restarts']);
    expect(some.items.length).toBeGreaterThan(0);
    expect(some.items.slice(0, 5).some((h) => /session/i.test(`${h.title} ${h.snippet}`))).toBe(true);
    // a phrase in quotes, an excluded word, or one word asked for exactly that
    expect(await search(hub, { q: `"${q}"` })).toEqual({ query: `"${q}"`, items: [], nextCursor: null });
    expect(await search(hub, { q: 'heroku dyno -sessions' })).toEqual({
      query: 'heroku dyno -sessions',
      items: [],
      nextCursor: null,
    });
    expect((await search(hub, { q: 'session' })).someWords).toBeUndefined();
  });

  it('says where the next page starts, and on the last page that none follows', async () => {
    const all = await search(hub, { q: 'session', limit: 100 });
    expect(all.items.length).toBeGreaterThan(12);
    const seen: string[] = [];
    const pages: (string | null)[] = [];
    // bounded: a page that never says "none follows" must fail, not loop
    for (let cursor: string | null | undefined; cursor !== null && pages.length < 20; ) {
      const page = await search(hub, { q: 'session', limit: 5, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((h) => h.id));
      pages.push(page.nextCursor);
      cursor = page.nextCursor;
    }
    // every item once, in the order of one long page, and no empty page asked for at the end
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(all.items.map((h) => h.id).sort());
    expect(pages.at(-1)).toBeNull();
    expect(pages.length).toBe(Math.ceil(all.items.length / 5));
  });

  it('pages by cursor as the other lists do: an offset is refused naming it, and a cursor only goes on the search it came from', async () => {
    await expect(search(hub, { q: 'session', offset: 5 })).rejects.toMatchObject({
      issues: [
        {
          field: 'offset',
          rule: "is no longer taken: search pages by cursor, as the other lists do; pass the previous page's nextCursor as cursor",
        },
      ],
    });
    const first = await search(hub, { q: 'session', limit: 5 });
    expect(first.nextCursor).toEqual(expect.any(String));
    const cursor = first.nextCursor as string;
    // with other words or another filter it is no place in that list
    for (const other of [{ q: 'affinity' }, { q: 'session', kind: 'proposal' }])
      await expect(search(hub, { ...other, cursor })).rejects.toMatchObject({
        issues: [{ field: 'cursor', rule: expect.stringContaining('is the nextCursor of another search') }],
      });
    await expect(search(hub, { q: 'session', cursor: 'not-a-cursor' })).rejects.toMatchObject({
      issues: [{ field: 'cursor', rule: expect.stringContaining('must be the nextCursor value of a previous page') }],
    });
    // a page of another size goes on from the same place
    const second = await search(hub, { q: 'session', limit: 3, cursor });
    const long = await search(hub, { q: 'session', limit: 8 });
    expect(second.items.map((h) => h.id)).toEqual(long.items.slice(5, 8).map((h) => h.id));
  });

  it('offers no next page past the deepest place a cursor holds', async () => {
    // more matches than the deepest page reaches: the last page it may reach says none follows
    const many = Array.from({ length: LIMITS.search.maxOffset + 130 }, (_, i) => ({
      id: `deep-${i}`,
      ref: `artifact:deep/${i}.md`,
      kind: 'artifact',
      title: `Quokka note ${i}`,
      body: 'quokka',
      group_slug: null,
      status: null,
      layer: null,
      date: '2026-01-01T00:00:00.000Z',
    }));
    for (let at = 0; at < many.length; at += 500)
      await hub.store.db
        .insertInto('search_documents')
        .values(many.slice(at, at + 500))
        .execute();
    try {
      let cursor: string | null | undefined;
      let pages = 0;
      let last: Awaited<ReturnType<typeof search>> | undefined;
      do {
        last = await search(hub, { q: 'quokka', limit: 100, ...(cursor ? { cursor } : {}) });
        cursor = last.nextCursor;
        pages++;
      } while (cursor && pages < 200);
      // pages from 0 to maxOffset (its last starts there), then none, though 30 more match past it
      expect(pages).toBe(LIMITS.search.maxOffset / 100 + 1);
      expect(last.items).toHaveLength(100);
      expect(last.nextCursor).toBeNull();
    } finally {
      await hub.store.db.deleteFrom('search_documents').where('id', 'like', 'deep-%').execute();
    }
  });

  it("an item's own title comes before comments that repeat it", async () => {
    const p = await createProposal(hub, ada, {
      title: 'Wombat burrow transport',
      problem: 'Wombat burrow transport is needed so that burrows can talk, for the hosting group.',
      layer: 'working-group-artifact',
    });
    for (const body of ['Wombat burrow transport', 'wombat burrow transport please', 'Wombat burrow transport!'])
      await addComment(hub, ada, p.ref, { body });
    const r = await search(hub, { q: 'wombat burrow transport' });
    expect(r.items[0]!.ref).toBe(p.ref);
    expect(r.items.filter((h) => h.kind === 'comment').length).toBeGreaterThan(0);
  });

  it('a title\'s word counts only where it starts a word: no "script" in "description"', async () => {
    await createProposal(hub, ada, {
      title: 'Tool description review checklist for numbats',
      problem: 'Reviewers of numbat tool descriptions miss the same poisoning patterns again and again.',
      layer: 'working-group-artifact',
    });
    const found = await priorWork(hub, {
      title: 'Numbat script sandboxing',
      text: 'Scripts that numbat servers run need a sandbox.',
    });
    const checklist = found.find((m) => m.title.startsWith('Tool description review checklist'));
    expect(checklist?.reasons.join('; ') ?? '').not.toMatch(/its title has[^;]*"script/);
    // nor among the shared key terms named for a match whose title shares none
    await createProposal(hub, ada, {
      title: 'Metadata review before hosting',
      problem: 'Numbat tool descriptions are published without anyone reviewing them before hosting.',
      layer: 'working-group-artifact',
    });
    const again = await priorWork(hub, { title: 'Numbat script sandboxing', text: 'Scripts that numbats run.' });
    const metadata = again.find((m) => m.title === 'Metadata review before hosting');
    expect(metadata?.reasons.join('; ')).toMatch(/shares key terms \([^)]*numbat/);
    expect(metadata?.reasons.join('; ')).not.toMatch(/shares key terms \([^)]*script/);
    expect(checklist?.reasons.join('; ')).toMatch(/its title has "numbat/);
  });
});

describe('the score shown for a match', () => {
  it('falls as the list does and tells strong matches apart, below the 1 of the item itself', () => {
    const sums = [4, 3, 2, 1.2, 0.6, 0.1, 0];
    const shown = sums.map(shownScore);
    expect(new Set(shown).size).toBe(sums.length);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    expect(Math.max(...shown)).toBeLessThan(1);
    expect(shownScore(0)).toBe(0);
    expect(shownScore(50)).toBe(0.999);
    // a weak match reads about as its summed evidence
    expect(shownScore(0.1)).toBeCloseTo(0.1, 1);
  });
});

describe('a docs page that restates a SEP', () => {
  const none = {
    overlap: 0,
    cites: 0,
    citedBy: 0,
    linked: 0,
    cocited: 0,
    phrases: 0,
    title: 0,
    abstract: 0,
    synonyms: 0,
    group: 0,
    people: 0,
    layer: 0,
    identifiers: 0,
    body: 0,
    recorded: 0,
  };
  const c = (ref: string, overlap: number, restates?: string[]): PriorWorkCandidate => ({
    ref,
    kind: ref.startsWith('SEP-') ? 'sep' : 'artifact',
    title: ref,
    signals: { ...none, overlap },
    reasons: {},
    ...(restates ? { restates } : {}),
  });
  it('is shown with that SEP, at the better of their places, and takes no place of its own', () => {
    const ranked = rankCandidates(
      [c('artifact:docs/lifecycle.mdx', 0.9, ['SEP-2596']), c('SEP-1', 0.8), c('SEP-2596', 0.5), c('SEP-2', 0.4)],
      WEIGHTS,
      3,
    );
    expect(ranked.map((m) => m.ref)).toEqual(['SEP-2596', 'SEP-1', 'SEP-2']);
    expect(ranked[0]!.pages).toEqual([{ ref: 'artifact:docs/lifecycle.mdx', title: 'artifact:docs/lifecycle.mdx' }]);
  });
  it("gives the SEP its page's score and its page's reason when the page ranked higher", () => {
    const page = {
      ...c('artifact:docs/lifecycle.mdx', 0.9, ['SEP-2596']),
      reasons: { overlap: 'shares key terms (ttl)' },
    };
    const ranked = rankCandidates([page, c('SEP-1', 0.8), c('SEP-2596', 0.05)], WEIGHTS, 3);
    expect(ranked.map((m) => m.ref)).toEqual(['SEP-2596', 'SEP-1']);
    expect(ranked[0]!.score).toBe(shownScore(0.9));
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
    expect(ranked[0]!.reasons).toEqual(['its page “artifact:docs/lifecycle.mdx” restates it: shares key terms (ttl)']);
  });
  it('stays in its own place when its SEP is not among the matches', () => {
    const ranked = rankCandidates([c('artifact:docs/lifecycle.mdx', 0.9, ['SEP-2596']), c('SEP-1', 0.8)], WEIGHTS, 3);
    expect(ranked.map((m) => m.ref)).toEqual(['artifact:docs/lifecycle.mdx', 'SEP-1']);
  });
});

describe('an item recorded as the successor of a match', () => {
  const signals = { ...WEIGHTS, ...Object.fromEntries(Object.keys(WEIGHTS).map((k) => [k, 0])) } as typeof WEIGHTS;
  const c = (ref: string, overlap: number, lineage?: PriorWorkCandidate['lineage']): PriorWorkCandidate => ({
    ref,
    kind: 'sep',
    title: ref,
    signals: { ...signals, overlap },
    reasons: {},
    ...(lineage ? { lineage } : {}),
  });
  const tie = (ref: string) => [{ ref, how: `P-9 supersedes ${ref} (confirmed by ada)` }];
  it('is placed just below a match among the best three, with the relation as its first reason', () => {
    const ranked = rankCandidates(
      [c('SEP-1', 0.9), c('SEP-2', 0.5), c('SEP-3', 0.4), c('P-9', 0.05, tie('SEP-1'))],
      WEIGHTS,
      4,
    );
    expect(ranked.map((m) => m.ref)).toEqual(['SEP-1', 'P-9', 'SEP-2', 'SEP-3']);
    expect(ranked[1]!.reasons).toEqual(['recorded: P-9 supersedes SEP-1 (confirmed by ada)']);
  });
  it('is placed beside a SEP that a docs page restating it brought to the top', () => {
    const ranked = rankCandidates(
      [
        { ...c('artifact:docs/tasks.mdx', 1), kind: 'artifact', restates: ['SEP-1'] },
        c('SEP-2', 0.9),
        c('SEP-3', 0.8),
        c('SEP-4', 0.7),
        c('SEP-1', 0.3),
        c('P-9', 0.05, tie('SEP-1')),
      ],
      WEIGHTS,
      6,
    );
    expect(ranked.map((m) => m.ref)).toEqual(['SEP-1', 'P-9', 'SEP-2', 'SEP-3', 'SEP-4']);
    expect(ranked[1]!.score).toBeLessThan(1);
  });
  it('is not moved for a match below the best three, nor above the match it is tied to', () => {
    const low = rankCandidates(
      [c('SEP-1', 0.9), c('SEP-2', 0.8), c('SEP-3', 0.7), c('SEP-4', 0.6), c('P-9', 0.05, tie('SEP-4'))],
      WEIGHTS,
      5,
    );
    expect(low.map((m) => m.ref)).toEqual(['SEP-1', 'SEP-2', 'SEP-3', 'SEP-4', 'P-9']);
    expect(low[4]!.reasons).toEqual([]);
    const above = rankCandidates([c('P-9', 0.9, tie('SEP-1')), c('SEP-1', 0.5)], WEIGHTS, 2);
    expect(above.map((m) => [m.ref, m.reasons.length])).toEqual([
      ['P-9', 0],
      ['SEP-1', 0],
    ]);
  });
});
