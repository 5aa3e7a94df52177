// Journeys in Chromium that make running a group smoother: a facilitator's refused schedule form
// names every mistake at once, in the order of the form, with the input kept; required fields are
// marked (a visible mark explained at the top of the form, aria-required for assistive technology)
// from the schema that validates them. One hub and one Chromium for the file; every page gets axe.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, screenshot, seriousViolations, signInAs as signInAsOn, signOut } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();
const signInAs = (page: Page, name: string) => signInAsOn(page, hub.base, name);

describe('running a group, smoother, in Chromium', () => {
  test('the schedule form marks what is required and, refused, names every mistake at once', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(`${hub.base}/meetings/new?group=hosting`);
    await page.getByText('Fields marked with an asterisk (*) are required.').waitFor();
    // marked from the use case's schema: the title and start are required, the description is not
    const title = page.getByLabel('Title', { exact: true });
    expect(await title.getAttribute('aria-required')).toBe('true');
    expect(await page.getByLabel('Starts at').getAttribute('aria-required')).toBe('true');
    expect(await page.getByLabel('Description (optional)').getAttribute('aria-required')).toBeNull();
    // the mark is seen after the label, not read as part of its words
    expect(
      await page.evaluate('getComputedStyle(document.querySelector("label[for=f-title]"), "::after").content'),
    ).toMatch(/^" \*"/);
    expect(
      await page.evaluate('getComputedStyle(document.querySelector("label[for=f-description]"), "::after").content'),
    ).toBe('none');
    expect(await page.getByRole('radiogroup', { name: 'Kind of meeting' }).getAttribute('aria-required')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    await title.fill('x');
    await page.getByLabel('Starts at').fill('2020-01-01T09:00');
    await page.getByLabel('Duration in minutes').fill('2');
    await page.getByLabel('How many times in all (optional)').fill('5');
    // nothing in the browser stops the form before the hub can name every mistake
    await page.getByRole('button', { name: 'Schedule' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const links = await summary.getByRole('link').allTextContents();
    expect(links.map((l) => l.split(':')[0])).toEqual([
      'Title',
      'Starts at',
      'Duration in minutes',
      'How many times in all (optional)',
    ]);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('x');
    expect(await page.getByLabel('How many times in all (optional)').inputValue()).toBe('5');
    // each link takes the person to its field
    await summary.getByRole('link', { name: /^Duration in minutes/ }).click();
    expect(await page.evaluate('location.hash')).toBe('#f-durationMinutes');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'schedule-every-mistake');
  });

  test('a facilitator moves an agenda item up with a button, no script needed', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(`${hub.base}/meetings/M-2`);
    for (const title of ['Retry budgets', 'Sticky sessions']) {
      await page.getByText('Add an agenda item').click();
      await page.getByLabel('Item', { exact: true }).fill(title);
      await page.getByRole('button', { name: 'Add to the agenda' }).click();
      await page.getByText('The item is on the agenda.').waitFor();
    }
    const agenda = page.locator('section[aria-labelledby=agenda] ol.agenda > li h3');
    const titles = async () =>
      (await agenda.allTextContents()).map((t) => t.replace(/\s*\((process|content) item\)$/, ''));
    expect((await titles()).slice(-2)).toEqual(['Retry budgets', 'Sticky sessions']);
    expect(await page.getByRole('button', { name: 'Move down “Sticky sessions”' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Move up “Sticky sessions”' }).click();
    await page.getByText('The agenda is in its new order.').waitFor();
    expect((await titles()).slice(-2)).toEqual(['Sticky sessions', 'Retry budgets']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'agenda-moved-up');
  });

  test('a facilitator ends a series that has begun from a day, with a reason shown on its page', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(`${hub.base}/meetings/M-1`);
    await page.getByText('End this series').click();
    await page.getByLabel('Why the series ends').fill('Coordination moves to the monthly call');
    // the day is pre-set to today: a week later, on the series' own clock
    const from = await page.getByLabel('No meetings from').inputValue();
    const later = new Date(Date.parse(`${from}T12:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('No meetings from').fill(later);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'End the series' }).click();
    await page.getByText('The series is ended. Its coming meetings are called off.').waitFor();
    const note = await page.getByRole('note').filter({ hasText: 'This series has ended' }).textContent();
    expect(note).toContain('Why: Coordination moves to the monthly call');
    expect(await page.getByText('End this series').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'series-ended');
  });

  test('an observer asks to become a member; the lead finds it on their home and accepts', async () => {
    const { page } = browser;
    await signInAs(page, 'Amara Diallo');
    await page.goto(`${hub.base}/groups/hosting`);
    await page.locator('summary', { hasText: 'Ask to become a member' }).click();
    await page.getByLabel('A note for the leads (optional)').fill('I run envoy in Lagos and would like a say');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ask to become a member' }).click();
    await page.getByText("You have asked to become a member. The group's leads will answer.").waitFor();
    // she reads that it waits, and may take it back (no decline: she asks again at once)
    await page.getByText(/You asked to become a member .*; the group's leads have not answered yet\./).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Withdraw your request' }).click();
    await page
      .getByText('Your request to become a member is withdrawn. You may ask again whenever you like.')
      .waitFor();
    await page.locator('summary', { hasText: 'Ask to become a member' }).click();
    await page.getByRole('button', { name: 'Ask to become a member' }).click();
    await page.getByText("You have asked to become a member. The group's leads will answer.").waitFor();
    await signOut(page);

    await signInAs(page, 'Sam Rivera');
    await page.goto(`${hub.base}/`);
    await page.getByRole('link', { name: 'Amara Diallo (@amara) asks to become a member of Hosting' }).click();
    await page.getByRole('heading', { name: 'Requests to become a member' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Accept Amara Diallo as a member' }).click();
    await page.getByText('\u2068Amara Diallo\u2069 (@amara) is now a member.').waitFor();
    const members = await page.locator('section[aria-labelledby=members]').textContent();
    expect(members).toMatch(/Members \(2\)[\s\S]*Amara Diallo/);
    await screenshot(page, 'membership-accepted');
  });
});
