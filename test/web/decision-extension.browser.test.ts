// A facilitator gives a decision the time its members need to be told, in Chromium, by keyboard alone.
// The community asks for 14 days' notice (decisions.noticeHours: 336), so Priya, told when a minor
// decision opened five days before its deadline, was not informed in time: Sam, who opened it and
// leads the group, reads on its page how many hours later the deadline must be for her to be told in
// time, follows the link to the form that has those hours filled in, first types too many (the error
// names the field and the rule and keeps what he typed), then the hours offered; the page shows the
// new deadline and Priya's silence counts again. axe finds nothing on the page with the form and
// the advice, before and after, whatever the impact.
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { axeViolations as violations, chromiumOnHub, focused, screenshot, signInAs } from '../support/browser.ts';
import { ROOT } from '../support/process.ts';

const govDir = mkdtempSync(path.join(tmpdir(), 'wghub-gov-'));
const governance = path.join(govDir, 'governance.yaml');
const rules = readFileSync(path.join(ROOT, 'governance/default.yaml'), 'utf8');
if (!/^ {2}noticeHours: 24$/m.test(rules)) throw new Error('governance/default.yaml no longer says noticeHours: 24');
writeFileSync(governance, rules.replace(/^ {2}noticeHours: 24$/m, '  noticeHours: 336'));

const { hub, browser } = chromiumOnHub({
  env: { WGHUB_GOVERNANCE: governance },
  before: [
    ['seed'],
    [
      '--as',
      'sam-lead',
      'decision',
      'open',
      '--group',
      'hosting',
      '--question',
      'Adopt the session affinity guide as a working-group artifact?',
      '--significance',
      'minor',
    ],
  ],
});
afterAll(() => rmSync(govDir, { recursive: true, force: true }));

const HOUR = 3_600_000;

describe('extending a decision so that members are told in time, in Chromium', () => {
  test('Sam extends it by keyboard by the hours the page offers; a bad value is named and kept', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(`${hub.base}/decisions/D-1`);
    const deadline = async () => Date.parse((await page.locator('p.deadline time').getAttribute('datetime'))!);
    const before = await deadline();

    // the advice, plainly, where the page says where the decision stands
    const advice = page.getByRole('note').filter({ hasText: 'To count their silence:' });
    await advice.waitFor();
    const text = (await advice.textContent())!.replace(/\s+/g, ' ');
    const hours = Number(/Extending the deadline by at least (\d+) hours/.exec(text)?.[1]);
    // opened just now, five days (120 hours) before its deadline: 336 hours' notice needs 216 more, and the
    // part of an hour that has passed since it opened makes a whole one
    expect(hours).toBeGreaterThanOrEqual(217);
    expect(hours).toBeLessThanOrEqual(218);
    expect(text).toContain('would let Priya Nair (@priya) be told in time');
    expect(text).toContain('at least 336 hours before the new deadline');
    // its link names the hours, and the form offers them
    const link = advice.getByRole('link', { name: `Extend it by ${hours} hours` });
    expect(await page.getByLabel('Extend by (hours)').inputValue()).toBe(String(hours));
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'decision-extend-advice');

    // by keyboard: the link, then Tab into the form's first field, filled in with the hours offered
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#extend$/);
    await page.keyboard.press('Tab');
    expect((await focused(page))?.id).toBe('f-extend-hours');
    // too many: five days to the deadline leave at most about 600 hours within 30 days from now
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('700');
    for (let i = 0; i < 12 && (await focused(page))?.id !== 'f-extend-reason'; i++) await page.keyboard.press('Tab');
    expect((await focused(page))?.id).toBe('f-extend-reason');
    await page.keyboard.type('Priya was told too late to answer');
    await page.keyboard.press('Enter');

    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const problem = (await summary.textContent())!.replace(/\s+/g, ' ');
    // the field by its label, and the rule: how many hours are allowed now, and why
    expect(problem).toMatch(
      /Extend by \(hours\): must be at most \d{3} now: the deadline may be at most 30 days from now \(the latest is .+\)/,
    );
    // what he typed is kept, and the field says it is the one in error
    const field = page.getByLabel('Extend by (hours)');
    expect(await field.inputValue()).toBe('700');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Why it needs more time').inputValue()).toBe('Priya was told too late to answer');
    expect(await deadline()).toBe(before);
    expect(await violations(page)).toEqual([]);

    // from the summary's link back to the field, the hours offered, and Enter
    await summary.getByRole('link', { name: /^Extend by \(hours\)/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#f-extend-hours$/);
    expect((await focused(page))?.id).toBe('f-extend-hours');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(String(hours));
    await page.keyboard.press('Enter');

    // the page shows the new deadline, and Priya, told by the extension itself, now counts
    await page.getByRole('status').filter({ hasText: 'D-1 now closes' }).waitFor();
    expect(await deadline()).toBe(before + hours * HOUR);
    expect(await page.getByText('To count their silence:').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Not informed in time' }).count()).toBe(0);
    const timeline = (await page.locator('ol.timeline').textContent())!.replace(/\s+/g, ' ');
    expect(timeline).toContain('extended the deadline from');
    expect(timeline).toContain('Priya was told too late to answer');
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'decision-extended');
  });
});
