// The proposal page in Chromium: each action's explanation (what the button does, or why it is not
// available now) sits right under its own button and is that button's accessible description. A
// reviewer saw one action's reason under another's button: the author's "no lead but you to ask"
// (asking for review) under "Move", and what asking for review does above its button, under "Move".
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, screenshot, seriousViolations, signInAs as signInAsOn, signOut } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

type Explanation = { text: string; describes: string[]; under: string | null };

/**
 * Every explanation of an action on the page (a refusal, `p.why-not`, or what an action does, a hint
 * in its `.action`): the buttons whose aria-describedby names it, and the button just above it on
 * the screen. A move's own "Not now" in the list of moves explains that list item, not a button.
 */
function explanations(page: Page): Promise<Explanation[]> {
  type El = {
    id: string;
    textContent: string | null;
    getAttribute(name: string): string | null;
    getBoundingClientRect(): { top: number; bottom: number; height: number };
  };
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } }).document;
    const buttons = [...doc.querySelectorAll('main button')].filter((b) => b.getBoundingClientRect().height > 0);
    return [...doc.querySelectorAll('main p.why-not, main .action .hint')].map((p) => {
      const top = p.getBoundingClientRect().top;
      const above = buttons
        .filter((b) => b.getBoundingClientRect().bottom <= top + 1)
        .sort((a, b) => b.getBoundingClientRect().bottom - a.getBoundingClientRect().bottom)[0];
      return {
        text: (p.textContent ?? '').trim(),
        describes: p.id
          ? buttons
              .filter((b) => (b.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(p.id))
              .map((b) => (b.textContent ?? '').trim())
          : [],
        under: above ? (above.textContent ?? '').trim() : null,
      };
    });
  });
}

/** What Chromium tells a screen reader about each button in the main part of the page: name, description, unavailable. */
async function buttonsAsRead(page: Page): Promise<{ name: string; description: string; disabled: boolean }[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: {
        role?: { value: string };
        name?: { value: string };
        description?: { value: string };
        properties?: { name: string; value: { value: unknown } }[];
        ignored: boolean;
      }[];
    };
    return nodes
      .filter((n) => !n.ignored && n.role?.value === 'button')
      .map((n) => ({
        name: n.name?.value ?? '',
        description: n.description?.value ?? '',
        disabled: n.properties?.some((p) => p.name === 'disabled' && p.value.value === true) ?? false,
      }));
  } finally {
    await cdp.detach();
  }
}

async function buttonAsRead(page: Page, name: string) {
  const found = (await buttonsAsRead(page)).filter((b) => b.name === name);
  expect(found, `one button "${name}"`).toHaveLength(1);
  return found[0]!;
}

/** Every explanation on the page belongs to one button, the one right above it. */
async function eachUnderItsOwnButton(page: Page, where: string) {
  const all = await explanations(page);
  for (const e of all) expect({ where, ...e }).toEqual({ where, ...e, describes: [e.under] });
  return all;
}

describe('the proposal page: each explanation under its own button', () => {
  test('an author who may not ask for review: the reason is the review button’s, not the move’s', async () => {
    const { page } = browser;
    await signInAsOn(page, hub.base, 'Priya Nair');
    await page.goto(hub.base + '/proposals/P-3');
    const ask = await buttonAsRead(page, "Ask the group's leads for review");
    expect(ask.disabled).toBe(true);
    expect(ask.description).toBe('It has no sponsor, and its group has no lead but you to ask.');
    expect((await buttonAsRead(page, 'Move')).description).toBe('');
    const all = await eachUnderItsOwnButton(page, 'P-3 as Priya');
    expect(all.find((e) => e.text.startsWith('It has no sponsor'))?.under).toBe("Ask the group's leads for review");
    // her own proposal: support is for others, and the reason is the support button's
    const support = await buttonAsRead(page, 'Support this proposal');
    expect([support.disabled, support.description]).toEqual([
      true,
      'You are its author: support shows that others need it too.',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'proposal-actions-author');
    await signOut(page);
  });

  test('an author who may ask: what the button does comes under it, not under the button before', async () => {
    const { page } = browser;
    await signInAsOn(page, hub.base, 'Jonas Berg');
    await page.goto(hub.base + '/proposals/P-1');
    const ask = await buttonAsRead(page, "Ask the group's leads for review");
    expect(ask.disabled).toBe(false);
    expect(ask.description).toMatch(
      /^Tells the group's leads \(it has no sponsor yet\) that it waits for their review/,
    );
    expect((await buttonAsRead(page, 'Move')).description).toBe('');
    const all = await eachUnderItsOwnButton(page, 'P-1 as Jonas');
    expect(all.find((e) => e.text.startsWith('Tells the group'))?.under).toBe("Ask the group's leads for review");
    await page.getByRole('button', { name: "Ask the group's leads for review" }).click();
    await page.getByText('Asked: they are told it waits for their review.').waitFor();
    // asked: now the button says why not again, and when it was asked, under it
    const again = await buttonAsRead(page, "Ask the group's leads for review");
    expect([again.disabled, again.description]).toEqual([
      true,
      'Review was asked for less than an hour ago; it may be asked again in 24 hours (once every 24 hours).',
    ]);
    await eachUnderItsOwnButton(page, 'P-1 as Jonas, asked');
    expect(await seriousViolations(page)).toEqual([]);
    await signOut(page);
  });

  test('someone who may not move it, and a visitor: each reason under Move, Support, evidence and relations', async () => {
    const { page } = browser;
    await signInAsOn(page, hub.base, 'Amara Diallo');
    await page.goto(hub.base + '/proposals/P-1');
    const move = await buttonAsRead(page, 'Move');
    expect(move.disabled).toBe(true);
    // each move's line names who makes it: why not is one line for all of them, not the first's "Only …"
    expect(move.description).toBe('None of these moves is yours: each line above names who makes it.');
    await eachUnderItsOwnButton(page, 'P-1 as Amara');
    await signOut(page);

    for (const ref of ['P-1', 'P-2', 'P-3']) {
      await page.goto(hub.base + `/proposals/${ref}`);
      const read = await buttonsAsRead(page);
      for (const [name, doing] of [
        ['Move', 'Sign in to move it along the route.'],
        ['Support this proposal', 'Sign in to add your support.'],
        ['Add evidence', 'Sign in to add evidence.'],
        ['Relate to another item', 'Sign in to relate it to another item.'],
      ])
        expect([ref, read.find((b) => b.name === name)]).toEqual([ref, { name, description: doing, disabled: true }]);
      await eachUnderItsOwnButton(page, `${ref} as a visitor`);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'proposal-actions-visitor');
  });

  test('every viewer of every demo proposal: no explanation sits under another button', async () => {
    const { page } = browser;
    let seen = 0;
    for (const who of ['Kai Tanaka', 'Sam Rivera', 'Priya Nair', 'Amara Diallo']) {
      await signInAsOn(page, hub.base, who);
      for (const ref of ['P-1', 'P-2', 'P-3']) {
        await page.goto(hub.base + `/proposals/${ref}`);
        seen += (await eachUnderItsOwnButton(page, `${ref} as ${who}`)).length;
      }
      await signOut(page);
    }
    expect(seen).toBeGreaterThan(4);
  });
});
