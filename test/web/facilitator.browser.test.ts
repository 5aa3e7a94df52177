// Journey in Chromium: a facilitator runs a group for a day from the browser alone. Sam, the
// Hosting lead, reads what needs his attention, raises a member's level, adds a topic area, moves
// a meeting and takes an item off its agenda, and hides a comment with a reason; a reader then sees
// the reason in place of the text. Every page is checked with axe.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  openBrowser,
  screenshot,
  seriousViolations,
  signInAs as signInAsOn,
  signOut,
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
        'Resumable streams behind load balancers',
        '--problem',
        'A stream cut by a deploy cannot be resumed on another server process.',
        '--layer',
        'working-group-artifact',
        '--group',
        'hosting',
      ],
      ['--as', 'jonas', 'proposal', 'comment', 'P-1', 'Zorblax Cloud fixes this, sign up today!'],
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

const signInAs = (page: Page, name: string) => signInAsOn(page, hub.base, name);

describe('running a group in Chromium', () => {
  test('a lead sets a level, adds a topic area, moves a meeting, drops an agenda item and hides a comment', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(hub.base + '/groups/hosting');
    const attention = page.getByRole('region', { name: 'Needs your attention' });
    await attention.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'group-home-lead');

    // Amara observes; Sam makes her a participant
    const manage = page.getByRole('region', { name: 'Run this group' });
    await manage.getByLabel('Person (handle)').fill('amara');
    await manage.getByLabel('Level', { exact: true }).selectOption('participant');
    await manage.getByRole('button', { name: 'Set the level' }).click();
    await page.getByText('amara is now a participant.').waitFor();

    // a topic area, with a bad short name first: the error names the field and keeps the text
    await page.getByRole('link', { name: 'Add a topic area' }).first().click();
    await page.getByLabel('Short name').fill('Session Resumption');
    await page.getByLabel('Name', { exact: true }).fill('Session resumption');
    await page.getByLabel(/To propose changes to the MCP specification/).check();
    await page.getByLabel('Facilitators (handles)').fill('priya');
    await page.getByRole('button', { name: 'Add the topic area' }).click();
    await page.getByText(/slug:/).first().waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Session resumption');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Short name').fill('session-resumption');
    await page.getByRole('button', { name: 'Add the topic area' }).click();
    await page.getByText('The topic area “Session resumption” is added.').waitFor();

    // M-2 moves a day later, and an item comes off its agenda
    await page.goto(hub.base + '/meetings/M-2');
    await page.getByText('Add an agenda item').click();
    await page.getByLabel('Item', { exact: true }).fill('Something we no longer need');
    await page.getByRole('button', { name: 'Add to the agenda' }).click();
    await page.getByText('The item is on the agenda.').waitFor();
    await page.getByRole('button', { name: 'Take “Something we no longer need” off the agenda' }).click();
    await page.getByText('The item is off the agenda.').waitFor();
    await page.getByText('Move it to another time').click();
    // the form is a picker on the organiser's clock (M-2 is organised from Kolkata), pre-filled with the start
    const zone = page.getByLabel("Organiser's time zone");
    expect(await zone.inputValue()).toBe('Asia/Kolkata');
    const start = page.getByLabel('New start');
    expect(await start.getAttribute('type')).toBe('datetime-local');
    const was = await start.inputValue();
    expect(was).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    // a day later, on a Berlin clock this time
    const later = new Date(Date.parse(`${was}:00Z`) + 86_400_000).toISOString().slice(0, 16);
    await zone.selectOption('Europe/Berlin');
    await start.fill(later);
    await page.getByRole('button', { name: 'Move the meeting' }).click();
    await page.getByText('The meeting is moved; the group is told.').waitFor();
    // read back on Berlin's clock, the new start is what was picked (read as UTC it would be an hour off)
    await page.getByText('Move it to another time').click();
    expect(await page.getByLabel("Organiser's time zone").inputValue()).toBe('Europe/Berlin');
    expect(await page.getByLabel('New start').inputValue()).toBe(later);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'meeting-moved');

    // the advert in P-1's discussion is hidden, with the reason
    await page.goto(hub.base + '/proposals/P-1');
    await page.getByText("Moderate @jonas's comment").click();
    await page.getByLabel('Hide it').check();
    await page.getByLabel('Reason (shown to readers)').fill('Advertising, not an interest');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('The comment is hidden; readers see your reason.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);

    await signInAs(page, 'Priya Nair');
    await page.goto(hub.base + '/proposals/P-1');
    const discussion = page.getByRole('region', { name: /Discussion/ });
    expect(await discussion.textContent()).toContain('Advertising, not an interest');
    expect(await discussion.textContent()).not.toContain('Zorblax');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'comment-hidden');
    await signOut(page);
  }, 180_000);
});
