// What the widths journeys (test/web/widths-*.browser.test.ts) share: a hub with the demo community
// and the real corpus imported, the pages each kind of reader reaches, and the check every page gets
// at a desktop's width (1280 px) and a phone's (360 px): it answers 200, nothing scrolls sideways, no
// script error, and axe-core finds nothing serious.
//
// axe costs most of these journeys' time, so a page is scanned in full once per width only where
// the width can change what axe sees. The server sends the same HTML at both widths; what differs
// on a phone is the stylesheet's narrow rules (spacing, the h1's size, the navigation folded behind
// "Menu") and what the page's script does for a narrow screen (a wide table or code block gets its
// scroll hint and becomes a focusable, named region). So at 360 px a page whose document, once its
// script ran, is the same as at 1280 px gets the rules whose outcome depends on where things land
// on the screen (text colour against what is behind it, boxes that scroll); a page whose document
// differs is scanned in full again. The folded menu is scanned open by the navigation test.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  ARTIFACTS,
  openBrowser,
  screenshot,
  seriousViolations,
  startWebHub,
  type Browser,
  type WebHub,
} from './browser.ts';
import { CORPUS } from './corpus.ts';
import { ROOT } from './process.ts';

/** WGHUB_DOCS_SCREENSHOTS=1 writes the docs' screenshots into docs/screenshots. */
export const SHOTS = process.env.WGHUB_DOCS_SCREENSHOTS ? path.join(ROOT, 'docs', 'screenshots') : ARTIFACTS;

/** The main pages a reader reaches from the navigation, plus one of each kind of item. */
export const PUBLIC = [
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
  '/developers',
  '/sign-in',
];
/** A member's own pages and a facilitator's (folded forms are opened). */
export const MEMBER = [
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
export const MAINTAINER = ['/github', '/groups/security'];

/** Pages whose screenshots illustrate the docs, by width: taken while a group lead's pages are checked. */
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

/**
 * The axe rules whose outcome can change with the width while the document stays the same: the
 * contrast of text against whatever is drawn behind it, and whether a box scrolls (it must then be
 * reachable by keyboard).
 */
export const LAYOUT_RULES = ['color-contrast', 'scrollable-region-focusable'] as const;

export type WidthsHub = { hub: WebHub; browser: Browser; scriptProblems: string[]; close(): Promise<void> };

/** A hub with the demo community (`seed --full`) and the real corpus, and a Chromium watching for script errors. */
export async function openWidthsHub(): Promise<WidthsHub> {
  const hub = await startWebHub({
    before: [
      ['seed', '--full'],
      ['import', 'corpus', CORPUS],
    ],
  });
  const browser = await openBrowser();
  const scriptProblems: string[] = [];
  browser.page.on('pageerror', (e) => scriptProblems.push(e.message));
  return {
    hub,
    browser,
    scriptProblems,
    async close() {
      await browser.close();
      await hub.stop();
    },
  };
}

/** How much wider than the window the document is (0 when nothing scrolls sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = globalThis as unknown as { innerWidth: number; document: { scrollingElement: { scrollWidth: number } } };
    return w.document.scrollingElement.scrollWidth - w.innerWidth;
  });
}

/** The document as its script left it, without what may change between two loads (times, the form token). */
function documentShape(page: Page): Promise<string> {
  return page.evaluate(() => {
    type El = {
      cloneNode(deep: boolean): El;
      querySelectorAll(s: string): Iterable<El>;
      textContent: string | null;
      outerHTML: string;
      removeAttribute(a: string): void;
    };
    const body = (globalThis as unknown as { document: { body: El } }).document.body.cloneNode(true);
    for (const t of body.querySelectorAll('time')) t.textContent = '';
    for (const i of body.querySelectorAll('input[name=_csrf]')) i.removeAttribute('value');
    return body.outerHTML;
  });
}

/** Folded forms (run this group, move a meeting, moderate a comment) are checked open. */
function openFoldedForms(page: Page): Promise<void> {
  return page.evaluate(() => {
    type Details = { open: boolean };
    const d = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<Details> } }).document;
    for (const x of d.querySelectorAll('main details')) x.open = true;
  });
}

/**
 * Opens each page as the browser's current reader (`who`) at 1280 px and then at 360 px, and fails
 * listing every problem. `docShots` saves the docs' screenshots of those pages.
 */
export async function checkPages(w: WidthsHub, pages: string[], who: string, opts: { docShots?: boolean } = {}) {
  const { page } = w.browser;
  const problems: string[] = [];
  for (const url of pages) {
    let desktop: string | undefined;
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      const res = await page.goto(w.hub.base + url);
      if (res?.status() !== 200) problems.push(`${url}: answered ${res?.status()}`);
      await openFoldedForms(page);
      const over = await sidewaysOverflow(page);
      if (over > 0) problems.push(`${url}: ${over} px wider than the ${width} px window`);
      const shape = await documentShape(page);
      if (width === 1280) desktop = shape;
      const axe = await seriousViolations(page, shape === desktop && width !== 1280 ? LAYOUT_RULES : undefined);
      if (axe.length) problems.push(`${url} at ${width} px: axe ${axe.map((v) => v.id).join(', ')}`);
      const shot = opts.docShots ? DOC_SHOTS[width]?.[url] : undefined;
      if (shot) await screenshot(page, shot, SHOTS);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(problems, who).toEqual([]);
  expect(w.scriptProblems).toEqual([]);
}
