// Journeys in Chromium: a member files a proposal and sees a prior-work match among real SEPs as
// they type; on a phone and by keyboard, an author reads what her pull request description lacks,
// adds the link and copies it, and a visitor reads the same draft; a member blocks a decision
// without an alternative, is told why, then blocks with one.
// Every page visited is checked with axe and read again over plain HTTP (no JavaScript).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  chromiumOnHub,
  focused,
  screenshot,
  seriousViolations,
  plainGet as plainGetOn,
  signInAs as signInAsOn,
  signOut,
} from '../support/browser.ts';

const SEPS = '/work/shared/corpus/mcp-governance/spec-repo/seps';
const PICK = ['1303-', '1024-', '1046-', '1577-', '1613-'];

let sepDir: string;
const { hub, browser } = chromiumOnHub(async () => {
  sepDir = mkdtempSync(path.join(tmpdir(), 'wghub-seps-'));
  for (const f of readdirSync(SEPS).filter((f) => PICK.some((p) => f.startsWith(p))))
    cpSync(path.join(SEPS, f), path.join(sepDir, f));
  return { before: [['import', 'seps', sepDir]] };
});
afterAll(() => rmSync(sepDir, { recursive: true, force: true }));

const signInAs = (page: Page, name: string) => signInAsOn(page, hub.base, name);

const plainGet = (pathname: string) => plainGetOn(browser.context, hub.base, pathname);

describe('proposals in Chromium', () => {
  test('a member files a proposal and sees a prior-work match among real SEPs while typing', async () => {
    const { page } = browser;
    await signInAs(page, 'Priya Nair');

    await page.goto(hub.base + '/proposals');
    await page.getByRole('link', { name: 'SEP-1303' }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'proposals-list');
    // on a desktop the filter controls sit side by side without covering one another
    const boxes = await page
      .getByRole('search', { name: 'Filter proposals' })
      .locator('select, input:not([type=hidden]), button')
      .evaluateAll((els) =>
        els.map((e) => {
          const r = (
            e as unknown as { getBoundingClientRect(): { left: number; right: number; top: number; bottom: number } }
          ).getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
      );
    expect(boxes.length).toBeGreaterThanOrEqual(4);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(
          a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1,
          `filter controls ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`,
        ).toBe(false);

    await page.getByRole('link', { name: 'New proposal' }).click();
    await page.getByRole('heading', { name: 'Propose a contribution', level: 1 }).waitFor();
    await page
      .getByLabel('Title')
      .pressSequentially('Tool input validation errors returned to the model', { delay: 15 });
    await page
      .getByLabel('The problem it solves')
      .fill(
        'When a tool call fails input validation, the client treats it as a protocol error and the model never sees the message, so it cannot correct its arguments and retry.',
      );
    await page
      .getByLabel('Interests: the needs behind it')
      .fill('We must adopt our proprietary validator. Our product is the best validator on the market.');
    const panel = page.locator('#prior-work-panel');
    await panel.getByRole('link', { name: 'SEP-1303' }).waitFor({ timeout: 10_000 });
    expect(await panel.textContent()).toContain('Input Validation Errors as Tool Execution Errors');
    await panel.getByText('Reads as marketing').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'proposal-new-prior-work');

    // the hints never block: the proposal is filed as written
    await page
      .getByLabel('Real-world examples (one per line)')
      .fill('A flight booking tool rejects a past date and the model retries blindly');
    await page.getByRole('button', { name: 'File proposal' }).click();
    await page
      .getByRole('heading', { level: 1, name: /^P-\d+: Tool input validation errors returned to the model$/ })
      .waitFor();
    const ref = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.getByRole('status').first().textContent()).toContain(`Your proposal ${ref} is filed`);
    expect(await page.locator('ol.stepper [aria-current=step]').first().textContent()).toContain('idea');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'proposal-page');

    // comment, as the member would next; support is for others who need it too, and the page says so
    const support = page.getByRole('button', { name: 'Support this proposal' });
    expect(await support.getAttribute('aria-disabled')).toBe('true');
    expect(await page.locator(`#${await support.getAttribute('aria-describedby')}`).textContent()).toBe(
      'You are its author: support shows that others need it too.',
    );
    // the guide's hint comes while the comment is written, before it is posted
    await page.getByLabel('Add a comment').fill("We must use vendor X's protocol, end of discussion.");
    await page.locator('.live-hints', { hasText: 'Reads as a position' }).waitFor();
    await page.getByLabel('Add a comment').fill('Related to SEP-1303, which already **landed** this for tools.');
    await page.locator('.live-hints aside').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.comment strong', { hasText: 'landed' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // a SEP shows the SEP lifecycle; the which-layer questionnaire answers on the page
    await page.goto(hub.base + '/proposals/SEP-1303');
    expect(await page.getByRole('heading', { name: 'The SEP lifecycle', level: 2 }).count()).toBe(1);
    await page.getByLabel('Does it change what goes over the wire (messages, fields, methods)?').check();
    await page.getByRole('button', { name: 'Recommend a layer' }).click();
    await page.getByText('Recommended layer: Specification').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // on a phone the page reflows and stays accessible
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(hub.base + `/proposals/${ref}`);
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
            .scrollWidth,
      ),
    ).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'proposal-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // without JavaScript every page still reads
    expect(await plainGet('/proposals')).toContain('SEP-1303');
    const plain = await plainGet(`/proposals/${ref}`);
    expect(plain).toContain('Barrier to change:');
    expect(plain).toContain('Nebula Tools');
    expect(plain).toContain('<strong>landed</strong>');
    expect(plain).toContain('SEP-1303');
    expect(await plainGet('/proposals/SEP-1303')).toContain('Input Validation Errors as Tool Execution Errors');
    expect(await plainGet('/proposals/new')).toContain('Check for prior work');
    await signOut(page);
  });

  test('without the prior-work script, "Check for prior work" shows the same matches', async () => {
    const { page } = browser;
    await page.route('**/assets/prior-work.*.js', (r) => r.abort());
    try {
      await signInAs(page, 'Jonas Berg');
      await page.goto(hub.base + '/proposals/new');
      await page.getByLabel('Title').fill('Input validation errors as tool execution errors');
      await page.getByRole('button', { name: 'Check for prior work' }).click();
      await page.locator('#prior-work-panel').getByRole('link', { name: 'SEP-1303' }).waitFor();
      expect(await page.getByLabel('Title').inputValue()).toBe('Input validation errors as tool execution errors');
      expect(await seriousViolations(page)).toEqual([]);
      await signOut(page);
    } finally {
      await page.unroute('**/assets/prior-work.*.js');
    }
  });

  test("opened from a group's page, the form starts with that group and the prior-work check weighs it", async () => {
    const { page } = browser;
    await signInAs(page, 'Priya Nair');
    await page.goto(hub.base + '/groups/hosting');
    // the proposals section's link (what a participant may do lists the same one further down)
    await page.getByRole('link', { name: 'Propose something in Hosting' }).first().click();
    await page.getByRole('heading', { name: 'Propose a contribution', level: 1 }).waitFor();
    const group = page.getByLabel('Group (optional)');
    expect(await group.inputValue()).toBe('hosting');
    await page.getByLabel('Title').pressSequentially('Session affinity for load-balanced servers', { delay: 15 });
    const panel = page.locator('#prior-work-panel');
    await panel.getByText('Session affinity guide for load-balanced MCP servers').waitFor({ timeout: 10_000 });
    // the group by its name, not its slug
    await expect.poll(() => panel.textContent()).toContain('same group: Hosting');
    // another group chosen: the panel follows it
    await group.selectOption('security');
    await page.waitForFunction(
      () =>
        !(globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document
          .getElementById('prior-work-panel')
          .textContent.includes('same group: Hosting'),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);
  });
});

/** Presses Tab until the focus is on the element whose text is `text` (a keyboard user's way there). */
async function tabTo(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page))?.text === text) return;
  }
  throw new Error(`Tab never reached "${text}"`);
}

describe("a proposal's pull request description in Chromium", () => {
  test('on a phone, by keyboard, its author reads what is missing, adds the tracker link, comes back and copies it; a visitor reads it too', async () => {
    const { page, context } = browser;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.base });
    await signInAs(page, 'Priya Nair');
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      await page.goto(hub.base + '/proposals?q=Tool+description+review+checklist');
      await page.getByRole('link', { name: 'Tool description review checklist' }).first().click();
      const ref = new URL(page.url()).pathname.split('/').pop()!;
      await page.getByRole('link', { name: 'Draft its pull request description' }).click();
      await page
        .getByRole('heading', {
          level: 1,
          name: `Pull request description for ${ref}: Tool description review checklist`,
        })
        .waitFor();
      // what is missing is read before the draft: the headings say so, in order
      expect(await page.locator('main').getByRole('heading').allTextContents()).toEqual([
        `Pull request description for ${ref}: Tool description review checklist`,
        'Before you open it',
        'The description, in markdown',
      ]);
      const gaps = page.getByRole('region', { name: 'Before you open it' });
      expect(await gaps.textContent()).toContain('No tracker link');
      // the draft is a labelled, described text box that fits a phone and leaves room to scroll past it
      const draft = page.getByRole('textbox', { name: `Pull request description for ${ref}` });
      expect(await draft.getAttribute('readonly')).not.toBeNull();
      expect(await page.locator(`#${await draft.getAttribute('aria-describedby')}`).textContent()).toContain(
        'copy it into the pull request',
      );
      const box = (await draft.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      expect(box.height).toBeLessThanOrEqual(740 * 0.6 + 1);
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } }; innerWidth: number })
              .document.scrollingElement.scrollWidth - (globalThis as unknown as { innerWidth: number }).innerWidth,
        ),
      ).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'pull-request-draft-phone');

      // by keyboard: the gap's link opens the form at the tracker box, and saving comes back here
      await tabTo(page, 'Add the missing links');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: new RegExp(`^Edit ${ref}:`) }).waitFor();
      await expect.poll(async () => (await focused(page))?.id).toBe('f-links-tracker');
      const tracker = 'https://github.com/orgs/modelcontextprotocol-community/projects/3?pane=issue&itemId=77';
      await page.keyboard.type(tracker);
      await page.keyboard.press('Enter');
      await page
        .getByRole('heading', {
          level: 1,
          name: `Pull request description for ${ref}: Tool description review checklist`,
        })
        .waitFor();
      expect(await page.getByRole('status').first().textContent()).toContain('Your changes are saved.');
      expect(await gaps.textContent()).not.toContain('No tracker link');
      expect(await draft.inputValue()).toContain(`Tracked at: ${tracker}`);

      // Copy: one key press puts the whole description on the clipboard, says so, and keeps the focus
      await tabTo(page, 'Copy the description');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Copied. Paste it into the pull request.' }).waitFor();
      expect(
        await page.evaluate(() =>
          (
            globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
          ).navigator.clipboard.readText(),
        ),
      ).toBe(await draft.inputValue());
      expect((await focused(page))?.text).toBe('Copy the description');
      expect(await seriousViolations(page)).toEqual([]);

      // the same text as a file, named for the proposal
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download it as a file' }).click(),
      ]);
      expect(file.suggestedFilename()).toBe(`${ref}-pull-request.md`);
      expect(readFileSync((await file.path())!, 'utf8')).toBe(await draft.inputValue());

      // without JavaScript the draft reads, with no Copy button that could not work
      const plain = await plainGet(`/proposals/${ref}/pull-request-draft`);
      expect(plain).toContain('<textarea id="draft"');
      expect(plain).not.toContain('Copy the description</button>');
      await page.setViewportSize({ width: 1280, height: 900 });
      await signOut(page);

      // a visitor from a search engine: told who opens it, offered no edit, the page as accessible
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(hub.base + `/proposals/${ref}/pull-request-draft`);
      expect(await page.locator('main').textContent()).toContain("The proposal's authors open the pull request");
      expect(await page.locator(`main a[href*="/proposals/${ref}/edit"]`).count()).toBe(0);
      await page.getByRole('button', { name: 'Copy the description' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});

describe('decisions in Chromium', () => {
  test('a member blocks a decision without an alternative, is told why, then blocks with one', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(hub.base + '/decisions');
    await page.getByRole('link', { name: 'Open a decision' }).click();
    await page.getByRole('heading', { name: 'Open a decision', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Group', { exact: true }).selectOption('hosting');
    await page
      .getByLabel('The question being decided')
      .fill('Publish the session affinity guide as a working-group artifact?');
    await page.getByRole('button', { name: 'Open the decision' }).click();
    // the demo community has decisions of its own: this one takes the next number
    await page.getByRole('heading', { level: 1, name: /^D-\d+: Publish the session affinity guide/ }).waitFor();
    const ref = new URL(page.url()).pathname;
    await signOut(page);

    await signInAs(page, 'Priya Nair');
    await page.goto(hub.base + ref);
    // Priya is in Asia/Kolkata: the deadline is shown in her zone and in UTC
    expect(await page.locator('.deadline').textContent()).toMatch(/\(Asia\/Kolkata\).*UTC/);
    await page.getByLabel('Block: I object').check();
    await page.getByLabel('Reason', { exact: true }).fill('It has only been tested behind one proxy.');
    await page.getByRole('button', { name: 'Send my response' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(
      'Alternative (for a block): a block must propose an alternative or clear criteria for resolution',
    );
    // the summary has focus, and its link leads to the field
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { className: string } } }).document.activeElement
            .className,
      ),
    ).toBe('error-summary');
    expect(await page.getByLabel('Reason', { exact: true }).inputValue()).toBe(
      'It has only been tested behind one proxy.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'decision-block-refused');

    // a block without an alternative names both ways to answer it: the alternative, or criteria
    expect(await summary.getByRole('link').count()).toBe(2);
    await summary.getByRole('link', { name: /^Alternative/ }).click();
    await page.keyboard.type('Publish it once it is tested behind nginx and envoy.');
    await page.getByRole('button', { name: 'Send my response' }).click();
    await page
      .getByText('Your block is recorded and stands: if it still stands at the deadline, a formal vote opens.', {
        exact: false,
      })
      .waitFor();
    expect(await page.locator('ul.responses').textContent()).toContain(
      'Alternative: Publish it once it is tested behind nginx and envoy.',
    );
    expect(await page.getByText('1 block stands so far').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'decision-page');

    const plain = await plainGet(ref);
    expect(plain).toContain('Publish it once it is tested behind nginx and envoy.');
    expect(plain).toContain('Timeline');
    expect(await plainGet('/decisions')).toContain('Publish the session affinity guide');
    expect(await plainGet('/decisions/new')).toContain('Open a decision');
    await page.goto(hub.base + '/decisions');
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);
    // a visitor reads the deadline inside the sentence as a date, in the browser's zone: the script
    // put "in 6 days, " before it, and it read "lazy consensus until in 6 days, Fri 11 Dec…"
    await page.goto(hub.base + ref);
    expect(await page.locator('#outcome + ol li').first().textContent()).toMatch(
      /^lazy consensus until [A-Z][a-z]{2} \d+ [A-Z][a-z]{2} \d{4}, \d\d:\d\d \(Pacific\/Auckland\): silence is consent/,
    );
  });

  test('a lead withdraws a decision opened by mistake, saying why; the page then says withdrawn and why', async () => {
    const { page } = browser;
    await signInAs(page, 'Sam Rivera');
    await page.goto(hub.base + '/decisions/new');
    await page.getByLabel('Group', { exact: true }).selectOption('hosting');
    await page.getByLabel('The question being decided').fill('Move the coordination call to Wednesdays, twice over?');
    await page.getByRole('button', { name: 'Open the decision' }).click();
    await page.getByRole('heading', { level: 1, name: /^D-\d+: Move the coordination call/ }).waitFor();
    // the reason is required in the browser too: an empty one is not sent
    await page.getByRole('button', { name: 'Withdraw this decision' }).click();
    expect(
      await page
        .getByLabel('Why it is withdrawn')
        .evaluate((e) => (e as { validity: { valid: boolean } }).validity.valid),
    ).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Why it is withdrawn').fill('Opened twice by mistake: answer the earlier one');
    await page.getByRole('button', { name: 'Withdraw this decision' }).click();
    await page.getByText(/D-\d+ is withdrawn\. The group's members are told why\./).waitFor();
    const stands = await page.locator('section[aria-labelledby="outcome"]').textContent();
    expect(stands).toMatch(/withdrawn by sam-lead at .+: Opened twice by mistake: answer the earlier one/);
    expect(await page.locator('.badge', { hasText: /^withdrawn$/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Withdraw this decision' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);
  });
});
