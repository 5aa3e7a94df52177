import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import {
  addAgendaItem,
  markWrittenInput,
  moveAgendaItem,
  publishAgenda,
  removeAgendaItem,
} from '../../src/app/meetings/agenda.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { personRow } from '../../src/app/people/people.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 60 };

const text = pageText;

// The demo community (loaded with the clock at 2026-11-02T09:00Z) has M-1, a fortnightly Hosting
// series that met on 24 Oct; M-2, a horizontal-scaling content meeting on 12 Nov at 13:00 UTC run
// by its facilitator priya; and M-3, a Security meeting on 28 Oct whose notes are late.
describe.each(databases)('meeting pages on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;

  const signIn = (handle: string) => signInAs(app, handle);

  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('lists meetings with calendar subscriptions that serve iCalendar, readable without signing in', async () => {
    const visitor = new WebClient(app);
    const list = text((await visitor.get('/meetings')).html);
    expect(list).toContain('M-1: Hosting WG coordination');
    expect(list).toContain('M-2: Horizontal scaling deep-dive: sticky sessions');
    expect(list).toContain('Subscribe in your calendar');
    // upcoming soonest first, a series at its next meeting; past latest first
    const upcoming = list.slice(list.indexOf('Upcoming'), list.indexOf('Past'));
    const past = list.slice(list.indexOf('Past'));
    expect(upcoming.indexOf('M-1: Hosting WG coordination')).toBeLessThan(upcoming.indexOf('M-2:'));
    expect(upcoming).toContain('series: every two weeks, 6 times');
    expect(upcoming).not.toContain('M-3:');
    expect(past.indexOf('M-3: Tool poisoning patterns review')).toBeLessThan(
      past.indexOf('M-1: Hosting WG coordination'),
    );
    const res = await app.request('http://localhost/api/groups/hosting/calendar.ics');
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await res.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('Hosting WG coordination');
    expect(ics).toContain('RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=6');
    expect(await (await app.request('http://localhost/api/people/priya/calendar.ics')).text()).toContain(
      'Horizontal scaling deep-dive',
    );
    expect((await app.request('http://localhost/api/groups/nobody/calendar.ics')).status).toBe(404);
    // a feed's plain link downloaded a file that a calendar imports once and never updates: each is
    // offered to subscribe to (webcal:) and as its whole address to paste into a web calendar
    const feeds = (await visitor.get('/meetings')).html;
    expect(feeds).toContain('href="webcal://localhost/api/groups/hosting/calendar.ics"');
    expect(feeds).toMatch(
      /<input id="feed-\d+" class="feed-url" readonly value="http:\/\/localhost\/api\/groups\/hosting\/calendar.ics"/,
    );
    expect(feeds).not.toContain('href="/api/groups/hosting/calendar.ics"');
    expect(text(feeds)).toContain('Subscribe to Hosting meetings or copy its address');
  });

  // A daily stand-up running since March 2025 is past the 520 meetings a series expands to at once:
  // the list and the group's home show it at its next meeting and its last one held, as REST, MCP
  // and the CLI do (one use case), where the web's own reckoning listed it as held in August.
  it('a long-running daily series is listed at its next meeting and at the last one held, on the list and the group home', async () => {
    hub.clock.set('2025-03-01T00:00:00Z');
    await scheduleMeeting(hub, SYSTEM, {
      group: 'hosting',
      kind: 'process',
      title: 'Daily hosting stand-up',
      startsAt: '2025-03-10T07:00:00Z',
      durationMinutes: 15,
      timeZone: 'UTC',
      rrule: 'FREQ=DAILY',
    });
    hub.clock.set('2026-11-02T09:00:00Z');
    const visitor = new WebClient(app);
    const list = text((await visitor.get('/meetings')).html);
    const upcoming = list.slice(list.indexOf('Upcoming'), list.indexOf('Past'));
    const past = list.slice(list.indexOf('Past'));
    const row = (part: string) => part.slice(part.indexOf('Daily hosting stand-up')).split('\n')[0]!;
    expect(row(upcoming)).toMatch(/Tue 3 Nov 2026/);
    expect(row(past)).toMatch(/Mon 2 Nov 2026/);
    const home = text((await visitor.get('/groups/hosting')).html);
    expect(home).toMatch(/Daily hosting stand-up[^\n]*Tue 3 Nov 2026/);
    expect(home).toMatch(/Daily hosting stand-up[^\n]*Mon 2 Nov 2026/);
  });

  it('an item of the other kind is warned of, pointing to the select that corrects its kind in place', async () => {
    const priya = await signIn('priya');
    await priya.get('/meetings/M-2');
    await priya.post('/meetings/M-2/agenda', { title: 'Agree timelines and expected outputs for the guide' });
    const page = (await priya.get('/meetings/M-2')).html;
    const t = text(page);
    expect(t).toContain(
      "this is a process item in a content meeting: the guide gives content meetings to what the group is working on, with dedicated time for subject matter experts; coordination belongs in the group's process meeting. Not a process item? Change its kind below (“Kind of “Agree timelines and expected outputs for the guide””): its place and written input stay.",
    );
    // the select beside the item, the item's own kind chosen, with the meeting's version
    const form =
      /<form class="inline-form" method="post" action="\/meetings\/M-2\/agenda\/([^/"]+)\/kind">[\s\S]*?<\/form>/.exec(
        page.slice(page.indexOf('Agree timelines and expected outputs')),
      )!;
    expect(form[0]).toContain('Kind of “Agree timelines and expected outputs for the guide”');
    expect(form[0]).toMatch(/<option value="process" selected>/);
    const version = /name="version" value="(\d+)"/.exec(form[0])![1]!;
    const id = form[1]!;
    // a change from the page: the item keeps its place, its warning goes
    const place = (html: string) => /<li id="item-(\d+)"><h3>Agree timelines/.exec(html)?.[1];
    const before = place(page);
    expect(before).toBeDefined();
    const changed = await priya.post(`/meetings/M-2/agenda/${id}/kind`, { version, item: id, kind: 'content' });
    expect(changed.status).toBe(303);
    const after = (await priya.get('/meetings/M-2')).html;
    expect(text(after)).not.toContain('this is a process item in a content meeting');
    expect(place(after)).toBe(before);
    expect(after).toMatch(
      /Agree timelines and expected outputs for the guide <span class="badge"><span class="visually-hidden">\(<\/span>content</,
    );
    // the same form from the page read before: refused, naming the change made since, nothing overwritten
    const stale = await priya.post(`/meetings/M-2/agenda/${id}/kind`, { version, item: id, kind: 'process' });
    expect(stale.status).toBe(409);
    expect(text(stale.html)).toContain('was changed by someone else');
    expect(text((await priya.get('/meetings/M-2')).html)).not.toContain('this is a process item in a content meeting');
    // a reader who may not change its kind is not pointed at a form they do not have
    const visitor = (await new WebClient(app).get('/meetings/M-2')).html;
    expect(text(visitor)).toContain('Agree timelines and expected outputs');
    expect(text(visitor)).not.toContain('Not a content item?');
    expect(visitor).not.toContain(`/agenda/${id}/kind`);
  });

  it('a past meeting shows its agenda, written input marked presented, notes, attendance, decisions and action items', async () => {
    const page = (await new WebClient(app).get('/meetings/M-1')).html;
    const t = text(page);
    // an item's heading is read "Title (content item)", not "Title content" with its badge run on
    expect(page).toMatch(
      /<h3>[^<]+ <span class="badge"><span class="visually-hidden">\(<\/span>content<span class="visually-hidden"> item\)<\/span><\/span><\/h3>/,
    );
    // people by name, the handle beside it: written input, attendance and action owners
    expect(t).toContain('Written input (1) Amara Diallo (@amara)');
    expect(t).toContain('presented at the meeting');
    expect(t).toContain('this is a content item in a process meeting');
    expect(t).toContain('published on time');
    expect(t).toContain('Attendance (3) Jonas Berg (@jonas), Priya Nair (@priya), Sam Rivera (@sam-lead)');
    expect(t).toContain('Move the load-balancer deep-dive to the horizontal-scaling content meeting.');
    expect(t).toContain('Priya Nair (@priya): Draft the session affinity guide outline, due 7 Nov 2026');
    expect(t).toContain("organiser's time Sat 24 Oct 2026, 09:00 (America/Los_Angeles)");
    expect(t).toContain('The agenda closed when the meeting started.');
    const late = text((await new WebClient(app).get('/meetings/M-3')).html);
    expect(late).toMatch(/Due .*: late/);
  });

  it("the schedule form offers the groups' topic areas by name, and keeps the one chosen when the form is refused", async () => {
    const sam = await signIn('sam-lead');
    const form = (await sam.get('/meetings/new?group=hosting')).html;
    // a choice, not a short name to type: under each group, its topic areas by name
    expect(form).toMatch(/<select id="f-topic" name="topic"[^>]*>/);
    expect(form).toContain(
      '<optgroup label="Hosting" data-group="hosting"><option value="horizontal-scaling" data-group="hosting">Horizontal scaling</option></optgroup>',
    );
    expect(form).toContain('<option value="">None: the whole group</option>');
    const refused = await sam.post('/meetings/new', {
      group: 'hosting',
      topic: 'horizontal-scaling',
      kind: 'content',
      title: 'Sticky sessions, part two',
      timeZone: 'UTC',
      startsAt: '2020-01-01T10:00',
      durationMinutes: '60',
      repeat: 'none',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain(
      '<option value="horizontal-scaling" data-group="hosting" selected>Horizontal scaling</option>',
    );
  });

  it('the notes form says its button publishes them to everyone (there is no private draft), and the revision form says so too', async () => {
    const priya = await signIn('priya');
    const page = await priya.get('/meetings/M-3');
    expect(page.html).toContain('<button type="submit">Publish the notes</button>');
    expect(text(page.html)).toContain('Everyone can read them once published, and the group is told');
    expect(text(page.html)).not.toContain('Save the notes');
    const version = /name="version" value="(\d+)"/.exec(page.html)![1]!;
    const done = await priya.post('/meetings/M-3/notes', { notes: '# Notes\nWe reviewed the patterns.', version });
    expect(done.status).toBe(303);
    const after = await priya.get(done.location!);
    expect(text(after.html)).toContain('The notes are published');
    expect(after.html).toContain('<button type="submit">Publish the revision</button>');
    // "# Notes" in the notes sits under the page's own headings: one h1 on the page, the title
    expect(after.html.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(after.html).toMatch(/<h3[^>]*>Notes<\/h3>/);
  });

  it('its sender changes or withdraws their written input from the meeting page; a stale page, an unticked box or someone else is refused', async () => {
    const amara = await signIn('amara');
    // the written-input form carries the contribution note, naming the group's leads to ask
    expect(text((await amara.get('/meetings/M-2')).html)).toMatch(
      /contact one of the group administrators for advice\. Ask the leads? of Hosting: .+\. The terms in full: Contributions under the MIT License/,
    );
    await amara.post('/meetings/M-2/written-input', { item: '1', body: 'I run envoy with consistnt hashing.' });
    const page = await amara.get('/meetings/M-2');
    expect(text(page.html)).toContain('Change or withdraw your input');
    const id = /action="\/meetings\/M-2\/written-input\/([^/]+)\/edit"/.exec(page.html)![1]!;
    // nobody else is offered the forms, and a post of theirs is refused
    const jonas = await signIn('jonas');
    expect(text((await jonas.get('/meetings/M-2')).html)).not.toContain('Change or withdraw your input');
    const notHis = await jonas.post(`/meetings/M-2/written-input/${id}/edit`, {
      body: 'Rewritten by Jonas.',
      version: '1',
      input: id,
    });
    expect(notHis.status).toBe(403);
    expect(text(notHis.html)).toContain('Only the person who sent this written input may change it');

    const tooShort = await amara.post(`/meetings/M-2/written-input/${id}/edit`, {
      body: 'short',
      version: '1',
      input: id,
    });
    expect(tooShort.status).toBe(422);
    expect(text(tooShort.html)).toContain('New text: must carry the input itself (at least 10 characters)');
    expect(tooShort.html).toContain(`href="#f-edit-${id}-body"`);
    const fixed = await amara.post(`/meetings/M-2/written-input/${id}/edit`, {
      body: 'I run envoy with consistent hashing.',
      version: '1',
      input: id,
    });
    expect(fixed.status).toBe(303);
    const after = await amara.get(fixed.location!);
    expect(text(after.html)).toContain('Your written input is changed; the facilitators see the new text.');
    expect(text(after.html)).toMatch(/\(edited just now.{0,80}\) \) : I run envoy with consistent hashing\./);
    // the same form from before the change: refused, not written over the newer text
    const stale = await amara.post(`/meetings/M-2/written-input/${id}/edit`, {
      body: 'An older tab says this.',
      version: '1',
      input: id,
    });
    expect(stale.status).toBe(409);
    expect(text(stale.html)).toContain('was changed by someone else');

    const unticked = await amara.post(`/meetings/M-2/written-input/${id}/withdraw`, { version: '2', input: id });
    expect(unticked.status).toBe(422);
    expect(unticked.html).toContain(`href="#f-withdraw-${id}-confirm"`);
    expect(text(unticked.html)).toContain('tick the box to confirm: withdrawing takes your input off the agenda');
    const gone = await amara.post(`/meetings/M-2/written-input/${id}/withdraw`, {
      version: '2',
      input: id,
      confirm: 'yes',
    });
    expect(gone.status).toBe(303);
    const empty = text((await amara.get(gone.location!)).html);
    expect(empty).toContain('Your written input is withdrawn: it is off the agenda, and the facilitators are told.');
    expect(empty).not.toContain('consistent hashing');
  });

  it('written input from an absent member, an added item and the published agenda; publishing is for facilitators', async () => {
    const amara = await signIn('amara');
    // one who cannot attend reads, beside the field, until when it can be sent: the start, on her clock
    expect(text((await amara.get('/meetings/M-2')).html)).toContain(
      'Your input Send it before the meeting starts, Thu 12 Nov 2026, 14:00 (Africa/Lagos): the agenda closes then, and until then you may change or withdraw it.',
    );
    const short = await amara.post('/meetings/M-2/written-input', { item: '1', body: 'Too short' });
    expect(short.status).toBe(422);
    expect(text(short.html)).toContain('Your input: must carry the input itself (at least 10 characters)');
    expect(short.html).toContain('href="#f-input-body"');
    // a number past any agenda is refused as no such item, not as "must be a number" (it read as Infinity)
    const far = await amara.post('/meetings/M-2/written-input', {
      item: '9'.repeat(40),
      body: 'Input on an item that is not there.',
    });
    expect(far.status).toBe(422);
    expect(text(far.html)).toContain(`On which item: M-2 has no agenda item #${'9'.repeat(40)}`);
    expect(
      (
        await amara.post('/meetings/M-2/written-input', {
          item: '1',
          body: 'I run envoy with **consistent hashing**; traces attached in the repo.',
        })
      ).status,
    ).toBe(303);
    // written input gets the guide's hints, shown to its author only
    await amara.post('/meetings/M-2/written-input', {
      item: '1',
      body: 'Our product is the best in class for this, contact us for pricing.',
    });
    expect(text((await amara.get('/meetings/M-2')).html)).toMatch(/Hints on your written input.*Reads as marketing/);

    const jonas = await signIn('jonas');
    await jonas.get('/meetings/M-2');
    const refused = await jonas.post('/meetings/M-2/publish', {});
    expect(refused.status).toBe(403);
    expect(text((await jonas.get('/meetings/M-2')).html)).toContain('not published yet');

    const priya = await signIn('priya');
    const others = text((await priya.get('/meetings/M-2')).html);
    expect(others).toContain('contact us for pricing');
    expect(others).not.toContain('Reads as marketing');
    const noTitle = await priya.post('/meetings/M-2/agenda', { title: 'x' });
    expect(text(noTitle.html)).toContain('Item: must say what the item is (at least 3 characters)');
    const noSuch = await priya.post('/meetings/M-2/agenda', {
      title: 'Agree the outline of the sticky-session guide',
      kind: 'content',
      link: 'P-1',
    });
    expect(noSuch.status).toBe(422);
    expect(text(noSuch.html)).toContain("About a proposal or decision (optional): no proposal 'P-1'");
    // words that are no reference were reported as "no artifact 'the outline'": the rule is now said
    const notARef = await priya.post('/meetings/M-2/agenda', { title: 'Agree the outline', link: 'the outline' });
    expect(notARef.status).toBe(422);
    expect(text(notARef.html)).toContain(
      "About a proposal or decision (optional): nothing here is called 'the outline': name a proposal (P-12, SEP-2575), a decision (D-3) or a document by its path",
    );
    // the summary's link leads to the field that holds the reference
    expect(noSuch.html).toContain('href="#f-item-link-ref"');
    expect(noSuch.html).toContain('id="f-item-link-ref"');
    expect(
      (
        await priya.post('/meetings/M-2/agenda', {
          title: 'Agree the outline of the sticky-session guide',
          kind: 'content',
        })
      ).status,
    ).toBe(303);
    // the page carries the meeting's version; an item added after it was loaded is shown, not published unseen
    const loaded = (await priya.get('/meetings/M-2')).html;
    const version =
      /action="\/meetings\/M-2\/publish"><input type="hidden" name="_csrf" value="[^"]*"><input type="hidden" name="version" value="(\d+)">/.exec(
        loaded,
      )![1]!;
    const sam = { kind: 'person' as const, person: await personRow(hub.store.db, 'sam-lead') };
    await addAgendaItem(hub, sam, 'M-2', { title: 'Who drafts the load-balancer section' });
    const stale = await priya.post('/meetings/M-2/publish', { version });
    expect(stale.status).toBe(409);
    expect(text(stale.html)).toContain('Who drafts the load-balancer section');
    expect(text(stale.html)).toContain(`you read version ${version}, it is now version ${Number(version) + 1}`);
    expect((await priya.post('/meetings/M-2/publish', { version: String(Number(version) + 1) })).status).toBe(303);
    const seen = (await priya.get('/meetings/M-2')).html;
    const t = text(seen);
    // written input is markdown, rendered like the rest of what people write
    expect(seen).toContain('<strong>consistent hashing</strong>');
    expect(seen).not.toContain('**consistent hashing**');
    expect(t).toMatch(/published (just now|\d+ \w+ ago), \w{3} \d+ Nov 2026/);
    expect(t).toContain('Agree the outline of the sticky-session guide');
    // who added the item and who wrote the input, each by name with the handle beside it
    expect(t).toMatch(
      /Agree the outline of the sticky-session guide \( ?content item\) Added by Priya Nair \(@priya\) just now/,
    );
    expect(t).toContain('Amara Diallo (@amara) , just now, Mon 2 Nov 2026');
    expect(t).toMatch(/I run envoy with\s+consistent hashing/);
    expect(t).toContain('not yet presented');
    // the facilitator reads what publishing does, and whether anything was added since: "Publish the
    // agenda again" said neither, so an item added after publishing seemed told to the group, or a
    // second click seemed harmless
    expect(text(loaded)).toContain(
      "Publishing tells the group's members the agenda is out. Items may still be added after. Publish the agenda",
    );
    expect(t).toContain(
      "Nothing was added, removed or moved since it was published. Publishing again tells the group's members once more. Publish the agenda again",
    );
    // with nothing new to tell, the button steps back to a secondary one
    expect(seen).toContain(
      '<button type="submit" aria-describedby="publish-hint" class="secondary">Publish the agenda again',
    );
    hub.clock.advance(60_000);
    await addAgendaItem(hub, sam, 'M-2', { title: 'Agree the review rota' });
    expect(text((await priya.get('/meetings/M-2')).html)).toContain(
      "Changed since it was published, and not yet told to the group: 1 item added. Publishing again tells the group's members. Publish the agenda again",
    );
    // published again, then an item removed and one moved: it said "Nothing was added since it was
    // published", though the group had not been told of either
    hub.clock.advance(60_000);
    const again = (await publishAgenda(hub, sam, 'M-2')).agenda.items;
    expect(text((await priya.get('/meetings/M-2')).html)).toContain('Nothing was added, removed or moved since');
    hub.clock.advance(60_000);
    const removed = await removeAgendaItem(hub, sam, 'M-2', again.at(-1)!.id);
    expect(text((await priya.get('/meetings/M-2')).html)).toContain(
      "Changed since it was published, and not yet told to the group: 1 item removed. Publishing again tells the group's members. Publish the agenda again",
    );
    await moveAgendaItem(hub, sam, 'M-2', removed.version, { item: removed.agenda.items[0]!.id, direction: 'down' });
    const moved = (await priya.get('/meetings/M-2')).html;
    expect(text(moved)).toContain(
      "Changed since it was published, and not yet told to the group: 1 item removed, 1 move of an item. Publishing again tells the group's members.",
    );
    expect(moved).toContain('<button type="submit" aria-describedby="publish-hint">Publish the agenda again');
  });

  it('a facilitator recording input someone mailed that is already recorded is told so, not that they are told again', async () => {
    const priya = await signIn('priya');
    await priya.get('/meetings/M-2');
    const input = { for: '@amara', item: '1', body: 'Mailed from Lagos: please cover retries through envoy.' };
    expect((await priya.post('/meetings/M-2/written-input/for', input)).status).toBe(303);
    expect(text((await priya.get('/meetings/M-2')).html)).toContain(
      "@amara's written input is on the agenda under their name; they are told you recorded it.",
    );
    // the same input again is the one stored: no second notice is written, and the flash does not promise one
    expect((await priya.post('/meetings/M-2/written-input/for', input)).status).toBe(303);
    const again = text((await priya.get('/meetings/M-2')).html);
    expect(again).toContain("@amara's written input was already recorded on this item");
    expect(again).not.toContain('they are told you recorded it');
  });

  it('after the meeting: written input not presented needs a reason, attendance names unknown people, notes refuse a stale version', async () => {
    const amara = await signIn('amara');
    await amara.get('/meetings/M-2');
    await amara.post('/meetings/M-2/written-input', {
      item: '1',
      body: 'I run envoy with consistent hashing; traces attached.',
    });
    hub.clock.set('2026-11-12T15:00:00Z');
    const priya = await signIn('priya');
    const page = await priya.get('/meetings/M-2');
    const input = /action="\/meetings\/M-2\/written-input\/([^/]+)\/mark"/.exec(page.html)![1]!;
    // the meeting has begun: the facilitator is told to record attendance here, not to wait for the start
    expect(text(page.html)).toContain('Attendance (0) Not recorded yet. Record who attended below.');
    // the facilitator is asked about the sender by name, not by handle
    expect(text(page.html)).toContain("Was Amara Diallo's input presented?");
    const noReason = await priya.post(`/meetings/M-2/written-input/${input}/mark`, { presented: 'no', input });
    expect(noReason.status).toBe(422);
    expect(text(noReason.html)).toContain(
      'Note (needed when not presented): say why the input was not presented, so its author knows',
    );
    expect(noReason.html).toContain(`href="#f-mark-${input}-note"`);
    // her form carries the input's version: meanwhile, from her phone, she marked it not presented
    const markVersion = new RegExp(
      `action="/meetings/M-2/written-input/${input}/mark".*?name="version" value="(\\d+)"`,
      's',
    ).exec(noReason.html)![1]!;
    await markWrittenInput(
      hub,
      { kind: 'person' as const, person: await personRow(hub.store.db, 'priya') },
      'M-2',
      input,
      {
        presented: false,
        note: 'ran out of time',
      },
    );
    const staleMark = await priya.post(`/meetings/M-2/written-input/${input}/mark`, {
      presented: 'yes',
      input,
      version: markVersion,
    });
    expect(staleMark.status).toBe(409);
    expect(text((await priya.get('/meetings/M-2')).html)).toContain('not presented — ran out of time');
    await markWrittenInput(
      hub,
      { kind: 'person' as const, person: await personRow(hub.store.db, 'priya') },
      'M-2',
      input,
      { presented: true },
    );

    const loaded = /name="version" value="(\d+)"/.exec((await priya.get('/meetings/M-2')).html)![1]!;
    const unknown = await priya.post('/meetings/M-2/attendance', { attended: 'priya nobody-here', version: loaded });
    // the entry is named in words, in the summary (linked to the field) and beside the field, and what was typed stays
    expect(text(unknown.html)).toContain(
      "Who attended (handles, separated by spaces or commas), entry 2: no person 'nobody-here'",
    );
    expect(unknown.html).toContain('href="#f-attendance-attended"');
    expect(unknown.html).toContain('<p class="field-error" id="f-attendance-attended-error">entry 2: no person');
    expect(unknown.html).toContain('value="priya nobody-here"');
    expect(text(unknown.html)).not.toContain('attended[1]');
    expect((await priya.post('/meetings/M-2/attendance', { attended: '@priya, jonas', version: loaded })).status).toBe(
      303,
    );
    // a second facilitator's form, loaded before that, does not drop those names unseen
    const late = await priya.post('/meetings/M-2/attendance', { attended: 'jonas', version: loaded });
    expect(late.status).toBe(409);
    expect(text(late.html)).toContain('was changed by someone else');
    expect(text((await priya.get('/meetings/M-2')).html)).toContain(
      'Attendance (2) Jonas Berg (@jonas), Priya Nair (@priya)',
    );

    const before = await priya.get('/meetings/M-2');
    const version = /name="version" value="(\d+)"/.exec(before.html)![1]!;
    expect(before.html).toContain('</textarea>');
    expect(
      (await priya.post('/meetings/M-2/notes', { notes: '# Notes\nWe agreed the outline.', version })).status,
    ).toBe(303);
    const stale = await priya.post('/meetings/M-2/notes', { notes: '# Other notes', version });
    expect(stale.status).toBe(409);
    const after = text((await new WebClient(app).get('/meetings/M-2')).html);
    expect(after).toContain('presented at the meeting');
    expect(after).toContain('Attendance (2) Jonas Berg (@jonas), Priya Nair (@priya)');
    expect(after).toContain('We agreed the outline.');
    expect(after).toContain('published on time');
    expect(after).not.toContain('Other notes');
  });

  it('action items reach their owner’s home page and are marked done there-from', async () => {
    hub.clock.set('2026-11-12T15:00:00Z');
    const priya = await signIn('priya');
    await priya.get('/meetings/M-2');
    // sent empty, the owner and the day are said to be missing: the format rules ("must be a GitHub-style
    // handle", "must be a date as YYYY-MM-DD") read as a typo to fix in a field left blank
    const empty = text((await priya.post('/meetings/M-2/actions', { owner: '', description: '', due: '' })).html);
    expect(empty).toContain('Owner (handle): is required: a handle, as a name shows it after @');
    expect(empty).toContain('Due date: is required: a date');
    expect(empty).not.toContain('GitHub-style');
    const bad = await priya.post('/meetings/M-2/actions', {
      owner: 'jonas',
      description: 'Share the envoy traces',
      due: 'next week',
    });
    expect(text(bad.html)).toContain('Due date: must be a date as YYYY-MM-DD');
    // a date picker in the browser, whose value is the YYYY-MM-DD the rule asks for
    expect(bad.html).toMatch(/<input type="date" id="[^"]*due"/);
    await priya.post('/meetings/M-2/actions', {
      owner: 'jonas',
      description: 'Share the envoy traces',
      due: '2026-11-19',
    });
    const jonas = await signIn('jonas');
    const home = text((await jonas.get('/')).html);
    expect(home).toContain('Your action items');
    expect(home).toContain('Share the envoy traces — due 19 Nov 2026');
    const page = await jonas.get('/meetings/M-2');
    const id = /action="\/meetings\/M-2\/actions\/([^/]+)\/done"/.exec(page.html)![1]!;
    expect((await jonas.post(`/meetings/M-2/actions/${id}/done`, {})).status).toBe(303);
    expect(text((await jonas.get('/')).html)).not.toContain('Share the envoy traces');
  });

  it('the notes a meeting owes are on the home of who writes them until they are published, late ones marked', async () => {
    const priya = await signIn('priya');
    // M-3 met five days ago with no note-taker named: its organiser owes the notes, two days late
    const home = text((await priya.get('/')).html);
    expect(home).toContain('Notes you owe');
    expect(home).toMatch(/M-3: Tool poisoning patterns review — late the notes were due /);
    expect(home).toContain('The community asks for notes within 48 hours of a meeting');
    expect(home).not.toContain('M-2: Horizontal scaling deep-dive: sticky sessions — due');
    // M-2 has ended: its notes are due, not late, and its note-taker (named now) owes them, not its organiser
    hub.clock.set('2026-11-12T15:00:00Z');
    const page = await priya.get('/meetings/M-2');
    const version = /name="version" value="(\d+)"/.exec(page.html)![1]!;
    // a participant could not publish the notes they would owe: refused naming the field, before
    // they were named and then reminded of notes they could not give
    const participant = await priya.post('/meetings/M-2/note-taker', { noteTaker: 'jonas', version });
    expect(participant.status).toBe(422);
    expect(text(participant.html)).toMatch(
      /\(@jonas\) could not publish the notes they would owe: only a group member or lead, .* may record the meeting's outcomes/,
    );
    expect((await priya.post('/meetings/M-2/note-taker', { noteTaker: 'sam-lead', version })).status).toBe(303);
    expect(text((await priya.get('/')).html)).not.toContain('M-2: Horizontal scaling');
    const sam = await signIn('sam-lead');
    expect(text((await sam.get('/')).html)).toMatch(
      /M-2: Horizontal scaling deep-dive: sticky sessions — due in 2 days/,
    );
    // published, they leave it
    const m2 = await sam.get('/meetings/M-2');
    const v2 = /action="\/meetings\/M-2\/notes">[\s\S]*?name="version" value="(\d+)"/.exec(m2.html)![1]!;
    expect(
      (await sam.post('/meetings/M-2/notes', { notes: '## Notes\n- Sticky sessions compared.', version: v2 })).status,
    ).toBe(303);
    expect(text((await sam.get('/')).html)).not.toContain('Notes you owe');
    // one who owes none is shown no such section
    expect(text((await (await signIn('kai-core')).get('/')).html)).not.toContain('Notes you owe');
  });

  it('the member home lists meetings I may attend in my zone, with agendas, series occurrences included', async () => {
    const priya = await signIn('priya');
    const home = text((await priya.get('/')).html);
    expect(home).toContain('Meetings you may attend (next 30 days)');
    // M-1 is a series: its next meetings are listed; M-2 is the facilitated topic meeting
    expect(home).toContain('M-1: Hosting WG coordination — in 5 days, Sat 7 Nov 2026, 22:30 (Asia/Kolkata)');
    expect(home).toContain(
      'M-2: Horizontal scaling deep-dive: sticky sessions — in 10 days, Thu 12 Nov 2026, 18:30 (Asia/Kolkata)',
    );
    expect(home).toContain('Agenda (draft): 1. Deep-dive: session affinity behind load balancers');
    // the group and topic area by their names, and the kind said as a kind of meeting, not
    // "(hosting / horizontal-scaling, content)": the slugs are for addresses
    expect(home).toContain('(Hosting / Horizontal scaling, content meeting)');
    const list = text((await priya.get('/meetings')).html);
    expect(list).toContain('Hosting / Horizontal scaling content');
    expect(list).not.toContain('horizontal-scaling');
    const page = text((await priya.get('/meetings/M-2')).html);
    expect(page).toContain('content meeting · Hosting / Horizontal scaling ·');
    expect(page).toContain('Subscribe to Horizontal scaling meetings');
    expect(home).toContain('(Hosting, process meeting)');
    expect(home).toContain('Draft the session affinity guide outline');
    // the list is kept in memory between visits, yet a meeting that has begun leaves it with nothing written
    hub.clock.set('2026-11-12T13:30:00Z');
    const later = text((await priya.get('/')).html);
    expect(later).not.toContain('M-2: Horizontal scaling deep-dive');
    expect(later).not.toContain('Sat 7 Nov 2026');
    expect(later).toContain('M-1: Hosting WG coordination');
    // a person in no group sees no meetings
    const kai = text((await (await signIn('kai-core')).get('/')).html);
    expect(kai).toContain('No meetings in your groups, or the groups you watch, in the next 30 days.');
  });

  it('the fair-time finder shows local times and a rotation for a series; bad input names the field', async () => {
    const visitor = new WebClient(app);
    const t = text(
      (
        await visitor.get(
          '/meetings/fair-times?group=hosting&from=2026-11-09&days=7&durationMinutes=60&seriesCount=4&everyDays=7',
        )
      ).html,
    );
    expect(t).toMatch(/Best times for \d+ people/);
    expect(t).toContain('(America/Los_Angeles)');
    expect(t).toContain('(Asia/Kolkata)');
    expect(t).toContain('A series: rotating times compared with one fixed time');
    // the alternatives are other times of day, and the page says how far apart
    expect(t).toContain('each at another time of day, at least 3 hours from the others');
    const bad = await visitor.get('/meetings/fair-times?group=hosting&durationMinutes=5');
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Meeting length in minutes: must be at least 15');
  });

  it('the fair-time finder reads its day in the viewer zone, as its label says', async () => {
    const priya = await signIn('priya'); // Asia/Kolkata, 5h30 ahead of UTC
    const form = text((await priya.get('/meetings/fair-times')).html);
    expect(form).toContain('From (a day, in Asia/Kolkata)');
    const t = text((await priya.get('/meetings/fair-times?group=hosting&from=2026-11-09&days=7')).html);
    // from Kolkata's midnight of the 9th: in UTC that is the 8th at 18:30, which must not show as the 8th
    expect(t).toContain('between Mon 9 Nov 2026 and');
    expect(t).toContain('(Asia/Kolkata)');
    const visitor = text((await new WebClient(app).get('/meetings/fair-times')).html);
    expect(visitor).toContain('From (a day, in UTC)');
  });

  it('scheduling: the organiser picks a zone from the IANA list, pre-set to their own; an unknown one is refused naming the field', async () => {
    const sam = await signIn('sam-lead');
    const form = (await sam.get('/meetings/new')).html;
    expect(form).toMatch(/<select id="f-timeZone" name="timeZone"/);
    expect(form).toContain('<option value="America/Los_Angeles" selected>America/Los_Angeles</option>');
    const bad = await sam.post('/meetings/new', {
      group: 'hosting',
      kind: 'process',
      title: 'Planning',
      startsAt: '2026-12-08T09:00',
      timeZone: 'Pacific/Atlantis',
      durationMinutes: '60',
    });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain("Organiser's time zone: must be an IANA time zone such as Europe/Berlin or UTC");
  });

  it('scheduling: a start in the past is refused naming the field; short notice is flagged, not refused', async () => {
    const sam = await signIn('sam-lead');
    await sam.get('/meetings/new');
    const past = await sam.post('/meetings/new', {
      group: 'hosting',
      kind: 'process',
      title: 'Planning',
      startsAt: '2026-10-01T16:00:00Z',
      timeZone: 'America/Los_Angeles',
      durationMinutes: '60',
    });
    expect(past.status).toBe(422);
    expect(text(past.html)).toContain('Starts at: must be in the future');
    const soon = await sam.post('/meetings/new', {
      group: 'hosting',
      kind: 'process',
      title: 'Planning',
      startsAt: '2026-11-04T16:00:00Z',
      timeZone: 'America/Los_Angeles',
      durationMinutes: '45',
    });
    expect(soon.location).toBe('/meetings/M-4');
    expect(text((await sam.get('/meetings/M-4')).html)).toContain(
      "Short notice: listed 2.2 days ahead; the community asks for at least 7 days' notice",
    );
    // its empty agenda points to the form only for those who are offered it
    expect(text((await sam.get('/meetings/M-4')).html)).toContain(
      'No agenda items yet. Add the first with “Add an agenda item” below.',
    );
    const visitor = text((await new WebClient(app).get('/meetings/M-4')).html);
    expect(visitor).toContain('No agenda items yet.');
    expect(visitor).not.toContain('Add an agenda item');
    expect(visitor).not.toContain('ask the facilitators');
    // the form's start is read on the organiser's clock, and the repeat picker gives the rule
    const series = await sam.post('/meetings/new', {
      group: 'hosting',
      kind: 'content',
      title: 'Scaling clinic',
      startsAt: '2026-12-08T09:00',
      timeZone: 'America/Los_Angeles',
      durationMinutes: '60',
      repeat: 'fortnightly',
      times: '6',
    });
    expect(series.status).toBe(303);
    const shown = text((await sam.get(series.location!)).html);
    // sam reads it on his own clock, the organiser's: the time is said once, not again as "organiser's time"
    expect(shown).toMatch(
      /When: in 5 weeks, Tue 8 Dec 2026, 09:00 \(America\/Los_Angeles\) \(Tue 8 Dec 2026, 17:00 UTC\) ?, 60 minutes/,
    );
    expect(shown).not.toContain("organiser's time");
    // a reader elsewhere is told the organiser's time beside their own
    expect(text((await new WebClient(app).get(series.location!)).html)).toContain(
      "organiser's time Tue 8 Dec 2026, 09:00 (America/Los_Angeles)",
    );
    expect(shown).toContain("Repeats every two weeks, 6 times (on the organiser's clock, America/Los_Angeles).");
    expect(shown).not.toContain('FREQ=');
    const badCount = await sam.post('/meetings/new', {
      group: 'hosting',
      kind: 'content',
      title: 'Scaling clinic',
      startsAt: '2026-12-08T09:00',
      repeat: 'weekly',
      times: 'lots',
    });
    expect(badCount.status).toBe(422);
    expect(text(badCount.html)).toContain('How many times in all (optional): must be a whole number from 2 to');
    const priya = await signIn('priya');
    await priya.get('/meetings/new');
    expect(
      (
        await priya.post('/meetings/new', {
          group: 'observability',
          kind: 'process',
          title: 'Planning',
          startsAt: '2026-12-04T16:00:00Z',
        })
      ).status,
    ).toBe(403);
  });
});
