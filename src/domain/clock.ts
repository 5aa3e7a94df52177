// Time and identity are injected so deadlines, decay and ordering are tested without sleeping.
export interface Clock {
  now(): Date;
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

export type IdGenerator = () => string;
