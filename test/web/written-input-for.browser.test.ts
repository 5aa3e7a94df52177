// A member who cannot attend mails their input to the facilitator instead of using the hub. Priya,
// who facilitates the topic, records it for Amara on the meeting's page, by keyboard at a phone's
// width: a handle nobody has is named beside its field with her typed input kept and the summary
// focused; once recorded, the agenda shows it under Amara's name saying who recorded it, and Amara
// is told and may change or withdraw it as her own.
import { describe, expect, test } from 'vitest';
import { chromiumOnHub, focused, seriousViolations, signInAs, signOut } from '../support/browser.ts';

const { hub, browser } = chromiumOnHub();

const INPUT = 'Mailed from Lagos: please cover retries through envoy with consistent hashing.';

describe('written input sent by mail', () => {
  test('a facilitator records it for its sender, who is told and may change it as their own', async () => {
    const { page } = browser;
    await signInAs(page, hub.base, 'Priya Nair');
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(hub.base + '/meetings/M-2');
    const summary = page.getByText('Record written input someone sent by mail');
    await summary.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.id).toBe('f-inputFor-for');
    await page.keyboard.type('amara-who');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.id).toBe('f-inputFor-item');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.id).toBe('f-inputFor-body');
    await page.keyboard.type(INPUT);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    // the mistake is named by the field's label, the summary has the focus, nothing typed is lost
    const errors = page.locator('.error-summary');
    await errors.waitFor();
    expect((await focused(page))?.text ?? '').toContain("no person 'amara-who' in this hub");
    expect((await errors.textContent())!.replace(/\s+/g, ' ')).toContain(
      "Whose input (their handle): no person 'amara-who' in this hub",
    );
    expect(await page.getByLabel('Their input, as they sent it').inputValue()).toBe(INPUT);
    expect(await page.getByLabel('Whose input (their handle)').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    expect(
      await page.locator('html').evaluate((el) => (el as unknown as { scrollWidth: number }).scrollWidth),
    ).toBeLessThanOrEqual(360);

    await errors.getByRole('link', { name: /^Whose input/ }).focus();
    await page.keyboard.press('Enter');
    expect((await focused(page))?.id).toBe('f-inputFor-for');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('@amara');
    await page.keyboard.press('Enter');
    await page.getByText("@amara's written input is on the agenda under their name").waitFor();
    const written = page.locator('section[aria-labelledby=agenda] .written li', { hasText: INPUT });
    expect((await written.textContent())!.replace(/\s+/g, ' ')).toMatch(
      /Amara Diallo.*\(sent by other means; recorded for them by Priya Nair/,
    );
    // not Priya's to change: the words are Amara's
    expect(await written.getByText('Change or withdraw your input').count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);

    // Amara is told, and the input is hers to change or withdraw
    await signInAs(page, hub.base, 'Amara Diallo');
    await page.goto(hub.base + '/inbox');
    await page
      .getByText(/Priya Nair \(@priya\) recorded written input Amara Diallo \(@amara\) sent by other means/)
      .first()
      .waitFor();
    await page.goto(hub.base + '/meetings/M-2');
    const mine = page.locator('section[aria-labelledby=agenda] .written li', { hasText: INPUT });
    await mine.getByText('Change or withdraw your input').waitFor();
    await signOut(page);
  });
});
