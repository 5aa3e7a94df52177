// Every main page at a desktop width (1280 px) and a phone's (360 px), signed out and as a group
// lead (with a facilitator's pages, folded forms opened), on a hub with the demo community and the real corpus imported: no page scrolls sideways,
// axe-core finds nothing serious, the navigation folds behind "Menu" on the phone, a wide charter
// table scrolls inside its own box with a hint, and the prior-work panel stays in sight while a
// newcomer types a title. WGHUB_DOCS_SCREENSHOTS=1 writes the screenshots into docs/screenshots.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ARTIFACTS,
  openBrowser,
  screenshot,
  seriousViolations,
  signInAs,
  startWebHub,
  type Browser,
  type WebHub,
} from '../support/browser.ts';
import { CORPUS } from '../support/corpus.ts';
import { ROOT } from '../support/process.ts';

const SHOTS = process.env.WGHUB_DOCS_SCREENSHOTS ? path.join(ROOT, 'docs', 'screenshots') : ARTIFACTS;

let hub: WebHub;
let browser: Browser;
const scriptProblems: string[] = [];

beforeAll(async () => {
  hub = await startWebHub({
    before: [
      ['seed', '--full'],
      ['import', 'corpus', CORPUS],
    ],
  });
  browser = await openBrowser();
  browser.page.on('pageerror', (e) => scriptProblems.push(e.message));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

/** The main pages a reader reaches from the navigation, plus one of each kind of item. */
const PUBLIC = [
  '/welcome',
  '/groups',
  '/groups/hosting',
  '/groups/registry',
  '/proposals',
  '/proposals/SEP-1686',
  '/proposals/P-1',
  '/proposals/P-2',
  '/decisions',
  '/decisions/D-1',
  '/decisions/D-2',
  '/meetings',
  '/meetings/M-1',
  '/meetings/fair-times',
  '/people',
  '/people/priya',
  '/organisations',
  '/artifacts',
  '/search?q=session',
  '/how-we-work',
  '/log',
  '/sign-in',
];
const MEMBER = [
  '/',
  '/proposals/new',
  '/proposals/P-1/edit',
  '/decisions/new',
  '/meetings/new',
  '/people/sam-lead/edit',
  '/inbox',
  '/me/notifications',
  '/groups/hosting/charter/edit',
  // a facilitator's pages: propose a group, topic areas, webhooks, late notes, the quarterly draft, GitHub
  '/groups/new',
  '/groups/hosting/topics/new',
  '/groups/hosting/topics/horizontal-scaling/edit',
  '/groups/hosting/webhooks',
  '/groups/hosting/quarterly',
  '/meetings/late-notes',
  '/meetings/M-2',
];
/** What only maintainers see: the GitHub bridge's page. */
const MAINTAINER = ['/github', '/groups/security'];

/** How much wider than the window the document is (0 when nothing scrolls sideways). */
function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = globalThis as unknown as { innerWidth: number; document: { scrollingElement: { scrollWidth: number } } };
    return w.document.scrollingElement.scrollWidth - w.innerWidth;
  });
}

/** Pages whose screenshots illustrate the docs, by width: taken while the pages are checked. */
const DOC_SHOTS: Record<number, Record<string, string>> = {
  1280: {
    '/': 'home',
    '/proposals': 'proposals-list',
    '/decisions/D-1': 'decision',
    '/meetings': 'meetings-list',
    '/meetings/M-1': 'meeting',
  },
  360: { '/decisions/D-1': 'decision-phone', '/meetings': 'meetings-phone', '/proposals/P-2': 'proposal-phone' },
};

async function checkPages(page: Page, width: number, pages: string[], who: string) {
  await page.setViewportSize({ width, height: 800 });
  const problems: string[] = [];
  for (const url of pages) {
    const res = await page.goto(hub.base + url);
    if (res?.status() !== 200) problems.push(`${url}: answered ${res?.status()}`);
    // folded forms (run this group, move a meeting, moderate a comment) are checked open
    await page.evaluate(() => {
      type Details = { open: boolean };
      const d = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<Details> } }).document;
      for (const x of d.querySelectorAll('main details')) x.open = true;
    });
    const over = await sidewaysOverflow(page);
    if (over > 0) problems.push(`${url}: ${over} px wider than the ${width} px window`);
    const axe = await seriousViolations(page);
    if (axe.length) problems.push(`${url}: axe ${axe.map((v) => v.id).join(', ')}`);
    const shot = who === 'signed out' ? undefined : DOC_SHOTS[width]?.[url];
    if (shot) await screenshot(page, shot, SHOTS);
  }
  expect(problems, `${who} at ${width} px`).toEqual([]);
  expect(scriptProblems).toEqual([]);
}

describe.each([1280, 360])('every main page at %i px', (width) => {
  test('signed out', async () => {
    await browser.context.clearCookies();
    await checkPages(browser.page, width, PUBLIC, 'signed out');
  }, 300_000);

  test('signed in as a group lead', async () => {
    await browser.context.clearCookies();
    await browser.page.setViewportSize({ width: 1280, height: 800 });
    await signInAs(browser.page, hub.base, 'Sam Rivera');
    await checkPages(browser.page, width, [...MEMBER, ...PUBLIC], 'Sam Rivera');
  }, 300_000);

  test('signed in as a core maintainer', async () => {
    await browser.context.clearCookies();
    await browser.page.setViewportSize({ width: 1280, height: 800 });
    await signInAs(browser.page, hub.base, 'Lena Okafor');
    await checkPages(browser.page, width, MAINTAINER, 'Lena Okafor');
  }, 120_000);
});

describe('on a phone', () => {
  test('the navigation folds behind "Menu" and opens with it; on a desktop it is always there', async () => {
    const { page } = browser;
    await browser.context.clearCookies();
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(hub.base + '/groups');
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
    await page.goto(hub.base + '/groups');
    expect(await groups.isVisible()).toBe(true);
    expect(await page.getByText('Menu', { exact: true }).isVisible()).toBe(false);
  });

  test('a real charter table wider than the phone scrolls in its own box, with a hint saying so', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(hub.base + '/groups/registry');
    const wide = await page.evaluate(() => {
      type Box = { scrollWidth: number; clientWidth: number };
      const d = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<Box> } }).document;
      return [...d.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth).length;
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
    await page.goto(hub.base + '/groups/hosting');
    expect(await page.getByText('Wide table: scroll sideways').count()).toBe(0);
  });

  test('the prior-work panel stays in sight while a title is typed', async () => {
    const { page } = browser;
    await browser.context.clearCookies();
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAs(page, hub.base, 'Priya Nair');
    await page.setViewportSize({ width: 360, height: 740 }); // a common phone
    await page.goto(hub.base + '/proposals/new');
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
});
