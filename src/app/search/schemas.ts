// Inputs of search and prior work.
import { z } from 'zod';
import { Slug } from '../../domain/community.ts';
import { LIMITS } from '../../domain/limits.ts';
import { IsoDate, Line, Prose } from '../core/schemas.ts';
import { Layer } from '../proposals/schemas.ts';

export const SearchKind = z.enum([
  'proposal',
  'sep',
  'artifact',
  'charter',
  'meeting-notes',
  'comment',
  'github-discussion',
  'github-issue',
]);
export const SearchQuery = z
  .object({
    q: Line(500).min(1, 'must not be empty'),
    kind: SearchKind.optional(),
    group: Slug.optional(),
    status: Line(64).optional(),
    layer: Layer.optional(),
    since: IsoDate.optional(),
    until: IsoDate.optional(),
    limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .superRefine((q, ctx) => {
    if (q.since && q.until && q.since > q.until)
      ctx.addIssue({ code: 'custom', path: ['until'], message: `must not be before since (${q.since})` });
  });
export const PriorWorkInput = z
  .object({
    title: Line(LIMITS.line).min(3, 'must be at least 3 characters'),
    text: Prose(LIMITS.search.draftChars).default(''),
    group: Slug.optional(),
    topicArea: Slug.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
    /** Leave this item out of the answer (when checking an existing proposal). */
    exclude: Line(200).optional(),
  })
  .strict();
