// Two newcomers walk the hub in Chromium. Jonas, just named facilitator of Horizontal scaling, looks
// for his area where he looks first, his home page, and follows it by keyboard to its card. Amara
// files an idea close to an existing proposal: the Move form points her to the prior work she has
// not related, the link lands on the list, and the page says who may sponsor her proposal. Tui, in
// Auckland where the group's content meetings fall at night, signs up and sends written input to the
// next one by keyboard alone, told beside the field until when, on her own clock.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, seriousViolations, signInAs, signOut } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

// whether an element's top is on screen (run in the page: typed here without the DOM library)
type Box = { getBoundingClientRect(): { top: number } };
const inView = (el: unknown): boolean => {
  const top = (el as Box).getBoundingClientRect().top;
  return top >= 0 && top < (globalThis as unknown as { innerHeight: number }).innerHeight;
};

describe('newcomers walk the hub', () => {
  test('a newly named facilitator finds their topic area on their home page and reaches its card by keyboard', async () => {
    const { page } = browser;
    // Lena raises Jonas to member on the ladder; Sam, the lead, names him facilitator
    await signInAs(page, hub.base, 'Lena Okafor');
    await page.goto(hub.base + '/people/jonas');
    await page.getByText("Change Jonas Berg's community role").click();
    const role = page.getByLabel('Role on the contributor ladder');
    await role.selectOption('member');
    await page.locator('form', { has: role }).getByRole('button', { name: 'Change the role' }).click();
    await page.getByText('Jonas Berg is now a member.').waitFor();
    await signOut(page);
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(hub.base + '/groups/hosting/topics/horizontal-scaling/edit');
    await page.getByLabel('Facilitators (handles)').fill('jonas');
    await page.getByRole('button', { name: 'Save the topic area' }).click();
    await page.waitForURL(/\/groups\/hosting/);
    await signOut(page);

    await signInAs(page, hub.base, 'Jonas Berg');
    await page.goto(hub.base + '/');
    const groups = page.locator('section[aria-labelledby="h-groups"]');
    await expect
      .poll(() => groups.textContent())
      .toMatch(/Hosting\s*\(participant\)\s*· you facilitate Horizontal scaling/);
    expect(await seriousViolations(page)).toEqual([]);
    await groups.getByRole('link', { name: 'Horizontal scaling' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/groups\/hosting#topic-horizontal-scaling$/);
    expect(await page.locator('#topic-horizontal-scaling').evaluate(inView)).toBe(true);
    expect(await page.locator('#topic-horizontal-scaling').textContent()).toContain('Facilitators: Jonas Berg');
    await signOut(page);
  });

  test('an author with unread prior work is pointed to it before moving on, and reads who may sponsor', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Amara Diallo');
    await page.goto(hub.base + '/proposals/new');
    await page.getByLabel('Title').fill('Retry tokens for clients behind flaky gateways');
    await page
      .getByLabel('The problem it solves')
      .fill('Clients behind flaky gateways retry in different ways, and servers see duplicated tool calls.');
    await page
      .getByLabel('Real-world examples (one per line)')
      .fill('Our gateway restarts nightly and two clients retried');
    await page.getByRole('button', { name: 'File proposal' }).click();
    await page.getByText(/Your proposal P-\d+ is filed/).waitFor();

    const note = page.locator('#prior-work-unread');
    await expect.poll(() => note.textContent()).toMatch(/P-1: Retry guidance for clients behind flaky gateways/);
    expect(await page.locator('#sponsor-wanted').textContent()).toMatch(
      /It has no sponsor yet\..*may sponsor a proposal, such as .*Kai Tanaka/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await note.getByRole('link', { name: 'Read each' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#prior-work$/);
    expect(await page.locator('#prior-work').evaluate(inView)).toBe(true);
  });

  test('a newcomer who can never attend signs up, joins and sends written input by keyboard alone, told until when', async () => {
    const { page } = browser;
    const focusRing = () =>
      page.evaluate(() => {
        const d = globalThis as unknown as {
          document: { activeElement: unknown };
          getComputedStyle(e: unknown): { outlineStyle: string };
        };
        return d.getComputedStyle(d.document.activeElement).outlineStyle;
      });
    await page.goto(hub.base + '/sign-in');
    if (await page.getByRole('button', { name: 'Sign out' }).isVisible()) await signOut(page);
    await page.goto(hub.base + '/sign-in');
    for (let i = 0; i < 40 && (await focused(page))?.id !== 'f-handle'; i++) await page.keyboard.press('Tab');
    expect((await focused(page))?.id).toBe('f-handle');
    expect(await focusRing()).not.toBe('none');
    await page.keyboard.type('tui-k');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Tui Kereama');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/welcome/);
    // Enter from the second box while the first is unticked: refused, naming it; the ticked one stays
    await page.locator('#f-contributionTerms').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('#f-contributionTerms').isChecked()).toBe(true);
    await page.locator('#f-codeOfConduct').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.getByText('Next, join a group.').waitFor();
    await page.locator('#level-hosting').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('You joined Hosting as participant.').waitFor();

    await page.goto(hub.base + '/');
    await page
      .getByRole('link', { name: /Horizontal scaling deep-dive/ })
      .first()
      .focus();
    expect(await focusRing()).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/meetings\/M-2$/);
    await page.getByText('Cannot attend? Send written input').focus();
    await page.keyboard.press('Enter');
    // the agenda closes when the meeting starts: she reads that moment beside the field, in her zone
    expect(await page.locator('#f-input-body-hint').textContent()).toMatch(
      /^Send it before the meeting starts, \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d \(Pacific\/Auckland\): the agenda closes then/,
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.id).toBe('f-input-body');
    await page.keyboard.type('I cannot attend at this hour; cookie affinity broke on failover for us.');
    await page.locator('form[action="/meetings/M-2/written-input"] button[type="submit"]').focus();
    await page.keyboard.press('Enter');
    await page.getByText('Your written input is on the agenda').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
