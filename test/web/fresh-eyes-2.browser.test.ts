// Fresh eyes, second walk, in Chromium on the demo community.
// (a) Tess is new: she makes herself a person and Sam, Hosting's lead, invites her as a member. On a phone
// (375 px) she accepts the agreements. Found: the welcome page then said "Next, join a group" and offered
// "Join Hosting as observer or participant", with no word of the member's place she was invited to; her
// home said "Accept the … first" with no link. The welcome page now leads her to the invitation, on
// Hosting's card in place of a lower join, and the home's refusal links the step. Accepted, her inbox still
// asked her to "accept or decline it": the notice now says what she did.
// (b) Tess sets how she is told with bad quiet hours and the digest off. Found: the refused form showed
// her saved choices again, losing what she typed (the digest back to daily); and her other choices read
// "group observability", the group's key. The form now keeps what was sent; choices use the pages' names.
// (c) Sam, Hosting's lead, moves P-2 along the guide's route to tracked, by keyboard. Found: the route says
// its tracker link "goes on the proposal", yet the page said neither that it had none nor where it goes.
// One who may edit it now reads which of the route's links are missing, a link away from their boxes. A
// topic area's edit page named "Topic areas" in its breadcrumb without leading there: it links now.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, screenshot, seriousViolations, signInAs } from '../support/browser.ts';
import { sidewaysOverflow } from '../support/widths.ts';

const { hub, browser } = chromiumOnHub();

describe('fresh eyes, second walk', () => {
  test('(a) an invited newcomer is led to the invitation, not to a lower join; (b) her notification settings keep what she typed', async () => {
    const { page, context } = browser;
    // Tess makes herself a person (a wide screen), then Sam invites her
    await page.goto(hub.base + '/sign-in');
    await page.locator('#f-handle').fill('tess-v');
    await page.locator('#f-name').fill('Tess Vogel');
    await page.getByRole('button', { name: 'Join as a newcomer' }).click();
    await page.waitForURL(/\/welcome/);
    const tess = await context.cookies();
    await context.clearCookies();
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(hub.base + '/groups/hosting');
    const manage = page.getByRole('region', { name: 'Run this group' });
    await manage.getByLabel('Person (handle)').fill('tess-v');
    await manage.getByLabel('Level', { exact: true }).selectOption('member');
    await manage.getByRole('button', { name: 'Set the level' }).click();
    await page.getByText(/Tess Vogel \(@tess-v\) is not in the group: they are invited as a member/).waitFor();
    await context.clearCookies();
    await context.addCookies(tess);

    // her home on a phone: the invitation, and a link to the step that lets her accept it
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(hub.base + '/');
    const invitation = page.getByRole('region', { name: 'Invitations to groups' });
    await invitation.getByRole('link', { name: 'accept them on the welcome page' }).click();
    await page.waitForURL(/\/welcome#steps$/);
    await page.locator('#f-codeOfConduct').check();
    await page.locator('#f-contributionTerms').check();
    await page.getByRole('button', { name: 'Accept both' }).click();
    await page.getByText('Next, accept your invitation to Hosting below.').waitFor();
    expect(await page.locator('#invited').textContent()).toContain('You are invited to Hosting as a member');
    // Hosting's card offers the invitation, not a join as observer or participant
    const hosting = page.locator('li.card', { has: page.getByRole('heading', { name: 'Hosting' }) });
    expect(await hosting.getByRole('button', { name: 'Join Hosting', exact: true }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'fresh-eyes-2-welcome-invited-375');
    await hosting.getByRole('button', { name: 'Accept: join Hosting as a member' }).click();
    await page.getByText('You are in Hosting now, as a member.').waitFor();
    // her inbox no longer asks her to accept or decline what she has accepted
    await page.goto(hub.base + '/inbox');
    const inbox = (await page.locator('ul.inbox').textContent()) ?? '';
    expect(inbox).toContain('You accepted the invitation to Hosting: you are in it as a member');
    expect(inbox).not.toContain('accept or decline it');

    // (b) she watches Observability from its page, then sets how she is told, with bad quiet hours
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(hub.base + '/groups/observability');
    await page.locator('#subscription-group-observability').selectOption('watching');
    await page.getByRole('button', { name: 'Save notifications' }).first().click();
    await page.getByText('Observability: Watching: tell me about everything here.').waitFor();
    await page.goto(hub.base + '/me/notifications');
    await page.locator('#f-digest').selectOption('off');
    await page.locator('#f-quietStart').fill('25:00');
    await page.locator('#f-quietEnd').fill('7am');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Quiet from: must be a time of day as HH:MM (24-hour)');
    // what she typed is still there, beside the errors
    expect(await page.locator('#f-quietStart').inputValue()).toBe('25:00');
    expect(await page.locator('#f-quietEnd').inputValue()).toBe('7am');
    expect(await page.locator('#f-digest').inputValue()).toBe('off');
    // her other choices by the names their pages give them
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Observability (a group): Watching');
    expect(main).not.toContain('group observability');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'fresh-eyes-2-preferences-refused');
    await page.locator('#f-quietStart').fill('22:00');
    await page.locator('#f-quietEnd').fill('07:00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved: this is how you are told from now on.').waitFor();
    expect(await page.locator('#f-digest').inputValue()).toBe('off');
    // she may not edit P-2: no prompt to add its links
    await page.goto(hub.base + '/proposals/P-2');
    expect(await page.locator('#links-missing').count()).toBe(0);
  });

  test('(c) a lead moves a proposal to tracked by keyboard and is led to put its tracker link on it', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(hub.base + '/proposals/P-2');
    await page.locator('#f-stage-to-0').focus();
    expect(await page.locator('#f-stage-to-0').getAttribute('value')).toBe('tracked');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('The proposal moved to tracked.').waitFor();
    const missing = page.locator('#links-missing');
    expect(await missing.textContent()).toContain(
      'it has none yet for: project tracker item, forum discussion (or issue)',
    );
    await missing.getByRole('link', { name: 'Add its links' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/proposals\/P-2\/edit#f-links-tracker$/);
    await page.locator('#f-links-tracker').fill('https://github.com/orgs/modelcontextprotocol/projects/1/views/1');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/proposals\/P-2$/);
    expect(await page.locator('#links').textContent()).toContain('Project tracker item');
    expect(await missing.textContent()).toContain('it has none yet for: forum discussion (or issue).');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'fresh-eyes-2-tracked-links');
    // the facilitators of a topic area, edited from their own page: its breadcrumb leads back to the topic areas
    await page.goto(hub.base + '/groups/hosting/topics/horizontal-scaling/edit');
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Topic areas' }).click();
    await page.waitForURL(/\/groups\/hosting#topics$/);
  });
});
