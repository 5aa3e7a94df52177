// "Since your last visit" is when the person last looked at their home, on any device, not when their
// previous web session started (app/home/last-visit.ts). Found: signing in on the phone after the
// laptop made "last visit" a few minutes ago and emptied "Decided since your last visit" though she had
// read none of it, and a session started two weeks ago and used every day said "two weeks ago". Over
// HTTP on both databases: two devices, a reload, a long session, "Mark as seen", and REST's `since`
// left the caller's own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { getDecision, openDecision, requestVote } from '../../src/app/decisions/decisions.ts';
import { homeViewed, lastVisitAt, VISIT_GAP_MINUTES } from '../../src/app/home/last-visit.ts';
import { personRow } from '../../src/app/people/people.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import type { TestHub } from '../support/hub.ts';
import { hostingGroupWithMail } from '../support/notifications.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 * 30 };
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the rule: home views less than VISIT_GAP_MINUTES apart are one visit', () => {
  const seen = '2026-03-02T12:00:00.000Z';
  const since = '2026-02-20T08:00:00.000Z';
  const at = (ms: number) => new Date(new Date(seen).getTime() + ms);
  it('a first home compares with nothing', () => expect(lastVisitAt(null, at(0))).toBeNull());
  it('a reload, or another device, within the gap keeps what the visit compares with', () => {
    expect(lastVisitAt({ seen_at: seen, since }, at(5 * MIN))).toBe(since);
    expect(lastVisitAt({ seen_at: seen, since }, at(VISIT_GAP_MINUTES * MIN))).toBe(since);
  });
  it('past the gap, a new visit compares with the last home view of the one before', () => {
    expect(lastVisitAt({ seen_at: seen, since }, at(VISIT_GAP_MINUTES * MIN + 1))).toBe(seen);
    expect(lastVisitAt({ seen_at: seen, since: null }, at(3 * HOUR))).toBe(seen);
  });
});

describe.each(databases)('since your last visit on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  beforeEach(async () => {
    ({ hub, lead } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  const later = (ms: number) => hub.clock.set(new Date(hub.clock.now().getTime() + ms).toISOString());
  const client = () => new WebClient(createHttpApp(hub, undefined, { web: demo }));
  async function signedIn(handle: string): Promise<WebClient> {
    const w = client();
    await w.get('/sign-in');
    expect((await w.post('/sign-in/demo', { handle })).status).toBe(303);
    return w;
  }
  const home = async (w: WebClient) => pageText((await w.get('/')).html);
  const decided = (text: string) => /Decided since your last visit/.test(text);
  const opened = (question: string) =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });

  it('a member who signs in on a second device still reads what was decided since she last looked', async () => {
    const laptop = await signedIn('ana');
    const first = await home(laptop);
    expect(first).not.toContain('Your last visit');
    const d = await opened('Rotate the note-taker each meeting?');
    hub.clock.set(new Date(new Date(d.deadline).getTime() + 2 * HOUR).toISOString());
    // two weeks on (the laptop's session still live), she picks up her phone first
    later(14 * 24 * HOUR);
    const phone = await signedIn('ana');
    const onPhone = await home(phone);
    expect(decided(onPhone)).toBe(true);
    expect(onPhone).toContain(`${d.ref}: Rotate the note-taker each meeting? (Hosting)`);
    expect(onPhone).toContain('Your last visit: ');
    // a reload, and then the laptop a few minutes later: the same visit, the same list
    later(2 * MIN);
    expect(decided(await home(phone))).toBe(true);
    later(5 * MIN);
    const onLaptop = await home(laptop);
    expect(decided(onLaptop)).toBe(true);
    expect(onLaptop).toContain(`${d.ref}: Rotate the note-taker each meeting?`);
    // signing out and in again at once starts no new visit either
    expect((await phone.post('/sign-out', {})).status).toBe(303);
    const again = await signedIn('ana');
    expect(decided(await home(again))).toBe(true);
    // back the next day: she saw it yesterday, so it is not news
    later(20 * HOUR);
    expect(decided(await home(laptop))).toBe(false);
  });

  it('a session started two weeks ago and used every day compares with the day before, not with its start', async () => {
    const w = await signedIn('ana');
    await home(w);
    later(13 * 24 * HOUR);
    await home(w);
    const yesterday = hub.clock.now().toISOString();
    later(24 * HOUR);
    const row = await hub.store.db
      .selectFrom('home_visits')
      .selectAll()
      .where('person_id', '=', (await personRow(hub.store.db, 'ana')).id)
      .executeTakeFirstOrThrow();
    expect(row.seen_at).toBe(yesterday);
    const d = await opened('Move the coordination call to Thursdays?');
    hub.clock.set(new Date(new Date(d.deadline).getTime() + HOUR).toISOString());
    const text = await home(w);
    expect(text).toContain(`${d.ref}: Move the coordination call to Thursdays?`);
    const after = await hub.store.db
      .selectFrom('home_visits')
      .selectAll()
      .where('person_id', '=', row.person_id)
      .executeTakeFirstOrThrow();
    // this visit compares with the last home of the visit before: the one a day and more ago
    expect(after.since).toBe(yesterday);
    expect(after.seen_at).toBe(hub.clock.now().toISOString());
  });

  it('"Mark as seen" empties the lists now, not at the next visit; it shows only when something is new', async () => {
    const w = await signedIn('ana');
    expect((await w.get('/')).html).not.toContain('Mark as seen');
    const d = await opened('Publish the hosting FAQ?');
    hub.clock.set(new Date(new Date(d.deadline).getTime() + HOUR).toISOString());
    const before = (await w.get('/')).html;
    expect(pageText(before)).toContain('Decided since your last visit');
    expect(before).toContain('Mark as seen');
    const res = await w.post('/home/seen', {});
    expect(res.status).toBe(303);
    expect(res.location).toBe('/');
    const after = (await w.get('/')).html;
    expect(pageText(after)).toContain('Marked as seen');
    expect(pageText(after)).not.toContain('Decided since your last visit');
    expect(after).not.toContain('Mark as seen');
    // a visitor's press changes nothing
    const visitor = client();
    await visitor.get('/sign-in');
    expect((await visitor.post('/home/seen', {})).location).toBe('/welcome');
  });

  it('a view read before "Mark as seen" on another device does not undo the mark; a HEAD or a prefetch is no look', async () => {
    const w = await signedIn('ana');
    await w.get('/');
    const d = await opened('Publish the hosting FAQ?');
    hub.clock.set(new Date(new Date(d.deadline).getTime() + HOUR).toISOString());
    const ana = await personRow(hub.store.db, 'ana');
    const marker = () =>
      hub.store.db
        .selectFrom('home_visits')
        .select(['since', 'seen_at'])
        .where('person_id', '=', ana.id)
        .executeTakeFirstOrThrow();
    const { since: readOnThePhone } = await marker();
    await w.post('/home/seen', {});
    const marked = (await marker()).since;
    // the phone's view, drawn from its read before the mark, writes what it read
    await homeViewed(hub, ana.id, readOnThePhone);
    expect((await marker()).since).toBe(marked);
    expect(pageText((await w.get('/')).html)).not.toContain('Decided since your last visit');
    // an hour and more later: a HEAD and a prefetch leave the marker where the last look put it
    later(2 * HOUR);
    const seen = (await marker()).seen_at;
    expect(await w.head('/')).toBe(200);
    await w.get('/', { 'Sec-Purpose': 'prefetch;prerender' });
    expect((await marker()).seen_at).toBe(seen);
  });

  it('an escalation since her last visit is on her home, with what comes next', async () => {
    const w = await signedIn('ana');
    await home(w);
    const d = await opened('Move the coordination meeting to 17:00 UTC?');
    await requestVote(hub, lead, d.ref);
    const closes = (await getDecision(hub, d.ref)).state.voteClosesAt!;
    hub.clock.set(new Date(new Date(closes).getTime() + HOUR).toISOString());
    const text = await home(w);
    expect(text).toContain(`${d.ref}: Move the coordination meeting to 17:00 UTC? (Hosting)`);
    expect(text).toMatch(
      /escalated .*: the vote did not settle it, so a core maintainer resolves it \(initial response due .*\)\. Answers have closed; its page says who resolves it, and their guidance is given there\. You did not answer\./,
    );
  });

  it("REST's `since` stays the caller's own, and reading it is no visit to the home", async () => {
    const w = await signedIn('ana');
    await home(w);
    const seen = async () =>
      hub.store.db
        .selectFrom('home_visits')
        .select(['seen_at', 'since'])
        .where('person_id', '=', (await personRow(hub.store.db, 'ana')).id)
        .executeTakeFirstOrThrow();
    const before = await seen();
    later(3 * HOUR);
    const token = (await createToken(hub, SYSTEM, 'ana')).token;
    const app = createHttpApp(hub, undefined, { web: demo });
    const res = await app.request('/api/me/needs?since=2026-01-01T00:00:00Z', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { since: string | null }).since).toBe('2026-01-01T00:00:00.000Z');
    expect(await seen()).toEqual(before);
  });
});
