// Fresh eyes, third walk, in Chromium on the demo community.
// (a) Amara arrives from GitHub with an idea. She files it as a supporting resource and reads its
// page. Found: the page's "Gate check" said "the gate does not hold yet", a word the guide never uses
// (it speaks of a barrier to change), and the failing condition ("at least 2 validations by
// implementers") said what was missing but not where it is added. The section is now "Barrier to
// change", says whether the proposal clears it, and each unmet condition links to where it is met
// (evidence, supporters, relations, or editing the proposal). A refused move says it in those words.
// (b) Priya, a member who facilitates Hosting's topic area, blocks D-1 on a phone and then leaves
// the group by keyboard. Found: the Leave section said "What you wrote stays" and nothing else, yet
// leaving silently ended her block's weight (it no longer held D-1 up) and her facilitation. It now
// lists, by name and link, what leaving ends for her before she presses the button.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, screenshot, seriousViolations, signInAs, signOut } from '../support/browser.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const { hub, browser } = chromiumOnHub();

async function checked(page: Page, where: string, phone = false) {
  expect(await seriousViolations(page), `axe on ${where}`).toEqual([]);
  if (phone) expect(await sidewaysOverflow(page), `sideways overflow on ${where}`).toBeLessThanOrEqual(0);
  await screenshot(page, `fresh-eyes-3-${where.replace(/[^a-z0-9]+/gi, '-')}`);
}

/** Presses Tab until the focus is on the element whose text is `text`; fails after `max` presses. */
async function tabTo(page: Page, text: string, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page))?.text.trim() === text) return;
  }
  throw new Error(`"${text}" is not reached by Tab`);
}

describe('fresh eyes, third walk', () => {
  test('(a) a proposal author reads its barrier to change in the guide’s words, each unmet condition a link from where it is met', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Amara Diallo');
    await page.goto(hub.base + '/proposals/new');
    await page.locator('#f-title').fill('Health check endpoint convention for hosted MCP servers');
    await page
      .locator('#f-problem')
      .fill('Operators behind load balancers cannot tell whether an MCP server is ready; each invents its own path.');
    await page.locator('#f-examples').fill('Kubernetes readiness probes hit / and get 405');
    await page.locator('#f-layer').selectOption('supporting-resource');
    await page.getByRole('button', { name: 'File proposal' }).click();
    await page.getByText(/Your proposal P-\d+ is filed/).waitFor();
    const gate = page.getByRole('region', { name: 'Barrier to change: Supporting resource' });
    const said = (await gate.textContent()) ?? '';
    expect(said).toContain('it does not clear the barrier yet');
    expect(said).toContain('To meet it: add each one under Evidence, naming its organisation or SDK.');
    expect((await page.locator('main').textContent()) ?? '').not.toMatch(/gate holds|gate does not hold|Gate check/);
    await checked(page, 'barrier-to-change');
    // the link is reached by keyboard and leads to where evidence is added
    await page.locator('#gate').evaluate((h) => h.scrollIntoView());
    await page.locator('#gate').focus();
    await tabTo(page, 'Evidence');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#evidence$/);
    await page.getByRole('region', { name: /^Evidence/ }).waitFor();
    await signOut(page);
  });

  test('(b) a member who facilitates reads, before leaving, that her block stops counting and her topic area loses her', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Priya Nair');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(hub.base + '/decisions/D-1');
    await page.getByRole('radio', { name: /^Block/ }).check();
    await page.getByRole('textbox', { name: 'Reason' }).fill('Nobody outside one organisation has reviewed it.');
    await page.getByRole('textbox', { name: /Resolution criteria/ }).fill('Two implementers review the draft.');
    await page.getByRole('button', { name: /(Send|Change) my response/ }).click();
    await page.getByText(/Your block is recorded and stands/).waitFor();

    await page.goto(hub.base + '/groups/hosting');
    const leaving = ((await page.locator('#leaving-ends + ul').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(leaving).toContain(
      'Your block on D-1: Adopt the session affinity guide as a working-group artifact of the Hosting group? stops counting: it stays on the decision, shown but not counted, and no longer holds it up.',
    );
    expect(leaving).toContain('You stop facilitating Horizontal scaling.');
    await checked(page, 'leave-375', true);
    // she leaves by keyboard
    await page.locator('#leaving-ends').evaluate((p) => p.scrollIntoView());
    await page.locator('#leaving-ends').evaluate((p) => {
      p.setAttribute('tabindex', '-1');
      (p as unknown as { focus(): void }).focus();
    });
    await tabTo(page, 'Leave Hosting');
    await page.keyboard.press('Enter');
    await page.getByText('You have left the group.').waitFor();
    // what she read is what happened
    await page.goto(hub.base + '/decisions/D-1');
    expect((await page.locator('main').textContent()) ?? '').toContain('no longer in the group: not counted');
    await page.goto(hub.base + '/groups/hosting');
    const topic = (await page.locator('#topic-horizontal-scaling').textContent()) ?? '';
    expect(topic).not.toContain('Priya Nair');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
