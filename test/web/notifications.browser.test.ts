// Notifications in Chromium: a mention shows in the inbox with the unread count in the banner,
// opening it reaches the proposal, marking all read clears the count; an action item given (by the
// CLI) shows and leads to the meeting's action items, where its owner marks it done; a decision page says who
// was told and warns of uninformed silence; a topic area's card has its own watch control; a lead adds and removes a chat webhook; the pages pass axe with no serious violation.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { createHub } from '../../src/app/core/hub.ts';
import { mailToken } from '../../src/app/notifications/tokens.ts';
import { openStore } from '../../src/store/connect.ts';
import {
  openBrowser,
  screenshot,
  seriousViolations,
  signInAs,
  startWebHub,
  type Browser,
  type WebHub,
} from '../support/browser.ts';

let hub: WebHub;
let browser: Browser;

beforeAll(async () => {
  hub = await startWebHub({
    before: [
      ['seed', '--full'],
      ['--as', 'sam-lead', 'proposal', 'comment', 'P-2', 'What does @jonas think about sticky cookies?'],
      [
        '--as',
        'sam-lead',
        'decision',
        'open',
        '--group',
        'hosting',
        '--significance',
        'minor',
        '--question',
        'Meet fortnightly from April?',
      ],
      // given by the CLI, as by any edge: the one it is given to hears of it
      [
        '--as',
        'sam-lead',
        'meeting',
        'action',
        'M-1',
        '--owner',
        'jonas',
        '--due',
        new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
        '--text',
        'Collect the gateway traces',
      ],
    ],
  });
  browser = await openBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('the inbox in Chromium', () => {
  test('a mention shows in the inbox with the unread count; it leads to the proposal; marking all read clears the count', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Jonas Berg');
    const badge = page.getByRole('banner').locator('.inbox-link .badge');
    const unread = Number(await badge.textContent());
    expect(unread).toBeGreaterThanOrEqual(1);
    await page
      .getByRole('banner')
      .getByRole('link', { name: /^Inbox/ })
      .click();
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const mention = page.getByRole('link', { name: /^Sam Rivera \(@sam-lead\) commented on P-2: / });
    await mention.waitFor();
    // its button is read as "Mark read: <the notice>", with no stray space before the colon
    const markName = `Mark read: ${(await mention.textContent())?.trim()}`;
    expect(await page.getByRole('button', { name: markName, exact: true }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'inbox');
    await mention.click();
    await page.getByText('What does @jonas think about sticky cookies?').waitFor();
    expect(new URL(page.url()).pathname).toBe('/proposals/P-2');
    await page.goto(`${hub.base}/inbox`);
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByText(/Marked \d+ read\.|Marked read\./).waitFor();
    expect(await page.getByRole('banner').locator('.inbox-link .badge').count()).toBe(0);
  });

  test('an action item given to me shows in the inbox and leads to the action items, where I mark it done', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Jonas Berg');
    await page.goto(`${hub.base}/inbox`);
    const given = page.getByRole('link', {
      name: 'Sam Rivera (@sam-lead) gave you an action item from M-1 (Hosting WG coordination, Hosting): Collect the gateway traces',
    });
    await given.waitFor();
    await page.getByText(/action assigned · told because you own an action item of this meeting/).waitFor();
    await given.click();
    await page.getByRole('heading', { name: 'Action items', level: 2 }).waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).hash).toBe('/meetings/M-1#actions');
    await page.getByRole('button', { name: 'Mark “Collect the gateway traces” done' }).click();
    await page.getByText(/Collect the gateway traces, due/).waitFor();
    expect(await page.getByRole('button', { name: 'Mark “Collect the gateway traces” done' }).count()).toBe(0);
  });

  test('a decision page says who was told, and its warning names members the news has not reached', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(`${hub.base}/decisions`);
    const ref = await page
      .getByRole('link', { name: /Meet fortnightly from April\?/ })
      .first()
      .getAttribute('href');
    await page.goto(hub.base + ref!);
    await page.getByRole('heading', { name: 'Who was told' }).waitFor();
    expect(
      await page
        .getByRole('table', { name: /Notifications about D-\d+/ })
        .getByText('@jonas')
        .count(),
    ).toBeGreaterThanOrEqual(1);
    expect(await page.locator('p.warning', { hasText: 'Uninformed silence' }).textContent()).toContain('priya');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'decision-who-was-told');
  });

  test('a member watches one topic area from its card on the group page, with one click on its own Save', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Jonas Berg');
    await page.goto(`${hub.base}/groups/hosting`);
    const level = page.getByLabel('Notifications about Horizontal scaling', { exact: true });
    expect(await level.inputValue()).toBe('normal');
    await level.selectOption('watching');
    await page.locator('form.subscription', { has: level }).getByRole('button', { name: 'Save' }).click();
    await page.getByText('Horizontal scaling (a topic area): Watching: tell me about everything here.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/groups/hosting');
    expect(await page.getByLabel('Notifications about Horizontal scaling', { exact: true }).inputValue()).toBe(
      'watching',
    );
    // the group's own control is a separate choice, left as it was
    expect(await page.getByLabel('Notifications', { exact: true }).inputValue()).not.toBe('watching');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('a lead adds a chat webhook from the group page, sees only its origin, and removes it', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Sam Rivera');
    await page.goto(`${hub.base}/groups/hosting`);
    await page.getByRole('link', { name: 'Chat webhooks' }).click();
    await page.getByRole('heading', { name: 'Chat webhooks of Hosting', level: 1 }).waitFor();
    await page.getByLabel('Format').selectOption('discord');
    await page.getByLabel('Webhook URL').fill('https://discord.com/api/webhooks/42/browser-secret-part');
    await page.getByRole('button', { name: 'Add the webhook' }).click();
    await page.getByText('The webhook is added').waitFor();
    expect(await page.getByText('Discord to https://discord.com/…').count()).toBe(1);
    expect(await page.content()).not.toContain('browser-secret-part');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: /^Remove the discord webhook/ }).click();
    await page.getByText('The webhook is removed.').waitFor();
    expect(await page.getByText('No chat webhooks yet.').count()).toBe(1);
  });

  test('the unsubscribe link in a mail works without signing in', async () => {
    // the link a mail to jonas about P-2 would carry, made as the hub makes it
    const store = openStore(hub.databaseUrl);
    let token: string;
    try {
      const hubForToken = createHub(store, loadGovernance());
      const jonas = await store.db
        .selectFrom('people')
        .select('id')
        .where('handle', '=', 'jonas')
        .executeTakeFirstOrThrow();
      token = await mailToken(hubForToken, 'unsubscribe', { id: jonas.id, epoch: 0 }, { type: 'proposal', ref: 'P-2' });
    } finally {
      await store.close();
    }
    const fresh = await browser.context.browser()!.newContext();
    try {
      const page = await fresh.newPage();
      await page.goto(`${hub.base}/unsubscribe/${token}`);
      await page.getByRole('heading', { name: 'Stop this mail', level: 1 }).waitFor();
      expect(await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.getByRole('heading', { name: 'Unsubscribed', level: 1 }).waitFor();
      expect(await page.getByText('You will get no more mail about P-2.').count()).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
