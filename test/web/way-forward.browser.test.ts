// An author whose proposal's next step is someone else's is told so, with a link to ask for review.
// Followed by keyboard, the link landed on the explanation under the button, so the next Tab went
// on past "Ask the group's leads for review" to "Support this proposal": now it lands on the button.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, seriousViolations, signInAs } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

describe("the proposal page's way forward, by keyboard", () => {
  test("an author at community discussion follows 'ask the group's leads for review' to the button", async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Jonas Berg');
    // Jonas wrote P-1 (an idea); he moves it on as its author, to where the next step is the leads'
    for (const to of ['prior work checked', 'community discussion']) {
      await page.goto(hub.base + '/proposals/P-1');
      await page.getByRole('radio', { name: new RegExp(`^${to} `) }).check();
      await page.getByRole('button', { name: 'Move', exact: true }).click();
      await page.getByText(`The proposal moved to ${to}.`).waitFor();
    }
    await page.goto(hub.base + '/proposals/P-1');
    await expect
      .poll(() => page.locator('#way-forward').textContent())
      .toMatch(/is not yours to take: ask the group's leads for review when it is ready/);
    await page.getByRole('link', { name: "ask the group's leads for review" }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#review-request/);
    expect((await focused(page))?.text).toBe("Ask the group's leads for review");
    await page.keyboard.press('Enter');
    await page.getByText('Asked: they are told it waits for their review.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
