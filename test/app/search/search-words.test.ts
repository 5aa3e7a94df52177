// The typo-correction vocabulary follows what is indexed, on both databases: each word counts the
// documents that hold it, an edit takes away the words it removed, a comment hidden from search
// takes its words with it, and a word nobody uses any more no longer "corrects" a search.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { addComment, editComment } from '../../../src/app/proposals/comments.ts';
import { moderateComment } from '../../../src/app/proposals/moderation.ts';
import { createProposal, getProposal, updateProposal } from '../../../src/app/proposals/proposals.ts';
import { priorWork, search } from '../../../src/app/search/search.ts';
import { up as recount } from '../../../src/store/migrations/091-search-words-recount.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('the search vocabulary on $name', (database) => {
  let hub: TestHub;
  let ada: Actor;
  let mod: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    ada = await person(hub, 'ada');
    mod = await person(hub, 'mo', { role: 'moderator' });
  });
  afterEach(async () => hub?.close());

  /** How many documents the vocabulary says carry each word (undefined: it does not know the word). */
  async function counts(...words: string[]): Promise<(number | undefined)[]> {
    const rows = await hub.store.db.selectFrom('search_words').selectAll().where('word', 'in', words).execute();
    return words.map((w) => {
      const r = rows.find((x) => x.word === w);
      return r ? Number(r.docs) : undefined;
    });
  }

  it('a long document is indexed up to a character, never half of an emoji (attack round 22)', async () => {
    // about a million UTF-16 units of emoji: the cut at 250,000 units fell inside one, and the index
    // stored U+FFFD (a snippet at the cut showed it)
    await createProposal(hub, ada, {
      title: 'Emoji everywhere',
      problem: '😀'.repeat(20_000),
      examples: Array.from({ length: 100 }, () => '😀'.repeat(5_000)),
      layer: 'working-group-artifact',
    });
    const { body } = await hub.store.db
      .selectFrom('search_documents')
      .select('body')
      .where('ref', '=', 'P-1')
      .executeTakeFirstOrThrow();
    expect(body.includes('\uFFFD')).toBe(false);
    expect(body.endsWith('😀')).toBe(true);
  });

  it('an accent typed apart (NFD) and one typed whole (NFC) are one word to search (attack round 26)', async () => {
    const problem = 'Clients lose their place when a stream drops and need to pick it up again.';
    await createProposal(hub, ada, { title: 'R\u00e9sum\u00e9 cursors', problem, layer: 'working-group-artifact' });
    await createProposal(hub, ada, { title: 'Cafe\u0301 labs guide', problem, layer: 'working-group-artifact' });
    await addComment(hub, ada, 'P-1', {
      body: 'A note on the cr\u00e8me of the stream: cre\u0300me br\u00fbl\u00e9e.',
    });
    const found = async (q: string) => (await search(hub, { q })).items.map((i) => i.title).sort();
    // PostgreSQL's vectors kept the two forms apart both ways; on SQLite a query typed apart found nothing
    const both = ['Comment on P-1: R\u00e9sum\u00e9 cursors', 'R\u00e9sum\u00e9 cursors'];
    expect(await found('Re\u0301sume\u0301')).toEqual(both);
    expect(await found('R\u00e9sum\u00e9')).toEqual(both);
    expect(await found('Caf\u00e9')).toEqual(['Cafe\u0301 labs guide'.normalize('NFC')]);
    expect(await found('bru\u0302le\u0301e')).toEqual(['Comment on P-1: R\u00e9sum\u00e9 cursors']);
    // the vocabulary holds one word, as typo correction reads it
    expect(await counts('caf\u00e9', 'cafe\u0301')).toEqual([1, undefined]);
    // prior work knows a draft of the same title typed the other way as that item
    const [first] = await priorWork(hub, { title: 'Re\u0301sume\u0301 cursors', text: problem });
    expect(first).toMatchObject({ ref: 'proposal:P-1', reasons: [expect.stringContaining('has this draft')] });
  });

  it('a query or draft typed apart (NFD) ranks and reads as one typed whole: own title first, the same key terms', async () => {
    // the item titled with the words comes first even when another mentions them more
    await createProposal(hub, ada, {
      title: 'R\u00e9sum\u00e9 cursors',
      problem: 'Clients pick up where they left off.',
      layer: 'working-group-artifact',
    });
    await createProposal(hub, ada, {
      title: 'Stream recovery with r\u00e9sum\u00e9 cursors',
      problem: `R\u00e9sum\u00e9 cursors everywhere: ${'r\u00e9sum\u00e9 cursors, '.repeat(30)}and more.`,
      layer: 'working-group-artifact',
    });
    const order = async (q: string) => (await search(hub, { q })).items.map((i) => i.ref);
    expect((await order('R\u00e9sum\u00e9 cursors'))[0]).toBe('P-1');
    expect((await order('Re\u0301sume\u0301 cursors'))[0]).toBe('P-1');
    // prior work picks the same terms from a draft however its accents were typed
    const draft = (title: string) => ({ title, text: `Servers keep a ${title} per \u00fcberlastete stream.` });
    const whole = await priorWork(hub, draft('R\u00e9sum\u00e9 tokens'));
    expect(whole.length).toBeGreaterThan(0);
    // "résumé" is a key term, not "sum"
    expect(whole[0]?.reasons.join(' ')).toContain('"r\u00e9sum\u00e9"');
    expect(await priorWork(hub, draft('Re\u0301sume\u0301 tokens'))).toEqual(whole);
  });

  it('counts documents, not indexings; edits and hiding take words away, and a lost word corrects nothing', async () => {
    await createProposal(hub, ada, {
      title: 'Quokkafication of transports',
      problem: 'Transports need quokkafication and wombatisation, with real examples.',
      layer: 'working-group-artifact',
    });
    expect(await counts('quokkafication', 'wombatisation', 'transports')).toEqual([1, 1, 1]);
    // indexed again with the same words (a support, an edit of another field): still one document
    const p = await getProposal(hub, 'P-1');
    await updateProposal(hub, ada, 'P-1', p.version, { examples: ['A gateway needs it'] });
    expect(await counts('quokkafication', 'wombatisation')).toEqual([1, 1]);

    const c = await addComment(hub, ada, 'P-1', { body: 'More wombatisation please.' });
    expect(await counts('wombatisation')).toEqual([2]);
    await editComment(hub, ada, c.id, c.version, { body: 'More tunnels please.' });
    expect(await counts('wombatisation', 'tunnels')).toEqual([1, 1]);

    // the proposal's text loses both words; the comment's title still names the proposal as it
    // was when the comment was indexed, so "quokkafication" stays until a moderator hides it
    const now = await getProposal(hub, 'P-1');
    await updateProposal(hub, ada, 'P-1', now.version, {
      title: 'Faster transports',
      problem: 'Transports need to be faster, with real examples.',
    });
    expect(await counts('quokkafication', 'wombatisation', 'transports', 'faster')).toEqual([1, undefined, 2, 1]);
    await moderateComment(hub, mod, c.id, { action: 'hide', reason: 'off topic' });
    expect(await counts('quokkafication', 'tunnels', 'transports')).toEqual([undefined, undefined, 1]);

    // a misspelling of a word nobody uses any more is not "corrected" to it
    expect((await search(hub, { q: 'quokafication' })).correctedQuery).toBeUndefined();
    expect((await search(hub, { q: 'fastr transports' })).correctedQuery).toBe('faster transports');
  });

  it('the recount migration puts counts that only grew back to one per document', async () => {
    await createProposal(hub, ada, {
      title: 'Quokkafication of transports',
      problem: 'Transports need quokkafication, with real examples.',
      layer: 'working-group-artifact',
    });
    await hub.store.db.updateTable('search_words').set({ docs: 40 }).execute();
    await hub.store.db.insertInto('search_words').values({ word: 'forgotten', docs: 3 }).execute();
    await recount(hub.store.db);
    expect(await counts('quokkafication', 'transports', 'forgotten')).toEqual([1, 1, undefined]);
  });
});
