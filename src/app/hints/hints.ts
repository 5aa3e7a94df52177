// The guide's hints ("interests, not positions; sharing, not marketing") on any text, for the
// edges that judge text on its own (`wghub hints`). Proposals, comments and decision responses
// carry the same flags, from the same judgement (domain/interests.ts).
import { checkText, judgeLine, type LineVerdict, type TextFlag } from '../../domain/interests.ts';
import { parseInput } from '../core/validate.ts';
import { HintLinesInput, HintsInput } from './schemas.ts';

/** The flags of a text, one per flagged sentence, in order. */
export function checkHints(raw: unknown): { flags: TextFlag[] } {
  return { flags: checkText(parseInput(HintsInput, raw).text) };
}

/** One verdict per line, in input order: the kind (or null), what triggered it and the reframing. */
export function judgeLines(raw: unknown): LineVerdict[] {
  return parseInput(HintLinesInput, raw).lines.map((line) => judgeLine(line));
}
