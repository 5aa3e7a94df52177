// Journey in Chromium: an absent member sends written input to a meeting; the facilitator adds an
// item, publishes the agenda and sees that input on it. Also the meeting list, the fair-time
// finder, scheduling and the member home's meeting sections, each checked with axe and read again
// over plain HTTP (no JavaScript).
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  chromiumOnHub,
  focused,
  screenshot,
  seriousViolations,
  plainGet as plainGetOn,
  signInAs as signInAsOn,
  signOut,
} from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

const signInAs = (page: Page, name: string) => signInAsOn(page, hub.base, name);

const plainGet = (pathname: string) => plainGetOn(browser.context, hub.base, pathname);

describe('meetings in Chromium', () => {
  test('a facilitator publishes an agenda and sees written input from an absent member', async () => {
    const { page } = browser;
    // Amara cannot make the deep-dive: she sends her input on its first item
    await signInAs(page, 'Amara Diallo');
    await page.goto(hub.base + '/meetings/M-2');
    await page.getByText('Cannot attend? Send written input').click();
    await page.getByLabel('On which item').selectOption({ index: 0 });
    await page
      .getByLabel('Your input')
      .fill('I run envoy with consistent hashing in Lagos; my traces are in the repo. Please cover retries.');
    await page.getByRole('button', { name: 'Send written input' }).click();
    await page.getByText('Your written input is on the agenda').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);

    // Priya facilitates the topic: she adds an item and publishes the agenda
    await signInAs(page, 'Priya Nair');
    const home = page.locator('section[aria-labelledby=h-meetings]');
    await home.getByRole('link', { name: /M-2: Horizontal scaling deep-dive/ }).waitFor();
    expect(await home.textContent()).toContain('(Asia/Kolkata)');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'home-with-meetings');

    await home.getByRole('link', { name: /M-2: Horizontal scaling deep-dive/ }).click();
    await page.getByRole('heading', { level: 1, name: /^M-2: / }).waitFor();
    await page.getByText('Add an agenda item').click();
    await page.getByLabel('Item', { exact: true }).fill('Agree the outline of the sticky-session guide');
    await page.getByRole('button', { name: 'Add to the agenda' }).click();
    await page.getByText('The item is on the agenda.').waitFor();
    await page.getByRole('button', { name: 'Publish the agenda' }).click();
    await page.getByText('The agenda is published;').waitFor();
    const agenda = page.locator('section[aria-labelledby=agenda]');
    expect(await agenda.getByText('published', { exact: true }).count()).toBe(1);
    expect(await agenda.textContent()).toContain('Agree the outline of the sticky-session guide');
    const written = agenda.locator('.written');
    expect(await written.textContent()).toContain('I run envoy with consistent hashing in Lagos');
    expect(await written.textContent()).toContain('not yet presented');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'meeting-page');

    const plain = await plainGet('/meetings/M-2');
    expect(plain).toContain('I run envoy with consistent hashing in Lagos');
    expect(plain).toContain('Agree the outline of the sticky-session guide');
    expect(await plainGet('/meetings/M-1')).toContain('Attendance (3)');
    expect(await plainGet('/')).toContain('Meetings you may attend');
    await signOut(page);
  });

  test('the meeting list, the fair-time finder and scheduling read and pass axe', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(hub.base + '/meetings');
    // a series is listed at its next meeting under Upcoming, and at its last one under Past
    await page
      .getByRole('region', { name: 'Upcoming' })
      .getByRole('link', { name: /M-1: Hosting WG/ })
      .waitFor();
    await page
      .getByRole('region', { name: 'Past' })
      .getByRole('link', { name: /M-1: Hosting WG/ })
      .waitFor();
    await page
      .getByRole('region', { name: 'Past' })
      .getByRole('link', { name: /M-3: Tool poisoning/ })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'meetings-list');

    await page.getByRole('link', { name: 'Find a fair time' }).click();
    await page.getByLabel('Group', { exact: true }).selectOption('hosting');
    await page.getByLabel('For a series: how many meetings (optional)').fill('4');
    await page.getByRole('button', { name: 'Find times' }).click();
    await page.getByRole('heading', { name: /Best times for \d+ people/ }).waitFor();
    expect(await page.locator('table').first().textContent()).toContain('America/Los_Angeles');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'fair-times');

    await page.goto(hub.base + '/meetings/new');
    await page.getByLabel('Title').fill('Hosting planning');
    await page.getByLabel('Starts at').fill('2020-01-01T16:00');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page
      .locator('.error-summary')
      .getByText(/Starts at: must be in the future/)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    expect(await plainGet('/meetings')).toContain('/api/groups/hosting/calendar.ics');
    expect(await plainGet('/meetings/fair-times?group=hosting')).toContain('Best times for');
    expect(await plainGet('/meetings/new')).toContain('Schedule a meeting');
    const ics = await (await fetch(hub.base + '/api/groups/hosting/calendar.ics')).text();
    expect(ics).toContain('BEGIN:VEVENT');
    await signOut(page);
  });

  test('the lead names a note-taker when scheduling, changes it on the meeting page, and the page says who', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(hub.base + '/meetings/new');
    await page.getByLabel('Group', { exact: true }).selectOption('hosting');
    await page.getByLabel('Title').fill('Hosting planning with notes');
    const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Starts at').fill(`${inAMonth}T16:00`);
    // a handle that is nobody's is refused naming the field, and the summary links to it
    await page.getByLabel('Note-taker (optional)').fill('nobody-here');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.locator('.error-summary').getByText("Note-taker (optional): no person 'nobody-here'").click();
    const focused = () =>
      (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id;
    expect(await page.evaluate(focused)).toBe('f-noteTaker');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Note-taker (optional)').fill('priya');
    await page.getByLabel('Starts at').fill(`${inAMonth}T16:00`);
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText('is listed. Add agenda items').waitFor();
    const line = page.locator('main p', { hasText: 'organised by' });
    expect(await line.textContent()).toContain('notes by Priya Nair (@priya)');

    // the meeting page's own form changes it; the picker suggests the group's members who may publish
    // the notes, not its observers
    const section = page.getByRole('region', { name: 'Who takes the notes' });
    expect(await section.locator('datalist option[value="sam-lead"]').count()).toBe(1);
    expect(await section.locator('datalist option[value="amara"]').count()).toBe(0);
    await section.getByLabel('Note-taker', { exact: true }).fill('sam-lead');
    await section.getByRole('button', { name: 'Save the note-taker' }).click();
    await page.getByText('The note-taker is saved.').waitFor();
    expect(await page.locator('main p', { hasText: 'organised by' }).textContent()).toContain(
      'notes by Sam Rivera (@sam-lead)',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'meeting-note-taker');
    const url = new URL(page.url());
    await signOut(page);
    // a participant reads the line without the form
    await signInAs(page, 'Jonas Berg');
    await page.goto(hub.base + url.pathname);
    expect(await page.locator('main p', { hasText: 'organised by' }).textContent()).toContain(
      'notes by Sam Rivera (@sam-lead)',
    );
    expect(await page.getByRole('region', { name: 'Who takes the notes' }).count()).toBe(0);
    expect(await plainGet(url.pathname)).toContain('notes by');
    await signOut(page);
  });
  test('its sender fixes a typo in their written input, then withdraws it after ticking the box', async () => {
    const { page } = browser;
    await signInAs(page, 'Kai Tanaka');
    await page.goto(hub.base + '/meetings/M-2');
    await page.getByText('Cannot attend? Send written input').click();
    await page.getByLabel('Your input').fill('Retries need a budgte per request, not per hop.');
    await page.getByRole('button', { name: 'Send written input' }).click();
    await page.getByText('Your written input is on the agenda').waitFor();
    const mine = page.locator('li', { hasText: 'Retries need a budgte per request' }).last();
    await mine.getByText('Change or withdraw your input').click();
    await mine.getByLabel('New text').fill('Retries need a budget per request, not per hop.');
    await mine.getByRole('button', { name: 'Save the change' }).click();
    await page.getByText('Your written input is changed; the facilitators see the new text.').waitFor();
    const fixed = page.locator('li', { hasText: 'Retries need a budget per request' }).last();
    expect(await fixed.textContent()).toContain('(edited');
    expect(await page.locator('section[aria-labelledby=agenda]').textContent()).not.toContain('budgte');
    await fixed.getByText('Change or withdraw your input').click();
    expect(await seriousViolations(page)).toEqual([]);
    await fixed.getByLabel('Yes, withdraw my input and tell the facilitators').check();
    await fixed.getByRole('button', { name: 'Withdraw my input' }).click();
    await page
      .getByText('Your written input is withdrawn: it is off the agenda, and the facilitators are told.')
      .waitFor();
    expect(await page.locator('section[aria-labelledby=agenda]').textContent()).not.toContain('Retries need a budget');
    await signOut(page);
  });

  test('on a phone, the confirmation of written input is where the sender lands, and has the focus', async () => {
    const { page } = browser;
    await signInAs(page, 'Jonas Berg');
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      await page.goto(hub.base + '/meetings/M-2');
      await page.getByText('Cannot attend? Send written input').click();
      await page
        .getByLabel('Your input')
        .fill('We need one retry budget per request that holds across three gateway hops.');
      await page.getByRole('button', { name: 'Send written input' }).click();
      // the answer comes back at #agenda: the flash is moved there, in sight and focused, so a
      // screen reader reads it and Tab goes on from it
      const flash = page.getByRole('status');
      await expect.poll(async () => (await focused(page))?.text).toContain('Your written input is on the agenda');
      expect(await flash.getAttribute('class')).toBe('flash');
      const box = await flash.boundingBox();
      expect(box?.y).toBeGreaterThanOrEqual(0);
      expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(740);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await signOut(page);
  });

  test('a reader goes from a series to its later meetings with the keyboard alone, and the page passes axe', async () => {
    const { page } = browser;
    // the demo's fortnightly series has five meetings to come: its page lists four and links to the rest
    await page.goto(hub.base + '/meetings/M-1');
    expect(await page.locator('ul.series-next > li').count()).toBe(4);
    await page.locator('body').focus();
    const name = 'Later meetings of the series';
    for (let i = 0; i < 200 && (await focused(page))?.text !== name; i++) await page.keyboard.press('Tab');
    expect((await focused(page))?.text).toBe(name);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Later meetings of M-1: Hosting WG coordination' }).waitFor();
    // the fifth start, with its own anchor, and the way back
    const later = page.locator('ul.series-next > li');
    expect(await later.count()).toBe(1);
    expect(await later.first().getAttribute('id')).toMatch(/^series-\d{4}-/);
    await page.getByRole('link', { name: 'Back to the series' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
