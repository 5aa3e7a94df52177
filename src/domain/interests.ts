// "Interests, not positions; sharing, not marketing" (the guide). Sentences that demand one fixed
// solution, or that sell, are flagged with the guide's advice and a suggested reframing. Flags
// explain themselves (the words that triggered them) and never block. The judgement is a small
// linear model trained on sentences by independent writers and real corpus text
// (src/domain/hints/), with the hand-written cues of hints/rules.ts among its features; its
// thresholds are set for precision, since a false flag annoys people more than a missed one.
// Every edge (web, REST, MCP, CLI) judges text through this module; the shipped model is loaded on
// first use, so whoever judges text with it awaits `loadShippedModel()` first (hints/shipped.ts).
import { judge, type HintsModel } from './hints/model.ts';
import { shippedModel } from './hints/shipped.ts';
import { firstMatch, MARKETING, POSITION } from './hints/rules.ts';
import { tally } from './work.ts';

export type TextFlag = {
  kind: 'position' | 'marketing';
  sentence: string;
  start: number;
  end: number;
  /** what triggered the flag: a hand-written cue, or the words that weighed most */
  cue: string;
  /** those words, strongest first */
  words: string[];
  advice: string;
  suggestion: string;
};

/** One line's verdict, as `wghub hints --lines` prints it. */
export type LineVerdict = { kind: TextFlag['kind'] | null; cue: string | null; suggestion: string | null };

export const POSITION_ADVICE =
  'This reads as a position (a fixed solution) rather than an interest (the need behind it). The guide: "focus on interests rather than positions" and prefer "yes, and" to "no, but"; state what specific problem this solves so several solutions can meet it.';
export const MARKETING_ADVICE =
  'This reads as marketing. The guide: share expertise and experience ("Our team implemented pattern X and found these specific challenges…"), not promotion of commercial offerings.';

/**
 * Splits text into sentences with their offsets; code, bullets and line breaks are boundaries. A
 * sentence is `quoted` when it stands in a "> " quote: someone else's words, quoted in order to
 * discuss them, not the writer's own. In text of several lines a "> " line is a Markdown quote
 * throughout; a single line (a chat message) that opens with "> " quotes up to its first full stop,
 * as chat replies are written ("> We must ship mTLS. Why, though?").
 */
const STOPS = '.!?\n';
/** A run of text and how it ends: stops (.!?) before white space, a line break or the text's end. */
const RUN = /[^.!?\n]+(?:[.!?]+(?=\s|$)|(?=\n)|$)/y;

/**
 * The runs of text that may be sentences, in order. A run is tried only where one starts (the text's
 * start, or after a stop or a line break), never at each of its letters: tried at every letter of a
 * run that ends in, say, "3.5", the scan was quadratic (50,000 characters of it took seconds). What
 * is passed over to the next start is counted (src/domain/work.ts, test/domain/interests.test.ts).
 */
function* sentenceRuns(text: string): Generator<RegExpExecArray> {
  let at = 0;
  while (at < text.length) {
    RUN.lastIndex = at;
    const m = RUN.exec(text);
    let next = m ? RUN.lastIndex : at;
    if (m) {
      tally('sentences', m[0].length);
      yield m;
    }
    // the next start: here if a stop or line break is just behind, else past the next one
    if (next === at || !STOPS.includes(text[next - 1]!)) {
      let stop = next;
      while (stop < text.length && !STOPS.includes(text[stop]!)) stop++;
      tally('sentences', stop - next + 1);
      next = stop + 1;
    }
    at = next;
  }
}

export function splitSentences(text: string): { sentence: string; start: number; end: number; quoted: boolean }[] {
  const masked = text
    .replace(/```[\s\S]*?```|~~~[\s\S]*?~~~/g, (m) => ' '.repeat(m.length))
    .replace(/`[^`\n]*`/g, (m) => ' '.repeat(m.length));
  const multiline = /\n\s*\S/.test(text.trim());
  const out: { sentence: string; start: number; end: number; quoted: boolean }[] = [];
  // whether the line the scan is in opens with "> ", and whether a sentence of it was seen yet
  let lineQuoted = false;
  let firstOfLine = true;
  let scanned = -1; // where the previous sentence ended; a newline after it starts a line
  for (const m of sentenceRuns(masked)) {
    const raw = m[0];
    const at = m.index;
    // the line starts after the last newline between the previous sentence and this one (not
    // necessarily where this sentence starts: "...and we must" starts three characters in)
    const gap = scanned < 0 ? -1 : masked.slice(scanned, at).lastIndexOf('\n');
    if (scanned < 0 || gap !== -1) {
      const lineStart = scanned < 0 ? masked.lastIndexOf('\n', at) + 1 : scanned + gap + 1;
      lineQuoted = /^\s*>/.test(masked.slice(lineStart, at + raw.length));
      firstOfLine = true;
    }
    scanned = at + raw.length;
    const quoted = lineQuoted && (multiline || firstOfLine);
    firstOfLine = false;
    const lead = raw.length - raw.trimStart().length;
    let sentence = raw.trim().replace(/^(?:[-*+]|\d+[.)]|>)\s+/, '');
    if (sentence.length < 3) continue;
    const start = at + lead + (raw.trim().length - sentence.length);
    sentence = text.slice(start, start + sentence.length);
    out.push({ sentence, start, end: start + sentence.length, quoted });
  }
  return out;
}

const GENERIC: Record<TextFlag['kind'], (sentence: string) => string> = {
  position: (s) =>
    `What problem would this solve for you? Reframe "${s.trim().slice(0, 80)}" as the need behind it, e.g. "We need … that works with …", so others can suggest solutions.`,
  marketing: () =>
    'Share what you learned (what worked, what did not, the numbers) or a demonstration others can learn from, rather than promoting an offering.',
};

type Flag = Omit<TextFlag, 'start' | 'end'> & { p: number };

/**
 * The longest stretch of text judged as one (a sentence, or a line judged whole): the model learned
 * from sentences of at most a few hundred characters, and over a run far longer than that (one word
 * repeated thousands of times) its verdict says nothing about how the text reads.
 */
export const JUDGED_SPAN_LIMIT = 1_000;

/** A rule's matched words as a flag quotes them: no closing punctuation, at most 80 characters. */
const matched = (words: string) => {
  const w = words.trim().replace(/[.!?]+$/, '');
  return w.length > 80 ? `${w.slice(0, 79).trimEnd()}…` : w;
};

function flagOf(sentence: string, model: HintsModel): Flag | null {
  if (sentence.length > JUDGED_SPAN_LIMIT) return null;
  const j = judge(model, sentence);
  if (!j.kind) return null;
  const kind = j.kind;
  const rule = firstMatch(kind === 'marketing' ? MARKETING : POSITION, sentence);
  const quoted = j.words.map((w) => `"${w}"`).join(', ');
  return {
    kind,
    sentence,
    // the words that triggered it, and which of the guide's cues they are
    cue: rule ? `"${matched(rule.m[0])}" (${rule.rule.cue})` : quoted ? `the words ${quoted}` : kind,
    words: j.words,
    advice: kind === 'marketing' ? MARKETING_ADVICE : POSITION_ADVICE,
    suggestion: rule ? rule.rule.suggest(rule.m, sentence) : GENERIC[kind](sentence),
    p: j.p[kind === 'position' ? 0 : 1],
  };
}

export function classifySentence(sentence: string, model: HintsModel = shippedModel()): TextFlag['kind'] | null {
  return judge(model, sentence).kind;
}

/** The flags of a text, one per flagged sentence, each pointing at its sentence in the text. */
export function checkText(text: string, model: HintsModel = shippedModel()): TextFlag[] {
  // the characters judged, for tests of the bounds callers cut a text to (src/domain/work.ts)
  tally('judged', text.length);
  const flags: TextFlag[] = [];
  for (const s of splitSentences(text)) {
    if (s.quoted) continue;
    const f = flagOf(s.sentence, model);
    if (!f) continue;
    const { p: _p, ...flag } = f;
    flags.push({ ...flag, start: s.start, end: s.end });
  }
  return flags;
}

/**
 * One verdict for a line (a message, a remark): the line judged whole, as the model was trained
 * on whole messages, and when that does not flag it, its likeliest flagged sentence.
 */
export function judgeLine(line: string, model: HintsModel = shippedModel()): LineVerdict {
  const whole = flagOf(line.trim(), model);
  const sentences = splitSentences(line);
  const best =
    whole ??
    (sentences.length < 2 ? [] : sentences)
      .filter((s) => !s.quoted)
      .map((s) => flagOf(s.sentence, model))
      .filter((f): f is Flag => !!f)
      .sort((a, b) => b.p - a.p)[0];
  return best
    ? { kind: best.kind, cue: best.cue, suggestion: best.suggestion }
    : { kind: null, cue: null, suggestion: null };
}
