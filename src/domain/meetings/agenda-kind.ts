// The guide separates process meetings (how the group operates) from content meetings (what it
// works on). An agenda item of the other kind gets a warning, with the guide's own examples, so a
// deep-dive does not eat a coordination call and a coordination topic does not derail a deep-dive.
export type MeetingKind = 'process' | 'content';

/** The guide's table "Process vs Content", verbatim. */
export const GUIDE_EXAMPLES: Record<MeetingKind, string[]> = {
  process: [
    'Scheduling technical deep-dive sessions with subject matter experts',
    'Establishing guidelines for reviewing working group artifacts',
    'Coordinating the roadmap for specification change proposals',
    'Agreeing timelines and expected outputs for the working group',
  ],
  content: [
    'Developing best practices for securing transport connections',
    'Creating reference configurations for cloud hosting environments',
    'Designing patterns for error handling across transport types',
    'Evaluating proposed protocol extensions with proof-of-concept',
  ],
};

// Words that mark each kind, drawn from the guide's examples and its descriptions ("how the group
// operates": coordination, planning, governance; "what the group is working on": technical substance).
const CUES: Record<MeetingKind, RegExp[]> = {
  process: [
    /\bschedul/i,
    /\bguidelines? for review/i,
    /\broadmap/i,
    /\btimelines?\b/i,
    /\bexpected outputs?\b/i,
    /\bcoordinat/i,
    /\bplanning\b/i,
    /\bgovernance\b/i,
    /\bfacilitators?\b/i,
    /\bcharter\b/i,
    /\bcadence\b/i,
    /\bmeeting (times?|slots?)\b/i,
    /\bagree(ing)? (working group |wg )?topics?\b/i,
    /\bquarterly update\b/i,
    /\bmembership\b/i,
    /\bretro(spective)?\b/i,
  ],
  content: [
    /\bdeep[- ]?dive\b/i,
    /\bbest practices?\b/i,
    /\breference (configuration|architecture|implementation)s?\b/i,
    /\bdesign(ing)? (patterns?|of)\b/i,
    /\berror handling\b/i,
    /\bproof[- ]of[- ]concept\b/i,
    /\bprotocol extensions?\b/i,
    /\bprototype\b/i,
    /\bdemo\b/i,
    /\bwalk-?through\b/i,
    /\bspec(ification)? (text|draft|change)\b/i,
    /\bsecuring\b/i,
    /\btransport\b/i,
    /\bsession (affinity|handling)\b/i,
    /\bschema\b/i,
    /\bimplementation\b/i,
  ],
};

const ARRANGING = /^\s*(schedul|coordinat|agree|establish|plan|organi[sz]|arrang|prioriti[sz])/i;

/** The kind an item's text reads as, or null when it gives no clear cue (or cues of both). */
export function readsAs(text: string): MeetingKind | null {
  const score = (k: MeetingKind) => CUES[k].filter((re) => re.test(text)).length;
  // An item that opens by arranging work ("Scheduling technical deep-dive sessions…") is about
  // how the group operates, even when it names the technical work it arranges.
  const p = score('process') + (ARRANGING.test(text) ? 2 : 0);
  const c = score('content');
  if (p === c) return null;
  return p > c ? 'process' : 'content';
}

export type KindWarning = {
  code: 'content-in-process-meeting' | 'process-in-content-meeting';
  message: string;
  examples: string[];
};

/** A warning when an item of one kind lands in a meeting of the other; null when they match. */
export function kindWarning(meetingKind: MeetingKind, itemKind: MeetingKind): KindWarning | null {
  if (meetingKind === itemKind) return null;
  if (meetingKind === 'process') {
    return {
      code: 'content-in-process-meeting',
      message:
        'this is a content item in a process meeting: the guide keeps process meetings for how the group operates, and says detailed technical discussions should happen in content meetings, the repository or Discord. Consider moving it to a content meeting.',
      examples: GUIDE_EXAMPLES.content,
    };
  }
  return {
    code: 'process-in-content-meeting',
    message:
      "this is a process item in a content meeting: the guide gives content meetings to what the group is working on, with dedicated time for subject matter experts; coordination belongs in the group's process meeting.",
    examples: GUIDE_EXAMPLES.process,
  };
}

/** An item's kind: what its author said, else what its text reads as, else the meeting's own kind. */
export function itemKind(declared: MeetingKind | undefined, text: string, meetingKind: MeetingKind): MeetingKind {
  return declared ?? readsAs(text) ?? meetingKind;
}
