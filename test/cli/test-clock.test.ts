import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileClock, testClockFromEnv } from '../../src/cli/test-clock.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wghub-clock-'));
  file = path.join(dir, 'clock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the file and gives it a new modification time, as a test a second later would. */
let tick = 1_000_000;
function write(text: string) {
  writeFileSync(file, text);
  tick += 1;
  utimesSync(file, tick, tick);
}

describe('the test clock a file sets (WGHUB_TEST_CLOCK_FILE)', () => {
  it('is off unless the variable is set', () => {
    expect(testClockFromEnv({})).toBeUndefined();
    expect(testClockFromEnv({ WGHUB_TEST_CLOCK_FILE: file })).toBeInstanceOf(FileClock);
  });

  it('keeps the real time until the file says otherwise, then follows each change to it', () => {
    const clock = new FileClock(file); // no file yet: the real time
    const real = () => Date.now();
    expect(Math.abs(clock.now().getTime() - real())).toBeLessThan(1000);

    write('+172800000'); // two days ahead
    expect(Math.abs(clock.now().getTime() - (real() + 172_800_000))).toBeLessThan(1000);

    write('2026-12-09T10:00:00Z'); // standing still at an instant
    expect(clock.now().toISOString()).toBe('2026-12-09T10:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-12-09T10:00:00.000Z');

    write('2026-12-09T11:30:00+01:00');
    expect(clock.now().toISOString()).toBe('2026-12-09T10:30:00.000Z');
  });

  it('tells whoever listens when it jumps, not when nothing changed', async () => {
    write('0');
    const clock = new FileClock(file);
    let jumps = 0;
    clock.onJump(() => jumps++);
    clock.now();
    await Promise.resolve();
    expect(jumps).toBe(0);
    write('+3600000');
    clock.now();
    await Promise.resolve();
    expect(jumps).toBe(1);
  });

  it('refuses what is neither an offset nor an instant with its zone, naming the variable and the file', () => {
    write('next tuesday');
    expect(() => new FileClock(file)).toThrow(
      `WGHUB_TEST_CLOCK_FILE (${file}): "next tuesday" is neither an offset in milliseconds (+7200000) nor an ISO instant with its zone`,
    );
    write('2026-12-09T10:00:00'); // no zone: which 10:00?
    expect(() => new FileClock(file)).toThrow(/neither an offset/);
  });
});
