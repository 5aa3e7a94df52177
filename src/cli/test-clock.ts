// A test-only clock for a served hub (docs/web.md, "Moving a served hub's time"): when
// WGHUB_TEST_CLOCK_FILE names a file, the hub's time is what that file says, read again whenever
// the file changes (its modification time and size are checked on each reading of the clock, the
// file is read only when they change). A browser test writes `+7200000` and the hub, its timers and
// its job queue live two hours ahead. Off unless the variable is set; `serve` and `worker` warn.
import { readFileSync, statSync } from 'node:fs';
import { parseClockSetting, type Clock, type ClockSetting } from '../domain/clock.ts';

export const TEST_CLOCK_ENV = 'WGHUB_TEST_CLOCK_FILE';

export class FileClock implements Clock {
  readonly file: string;
  #stamp = '';
  #setting: ClockSetting = { kind: 'real' };
  #listeners = new Set<() => void>();

  constructor(file: string) {
    this.file = file;
    this.#refresh(); // a bad file stops start-up, not the first request
  }

  #refresh(): void {
    const s = statSync(this.file, { throwIfNoEntry: false });
    const stamp = s ? `${s.mtimeMs}:${s.size}:${s.ino}` : 'none';
    if (stamp === this.#stamp) return;
    const parsed = parseClockSetting(s ? readFileSync(this.file, 'utf8') : '');
    if ('error' in parsed) throw new Error(`${TEST_CLOCK_ENV} (${this.file}): ${parsed.error}`);
    const jumped = this.#stamp !== '' && JSON.stringify(parsed) !== JSON.stringify(this.#setting);
    this.#stamp = stamp;
    this.#setting = parsed;
    if (jumped) for (const l of this.#listeners) queueMicrotask(l);
  }

  now(): Date {
    this.#refresh();
    const s = this.#setting;
    return new Date(s.kind === 'fixed' ? s.at : s.kind === 'offset' ? Date.now() + s.ms : Date.now());
  }

  onJump(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The test clock when WGHUB_TEST_CLOCK_FILE is set, else nothing (the hub keeps the real time). */
export function testClockFromEnv(env: NodeJS.ProcessEnv = process.env): FileClock | undefined {
  const file = env[TEST_CLOCK_ENV]?.trim();
  return file ? new FileClock(file) : undefined;
}
