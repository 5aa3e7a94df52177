// What is loaded on first use (nodemailer, the hints model, the address-checking fetch) is loaded
// once however many ask at once, and a load that failed is not every later caller's failure.
import { describe, expect, it } from 'vitest';
import { onFirstUse } from '../../src/domain/first-use.ts';

describe('onFirstUse', () => {
  it('is made by the first call only, and callers at once share it', async () => {
    let makes = 0;
    const get = onFirstUse(async () => {
      makes++;
      await new Promise((r) => setTimeout(r, 5));
      return { made: makes };
    });
    expect(makes).toBe(0);
    expect(get.made()).toBeUndefined();
    const [a, b, c] = await Promise.all([get(), get(), get()]);
    expect(makes).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(get.made()).toBe(a);
    expect(await get()).toBe(a);
    expect(makes).toBe(1);
  });

  it('a failed make fails those who waited for it, and the next caller tries again', async () => {
    let makes = 0;
    const get = onFirstUse(async () => {
      makes++;
      if (makes === 1) throw new Error('the disk hiccuped');
      return 'loaded';
    });
    const first = await Promise.allSettled([get(), get()]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(makes).toBe(1);
    expect(get.made()).toBeUndefined();
    expect(await get()).toBe('loaded');
    expect(makes).toBe(2);
  });
});
