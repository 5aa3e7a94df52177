// The inbox, preferences and unsubscribe pages: a mention shows with an unread count in the
// navigation, marking it read clears it, a bad quiet hour names the field, the watch control
// mutes a group, a topic area's card on its group page has its own control, and the unsubscribe link works signed out (including a provider's one-click POST).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markAddressFailing } from '../../src/app/notifications/mail.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { findToken, mailToken } from '../../src/app/notifications/tokens.ts';
import { listSubscriptions, setSubscription } from '../../src/app/notifications/subscriptions.ts';
import { openDecision, requestVote, respondToDecision } from '../../src/app/decisions/decisions.ts';
import { setMemberLevel } from '../../src/app/groups/groups.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { markWrittenInput, submitWrittenInput } from '../../src/app/meetings/agenda.ts';
import { getMeeting } from '../../src/app/meetings/meetings.ts';
import { addActionItem } from '../../src/app/meetings/outcomes.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { countQueries } from '../support/queries.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 30 };

describe.each(databases)('notification pages on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;

  beforeEach(async () => {
    hub = await openDemoHub(database);
    hub.reactions.push(notificationsReaction({ mail: false }));
    app = createHttpApp(hub, undefined, { web: demo });
    await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'Shared session store',
      problem: 'Servers behind a load balancer lose sessions when a node restarts.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
  });
  afterEach(async () => hub?.close());

  it('a mention shows in the inbox with an unread count in the navigation; marking it read clears the count', async () => {
    await addComment(hub, await asActor(hub, 'sam-lead'), 'P-1', { body: 'What does @jonas think?' });
    const jonas = await signInAs(app, 'jonas');
    const home = await jonas.get('/inbox');
    // on the inbox itself its link is marked as the page you are on, as the main navigation's are
    expect(home.html).toMatch(
      /<a href="\/inbox" class="inbox-link" aria-current="page">Inbox <span class="badge" aria-label="1 unread">1<\/span><\/a>/,
    );
    expect((await jonas.get('/')).html).toMatch(
      /<a href="\/inbox" class="inbox-link">Inbox <span class="badge" aria-label="1 unread">1<\/span><\/a>/,
    );
    expect(pageText(home.html)).toContain('Sam Rivera (@sam-lead) commented on P-1: Shared session store');
    // each notice says why it reached its reader, and how to hear less
    expect(pageText(home.html)).toMatch(/mention · told because you were mentioned/);
    expect(pageText(home.html)).toContain('Each notice says why it reached you');
    // each notice's button names the notice, so a screen reader's list of buttons is not "Mark read" again and
    // again; it is a quiet (secondary) button, so the page's one loud one is "Mark all read"
    expect(home.html).toMatch(
      /<button type="submit" class="secondary" aria-label="Mark read: Sam Rivera \(@sam-lead\) commented on P-1: Shared session store">Mark read<\/button>/,
    );
    const marked = await jonas.post('/inbox/read', {});
    expect(marked.location).toBe('/inbox');
    const after = await jonas.get('/inbox');
    expect(after.html).not.toContain('aria-label="1 unread"');
    expect(pageText(after.html)).toContain('Marked read.');
    // everything is read now: no "Mark all read" button that would do nothing
    expect(home.html).toContain('>Mark all read</button>');
    expect(after.html).not.toContain('Mark all read');
  });

  it("two blocks on one decision both stand in the opener's inbox, not folded behind the latest", async () => {
    // they folded into one notice keeping the latest title ("D-1 blocked by Jonas (2 updates)"), so the
    // opener never read that Priya's block, which still stood, was there at all
    const sam = await asActor(hub, 'sam-lead');
    await setMemberLevel(hub, sam, 'hosting', 'jonas', { level: 'member' });
    await openDecision(hub, sam, {
      group: 'hosting',
      question: 'Adopt the sticky sessions guide?',
      subject: { type: 'process' },
      significance: 'minor',
      matter: 'routine',
    });
    const block = { kind: 'block', reason: 'Sticky sessions break failover.', alternative: 'A stateless option.' };
    await respondToDecision(hub, await asActor(hub, 'priya'), 'D-1', block);
    await respondToDecision(hub, await asActor(hub, 'jonas'), 'D-1', block);
    const inbox = pageText((await (await signInAs(app, 'sam-lead')).get('/inbox')).html);
    expect(inbox).toMatch(/D-1 blocked by Priya [^(]*\(@priya\): Adopt the sticky sessions guide\?/);
    expect(inbox).toMatch(/D-1 blocked by Jonas [^(]*\(@jonas\): Adopt the sticky sessions guide\?/);
    expect(inbox).not.toContain('2 updates');
  });

  it("a participant's home lists their group's decision while it is in a vote, with the vote's close", async () => {
    // it listed advisory decisions only under lazy consensus: once a vote opened, the decision left
    // the home page though the inbox had just said "D-1 goes to a vote"
    const sam = await asActor(hub, 'sam-lead');
    await openDecision(hub, sam, {
      group: 'hosting',
      question: 'Adopt the sticky sessions guide?',
      subject: { type: 'process' },
      significance: 'minor',
      matter: 'routine',
    });
    const jonas = await signInAs(app, 'jonas');
    expect(pageText((await jonas.get('/')).html)).toMatch(
      /D-1: Adopt the sticky sessions guide\? \(Hosting\), closes in/,
    );
    await requestVote(hub, sam, 'D-1');
    expect(pageText((await jonas.get('/inbox')).html)).toContain(
      'D-1 goes to a vote: Adopt the sticky sessions guide?',
    );
    const home = pageText((await jonas.get('/')).html);
    expect(home).toMatch(/D-1: Adopt the sticky sessions guide\? \(Hosting\), in a vote that closes in/);
  });

  it("an observer's empty inbox does not promise news of decisions, and points to the home page that lists them", async () => {
    // it said "You are told here when a decision opens in your group" to an observer, who is not
    // told: back after two weeks, an empty inbox read as nothing to answer while a decision was open
    await openDecision(hub, await asActor(hub, 'sam-lead'), {
      group: 'hosting',
      question: 'Adopt the sticky sessions guide?',
      subject: { type: 'process' },
      significance: 'minor',
      matter: 'routine',
    });
    const amara = await signInAs(app, 'amara');
    const inbox = await amara.get('/inbox');
    const text = pageText(inbox.html);
    expect(text).toContain('Nothing here yet.');
    expect(text).not.toContain('You are told here when a decision opens in your group');
    expect(text).toContain('(an observer is not told: watch the group from its page to be)');
    expect(inbox.html).toContain('are on <a href="/">your home page</a>');
    expect(pageText((await amara.get('/')).html)).toContain(
      'D-1: Adopt the sticky sessions guide? (Hosting), closes in',
    );
  });

  it('an action item given to me and the outcome of my written input show in my inbox, linking to where they are', async () => {
    const sam = await asActor(hub, 'sam-lead');
    await addActionItem(hub, sam, 'M-1', {
      owner: 'jonas',
      description: 'Collect the gateway traces',
      due: '2026-11-20',
    });
    await submitWrittenInput(hub, await asActor(hub, 'amara'), 'M-2', {
      item: 1,
      body: 'I cannot attend; see my traces.',
    });
    const input = (await getMeeting(hub, 'M-2')).agenda.items[0]!.writtenInput[0]!.id;
    hub.clock.set('2026-11-20T09:00:00Z'); // after M-2 has met
    await markWrittenInput(hub, sam, 'M-2', input, { presented: false, note: 'We ran out of time.' });

    const jonas = await signInAs(app, 'jonas');
    const mine = await jonas.get('/inbox');
    expect(pageText(mine.html)).toContain(
      'Sam Rivera (@sam-lead) gave you an action item from M-1 (Hosting WG coordination, Hosting): Collect the gateway traces',
    );
    expect(pageText(mine.html)).toContain(
      'Due 2026-11-20; mark it done from your home page, or the meeting’s, once it is',
    );
    expect(pageText(mine.html)).toMatch(/action assigned · told because you own an action item of this meeting/);
    expect(mine.html).toContain('<a href="/meetings/M-1#actions">Sam Rivera (@sam-lead) gave you an action item');

    const amara = await signInAs(app, 'amara');
    const hers = await amara.get('/inbox');
    expect(pageText(hers.html)).toMatch(
      /Sam Rivera \(@sam-lead\) marked your written input not presented at M-2 \(Horizontal scaling deep-dive: sticky sessions, Hosting\), item 1: Deep-dive: session affinity behind load balancers/,
    );
    expect(pageText(hers.html)).toContain('Why: “We ran out of time.”');
    expect(pageText(hers.html)).toMatch(/written input outcome · told because you sent this written input/);
    expect(hers.html).toContain('<a href="/meetings/M-2#agenda">');
  });

  it('preferences: a bad quiet hour names the field and keeps what was stored; a good one is saved', async () => {
    const priya = await signInAs(app, 'priya');
    // no quiet hours yet: the page says so, and no greyed example looks like a setting
    const before = (await priya.get('/me/notifications')).html;
    expect(pageText(before)).toContain('None set now.');
    expect(before).not.toContain('placeholder="22:00"');
    const bad = await priya.post('/me/notifications', {
      immediate: 'true',
      digest: 'weekly',
      digestHour: '7',
      digestWeekday: '5',
      quietStart: '25:00',
      quietEnd: '07:00',
    });
    expect(bad.status).toBe(422);
    // the summary names the field by its label on the form, not by the key the use case reports
    expect(pageText(bad.html)).toContain('Quiet from: must be a time of day as HH:MM (24-hour), such as 22:00');
    expect(pageText(bad.html)).not.toContain('quietStart:');
    expect(bad.html).toContain('href="#f-quietStart"');
    expect(bad.html).toMatch(/id="f-quietStart"[^>]*aria-invalid="true"/);
    const good = await priya.post('/me/notifications', {
      digest: 'weekly',
      digestHour: '7',
      digestWeekday: '5',
      quietStart: '22:00',
      quietEnd: '07:00',
    });
    expect(good.location).toBe('/me/notifications');
    const page = (await priya.get('/me/notifications')).html;
    expect(page).toContain('<option value="weekly" selected>');
    expect(page).toContain('value="22:00"');
    expect(page).not.toMatch(/id="f-immediate" name="immediate" value="true" checked/);
    expect(pageText(page)).toContain('Now from 22:00 until 07:00, your time.');
  });

  it('preferences: quiet hours with only a start, or ending where they start, are refused naming the field, not saved as none (fuzz round 6)', async () => {
    const jonas = await signInAs(app, 'jonas');
    const form = { digest: 'daily', digestHour: '8', digestWeekday: '1' };
    await jonas.get('/me/notifications');
    expect((await jonas.post('/me/notifications', { ...form, quietStart: '23:00', quietEnd: '06:00' })).location).toBe(
      '/me/notifications',
    );
    // 'Quiet from 22:00' with the end left empty was 'Saved', and the page then read 'None set now.'
    const half = await jonas.post('/me/notifications', { ...form, quietStart: '22:00', quietEnd: '' });
    expect(half.status).toBe(422);
    expect(pageText(half.html)).toContain(
      'Quiet until: must be given with the other end of the quiet hours (leave both empty for none)',
    );
    const empty = await jonas.post('/me/notifications', { ...form, quietStart: '22:00', quietEnd: '22:00' });
    expect(empty.status).toBe(422);
    expect(pageText(empty.html)).toContain('Quiet until: must differ from the start');
    // what was stored stands
    expect(pageText((await jonas.get('/me/notifications')).html)).toContain('Now from 23:00 until 06:00, your time.');
    // both empty still turns them off
    expect((await jonas.post('/me/notifications', { ...form, quietStart: '', quietEnd: '' })).location).toBe(
      '/me/notifications',
    );
    expect(pageText((await jonas.get('/me/notifications')).html)).toContain('None set now.');
  });

  it('preferences: a digest hour or weekday that is not written in digits (empty, 0x1, 1e1) is refused naming it, not saved as the number Number() made of it (fuzz round 15)', async () => {
    const jonas = await signInAs(app, 'jonas');
    const form = { digest: 'daily', digestHour: '8', digestWeekday: '3' };
    await jonas.get('/me/notifications');
    expect((await jonas.post('/me/notifications', form)).location).toBe('/me/notifications');
    for (const [field, value, label] of [
      ['digestHour', '', 'Digest sent at'],
      ['digestHour', '1e1', 'Digest sent at'],
      ['digestWeekday', '0x1', 'Weekly digest on'],
    ] as const) {
      const r = await jonas.post('/me/notifications', { ...form, [field]: value });
      expect(r.status, `${field}=${value}`).toBe(422);
      expect(pageText(r.html)).toMatch(new RegExp(`${label}( \\([^)]*\\))?: must be`));
    }
    // what was stored stands: 08:00 on Wednesdays, not midnight
    const page = (await jonas.get('/me/notifications')).html;
    expect(page).toMatch(/<option value="8" selected>/);
    expect(page).toMatch(/<option value="3" selected>/);
  });

  it('"Stop all my reply addresses" on the preferences page revokes the ones in mail already sent', async () => {
    const jonas = await asActor(hub, 'jonas');
    const id = (jonas as { person: { id: string } }).person.id;
    const reply = await mailToken(hub, 'reply', { id, epoch: 0 }, { type: 'proposal', ref: 'P-1' }, 'n-1');
    const client = await signInAs(app, 'jonas');
    expect(pageText((await client.get('/me/notifications')).html)).toContain('Stop all my reply addresses');
    const res = await client.post('/me/reply-addresses/revoke', {});
    expect(res.location).toBe('/me/notifications');
    expect(pageText((await client.get('/me/notifications')).html)).toContain(
      'Stopped 1 reply address: replies to earlier mail are refused.',
    );
    expect(await findToken(hub.store.db, 'reply', reply)).toMatchObject({ revoked_at: expect.any(String) });
  });

  it('an address the mail server refused is shown to its owner as failing, with the reason', async () => {
    await hub.store.db
      .updateTable('people')
      .set({ email: 'priya@example.org', confirmed_email: 'priya@example.org' })
      .where('handle', '=', 'priya')
      .execute();
    const priya = await signInAs(app, 'priya');
    expect(pageText((await priya.get('/me/notifications')).html)).toContain(
      'Mail goes to your confirmed address priya@example.org; change it in your profile',
    );
    await markAddressFailing(hub, 'priya@example.org', '550 5.1.1 mailbox unavailable');
    expect(pageText((await priya.get('/me/notifications')).html)).toMatch(
      /Mail to your address is failing \(550 5\.1\.1 mailbox unavailable\) since .*: you are told only here until it works again, or give another address in your profile/,
    );
  });

  it('the watch control on a group page mutes the group for me', async () => {
    const jonas = await signInAs(app, 'jonas');
    await jonas.get('/groups/hosting');
    const res = await jonas.post('/subscriptions', {
      subjectType: 'group',
      subjectRef: 'hosting',
      level: 'muted',
      next: '/groups/hosting',
    });
    expect(res.location).toBe('/groups/hosting');
    expect((await jonas.get('/groups/hosting')).html).toContain('<option value="muted" selected>');
    expect((await listSubscriptions(hub, await asActor(hub, 'jonas'))).items.map(({ can: _, ...s }) => s)).toEqual([
      { subjectType: 'group', subjectRef: 'hosting', level: 'muted' },
    ]);
  });

  it("a decision's watch control shows the level saved for it, so saving the form as shown keeps a mute", async () => {
    // the control read D-3 as d-3 (folded as a group's slug is) while D-3 was stored: it showed Normal
    const d = await openDecision(hub, await asActor(hub, 'sam-lead'), {
      group: 'hosting',
      question: 'Adopt the shared session store?',
      description: 'As proposed after the May incident.',
      subject: { type: 'process' },
      significance: 'minor',
      matter: 'routine',
    });
    const jonas = await signInAs(app, 'jonas');
    await jonas.get(`/decisions/${d.ref}`);
    const res = await jonas.post('/subscriptions', {
      subjectType: 'decision',
      subjectRef: d.ref.toLowerCase(),
      level: 'muted',
      next: `/decisions/${d.ref}`,
    });
    expect(res.location).toBe(`/decisions/${d.ref}`);
    const page = (await jonas.get(`/decisions/${d.ref}`)).html;
    expect(page).toContain('<option value="muted" selected>');
    expect(page).not.toContain('<option value="normal" selected>');
    expect((await listSubscriptions(hub, await asActor(hub, 'jonas'))).items.map(({ can: _, ...s }) => s)).toEqual([
      { subjectType: 'decision', subjectRef: d.ref, level: 'muted' },
    ]);
  });

  it('a newcomer reaches the preferences from their own page, and they list what they hear from each of their groups, with where to change it', async () => {
    // the preferences spoke only of mail and digests: how much one hears of a group is chosen on its
    // page, which a newcomer looking here, or on their own page, never learnt
    const jonas = await signInAs(app, 'jonas');
    expect((await jonas.get('/people/jonas')).html).toContain(
      '<a href="/me/notifications">Choose what you are told and how</a>',
    );
    await jonas.get('/groups/hosting');
    await jonas.post('/subscriptions', {
      subjectType: 'proposal',
      subjectRef: 'P-1',
      level: 'watching',
      next: '/proposals/P-1',
    });
    const prefs = await jonas.get('/me/notifications');
    expect(pageText(prefs.html)).toContain(
      'How much you hear of a group, a topic area, a proposal or a decision is chosen on its own page, under Notifications:',
    );
    expect(pageText(prefs.html)).toContain('Hosting (participant): Normal: tell me what concerns me');
    expect(prefs.html).toContain('<a href="/groups/hosting">Hosting</a>');
    expect(pageText(prefs.html)).toContain('proposal P-1 : Watching: tell me about everything here');
    await jonas.post('/subscriptions', {
      subjectType: 'group',
      subjectRef: 'hosting',
      level: 'muted',
      next: '/groups/hosting',
    });
    expect(pageText((await jonas.get('/me/notifications')).html)).toContain(
      'Hosting (participant): Muted: only mentions and replies to me',
    );
  });

  it('the preferences read the names of the other choices at once, not once per choice (review: N+1)', async () => {
    const jonas = await signInAs(app, 'jonas');
    const actor = await asActor(hub, 'jonas');
    const watch = (subjectType: string, subjectRef: string) =>
      setSubscription(hub, actor, { subjectType, subjectRef, level: 'watching' });
    await watch('group', 'security');
    await watch('topic', 'hosting/horizontal-scaling');
    const queries = countQueries(hub);
    const one = pageText((await jonas.get('/me/notifications')).html);
    expect(one).toContain('Security (a group) : Watching');
    expect(one).toContain('Horizontal scaling (a topic area) : Watching');
    const few = queries.count;
    await watch('group', 'observability');
    await watch('topic', 'security/tool-poisoning');
    queries.reset();
    const two = pageText((await jonas.get('/me/notifications')).html);
    expect(two).toContain('Observability (a group) : Watching');
    expect(two).toContain('Tool poisoning (a topic area) : Watching');
    expect(queries.count).toBe(few);
  });

  it('a refused preferences form shows a digest hour typed as 07 at 07:00, not 00:00', async () => {
    const priya = await signInAs(app, 'priya');
    await priya.get('/me/notifications');
    const bad = await priya.post('/me/notifications', {
      digest: 'weekly',
      digestHour: '07',
      digestWeekday: '05',
      quietStart: '25:00',
      quietEnd: '07:00',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('<option value="7" selected>07:00</option>');
    expect(bad.html).toContain('<option value="5" selected>Friday</option>');
  });

  it('the groups one hears from show emeritus standing as the person page does', async () => {
    // "Hosting (member)" here while their person page said "Hosting (member, emeritus)"
    const priya = await signInAs(app, 'priya');
    expect(pageText((await priya.get('/me/notifications')).html)).toContain('Hosting (member): Normal');
    const person = await hub.store.db
      .selectFrom('people')
      .select('id')
      .where('handle', '=', 'priya')
      .executeTakeFirstOrThrow();
    await hub.store.db.updateTable('group_members').set({ emeritus: 1 }).where('person_id', '=', person.id).execute();
    expect(pageText((await priya.get('/people/priya')).html)).toContain('Hosting (member, emeritus)');
    expect(pageText((await priya.get('/me/notifications')).html)).toContain('Hosting (member, emeritus): Normal');
  });

  it("each watch control's button names what it saves, so a group's and a topic area's are told apart when heard", async () => {
    const jonas = await signInAs(app, 'jonas');
    const page = (await jonas.get('/groups/hosting')).html;
    expect(page).toContain('<button type="submit">Save<span class="visually-hidden"> notifications</span></button>');
    expect(page).toContain(
      '<button type="submit">Save<span class="visually-hidden"> notifications about Horizontal scaling</span></button>',
    );
  });

  it('the Notifications control comes after what the group, proposal or decision is, never before it', async () => {
    const p = await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'Sticky sessions guide',
      problem: 'Operators pin sessions to one node and lose them on restart.',
      examples: ['Hosting WG incident in June'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    const d = await openDecision(hub, await asActor(hub, 'sam-lead'), {
      group: 'hosting',
      question: 'Adopt the sticky sessions guide?',
      description: 'The guide as it stands after the May incident.',
      subject: { type: 'process' },
      significance: 'minor',
      matter: 'routine',
    });
    const jonas = await signInAs(app, 'jonas');
    const order = async (path: string, control: string, before: string) => {
      const page = (await jonas.get(path)).html;
      expect(page.indexOf(before), `${path}: ${before}`).toBeGreaterThan(-1);
      expect(page.indexOf(control), `${path}: ${control}`).toBeGreaterThan(page.indexOf(before));
    };
    // the group's mission, the proposal's authors and stage, the decision's description come first
    await order('/groups/hosting', 'id="subscription-group-hosting"', '<div class="markdown">');
    await order(`/proposals/${p.ref}`, `id="subscription-proposal-${p.ref.toLowerCase()}"`, '<p>By ');
    await order(
      `/decisions/${d.ref}`,
      `id="subscription-decision-${d.ref.toLowerCase()}"`,
      'The guide as it stands after the May incident.',
    );
  });

  it('each topic area card on the group page has its own watch control; one POST makes me watch the topic area', async () => {
    const jonas = await signInAs(app, 'jonas');
    const before = (await jonas.get('/groups/hosting')).html;
    expect(before).toMatch(
      /<label for="subscription-topic-hosting-horizontal-scaling">Notifications about [^<]+<\/label>/,
    );
    const res = await jonas.post('/subscriptions', {
      subjectType: 'topic',
      subjectRef: 'hosting/horizontal-scaling',
      level: 'watching',
      next: '/groups/hosting',
    });
    expect(res.location).toBe('/groups/hosting');
    const after = await jonas.get('/groups/hosting');
    // named as the page names it, not by its key (hosting/horizontal-scaling)
    expect(pageText(after.html)).toContain(
      'Horizontal scaling (a topic area): Watching: tell me about everything here.',
    );
    const topicSelect = after.html.match(
      /<select id="subscription-topic-hosting-horizontal-scaling"[\s\S]*?<\/select>/,
    )?.[0];
    expect(topicSelect).toContain('<option value="watching" selected>');
    // the group's own control is untouched: watching one topic area is not watching the group
    const groupSelect = after.html.match(/<select id="subscription-group-hosting"[\s\S]*?<\/select>/)?.[0];
    expect(groupSelect).toContain('<option value="watching">');
    expect(groupSelect).not.toContain('<option value="watching" selected>');
    expect((await listSubscriptions(hub, await asActor(hub, 'jonas'))).items.map(({ can: _, ...s }) => s)).toEqual([
      { subjectType: 'topic', subjectRef: 'hosting/horizontal-scaling', level: 'watching' },
    ]);
  });

  it('the unsubscribe link works signed out, and a provider’s one-click POST needs no cookie or form token', async () => {
    const jonas = await asActor(hub, 'jonas');
    const token = await mailToken(
      hub,
      'unsubscribe',
      { id: (jonas as { person: { id: string } }).person.id, epoch: 0 },
      {
        type: 'proposal',
        ref: 'P-1',
      },
    );
    const page = await app.request(`http://localhost/unsubscribe/${token}`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(pageText(await page.text())).toContain('No sign-in is needed');
    const oneClick = await app.request(`http://localhost/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(pageText(await oneClick.text())).toContain('You will get no more mail about P-1');
    expect((await listSubscriptions(hub, jonas)).items.map(({ can: _, ...s }) => s)).toEqual([
      { subjectType: 'proposal', subjectRef: 'P-1', level: 'muted' },
    ]);
    const forged = await app.request(`http://localhost/unsubscribe/${'f'.repeat(32)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(forged.status).toBe(404);
  });
});
