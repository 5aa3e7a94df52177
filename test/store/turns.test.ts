// The one FIFO of turns behind the SQLite writer and the admission of write requests: whoever
// waits gets the turn in order of arrival, handed over a turn of the event loop later so other work
// (a reader's request) runs between two writes, and the waiting list never grows past its bound.
import { describe, expect, it } from 'vitest';
import { Turns, TurnsFull } from '../../src/store/turns.ts';

const turn = () => new Promise((r) => setImmediate(r));

describe('turns on the event loop', () => {
  it('gives the turn in order of arrival, each next holder a turn of the loop after the last gave it up', async () => {
    const turns = new Turns({ max: 10 });
    const seen: string[] = [];
    const run = async (name: string) => {
      await turns.take();
      seen.push(name);
      turns.giveNextTurn();
    };
    const all = Promise.all(['a', 'b', 'c'].map(run));
    setImmediate(() => seen.push('other work'));
    await all;
    // a ran at once; b waited for a turn of the loop, which ran the other work queued before it
    expect(seen).toEqual(['a', 'other work', 'b', 'c']);
  });

  it('is free at once when nobody waits', async () => {
    const turns = new Turns({ max: 10 });
    await turns.take();
    turns.giveNextTurn();
    let taken = false;
    void turns.take().then(() => (taken = true));
    await Promise.resolve();
    expect(taken).toBe(true);
  });

  it('refuses one more than its bound at once, and takes waiters again once the list is shorter', async () => {
    const turns = new Turns({ max: 2 });
    await turns.take();
    const waiting = [turns.take(), turns.take()];
    expect(turns.waiting).toBe(2);
    await expect(turns.take()).rejects.toBeInstanceOf(TurnsFull);
    expect(turns.waiting).toBe(2);
    turns.giveNow();
    await waiting[0];
    expect(turns.waiting).toBe(1);
    const again = turns.take();
    expect(turns.waiting).toBe(2);
    turns.giveNow();
    await waiting[1];
    turns.giveNow();
    await again;
    turns.giveNow();
    await turn();
    expect(turns.waiting).toBe(0);
  });
});
