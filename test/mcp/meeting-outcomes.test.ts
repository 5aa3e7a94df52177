// A note-taker's assistant records a meeting's outcomes over MCP, through the same use cases as REST
// and the meeting's page: the notes (replacing them needs the version read, so nobody's notes are
// overwritten unseen), who attended (the same), a decision opened under lazy consensus for those who were not there, and an
// action item; someone outside the group is refused in the policy's words. Over the demo community:
// M-3 is Security's meeting five days ago, notes not yet written; Priya leads Security, Jonas is not in it.
import { describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { getDecision } from '../../src/app/decisions/decisions.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { httpClient, serveMcpOverHttp, text } from './support.ts';

type Answer = { isError?: boolean; structuredContent?: Record<string, any>; content: unknown };
const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as Answer;

describe.each(databases)('meeting outcomes over MCP on $name', (database) => {
  const web = webHubPerTest(database);

  it('records notes, a decision and an action item; an outsider is refused', async () => {
    const { url, server } = await serveMcpOverHttp(web.hub);
    const as = async (handle: string) => httpClient(url, 'modern', (await createToken(web.hub, SYSTEM, handle)).token);
    const priya = await as('priya');
    const jonas = await as('jonas');
    try {
      const first = await call(priya, 'record_meeting_notes', {
        ref: 'M-3',
        notes: '# Tool poisoning\n\n- Reviewed three patterns.',
      });
      expect(first.isError).toBeFalsy();
      expect(first.structuredContent).toMatchObject({
        ref: 'M-3',
        notes: { markdown: '# Tool poisoning\n\n- Reviewed three patterns.', deadline: { state: 'published-late' } },
      });

      // replacing notes without the version read is refused, naming it; with it, they are replaced
      const blind = await call(priya, 'record_meeting_notes', { ref: 'M-3', notes: 'Overwritten.' });
      expect(blind.isError).toBe(true);
      expect(text(blind)).toMatch(/^ {2}- version: needed/m);
      const again = await call(priya, 'record_meeting_notes', {
        ref: 'M-3',
        notes: '# Tool poisoning\n\n- Reviewed four patterns.',
        version: first.structuredContent!.version,
      });
      expect(again.structuredContent!.notes.markdown).toContain('four patterns');

      // who attended: the first list needs no version; replacing it needs the version read
      const attended = await call(priya, 'record_attendance', { ref: 'M-3', attended: ['priya', 'kai-core'] });
      expect(attended.isError).toBeFalsy();
      expect(attended.structuredContent!.attendance).toEqual(['kai-core', 'priya']);
      const blindList = await call(priya, 'record_attendance', { ref: 'M-3', attended: ['priya'] });
      expect(blindList.isError).toBe(true);
      // the argument is named, as a field is: "the version you last read" alone left it to guess
      expect(text(blindList)).toMatch(/^ {2}- version: needed: the version you last read/m);
      const list = await call(priya, 'record_attendance', {
        ref: 'M-3',
        attended: ['priya'],
        version: attended.structuredContent!.version,
      });
      expect(list.structuredContent!.attendance).toEqual(['priya']);
      // get_agenda shows the list to send whole, with the version
      const read = await call(priya, 'get_agenda', { ref: 'M-3' });
      expect(read.structuredContent).toMatchObject({ attendance: ['priya'], version: list.structuredContent!.version });
      const nobody = await call(priya, 'record_attendance', {
        ref: 'M-3',
        attended: ['priya', 'nobody-here'],
        version: list.structuredContent!.version,
      });
      expect(text(nobody)).toContain("attended[1]: no person 'nobody-here'");

      const decided = await call(priya, 'record_meeting_decision', {
        ref: 'M-3',
        summary: 'Adopt the detection checklist as a draft for comment.',
        open: { question: 'Adopt the tool-poisoning detection checklist as a draft?', significance: 'minor' },
      });
      expect(decided.isError).toBeFalsy();
      const recorded = decided.structuredContent!.decisions.at(-1);
      expect(recorded).toMatchObject({ summary: 'Adopt the detection checklist as a draft for comment.' });
      expect(recorded.decision).toMatch(/^D-\d+$/);
      expect(await getDecision(web.hub, recorded.decision)).toMatchObject({
        group: 'security',
        state: { phase: 'lazy-consensus', outcome: 'pending' },
      });
      // the answer says where the decision just opened stands, as get_meeting_outcomes would: the
      // note-taker need not read the meeting again to see it is open, and until when
      const standing = decided.structuredContent!.decisionStanding;
      expect(standing).toMatchObject({
        items: [{ ref: recorded.decision, phase: 'lazy-consensus', outcome: 'pending', why: [expect.any(String)] }],
        leftOut: 0,
      });
      expect(standing).toEqual(
        (await call(priya, 'get_meeting_outcomes', { ref: 'M-3' })).structuredContent!.decisionStanding,
      );

      const both = await call(priya, 'record_meeting_decision', {
        ref: 'M-3',
        summary: 'Both at once.',
        decision: 'D-1',
        open: { question: 'A second question to open here?', significance: 'minor' },
      });
      expect(both.isError).toBe(true);
      expect(text(both)).toContain('give either an existing decision or one to open, not both');

      const action = await call(priya, 'add_action_item', {
        ref: 'M-3',
        owner: 'priya',
        description: 'Circulate the checklist draft',
        due: '2026-11-20',
      });
      expect(action.structuredContent!.actions).toContainEqual(
        expect.objectContaining({
          owner: 'priya',
          ownerName: 'Priya Nair',
          description: 'Circulate the checklist draft',
          done: false,
        }),
      );
      // every outcome tool answers with it, adding an action item too
      expect(action.structuredContent!.decisionStanding.items.map((d: { ref: string }) => d.ref)).toEqual([
        recorded.decision,
      ]);

      const outsider = await call(jonas, 'record_meeting_notes', { ref: 'M-3', notes: 'Not my meeting.' });
      expect(outsider.isError).toBe(true);
      expect(text(outsider)).toMatch(/^forbidden: .*record the meeting's outcomes/);
    } finally {
      await priya.close();
      await jonas.close();
      server.close();
    }
  });
});
