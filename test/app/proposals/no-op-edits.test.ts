// A form saved as it was shown changes nothing: the proposal keeps its version (so another
// person's edit made from the same read is not refused for it), a comment is not marked edited
// with a revision identical to the last, and the log records nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { addComment, commentHistory, editComment } from '../../../src/app/proposals/comments.ts';
import { createProposal, getProposal, updateProposal } from '../../../src/app/proposals/proposals.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('saving without a change on $name', (database) => {
  let hub: TestHub;
  let ada: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database);
    ada = await person(hub, 'ada');
  });
  afterEach(async () => hub?.close());
  const lastKind = async () => (await tailEvents(hub.store.db, 1))[0]!.kind;

  it('a proposal saved with what it holds keeps its version and records nothing; a real change still does', async () => {
    const p = await createProposal(hub, ada, {
      title: 'Resumable tool calls',
      problem: 'Clients lose long-running tool calls when the connection drops mid-call.',
      examples: ['A deploy cut a 20-minute export'],
      layer: 'working-group-artifact',
      links: { forum: 'https://forum.example/t/1' },
    });
    const before = await lastKind();
    // the whole edit form sent back as it was shown, an empty link box clearing nothing that was set
    const same = await updateProposal(hub, ada, p.ref, p.version, {
      title: p.title,
      problem: p.problem,
      examples: p.examples,
      interests: '',
      layer: p.layer,
      links: { forum: 'https://forum.example/t/1', tracker: null },
    });
    expect(same.version).toBe(p.version);
    expect(same.can.edit.allowed).toBe(true);
    expect(await lastKind()).toBe(before);
    // a second person's edit from the same read still lands
    const changed = await updateProposal(hub, ada, p.ref, p.version, { title: 'Resumable tool calls, again' });
    expect(changed.version).toBe(p.version + 1);
    expect((await tailEvents(hub.store.db, 3)).map((e) => e.kind)).toContain('proposal.updated');
    expect((await getProposal(hub, p.ref)).title).toBe('Resumable tool calls, again');
  });

  it('a comment saved with its own text is not marked edited and gains no revision', async () => {
    await createProposal(hub, ada, {
      title: 'Resumable tool calls',
      problem: 'Clients lose long-running tool calls when the connection drops mid-call.',
      layer: 'working-group-artifact',
    });
    const c = await addComment(hub, ada, 'P-1', { body: 'We hit this too.' });
    const same = await editComment(hub, ada, c.id, c.version, { body: 'We hit this too.' });
    expect(same).toMatchObject({ version: c.version, edited: false });
    expect(await commentHistory(hub, c.id, ada)).toHaveLength(1);
    expect(await lastKind()).not.toBe('proposal.comment-edited');
    const edited = await editComment(hub, ada, c.id, c.version, { body: 'We hit this too, twice.' });
    expect(edited).toMatchObject({ version: c.version + 1, edited: true });
  });
});
