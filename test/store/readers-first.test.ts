// Reads before writes on SQLite's one event loop: a write waits before its next piece while a read
// is in flight, for at most a bounded time, and a read holds writes back for at most a bounded time.
import { describe, expect, it } from 'vitest';
import { ReadersFirst } from '../../src/store/readers-first.ts';

const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reads before writes', () => {
  it('lets a write go on the next turn when nobody reads', async () => {
    const readers = new ReadersFirst();
    const seen: string[] = [];
    const w = readers.writersTurn().then(() => seen.push('write'));
    seen.push('same turn');
    await w;
    expect(seen).toEqual(['same turn', 'write']);
  });

  it('holds a write while a read is in flight and lets it go once the last read ends', async () => {
    const readers = new ReadersFirst({ readMs: 5_000, writerWaitMs: 5_000 });
    const seen: string[] = [];
    const first = readers.read();
    const second = readers.read();
    expect(readers.reading).toBe(2);
    const w = readers.writersTurn().then(() => seen.push('write'));
    await sleep(20);
    first();
    first(); // ending twice ends once
    await sleep(20);
    expect(readers.reading).toBe(1);
    expect(seen).toEqual([]);
    second();
    seen.push('last read ended');
    await w;
    expect(seen).toEqual(['last read ended', 'write']);
    expect(readers.reading).toBe(0);
  });

  it('holds a write back for at most writerWaitMs, however long reads go on', async () => {
    const readers = new ReadersFirst({ readMs: 5_000, writerWaitMs: 30 });
    const end = readers.read();
    const t = performance.now();
    for (let i = 0; i < 5; i++) await readers.writersTurn();
    const waited = performance.now() - t;
    expect(waited).toBeGreaterThanOrEqual(5 * 29);
    expect(waited).toBeLessThan(2_000);
    end();
  });

  it('counts a read that never ends as in flight for readMs only', async () => {
    const readers = new ReadersFirst({ readMs: 30, writerWaitMs: 5_000 });
    readers.read(); // a client that never reads its answer
    const t = performance.now();
    await readers.writersTurn();
    expect(performance.now() - t).toBeGreaterThanOrEqual(25);
    expect(readers.reading).toBe(0);
  });

  it('ends by its deadline only the reads of a slice still open, and an end after that changes nothing', async () => {
    const readers = new ReadersFirst({ readMs: 60, writerWaitMs: 5_000 });
    const a = readers.read();
    const b = readers.read(); // the same slice as a: one timer for both
    const c = readers.read();
    a();
    expect(readers.reading).toBe(2);
    await sleep(90); // past the slice's deadline: b and c end there, once
    expect(readers.reading).toBe(0);
    b();
    c();
    expect(readers.reading).toBe(0); // never below nothing
    // a read begun later is a slice of its own, held to its own deadline
    const d = readers.read();
    expect(readers.reading).toBe(1);
    const seen: string[] = [];
    const w = readers.writersTurn().then(() => seen.push('write'));
    await turn();
    expect(seen).toEqual([]);
    d();
    await w;
    expect(seen).toEqual(['write']);
    expect(readers.reading).toBe(0);
  });

  it('lets reads that arrive as the last one ends start before the held write', async () => {
    const readers = new ReadersFirst({ readMs: 5_000, writerWaitMs: 5_000 });
    const seen: string[] = [];
    const end = readers.read();
    const w = readers.writersTurn().then(() => seen.push('write'));
    end();
    await Promise.resolve();
    seen.push('a read starts');
    await w;
    await turn();
    expect(seen).toEqual(['a read starts', 'write']);
  });
});
