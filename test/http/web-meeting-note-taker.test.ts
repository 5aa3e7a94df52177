// A meeting's note-taker in the browser (no JavaScript), on both databases, over the demo community:
// the schedule form and the meeting page's form appear only where `can.assignNoteTaker` allows,
// a handle that is nobody's or not a member's is refused naming the field, and the meeting page's
// line says who takes the notes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinGroup } from '../../src/app/groups/groups.ts';
import { getMeeting } from '../../src/app/meetings/meetings.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 60 };
const schedule = {
  group: 'hosting',
  kind: 'process',
  title: 'Hosting planning',
  startsAt: '2026-12-08T09:00',
  timeZone: 'America/Los_Angeles',
  durationMinutes: '60',
};

describe.each(databases)('naming the note-taker in the browser on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('the lead schedules with a note-taker; a bad handle is refused naming the field; the page says who', async () => {
    const sam = await signInAs(app, 'sam-lead');
    const form = (await sam.get('/meetings/new')).html;
    expect(form).toContain('name="noteTaker"');
    expect(pageText(form)).toContain('Note-taker (optional)');

    const nobody = await sam.post('/meetings/new', { ...schedule, noteTaker: 'no-such-person' });
    expect(nobody.status).toBe(422);
    expect(pageText(nobody.html)).toContain("Note-taker (optional): no person 'no-such-person'");
    expect(nobody.html).toContain('href="#f-noteTaker"');
    expect(nobody.html).toContain('value="no-such-person"');
    // kai-core is a person, but not in Hosting
    const outsider = await sam.post('/meetings/new', { ...schedule, noteTaker: 'kai-core' });
    expect(outsider.status).toBe(422);
    expect(pageText(outsider.html)).toContain(
      "Note-taker (optional): kai-core is not an active member of the meeting's group",
    );
    const malformed = await sam.post('/meetings/new', { ...schedule, noteTaker: 'two words' });
    expect(malformed.status).toBe(422);
    expect(pageText(malformed.html)).toMatch(/Note-taker \(optional\): /);

    // a participant could not publish the notes they would owe
    const participant = await sam.post('/meetings/new', { ...schedule, noteTaker: 'jonas' });
    expect(participant.status).toBe(422);
    expect(pageText(participant.html)).toContain(
      'Note-taker (optional): Jonas Berg (@jonas) could not publish the notes they would owe',
    );
    const made = await sam.post('/meetings/new', { ...schedule, noteTaker: '@priya' });
    expect(made.status).toBe(303);
    const ref = made.location!.replace('/meetings/', '');
    expect((await getMeeting(hub, ref)).noteTaker).toBe('priya');
    const shown = pageText((await new WebClient(app).get(made.location!)).html);
    // people by name, the handle beside it, each name a link to the person
    expect(shown).toContain('organised by Sam Rivera (@sam-lead) · notes by Priya Nair (@priya)');
    expect((await new WebClient(app).get(made.location!)).html).toContain(
      'organised by <a href="/people/sam-lead"><bdi>Sam Rivera</bdi></a> (@sam-lead) · notes by <a href="/people/priya"><bdi>Priya Nair</bdi></a> (@priya)',
    );

    // left empty, nobody is named and the line does not appear
    const plain = await sam.post('/meetings/new', { ...schedule, title: 'No note-taker' });
    expect(plain.status).toBe(303);
    expect(pageText((await new WebClient(app).get(plain.location!)).html)).not.toContain('notes by');
  });

  it('the picker suggests whom the rule lets publish the notes: a core maintainer taking part in the group too, as naming them is taken', async () => {
    // meeting.recordOutcomes: a group's members and leads, or a core or lead maintainer by role
    await joinGroup(hub, await asActor(hub, 'kai-core'), 'hosting', { level: 'participant' });
    const sam = await signInAs(app, 'sam-lead');
    const page = (await sam.get('/meetings/M-2')).html;
    const list = /<datalist id="members-M-2">([\s\S]*?)<\/datalist>/.exec(page)![1]!;
    expect(list).toContain('<option value="kai-core">');
    expect(list).toContain('<option value="priya">');
    // a participant by level alone, and an observer, could not publish them
    expect(list).not.toContain('<option value="jonas">');
    expect(list).not.toContain('<option value="amara">');
    const version = String((await getMeeting(hub, 'M-2')).version);
    expect((await sam.post('/meetings/M-2/note-taker', { version, noteTaker: 'kai-core' })).status).toBe(303);
    expect((await getMeeting(hub, 'M-2')).noteTaker).toBe('kai-core');
  });

  it('the meeting page changes the note-taker for whom can allows, clears it, and refuses a non-member naming the field', async () => {
    const sam = await signInAs(app, 'sam-lead');
    const page = (await sam.get('/meetings/M-2')).html;
    expect(page).toContain('action="/meetings/M-2/note-taker"');
    // the picker suggests the group's members who may publish the notes, not its observers
    expect(page).toMatch(/<datalist id="members-M-2">[\s\S]*<option value="priya">Priya Nair<\/option>/);
    expect(page).not.toContain('<option value="amara">');
    // M-1's notes are published: nobody owes them any more, so no form
    expect((await sam.get('/meetings/M-1')).html).not.toContain('action="/meetings/M-1/note-taker"');
    let version = String((await getMeeting(hub, 'M-2')).version);
    const bad = await sam.post('/meetings/M-2/note-taker', { version, noteTaker: 'kai-core' });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain("Note-taker: kai-core is not an active member of the meeting's group");
    expect(bad.html).toContain('href="#f-noteTaker-noteTaker"');

    const observer = await sam.post('/meetings/M-2/note-taker', { version, noteTaker: 'amara' });
    expect(observer.status).toBe(422);
    expect(pageText(observer.html)).toContain(
      'Note-taker: Amara Diallo (@amara) could not publish the notes they would owe',
    );
    const set = await sam.post('/meetings/M-2/note-taker', { version, noteTaker: 'priya' });
    expect(set.status).toBe(303);
    expect(pageText((await new WebClient(app).get('/meetings/M-2')).html)).toContain('notes by Priya Nair (@priya)');
    // the form says who is named now by name too, not by a bare handle
    expect(pageText((await sam.get('/meetings/M-2')).html)).toContain('Now: Priya Nair (@priya).');
    version = String((await getMeeting(hub, 'M-2')).version);
    expect(pageText((await sam.post('/meetings/M-2/note-taker', { version, noteTaker: '' })).html)).not.toContain(
      'notes by',
    );
    expect((await getMeeting(hub, 'M-2')).noteTaker).toBeNull();

    // a participant sees who takes the notes, not the form; a forged post is refused with the reason
    const jonas = await signInAs(app, 'jonas');
    expect((await jonas.get('/meetings/M-2')).html).not.toContain('action="/meetings/M-2/note-taker"');
    version = String((await getMeeting(hub, 'M-2')).version);
    const forged = await jonas.post('/meetings/M-2/note-taker', { version, noteTaker: 'jonas' });
    expect(forged.status).toBe(403);
    expect(pageText(forged.html)).toContain('name its note-taker');
  });

  it('the fields follow the governance file: taken from leads, a lead schedules without the field and sees no form', async () => {
    const rules = hub.governance.permissions;
    hub.governance = {
      ...hub.governance,
      permissions: { ...rules, 'meeting.assignNoteTaker': { groupLevels: [], roles: ['lead-maintainer'] } },
    };
    try {
      const sam = await signInAs(app, 'sam-lead');
      const form = (await sam.get('/meetings/new')).html;
      expect(form).toContain('name="title"');
      expect(form).not.toContain('name="noteTaker"');
      expect((await sam.get('/meetings/M-2')).html).not.toContain('action="/meetings/M-2/note-taker"');
      // a crafted field is refused by the same rule, not silently dropped
      const crafted = await sam.post('/meetings/new', { ...schedule, noteTaker: 'priya' });
      expect(crafted.status).toBe(403);
      expect(pageText(crafted.html)).toContain('name its note-taker');
    } finally {
      hub.governance = { ...hub.governance, permissions: rules };
    }
  });

  it("a met meeting's notes say who takes them: 'You' to the note-taker, by name to anyone else", async () => {
    // the home's 'Notes you owe' told Priya she takes M-3's notes; its page said 'The facilitators publish them'
    const priya = await signInAs(app, 'priya');
    const version = String((await getMeeting(hub, 'M-3')).version);
    await priya.get('/meetings/M-3');
    expect((await priya.post('/meetings/M-3/note-taker', { version, noteTaker: 'priya' })).status).toBe(303);
    expect(pageText((await priya.get('/meetings/M-3')).html)).toContain(
      'No notes yet. You take them: publish them within 48 hours of the meeting.',
    );
    expect(pageText((await new WebClient(app).get('/meetings/M-3')).html)).toContain(
      'No notes yet. Priya Nair (@priya) takes them and publishes them within 48 hours of the meeting.',
    );
  });
});
