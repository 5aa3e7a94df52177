// A newcomer's first week, in Chromium, on the hub `npm start` serves (the demo community loaded on
// first start). Noa has never used the hub. Day 1, on a phone (375 px) and by keyboard alone: she
// reads what the hub is, follows "barrier to change" to what each layer asks, signs up, accepts the
// agreements and joins Hosting. Day 2: she reads its charter and who facilitates its topic area.
// Day 3: she checks prior work, is led from the results to the form, reads the layer's barrier beside
// it and files her idea. Day 4: her home says what waits for her; she sends written input to the
// agenda of a meeting she cannot attend. Day 5: she blocks a decision, is refused until she gives an
// alternative, and is told her block is advisory and does not stop the consensus; she follows the
// note's link to ask the group's leads for the member level. Day 6: from her own
// page she reaches her notification preferences, which list what she hears from Hosting; she watches
// it from its page and sets a daily digest. Every page is checked with axe; the phone part for sideways
// overflow too. Each finding it holds is named where it is checked.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, seriousViolations } from '../support/browser.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const { hub, browser } = chromiumOnHub();

async function checked(page: Page, where: string) {
  expect(await seriousViolations(page), `axe on ${where}`).toEqual([]);
  expect(await sidewaysOverflow(page), `sideways overflow on ${where}`).toBeLessThanOrEqual(0);
}

// whether an element's top is on screen (run in the page: typed here without the DOM library)
type Box = { getBoundingClientRect(): { top: number } };
const inView = (el: unknown): boolean => {
  const top = (el as Box).getBoundingClientRect().top;
  // scrolled to, its top lands at 0 give or take a fraction of a pixel
  return top > -1 && top < (globalThis as unknown as { innerHeight: number }).innerHeight;
};

/** Tabs forward until the element with this id has the focus (at most `max` presses). */
async function tabTo(page: Page, id: string, max = 60) {
  for (let i = 0; i < max && (await focused(page))?.id !== id; i++) await page.keyboard.press('Tab');
  expect((await focused(page))?.id).toBe(id);
}

describe("a newcomer's first week", () => {
  test('day 1, on a phone by keyboard: what the hub is, the barrier to change, signing up, the agreements, joining a group', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(hub.base + '/');
    // a visitor's home is the welcome page: what the hub is, in the guide's words
    await page.waitForURL(/\/welcome$/);
    const works = page.getByRole('heading', { name: 'How the community works' });
    await works.waitFor();
    const intro = (await page.locator('main').textContent()) ?? '';
    expect(intro).toContain('Decisions by consensus, managed by objection. Silence by the deadline counts as consent.');
    expect(intro).toContain('facilitators present written input from people who cannot attend');
    await checked(page, 'the welcome page at 375 px');
    // "the higher the bar" named nothing: now the guide's barrier to change, linked to what each layer asks
    await page.getByRole('link', { name: 'barrier to change' }).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/how-we-work#contributions$/);
    expect(await page.locator('main').textContent()).toMatch(
      /The Specification layer's barrier to change: .*The Working-group artifact layer's barrier to change: states the specific problem it solves/s,
    );
    await checked(page, 'How we work at 375 px');

    // sign up, by keyboard alone
    await page.goto(hub.base + '/sign-in');
    await tabTo(page, 'f-handle', 80);
    await page.keyboard.type('noa-k');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Noa Kim');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/welcome/);
    await checked(page, 'the welcome page, signed up');
    await page.locator('#f-codeOfConduct').focus();
    await page.keyboard.press('Space');
    await tabTo(page, 'f-contributionTerms', 5);
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.getByText('Next, join a group.').waitFor();
    // the groups and their topic areas are on the same page, each saying its topic areas' goal
    const groups = page.locator('#groups').locator('..');
    expect(await groups.textContent()).toContain(
      'Horizontal scaling: agree common patterns and propose specification changes',
    );
    await page.locator('#level-hosting').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#level-hosting').inputValue()).toBe('participant');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('You joined Hosting as participant.').waitFor();
    await checked(page, 'after joining, at 375 px');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("day 2: the group's charter, and who facilitates its topic area", async () => {
    const { page } = browser;
    // from the list of groups, a topic area is a link to its card on its group's page
    await page.goto(hub.base + '/groups');
    expect(await page.locator('#groups-intro').textContent()).toContain('and the way to join it');
    await checked(page, 'the groups');
    await page.getByRole('link', { name: 'Horizontal scaling' }).click();
    await page.waitForURL(/\/groups\/hosting#topic-horizontal-scaling$/);
    expect(await page.locator('#topic-horizontal-scaling').evaluate(inView)).toBe(true);
    await page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Charter' }).click();
    await page.waitForURL(/#charter$/);
    const charter = page.locator('section[aria-labelledby="charter"]');
    expect(await charter.textContent()).toMatch(/Mission Statement.*In Scope.*Out of Scope.*Leadership/s);
    const topic = page.locator('#topic-horizontal-scaling');
    expect(await topic.textContent()).toContain('Facilitators: Priya Nair (@priya), Sam Rivera (@sam-lead)');
    // what a facilitator does, in the guide's words, a link away
    await page.getByRole('link', { name: 'the ideal topic facilitator' }).click();
    await page.waitForURL(/#the-ideal-topic-facilitator$/);
    await checked(page, 'the ideal topic facilitator');
  });

  test('day 3: prior work first, then the idea, with the barrier of its layer beside the choice', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/search');
    await page.getByLabel('Search for').fill('session affinity');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#results').waitFor();
    await checked(page, 'search results');
    // the results ended there: now they end with the way on
    const next = page.locator('#none-covers');
    expect(await next.textContent()).toMatch(/^Read each before you propose: .*If none of them covers it, propose it/);
    await next.getByRole('link', { name: 'propose it' }).click();
    // the form comes with the words she searched for as its title, hers to change
    await page.waitForURL(/\/proposals\/new\?title=session(\+|%20)affinity$/);
    expect(await page.getByLabel('Title').inputValue()).toBe('session affinity');
    const layerHint = page.locator('#f-layer-hint');
    expect(await layerHint.textContent()).toContain('The higher the layer, the higher its barrier to change');
    expect(await layerHint.getByRole('link', { name: 'barrier to change' }).getAttribute('href')).toBe(
      '/how-we-work#contributions',
    );
    await page.getByLabel('Title').fill('Sticky session failover guidance for gateways');
    await page
      .getByLabel('The problem it solves')
      .fill('When a gateway fails over, sticky sessions break and clients lose their session state.');
    await page.getByLabel('Real-world examples (one per line)').fill('Our gateway drops affinity on failover');
    await page.getByRole('button', { name: 'File proposal' }).click();
    await page.getByText(/Your proposal P-\d+ is filed/).waitFor();
    // the prior work she should read before moving on is named on her proposal
    expect(await page.locator('main').textContent()).toContain('Prior work found');
    await checked(page, 'her proposal');
  });

  test('day 4: her home says what waits for her; she sends written input to a meeting she cannot attend', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/');
    await page.getByRole('heading', { name: /What needs you, Noa Kim/ }).waitFor();
    const home = (await page.locator('main').textContent()) ?? '';
    // lazy consensus counts silence: what is open in her group is in sight, with whether her answer counts
    expect(home).toContain('Open in your groups, where your answer is advisory');
    expect(home).toContain('D-1: Adopt the session affinity guide');
    expect(home).toContain('M-2: Horizontal scaling deep-dive');
    await checked(page, 'her home');
    await page
      .getByRole('link', { name: /Horizontal scaling deep-dive/ })
      .first()
      .click();
    await page.waitForURL(/\/meetings\/M-2$/);
    await page.getByText('Cannot attend? Send written input').click();
    const form = page.locator('form[action="/meetings/M-2/written-input"]');
    expect(await form.textContent()).toContain('Deep-dive: session affinity behind load balancers');
    expect(await page.locator('#f-input-body-hint').textContent()).toMatch(/^Send it before the meeting starts, /);
    await page
      .locator('#f-input-body')
      .fill('I cannot attend; our gateway drops affinity on failover, traces attached later.');
    await form.getByRole('button', { name: 'Send written input' }).click();
    await page.getByText('Your written input is on the agenda; the facilitators will present it.').waitFor();
    await checked(page, 'the meeting with her written input');
  });

  test('day 5: she blocks a decision, is told what a block needs, and that hers is advisory', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/decisions/D-1');
    expect(await page.locator('main').textContent()).toContain('Your response will be shown as advisory, not counted');
    await page.getByLabel(/^Block/).check();
    await page.getByLabel('Reason', { exact: true }).fill('Its examples use one gateway only.');
    await page.getByRole('button', { name: 'Send my response' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(
      'a block must propose an alternative or clear criteria for resolution',
    );
    expect(await page.getByLabel('Reason', { exact: true }).inputValue()).toBe('Its examples use one gateway only.');
    await checked(page, 'the refused block');
    await page.getByLabel('Alternative (for a block)').fill('Show the configuration for two gateways.');
    await page.getByRole('button', { name: 'Send my response' }).click();
    // "Your response is recorded." let her think her block stood
    await page
      .getByText(
        'Your block is recorded as advisory: the group reads it, but it does not count and does not stop the consensus; only the responses of its members and leads count.',
      )
      .waitFor();
    expect(await page.locator('main').textContent()).toMatch(
      /1 block stands so far: if it still stands at the deadline, a formal vote opens/,
    );
    await checked(page, 'the decision after her block');
    // to count, she asks the leads for the member level: "ask them from the group's page" now leads there
    await page.getByRole('link', { name: "ask them from the group's page" }).click();
    await page.waitForURL(/\/groups\/hosting#ask-member$/);
    const ask = page.locator('#ask-member > summary');
    expect(await ask.evaluate(inView)).toBe(true);
    await ask.click();
    await page.getByLabel('A note for the leads (optional)').fill('I run gateways for MCP servers at work.');
    await page.locator('#ask-member').getByRole('button', { name: 'Ask to become a member' }).click();
    await page.locator('#your-request').waitFor();
  });

  test('day 6: her notification preferences, reached from her own page, say what she hears from her group', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/people/noa-k');
    await page.getByRole('link', { name: 'Choose what you are told and how' }).click();
    await page.waitForURL(/\/me\/notifications$/);
    const each = page.locator('#each-subject').locator('..');
    expect(await each.textContent()).toContain('Hosting (participant): Normal: tell me what concerns me');
    await checked(page, 'her preferences');
    await each.getByRole('link', { name: 'Hosting' }).click();
    await page.waitForURL(/\/groups\/hosting$/);
    await page.getByLabel('Notifications', { exact: true }).selectOption('watching');
    await page.getByLabel('Notifications', { exact: true }).locator('..').getByRole('button', { name: 'Save' }).click();
    await page.goto(hub.base + '/me/notifications');
    expect(await page.locator('main').textContent()).toContain(
      'Hosting (participant): Watching: tell me about everything here',
    );
    await page.getByLabel('A digest of everything else').selectOption('daily');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/me\/notifications$/);
    expect(await page.getByLabel('A digest of everything else').inputValue()).toBe('daily');
  });
});
