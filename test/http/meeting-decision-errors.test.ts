// A decision a meeting opens is the `open` part of the meeting's outcome, and its errors name their
// place there, as the schema's own did for `open.question`: a deadline too soon, or a proposal not
// named or not found, came back as `deadline` and `subject.ref`, fields the request did not have.
// The decision's own form (opened on its page) keeps its names, beside its fields. Over the demo
// community (clock at 2026-11-02T09:00Z; M-1, the Hosting coordination meeting, has met).
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { getMeeting } from '../../src/app/meetings/meetings.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

const question = 'Meet every week until the guide ships?';

describe.each(databases)("the errors of a meeting's decision on $name", (database) => {
  const web = webHubPerTest(database);

  it('name the field by its full path over REST, and record nothing', async () => {
    const token = (await createToken(web.hub, SYSTEM, 'sam-lead')).token;
    const record = async (open: Record<string, unknown>) => {
      const res = await web.app.request('/api/meetings/M-1/decisions', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ summary: 'Meet weekly for now', open }),
      });
      expect(res.status).toBe(422);
      return (await res.json()).errors;
    };
    const before = (await getMeeting(web.hub, 'M-1')).decisions.length;

    expect(await record({ question, significance: 'minor', deadline: '2026-11-03T09:00:00Z' })).toEqual([
      {
        field: 'open.deadline',
        rule: 'must be at least 5 days after opening for a minor item (the earliest is 2026-11-07T09:00:00.000Z)',
      },
    ]);
    expect(await record({ question, significance: 'minor', subject: { type: 'proposal' } })).toEqual([
      { field: 'open.subject.ref', rule: 'must name the proposal (e.g. SEP-2575 or P-12)' },
    ]);
    expect(await record({ question, significance: 'minor', subject: { type: 'proposal', ref: 'P-999' } })).toEqual([
      { field: 'open.subject.ref', rule: "no proposal 'P-999'" },
    ]);
    // as the schema's own checks already named them
    expect(await record({ question: 'Weekly?', significance: 'minor' })).toEqual([
      { field: 'open.question', rule: 'must be at least 10 characters' },
    ]);
    expect((await getMeeting(web.hub, 'M-1')).decisions.length).toBe(before);
  });

  it('leave the web forms showing each error beside its own field', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    // the meeting's own decision form
    await sam.get('/meetings/M-1');
    const meeting = await sam.post('/meetings/M-1/decisions', { summary: 'Meet weekly for now', decision: 'D-999' });
    expect(meeting.status).toBe(422);
    expect(meeting.html).toMatch(
      /<p class="field-error" id="f-decision-decision-error">no decision &#39;D-999&#39;<\/p>\s*<input[^>]*name="decision"/,
    );
    // a decision opened on its own page keeps its own names: the rule sits beside the deadline
    await sam.get('/decisions/new');
    const opened = await sam.post('/decisions/new', {
      group: 'hosting',
      'subject.type': 'process',
      matter: 'routine',
      question,
      significance: 'minor',
      deadline: '2026-11-03T09:00',
    });
    expect(opened.status).toBe(422);
    expect(opened.html).toMatch(/<p class="field-error" id="f-deadline-error">must be at least 5 days/);
    expect(text(opened.html)).not.toContain('open.deadline');
  });

  it('say how long what was decided must be, and keep what was typed', async () => {
    // 'Yes' came back as 'must say what was decided', as though it said nothing: the rule was not named
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/M-1');
    const before = (await getMeeting(web.hub, 'M-1')).decisions.length;
    const refused = await sam.post('/meetings/M-1/decisions', { summary: 'Yes' });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(
      /<p class="field-error" id="f-decision-summary-error">must say what was decided \(at least 5 characters\)<\/p>\s*<input[^>]*name="summary"[^>]*value="Yes"/,
    );
    expect((await getMeeting(web.hub, 'M-1')).decisions.length).toBe(before);
  });

  it('show an existing decision given with one to open beside the choice to open one', async () => {
    // the summary named it, but nothing beside the checkbox said what was wrong with it
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/M-1');
    const both = await sam.post('/meetings/M-1/decisions', {
      summary: 'Meet weekly for now',
      decision: 'D-1',
      open: 'yes',
      'open.question': question,
      'open.significance': 'minor',
    });
    expect(both.status).toBe(422);
    expect(both.html).toMatch(
      /<p class="field-error" id="f-decision-open-error">give either an existing decision or one to open, not both<\/p><div class="choice"><input type="checkbox" id="f-decision-open" name="open" value="yes" checked aria-describedby="f-decision-open-error" aria-invalid="true">/,
    );
  });
});
