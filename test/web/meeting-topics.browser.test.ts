// In Chromium: the schedule form's topic list follows the chosen group (Kai may schedule in Hosting,
// Observability and Security; Hosting has "Horizontal scaling", Security "Tool poisoning"), so an
// area of another group cannot be picked and then refused. The script runs under the page's policy.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  openBrowser,
  seriousViolations,
  signInAs,
  startWebHub,
  type Browser,
  type WebHub,
  watchScripts,
} from '../support/browser.ts';

let hub: WebHub;
let browser: Browser;
const scriptProblems: string[] = [];

beforeAll(async () => {
  hub = await startWebHub();
  browser = await openBrowser();
  watchScripts(browser.page, scriptProblems);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('the topic list of the schedule form in Chromium', () => {
  test("offers only the chosen group's topic areas", async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Kai Tanaka');
    await page.goto(hub.base + '/meetings/new');
    const group = page.getByLabel('Group', { exact: true });
    const topic = page.getByLabel('Topic area (optional)');
    // the options a person can pick: neither disabled nor under a disabled optgroup (no DOM types here)
    type Option = { value: string; disabled: boolean; parentElement: { disabled?: boolean } | null };
    const choosable = () =>
      topic.evaluate((s) =>
        Array.from((s as unknown as { options: ArrayLike<Option> }).options)
          .filter((o) => !o.disabled && !o.parentElement?.disabled)
          .map((o) => o.value),
      );

    await group.selectOption('hosting');
    expect(await choosable()).toEqual(['', 'horizontal-scaling']);
    await topic.selectOption('horizontal-scaling');

    // another group: Hosting's area is no longer offered, and the choice made for Hosting is let go
    await group.selectOption('observability');
    expect(await choosable()).toEqual(['']);
    expect(await topic.inputValue()).toBe('');

    await group.selectOption('security');
    expect(await choosable()).toEqual(['', 'tool-poisoning']);
    expect(await seriousViolations(page)).toEqual([]);
    expect(scriptProblems).toEqual([]);
  });
});
