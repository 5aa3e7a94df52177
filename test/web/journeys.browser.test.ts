// The web UI's main journeys in Chromium against a real `wghub serve` with the demo community
// and a few real SEPs, with axe-core on every page and a screenshot of each step.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  openBrowser,
  screenshot,
  seriousViolations,
  startWebHub,
  type Browser,
  type WebHub,
  signInAs as signInAsOn,
  watchScripts,
} from '../support/browser.ts';
import { CORPUS } from '../support/corpus.ts';
import { sidewaysOverflow } from '../support/widths.ts';

let hub: WebHub;
let browser: Browser;
const scriptProblems: string[] = [];

const SEPS = ['2567-sessionless-mcp.md', '2575-stateless-mcp.md', '1686-tasks.md'];
const ARTIFACT = 'community-wg-repo/wg/hosting/research/mcp-transport-comparison.md';

beforeAll(async () => {
  // a small corpus: three real SEPs and one real working-group artifact
  const corpus = mkdtempSync(path.join(tmpdir(), 'wghub-corpus-'));
  mkdirSync(path.join(corpus, 'spec-repo/seps'), { recursive: true });
  mkdirSync(path.join(corpus, 'community-wg-repo/wg/hosting/research'), { recursive: true });
  for (const f of SEPS) copyFileSync(path.join(CORPUS, 'spec-repo/seps', f), path.join(corpus, 'spec-repo/seps', f));
  copyFileSync(path.join(CORPUS, ARTIFACT), path.join(corpus, ARTIFACT));
  hub = await startWebHub({ before: [['seed'], ['import', 'corpus', corpus]] });
  browser = await openBrowser();
  // A script error or a policy refusal (say, an inline script slipping into a page) fails the test.
  watchScripts(browser.page, scriptProblems);
}, 180_000); // two CLI commands, a hub and Chromium: over a minute on a loaded machine
afterEach(async () => {
  await browser.page.setViewportSize({ width: 1280, height: 900 });
  expect(scriptProblems).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

async function accessible(name: string) {
  expect(await seriousViolations(browser.page), `axe on ${name}`).toEqual([]);
  await screenshot(browser.page, name);
}

async function signInAs(name: string) {
  await browser.context.clearCookies();
  await signInAsOn(browser.page, hub.base, name);
}

describe('web journeys in Chromium', () => {
  test('a newcomer on a phone reads the welcome page, accepts the Code of Conduct and the contribution terms, joins a group and finds the proposal form', async () => {
    const { page } = browser;
    // Lucía arrives signed out on a 360 px phone: the welcome page reads without scrolling sideways
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(hub.base + '/welcome');
    expect(await sidewaysOverflow(page)).toBe(0);
    await accessible('welcome-visitor-360');
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(/\/sign-in\?next=%2Fwelcome|\/sign-in\?next=\/welcome/);
    await page.getByLabel('Handle').fill('ada-l');
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Time zone').selectOption('Europe/London');
    await page.getByRole('button', { name: 'Join as a newcomer' }).click();
    await page.waitForURL(/\/welcome$/);
    expect(await page.getByRole('heading', { name: 'How the community works' }).isVisible()).toBe(true);
    await accessible('welcome-newcomer');

    // Joining is not offered before accepting; the page says why instead.
    expect(await page.getByRole('button', { name: 'Join Hosting' }).count()).toBe(0);
    expect(await page.locator('.why-not').first().textContent()).toContain('Accept the MCP Code of Conduct');
    await accessible('welcome-join-refused');

    // Ticking only one box names the other field and its rule.
    await page.getByLabel(/I accept the MCP Code of Conduct/).check();
    await page.getByRole('button', { name: 'Accept both' }).click();
    await expect
      .poll(() => page.locator('.error-summary').textContent())
      .toMatch(/I accept the Contributions under the MIT License \(version [^)]+\): must be ticked/);
    expect(await page.getByLabel(/I accept the Contributions under the MIT License/).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await accessible('welcome-terms-missing');

    await page.getByLabel(/I accept the MCP Code of Conduct/).check();
    await page.getByLabel(/I accept the Contributions under the MIT License/).check();
    await page.getByRole('button', { name: 'Accept both' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('you accepted the MCP Code of Conduct');

    await page.getByLabel('Join Hosting as').selectOption('participant');
    await page.getByRole('button', { name: 'Join Hosting' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('You joined Hosting as participant');
    await accessible('welcome-joined');

    // her first steps end at the proposal form: the route once, in order, linked; the contribution note after the last field and before the buttons, outside every label and legend
    await page.goto(hub.base + '/welcome');
    const start = page.locator('ol.steps > li').nth(2);
    const route = (await start.locator('ol').nth(1).locator('> li').allTextContents()).map((t) => t.slice(0, 24));
    expect(route).toEqual([
      'Ensure there is no pre-e',
      'Raise it for discussion ',
      'Coordinate with the mode',
      'Start a thread on the of',
      'Use the CWG Discord to r',
      'Finally, open a pull req',
    ]);
    expect((await page.locator('#how').locator('xpath=..').textContent())!.replace(/\s+/g, ' ')).not.toContain(
      'get it tracked',
    );
    await accessible('welcome-first-steps-360');
    await start.getByRole('link', { name: 'propose a contribution' }).click();
    await page.waitForURL(/\/proposals\/new$/);
    const note = page.locator('form[data-prior-work] .contribution-note');
    expect(await note.textContent()).toMatch(
      /for advice\. Ask the lead of Hosting: Sam Rivera \(@sam-lead\)\. The terms in full: Contributions under the MIT License\./,
    );
    const place = await note.evaluate((n) => {
      type El = { closest(s: string): unknown; compareDocumentPosition(o: unknown): number };
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      const el = n as unknown as El;
      return {
        inLabelOrLegend: el.closest('label, legend') !== null,
        afterGroup: (el.compareDocumentPosition(doc.querySelector('#f-group')) & 2) !== 0, // PRECEDING
        beforeButtons: (el.compareDocumentPosition(doc.querySelector('form[data-prior-work] .buttons')) & 4) !== 0,
      };
    });
    expect(place).toEqual({ inLabelOrLegend: false, afterGroup: true, beforeButtons: true });
    expect(await sidewaysOverflow(page)).toBe(0);
    await accessible('proposal-new-note-360');

    await page.goto(hub.base + '/groups/hosting');
    const participants = page.locator('h3', { hasText: /^Participants/ }).locator('xpath=following-sibling::ul[1]');
    expect(await participants.textContent()).toContain('Ada Lovelace');
    await page.goto(hub.base + '/');
    expect(await page.getByRole('heading', { name: 'Your groups' }).isVisible()).toBe(true);
    expect(await page.locator('#h-groups').locator('xpath=..').textContent()).toContain('Hosting');
    await accessible('home-newcomer');
  });

  test('a search finds an imported SEP, and the result links to it', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/search');
    await accessible('search-empty');
    await page.getByLabel('Search for').fill('sessionless');
    await page.getByLabel('Only').selectOption('sep');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: /results?$/ }).waitFor();
    const first = page.locator('ol li').first();
    expect(await first.textContent()).toMatch(/Sessionless/i);
    expect(await first.getByRole('link').getAttribute('href')).toBe('/proposals/SEP-2567');
    expect(await first.locator('mark').count()).toBeGreaterThan(0);
    await accessible('search-results');

    // an artifact found by search opens as a page of its own
    await page.getByLabel('Search for').fill('transports pros cons');
    await page.getByLabel('Only').selectOption('artifact');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('ol li a').first().click();
    await page.waitForURL(/\/artifacts\//);
    expect(await page.locator('main').textContent()).toContain('research');
    await accessible('artifact');
    // and the documents list, reached from the search page, leads to it too, under its kind
    await page.goto(hub.base + '/search');
    await page.getByRole('link', { name: 'the documents' }).click();
    await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
    const research = page.locator('section', { has: page.getByRole('heading', { name: /^Research/ }) });
    await research.getByRole('link').first().click();
    await page.waitForURL(/\/artifacts\/.+/);
    expect(await page.locator('main').textContent()).toContain('research');
    await page.goto(hub.base + '/artifacts');
    await accessible('artifacts');
    await page.goto(hub.base + '/search');
    await page.getByLabel('Search for').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Search for: must not be empty');
  });

  test('a facilitator edits a charter section; the change history shows it, and a stale edit is not lost', async () => {
    await signInAs('Sam Rivera');
    const { page } = browser;
    await page.goto(hub.base + '/groups/hosting');
    await screenshot(page, 'group-page');
    await page.getByRole('link', { name: 'Edit the charter' }).click();
    // choosing a section loads it (the button is there for a browser without the script)
    await page.getByLabel('Section to edit').selectOption('Mission Statement');
    await page.waitForURL(/section=Mission\+Statement/);
    await accessible('charter-edit');
    const editUrl = page.url();
    const text = page.getByLabel(/Text of “Mission Statement”/);
    // with unsaved text, choosing another section asks first: declined, the section and the text stay
    await text.fill('A draft not saved yet.');
    page.once('dialog', (d) => {
      expect(d.message()).toBe('Load “Scope”? Your changes to “Mission Statement” are not saved.');
      void d.dismiss();
    });
    await page.getByLabel('Section to edit').selectOption('Scope');
    expect(await page.getByLabel('Section to edit').inputValue()).toBe('Mission Statement');
    expect(await text.inputValue()).toBe('A draft not saved yet.');
    expect(page.url()).toBe(editUrl);
    await text.fill('We share practices for hosting MCP servers at scale, including session affinity.');
    await page.getByLabel('What changed, for the changelog').fill('Mission names session affinity');
    await page.getByRole('button', { name: /^Save “/ }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('is saved');
    expect(await page.locator('#history').locator('xpath=..').textContent()).toContain(
      'Mission names session affinity',
    );
    expect(await page.locator('#charter').locator('xpath=..').textContent()).toContain('including session affinity');

    // A second tab opened before that save: its save is refused, shows the current text, keeps its own.
    const other = await browser.context.newPage();
    await other.goto(editUrl);
    await page.goto(editUrl);
    await page.getByLabel(/Text of/).fill('First writer wins this round.');
    await page.getByLabel('What changed, for the changelog').fill('first');
    await page.getByRole('button', { name: /^Save “/ }).click();
    await page.locator('.flash').waitFor();
    await other.getByLabel(/Text of/).fill('Second writer, working from an old copy.');
    await other.getByLabel('What changed, for the changelog').fill('second');
    await other.getByRole('button', { name: /^Save “/ }).click();
    await expect.poll(() => other.locator('.error-summary').textContent()).toContain('changed by someone else');
    expect(await other.locator('pre').textContent()).toContain('First writer wins this round.');
    expect(await other.getByLabel(/Text of/).inputValue()).toBe('Second writer, working from an old copy.');
    await other.close();
  });

  // the groups directory, How we work, a person and a group at a phone's width are scanned by axe
  // in the widths journeys (every main page, at 1280 and 360 px); here only what this journey adds
  test('the member home, groups, How we work and the log (verified) read well; the home and the verified log pass axe', async () => {
    await signInAs('Priya Nair');
    const { page } = browser;
    await page.goto(hub.base + '/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('What needs you, Priya Nair');
    await accessible('home-member');
    await page.goto(hub.base + '/groups');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Groups');
    await screenshot(page, 'groups');
    await page.goto(hub.base + '/how-we-work');
    expect(await page.getByRole('heading', { name: 'Before contributing' }).isVisible()).toBe(true);
    await screenshot(page, 'how-we-work');
    await browser.context.clearCookies();
    await page.goto(hub.base + '/log');
    // for a visitor, app.js shows times in the browser's own zone (the page says UTC without it)
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(zone).toBe('Pacific/Auckland');
    expect(await page.locator('time[data-local]').first().textContent()).toContain(`(${zone})`);
    expect(await page.locator('time[data-local]').first().textContent()).not.toMatch(/\d{4}, \d\d:\d\d \(UTC\)$/);
    await page.getByRole('button', { name: 'Verify the whole log' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toMatch(/The chain holds: \d+ events checked/);
    await accessible('log-verified');
  });

  test('pages read without JavaScript', async () => {
    // the script is blocked, so only the server-rendered HTML is there
    const page = await browser.context.newPage();
    await page.route('**/*.js', (r) => r.abort());
    await page.goto(hub.base + '/groups/hosting');
    expect(await page.getByRole('heading', { name: 'Topic areas' }).isVisible()).toBe(true);
    await page.goto(hub.base + '/search?q=stateless&kind=sep');
    expect(await page.locator('ol li').first().textContent()).toMatch(/stateless/i);
    await page.close();
  });
});
