import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDueDecisions, getDecision } from '../../src/app/decisions/decisions.ts';
import { instantToWallClock } from '../../src/domain/meetings/recurrence-words.ts';
import { setMemberLevel } from '../../src/app/groups/groups.ts';
import { removeMember } from '../../src/app/groups/leave-group.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 30 };

const text = pageText;

describe.each(databases)('decision pages on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;

  const signIn = (handle: string) => signInAs(app, handle);

  async function open(client: WebClient, fields: Record<string, string> = {}) {
    await client.get('/decisions/new');
    return client.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide as a working-group artifact?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
      ...fields,
    });
  }

  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('a member consents from their home in one step; a concern or a block is one link away', async () => {
    const sam = await signIn('sam-lead');
    expect((await open(sam)).status).toBe(303);
    const priya = await signIn('priya');
    const home = await priya.get('/');
    const ref = /action="\/decisions\/(D-\d+)\/respond"/.exec(home.html)?.[1];
    expect(ref).toBeDefined();
    expect(text(home.html)).toContain(`Consent to ${ref}`);
    expect(home.html).toContain(`href="/decisions/${ref}#respond"`);
    // on the decision's page, before answering, she is told first that her silence would count
    expect(text((await priya.get(`/decisions/${ref}`)).html)).toContain(
      'Your voice counts and you have not answered: if you say nothing by the deadline, your silence counts as consent. Consent, raise a concern or block',
    );
    const consented = await priya.post(`/decisions/${ref}/respond`, { kind: 'consent' });
    expect(consented.status).toBe(303);
    expect(consented.location).toBe(`/decisions/${ref}`);
    const page = await priya.get(`/decisions/${ref}`);
    expect(text(page.html)).toContain('Your response is recorded.');
    expect(text(page.html)).toContain('consent from Priya Nair (@priya)');
    expect(page.html).toContain('<h3 id="respond">Respond</h3>');
    expect(page.html).not.toContain('id="your-silence"');
    // answered: home no longer offers it
    expect((await priya.get('/')).html).not.toContain(`action="/decisions/${ref}/respond"`);
  });

  it('a decision nobody answered says, once closed, whose silence counted: here nobody’s, its one member never told of it', async () => {
    const sam = await signIn('sam-lead');
    const opened = await open(sam);
    const ref = /\/decisions\/(D-\d+)/.exec(opened.location ?? '')![1]!;
    expect(text((await sam.get(`/decisions/${ref}`)).html)).toContain(
      'No responses yet. Silence counts as consent at the deadline.',
    );
    hub.clock.advance(6 * 86_400_000);
    await closeDueDecisions(hub);
    const closed = text((await sam.get(`/decisions/${ref}`)).html);
    // priya was never told (this hub sends no notices): her silence was not counted
    expect(closed).toContain(
      'No responses came by the deadline: the silence of 1 member or lead was not counted, as they were not informed of it in time.',
    );
    expect(closed).not.toContain('silence was counted as consent');
    expect(closed).not.toContain('Silence counts as consent at the deadline.');
  });

  it('home tells a member the hub cannot mail that news reaches them only there, and how to change it', async () => {
    const priya = await signIn('priya');
    // a hub that sends no mail has nothing to offer
    expect((await priya.get('/')).html).not.toContain('id="mail-reach"');
    hub.settings.mailsOut = true;
    const home = text((await priya.get('/')).html);
    expect(home).toContain(
      'Decisions in your groups pass by lazy consensus: silence by the deadline counts as consent. You have no mail address on record, so news reaches you only here: add one in your profile to be told by mail.',
    );
    await hub.store.db
      .updateTable('people')
      .set({ email: 'priya@example.org', confirmed_email: 'priya@example.org' })
      .where('handle', '=', 'priya')
      .execute();
    expect((await priya.get('/')).html).not.toContain('id="mail-reach"');
  });

  it('opening a decision: bad input names each field and rule; a good one opens with the governance deadline', async () => {
    const sam = await signIn('sam-lead');
    const bad = await open(sam, { question: 'Short?', deadline: '2026-11-03T09:00:00Z' });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain(
      'The question being decided: must state the question being decided (at least 10 characters)',
    );
    const early = await open(sam, { deadline: '2026-11-03T09:00:00Z' });
    expect(text(early.html)).toContain('Deadline (optional): must be at least 5 days after opening for a minor item');
    // the earliest deadline is named in the person's zone, like every other moment on the page
    expect(text(early.html)).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text(early.html)).toMatch(/the earliest is \w{3} \d+ \w{3} 2026, \d\d:\d\d \(America\/Los_Angeles\)/);
    // a question is a heading and a list row: at most 300 characters
    const long = await open(sam, { question: `Adopt ${'Q'.repeat(1000)}?` });
    expect(long.status).toBe(422);
    expect(text(long.html)).toContain('The question being decided: must be at most 300 characters');
    // a group decides its own proposals, not another group's
    const { ref } = await createProposal(hub, await asActor(hub, 'priya'), {
      group: 'security',
      title: 'Tool description review checklist',
      problem: 'Reviewers of tool descriptions miss the same poisoning patterns again and again.',
      layer: 'working-group-artifact',
    });
    const elsewhere = await open(sam, { 'subject.type': 'proposal', 'subject.ref': ref });
    expect(elsewhere.status).toBe(422);
    expect(text(elsewhere.html)).toContain(`${ref} belongs to the security group: open the decision there`);
    // a proposal named while "What it is about" stays at its default (the process) is not dropped
    // without a word: the field says how to tie the decision to it, and nothing opens
    const untied = await open(sam, { 'subject.ref': 'P-2' });
    expect(untied.status).toBe(422);
    expect(text(untied.html)).toContain(
      "The proposal (when it is about one): names a proposal only: a process decision is about the hosting group's own process; to decide on a proposal, say the decision is about one, or leave the proposal out",
    );
    expect(untied.html).toMatch(/name="subject.ref"[^>]*value="P-2"|value="P-2"[^>]*name="subject.ref"/);
    const good = await open(sam);
    expect(good.location).toBe('/decisions/D-1');
    const page = text((await sam.get('/decisions/D-1')).html);
    expect(page).toContain('D-1 is open');
    // a facilitator looking for a Close button is told there is none, and what happens at the deadline
    expect(page).toContain(
      "Nobody closes it by hand: at the deadline the hub closes it, records the outcome here and tells the group's members.",
    );
    // sam is in America/Los_Angeles: the deadline shows there and in UTC
    expect(page).toContain(
      'Deadline: in 5 days, Sat 7 Nov 2026, 01:00 (America/Los_Angeles) (Sat 7 Nov 2026, 09:00 UTC)',
    );
    // where it stands names the deadline in the reader's zone, not as a machine timestamp
    expect(page).toMatch(/lazy consensus until Sat 7 Nov 2026, 01:00 \(America\/Los_Angeles\) ?: silence is consent/);
    // and so does the timeline
    expect(page).toMatch(
      /opened the decision \(minor, routine; deadline Sat 7 Nov 2026, 01:00 \(America\/Los_Angeles\) ?\)/,
    );
    // a visitor's timeline marks the deadline for the browser's zone, as every other moment on their page
    const visitorPage = (await new WebClient(app).get('/decisions/D-1')).html;
    expect(visitorPage).toMatch(
      /opened the decision \(minor, routine; deadline <time datetime="2026-11-07T09:00:00.000Z" data-local="moment">/,
    );
    expect(page).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    // the deadline picker is read on the opener's own clock: 09:00 in Los Angeles is 17:00 UTC
    // the same question again while D-1 is open (Back, then the button once more): refused, D-1 named
    const again = await open(sam);
    expect(again.status).toBe(422);
    expect(text(again.html)).toContain('D-1 already asks this and is still open: answer it there');
    expect(text((await sam.get('/decisions/D-2')).html)).not.toContain('D-2 is open');
    const picked = await open(sam, {
      question: 'Adopt the session affinity guide, with a later deadline?',
      deadline: '2026-11-10T09:00',
    });
    expect(text((await sam.get(picked.location!)).html)).toContain(
      'Deadline: in 8 days, Tue 10 Nov 2026, 09:00 (America/Los_Angeles) (Tue 10 Nov 2026, 17:00 UTC)',
    );
    const list = (await new WebClient(app).get('/decisions')).html;
    expect(text(list)).toContain('Adopt the session affinity guide as a working-group artifact?');
    expect(list).toContain('<td><a href="/groups/hosting">Hosting</a></td>');
    // a visitor reads moments in UTC already: once, not "(UTC) (… UTC)"
    const seen = text((await new WebClient(app).get(picked.location!)).html);
    expect(seen).toMatch(/Deadline: in 8 days, Tue 10 Nov 2026, 17:00 \(UTC\)/);
    expect(seen).not.toContain('17:00 UTC)');
  });

  it('who was told: each notice with how and whether it was opened, and a warning naming members whose silence would count unreached', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    await setMemberLevel(hub, await asActor(hub, 'sam-lead'), 'hosting', 'jonas', { level: 'member' });
    // priya has a confirmed mail address, jonas none: the page says whom no notice can be mailed to
    await hub.store.db
      .updateTable('people')
      .set({ email: 'priya@example.org', confirmed_email: 'priya@example.org' })
      .where('handle', '=', 'priya')
      .execute();
    const sam = await signIn('sam-lead');
    await open(sam);
    const before = text((await sam.get('/decisions/D-1')).html);
    expect(before).toContain(
      'Uninformed silence: Silence will count as consent at the deadline, yet the news has not reached 2 members whose voice counts: Jonas Berg (@jonas), Priya Nair (@priya).',
    );
    // each by name, the handle beside it
    expect(before).toMatch(/Who was told[\s\S]*Jonas Berg \(@jonas\) it opened .+ inbox only not yet/);
    // the lists of who was not reached and who cannot be mailed name people too, the handle beside the name
    expect(before).toContain('Priya Nair (@priya): told only in the inbox (no mail) and never opened it');
    // priya opens the page: that is the record she was reached
    const priyaPage = text((await (await signIn('priya')).get('/decisions/D-1')).html);
    expect(priyaPage).toMatch(/Priya Nair \(@priya\) it opened [^@]+ inbox only just now, Mon 2 Nov/);
    const after = text((await sam.get('/decisions/D-1')).html);
    expect(after).toContain('yet the news has not reached 1 member whose voice counts: Jonas Berg (@jonas).');
    expect(after).not.toContain('(@priya): told only in the inbox');
    // who has not answered yet, whether reached or not: the list a facilitator chases before the deadline
    expect(after).toMatch(
      /Not answered yet \(their silence counts as consent at the deadline\): Jonas Berg \(@jonas, not reachable by mail\), Priya Nair \(@priya\) ?\./,
    );
    expect(after).toContain(
      'Not reachable by mail Members whose silence counts and who have not answered, whom no notice can be mailed to now, so their silence is not informed by mail (only by the inbox, if they open it): Jonas Berg (@jonas): not reachable by mail: no mail address on record Timeline',
    );
    const priya = await signIn('priya');
    await priya.get('/decisions/D-1');
    expect((await priya.post('/decisions/D-1/respond', { kind: 'consent' })).status).toBe(303);
    const answered = text((await sam.get('/decisions/D-1')).html);
    expect(answered).toMatch(
      /Not answered yet \(their silence counts as consent at the deadline\): Jonas Berg \(@jonas, not reachable by mail\) ?\./,
    );
  });

  it('a block without an alternative is refused naming the field and the rule; with one it stands', async () => {
    await open(await signIn('sam-lead'));
    const priya = await signIn('priya');
    await priya.get('/decisions/D-1');
    const refused = await priya.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'Not tested with two proxies yet',
    });
    expect(refused.status).toBe(422);
    expect(text(refused.html)).toContain(
      'Alternative (for a block): a block must propose an alternative or clear criteria for resolution',
    );
    expect(refused.html).toContain('href="#f-respond-alternative"');
    expect(refused.html).toContain('Not tested with two proxies yet</textarea>');
    expect(text((await priya.get('/decisions/D-1')).html)).toContain('No responses yet');

    expect(
      (
        await priya.post('/decisions/D-1/respond', {
          kind: 'block',
          reason: 'Not tested with two proxies yet.',
          alternative: 'Adopt it once tested behind nginx and envoy',
        })
      ).status,
    ).toBe(303);
    const page = text((await priya.get('/decisions/D-1')).html);
    expect(page).toContain('block from Priya Nair (@priya) of Nebula Tools');
    expect(page).toContain('Alternative: Adopt it once tested behind nginx and envoy');
    expect(page).toContain('block 1 1');
    expect(page).toContain('1 block stands so far');
    // who stands in the way, by name with the handle beside it
    expect(page).toContain('Standing blocks: Priya Nair (@priya)');
    // who opened it, by name too
    expect(page).toMatch(/opened by [^(]+ \(@[\w-]+\) /);
    // what happens next, for the facilitator and the blocker alike
    expect(page).toContain('1 block stands so far: if it still stands at the deadline, a formal vote opens');
    expect(page).toContain('Your current response: block');
    // the reason's own full stop is not doubled by the separator after it
    expect(page).toMatch(
      /Priya Nair \(@priya\) responded: block, saying “Not tested with two proxies yet”; alternative: Adopt it once tested behind nginx and envoy/,
    );
    expect(page).not.toContain('.;');

    // changed to consent with the form as it comes back, still filled with the block's fields
    expect(
      (
        await priya.post('/decisions/D-1/respond', {
          kind: 'consent',
          reason: 'Tested behind both proxies now.',
          alternative: 'Adopt it once tested behind nginx and envoy',
          resolutionCriteria: '',
          amendment: '',
        })
      ).status,
    ).toBe(303);
    const after = text((await priya.get('/decisions/D-1')).html);
    expect(after).toContain('consent from Priya Nair (@priya)');
    expect(after).toContain('Your current response: consent');
    expect(after.slice(after.indexOf('consent from Priya Nair (@priya)'))).not.toContain(
      'Alternative: Adopt it once tested',
    );
  });

  it('a block of a member the lead then removes from the group is shown, saying it no longer counts, and stands no more', async () => {
    const sam = await signIn('sam-lead');
    await open(sam);
    const priya = await signIn('priya');
    await priya.get('/decisions/D-1');
    await priya.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'Not tested with two proxies yet.',
      alternative: 'Adopt it once tested behind nginx and envoy',
    });
    await removeMember(hub, await asActor(hub, 'sam-lead'), 'hosting', 'priya');
    const page = text((await sam.get('/decisions/D-1')).html);
    expect(page).toContain('block from Priya Nair (@priya) of Nebula Tools');
    expect(page).toContain('no longer in the group: not counted');
    expect((await getDecision(hub, 'D-1')).state.standingBlocks).toEqual([]);
  });

  it('a lead withdraws a decision opened by mistake from its page, saying why; the page then says withdrawn and why', async () => {
    const priya = await signIn('priya');
    expect((await open(priya)).location).toBe('/decisions/D-1');
    // whoever opened it is offered the form; a member who did not open it and is no lead is not
    expect(text((await priya.get('/decisions/D-1')).html)).toContain('Withdraw this decision');
    const jonas = await signIn('jonas');
    expect(text((await jonas.get('/decisions/D-1')).html)).not.toContain('Withdraw this decision');
    const sam = await signIn('sam-lead');
    const before = text((await sam.get('/decisions/D-1')).html);
    expect(before).toContain('Withdraw this decision');
    // an open decision's badge says it is not decided yet, not the internal "pending"
    expect(before).toContain('lazy consensus (silence is consent) not decided yet');
    // the way to undo it comes after the responses and the timeline, not above them
    expect(before.indexOf('Withdraw this decision')).toBeGreaterThan(before.indexOf('Timeline'));
    const bad = await sam.post('/decisions/D-1/withdraw', { version: '1', reason: '  ' });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Why it is withdrawn: must say why it is withdrawn');
    expect(text(bad.html)).toContain('lazy consensus (silence is consent)');
    const done = await sam.post('/decisions/D-1/withdraw', {
      version: '1',
      reason: 'A duplicate of the guide decision in Security',
    });
    expect(done.location).toBe('/decisions/D-1');
    const page = text((await sam.get('/decisions/D-1')).html);
    expect(page).toContain("D-1 is withdrawn. The group's members are told why.");
    expect(page).toContain('closed withdrawn');
    expect(page).toMatch(/withdrawn by sam-lead at .+: A duplicate of the guide decision in Security/);
    expect(page).toContain(
      'Sam Rivera (@sam-lead) withdrew the decision: A duplicate of the guide decision in Security',
    );
    // nothing more to do on it: no respond, vote or withdraw form
    expect(page).not.toContain('Withdraw this decision');
    expect(page).not.toContain('Send my response');
    // a stale form sent again (a second click) is told it is already so, as a message on the page, not an error
    const again = await sam.post('/decisions/D-1/withdraw', { version: '1', reason: 'Once more' });
    expect(again.status).toBe(303);
    expect(again.location).toBe('/decisions/D-1');
    const shown = text((await sam.get('/decisions/D-1')).html);
    expect(shown).toContain('The decision is already withdrawn by @sam-lead at');
    expect(shown).toContain('it is already so, nothing to do');
    expect(shown).not.toContain('There is a problem');
    expect(text((await sam.get('/decisions?open=false')).html)).toContain('closed; withdrawn');
  });

  it('a withdrawal from a page read before someone answered is refused: the page shows the answer, keeps the reason and carries the new version', async () => {
    const priya = await signIn('priya');
    expect((await open(priya)).location).toBe('/decisions/D-1');
    const sam = await signIn('sam-lead');
    expect((await sam.get('/decisions/D-1')).html).toContain('<input type="hidden" name="version" value="1">');
    // jonas blocks after Sam loaded the page
    const jonas = await signIn('jonas');
    await jonas.get('/decisions/D-1');
    await jonas.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'Asia-Pacific members cannot attend',
      alternative: 'Alternate the time slots',
    });
    const stale = await sam.post('/decisions/D-1/withdraw', { version: '1', reason: 'A duplicate of D-3' });
    expect(stale.status).toBe(409);
    const page = text(stale.html);
    expect(page).toContain('D-1 was changed by someone else (you read version 1, it is now version 2)');
    // what changed is on the page, the reason typed is kept, and the form now carries the version shown
    expect(page).toContain('Asia-Pacific members cannot attend');
    expect(stale.html).toMatch(/name="reason"[^>]*value="A duplicate of D-3"|>A duplicate of D-3</);
    expect(stale.html).toContain('<input type="hidden" name="version" value="2">');
    expect((await getDecision(hub, 'D-1')).state.outcome).not.toBe('withdrawn');
    // sent again from that page, it is taken
    const done = await sam.post('/decisions/D-1/withdraw', { version: '2', reason: 'A duplicate of D-3' });
    expect(done.location).toBe('/decisions/D-1');
    expect((await getDecision(hub, 'D-1')).state.outcome).toBe('withdrawn');
  });

  it('whoever opened it or a lead extends the deadline from its page: errors linked to their fields, then the new deadline and why', async () => {
    const priya = await signIn('priya');
    expect((await open(priya)).location).toBe('/decisions/D-1');
    const jonas = await signIn('jonas');
    expect(text((await jonas.get('/decisions/D-1')).html)).not.toContain('Extend the deadline');
    const sam = await signIn('sam-lead');
    const form = (await sam.get('/decisions/D-1')).html;
    // offered where a facilitator looks for a way to close it, and as a form of its own
    expect(form).toMatch(/Nobody closes it by hand:[^<]*<a href="#extend">Extend the deadline<\/a>/);
    expect(form).toContain('<h2 id="extend">Extend the deadline</h2>');
    // more time as hours later, or as a new deadline on Sam's clock: neither is filled in for him
    expect(form).toMatch(/<input type="number" id="f-extend-hours" name="hours"[^>]* value="">/);
    expect(form).toMatch(/<input type="datetime-local" id="f-extend-deadline" name="deadline"[^>]* value="">/);
    const d = await getDecision(hub, 'D-1');
    const zone = (
      await hub.store.db
        .selectFrom('people')
        .select('time_zone')
        .where('handle', '=', 'sam-lead')
        .executeTakeFirstOrThrow()
    ).time_zone;
    const shown = instantToWallClock(d.deadline, zone);
    const dayLater = instantToWallClock(new Date(Date.parse(d.deadline) + 86_400_000).toISOString(), zone);
    const bad = await sam.post('/decisions/D-1/extend', { version: '1', hours: '', deadline: shown, reason: ' ' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#f-extend-deadline"');
    expect(bad.html).toContain('href="#f-extend-reason"');
    expect(bad.html).toMatch(
      /id="f-extend-deadline"[^>]*aria-describedby="f-extend-deadline-hint f-extend-deadline-error"[^>]*aria-invalid="true"/,
    );
    expect(text(bad.html)).toContain('New deadline: must be later than the current deadline');
    expect(text(bad.html)).toContain('Why it needs more time: must say why it is extended');
    // what was typed stays typed
    expect(bad.html).toContain(`value="${shown}"`);
    // hours and a deadline both: refused naming the hours, with both kept
    const both = await sam.post('/decisions/D-1/extend', {
      version: '1',
      hours: '24',
      deadline: dayLater,
      reason: 'Away',
    });
    expect(both.status).toBe(422);
    expect(text(both.html)).toContain('Extend by (hours): give either hours or a new deadline, not both');
    expect(both.html).toMatch(/id="f-extend-hours" name="hours"[^>]* value="24">/);
    expect(both.html).toContain(`value="${dayLater}"`);
    const tooMany = await sam.post('/decisions/D-1/extend', { version: '1', hours: '9999', reason: 'Away' });
    expect(text(tooMany.html)).toContain('Extend by (hours): must be at most 720 (30 days)');
    const done = await sam.post('/decisions/D-1/extend', {
      version: '1',
      deadline: dayLater,
      reason: 'Half the group was away at the summit',
    });
    expect(done.location).toBe('/decisions/D-1');
    const page = text((await sam.get('/decisions/D-1')).html);
    // in the viewer's zone, named (it gave the time alone)
    expect(page).toMatch(
      /D-1 now closes \w{3} \d+ \w{3} \d{4}, \d\d:\d\d \([\w/+-]+\)\. The members whose voice counts are told, with your reason\./,
    );
    expect(page).toMatch(/\(@sam-lead\) extended the deadline from .+ to .+ ?: Half the group was away at the summit/);
    // a copy of the page from before the extension is refused in words, not applied over it
    const stale = await sam.post('/decisions/D-1/extend', { version: '1', deadline: dayLater, reason: 'Again' });
    expect(stale.status).toBe(409);
    expect(text(stale.html)).toContain('D-1 was changed by someone else (you read version 1, it is now version 2)');
  });

  it('a concern carries a "yes, and" amendment; a response can be changed and withdrawn, and the timeline keeps each', async () => {
    await open(await signIn('sam-lead'));
    const priya = await signIn('priya');
    await priya.get('/decisions/D-1');
    await priya.post('/decisions/D-1/respond', { kind: 'concern', amendment: 'and add a section on retries' });
    expect(text((await priya.get('/decisions/D-1')).html)).toContain('Yes, and: and add a section on retries');
    await priya.post('/decisions/D-1/respond', { kind: 'consent' });
    let page = text((await priya.get('/decisions/D-1')).html);
    expect(page).toContain('consent 1 1');
    expect(page).toContain('concern 0 0');
    await priya.post('/decisions/D-1/response/withdraw', {});
    page = text((await priya.get('/decisions/D-1')).html);
    expect(page).toContain('No responses yet');
    expect(page).toContain('responded: concern');
    expect(page).toContain('responded: consent');
    expect(page).toContain('withdrew their response');
  });

  it('raw and organisation-weighted tallies, advisory voices, and the dominance warning', async () => {
    await setMemberLevel(hub, await asActor(hub, 'sam-lead'), 'hosting', 'jonas', { level: 'member' });
    // priya has a confirmed mail address, jonas none: the page says whom no notice can be mailed to
    await hub.store.db
      .updateTable('people')
      .set({ email: 'priya@example.org', confirmed_email: 'priya@example.org' })
      .where('handle', '=', 'priya')
      .execute();
    const sam = await signIn('sam-lead');
    await open(sam);
    await sam.post('/decisions/D-1/respond', { kind: 'consent' });
    const jonas = await signIn('jonas');
    await jonas.get('/decisions/D-1');
    await jonas.post('/decisions/D-1/respond', { kind: 'consent' });
    const amara = await signIn('amara');
    await amara.get('/decisions/D-1');
    await amara.post('/decisions/D-1/respond', { kind: 'consent' });
    const page = text((await amara.get('/decisions/D-1')).html);
    expect(page).toContain('consent 2 1');
    expect(page).toContain('Galactic Hosting Corporation 2 voices × 0.5');
    expect(page).toContain('Dominance warning: 2 of 2 voices come from Galactic Hosting Corporation');
    expect(page).toContain(
      'Advisory (shown, not counted: given by someone who was not an active member or lead of the group when they responded): Amara Diallo (@amara)',
    );
  });

  it('a lead asks for a vote, members vote, and the outcome says why; past the deadline silence is consent', async () => {
    const sam = await signIn('sam-lead');
    await open(sam);
    await open(sam, { question: 'Adopt the retry guidance as a working-group artifact?' });
    const priya = await signIn('priya');
    await priya.get('/decisions/D-1');
    expect((await priya.post('/decisions/D-1/respond', { kind: 'consent' })).status).toBe(303);
    // under lazy consensus Sam opened it and Priya consented: the facilitator reads that nobody is left
    expect(text((await sam.get('/decisions/D-1')).html)).toContain('Everyone whose answer counts has answered.');
    expect((await sam.post('/decisions/D-1/request-vote', { confirm: 'yes' })).status).toBe(303);
    let page = await sam.get('/decisions/D-1');
    expect(text(page.html)).toContain('formal vote');
    expect(page.html).toContain('action="/decisions/D-1/vote"');
    // in the vote, a consent given before it is no vote, and the lead who opened it has not voted either
    expect(text(page.html)).toMatch(
      /Not voted yet \(in a vote silence is not consent: only the votes cast count\): Priya Nair \(@priya[^)]*\), Sam Rivera \(@sam-lead[^)]*\) ?\./,
    );
    await sam.post('/decisions/D-1/vote', { choice: 'yes' });
    const inVote = text((await sam.get('/decisions/D-1')).html);
    expect(inVote).toMatch(/Not voted yet \([^)]+\): Priya Nair \(@priya[^)]*\) ?\./);
    // who was not told is listed as those whose vote counts: in a vote their silence counts for nothing
    expect(inVote).toMatch(/Members whose vote counts(,| and) who have not voted[^:]*: Priya Nair/);
    expect(inVote).not.toContain('Members whose silence counts');
    await priya.get('/decisions/D-1');
    const noChoice = await priya.post('/decisions/D-1/vote', {});
    expect(noChoice.status).toBe(422);
    expect(text(noChoice.html)).toContain('Your vote: choose one of the options');
    await priya.post('/decisions/D-1/vote', { choice: 'yes', rationale: 'tested' });
    page = await priya.get('/decisions/D-1');
    expect(text(page.html)).toContain('Everyone whose vote counts has voted.');
    expect(text(page.html)).toContain('yes 2 2');
    expect(text(page.html)).toContain('Quorum: 2 votes cast, 1 needed: met');
    // each vote by the voter's name, the handle beside it
    expect(text(page.html)).toMatch(/Priya Nair \(@priya\): yes \(Nebula Tools\)/);
    expect(text(page.html)).toMatch(/Sam Rivera \(@sam-lead\): yes/);
    // the group by its name, as people call it
    expect(page.html).toContain('· in <a href="/groups/hosting">Hosting</a>');
    // responses are closed once a vote is open
    expect(text(page.html)).toContain('Responses closed when the vote opened.');
    expect(text(page.html)).toContain("Nobody closes it by hand: at the vote's close the hub closes it");
    expect(page.html).not.toContain('action="/decisions/D-1/respond"');
    const late = await priya.post('/decisions/D-1/respond', { kind: 'consent' });
    expect(late.status).toBe(403);
    expect(text(late.html)).toContain('Responses closed when the vote opened');

    hub.clock.set('2026-11-10T09:00:00Z');
    const closed = text((await priya.get('/decisions/D-1')).html);
    expect(closed).toContain('adopted by vote');
    expect(closed).toContain('the vote passed: 2 yes, 0 no');
    expect(closed).not.toContain('Nobody closes it by hand');
    const silent = text((await priya.get('/decisions/D-2')).html);
    expect(silent).toContain('adopted by lazy consensus');
    expect(silent).toContain(
      'the silence of 1 member or lead was not counted, as they were not informed of it in time',
    );
    expect(silent).toContain('Responses closed at the deadline');
    // the hub's timer records the outcome: its entry names the hub, and links to nobody's page
    await closeDueDecisions(hub);
    const recorded = await priya.get('/decisions/D-2');
    expect(text(recorded.html)).toContain("the hub's deadline timer recorded: closed, adopted by lazy consensus");
    expect(recorded.html).not.toContain('href="/people/decisions"');
  });

  it('a proposal page lists the decisions open on it: where each stands, a link, and what the viewer may do', async () => {
    const { ref } = await createProposal(hub, await asActor(hub, 'sam-lead'), {
      group: 'hosting',
      title: 'Retry guidance for clients',
      problem: 'Clients retry differently when a gateway drops the connection.',
      layer: 'working-group-artifact',
    });
    const sam = await signIn('sam-lead');
    expect((await open(sam, { 'subject.type': 'proposal', 'subject.ref': ref })).status).toBe(303);
    // a visitor (one who came from a mail, say) reads that it is open, how it stands, and to sign in to answer
    const visitor = new WebClient(app);
    const seen = await visitor.get(`/proposals/${ref}`);
    expect(seen.html).toContain('<h2 id="open-decisions">Open decision on it</h2>');
    expect(seen.html).toContain('href="/decisions/D-1">D-1: Adopt the session affinity guide');
    expect(text(seen.html)).toContain('lazy consensus (silence is consent) Closes ');
    expect(text(seen.html)).toContain('Responses that count so far: consent 0, concern 0, block 0.');
    expect(seen.html).toContain(`href="/sign-in?next=${encodeURIComponent('/decisions/D-1')}">Sign in</a> to respond`);
    // a member is offered the answer, with its meaning
    const priya = await signIn('priya');
    const before = await priya.get(`/proposals/${ref}`);
    expect(before.html).toContain('href="/decisions/D-1#respond">Respond</a>');
    expect(text(before.html)).toContain('Silence counts as consent at the deadline.');
    await priya.get('/decisions/D-1');
    expect(
      (await priya.post('/decisions/D-1/respond', { kind: 'concern', amendment: 'Name the first delay' })).status,
    ).toBe(303);
    const after = await priya.get(`/proposals/${ref}`);
    expect(text(after.html)).toContain('Responses that count so far: consent 0, concern 1, block 0.');
    expect(text(after.html)).toContain('Your response: concern . Change it while responses are open.');
    // in a vote: the votes so far, and the vote it asks of her
    expect((await sam.post('/decisions/D-1/request-vote', { confirm: 'yes' })).status).toBe(303);
    const vote = await priya.get(`/proposals/${ref}`);
    expect(text(vote.html)).toContain('formal vote Closes ');
    expect(text(vote.html)).toContain('Votes that count so far: 0 yes, 0 no, 0 abstain.');
    expect(vote.html).toContain('href="/decisions/D-1#vote">Vote</a>');
    // REST and MCP carry the same, from the same use case
    const api = await (await app.request(`/api/proposals/${ref}`)).json();
    expect(api.openDecisions[0]).toMatchObject({
      ref: 'D-1',
      phase: 'vote',
      responses: { consent: 0, concern: 1, block: 0 },
      votes: { yes: 0, no: 0, abstain: 0 },
      yours: null,
      can: { vote: { allowed: false, remedy: 'sign-in' } },
    });
    // closed: the proposal no longer lists it
    await sam.post('/decisions/D-1/vote', { choice: 'yes' });
    hub.clock.set('2027-01-10T09:00:00Z');
    expect((await priya.get(`/proposals/${ref}`)).html).not.toContain('id="open-decisions"');
  });

  it('"waiting for my response" lists only the open decisions where my voice counts and I have not answered', async () => {
    const sam = await signIn('sam-lead');
    await open(sam);
    await open(sam, { question: 'Adopt the retry guidance as a working-group artifact?' });
    const priya = await signIn('priya');
    await priya.get('/decisions/D-1');
    await priya.post('/decisions/D-1/respond', { kind: 'consent' });
    const mine = text((await priya.get('/decisions?mine=1')).html);
    expect(mine).toContain('D-2');
    expect(mine).not.toMatch(/\bD-1\b/);
  });

  it('a standing block tells whoever runs the decision how to work through it, and nobody else', async () => {
    const sam = await signIn('sam-lead');
    await open(sam);
    expect(text((await sam.get('/decisions/D-1')).html)).not.toContain('Working through');
    const priya = await signIn('priya');
    await priya.get('/decisions/D-1');
    await priya.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'Untested behind envoy',
      alternative: 'Test behind envoy first',
    });
    const page = await sam.get('/decisions/D-1');
    const t = text(page.html);
    expect(t).toContain('Working through the block');
    expect(t).toContain(
      'The block gives its reason and an alternative, or what would resolve it, under Responses : talk it over with Priya Nair (@priya), in the group',
    );
    expect(t).toContain('add an agenda item about D-1 to one of the group');
    expect(t).toContain('they change their response here to consent or a concern, and the block no longer stands');
    expect(t).toContain('withdraw this decision and open a new one on it');
    expect(t).toContain(
      'The block still standing at the deadline opens a formal vote by itself: nobody has to close or overrule it.',
    );
    expect(page.html).toContain('href="/groups/hosting#group-meetings"');
    // the one who blocks reads the decision as before
    expect(text((await priya.get('/decisions/D-1')).html)).not.toContain('Working through');
    // resolved: her consent lifts it, and the advice goes
    await priya.post('/decisions/D-1/respond', { kind: 'consent' });
    expect(text((await sam.get('/decisions/D-1')).html)).not.toContain('Working through');
  });

  it('an escalated decision: a lead maintainer designates a core maintainer without a conflict, who gives binding guidance', async () => {
    hub.reactions.push(notificationsReaction({ mail: false }));
    const sam = await signIn('sam-lead');
    await open(sam);
    const priya = await signIn('priya');
    await priya.get('/decisions/D-1');
    await priya.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'Untested',
      alternative: 'Test behind envoy first',
    });
    await sam.get('/decisions/D-1');
    await sam.post('/decisions/D-1/request-vote', { confirm: 'yes' });
    hub.clock.set('2026-11-10T09:00:00Z');
    const t = text((await priya.get('/decisions/D-1')).html);
    expect(t).toContain('escalated to the core maintainers');
    expect(t).toContain(
      'Candidates sharing no organisation with the parties: Inês Moreira (@ines-core); not eligible: Kai Tanaka (@kai-core, shares Nebula Tools).',
    );
    expect((await priya.post('/decisions/D-1/designate', { designee: 'ines-core' })).status).toBe(403);
    await closeDueDecisions(hub);
    const lena = await signIn('lena-core');
    // her home lists it until someone is named: it waits on those who may name its resolver
    expect(text((await lena.get('/')).html)).toMatch(
      /Escalated, with nobody named to resolve it yet: name the core maintainer who does, on its page\. D-1: Adopt the session affinity guide [^(]+\(Hosting\), initial response due /,
    );
    // the candidates by name, none chosen for her: pressing on without choosing designates nobody
    const form = (await lena.get('/decisions/D-1')).html;
    expect(form).toMatch(
      /<input type="radio" id="[^"]+" name="designee" value="ines-core"><label [^>]+>Inês Moreira \(@ines-core\)</,
    );
    const none = await lena.post('/decisions/D-1/designate', {});
    expect(none.status).toBe(422);
    expect(text(none.html)).toContain('Designate the core maintainer who resolves it: choose one of the options');
    expect(text(none.html)).toContain('No core maintainer designated yet.');
    const conflicted = await lena.post('/decisions/D-1/designate', { designee: 'kai-core' });
    expect(conflicted.status).toBe(422);
    expect(text(conflicted.html)).toContain(
      'Designate the core maintainer who resolves it: kai-core shares an organisation with the parties (Nebula Tools)',
    );
    expect((await lena.post('/decisions/D-1/designate', { designee: 'ines-core' })).status).toBe(303);
    expect(text((await lena.get('/')).html)).not.toContain('Escalated, with nobody named');
    const designated = text((await lena.get('/decisions/D-1')).html);
    // who resolves it and who named them, by name with the handle beside it
    expect(designated).toContain('Designated to resolve it: Inês Moreira (@ines-core).');
    // where it stands names her too, not by handle alone
    expect(designated).toContain('Inês Moreira (@ines-core) is designated to resolve it; initial response due');
    expect(designated).toMatch(/Lena [^(]*\(@lena-core\) named Inês Moreira \(@ines-core\) to resolve the escalation/);
    const ines = await signIn('ines-core');
    // the one named is told so in their inbox, with who named them: it is theirs to resolve now
    expect(text((await ines.get('/inbox')).html)).toContain(
      'D-1: Lena Okafor (@lena-core) named you to resolve its escalation; give your guidance on its page: Adopt the session affinity guide',
    );
    // and her home lists it among what needs her, with when her first response is due
    expect(text((await ines.get('/')).html)).toMatch(
      /Escalated to you to resolve: give your guidance on its page\. D-1: Adopt the session affinity guide [^(]+\(Hosting\), initial response due /,
    );
    await ines.get('/decisions/D-1');
    const vague = await ines.post('/decisions/D-1/guidance', { kind: 'binding', guidance: 'ok' });
    expect(text(vague.html)).toContain('Guidance: must say what the guidance is (at least 5 characters)');
    expect(
      (await ines.post('/decisions/D-1/guidance', { kind: 'binding', guidance: 'Adopt it once tested behind envoy.' }))
        .status,
    ).toBe(303);
    const done = text((await ines.get('/decisions/D-1')).html);
    expect(done).toContain('resolved by escalation');
    expect(done).toContain('Inês Moreira (@ines-core) gave binding guidance: Adopt it once tested behind envoy.');
    expect(text((await ines.get('/')).html)).not.toContain('Escalated to you to resolve');
  });
});
