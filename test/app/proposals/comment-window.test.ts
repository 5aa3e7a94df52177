// The proposal page's window on a long thread holds at most THREAD_WINDOW comments and
// LIMITS.commentPageChars characters. Walking it with "show earlier" and then "later" must meet
// every comment: found in review on 2026-12-07, "later" pointed a whole window's count past the
// window shown, and the next one kept only its newest comments that fit, so with comments of 50,000
// characters about ten right after the window shown were never shown going forward.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CommentWindow, commentWindow } from '../../../src/app/proposals/comments.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { storedRendering } from '../../../src/domain/comment-rendering.ts';
import { writeJson } from '../../../src/store/schema.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../../support/hub.ts';

const COMMENTS = 60;

describe.each(databases)('walking a thread of long comments on $name', (database) => {
  let hub: TestHub;
  let ref: string;
  let all: string[];
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const lead = await person(hub, 'lead', { role: 'member' });
    await hostingGroup(hub, lead, 'lead');
    const amara = await person(hub, 'amara');
    ref = (
      await createProposal(hub, amara, {
        title: 'Resumable streams behind load balancers',
        problem: 'A stream cut by a deploy cannot be resumed on another server process.',
        examples: ['A rolling deploy drops every open stream'],
        layer: 'working-group-artifact',
        group: 'hosting',
      })
    ).ref;
    const proposal = await hub.store.db.selectFrom('proposals').select('id').executeTakeFirstOrThrow();
    const author = amara.kind === 'person' ? amara.person.id : '';
    all = [];
    for (let i = 0; i < COMMENTS; i++) {
      const body = `Comment ${i}: ${'a long word '.repeat(4_166)}`.slice(0, 50_000);
      const at = new Date(Date.parse('2026-03-03T00:00:00Z') + i * 1000).toISOString();
      const id = `long-${String(i).padStart(2, '0')}`;
      all.push(id);
      await hub.store.db
        .insertInto('comments')
        .values({
          id,
          proposal_id: proposal.id,
          parent_id: null,
          author_id: author,
          body,
          organisation: null,
          created_at: at,
          updated_at: at,
          version: 1,
          rendered: writeJson(storedRendering(body, 1)),
        })
        .execute();
    }
  }, 60_000);
  afterEach(async () => hub?.close());

  const idsOf = (w: CommentWindow) => w.comments.map((c) => c.id);

  it('"later" from the oldest window meets every comment on the way to the newest', async () => {
    // back to the oldest window
    let w = await commentWindow(hub, ref, null, {});
    expect(w.shown).toBeLessThan(COMMENTS);
    while (w.earlier) w = await commentWindow(hub, ref, null, { before: w.earlier });
    expect(idsOf(w)[0]).toBe(all[0]);
    // and forward again: every comment is shown on the way
    const seen = new Set(idsOf(w));
    let windows = 1;
    while (w.later !== null) {
      w = await commentWindow(hub, ref, null, w.later === '' ? {} : { upto: w.later });
      for (const id of idsOf(w)) seen.add(id);
      expect(++windows).toBeLessThan(20);
    }
    expect(idsOf(w).at(-1)).toBe(all.at(-1));
    expect(all.filter((id) => !seen.has(id))).toEqual([]);
  });
});
