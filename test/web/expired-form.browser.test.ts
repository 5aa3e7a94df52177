// In Chromium, whose forms here carry Origin "null" (the pages send no referrer) and
// Sec-Fetch-Site: a facilitator revises a meeting's notes, signs out in another tab, then publishes:
// refused for the ended session, the page shows the notes back to copy, with the way to sign in.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, screenshot, seriousViolations, signInAs, signOut } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

describe('a form whose session ended, in Chromium', () => {
  test('the notes typed are shown back to copy, not lost', async () => {
    const { page, context } = browser;
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(`${hub.base}/meetings/M-1`);
    await page.getByText('Revise the notes', { exact: true }).click();
    const typed = 'Agreed the outline; Priya drafts it by Friday.\nAmara reviews asynchronously.';
    await page.locator('textarea[name=notes]').fill(typed);
    const other = await context.newPage();
    await other.goto(`${hub.base}/`);
    // signed out for certain before the tab goes: its page says so (the hub has answered the
    // sign-out and the page that follows it), so nothing of it is still in flight when it closes
    await signOut(other);
    await other.close();
    await page.getByRole('button', { name: 'Publish the revision' }).click();
    await page.getByRole('heading', { name: 'What you typed' }).waitFor();
    expect(await page.getByLabel('notes', { exact: true }).inputValue()).toBe(typed);
    expect(
      await page
        .getByRole('region', { name: 'What you typed' })
        .getByRole('link', { name: 'sign in' })
        .getAttribute('href'),
    ).toBe('/sign-in');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'expired-form-kept');
  });
});
