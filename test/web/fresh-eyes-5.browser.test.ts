// Fresh eyes, fifth walk, in Chromium on the demo community, on a test clock (WGHUB_TEST_CLOCK_FILE).
// (a) Sam, Hosting's lead, blocked D-1; the block stood, the vote that followed split 1–1 and D-1 went
// to the core maintainers. Found: its page said "since the vote opened, the decision closes with the
// vote" and that the vote "closes yesterday", though the vote had closed and the decision had not,
// and named his block "(sam-lead)"; it now says the vote closed and that it went to the core
// maintainers, and names him as it does elsewhere.
// (b) Kai, a core maintainer in Tokyo (UTC+9), on his phone, names himself to resolve it by keyboard
// and asks the parties for more information. Found: the page then read "Guidance (more-information)"
// and "so far: more-information", the stored key (its timeline "gave more-information guidance", and
// "Kai Tanaka (@kai-core) named Kai Tanaka (@kai-core)", as if two people); D-1 left his home, though
// it still waited on him for the word that resolves it; and nobody was told of his question, nor where
// to answer it (answers and votes on D-1 are closed). Now the guidance reads "more information is
// needed", his timeline says he "named themself", his home keeps
// D-1 with his guidance so far, and Sam, who answered and voted, is told at once, with the question and
// where to answer: the proposal's discussion, mentioning Kai, who is told of it. Kai then resolves it.
// (c) Priya, a Hosting member, has moved from Kolkata to Tokyo (UTC+9); her phone keeps Tokyo's time, her
// record Kolkata's. Found: her home said "Times are in your time zone, Asia/Kolkata" and nothing else,
// every meeting and deadline 3½ hours off for her, with no way from there to change it. The home now
// links to the field, and on a device keeping other hours says so and where to change it. Changed by
// keyboard, the decision closing in her night reads 03:00 (Asia/Tokyo).
// Every page is checked with axe; the phone pages for sideways overflow too.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { chromiumOnHub, openBrowser, screenshot, seriousViolations, signInAs, signOut } from '../support/browser.ts';
import { runCli } from '../support/process.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const clockDir = mkdtempSync(path.join(tmpdir(), 'wghub-clock-'));
const clockFile = path.join(clockDir, 'clock');
writeFileSync(clockFile, '0');
afterAll(() => rmSync(clockDir, { recursive: true, force: true }));

const DAY = 24 * 3600_000;

/** Moves the served hub's time to `ms` past the real time (written whole, then renamed). */
function hubClockAhead(ms: number) {
  writeFileSync(`${clockFile}.new`, `+${ms}`);
  renameSync(`${clockFile}.new`, clockFile);
}

const { hub, browser } = chromiumOnHub({ env: { WGHUB_TEST_CLOCK_FILE: clockFile } });

async function checked(page: Page, where: string, phone = false) {
  expect(await seriousViolations(page), `axe on ${where}`).toEqual([]);
  if (phone) expect(await sidewaysOverflow(page), `sideways overflow on ${where}`).toBeLessThanOrEqual(0);
  await screenshot(page, `fresh-eyes-5-${where.replace(/[^a-z0-9]+/gi, '-')}`);
}

const squeezed = (s: string | null) => (s ?? '').replace(/\s+/g, ' ');
const mainText = async (page: Page) => squeezed(await page.locator('main').textContent());

async function cli(...args: string[]) {
  const r = await runCli(args, { WGHUB_DATABASE_URL: hub.databaseUrl, WGHUB_TEST_CLOCK_FILE: clockFile });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** Reloads `page` until its main text contains `words` (a notice is written by the hub's worker). */
async function untilShown(page: Page, words: string) {
  await expect
    .poll(async () => {
      await page.reload();
      return mainText(page);
    })
    .toContain(words);
}

describe('fresh eyes, fifth walk', () => {
  test('(a) a lead whose block stood reads where the escalated decision stands', async () => {
    const { page } = browser;
    // the demo's D-1 holds Sam's block: at its deadline (six days after the hub started) a vote opens
    hubClockAhead(7 * DAY);
    // (the served hub's timer may record it first: either way it is recorded before the votes)
    await cli('jobs', 'close-decisions');
    expect(await cli('decision', 'show', 'D-1')).toContain('state: vote, outcome: pending');
    await cli('--as', 'priya', 'decision', 'vote', 'D-1', 'yes');
    await cli('--as', 'sam-lead', 'decision', 'vote', 'D-1', 'no');
    // a week later the vote has closed, split: it goes to the core maintainers
    hubClockAhead(14 * DAY + 3600_000);
    await cli('jobs', 'close-decisions');
    expect(await cli('decision', 'show', 'D-1')).toContain('state: escalated, outcome: pending');

    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(hub.base + '/decisions/D-1');
    const deadline = squeezed(await page.locator('p.deadline').textContent());
    expect(deadline).toContain('(for lazy consensus; the vote did not settle it: it went to the core maintainers)');
    expect(deadline).not.toContain('closes with the vote');
    const vote = squeezed(await page.locator('p', { hasText: /^Vote:/ }).textContent());
    expect(vote).toMatch(/, closed yesterday, /);
    expect(vote).not.toContain('closes');
    const page1 = await mainText(page);
    expect(page1).toContain('No core maintainer designated yet.');
    // by name, as the page names him everywhere else ("Standing blocks: Sam Rivera (@sam-lead)"), not "(sam-lead)"
    expect(page1).toContain('1 block stood at the deadline, by Sam Rivera (@sam-lead): a formal vote opened');
    await checked(page, 'escalated-blocker');
    await signOut(page);
  });

  test('(b) a core maintainer in Tokyo names himself on his phone and asks for more; the blocker is told where to answer, and it is resolved', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Kai Tanaka');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    const home = await mainText(page);
    expect(home).toContain('Times are in your time zone, Asia/Tokyo (change it).');
    expect(home).toContain('Escalated, with nobody named to resolve it yet: name the core maintainer who does');
    await page.getByRole('link', { name: /^D-1: Adopt the session affinity guide/ }).click();
    await page.waitForURL(/\/decisions\/D-1$/);
    expect(await mainText(page)).toMatch(/Initial response due in \d+ days, .* \(Asia\/Tokyo\)/);
    await checked(page, 'escalated-to-name-375', true);

    // by keyboard: the first candidate, the arrow to the next (himself), Tab to the button, Enter
    await page.getByLabel('Inês Moreira (@ines-core)').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Kai Tanaka (@kai-core)').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('The core maintainer is designated.').waitFor();

    await page.getByLabel('More information is needed').check();
    const question =
      'Sam: which part of the stateless transport work makes sticky sessions unnecessary? Priya: may the guide say it is interim?';
    await page.getByLabel('Guidance', { exact: true }).fill(question);
    await page.getByRole('button', { name: 'Record guidance' }).click();
    await page.getByText('Your guidance is recorded.').waitFor();
    const asked = await mainText(page);
    expect(asked).toContain(`Guidance (more information is needed): ${question}`);
    expect(asked).toContain('(so far: more information is needed)');
    expect(asked).not.toContain('more-information');
    expect(asked).toContain('Kai Tanaka (@kai-core) named themself to resolve the escalation');
    expect(asked).toContain(`Kai Tanaka (@kai-core) gave guidance (more information is needed): ${question}`);
    await checked(page, 'guidance-asked-375', true);

    // it still waits on him: his home keeps it, with what he asked so far
    await page.goto(hub.base + '/');
    expect(await mainText(page)).toMatch(
      /Escalated to you to resolve: give your guidance on its page\. D-1: Adopt the session affinity guide .*; your guidance so far: more information is needed/,
    );
    await checked(page, 'resolver-home-375', true);
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);

    // Sam, who blocked and voted, is told at once, with the question and where to answer it
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(hub.base + '/inbox');
    await untilShown(
      page,
      'D-1: Kai Tanaka (@kai-core), who resolves its escalation, says more information is needed: Adopt the session affinity guide',
    );
    expect(await mainText(page)).toContain(`“${question}” Answer in P-2's discussion, mentioning @kai-core.`);
    await checked(page, 'blocker-inbox');
    await page.getByRole('link', { name: /^D-1: Kai Tanaka/ }).click();
    await page.waitForURL(/\/decisions\/D-1$/);
    expect(await mainText(page)).toContain(
      "Answer it in P-2's discussion, mentioning @kai-core so Kai Tanaka is told: responses and votes on D-1 are closed.",
    );
    await page.getByRole('link', { name: "P-2's discussion" }).click();
    await page.waitForURL(/\/proposals\/P-2#discussion$/);
    await page
      .getByLabel('Add a comment')
      .fill(
        '@kai-core on D-1: the stateless transport work removes server-side session state, so affinity matters only for the legacy transport. An interim guide is fine by me.',
      );
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForURL(/\/proposals\/P-2#c-/);
    await checked(page, 'blocker-answers');
    await signOut(page);

    // Kai hears of the answer and gives the word that resolves it
    await signInAs(page, hub.base, 'Kai Tanaka');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(hub.base + '/inbox');
    await untilShown(page, 'Sam Rivera (@sam-lead) commented on P-2');
    await page.goto(hub.base + '/decisions/D-1');
    await page.getByLabel('Binding: this resolves the decision').check();
    await page
      .getByLabel('Guidance', { exact: true })
      .fill('Adopt the guide as an interim artifact, to be revisited when the stateless transport lands.');
    await page.getByRole('button', { name: 'Record guidance' }).click();
    await page.getByText('Your guidance is recorded.').waitFor();
    const resolved = await mainText(page);
    expect(resolved).toContain('resolved by escalation');
    expect(resolved).toContain('Binding guidance: Adopt the guide as an interim artifact');
    expect(resolved).toContain('(for lazy consensus; a vote followed)');
    expect(resolved).not.toContain('Initial response due');
    await checked(page, 'resolved-375', true);
    await page.goto(hub.base + '/');
    expect(await mainText(page)).not.toContain('Escalated to you to resolve');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);
  });

  test('(c) a member whose phone keeps Tokyo time and whose record says Kolkata is told so, changes it by keyboard, and reads a night deadline in her hours', async () => {
    // Sam opens a decision closing at 18:00 UTC, 03:00 in Tokyo, a week from the hub's now
    const closes = new Date(Date.now() + 21 * DAY + 3600_000);
    closes.setUTCHours(18, 0, 0, 0);
    const q = 'Publish the interim guide on the blog?';
    await cli(
      '--as',
      'sam-lead',
      'decision',
      'open',
      '--group',
      'hosting',
      '--question',
      q,
      '--significance',
      'minor',
      '--deadline',
      closes.toISOString(),
    );

    const tokyo = await openBrowser({ timezoneId: 'Asia/Tokyo' });
    try {
      const page = tokyo.page;
      await signInAs(page, hub.base, 'Priya Nair');
      await page.setViewportSize({ width: 375, height: 800 });
      await page.reload();
      const differs = page.locator('#zone-differs');
      await differs.waitFor();
      expect(squeezed(await differs.textContent())).toBe(
        'This device keeps the time of Asia/Tokyo, not Asia/Kolkata: if you are there now, change your time zone, so meetings and deadlines here are shown in your hours.',
      );
      expect(await mainText(page)).toMatch(
        /D-3: Publish the interim guide on the blog\? ?Closes in \d+ days, .* 23:30 \(Asia\/Kolkata\)/,
      );
      await checked(page, 'zone-differs-375', true);

      await differs.getByRole('link', { name: 'change your time zone' }).click();
      await page.waitForURL(/\/people\/priya\/edit#f-profile-timeZone$/);
      // the link lands on the field: she types the zone's name and saves, by keyboard
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement
              ?.id,
        ),
      ).toBe('f-profile-timeZone');
      await page.keyboard.type('Asia/Tokyo');
      expect(await page.locator('#f-profile-timeZone').inputValue()).toBe('Asia/Tokyo');
      await checked(page, 'profile-zone-375', true);
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('Your profile is saved.').waitFor();

      await page.goto(hub.base + '/');
      const home = await mainText(page);
      expect(home).toContain('Times are in your time zone, Asia/Tokyo (change it).');
      expect(home).toMatch(
        /D-3: Publish the interim guide on the blog\? ?Closes in \d+ days, .* 03:00 \(Asia\/Tokyo\)/,
      );
      expect(await differs.isHidden()).toBe(true);
      await checked(page, 'home-in-tokyo-375', true);
    } finally {
      await tokyo.close();
    }
  });
});
