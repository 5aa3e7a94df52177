// The zone and recurrence libraries load on first use: they add about 0.2 s to a process start,
// and most commands and requests never touch a meeting's time.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let luxon: typeof import('luxon') | undefined;
let rrule: typeof import('rrule') | undefined;

export const zones = (): typeof import('luxon') => (luxon ??= require('luxon') as typeof import('luxon'));
export const recurrence = (): typeof import('rrule') => (rrule ??= require('rrule') as typeof import('rrule'));
