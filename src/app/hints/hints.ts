// The guide's hints ("interests, not positions; sharing, not marketing") on any text, for the
// edges that judge text on its own (`wghub hints`). Proposals, comments and decision responses
// carry the same flags, from the same judgement (domain/interests.ts).
import { checkText, judgeLine, type LineVerdict, type TextFlag } from '../../domain/interests.ts';
import { parseInput } from '../core/validate.ts';
import { HintLinesInput, HintsInput } from './schemas.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

/** The flags of a text, one per flagged sentence, in order. */
export async function checkHints(raw: unknown): Promise<{ flags: TextFlag[] }> {
  const { text } = parseInput(HintsInput, raw);
  await loadShippedModel();
  return { flags: checkText(text) };
}

/** One verdict per line, in input order: the kind (or null), what triggered it and the reframing. */
export async function judgeLines(raw: unknown): Promise<LineVerdict[]> {
  const { lines } = parseInput(HintLinesInput, raw);
  await loadShippedModel();
  return lines.map((line) => judgeLine(line));
}
