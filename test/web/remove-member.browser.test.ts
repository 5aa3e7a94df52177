// A lead takes someone out of the group from the browser, by keyboard alone and at a phone's width:
// Sam makes the wrong person a member (a slip of the handle), finds "Remove someone from the group"
// under "Run this group", is refused removing himself (the only lead) in words with the choice kept,
// then removes the right one; the group's members no longer list them. Every page gets axe.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, screenshot, seriousViolations, signInAs as signInAsOn } from '../support/browser.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const { hub, browser } = chromiumOnHub();
const signInAs = (page: Page, name: string) => signInAsOn(page, hub.base, name);

/** Presses Enter on a control reached by focus, as a keyboard user does, and waits for the next page. */
async function enterOn(page: Page, control: ReturnType<Page['getByRole']>) {
  await control.focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

describe('removing someone from a group, in Chromium', () => {
  test('a lead removes a member added by mistake, by keyboard at 390 px; the only lead is refused in words', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${hub.base}/groups/hosting`);
      const manage = page.getByRole('region', { name: 'Run this group' });
      // the slip: Jonas made a member
      await manage.getByLabel('Person (handle)').fill('jonas');
      await manage.getByLabel('Level', { exact: true }).selectOption('member');
      await enterOn(page, manage.getByRole('button', { name: 'Set the level' }));
      await page.getByText('jonas is now a member.').waitFor();

      const remove = page.getByRole('region', { name: 'Run this group' });
      await remove.getByRole('heading', { name: 'Remove someone from the group' }).waitFor();
      const person = remove.getByLabel('Person', { exact: true });
      // himself is not offered; choosing by keyboard, the only lead is not removable either way
      expect(await person.locator('option[value="sam-lead"]').count()).toBe(0);
      await person.focus();
      await person.selectOption('jonas');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, 'remove-member-phone');
      await enterOn(page, remove.getByRole('button', { name: 'Remove from the group' }));
      await page.getByText('jonas is no longer in the group, and is told so.').waitFor();
      const members = page.locator('#members').locator('xpath=..');
      expect(await members.textContent()).not.toContain('@jonas');
      expect(await seriousViolations(page)).toEqual([]);

      // a lead cannot be removed while they are the only one: refused in words above the form (403, as
      // leaving is: the group's state, not the choice, is why), the choice kept
      await page.evaluate(`{
        const s = document.querySelector('select[name=handle][id$="remove-handle"]');
        s.add(new Option('Sam Rivera (@sam-lead)', 'sam-lead'));
        s.value = 'sam-lead';
      }`);
      await enterOn(page, remove.getByRole('button', { name: 'Remove from the group' }));
      await page
        .locator('.error-summary')
        .getByText("sam-lead is the group's only active lead: make someone else a lead first")
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
