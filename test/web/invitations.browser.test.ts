// An invitation in the browser: Sam sets a level for Amara, who is not in Observability; the page says
// she is invited, not placed, and lists it under "Invitations not answered", saying when it closes. Amara finds it on her home page and
// the group's, accepts, and is a member. Every page gets axe.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, seriousViolations, signInAs, signOut } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

describe('an invitation to a group, in Chromium', () => {
  test('a lead invites; the person reads it on their home page and accepts it on the group page', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(`${hub.base}/groups/observability`);
    const manage = page.getByRole('region', { name: 'Run this group' });
    await manage.getByLabel('Person (handle)').fill('amara');
    await manage.getByLabel('Level', { exact: true }).selectOption('participant');
    await manage.getByLabel('A message with an invitation (optional)').fill('Your gateway traces would help');
    await manage.getByRole('button', { name: 'Set the level' }).click();
    await page.getByText(/Amara Diallo \(@amara\) is not in the group: they are invited as a participant/).waitFor();
    const unanswered = page.getByRole('region', { name: 'Invitations not answered' });
    await unanswered.getByRole('link', { name: 'Amara Diallo' }).waitFor();
    expect(await unanswered.textContent()).toMatch(/; it closes in 14 days, /);
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);

    await signInAs(page, hub.base, 'Amara Diallo');
    await page.goto(`${hub.base}/`);
    const invitations = page.getByRole('region', { name: 'Invitations to groups' });
    await invitations.getByText('Your gateway traces would help').waitFor();
    // when it closes, as a moment ahead: "it closes in 14 days, …", not "accept it until in 14 days"
    expect(await invitations.textContent()).toMatch(/; it closes in 14 days, \w{3} \d+ \w{3} \d{4}/);
    expect(await seriousViolations(page)).toEqual([]);
    await invitations.getByRole('link', { name: 'Observability' }).click();
    const invited = page.getByRole('region', { name: 'You are invited' });
    await invited.getByRole('button', { name: 'Decline the invitation' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await invited.getByRole('button', { name: /^Accept: join Observability as a participant$/ }).click();
    await page.getByText('You are in Observability now, as a participant.').waitFor();
    expect(await page.locator('#members').locator('xpath=..').textContent()).toContain('@amara');
    expect(await page.getByRole('region', { name: 'You are invited' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);
  });
});
