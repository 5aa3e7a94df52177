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

/** What a person's silence or answer does on one decision open in a group they just joined or were raised in. */
export type VoiceOnOpen =
  /** Under lazy consensus: told in time, so their silence counts as consent at the deadline. */
  | 'silence-counts'
  /** Under lazy consensus: their answer counts, their silence does not (told too late; `why`). */
  | 'silence-not-counted'
  /** In a vote: their vote counts; silence counts for nothing. */
  | 'vote-counts'
  /** Their level's answers are advisory: shown, not counted. */
  | 'advisory'
  /** They have answered it already (a member come back): their answer stands. */
  | 'answered';

/** How many decisions of each kind the words after joining name; the rest are counted. */
export const NAMED_ON_JOINING = 5;

export type OpenOnJoining = { ref: string; closesAt: string; voice: VoiceOnOpen };

/**
 * The flash after joining a group (or coming back to it) with decisions open there, in one sentence per
 * kind of voice: "2 decisions are open in this group: your silence counts as consent unless you respond
 * (D-3 by 9 Dec 14:00 and D-5 by 10 Dec 09:00).". `when` writes an instant in the reader's zone.
 * Null when none is open.
 */
export function openOnJoiningWords(items: readonly OpenOnJoining[], when: (iso: string) => string): string | null {
  if (!items.length) return null;
  const n = items.length;
  const head = `${n} ${n === 1 ? 'decision is' : 'decisions are'} open in this group`;
  // a flash is a cookie: the first few of each kind are named, the rest counted
  const list = (of: readonly OpenOnJoining[]) => {
    const each = of.slice(0, NAMED_ON_JOINING).map((d) => `${d.ref} by ${when(d.closesAt)}`);
    if (of.length > NAMED_ON_JOINING) each.push(`${of.length - NAMED_ON_JOINING} more`);
    return each.length > 1 ? `${each.slice(0, -1).join(', ')} and ${each.at(-1)}` : each[0]!;
  };
  const by = (v: VoiceOnOpen) => items.filter((d) => d.voice === v);
  const parts: string[] = [];
  const counts = by('silence-counts');
  if (counts.length) parts.push(`your silence counts as consent unless you respond (${list(counts)})`);
  const late = by('silence-not-counted');
  if (late.length)
    parts.push(`you were told too late for your silence to count, but your response counts (${list(late)})`);
  const vote = by('vote-counts');
  if (vote.length) parts.push(`your vote counts; not voting counts for nothing (${list(vote)})`);
  const advisory = by('advisory');
  if (advisory.length)
    parts.push(`at your level a response is advisory and silence is not counted (${list(advisory)})`);
  const answered = by('answered');
  if (answered.length) parts.push(`your earlier answer stands (${list(answered)})`);
  return `${head}: ${parts.join('; ')}.`;
}

/**
 * What a person's silence or answer does on one open decision, in words, for a list of them (the CLI's
 * "Open decisions you can now weigh in on"): "your silence counts as consent unless you respond".
 */
export function voiceOnOpenInWords(d: Pick<OpenOnJoining, 'voice'> & { why?: string | null }): string {
  switch (d.voice) {
    case 'silence-counts':
      return 'your silence counts as consent unless you respond';
    case 'silence-not-counted':
      return `your response counts, your silence does not${d.why ? ` (${d.why})` : ''}`;
    case 'vote-counts':
      return 'your vote counts; not voting counts for nothing';
    case 'advisory':
      return 'at your level a response is advisory and silence is not counted';
    case 'answered':
      return 'your earlier answer stands';
  }
}
