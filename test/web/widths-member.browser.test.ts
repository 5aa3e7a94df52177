// A member's own pages and a facilitator's (folded forms opened) as a group lead, and a
// maintainer's, at a desktop's width (1280 px) and a phone's (360 px), on a hub with the demo
// community and the real corpus imported (test/support/widths.ts: no page scrolls sideways, no
// script error, axe-core finds nothing serious); and on a phone the prior-work panel stays in sight
// while a newcomer types a title. WGHUB_DOCS_SCREENSHOTS=1 writes the screenshots into docs/screenshots.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot, signInAs } from '../support/browser.ts';
import {
  checkPages,
  MAINTAINER,
  MEMBER,
  openWidthsHub,
  SHOTS,
  sidewaysOverflow,
  type WidthsHub,
} from '../support/widths.ts';

let w: WidthsHub;
beforeAll(async () => {
  w = await openWidthsHub();
}, 180_000);
afterAll(async () => {
  await w?.close();
});

describe("a member's and a facilitator's pages at 1280 and 360 px", () => {
  test('signed in as a group lead', async () => {
    await w.browser.context.clearCookies();
    await signInAs(w.browser.page, w.hub.base, 'Sam Rivera');
    await checkPages(w, MEMBER, 'Sam Rivera', { docShots: true });
  }, 600_000);

  test('signed in as a core maintainer', async () => {
    await w.browser.context.clearCookies();
    await signInAs(w.browser.page, w.hub.base, 'Lena Okafor');
    await checkPages(w, MAINTAINER, 'Lena Okafor');
  }, 120_000);
});

test('on a phone, the prior-work panel stays in sight while a title is typed', async () => {
  const { page } = w.browser;
  await w.browser.context.clearCookies();
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, w.hub.base, 'Priya Nair');
  await page.setViewportSize({ width: 360, height: 740 }); // a common phone
  await page.goto(w.hub.base + '/proposals/new');
  await page.getByLabel('Title').fill('Stateless sessions behind a load balancer');
  const panel = page.locator('#prior-work-panel');
  await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain('SEP-');
  // the first match is on screen below the field being typed in, not under the rest of the form
  const title = await page.getByLabel('Title').boundingBox();
  const first = await panel.getByRole('link').first().boundingBox();
  expect(title!.y).toBeGreaterThanOrEqual(0);
  expect(first!.y).toBeGreaterThan(title!.y + title!.height);
  expect(first!.y + first!.height).toBeLessThanOrEqual(740);
  expect(await sidewaysOverflow(page)).toBe(0);
  await screenshot(page, 'proposal-new-phone', SHOTS);
});

test('on a phone, the home page shows each waiting decision’s deadline and its answer without scrolling sideways', async () => {
  const { page } = w.browser;
  await w.browser.context.clearCookies();
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, w.hub.base, 'Sam Rivera');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(w.hub.base + '/');
  const table = page.locator('section[aria-labelledby=h-decisions] table');
  const header = await table.locator('thead th').allTextContents();
  const row = table.locator('tbody tr').first().locator('td');
  // the deadline is what silence is counted against: it is on screen whole with its question, which keeps a
  // readable width (it was squeezed to a word or two a line); the answer, a click away, is beside it
  // (its one-click Consent was the sixth column, off the screen)
  const decision = await row.nth(header.indexOf('Decision and deadline')).boundingBox();
  expect(decision!.x + decision!.width).toBeLessThanOrEqual(360);
  expect(decision!.width).toBeGreaterThanOrEqual(150);
  expect((await row.nth(header.indexOf('Decision and deadline')).textContent()) ?? '').toMatch(/[Cc]loses in /);
  const answer = await row.nth(header.indexOf('Answer')).boundingBox();
  expect(answer!.x + answer!.width).toBeLessThanOrEqual(360);
});
