// Inputs of the interests/marketing hints on any text.
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.ts';
import { Prose } from '../core/schemas.ts';

export const HintsInput = z.object({ text: Prose(LIMITS.document) }).strict();

export const HintLinesInput = z
  .object({
    lines: z.array(Prose(LIMITS.document)).max(LIMITS.hints.lines, `must have at most ${LIMITS.hints.lines} lines`),
  })
  .strict();
