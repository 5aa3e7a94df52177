/**
 * Characters the hand-written text scanners read, added up by name. Tests of hostile input read it
 * (`workOf`) to assert that the work grows with the input's length, or stays under the bound the code
 * enforces, instead of timing it: a wall-clock budget fails on a loaded machine and passes on a fast
 * one, and speed figures are bench/'s (bench/hostile-input.ts). Always on, so no branch for tests: a
 * scanner adds once per call or per search it makes (never per character), and nothing is kept per
 * caller or per text.
 */
const tallies = new Map<string, number>();

/** Adds `n` characters read to the scanner named `what`. */
export function tally(what: string, n: number): void {
  tallies.set(what, (tallies.get(what) ?? 0) + n);
}

/** The characters the scanner named `what` read while `run` ran, with what `run` returned. */
export function workOf<T>(what: string, run: () => T): { value: T; read: number } {
  const before = tallies.get(what) ?? 0;
  const value = run();
  return { value, read: (tallies.get(what) ?? 0) - before };
}

/** As `workOf`, for a run that is awaited (an import, a request): count nothing else meanwhile. */
export async function workOfAsync<T>(what: string, run: () => Promise<T>): Promise<{ value: T; read: number }> {
  const before = tallies.get(what) ?? 0;
  const value = await run();
  return { value, read: (tallies.get(what) ?? 0) - before };
}
