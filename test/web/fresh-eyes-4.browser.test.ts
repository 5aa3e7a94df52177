// Fresh eyes, fourth walk, in Chromium on the demo community, on a test clock (WGHUB_TEST_CLOCK_FILE).
// (a) Priya facilitates Horizontal scaling and prepares its content meeting, M-2, a deep-dive on sticky
// sessions. Found: "What needs the group" offered the group's open decisions and proposals waiting for
// a sponsor, but not P-2, the session affinity guide the group is discussing, which is what a content
// meeting takes up; it now offers the proposals the group is working on, its topic area's first. A
// visitor on a phone then follows a link to P-2. Found: its page said nothing of the meeting that would
// discuss it, nor where to send written input; it now lists the meetings that take it up, and the
// meeting's page tells a visitor to sign in to send written input (it said nothing of it). Amara signs
// in from there and sends hers from the proposal's link.
// (b) Priya comes back two weeks later. Found: her home said "None: no open decision is waiting for your
// voice" and nothing else about decisions, though her group had adopted two while she was away, one by
// her own silence, and said nothing of the deep-dive she missed; it now lists what was decided since her
// last visit, how each ended and what she answered, and the meeting notes published since. She consents
// in one click, on her phone, to the decision closing tomorrow (found: its Consent was the sixth column of
// a table, off the screen; the decision, question and deadline now share the first). Found: her action item ten days past its due date was
// listed like any other, its button only on the meeting's page; it now says "past due" and is marked
// done from her home.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { chromiumOnHub, screenshot, seriousViolations, signInAs, signOut } from '../support/browser.ts';
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
  await screenshot(page, `fresh-eyes-4-${where.replace(/[^a-z0-9]+/gi, '-')}`);
}

const text = async (page: Page, region: string) =>
  ((await page.getByRole('region', { name: region }).textContent()) ?? '').replace(/\s+/g, ' ');

describe('fresh eyes, fourth walk', () => {
  test('(a) a facilitator puts the proposal under discussion on her content meeting; a visitor of the proposal finds the meeting and sends written input', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Priya Nair');
    await page.goto(hub.base + '/meetings/M-2');
    const needs = page.locator('#agenda-suggestions');
    expect(((await needs.textContent()) ?? '').replace(/\s+/g, ' ')).toContain(
      'P-2: Session affinity guide for load-balanced MCP servers (at community discussion since',
    );
    await needs.getByRole('button', { name: 'Add P-2 to the agenda' }).click();
    await page.getByText('The item is on the agenda.').waitFor();
    await page.getByRole('button', { name: 'Publish the agenda' }).click();
    await page
      .getByText(/were told|was told/)
      .first()
      .waitFor();
    await signOut(page);

    // a visitor on a phone, from a link to the proposal
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(hub.base + '/proposals/P-2');
    const meetings = await text(page, 'In meetings');
    expect(meetings).toContain('M-2: Horizontal scaling deep-dive: sticky sessions (content meeting), meets in');
    expect(meetings).toContain('On its agenda: Session affinity guide for load-balanced MCP servers.');
    await checked(page, 'proposal-in-meetings-375', true);
    await page.getByRole('region', { name: 'In meetings' }).getByRole('link', { name: 'Send written input' }).click();
    await page.waitForURL(/\/meetings\/M-2#written-input$/);
    await page.locator('#written-input').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign in as Amara Diallo' }).click();
    await page.waitForURL(/\/meetings\/M-2$/);
    // back on the proposal, signed in: its link opens the form
    await page.goto(hub.base + '/proposals/P-2');
    await page.getByRole('region', { name: 'In meetings' }).getByRole('link', { name: 'Send written input' }).click();
    await page
      .getByLabel('On which item')
      .selectOption({ label: '2. Session affinity guide for load-balanced MCP servers' });
    await page
      .getByLabel('Your input')
      .fill('I cannot attend: our Envoy setup loses affinity on a hot restart; please cover draining.');
    await page.getByRole('button', { name: 'Send written input' }).click();
    await page.getByText('Written input (1)').waitFor();
    await checked(page, 'written-input-375', true);
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);
  });

  test('(b) a member back after two weeks reads what was decided without her, consents in a click, and clears an overdue action item', async () => {
    const { page } = browser;
    const env = { WGHUB_DATABASE_URL: hub.databaseUrl };
    // while Priya is away, Sam opens two decisions of Hosting: one that closes within the fortnight, one after
    const open = async (question: string, ...more: string[]) => {
      const r = await runCli(
        ['--as', 'sam-lead', 'decision', 'open', '--group', 'hosting', '--question', question, ...more],
        env,
      );
      expect(r.code, r.stderr).toBe(0);
    };
    await open('Adopt the retry guidance as a Hosting supporting resource?', '--significance', 'significant');
    const later = new Date(Date.now() + 15 * DAY).toISOString();
    await open('Hold the January content meeting on multi-tenancy?', '--significance', 'minor', '--deadline', later);
    hubClockAhead(14 * DAY);
    // M-2, the deep-dive, met while she was away: Sam records a decision taken there and publishes its notes
    const now = { ...env, WGHUB_TEST_CLOCK_FILE: clockFile };
    const taken = ['--as', 'sam-lead', 'meeting', 'decision', 'M-2', '--summary', 'Draining goes in the guide.'];
    const recorded = await runCli(taken, now);
    expect(recorded.code, recorded.stderr).toBe(0);
    const notes = path.join(clockDir, 'notes.md');
    writeFileSync(notes, '# M-2 notes\n\nAmara’s input on draining was presented; the guide gains a section on it.\n');
    const published = await runCli(['--as', 'sam-lead', 'meeting', 'notes', 'M-2', '--file', notes], now);
    expect(published.code, published.stderr).toBe(0);

    await signInAs(page, hub.base, 'Priya Nair');
    const decided = await text(page, 'Decided since your last visit');
    expect(decided).toContain(
      'D-3: Adopt the retry guidance as a Hosting supporting resource? (Hosting) adopted by lazy consensus, closed',
    );
    expect(decided).toContain('You did not answer: silence by the deadline counts as consent.');
    expect(decided).toContain('D-2: Move the fortnightly coordination meeting to 17:00 UTC? (Hosting) adopted by vote');
    expect(decided).toContain('Your answer: voted yes.');
    expect(await text(page, 'Meeting notes since your last visit')).toMatch(
      /M-2: Horizontal scaling deep-dive: sticky sessions \(Hosting\), met .*; notes published .*, with 1 decision taken\./,
    );
    await checked(page, 'decided-since');

    // what closes tomorrow, answered from home in one click, on her phone: the button is on the screen,
    // not the sixth column of a table behind a sideways scroll
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    const awaiting = page.getByRole('region', { name: 'Decisions awaiting your response', exact: true });
    expect(((await awaiting.textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(
      /D-4: Hold the January content meeting on multi-tenancy\? ?Closes in 24 hours/,
    );
    const consent = awaiting.getByRole('button', { name: 'Consent to D-4' });
    const box = (await consent.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    await checked(page, 'home-375', true);
    await consent.click();
    await page.getByText('Your response is recorded.').waitFor();

    // the overdue action item says so, and is marked done from home
    await page.goto(hub.base + '/');
    const actions = page.getByRole('region', { name: 'Your action items' });
    // the demo's item is due five days after the hub first started (the day this runs, so no fixed date)
    expect(((await actions.textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(
      /past due Draft the session affinity guide outline — due \d{1,2} [A-Z][a-z]{2} \d{4}/,
    );
    await actions.getByRole('button', { name: 'Mark done “Draft the session affinity guide outline”' }).click();
    await page.getByText('The action item is done.').waitFor();
    await page.goto(hub.base + '/');
    expect(await text(page, 'Your action items')).not.toContain('Draft the session affinity guide outline');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
