// Which events give a person a voice in a group's decisions they lacked before: made a member or
// lead, joined at such a level, or back from emeritus or a lapse (by joining again or by taking part).
// Read when the event is recorded (standing-events.ts tells them of the open decisions) and from the
// log when a decision's proof asks since when a member's voice counts (proof.ts).
import type { EventFacts } from '../../store/schema.ts';

/** The events after which a person may have gained a voice in a group. */
export const STANDING_EVENTS = new Set(['group.member-level-set', 'group.member-joined', 'group.member-returned']);

export type StandingEvent = {
  kind: string;
  /** The handle of whoever acted, if a person. */
  actor: string | null;
  before: EventFacts | null;
  after: EventFacts | null;
};

/** Whom the event gave a voice they lacked before (by handle), or null. */
export function voiceGainedBy(eligibleLevels: readonly string[], e: StandingEvent): string | null {
  const after = e.after ?? {};
  const before = e.before ?? {};
  const counts = (level: unknown) => typeof level === 'string' && eligibleLevels.includes(level);
  if (e.kind === 'group.member-returned') {
    // coming back by taking part names the person; joining again is done by them
    const who = typeof after.handle === 'string' ? after.handle : e.actor;
    return before.emeritus === true && counts(after.level) ? who : null;
  }
  if (!STANDING_EVENTS.has(e.kind) || !counts(after.level) || typeof after.handle !== 'string') return null;
  if (e.kind === 'group.member-level-set' && e.before && counts(before.level)) return null;
  return after.handle;
}
