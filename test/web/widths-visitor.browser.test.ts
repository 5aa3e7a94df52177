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
    // each box is named by its caption or the heading above it, so a screen reader's list of regions
    // tells them apart (all were "Table (scrolls sideways)": axe's landmark-unique)
    const names = await page
      .getByRole('region', { name: /scrolls sideways/ })
      .evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label')));
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('Table (scrolls sideways)');
    await screenshot(page, 'group-phone', SHOTS);
    // on a desktop the same table fits, and no hint is shown
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(w.hub.base + '/groups/hosting');
    expect(await page.getByText('Wide table: scroll sideways').count()).toBe(0);
  });
});

test('with the corpus imported, demo sign-in lists the demo community first and folds the people the import brought', async () => {
  const { page } = w.browser;
  await w.browser.context.clearCookies();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(w.hub.base + '/sign-in');
  const demo = page.getByRole('list', { name: 'Be one of the demo community' }).getByRole('button');
  // each button says whom it signs in as, by whole name, in its text (no label apart from it)
  expect(await demo.evaluateAll((bs) => bs.map((b) => b.textContent))).toEqual([
    'Sign in as Lena Okafor',
    'Sign in as Kai Tanaka',
    'Sign in as Inês Moreira',
    'Sign in as Sam Rivera',
    'Sign in as Priya Nair',
    'Sign in as Jonas Berg',
    'Sign in as Amara Diallo',
  ]);
  // a charter's lead, imported with the corpus, is one click further down, not in the way
  const imported = page.getByRole('button', { name: 'Sign in as Radoslav Dimitrov', exact: true });
  expect(await imported.isVisible()).toBe(false);
  await page.getByText(/^Or someone else in this hub \(\d+\)$/).click();
  await imported.click();
  await page.getByText('Signed in as').waitFor();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Radoslav Dimitrov');
});
