// A participant on their group's page in Chromium: "Run this group" says who runs it and what
// they can do there, and its links take them there (the new-proposal form with the group chosen,
// the coming meeting's agenda). What only those who run it do is folded, and opens on a click.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, screenshot, seriousViolations, signInAs, signOut } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

describe('"Run this group" for a participant', () => {
  test('says who runs it and what they can do, and each link goes there', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Jonas Berg');
    await page.goto(hub.base + '/groups/hosting');
    const section = page.getByRole('region', { name: 'Run this group' });
    expect(await section.getByText('Sam Rivera (@sam-lead), its lead, runs this group').isVisible()).toBe(true);
    expect(await section.getByText('What you can do here as a participant:').isVisible()).toBe(true);
    // the refusals are folded: not in sight until asked for
    const refusal = section.getByText(
      "Only a group lead, a core maintainer or a lead maintainer may change a member's level",
    );
    expect(await refusal.isVisible()).toBe(false);
    await section.getByText('What only those who run it do').click();
    expect(await refusal.isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'group-home-participant');

    await section.getByRole('link', { name: 'Propose something in Hosting' }).click();
    await page.getByRole('heading', { name: 'Propose a contribution', level: 1 }).waitFor();
    expect(await page.getByLabel('Group (optional)').inputValue()).toBe('hosting');

    await page.goBack();
    await page
      .getByRole('region', { name: 'Run this group' })
      .getByRole('link', { name: /^M-2: / })
      .click();
    await page.waitForURL(/\/meetings\/M-2#agenda$/);
    expect(await page.getByRole('heading', { name: 'Agenda', level: 2 }).isVisible()).toBe(true);
    await signOut(page);
  });
});
