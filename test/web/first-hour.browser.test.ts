// A newcomer's first hour on the demo hub, in Chromium, end to end: Nia arrives at the front page,
// learns what the community is and how to take part, reads a group's charter, signs in the way the
// demo offers (from the header, coming back to the group), accepts the agreements, joins, finds what
// needs her, searches for prior work before starting anything, comments on a proposal (a blank
// comment refused naming the field), reads her sign-up in the log as her own, and sends written input
// to a meeting she cannot attend. Each page shows her what she can do there, and what she cannot in
// one line that says who may. axe runs on every page she reaches, error pages too, and finds nothing
// at any impact.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { axeViolations, chromiumOnHub, focused } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

/** Every axe violation on the page as it is now, whatever its impact, with the page it was on. */
async function axeClean(page: Page): Promise<void> {
  expect({ url: page.url(), violations: await axeViolations(page) }).toEqual({ url: page.url(), violations: [] });
}

describe("a newcomer's first hour", () => {
  test('front page to written input: what the community is, a charter, joining, what needs her, prior work, a comment', async () => {
    const { page } = browser;
    // the front page, for a visitor, says what this is and how to take part
    await page.goto(hub.base + '/');
    await page.waitForURL(/\/welcome$/);
    await page.getByRole('heading', { level: 2, name: 'How the community works' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Your first steps' }).waitFor();
    await axeClean(page);

    // a mistyped address: a page of this community (its name, its navigation), not of "wghub"
    await page.goto(hub.base + '/welcom');
    expect(await page.title()).toBe('Not found · MCP Community');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Welcome' }).waitFor();
    await axeClean(page);
    await page.goBack();

    // a group, and its charter; nothing there for a visitor about running it
    await page
      .locator('section', { has: page.getByRole('heading', { name: 'Groups and their topic areas' }) })
      .getByRole('link', { name: 'Hosting', exact: true })
      .click();
    await page.waitForURL(/\/groups\/hosting$/);
    await page.getByRole('heading', { level: 2, name: 'Charter' }).waitFor();
    expect(await page.getByRole('heading', { name: /^(Run this group|Status)$/ }).count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('Mission Statement');
    await axeClean(page);

    // signing in from the header comes back here; a newcomer goes by the agreements first
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(/\/sign-in\?next=%2Fgroups%2Fhosting$/);
    await axeClean(page);
    await page.getByLabel('Handle').fill('nia');
    await page.getByLabel('Name', { exact: true }).fill('Nia Okoro');
    await page.getByRole('button', { name: 'Join as a newcomer' }).click();
    await page.waitForURL(/\/welcome\?next=%2Fgroups%2Fhosting$/);
    await axeClean(page);
    // accepting one of the two is refused naming the other
    await page.locator('#f-codeOfConduct').check();
    await page.getByRole('button', { name: 'Accept both' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').textContent()).toContain('Contributions under the MIT License');
    await axeClean(page);
    await page.locator('#f-codeOfConduct').check();
    await page.locator('#f-contributionTerms').check();
    await page.getByRole('button', { name: 'Accept both' }).click();
    await page.waitForURL(/\/groups\/hosting$/);

    // joining the group she came to read
    await page.getByLabel('Join as').selectOption('participant');
    await page.getByRole('button', { name: 'Join Hosting' }).click();
    await page.getByText('You joined Hosting as participant.').waitFor();
    // her part in it, and who runs it: no "Run this group", no heading over what she may not do
    const part = page.getByRole('region', { name: 'Taking part' });
    expect(await part.getByRole('heading').allTextContents()).toEqual(['Taking part', 'Leave']);
    expect(await part.locator('#not-yours').textContent()).toMatch(/^Not yours to do here: Only /);
    expect(await page.getByRole('region', { name: 'Run this group' }).count()).toBe(0);
    await axeClean(page);

    // what needs her: decisions she may answer, meetings she may attend
    await page.getByRole('banner').getByRole('link', { name: 'Home' }).click();
    await page.getByRole('heading', { level: 1, name: 'What needs you, Nia Okoro' }).waitFor();
    const home = (await page.locator('main').textContent()) ?? '';
    expect(home).toContain('D-1: Adopt the session affinity guide');
    expect(home).toContain('M-2: Horizontal scaling deep-dive');
    await axeClean(page);

    // before starting anything: search for prior work
    await page.getByRole('banner').getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Search for').fill('sticky sessions load balancer');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: /^\d+\+? results?$/ }).waitFor();
    const hit = page.locator('li', { has: page.getByRole('link', { name: /^P-2: Session affinity guide/ }) });
    // where it lives, in the words the rest of the pages use
    expect(await hit.locator('.muted').textContent()).toMatch(/^proposal · Hosting · community discussion · updated /);
    await axeClean(page);

    // a comment on the proposal she found; a blank one is refused naming the field
    await hit.getByRole('link', { name: /^P-2: / }).click();
    await page.waitForURL(/\/proposals\/P-2$/);
    // where it goes next and who takes it there; none of it hers: one reason, under the Move button,
    // which the keyboard reaches, not "Not now: Only …" on every line
    const next = page.getByRole('region', { name: 'Where it goes next' });
    expect(await next.textContent()).not.toContain('Not now');
    const move = next.getByRole('button', { name: 'Move', exact: true });
    expect(await move.getAttribute('aria-disabled')).toBe('true');
    await move.focus();
    expect((await focused(page))?.text).toBe('Move');
    expect(await page.locator(`#${await move.getAttribute('aria-describedby')}`).textContent()).toBe(
      'None of these moves is yours: each line above names who makes it.',
    );
    await axeClean(page);
    await page.getByLabel('Add a comment').fill('   ');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').textContent()).toContain('Add a comment: must not be empty');
    await axeClean(page);
    await page.getByLabel('Add a comment').fill('We run HAProxy with stick tables and can share the configuration.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForURL(/\/proposals\/P-2(\?[^#]*)?#c-/);
    // her comment, read once: the text is also the closed "Edit your comment" form's, which nobody
    // reads or sees until it is opened, and in no live region
    const said = 'We run HAProxy with stick tables and can share the configuration.';
    await page.locator('article.comment', { hasText: said }).waitFor();
    const read = await page.locator('main').ariaSnapshot();
    expect(read.split(said).length - 1).toBe(1);
    expect(await page.getByText(said, { exact: true }).filter({ visible: true }).count()).toBe(1);
    expect(await page.locator('[aria-live], [role=status], [role=alert]').filter({ hasText: said }).count()).toBe(0);
    await axeClean(page);

    // the record credits her own sign-up to her, in the community's words
    await page.getByRole('banner').getByRole('link', { name: 'Log' }).click();
    const signedUp = page.getByRole('row', { name: /Nia Okoro.*person nia/ }).filter({ hasText: 'Signed up' });
    expect(await signedUp.getByRole('cell').nth(3).textContent()).toBe('Signed up as a contributor');
    expect(await signedUp.textContent()).not.toContain('operator');
    await axeClean(page);

    // written input to a meeting she cannot attend
    await page.goto(hub.base + '/');
    await page
      .getByRole('link', { name: /Horizontal scaling deep-dive/ })
      .first()
      .click();
    await page.waitForURL(/\/meetings\/M-2$/);
    await axeClean(page);
    await page.getByText('Cannot attend? Send written input').click();
    await page.locator('#f-input-body').fill('I cannot attend at this hour: cookie affinity broke on failover for us.');
    await page.locator('form[action="/meetings/M-2/written-input"] button[type="submit"]').click();
    await page.getByText('Your written input is on the agenda').waitFor();
    await axeClean(page);
  }, 60_000);
});
