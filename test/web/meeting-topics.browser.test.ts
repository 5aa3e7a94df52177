// In Chromium: the schedule form's topic list follows the chosen group (Kai may schedule in Hosting,
// Observability and Security; Hosting has "Horizontal scaling", Security "Tool poisoning"), so an
// area of another group cannot be picked and then refused. The script runs under the page's policy.
// Two groups may each have an area with the same short name: a valid choice is kept all the same.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, seriousViolations, signInAs } from '../support/browser.ts';

const { hub, browser, scriptProblems } = chromiumOnHub();

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

  test("keeps a group's area when another group has one with the same short name", async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Kai Tanaka');
    // Security gets an area of its own called horizontal-scaling, as Hosting's is
    await page.goto(hub.base + '/groups/security/topics/new');
    await page.getByLabel('Short name').fill('horizontal-scaling');
    await page.getByLabel('Name', { exact: true }).fill('Scaling scanners');
    await page.getByLabel(/To agree common patterns for implementing/).check();
    await page.getByLabel('Facilitators (handles)').fill('kai-core');
    await page.getByRole('button', { name: 'Add the topic area' }).click();
    await page.getByText('The topic area “Scaling scanners” is added.').waitFor();

    await page.goto(hub.base + '/meetings/new');
    const group = page.getByLabel('Group', { exact: true });
    const topic = page.getByLabel('Topic area (optional)');
    // the chosen option's name and the heading it sits under (no DOM types here)
    type Chosen = { selectedIndex: number; options: ArrayLike<{ text: string; parentElement: { label?: string } }> };
    const chosen = () =>
      topic.evaluate((s) => {
        const o = (s as unknown as Chosen).options[(s as unknown as Chosen).selectedIndex];
        return o ? `${o.parentElement.label ?? ''} / ${o.text}` : '';
      });
    const fill = async (slug: string, area: string) => {
      await group.selectOption(slug);
      await topic.selectOption({ label: area });
      await page.getByLabel('Title').fill('Go');
      await page.getByLabel("Organiser's time zone").selectOption('UTC');
      // ten days ahead on the UTC clock, so the notice is enough whenever the test runs
      await page
        .getByLabel('Starts at')
        .fill(new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 11) + '09:00');
      await page.getByRole('button', { name: 'Schedule' }).click();
      await page.locator('.error-summary').getByText(/Title/).waitFor();
    };

    // refused for its title, the form comes back with Hosting's area still chosen, not cleared
    await fill('hosting', 'Horizontal scaling');
    expect(await group.inputValue()).toBe('hosting');
    expect(await chosen()).toBe('Hosting / Horizontal scaling');
    expect(await topic.inputValue()).toBe('horizontal-scaling');
    await page.getByLabel('Title').fill('Scaling clinic');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText(/is listed\. Add agenda items, then publish the agenda\./).waitFor();
    expect(await page.locator('main').textContent()).toContain('Hosting / Horizontal scaling');

    // and Security's, chosen under Security
    await page.goto(hub.base + '/meetings/new');
    await fill('security', 'Scaling scanners');
    expect(await chosen()).toBe('Security / Scaling scanners');
    await page.getByLabel('Title').fill('Scanner scaling');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText(/is listed\. Add agenda items, then publish the agenda\./).waitFor();
    // the area by its name: both groups call theirs horizontal-scaling in addresses
    expect(await page.locator('main').textContent()).toContain('Security / Scaling scanners');
    expect(scriptProblems).toEqual([]);
  });
});
