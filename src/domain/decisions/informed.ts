// Whether a member's silence counts as consent: lazy consensus takes silence for consent only when
// it was informed in time. A member counts as informed once a notice about the decision was recorded
// for them, since the voice they have now began, at least `noticeHours` (the governance file's
// `decisions.noticeHours`) before the deadline. One who gained their voice later (joined, was made a
// member or lead, came back from a lapse), or was told later or never, is listed as not informed in
// time and their silence is not counted. Muting the decision (or its topic area or group) is the
// member's own choice not to be told: their silence counts, though the proof lists them as not reached.

export type SilenceFacts = {
  /** When the voice the member has now began, if after the decision opened; null when it predates it. */
  voiceSince: string | null;
  /** When each notice about the decision was recorded for them. */
  toldAt: readonly string[];
  /** Whether they muted the decision, its topic area or its group. */
  muted: boolean;
};

export type SilenceVerdict =
  | { counts: true }
  | {
      counts: false;
      /** Why, in words: "gained a voice 5 hours before the deadline, less than the 24 hours …". */
      why: string;
      /** The first notice recorded since their voice began, if any. */
      toldAt: string | null;
    };

const HOUR = 3_600_000;

/** "5 hours", "1 hour", "under an hour", "2 days". */
export function hoursInWords(ms: number): string {
  const h = Math.floor(ms / HOUR);
  if (h < 1) return 'under an hour';
  if (h >= 48 && h % 24 === 0) return `${h / 24} days`;
  return `${h} ${h === 1 ? 'hour' : 'hours'}`;
}

/** Whether a silent member's silence counts as consent at `deadline`, and if not, why. */
export function silenceCounts(f: SilenceFacts, deadline: string, noticeHours: number): SilenceVerdict {
  const end = new Date(deadline).getTime();
  const cutoff = end - noticeHours * HOUR;
  const needed = `less than the ${noticeHours} ${noticeHours === 1 ? 'hour' : 'hours'} the community gives to answer`;
  const since = f.voiceSince ? new Date(f.voiceSince).getTime() : null;
  const first =
    f.toldAt
      .filter((t) => since === null || new Date(t).getTime() >= since)
      .sort()
      .at(0) ?? null;
  if (since !== null && since > cutoff)
    return {
      counts: false,
      why: `gained a voice ${hoursInWords(Math.max(0, end - since))} before the deadline, ${needed}`,
      toldAt: first,
    };
  if (f.muted) return { counts: true };
  if (first === null)
    return {
      counts: false,
      why: since === null ? 'never told of it' : 'not told of it since gaining a voice',
      toldAt: null,
    };
  if (new Date(first).getTime() > cutoff)
    return {
      counts: false,
      why: `told only ${hoursInWords(Math.max(0, end - new Date(first).getTime()))} before the deadline, ${needed}`,
      toldAt: first,
    };
  return { counts: true };
}
