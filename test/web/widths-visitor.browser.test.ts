// Every main page as a visitor sees it, at a desktop's width (1280 px) and a phone's (360 px), on a
// hub with the demo community and the real corpus imported (test/support/widths.ts: no page scrolls
// sideways, no script error, axe-core finds nothing serious); on a phone the navigation folds
// behind "Menu", and a wide charter table scrolls inside its own box with a hint.
// WGHUB_DOCS_SCREENSHOTS=1 writes the screenshots into docs/screenshots.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot, seriousViolations } from '../support/browser.ts';
import { checkPages, openWidthsHub, PUBLIC, SHOTS, sidewaysOverflow, type WidthsHub } from '../support/widths.ts';

let w: WidthsHub;
beforeAll(async () => {
  w = await openWidthsHub();
}, 180_000);
afterAll(async () => {
  await w?.close();
});

test('every main page, signed out, at 1280 and 360 px', async () => {
  await w.browser.context.clearCookies();
  await checkPages(w, PUBLIC, 'signed out');
}, 600_000);

describe('on a phone', () => {
  test('the navigation folds behind "Menu" and opens with it; on a desktop it is always there', async () => {
    const { page } = w.browser;
    await w.browser.context.clearCookies();
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(w.hub.base + '/groups');
    const groups = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' });
    expect(await groups.isVisible()).toBe(false);
    const header = await page.locator('header.site').boundingBox();
    expect(header!.height).toBeLessThan(80);
    await screenshot(page, 'phone-menu-closed', SHOTS);
    await page.getByText('Menu', { exact: true }).click();
    expect(await groups.isVisible()).toBe(true);
    expect(await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'phone-menu-open', SHOTS);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(w.hub.base + '/groups');
    expect(await groups.isVisible()).toBe(true);
    expect(await page.getByText('Menu', { exact: true }).isVisible()).toBe(false);
  });

  test('a real charter table wider than the phone scrolls in its own box, with a hint saying so', async () => {
    const { page } = w.browser;
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(w.hub.base + '/groups/registry');
    const wide = await page.evaluate(() => {
      type Box = { scrollWidth: number; clientWidth: number };
      const d = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<Box> } }).document;
      return [...d.querySelectorAll('.table-wrap')].filter((b) => b.scrollWidth > b.clientWidth).length;
    });
    expect(wide).toBeGreaterThan(0);
    expect(await sidewaysOverflow(page)).toBe(0);
    const hint = page.getByText('Wide table: scroll sideways to see all of it.').first();
    expect(await hint.isVisible()).toBe(true);
    // the box takes keyboard focus, so it can be scrolled without a mouse
    expect(await page.getByRole('region', { name: /scrolls sideways/ }).count()).toBe(wide);
    await screenshot(page, 'group-phone', SHOTS);
    // on a desktop the same table fits, and no hint is shown
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(w.hub.base + '/groups/hosting');
    expect(await page.getByText('Wide table: scroll sideways').count()).toBe(0);
  });
});
