// A participant on their group's page in Chromium: "Taking part" says who runs it and what they can
// do there, and its links take them there (the new-proposal form with the group chosen, the coming
// meeting's agenda). What only those who run it do is one line saying who may, not a folded list.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, screenshot, seriousViolations, signInAs, signOut } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

describe('"Taking part" for a participant', () => {
  test('says who runs it and what they can do, and each link goes there', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Jonas Berg');
    await page.goto(hub.base + '/groups/hosting');
    // his part in the group, not "Run this group"
    expect(await page.getByRole('region', { name: 'Run this group' }).count()).toBe(0);
    const section = page.getByRole('region', { name: 'Taking part' });
    expect(await section.getByText('Sam Rivera (@sam-lead), its lead, runs this group').isVisible()).toBe(true);
    expect(await section.getByText('What you can do here as a participant:').isVisible()).toBe(true);
    // what only those who run it do is one line saying who may, with no heading of its own
    expect(await section.getByRole('heading').allTextContents()).toEqual(['Taking part', 'Leave']);
    const notYours = section.locator('#not-yours');
    expect(await notYours.textContent()).toMatch(
      /^Not yours to do here: Only a group lead, a core maintainer or a lead maintainer may change a member's level/,
    );
    await notYours.getByRole('link', { name: 'Who may do what' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'group-home-participant');

    await section.getByRole('link', { name: 'Propose something in Hosting' }).click();
    await page.getByRole('heading', { name: 'Propose a contribution', level: 1 }).waitFor();
    expect(await page.getByLabel('Group (optional)').inputValue()).toBe('hosting');

    await page.goBack();
    await page
      .getByRole('region', { name: 'Taking part' })
      .getByRole('link', { name: /^M-2: / })
      .click();
    await page.waitForURL(/\/meetings\/M-2#agenda$/);
    expect(await page.getByRole('heading', { name: 'Agenda', level: 2 }).isVisible()).toBe(true);
    await signOut(page);
  });
});
