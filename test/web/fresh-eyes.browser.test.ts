// Two people the other walks cover least, in Chromium on the demo community, on a test clock
// (WGHUB_TEST_CLOCK_FILE) so the meeting prepared can start and its outcomes be recorded.
// (a) Rui is in no group. On a phone (360 × 740), by keyboard alone, he signs up, watches Hosting,
// sends written input to its coming content meeting and blocks one of its decisions. Found: his home
// then said "No meetings in your groups" and "Join a group to be told of its decisions", though he is
// told of both as one who watches the group; it now lists the watched group's meetings and says so.
// (b) Sam, who facilitates Hosting's coordination meeting, prepares next week's from the browser:
// he opens its agenda and builds it from what needs the group. Found: nothing on the page named the
// group's open decisions or its proposals waiting for a sponsor; he had to find them elsewhere and type
// their references. The page now lists them under "What needs the group", each a button away. He
// publishes the agenda, the meeting starts, he records notes, attendance, a decision and an action,
// and reads who was told of the decision. Every page is checked with axe; the phone part for
// sideways overflow too.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, screenshot, seriousViolations, signInAs, signOut } from '../support/browser.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const clockDir = mkdtempSync(path.join(tmpdir(), 'wghub-clock-'));
const clockFile = path.join(clockDir, 'clock');
writeFileSync(clockFile, '0');
afterAll(() => rmSync(clockDir, { recursive: true, force: true }));

/** Moves the served hub's time to `ms` past the real time (written whole, then renamed). */
function hubClockAhead(ms: number) {
  writeFileSync(`${clockFile}.new`, `+${ms}`);
  renameSync(`${clockFile}.new`, clockFile);
}

const { hub, browser } = chromiumOnHub({ env: { WGHUB_TEST_CLOCK_FILE: clockFile } });

async function checked(page: Page, where: string, phone = false) {
  expect(await seriousViolations(page), `axe on ${where}`).toEqual([]);
  if (phone) expect(await sidewaysOverflow(page), `sideways overflow on ${where}`).toBeLessThanOrEqual(0);
  await screenshot(page, `fresh-eyes-${where.replace(/[^a-z0-9]+/gi, '-')}`);
}

/** Tabs forward until the focused element passes `is` (at most `max` presses). */
async function tabUntil(
  page: Page,
  is: (f: { id: string; text: string; tag: string }) => boolean,
  what: string,
  max = 150,
) {
  const now = () =>
    page.evaluate(() => {
      const el = (
        globalThis as unknown as {
          document: { activeElement: { id: string; textContent: string | null; tagName: string } | null };
        }
      ).document.activeElement;
      return el ? { id: el.id, text: (el.textContent ?? '').trim(), tag: el.tagName } : null;
    });
  for (let i = 0; i < max; i++) {
    const f = await now();
    if (f && is(f)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}

/** The focus, after a form posted, is on the page's confirmation (or its error summary). */
async function focusSays(page: Page, text: string) {
  await page.getByText(text).first().waitFor();
  expect((await focused(page))?.text).toContain(text);
}

describe('fresh eyes', () => {
  test('(a) one in no group, on a phone by keyboard: watches a group, sends written input, blocks a decision', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(hub.base + '/sign-in');
    await tabUntil(page, (f) => f.id === 'f-handle', 'the handle');
    await page.keyboard.type('rui-m');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Rui Mendes');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/welcome/);
    await page.locator('#f-codeOfConduct').focus();
    await page.keyboard.press('Space');
    await tabUntil(page, (f) => f.id === 'f-contributionTerms', 'the contribution terms', 5);
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.getByText('Next, join a group.').waitFor();

    // his home before: nothing he is told of yet (read once, so the watching below must refresh it)
    await page.goto(hub.base + '/');
    expect(await page.locator('section[aria-labelledby="h-meetings"]').textContent()).toContain(
      'No meetings in your groups, or the groups you watch, in the next 30 days.',
    );
    // he follows Hosting without joining it: its Notifications choice, set to Watching
    await page.goto(hub.base + '/groups/hosting');
    await checked(page, 'a group page at 360 px', true);
    await tabUntil(page, (f) => f.id === 'subscription-group-hosting', 'the notifications choice');
    await page.keyboard.press('ArrowUp');
    expect(await page.locator('#subscription-group-hosting').inputValue()).toBe('watching');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await focusSays(page, 'Hosting: Watching: tell me about everything here.');

    // his home: the watched group's meetings, and the truth about what he is told
    await page.goto(hub.base + '/');
    const home = (await page.locator('main').textContent()) ?? '';
    expect(home).toContain(
      'You watch Hosting, so you are told of its decisions; join a group for your answer to count',
    );
    expect(home).not.toContain('Join a group to be told of its decisions');
    const meetings = page.locator('section[aria-labelledby="h-meetings"]');
    expect(await meetings.textContent()).toContain('M-2: Horizontal scaling deep-dive: sticky sessions');
    await checked(page, 'home of a watcher at 360 px', true);

    // written input to the coming content meeting, reached from his home by keyboard
    await tabUntil(page, (f) => f.text.startsWith('M-2: Horizontal scaling'), 'the meeting link');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/meetings\/M-2/);
    await tabUntil(page, (f) => f.tag === 'SUMMARY' && f.text.includes('Cannot attend'), 'Cannot attend?');
    await page.keyboard.press('Enter');
    await tabUntil(page, (f) => f.text === 'Send written input', 'the send button', 10);
    await page.keyboard.press('Enter');
    // sent empty: the error names the field and its rule, and has the focus
    await focusSays(page, 'There is a problem');
    expect((await focused(page))?.text).toContain('Your input: must carry the input itself');
    await checked(page, 'written input refused at 360 px', true);
    await page.locator('#f-input-body').focus();
    await page.keyboard.type('Our gateways keep sessions across deploys with a shared store; I can share traces.');
    await tabUntil(page, (f) => f.text === 'Send written input', 'the send button', 10);
    await page.keyboard.press('Enter');
    await focusSays(page, 'Your written input is on the agenda; the facilitators will present it.');
    await checked(page, 'written input sent at 360 px', true);

    // his objection to the group's call for consensus: a block, by keyboard
    await page.goto(hub.base + '/decisions/D-1');
    await tabUntil(page, (f) => f.id === 'f-respond-kind-0', 'the response choice');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#f-respond-kind-2').isChecked()).toBe(true);
    await tabUntil(page, (f) => f.text === 'Send my response', 'the send button', 10);
    await page.keyboard.press('Enter');
    await focusSays(page, 'There is a problem');
    const summary = (await focused(page))?.text ?? '';
    expect(summary).toContain('Reason: a block must be a documented objection');
    expect(summary).toContain('Alternative (for a block): a block must propose an alternative');
    await checked(page, 'block refused at 360 px', true);
    await page.locator('#f-respond-reason').focus();
    await page.keyboard.type('Sticky sessions pin tenants to one node; operators drain nodes daily.');
    await tabUntil(page, (f) => f.id === 'f-respond-alternative', 'the alternative', 5);
    await page.keyboard.type('Recommend a shared session store first, sticky sessions as the fallback.');
    await tabUntil(page, (f) => f.text === 'Send my response', 'the send button', 10);
    await page.keyboard.press('Enter');
    await focusSays(page, 'Your block is recorded as advisory');
    await checked(page, 'block sent at 360 px', true);
    // the header's menu is folded on a phone: signed out at a desktop's width
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);
  });

  test("(b) a facilitator prepares next week's process meeting from what needs the group, then records it", async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(hub.base + '/meetings/M-1');
    const next = page.locator('ul.series-next form').first();
    const startsAt = await next.locator('input[name="startsAt"]').inputValue();
    await next.getByRole('button').click();
    await focusSays(page, 'The meeting has its own agenda now: add items, then publish it.');
    const ref = /\/meetings\/(M-\d+)/.exec(page.url())![1]!;

    // what needs the group, beside the agenda: its open decisions, soonest first (and SEPs waiting for a
    // sponsor, which the demo has none of: a contribution in discussion never asks for one)
    const needs = page.locator('section[aria-labelledby="needs-the-group"]');
    const listed = (await needs.textContent()) ?? '';
    expect(listed).toMatch(
      /D-1: Adopt the session affinity guide.*closes.*D-2: Move the fortnightly.*in a vote that closes/s,
    );
    expect(listed).not.toContain('P-2:');
    await checked(page, 'the agenda to build');
    await needs.getByRole('button', { name: 'Add D-1 to the agenda' }).click();
    await focusSays(page, 'The item is on the agenda.');
    const agenda = page.locator('ol.agenda');
    expect(await agenda.textContent()).toMatch(/Adopt the session affinity guide.*about D-1/s);
    // once on the agenda, no longer suggested
    expect(await needs.getByRole('button', { name: 'Add D-1 to the agenda' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Publish the agenda' }).click();
    await focusSays(page, 'The agenda is published;');
    await checked(page, 'the agenda published');

    // the meeting starts: notes, attendance, a decision taken, an action item
    hubClockAhead(Date.parse(startsAt) - Date.now() + 30 * 60_000);
    await page.goto(`${hub.base}/meetings/${ref}`);
    await page.getByText('Write the notes').click();
    await page
      .locator('#f-notes-notes')
      .fill('## D-1\nThe block stands until the transport decision.\n\n## P-2\nKai may sponsor it.');
    await page.getByRole('button', { name: 'Publish the notes' }).click();
    await focusSays(page, 'The notes are published.');
    await page.locator('#f-attendance-attended').fill('sam-lead priya nobody-here');
    await page.getByRole('button', { name: 'Record attendance' }).click();
    await focusSays(page, 'There is a problem');
    expect((await focused(page))?.text).toContain(
      'Who attended (handles, separated by spaces or commas), entry 3: no person',
    );
    await checked(page, 'attendance refused');
    await page.locator('#f-attendance-attended').fill('sam-lead priya jonas');
    await page.getByRole('button', { name: 'Record attendance' }).click();
    await focusSays(page, 'Attendance is recorded.');
    await page.getByText('Record a decision').click();
    await page.locator('#f-decision-summary').fill('Keep D-1 open until the transport decision is made.');
    await page.locator('#f-decision-decision').fill('D-1');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await focusSays(page, 'The decision is recorded.');
    await page.getByText('Add an action item').last().click();
    await page.locator('#f-action-owner').fill('priya');
    await page.locator('#f-action-description').fill('Ask Kai to sponsor P-2');
    await page
      .locator('#f-action-due')
      .fill(new Date(Date.parse(startsAt) + 7 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Add action item' }).click();
    await focusSays(page, 'The action item is added.');
    const outcomes = (await page.locator('main').textContent()) ?? '';
    expect(outcomes).toContain('Keep D-1 open until the transport decision is made. (D-1, open');
    expect(outcomes).toContain('Priya Nair (@priya): Ask Kai to sponsor P-2');
    await checked(page, 'the outcomes recorded');

    // who has been told of the open decision, from the agenda item's link
    await page.locator('ol.agenda').getByRole('link', { name: 'D-1' }).click();
    await page.waitForURL(/\/decisions\/D-1$/);
    const told = page.getByRole('table', { name: 'Notifications about D-1' });
    expect(await told.textContent()).toMatch(/Priya Nair \(@priya\)\s*it opened/);
    await checked(page, 'who was told of D-1');
  });
});
