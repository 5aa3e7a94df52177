// Journey in Chromium: Sam, the Hosting lead, runs his group for a week with nothing but the
// browser. Set-up files one proposal (with the real-world example leaving the idea stage needs)
// through the CLI; after that every step is a click or a form fill, checked by what the page shows.
// The served hub runs on a test clock (WGHUB_TEST_CLOCK_FILE, docs/web.md): the journey moves its
// time forward instead of waiting, so the decision Sam opens and Priya answers closes when its
// deadline passes (the hub's timer records the outcome, the decision page and the group home show
// it), and the meeting listed a week ahead starts, so its notes are written.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  openBrowser,
  screenshot,
  seriousViolations,
  signInAs as signInAsOn,
  startWebHub,
  type Browser,
  type WebHub,
  watchScripts,
} from '../support/browser.ts';

let hub: WebHub;
let browser: Browser;
const scriptProblems: string[] = [];
const clockDir = mkdtempSync(path.join(tmpdir(), 'wghub-clock-'));
const clockFile = path.join(clockDir, 'clock');
let offsetMs = 0;

/** Moves the served hub's time forward (written whole, then renamed, so the hub never reads half of it). */
function advanceHubClock(ms: number) {
  offsetMs += ms;
  writeFileSync(`${clockFile}.new`, `+${offsetMs}`);
  renameSync(`${clockFile}.new`, clockFile);
}
const DAY = 86_400_000;

beforeAll(async () => {
  writeFileSync(clockFile, '0');
  hub = await startWebHub({
    env: { WGHUB_TEST_CLOCK_FILE: clockFile },
    before: [
      ['seed'],
      [
        '--as',
        'sam-lead',
        'proposal',
        'new',
        '--title',
        'Graceful drain of MCP sessions on deploy',
        '--problem',
        'A deploy cuts every open session; clients reconnect all at once and the new servers fall over.',
        '--example',
        'A rolling deploy at Galactic Hosting dropped 40k sessions in one minute',
        '--layer',
        'working-group-artifact',
        '--group',
        'hosting',
      ],
    ],
  });
  browser = await openBrowser();
  watchScripts(browser.page, scriptProblems);
}, 120_000);
afterEach(() => {
  expect(scriptProblems).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(clockDir, { recursive: true, force: true });
});

async function accessible(page: Page, name: string) {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

/** A datetime-local value on the UTC clock, `days` from the hub's now, on a whole minute. */
function utcWallClock(days: number): string {
  const t = new Date(Date.now() + offsetMs + days * DAY);
  t.setUTCSeconds(0, 0);
  return new Date(t.getTime() + 60_000).toISOString().slice(0, 16);
}

describe('a group run from the browser', () => {
  test('a lead runs a group for a week from the browser alone', async () => {
    const { page } = browser;
    // whoever runs the hub is told, at start, that its time is a test's to move
    expect(hub.running.output()).toContain('TEST CLOCK');
    await signInAsOn(page, hub.base, 'Sam Rivera');

    // a link whose fragment is not valid percent-encoding names nothing: the page's script runs on
    // (it stopped there, before the menu's handlers; scriptProblems is checked after each test)
    await page.goto(`${hub.base}/groups/hosting#%E0`);
    await page.getByRole('heading', { level: 1 }).waitFor();

    // a topic area of the group
    await page.goto(hub.base + '/groups/hosting');
    await page.getByRole('link', { name: 'Add a topic area' }).first().click();
    await page.getByLabel('Short name').fill('graceful-drain');
    await page.getByLabel('Name', { exact: true }).fill('Graceful drain');
    await page.getByLabel(/To propose changes to the MCP specification/).check();
    await page.getByLabel('Facilitators (handles)').fill('priya');
    await page.getByRole('button', { name: 'Add the topic area' }).click();
    await page.getByText('The topic area “Graceful drain” is added.').waitFor();
    await page.goto(hub.base + '/groups/hosting');
    expect(await page.locator('main').textContent()).toContain('Graceful drain');
    await accessible(page, 'run-topic-area');

    // a meeting a week and a day ahead (the notice the rules ask for), with an agenda item; the agenda is published
    await page.goto(hub.base + '/meetings/new');
    await page.getByLabel('Group', { exact: true }).selectOption('hosting');
    await page.getByLabel('Topic area (optional)').selectOption({ label: 'Graceful drain' });
    await page.getByLabel('Title').fill('Graceful drain working session');
    await page.getByLabel("Organiser's time zone").selectOption('UTC');
    await page.getByLabel('Starts at').fill(utcWallClock(8));
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText(/is listed\. Add agenda items, then publish the agenda\./).waitFor();
    const meeting = new URL(page.url()).pathname;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Graceful drain working session');
    expect(await page.getByText('Short notice:').count()).toBe(0);
    await page.getByText('Add an agenda item', { exact: true }).click();
    await page.getByLabel('Item', { exact: true }).fill('Agree the drain timeout');
    await page.getByLabel('About a proposal or decision (optional)').fill('P-1');
    await page.getByRole('button', { name: 'Add to the agenda' }).click();
    await page.getByText('The item is on the agenda.').waitFor();
    await page.getByRole('button', { name: 'Publish the agenda' }).click();
    await page.getByText('The agenda is published;').waitFor();
    const agenda = page.locator('section[aria-labelledby=agenda]');
    expect(await agenda.getByText('published', { exact: true }).count()).toBe(1);
    expect(await agenda.textContent()).toContain('Agree the drain timeout');
    await accessible(page, 'run-agenda-published');

    // a decision on the proposal, opened from the proposal's page, with the earliest deadline the rules allow
    await page.goto(hub.base + '/proposals/P-1');
    await page.getByRole('link', { name: 'Open a decision on this proposal' }).click();
    await page.getByLabel('The question being decided').fill('Take up graceful drain as a working-group artifact?');
    await page.getByLabel('A proposal', { exact: true }).check();
    await page.getByLabel('The proposal (when it is about one)').fill('P-1');
    await page.getByRole('button', { name: 'Open the decision' }).click();
    await page.getByRole('heading', { level: 1, name: /^D-\d+: Take up graceful drain/ }).waitFor();
    const decision = new URL(page.url()).pathname;
    const ref = decision.split('/').at(-1)!;
    expect(await page.locator('main').textContent()).toContain('about P-1');
    await page.getByText(/is open\. Members can respond until the deadline\./).waitFor();
    expect(await page.locator('p.deadline').textContent()).toMatch(/in 5 days/);

    // Sam consents, and reads where it stands
    await page.getByLabel(/^Consent/).check();
    await page.getByRole('button', { name: 'Send my response' }).click();
    await page.getByText('Your response is recorded.').waitFor();
    expect(await page.locator('ul.responses').textContent()).toContain('consent from Sam Rivera (@sam-lead)');
    const standing = page.getByRole('region', { name: 'Where it stands, and why' });
    expect(await standing.textContent()).toContain('lazy consensus');
    expect(await standing.textContent()).toContain('silence is consent');
    // a lead's request opens a vote at once and ends lazy consensus for good: the button alone does
    // nothing (it read "Ask for a vote", and one click did exactly that)
    await page.getByRole('button', { name: 'Open the vote now' }).click();
    expect(
      await page
        .getByLabel(`Yes, end lazy consensus and open the vote on ${ref} now`)
        .evaluate((b) => (b as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing),
    ).toBe(true);
    expect(await standing.textContent()).toContain('silence is consent');
    await accessible(page, 'run-decision');

    // the proposal moves on
    await page.goto(hub.base + '/proposals/P-1');
    const moves = page.getByRole('region', { name: 'Move along the route' });
    await moves.getByLabel(/^prior work checked/).check();
    await moves.getByRole('button', { name: 'Move' }).click();
    await page.getByText(/^The proposal moved to /).waitFor();
    expect(await page.locator('ol.stepper [aria-current=step]').first().textContent()).toContain('prior work checked');
    await accessible(page, 'run-proposal-moved');

    // a member's level
    await page.goto(hub.base + '/groups/hosting');
    const manage = page.getByRole('region', { name: 'Run this group' });
    await manage.getByLabel('Person (handle)').fill('amara');
    await manage.getByLabel('Level', { exact: true }).selectOption('participant');
    await manage.getByRole('button', { name: 'Set the level' }).click();
    await page.getByText('amara is now a participant.').waitFor();

    // two days on, Priya, a member, answers with a concern and a "yes, and"
    advanceHubClock(2 * DAY);
    await browser.context.clearCookies();
    await signInAsOn(page, hub.base, 'Priya Nair');
    await page.goto(hub.base + decision);
    expect(await page.locator('p.deadline').textContent()).toMatch(/in 3 days/);
    await page.getByLabel(/^Concern/).check();
    await page.getByLabel('Reason', { exact: true }).fill('Thirty seconds is too short for long-running tool calls.');
    await page.getByLabel('"Yes, and" amendment (for a concern)').fill('Make the drain timeout configurable.');
    await page.getByRole('button', { name: 'Send my response' }).click();
    await page.getByText('Your response is recorded.').waitFor();
    expect(await page.locator('ul.responses').textContent()).toContain('concern from Priya Nair (@priya)');

    // the deadline passes: the hub's timer records the outcome, and the pages show it
    advanceHubClock(4 * DAY);
    await browser.context.clearCookies();
    await signInAsOn(page, hub.base, 'Sam Rivera');
    await expect
      .poll(
        async () => {
          await page.goto(hub.base + decision);
          return page.locator('ol.timeline').textContent();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toContain("the hub's deadline timer recorded: closed, adopted by lazy consensus");
    const badges = await page.locator('main p:has(> span.badge)').first().textContent();
    expect(badges).toContain('closed');
    expect(badges).toContain('adopted by lazy consensus');
    expect(await page.getByText('Send my response').count()).toBe(0);
    // and the members were told of the outcome, at the hub's time
    expect(await page.getByRole('table', { name: 'Notifications about ' + ref }).textContent()).toContain(
      'its outcome',
    );
    await accessible(page, 'run-decision-adopted');
    await page.goto(hub.base + '/groups/hosting');
    const decisions = page.locator('section[aria-labelledby=open-decisions]');
    expect(await decisions.getByRole('heading', { name: 'Recently decided' }).count()).toBe(1);
    const line = decisions.locator('li', { hasText: ref });
    expect(await line.textContent()).toContain('Take up graceful drain');
    expect(await line.textContent()).toContain('adopted by lazy consensus');

    // a day and a half later the meeting has started: its notes are written and published
    advanceHubClock(2 * DAY + 10 * 60_000);
    await page.goto(hub.base + meeting);
    await page.getByText('Write the notes').click();
    await page
      .getByLabel('Notes (markdown)')
      .fill('## Drain timeout\n\nWe agreed a **30 second** drain before shutdown, configurable as Priya asked.');
    await page.getByRole('button', { name: 'Publish the notes' }).click();
    await page.getByText('The notes are published.').waitFor();
    const notes = page.locator('section[aria-labelledby=notes]');
    expect(await notes.locator('strong', { hasText: '30 second' }).count()).toBe(1);
    expect(await notes.textContent()).toMatch(/published/i);
    await accessible(page, 'run-notes');

    // the quarterly update
    await page.goto(hub.base + '/groups/hosting');
    await page.getByRole('link', { name: 'Draft the quarterly update' }).click();
    await page.getByRole('heading', { level: 1, name: /^Quarterly update for Hosting, due / }).waitFor();
    const draft = await page.locator('.panel').textContent();
    expect(draft).toContain('Graceful drain working session');
    await accessible(page, 'run-quarterly');
  }, 120_000);
});
