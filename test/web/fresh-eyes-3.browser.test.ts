// Fresh eyes, third walk, in Chromium on the demo community.
// (a) Amara arrives from GitHub with an idea. Found: her home's "Proposals you … wrote" said only "Search
// for proposals to support", with no way on to propose her own; it now leads on to the form after the
// search. She files it as a supporting resource and reads its page. Found: the page's "Gate check" said "the gate does not hold yet", a word the guide never uses
// (it speaks of a barrier to change), and the failing condition ("at least 2 validations by
// implementers") said what was missing but not where it is added. The section is now "Barrier to
// change", says whether the proposal clears it, and each unmet condition links to where it is met
// (evidence, supporters, relations, or editing the proposal). A refused move says it in those words.
// (b) Priya, a member who facilitates Hosting's topic area, blocks D-1 on a phone and then leaves
// the group by keyboard. Found: the Leave section said "What you wrote stays" and nothing else, yet
// leaving silently ended her block's weight (it no longer held D-1 up) and her facilitation. It now
// lists, by name and link, what leaving ends for her before she presses the button.
// (c) Sam opens a decision on Amara's proposal; a week later (a test clock, WGHUB_TEST_CLOCK_FILE) it is
// adopted. Found: her proposal's page then said nothing of it (only open decisions were named) and still
// read "idea", so she could not tell what had happened or what came next. It now says how each decision
// on it ended, and that a decision does not move the proposal, linking to where it goes next. Her home
// had also marked the proposal "moved since your last visit" though it had only been filed: it no longer does.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, screenshot, seriousViolations, signInAs, signOut } from '../support/browser.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const clockDir = mkdtempSync(path.join(tmpdir(), 'wghub-clock-'));
const clockFile = path.join(clockDir, 'clock');
writeFileSync(clockFile, '0');
afterAll(() => rmSync(clockDir, { recursive: true, force: true }));

/** Moves the served hub's time to `ms` past the real time (written whole, then renamed). */
function hubClockAhead(ms: number) {
  writeFileSync(`${clockFile}.new`, `+${ms}`);
  renameSync(`${clockFile}.new`, clockFile);
}

const { hub, browser } = chromiumOnHub({ env: { WGHUB_TEST_CLOCK_FILE: clockFile } });

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

let proposal = '';

describe('fresh eyes, third walk', () => {
  test('(a) a proposal author reads its barrier to change in the guide’s words, each unmet condition a link from where it is met', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Amara Diallo');
    // her home leads her to search first, then to propose what nobody covers
    const hers = page.getByRole('region', { name: 'Proposals you sponsor, support or wrote' });
    expect(((await hers.textContent()) ?? '').replace(/\s+/g, ' ')).toContain(
      'None yet. Search for proposals to support, or, when none covers your idea, propose it.',
    );
    await hers.getByRole('link', { name: 'propose it' }).click();
    await page.waitForURL(/\/proposals\/new$/);
    await page.locator('#f-title').fill('Health check endpoint convention for hosted MCP servers');
    await page
      .locator('#f-problem')
      .fill('Operators behind load balancers cannot tell whether an MCP server is ready; each invents its own path.');
    await page.locator('#f-examples').fill('Kubernetes readiness probes hit / and get 405');
    await page.locator('#f-layer').selectOption('supporting-resource');
    await page.getByRole('button', { name: 'File proposal' }).click();
    await page.getByText(/Your proposal P-\d+ is filed/).waitFor();
    proposal = page.url();
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

  test('(c) the author of a proposal reads how the decision on it ended, and that it does not move the proposal', async () => {
    const { page } = browser;
    await signOut(page);
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(proposal);
    await page.getByRole('link', { name: 'Open a decision on this proposal' }).click();
    await page
      .getByLabel('The question being decided')
      .fill('Adopt the health check convention as a Hosting resource?');
    await page.getByRole('button', { name: 'Open the decision' }).click();
    await page.getByText(/D-\d+ is open/).waitFor();
    const decision = new URL(page.url()).pathname.split('/').pop()!;
    await signOut(page);
    hubClockAhead(6 * 24 * 3600_000);
    await signInAs(page, hub.base, 'Amara Diallo');
    // her home a week on: the proposal she filed herself has not moved, and is not said to have
    const ref = new URL(proposal).pathname.split('/').pop()!;
    const mine = page
      .getByRole('region', { name: 'Proposals you sponsor, support or wrote' })
      .getByRole('listitem')
      .filter({ hasText: ref });
    expect((await mine.textContent()) ?? '').not.toContain('moved since your last visit');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(proposal);
    const decided = page.getByRole('region', { name: 'Decided on it' });
    const said = ((await decided.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(said).toContain(`${decision}: Adopt the health check convention as a Hosting resource?`);
    expect(said).toContain('Outcome: adopted by lazy consensus, closed');
    expect(said).toContain('A decision records what the group agreed; it does not move the proposal. It stays at idea');
    await checked(page, 'decided-375', true);
    await decided.getByRole('link', { name: 'where it goes next' }).click();
    await page.waitForURL(/#moves$/);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
