// A facilitator's schedule form came back once per mistake: the "repeats" choice alone, then the
// start in the past, then the note-taker. Every form now names every broken rule at once (the
// field's own and those that need the store), in the order the fields stand, the input kept; REST
// (and so MCP and the CLI, which call the same use cases) answer with all of them too.
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { listDecisions } from '../../src/app/decisions/decisions.ts';
import { getGroup } from '../../src/app/groups/groups.ts';
import { getMeeting, listMeetings } from '../../src/app/meetings/meetings.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

const summaryOf = (html: string) => text(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '');

describe.each(databases)('every mistake at once on $name', (database) => {
  const web = webHubPerTest(database);

  it('the schedule form names each broken rule, in the order of the form, and keeps what was typed', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/new');
    const before = (await listMeetings(web.hub, { limit: 200 })).items.length;
    const refused = await sam.post('/meetings/new', {
      group: 'hosting',
      kind: 'process',
      title: 'x',
      startsAt: '2020-01-01T09:00',
      timeZone: 'UTC',
      durationMinutes: '2',
      repeat: 'none',
      times: '5',
      noteTaker: 'nobody-here',
    });
    expect(refused.status).toBe(422);
    const summary = summaryOf(refused.html);
    const expected = [
      'Title: must say what the meeting is (at least 3 characters)',
      'Starts at: must be in the future',
      'Duration in minutes: must be at least 5 minutes',
      'How many times in all (optional): only a repeating meeting can be held more than once',
      "no person 'nobody-here'",
    ];
    const at = expected.map((e) => summary.indexOf(e));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // each beside its field too, and the input is all still there
    for (const id of ['f-title', 'f-startsAt', 'f-durationMinutes', 'f-times', 'f-noteTaker'])
      expect(refused.html).toMatch(new RegExp(`id="${id}"[^>]*aria-invalid="true"`));
    expect(refused.html).toMatch(/<input[^>]*name="title"[^>]*value="x"/);
    expect(refused.html).toMatch(/<input[^>]*name="startsAt"[^>]*value="2020-01-01T09:00"/);
    expect(refused.html).toMatch(/<input[^>]*name="times"[^>]*value="5"/);
    expect((await listMeetings(web.hub, { limit: 200 })).items.length).toBe(before);
  });

  it('the new decision and agenda item forms report a rule that needs the store beside the fields’ own', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    const before = (await listDecisions(web.hub, { limit: 200 })).items.length;
    const decision = await sam.post('/decisions/new', {
      group: 'hosting',
      'subject.type': 'proposal',
      'subject.ref': 'P-9999',
      question: 'short',
      description: '',
      significance: 'minor',
      matter: 'routine',
      deadline: '2026-11-03T09:00',
    });
    expect(decision.status).toBe(422);
    const d = summaryOf(decision.html);
    expect(d).toContain('must state the question being decided (at least 10 characters)');
    expect(d).toContain("no proposal 'P-9999'");
    expect(d).toMatch(/must be at least \d+ days after opening for a minor item/);
    // a rule across two fields (a proposal decision names its proposal) is told with the others too
    const noRef = await sam.post('/decisions/new', {
      group: 'hosting',
      'subject.type': 'proposal',
      question: 'short',
      significance: 'minor',
      matter: 'routine',
    });
    expect(summaryOf(noRef.html)).toContain('must name the proposal (e.g. SEP-2575 or P-12)');
    expect(summaryOf(noRef.html)).toContain('must state the question being decided');
    expect((await listDecisions(web.hub, { limit: 200 })).items.length).toBe(before);

    await sam.get('/meetings/M-2');
    const items = (await getMeeting(web.hub, 'M-2')).agenda.items.length;
    const item = await sam.post('/meetings/M-2/agenda', { title: 'x', kind: 'bogus', link: 'D-999' });
    expect(item.status).toBe(422);
    const i = summaryOf(item.html);
    expect(i).toContain('must say what the item is (at least 3 characters)');
    expect(i).toContain('must be one of: process, content');
    expect(i).toContain("no decision 'D-999'");
    expect((await getMeeting(web.hub, 'M-2')).agenda.items.length).toBe(items);
  });

  it('the action item form names an unknown owner, a due date before the meeting and an empty task at once', async () => {
    // it came back once per mistake: the task, then the owner, then the date (three round trips)
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/meetings/M-1');
    const before = (await getMeeting(web.hub, 'M-1')).actions.length;
    const refused = await sam.post('/meetings/M-1/actions', {
      owner: 'nobody-here',
      description: 'x',
      due: '2020-01-01',
    });
    expect(refused.status).toBe(422);
    const summary = summaryOf(refused.html);
    expect(summary).toContain("Owner (handle): no person 'nobody-here'");
    expect(summary).toContain('What is to be done: must say what is to be done (at least 3 characters)');
    expect(summary).toMatch(/Due date: must not be before the meeting \(\d{4}-\d\d-\d\d\)/);
    expect(refused.html).toMatch(/<input[^>]*name="owner"[^>]*value="nobody-here"/);
    expect((await getMeeting(web.hub, 'M-1')).actions.length).toBe(before);
  });

  it('the propose-a-group form names a short name taken, a lead nobody added and a lead below the member role at once', async () => {
    const kai = await signInAs(web.app, 'kai-core');
    await kai.get('/groups/new');
    const refused = await kai.post('/groups/new', {
      name: 'Hosting again',
      slug: 'hosting',
      kind: 'working',
      mission: 'Too short',
      scopeIn: 'Relays',
      leads: 'kai-core, nobody-here, amara',
    });
    expect(refused.status).toBe(422);
    const summary = summaryOf(refused.html);
    const expected = [
      "Short name: a group 'hosting' already exists",
      'Mission: must say in a sentence or more what problem space the group addresses',
      "Leads (handles), entry 2: no person 'nobody-here': check the handle on the People page, or add them first",
      'Leads (handles), entry 3: amara is a contributor; leads and facilitators must hold at least the member role',
    ];
    const at = expected.map((e) => summary.indexOf(e));
    expect(
      at.every((i) => i >= 0),
      summary,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(refused.html).toMatch(/<input[^>]*name="name"[^>]*value="Hosting again"/);
    expect((await getGroup(web.hub, 'hosting')).name).not.toBe('Hosting again');
  });

  it('REST answers with every issue in one problem', async () => {
    const token = (await createToken(web.hub, SYSTEM, 'sam-lead')).token;
    const res = await web.app.request('/api/meetings', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        group: 'hosting',
        kind: 'process',
        title: 'x',
        startsAt: '2020-01-01T09:00:00Z',
        noteTaker: 'nobody-here',
      }),
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((i) => i.field).sort()).toEqual(['noteTaker', 'startsAt', 'title']);
  });
});
