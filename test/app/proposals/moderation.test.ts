// Comment moderation on both databases: a hidden comment keeps its place with who hid it and why,
// its text stays for moderators (and leaves search); a locked one takes no replies or edits; bad
// input names the field; someone who may not moderate is told who may, in words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { proposeGroup } from '../../../src/app/groups/groups.ts';
import {
  addComment,
  commentHistory,
  discussionVoices,
  editComment,
  listComments,
} from '../../../src/app/proposals/comments.ts';
import { moderateComment } from '../../../src/app/proposals/moderation.ts';
import { createProposal } from '../../../src/app/proposals/proposals.ts';
import { search } from '../../../src/app/search/search.ts';
import { toProblem } from '../../../src/http/problem.ts';
import { formProblem } from '../../../src/http/web/forms.ts';
import { toolError } from '../../../src/mcp/results.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('comment moderation on $name', (database) => {
  let hub: TestHub;
  let sam: Actor;
  let jonas: Actor;
  let amara: Actor;
  let mod: Actor;
  let id: string;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    sam = await person(hub, 'sam', { role: 'member' });
    jonas = await person(hub, 'jonas');
    amara = await person(hub, 'amara');
    mod = await person(hub, 'mo', { role: 'moderator' });
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await createProposal(hub, amara, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      examples: ['A gateway loses sessions on every deploy'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    id = (await addComment(hub, jonas, 'P-1', { body: 'Buy Zorblax balancers, the only real answer.' })).id;
  });
  afterEach(async () => hub?.close());

  it('a lead hides a comment: readers see who and why, not the text; the moderator still reads it; search forgets it', async () => {
    expect((await search(hub, { q: 'Zorblax' })).items).toHaveLength(1);
    const refused = moderateComment(hub, amara, id, { action: 'hide', reason: 'advertising' });
    await expect(refused).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Only a group lead or a moderator may hide or lock a comment',
    });
    await expect(moderateComment(hub, sam, id, { action: 'hide', reason: ' ' })).rejects.toMatchObject({
      issues: [{ field: 'reason', rule: expect.stringContaining('must say why the comment is hidden') }],
    });
    const hidden = await moderateComment(hub, sam, id, { action: 'hide', reason: 'Advertising, not an interest' });
    expect(hidden.hidden).toMatchObject({ by: 'sam', reason: 'Advertising, not an interest' });

    const [asReader] = await listComments(hub, 'P-1', amara);
    expect(asReader).toMatchObject({ id, author: 'jonas', body: '', html: '', hidden: { by: 'sam' } });
    expect(asReader!.can.readHidden.allowed).toBe(false);
    const [asVisitor] = await listComments(hub, 'P-1');
    expect(asVisitor!.body).toBe('');
    const [asModerator] = await listComments(hub, 'P-1', mod);
    expect(asModerator!.body).toContain('Zorblax');
    await expect(commentHistory(hub, id, amara)).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await commentHistory(hub, id, sam))[0]!.body).toContain('Zorblax');
    expect((await search(hub, { q: 'Zorblax' })).items).toHaveLength(0);
    // nor is it a voice in the discussion's tally of organisations
    expect((await discussionVoices(hub, 'P-1')).raw.comment ?? 0).toBe(0);
    // its author cannot edit it back into view
    await expect(editComment(hub, jonas, id, 1, { body: 'Edited' })).rejects.toMatchObject({
      message: 'A moderator hid this comment',
    });

    await moderateComment(hub, mod, id, { action: 'unhide' });
    expect((await listComments(hub, 'P-1', amara))[0]!.body).toContain('Zorblax');
    expect((await search(hub, { q: 'Zorblax' })).items).toHaveLength(1);
    const log = await hub.store.db
      .selectFrom('events')
      .select(['kind', 'after'])
      .where('kind', 'like', 'proposal.comment-%')
      .orderBy('seq')
      .execute();
    expect(log.map((e) => e.kind)).toEqual(['proposal.comment-hidden', 'proposal.comment-shown']);
    expect(JSON.parse(log[0]!.after!).reason).toBe('Advertising, not an interest');
  });

  it('a locked comment takes no replies and no edits, until it is unlocked', async () => {
    await moderateComment(hub, mod, id, { action: 'lock', reason: 'Going in circles; continue at the meeting' });
    const [c] = await listComments(hub, 'P-1', amara);
    expect(c!.locked).toMatchObject({ by: 'mo', reason: 'Going in circles; continue at the meeting' });
    expect(c!.body).toContain('Zorblax');
    expect(c!.can.reply).toMatchObject({ allowed: false, reason: expect.stringContaining('locked') });
    await expect(addComment(hub, amara, 'P-1', { body: 'But…', parent: id })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(editComment(hub, jonas, id, 1, { body: 'Edited' })).rejects.toMatchObject({ kind: 'forbidden' });
    // locked already: someone moderated it first (409), no question of who may (403)
    await expect(moderateComment(hub, mod, id, { action: 'lock', reason: 'again' })).rejects.toMatchObject({
      kind: 'conflict',
      message: 'The comment is already locked',
    });
    // one who may not moderate is told so whatever the comment's state
    await expect(moderateComment(hub, amara, id, { action: 'lock', reason: 'again' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('may hide or lock'),
    });
    await moderateComment(hub, sam, id, { action: 'unlock' });
    expect((await addComment(hub, amara, 'P-1', { body: 'Which balancer do you run?', parent: id })).parent).toBe(id);
  });

  it('a comment already as asked is a conflict with nothing to do, on every edge, and two moderators at once make one step', async () => {
    await moderateComment(hub, sam, id, { action: 'hide', reason: 'advertising' });
    const again = await moderateComment(hub, mod, id, { action: 'hide', reason: 'advertising' }).catch((e) => e);
    expect(again).toMatchObject({ kind: 'conflict', details: { rule: 'already-as-asked' } });
    // not the generic "read again, reapply and call again", on which an agent loops
    const rest = toProblem(again);
    expect(rest.status).toBe(409);
    expect(rest.body).toMatchObject({ rule: 'already-as-asked', title: 'Already as asked' });
    expect(String(rest.body.detail)).toBe('The comment is already hidden: it is already so, nothing to do');
    const tool = (toolError(again).content[0] as { text: string }).text;
    expect(tool).toContain('It is already so: nothing to do');
    expect(tool).not.toContain('reapply');
    expect(formProblem(again).message).toContain('nothing to do');

    // two moderators lock at once: one locks, the other is told it is already so, and one event says so
    const both = await Promise.allSettled([
      moderateComment(hub, sam, id, { action: 'lock', reason: 'heated' }),
      moderateComment(hub, mod, id, { action: 'lock', reason: 'heated' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { kind: 'conflict', details: { rule: 'already-as-asked' } },
    });
    const locks = await hub.store.db
      .selectFrom('events')
      .select('seq')
      .where('kind', '=', 'proposal.comment-locked')
      .execute();
    expect(locks).toHaveLength(1);
  });
});
