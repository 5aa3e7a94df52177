// Time and identity are injected so deadlines, decay and ordering are tested without sleeping.
export interface Clock {
  now(): Date;
  /**
   * A clock that can jump (a test moving a served hub's time) calls `listener` when it has; the
   * timers then do the work of the periods it skipped at once. Returns how to stop listening.
   */
  onJump?(listener: () => void): () => void;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  #t: number;
  constructor(start: string | Date) {
    this.#t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#t);
  }
  set(t: string | Date): void {
    this.#t = new Date(t).getTime();
  }
  advanceDays(days: number): void {
    this.#t += days * 86_400_000;
  }
  advance(ms: number): void {
    this.#t += ms;
  }
}

/**
 * What a test clock file says (test-only; src/cli/test-clock.ts reads the file): nothing (the
 * real time), an offset in milliseconds from the real time (`+7200000`, `-60000`), or an ISO
 * instant the clock stands still at (`2026-12-09T10:00:00Z`). Anything else is refused by name.
 */
export type ClockSetting = { kind: 'real' } | { kind: 'offset'; ms: number } | { kind: 'fixed'; at: number };

export function parseClockSetting(text: string): ClockSetting | { error: string } {
  const t = text.trim();
  if (t === '') return { kind: 'real' };
  if (/^[+-]?\d+$/.test(t)) return { kind: 'offset', ms: Number(t) };
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t) ? Date.parse(t) : Number.NaN;
  if (Number.isFinite(at)) return { kind: 'fixed', at };
  return {
    error: `"${t.slice(0, 60)}" is neither an offset in milliseconds (+7200000) nor an ISO instant with its zone (2026-12-09T10:00:00Z)`,
  };
}

export type IdGenerator = () => string;
