// On SQLite a write request's work runs on the one event loop and its transaction takes the one
// writer anyway, so write requests run one at a time: whatever else arrived (a reader's request)
// runs between two writes, and a reader waits behind the pieces of one write, not of eight.
import { describe, expect, it } from 'vitest';
import { oneWriteAtATime } from '../../src/http/write-turns.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('one write request at a time', () => {
  it('admits the next write only when the one before has left, a turn later, in order of arrival', async () => {
    const enter = oneWriteAtATime();
    const seen: string[] = [];
    const leave1 = await enter();
    const w2 = enter().then((leave) => {
      seen.push('w2');
      return leave;
    });
    const w3 = enter().then((leave) => {
      seen.push('w3');
      return leave;
    });
    await sleep(10);
    expect(seen).toEqual([]); // w1 is still writing
    setImmediate(() => seen.push('other work, arrived before w1 left'));
    leave1();
    leave1(); // leaving twice gives the turn once
    (await w2)();
    (await w3)();
    expect(seen).toEqual(['other work, arrived before w1 left', 'w2', 'w3']);
    // once nobody waits, a write is admitted at once again
    let admitted = false;
    void enter().then((leave) => {
      admitted = true;
      leave();
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(admitted).toBe(true);
  });

  it('lets the next write in after holdMs when a write does not leave', async () => {
    const enter = oneWriteAtATime(10, 30);
    await enter(); // a write waiting on something outside the process, never leaving
    const t = performance.now();
    const leave = await enter();
    expect(performance.now() - t).toBeGreaterThanOrEqual(25);
    leave();
  });

  it('refuses a write past its bound of waiting writes at once, and admits again once the queue drains', async () => {
    const enter = oneWriteAtATime(2);
    const leave = await enter();
    const waiting = [enter(), enter()];
    await expect(enter()).rejects.toThrow(/too many waiting/);
    leave();
    (await waiting[0]!)();
    (await waiting[1]!)();
    await expect(enter().then((l) => l())).resolves.toBeUndefined();
  });
});
