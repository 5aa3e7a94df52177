// Test files of the core project share their worker process (vitest.config.ts, `isolate: false`):
// what one file leaves changed in the process, the files after it run with, and a failure shows in
// whichever of them it happens to reach. leak-guard-setup.ts, run for each file (setup files run per
// file even without isolation), fails the file that leaves one of these changed, naming it, and
// puts it back so the files after it run as they would alone:
// - an environment variable set, changed or removed (put one back by name: test/support/env.ts);
// - fake timers still installed (vi.useFakeTimers without vi.useRealTimers);
// - a global the process shares replaced and not put back (a spy on console, Date.now, fetch…);
// - a bound or plan in the hub's code that tests lower (LIMITS, largeIndexPlan, OAUTH…) left lowered.
import { vi } from 'vitest';
import { LIMITS } from '../../src/domain/limits.ts';
import { OAUTH } from '../../src/domain/oauth.ts';
import { largeIndexPlan } from '../../src/search/engine.ts';

type Settings = Record<string, unknown>;

/**
 * The hub's module-level settings that tests change for a while and must put back: those tests
 * change, from modules light to load (the guard loads them before a worker's first file).
 */
const SETTINGS: Record<string, Settings> = { LIMITS, largeIndexPlan, OAUTH };

/**
 * Functions on objects every file shares, which a test may replace for a while (a spy, a stand-in);
 * each object looked up when it is checked (vitest may give each file a console of its own).
 */
const SHARED: [string, () => object, string][] = [
  ...['log', 'info', 'warn', 'error', 'debug'].map((k): [string, () => object, string] => [
    'console',
    () => console,
    k,
  ]),
  ['Date', () => Date, 'now'],
  ['Math', () => Math, 'random'],
  ['performance', () => performance, 'now'],
  ['Intl', () => Intl, 'DateTimeFormat'],
  ['process', () => process, 'exit'],
  ['process.stdout', () => process.stdout, 'write'],
  ['process.stderr', () => process.stderr, 'write'],
  ...['Date', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'queueMicrotask'].map(
    (k): [string, () => object, string] => ['globalThis', () => globalThis, k],
  ),
  ...['set', 'get', 'has', 'append'].map((k): [string, () => object, string] => [
    'Headers.prototype',
    () => Headers.prototype,
    k,
  ]),
];

const own = (o: object, k: string) => (o as Record<string, unknown>)[k];

export type ProcessState = {
  env: Record<string, string | undefined>;
  shared: unknown[];
  settings: string;
};

/** What a file starts with, of what files share. */
export function processState(): ProcessState {
  return {
    env: { ...process.env },
    shared: SHARED.map(([, o, k]) => own(o(), k)),
    settings: JSON.stringify(SETTINGS),
  };
}

/** What differs from `was`, in words, each put back as it was. */
export function putBackChanges(was: ProcessState): string[] {
  const left: string[] = [];
  // environment variables, by name (never process.env itself: it is not a plain object)
  for (const name of new Set([...Object.keys(was.env), ...Object.keys(process.env)])) {
    if (process.env[name] === was.env[name]) continue;
    const how = was.env[name] === undefined ? 'set' : process.env[name] === undefined ? 'removed' : 'changed';
    left.push(`environment variable ${name} ${how}`);
    if (was.env[name] === undefined) delete process.env[name];
    else process.env[name] = was.env[name];
  }
  if (vi.isFakeTimers()) {
    left.push('fake timers installed');
    vi.useRealTimers();
  }
  SHARED.forEach(([where, o, k], i) => {
    if (own(o(), k) === was.shared[i]) return;
    left.push(`${where}.${k} replaced`);
    Object.assign(o(), { [k]: was.shared[i] });
  });
  if (JSON.stringify(SETTINGS) !== was.settings) {
    const before = JSON.parse(was.settings) as Record<string, Settings>;
    for (const [name, now] of Object.entries(SETTINGS)) {
      if (JSON.stringify(now) === JSON.stringify(before[name])) continue;
      left.push(`${name} changed (${changedPaths(now, before[name]!).join(', ')})`);
      putBack(now, before[name]!);
    }
  }
  return left;
}

function changedPaths(now: unknown, before: unknown, at = ''): string[] {
  if (JSON.stringify(now) === JSON.stringify(before)) return [];
  if (typeof now !== 'object' || typeof before !== 'object' || now === null || before === null)
    return [at || '(whole)'];
  const keys = new Set([...Object.keys(now), ...Object.keys(before)]);
  return [...keys].flatMap((k) => changedPaths(own(now, k), own(before, k), at ? `${at}.${k}` : k));
}

/** Puts a plain object's values back to what a JSON copy of it held, in place (the hub's modules hold it). */
function putBack(target: Settings, before: Settings): void {
  for (const k of Object.keys(target)) if (!(k in before)) delete target[k];
  for (const [k, v] of Object.entries(before)) {
    const now = target[k];
    if (v && typeof v === 'object' && now && typeof now === 'object' && !Array.isArray(v))
      putBack(now as Settings, v as Settings);
    else target[k] = v;
  }
}
