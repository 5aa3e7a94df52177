// An operator starts a hub for their own community, without the demo (`wghub serve --no-demo`, as
// the README's "Start your own community" says), and the first people find their way in: every
// empty page says what is missing and who fills it, instead of a heading over nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  openBrowser,
  seriousViolations,
  signInAs,
  startWebHub,
  type Browser,
  type WebHub,
} from '../support/browser.ts';
import { runCli } from '../support/process.ts';

let hub: WebHub;
let browser: Browser;

beforeAll(async () => {
  hub = await startWebHub({ args: ['--no-demo'] });
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('a hub started without the demo community', () => {
  test('the sign-in page of an empty hub says nobody is here yet and how the operator adds themselves', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/sign-in');
    await page.getByRole('heading', { name: 'Nobody is in this hub yet' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Be one of the demo community' }).count()).toBe(0);
    expect(await page.locator('main pre code').textContent()).toContain('wghub person add --handle you');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the welcome page and the groups page say there is no group yet, and a visitor why they cannot propose one', async () => {
    const { page } = browser;
    await page.goto(hub.base + '/welcome');
    const section = page.getByRole('region', { name: 'Groups and their topic areas' });
    expect(await section.textContent()).toContain('No groups yet');
    await section.getByRole('link', { name: 'Groups' }).click();
    expect(new URL(page.url()).pathname).toBe('/groups');
    const main = page.getByRole('main');
    expect(await main.textContent()).toContain('No groups yet');
    await main.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await main.textContent()).toContain('Sign in to propose a group.');
    expect(await seriousViolations(page)).toEqual([]);
    // fair times search a group's members: with none, the page says so, not a form that answers nothing
    await page.goto(hub.base + '/meetings/fair-times');
    expect(await page.getByRole('main').textContent()).toContain('No groups yet: a fair time is found among');
    expect(await page.getByRole('button', { name: 'Find times' }).count()).toBe(0);
  });

  test('the operator added from the command line proposes the first group; a newcomer is told why they may not, and is raised to facilitate', async () => {
    const added = await runCli(
      ['person', 'add', '--handle', 'olu', '--name', 'Olu Admin', '--role', 'lead-maintainer'],
      { WGHUB_DATABASE_URL: hub.databaseUrl },
    );
    expect(added.code).toBe(0);
    const { page } = browser;
    // one person, one event: counted as such, not "1 people", "1 events"
    await page.goto(hub.base + '/people');
    await page.getByRole('table', { name: '1 person' }).waitFor();
    await page.goto(hub.base + '/log');
    await page.getByRole('table', { name: '1 event' }).waitFor();
    await page.getByRole('button', { name: 'Verify the whole log' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('The chain holds: 1 event checked');
    await page.goto(hub.base + '/sign-in');
    // not "the demo community": there is none here
    await page.getByRole('list', { name: 'Be someone in this hub' }).waitFor();
    await signInAs(page, hub.base, 'Olu Admin');
    // home, the first page after signing in, does not send them to pick from groups there are none of
    expect(await page.getByRole('region', { name: 'Your groups' }).textContent()).toContain(
      'There is no group in this hub yet',
    );
    // first the Code of Conduct and the contribution terms, as for everyone: the groups page says so
    await page.goto(hub.base + '/groups');
    await page.getByRole('main').getByRole('link', { name: 'Read and accept them' }).click();
    await page.getByLabel(/I accept the .*Code of Conduct/).check();
    await page.getByLabel(/I accept the Contributions/).check();
    await page.getByRole('button', { name: 'Accept both' }).click();

    const newcomer = await openBrowser();
    try {
      const p = newcomer.page;
      await p.goto(hub.base + '/sign-in');
      await p.getByLabel('Handle').fill('bea');
      await p.getByLabel('Name', { exact: true }).fill('Bea Newcomer');
      await p.getByRole('button', { name: 'Join as a newcomer' }).click();
      await p.getByLabel(/I accept the .*Code of Conduct/).check();
      await p.getByLabel(/I accept the Contributions/).check();
      await p.getByRole('button', { name: 'Accept both' }).click();
      await p
        .getByRole('region', { name: 'Groups and their topic areas' })
        .getByRole('link', { name: 'Groups' })
        .click();
      const text = (await p.getByRole('main').textContent()) ?? '';
      expect(text).toContain('No groups yet');
      // the policy's own words: who may propose a group
      expect(text).toMatch(/Only .* may propose a group/);
      expect(await p.getByRole('link', { name: /Propose/ }).count()).toBe(0);
    } finally {
      await newcomer.close();
    }

    // a meeting and a decision belong to a group: before the first, their forms say so
    for (const [path, what] of [
      ['/meetings/new', 'a meeting'],
      ['/decisions/new', 'a decision'],
    ]) {
      await page.goto(hub.base + path);
      expect(await page.getByRole('main').textContent()).toContain(
        `There is no group yet, and ${what} belongs to one.`,
      );
      expect(await page.getByRole('main').getByRole('button').count()).toBe(0);
    }
    await page.goto(hub.base + '/groups');
    await page.getByRole('link', { name: 'Propose the first group' }).click();
    await page.getByRole('heading', { name: 'Propose a group', level: 1 }).waitFor();
    // the leads' rule is said before anyone is refused by it
    expect(await page.getByText('each holds at least the member role on the contributor ladder').count()).toBe(1);
    await page.getByLabel('Name', { exact: true }).fill('Payments Interop');
    await page.getByLabel('Short name').fill('payments');
    await page.getByLabel('Mission').fill('Agree how MCP servers take payments.');
    await page.getByLabel('In scope (one per line)').fill('refunds');
    await page.getByRole('button', { name: 'Propose the group' }).click();
    await page.getByRole('heading', { name: 'Payments Interop', level: 1 }).waitFor();
    // sponsoring it completes its sponsorship: the page says the move to active is what is left
    await page.getByRole('button', { name: 'Sponsor Payments Interop' }).click();
    await page.getByText('Its sponsorship is met: it may now move to active').waitFor();
    expect(new URL(page.url()).hash).toBe('#manage');
    await page.getByLabel(/^active/).check();
    await page.getByRole('button', { name: 'Move the group' }).click();
    await page.getByText('The group is now active.').waitFor();
    // a group of one finds a time for one, said so
    await page.goto(hub.base + '/meetings/fair-times?group=payments');
    await page.getByRole('button', { name: 'Find times' }).click();
    await page.getByRole('heading', { name: 'Best times for 1 person in 1 time zone group' }).waitFor();

    // the newcomer cannot facilitate yet: the form says the rule, the refusal names it, and the
    // operator raises them from the command line as the README says
    await page.goto(hub.base + '/groups/payments/topics/new');
    expect(
      await page.getByText('each holds at least the member role on the contributor ladder. Facilitators run').count(),
    ).toBe(1);
    const fill = async () => {
      await page.getByLabel('Short name').fill('refunds');
      await page.getByLabel('Name', { exact: true }).fill('Refunds');
      await page.getByLabel('To agree common patterns for implementing solutions with MCP').check();
      await page.getByLabel('Facilitators (handles)').fill('olu bea');
      await page.getByRole('button', { name: 'Add the topic area' }).click();
    };
    await fill();
    await page.getByText('There is a problem').waitFor();
    expect(await page.getByRole('main').textContent()).toContain(
      'bea is a contributor; leads and facilitators must hold',
    );
    const raised = await runCli(['person', 'role', 'bea', 'member'], { WGHUB_DATABASE_URL: hub.databaseUrl });
    expect(raised).toMatchObject({ code: 0, stdout: 'bea is now member\n' });
    await fill();
    await page.getByText('The topic area “Refunds” is added.').waitFor();
  });

  test("a lead maintainer changes a newcomer's community role from their page; the newcomer has no such form", async () => {
    const { page } = browser; // signed in as Olu, the operator's lead maintainer
    await page.goto(hub.base + '/people/bea');
    await page.getByRole('link', { name: "Change Bea Newcomer's community role" }).click();
    const role = page.getByLabel('Role on the contributor ladder');
    expect(await role.inputValue()).toBe('member');
    expect(await page.getByText('Bea Newcomer is a member now.').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await role.selectOption('maintainer');
    await page.getByRole('button', { name: 'Change the role' }).click();
    await page.getByText('Bea Newcomer is now a maintainer.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/people/bea');
    expect(await page.getByRole('main').textContent()).toContain('@bea · maintainer');

    const bea = await openBrowser();
    try {
      await signInAs(bea.page, hub.base, 'Bea Newcomer');
      await bea.page.goto(hub.base + '/people/bea/edit');
      await bea.page.getByRole('heading', { name: 'Profile', level: 2 }).waitFor();
      expect(await bea.page.getByRole('heading', { name: 'Community role' }).count()).toBe(0);
      // nor a way to another's: Olu's page offers her nothing to change
      await bea.page.goto(hub.base + '/people/olu');
      expect(await bea.page.getByRole('link', { name: /^Change / }).count()).toBe(0);
    } finally {
      await bea.close();
    }
  });
});
