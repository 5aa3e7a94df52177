// Journey in Chromium: Sam, the Hosting lead, runs his group for a week with nothing but the
// browser. Set-up files one proposal (with the real-world example leaving the idea stage needs)
// through the CLI; after that every step is a click or a form fill, checked by what the page shows. The meeting is scheduled to start a
// minute or two ahead (short notice is flagged, never refused), so its notes can be written once
// it has started: the served hub has no test clock. A decision closes only when its deadline
// passes, which no page can hasten; the journey reads where it stands, and why, instead.
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
} from '../support/browser.ts';

let hub: WebHub;
let browser: Browser;
const scriptProblems: string[] = [];

beforeAll(async () => {
  hub = await startWebHub({
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
  browser.page.on('pageerror', (e) => scriptProblems.push(e.message));
  browser.page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) scriptProblems.push(m.text());
  });
}, 120_000);
afterEach(() => {
  expect(scriptProblems).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

async function accessible(page: Page, name: string) {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

/** A datetime-local value on the UTC clock, `minutes` from now, rounded up to the next whole minute. */
function utcWallClock(minutes: number): string {
  const t = new Date(Date.now() + minutes * 60_000);
  t.setUTCSeconds(0, 0);
  return new Date(t.getTime() + 60_000).toISOString().slice(0, 16);
}

describe('a group run from the browser', () => {
  test('a lead runs a group for a week from the browser alone', async () => {
    const { page } = browser;
    await signInAsOn(page, hub.base, 'Sam Rivera');

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

    // a meeting, starting shortly, with an agenda item; then the agenda is published
    await page.goto(hub.base + '/meetings/new');
    await page.getByLabel('Group', { exact: true }).selectOption('hosting');
    await page.getByLabel('Topic area (optional)').fill('graceful-drain');
    await page.getByLabel('Title').fill('Graceful drain working session');
    await page.getByLabel("Organiser's time zone").selectOption('UTC');
    await page.getByLabel('Starts at').fill(utcWallClock(1));
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText(/is listed\. Add agenda items, then publish the agenda\./).waitFor();
    const meeting = new URL(page.url()).pathname;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Graceful drain working session');
    await page.getByText('Add an agenda item', { exact: true }).click();
    await page.getByLabel('Item', { exact: true }).fill('Agree the drain timeout');
    await page.getByLabel('About a proposal or decision (optional)').fill('P-1');
    await page.getByRole('button', { name: 'Add to the agenda' }).click();
    await page.getByText('The item is on the agenda.').waitFor();
    await page.getByRole('button', { name: 'Publish the agenda' }).click();
    await page.getByText('The agenda is published.').waitFor();
    const agenda = page.locator('section[aria-labelledby=agenda]');
    expect(await agenda.getByText('published', { exact: true }).count()).toBe(1);
    expect(await agenda.textContent()).toContain('Agree the drain timeout');
    await accessible(page, 'run-agenda-published');

    // a decision on the proposal, opened from the proposal's page
    await page.goto(hub.base + '/proposals/P-1');
    await page.getByRole('link', { name: 'Open a decision on this proposal' }).click();
    await page.getByLabel('The question being decided').fill('Take up graceful drain as a working-group artifact?');
    await page.getByLabel('A proposal', { exact: true }).check();
    await page.getByLabel('The proposal (when it is about one)').fill('P-1');
    await page.getByRole('button', { name: 'Open the decision' }).click();
    await page.getByRole('heading', { level: 1, name: /^D-\d+: Take up graceful drain/ }).waitFor();
    expect(await page.locator('main').textContent()).toContain('about P-1');
    await page.getByText(/is open\. Members can respond until the deadline\./).waitFor();

    // Sam responds, and reads where it stands
    await page.getByLabel(/^Consent/).check();
    await page.getByRole('button', { name: 'Send my response' }).click();
    await page.getByText('Your response is recorded.').waitFor();
    expect(await page.locator('ul.responses').textContent()).toContain('consent from @sam-lead');
    const standing = page.getByRole('region', { name: 'Where it stands, and why' });
    expect(await standing.textContent()).toContain('lazy consensus');
    expect(await standing.textContent()).toContain('silence is consent');
    await accessible(page, 'run-decision');

    // the proposal moves on
    await page.goto(hub.base + '/proposals/P-1');
    const moves = page.getByRole('region', { name: 'Move along the route' });
    await moves.getByLabel(/^prior work checked/).check();
    await moves.getByRole('button', { name: 'Move' }).click();
    await page.getByText('The proposal moved.').waitFor();
    expect(await page.locator('ol.stepper [aria-current=step]').first().textContent()).toContain('prior work checked');
    await accessible(page, 'run-proposal-moved');

    // a member's level
    await page.goto(hub.base + '/groups/hosting');
    const manage = page.getByRole('region', { name: 'Run this group' });
    await manage.getByLabel('Person (handle)').fill('amara');
    await manage.getByLabel('Level', { exact: true }).selectOption('participant');
    await manage.getByRole('button', { name: 'Set the level' }).click();
    await page.getByText('amara is now a participant.').waitFor();

    // the meeting has started by now (it was listed a minute ahead): its notes are written and published
    await page.goto(hub.base + meeting);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByText('Write the notes').count();
        },
        { timeout: 150_000, interval: 5_000 },
      )
      .toBe(1);
    await page.getByText('Write the notes').click();
    await page
      .getByLabel('Notes (markdown)')
      .fill('## Drain timeout\n\nWe agreed a **30 second** drain before shutdown.');
    await page.getByRole('button', { name: 'Save the notes' }).click();
    await page.getByText('The notes are saved.').waitFor();
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
  }, 300_000);
});
