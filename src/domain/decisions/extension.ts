// Extending a decision's deadline: more time under lazy consensus, so that silence at the close is
// informed silence (members not reached yet, or the group asking for more time). Pure: who may is the
// policy's (policies/decision.ts: only while lazy consensus runs, never in a vote, an escalation or
// once closed); this says which new deadlines are allowed.
import type { FieldIssue } from '../errors.ts';
import { LIMITS } from '../limits.ts';

const DAY = 86_400_000;

/**
 * What is wrong with moving a deadline from `current` to `proposed` at `now`, naming `deadline`: it
 * must be later than the current one (an extension never shortens the time members were promised), and
 * at most `LIMITS.decisionExtensionDays` days from now. Empty when it may.
 */
export function extensionIssues(current: string, proposed: string, now: Date): FieldIssue[] {
  const from = Date.parse(current);
  const to = Date.parse(proposed);
  if (Number.isNaN(to)) return [{ field: 'deadline', rule: 'must be an ISO date-time with a zone' }];
  if (to <= from)
    return [
      {
        field: 'deadline',
        rule: `must be later than the current deadline (${new Date(from).toISOString()}): an extension gives more time, never less`,
      },
    ];
  const latest = new Date(now.getTime() + LIMITS.decisionExtensionDays * DAY);
  if (to > latest.getTime())
    return [
      {
        field: 'deadline',
        rule: `must be at most ${LIMITS.decisionExtensionDays} days from now (the latest is ${latest.toISOString()}); extend it again nearer the time if more is needed`,
      },
    ];
  return [];
}

const HOUR = 3_600_000;

/**
 * The most whole hours a deadline at `current` may be extended by at `now`: to at most
 * `LIMITS.decisionExtensionDays` days from now. 0 when it is already that far.
 */
export function mostExtensionHours(current: string, now: Date): number {
  const latest = now.getTime() + LIMITS.decisionExtensionDays * DAY;
  return Math.max(0, Math.floor((latest - Date.parse(current)) / HOUR));
}

/**
 * What is wrong with extending a deadline at `current` by `hours` at `now`, naming `hours`: the deadline
 * it gives must be at most `LIMITS.decisionExtensionDays` days from now. Empty when it may. (That it is a
 * whole number of hours, at least one, is the input's own rule.)
 */
export function extensionHoursIssues(current: string, hours: number, now: Date): FieldIssue[] {
  const most = mostExtensionHours(current, now);
  if (hours <= most) return [];
  const latest = new Date(now.getTime() + LIMITS.decisionExtensionDays * DAY).toISOString();
  return [
    {
      field: 'hours',
      rule:
        most < 1
          ? `cannot be given now: the deadline is already as far as it may be, ${LIMITS.decisionExtensionDays} days from now (${latest}); extend it again nearer the time if more is needed`
          : `must be at most ${most} now: the deadline may be at most ${LIMITS.decisionExtensionDays} days from now (the latest is ${latest}); extend it again nearer the time if more is needed`,
    },
  ];
}

/** The deadline `hours` after `current`, as stored (ISO in UTC). */
export function extendedBy(current: string, hours: number): string {
  return new Date(Date.parse(current) + hours * HOUR).toISOString();
}

/**
 * How far to extend a deadline so that members not informed in time (informed.ts) could be: a notice
 * counts when it is recorded at least `noticeHours` before the deadline, and extending it sends every
 * member whose voice counts a notice at once (the extension's own, recipients.ts), so the least
 * extension that lets them be told in time is the one after which a notice sent `now` is recorded
 * `noticeHours` before the new deadline: in whole hours, at least one (an extension gives more time).
 * `within`: whether that is allowed now (at most `LIMITS.decisionExtensionDays` days from now);
 * `most`: the most hours that are.
 */
export type ExtensionToInform = { hours: number; deadline: string; within: boolean; most: number };

export function extensionToInform(current: string, now: Date, noticeHours: number): ExtensionToInform {
  const needed = now.getTime() + noticeHours * HOUR - Date.parse(current);
  const hours = Math.max(1, Math.ceil(needed / HOUR));
  const most = mostExtensionHours(current, now);
  return { hours, deadline: extendedBy(current, hours), within: hours <= most, most };
}

const hoursWord = (n: number) => `${n} ${n === 1 ? 'hour' : 'hours'}`;

/**
 * The advice to one who may extend a decision, in plain words: extending by `e.hours` would let the
 * members named (`who`, each already written "Cy (@cy)") be told in time, or that no extension allowed
 * now would. Moments are ISO, for each edge to show in its reader's zone.
 */
export function extensionToInformAdvice(who: readonly string[], e: ExtensionToInform, noticeHours: number): string {
  const them = who.length === 1 ? who[0]! : `${who.slice(0, -1).join(', ')} and ${who.at(-1)!}`;
  if (!e.within)
    return `No extension allowed now would let ${them} be told in time: a notice counts only when it comes ${hoursWord(noticeHours)} before the deadline, and the deadline may be at most ${LIMITS.decisionExtensionDays} days from now (${e.most === 0 ? 'it is already that far' : `${hoursWord(e.most)} more at most`}); their silence will not count as consent.`;
  return `Extending the deadline by at least ${hoursWord(e.hours)} (to ${e.deadline} or later) would let ${them} be told in time: the extension's own notice, sent now, would come at least ${hoursWord(noticeHours)} before the new deadline, and their silence would then count as consent.`;
}
