// Inputs of search and prior work.
import { z } from 'zod';
import { Slug } from '../../domain/community.ts';
import { IsoDate } from '../core/schemas.ts';
import { Layer } from '../proposals/schemas.ts';

export const SearchKind = z.enum(['proposal', 'sep', 'artifact', 'charter', 'meeting-notes', 'comment']);
export const SearchQuery = z
  .object({
    q: z.string().trim().min(1, 'must not be empty').max(500),
    kind: SearchKind.optional(),
    group: Slug.optional(),
    status: z.string().optional(),
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
    title: z.string().trim().min(3, 'must be at least 3 characters'),
    text: z.string().default(''),
    group: Slug.optional(),
    topicArea: Slug.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
    /** Leave this item out of the answer (when checking an existing proposal). */
    exclude: z.string().optional(),
  })
  .strict();
