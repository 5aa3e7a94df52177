// The event log is public on purpose: anyone, signed in or not, may read it and check its hash
// chain, so nobody has to trust the hub's word for what happened. The policy says so once, and
// the log's views carry it like every other view.
import { ALLOWED, type Can } from './verdict.ts';

export const EVENT_LOG_ACTIONS = ['read', 'verify'] as const;
export type EventLogAction = (typeof EVENT_LOG_ACTIONS)[number];

export function eventLogPolicy(): Can<EventLogAction> {
  return { read: ALLOWED, verify: ALLOWED };
}
