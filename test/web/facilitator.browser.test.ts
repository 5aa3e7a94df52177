// Journeys in Chromium: a facilitator runs a group for a day from the browser alone. Sam, the
// Hosting lead, reads what needs his attention, raises a member's level, adds a topic area, moves
// a meeting and takes an item off its agenda, and hides a comment with a reason; a reader then sees
// the reason in place of the text. Then the rest of issue 16's facilitator jobs, each a click-through
// checked by what the page shows: edit a proposal, a topic area, one's profile and time zone; create
// and revoke an API token (the API answers to it, then no longer); propose, sponsor and move a group;
// cancel and restore a meeting; read the late notes; add and verify evidence; leave a group; browse
// people and organisations; lock a comment with a reason. One Chromium for all; every page gets axe.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  focused,
  openBrowser,
  screenshot,
  seriousViolations,
  signInAs as signInAsOn,
  signOut,
  startWebHub,
  type Browser,
  type WebHub,
  watchScripts,
} from '../support/browser.ts';
import { ROOT } from '../support/process.ts';
import { sidewaysOverflow } from '../support/widths.ts';

let hub: WebHub;
// the governance file with one stdio MCP server on the evidence allow-list, so "Verify now" has something to start
const govDir = mkdtempSync(path.join(tmpdir(), 'wghub-gov-'));
const governance = path.join(govDir, 'governance.yaml');
writeFileSync(
  governance,
  readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8').replace(
    /stdioCommands: \{\}/,
    `stdioCommands: { good: ${JSON.stringify([path.join(ROOT, 'node_modules/.bin/node'), path.join(ROOT, 'test/fixtures/mcp/good-server.ts')])} }`,
  ),
);
let browser: Browser;
const scriptProblems: string[] = [];

beforeAll(async () => {
  hub = await startWebHub({
    env: { WGHUB_GOVERNANCE: governance },
    before: [
      ['seed'],
      [
        '--as',
        'sam-lead',
        'proposal',
        'new',
        '--title',
        'Resumable streams behind load balancers',
        '--problem',
        'A stream cut by a deploy cannot be resumed on another server process.',
        '--layer',
        'working-group-artifact',
        '--group',
        'hosting',
      ],
      ['--as', 'jonas', 'proposal', 'comment', 'P-1', 'Zorblax Cloud fixes this, sign up today!'],
      ['--as', 'priya', 'proposal', 'comment', 'P-1', 'We settled on a resumption token at the last meeting.'],
    ],
  });
  browser = await openBrowser();
  watchScripts(browser.page, scriptProblems);
}, 120_000);
afterEach(() => {
  expect(scriptProblems).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(govDir, { recursive: true, force: true });
});

const signInAs = (page: Page, name: string) => signInAsOn(page, hub.base, name);

async function accessible(page: Page, name: string) {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

describe('running a group in Chromium', () => {
  test('a lead sets a level, adds a topic area, moves a meeting, drops an agenda item and hides a comment', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(hub.base + '/groups/hosting');
    const attention = page.getByRole('region', { name: 'Needs your attention' });
    await attention.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'group-home-lead');

    // Amara observes; Sam makes her a participant
    const manage = page.getByRole('region', { name: 'Run this group' });
    await manage.getByLabel('Person (handle)').fill('amara');
    await manage.getByLabel('Level', { exact: true }).selectOption('participant');
    await manage.getByRole('button', { name: 'Set the level' }).click();
    await page.getByText('amara is now a participant.').waitFor();

    // a topic area, with a bad short name first: the error names the field and keeps the text
    await page.getByRole('link', { name: 'Add a topic area' }).first().click();
    await page.getByLabel('Short name').fill('Session Resumption');
    await page.getByLabel('Name', { exact: true }).fill('Session resumption');
    await page.getByLabel(/To propose changes to the MCP specification/).check();
    await page.getByLabel('Facilitators (handles)').fill('priya');
    await page.getByRole('button', { name: 'Add the topic area' }).click();
    await page
      .locator('.error-summary')
      .getByText(/Short name: must be lowercase/)
      .waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Session resumption');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Short name').fill('session-resumption');
    await page.getByRole('button', { name: 'Add the topic area' }).click();
    await page.getByText('The topic area “Session resumption” is added.').waitFor();

    // M-2 moves a day later, and an item comes off its agenda
    await page.goto(hub.base + '/meetings/M-2');
    await page.getByText('Add an agenda item').click();
    await page.getByLabel('Item', { exact: true }).fill('Something we no longer need');
    await page.getByRole('button', { name: 'Add to the agenda' }).click();
    await page.getByText('The item is on the agenda.').waitFor();
    await page.getByRole('button', { name: 'Take “Something we no longer need” off the agenda' }).click();
    await page.getByText('The item is off the agenda.').waitFor();
    await page.getByText('Move it to another time').click();
    // the form is a picker on the organiser's clock (M-2 is organised from Kolkata), pre-filled with the start
    const zone = page.getByLabel("Organiser's time zone");
    expect(await zone.inputValue()).toBe('Asia/Kolkata');
    const start = page.getByLabel('New start');
    expect(await start.getAttribute('type')).toBe('datetime-local');
    const was = await start.inputValue();
    expect(was).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    // a day later, on a Berlin clock this time
    const later = new Date(Date.parse(`${was}:00Z`) + 86_400_000).toISOString().slice(0, 16);
    await zone.selectOption('Europe/Berlin');
    await start.fill(later);
    await page.getByRole('button', { name: 'Move the meeting' }).click();
    await page.getByText('The meeting is moved; the group is told.').waitFor();
    // read back on Berlin's clock, the new start is what was picked (read as UTC it would be an hour off)
    await page.getByText('Move it to another time').click();
    expect(await page.getByLabel("Organiser's time zone").inputValue()).toBe('Europe/Berlin');
    expect(await page.getByLabel('New start').inputValue()).toBe(later);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'meeting-moved');

    // the advert in P-1's discussion is hidden, with the reason
    await page.goto(hub.base + '/proposals/P-1');
    const moderate = page.locator('details', { hasText: 'Moderate the comment of Jonas Berg (@jonas)' });
    await moderate.getByText('Moderate the comment of Jonas Berg (@jonas)').click();
    await moderate.getByLabel('Hide it').check();
    await moderate.getByLabel('Reason (shown to readers)').fill('Advertising, not an interest');
    await moderate.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('The comment is hidden; readers see your reason.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);

    await signInAs(page, 'Priya Nair');
    await page.goto(hub.base + '/proposals/P-1');
    const discussion = page.getByRole('region', { name: /Discussion/ });
    expect(await discussion.textContent()).toContain('Advertising, not an interest');
    expect(await discussion.textContent()).not.toContain('Zorblax');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'comment-hidden');
    await signOut(page);
  }, 180_000);

  test('a contributor browses people and organisations, sets their time zone, makes and revokes an API token, and leaves a group', async () => {
    const { page } = browser;
    await signInAs(page, 'Amara Diallo');
    // people, then an organisation, then a person in it
    await page.getByRole('banner').getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    expect(await page.getByRole('table').textContent()).toContain('Kai Tanaka');
    await accessible(page, 'people');
    await page.getByRole('link', { name: 'organisations', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor();
    await page.getByRole('link', { name: 'Nebula Tools' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nebula Tools' }).waitFor();
    await accessible(page, 'organisation');
    await page.getByRole('link', { name: 'Kai Tanaka' }).click();
    await page.getByRole('heading', { level: 1, name: /Kai Tanaka/ }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Asia/Tokyo');

    // her own profile: a new time zone, and every time she reads is then on that clock
    await page.goto(hub.base + '/people');
    await page.getByRole('link', { name: 'Edit your profile and time zone' }).click();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Africa/Lagos');
    await page.getByLabel('Time zone').selectOption('America/Sao_Paulo');
    await page.getByLabel('Discord handle (optional)').fill('amara.d');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile is saved.').waitFor();
    expect(await page.locator('main').textContent()).toContain('America/Sao_Paulo');
    await page.goto(hub.base + '/meetings/M-1');
    expect(await page.locator('main').textContent()).toContain('(America/Sao_Paulo)');

    // an API token: shown once, the API answers to it; revoked, the API no longer does
    await page.goto(hub.base + '/people/amara/edit');
    await page.getByLabel('What the new token is for').fill('laptop CLI');
    await page.getByRole('button', { name: 'Create a token' }).click();
    const secret = (await page.locator('code.secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    const me = (token: string) => fetch(hub.base + '/api/me', { headers: { Authorization: `Bearer ${token}` } });
    const answered = await me(secret);
    expect(answered.status).toBe(200);
    expect(JSON.stringify(await answered.json())).toContain('"amara"');
    await accessible(page, 'token-created');
    await page.getByRole('button', { name: 'Revoke laptop CLI' }).click();
    await page.getByText('The token is revoked: nothing can use it any more.').waitFor();
    await page.goto(hub.base + '/people/amara/edit');
    expect(await page.getByRole('table').textContent()).toMatch(/laptop CLI.*revoked/s);
    expect((await me(secret)).status).toBe(401);

    // she leaves Hosting
    await page.goto(hub.base + '/groups/hosting');
    await page.getByRole('button', { name: 'Leave Hosting' }).click();
    await page.getByText('You have left the group.').waitFor();
    expect(await page.getByRole('button', { name: 'Leave Hosting' }).count()).toBe(0);
    expect(await page.locator('section[aria-labelledby=members]').textContent()).not.toContain('Amara Diallo');
    await accessible(page, 'group-left');
    await signOut(page);
  }, 180_000);

  test('a lead edits a proposal and a topic area, adds evidence, locks a comment, cancels and restores a meeting and reads the late notes', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(hub.base + '/proposals/P-1');
    await page.getByRole('link', { name: 'Edit this proposal' }).click();
    await page.getByLabel('Title').fill('Resumable streams behind load balancers and proxies');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Your changes are saved.').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'P-1: Resumable streams behind load balancers and proxies',
    );

    // evidence naming an MCP server on the hub's allow-list, for a maintainer to verify
    await page.locator('summary', { hasText: 'Add evidence' }).click();
    await page.getByLabel('Kind of evidence').selectOption('implementation');
    await page.getByLabel('What it shows').fill('Our resumable-stream server');
    await page.getByLabel('Link (optional)').fill('stdio:good');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.getByText('The evidence is added.').waitFor();
    expect(await page.locator('section[aria-labelledby=evidence]').textContent()).toContain('not verified');

    // Priya's comment is settled: locked, with the reason readers see
    const moderate = page.locator('details', { hasText: 'Moderate the comment of Priya Nair (@priya)' });
    await moderate.getByText('Moderate the comment of Priya Nair (@priya)').click();
    await moderate.getByLabel('Lock it (no replies or edits)').check();
    await moderate.getByLabel('Reason (shown to readers)').fill('Settled at the meeting of the 1st');
    await moderate.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('The comment is locked.').waitFor();
    expect(await page.getByRole('region', { name: /Discussion/ }).textContent()).toMatch(
      /Locked by Sam Rivera \(@sam-lead\) .*Settled at the meeting of the 1st/s,
    );
    await accessible(page, 'comment-locked');

    // a topic area's cadence
    await page.goto(hub.base + '/groups/hosting');
    await page.getByRole('link', { name: 'Edit Horizontal scaling' }).click();
    await page.getByLabel('How often it meets (optional)').fill('every two weeks');
    await page.getByRole('button', { name: 'Save the topic area' }).click();
    await page.getByText('The topic area is saved.').waitFor();
    expect(await page.locator('section[aria-labelledby=topics]').textContent()).toContain('every two weeks');

    // M-2 is called off, then back on
    await page.goto(hub.base + '/meetings/M-2');
    // the button alone does nothing: the browser asks for the box first, so one stray click tells nobody
    await page.getByRole('button', { name: 'Cancel M-2' }).click();
    expect(
      await page
        .getByLabel('Yes, cancel M-2 and tell the group')
        .evaluate((b) => (b as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing),
    ).toBe(true);
    expect(await page.locator('main .badge.bad', { hasText: 'cancelled' }).count()).toBe(0);
    await page.getByLabel('Yes, cancel M-2 and tell the group').check();
    await page.getByRole('button', { name: 'Cancel M-2' }).click();
    await page.getByText('The meeting is cancelled; the group is told.').waitFor();
    expect(await page.locator('main .badge.bad', { hasText: 'cancelled' }).count()).toBe(1);
    await accessible(page, 'meeting-cancelled');
    await page.getByRole('button', { name: 'Restore M-2' }).click();
    await page.getByText('The meeting is back on.').waitFor();
    expect(await page.locator('main .badge.bad', { hasText: 'cancelled' }).count()).toBe(0);

    // Security met five days ago and has no notes yet: the late notes say so
    await page.goto(hub.base + '/meetings');
    await page.getByRole('link', { name: 'Late notes' }).click();
    const late = page.getByRole('table', { name: 'Meetings with late notes' });
    expect(await late.textContent()).toMatch(/M-3: Tool poisoning patterns review.*overdue/s);
    await accessible(page, 'late-notes');
    await signOut(page);
  }, 180_000);

  test('a member proposes a group, two core maintainers sponsor it and move it to active; a maintainer verifies evidence', async () => {
    const { page } = browser;
    await signInAs(page, 'Priya Nair');

    // Priya facilitates Horizontal scaling (not a lead of Hosting): on a phone she reads that she may
    // step down but not add anyone, is refused when she tries, steps down, and no longer runs it
    await page.setViewportSize({ width: 360, height: 780 });
    try {
      await page.goto(hub.base + '/groups/hosting/topics/horizontal-scaling/edit');
      const facilitators = page.getByLabel('Facilitators (handles)');
      const hint = await page.locator(`#${await facilitators.getAttribute('aria-describedby')}`).textContent();
      expect(hint).toContain('To step down, take your handle (priya) off the list and save');
      expect(hint).toContain('Adding or removing anyone else is for the leads');
      expect(await sidewaysOverflow(page)).toBe(0);
      await accessible(page, 'topic-area-facilitator-360');
      const held = (await facilitators.inputValue()).split(/\s+/);
      expect(held).toContain('priya');
      await facilitators.fill([...held, 'jonas'].join(' '));
      await page.getByRole('button', { name: 'Save the topic area' }).click();
      expect(await page.locator('.error-summary').textContent()).toMatch(/may choose this topic area's facilitators/);
      await facilitators.fill(held.filter((h) => h !== 'priya').join(' '));
      await page.getByRole('button', { name: 'Save the topic area' }).click();
      await page.getByText('You stepped down: you no longer facilitate it').waitFor();
      const scaling = page.locator('section[aria-labelledby=topics] li.card', {
        has: page.getByRole('heading', { name: 'Horizontal scaling' }),
      });
      expect(await scaling.textContent()).toContain('Facilitators: Sam Rivera');
      expect(await scaling.textContent()).not.toContain('Priya Nair');
      expect(await scaling.getByRole('link', { name: 'Edit Horizontal scaling' }).count()).toBe(0);
      await accessible(page, 'topic-area-stepped-down-360');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    await page.goto(hub.base + '/groups');
    await page.getByRole('link', { name: 'Propose a group' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Registry');
    await page.getByLabel('Short name').fill('registry');
    await page.getByLabel('Mission').fill('Agree how MCP servers are published to and found in registries.');
    await page.getByLabel('In scope (one per line)').fill('Server metadata\nNamespaces');
    await accessible(page, 'group-propose');
    await page.getByRole('button', { name: 'Propose the group' }).click();
    await page
      .getByText('The group is proposed. It becomes active once it is sponsored: its page lists who may sponsor it.')
      .waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Registry');
    // its lead reads what it waits for, and on whom, where "Nothing is waiting" stood
    const waiting = await page.getByRole('region', { name: 'Needs your attention' }).textContent();
    expect(waiting).toContain('Proposed, not active yet');
    expect(waiting).toContain('once it has sponsors (2 core maintainers or 1 lead maintainer; none yet)');
    expect(waiting).not.toContain('Nothing is waiting');
    await accessible(page, 'group-proposed-waits');
    await signOut(page);

    await signInAs(page, 'Kai Tanaka');
    await page.goto(hub.base + '/groups/registry');
    await page.getByRole('button', { name: 'Sponsor Registry' }).click();
    await page.getByText('You sponsor the group.').waitFor();
    // one core maintainer is not enough: moving now is refused, in words
    await page.getByLabel(/^active/).check();
    await page.getByRole('button', { name: 'Move the group' }).click();
    expect(await page.locator('.error-summary').textContent()).toContain('sponsorship');
    await accessible(page, 'group-move-refused');
    // Kai verifies the evidence Sam added: the hub starts the listed server and records what it reports
    await page.goto(hub.base + '/proposals/P-1');
    await page.getByRole('button', { name: 'Verify now' }).click();
    await page.getByText('The evidence was checked: its result is in the table.').waitFor({ timeout: 30_000 });
    expect(await page.locator('section[aria-labelledby=evidence]').textContent()).toContain('✓ verified');
    await accessible(page, 'evidence-verified');
    await signOut(page);

    await signInAs(page, 'Inês Moreira');
    await page.goto(hub.base + '/groups/registry');
    await page.getByRole('button', { name: 'Sponsor Registry' }).click();
    await page.getByText('You sponsor the group.').waitFor();
    await page.getByLabel(/^active/).check();
    await page.getByRole('button', { name: 'Move the group' }).click();
    await page.getByText('The group is now active.').waitFor();
    await page.goto(hub.base + '/groups');
    expect(await page.locator('main').textContent()).toMatch(/Registry/);
    await accessible(page, 'group-active');
    await signOut(page);

    // Registry is an active working group with no process meeting ahead: its lead is asked for one,
    // and the link opens the schedule form on Registry with a process meeting chosen
    await signInAs(page, 'Priya Nair');
    await page.goto(hub.base + '/groups/registry');
    const attention = page.getByRole('region', { name: 'Needs your attention' });
    expect(await attention.textContent()).toContain('No process meeting ahead');
    await attention.getByRole('link', { name: 'Schedule a process meeting' }).click();
    await page.waitForURL(/\/meetings\/new\?/);
    expect(await page.getByLabel('Group', { exact: true }).inputValue()).toBe('registry');
    expect(await page.getByLabel(/^Process: how the group works/).isChecked()).toBe(true);
    await accessible(page, 'schedule-process-meeting');
    await signOut(page);
  }, 180_000);

  test("a keyboard user steps through the charter's sections with the arrow keys and loads one with Enter", async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(hub.base + '/groups/hosting/charter/edit');
    const picker = page.getByLabel('Section to edit');
    const first = await picker.inputValue();
    const options = await picker
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    const editUrl = page.url();
    // arrowing past a section does not load it: the page stays, and so does the focus
    await picker.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(300);
    expect(page.url()).toBe(editUrl);
    expect((await focused(page))?.id).toBe('pick-section');
    expect(await picker.inputValue()).toBe(options[options.indexOf(first) + 2]);
    // Enter loads the section chosen, as a click on "Load this section" does
    await page.keyboard.press('Enter');
    await page.waitForURL(/section=/);
    const chosen = options[options.indexOf(first) + 2]!;
    expect(new URL(page.url()).searchParams.get('section')).toBe(chosen);
    await page.getByRole('button', { name: `Save “${chosen}”` }).waitFor();
    // and lands in the section's text, focused, to edit it: the focus was left at the top of the
    // page, a dozen Tabs through the navigation away from the text
    await page.waitForLoadState('load');
    expect((await focused(page))?.id).toBe('f-sections-0-markdown');
    expect(await page.getByLabel(`Text of “${chosen}” (markdown)`).getAttribute('id')).toBe('f-sections-0-markdown');
    // a subsection is offered under its section's name, since loading the section shows it too
    const labels = await picker.locator('option').allTextContents();
    expect(labels).toContain('Scope › In Scope');
    expect(labels).not.toContain('In Scope');
    // a choice made with the mouse still loads at once
    await picker.selectOption(first);
    await page.waitForURL((u) => new URL(u).searchParams.get('section') === first);
    await signOut(page);
  }, 60_000);
});
