// On SQLite a write request runs unbroken on the one event loop, so writes are admitted one per
// turn of the loop: whatever else arrived (a reader's request) is answered between two writes.
import { describe, expect, it } from 'vitest';
import { oneWritePerTurn } from '../../src/http/write-turns.ts';

describe('one write per turn of the event loop', () => {
  it('admits the first write at once and each next one a turn later, in order of arrival', async () => {
    const admit = oneWritePerTurn();
    const seen: string[] = [];
    const writes = ['w1', 'w2', 'w3'].map((w) => admit().then(() => seen.push(w)));
    setImmediate(() => seen.push('other work, next turn'));
    await Promise.all(writes);
    expect(seen).toEqual(['w1', 'w2', 'other work, next turn', 'w3']);
    // once the queue is empty, a write is admitted at once again
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    let admitted = false;
    void admit().then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(true);
  });

  it('refuses a write past its bound of waiting writes at once, and admits again once the queue drains', async () => {
    const admit = oneWritePerTurn(2);
    await admit();
    const waiting = [admit(), admit()];
    await expect(admit()).rejects.toThrow(/too many waiting/);
    await Promise.all(waiting);
    await new Promise((r) => setImmediate(r));
    await expect(admit()).resolves.toBeUndefined();
  });
});
