// Inputs of search and prior work.
import { z } from 'zod';
import { SlugRef } from '../../domain/community.ts';
import { LIMITS } from '../../domain/limits.ts';
import { IsoDate, Line, Prose, WholeNumber } from '../core/schemas.ts';
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
    q: Line(500)
      .min(1, 'must not be empty')
      .describe('the words to search for; misspelt words are corrected when nothing matches'),
    kind: SearchKind.optional().describe('only items of this kind'),
    group: SlugRef.optional().describe('only items of this group (its slug, e.g. hosting)'),
    status: Line(64)
      .optional()
      .describe('only items in this status or stage, e.g. community-discussion, or a SEP status such as draft'),
    layer: Layer.optional().describe('only proposals for this layer'),
    since: IsoDate.optional().describe('only items dated on or after this day, YYYY-MM-DD'),
    until: IsoDate.optional().describe('only items dated on or before this day, YYYY-MM-DD'),
    limit: WholeNumber((n) => n.min(1, 'must be at least 1').max(100, 'must be at most 100'))
      .default(20)
      .describe('how many items to return'),
    cursor: z
      .string()
      .max(LIMITS.param, `must be at most ${LIMITS.param} characters`)
      .optional()
      .describe(
        "the previous page's nextCursor, with the same words and filters, for the next page; omitted: the first page",
      ),
    // searches paged by offset until they paged as every other list does: one sending it is told what
    // to send instead, rather than given the first page again (a client following pages would loop)
    offset: z
      .never({
        error: `is no longer taken: search pages by cursor, as the other lists do; pass the previous page's nextCursor as cursor`,
      })
      .optional()
      .describe('no longer taken: pass the previous page’s nextCursor as cursor')
      .meta({ deprecated: true }),
  })
  .superRefine((q, ctx) => {
    if (q.since && q.until && q.since > q.until)
      ctx.addIssue({ code: 'custom', path: ['until'], message: `must not be before since (${q.since})` });
  });
export const PriorWorkInput = z
  .object({
    title: Line(LIMITS.line).min(3, 'must be at least 3 characters').describe('the title of the idea or draft'),
    text: Prose(LIMITS.search.draftChars)
      .default('')
      .describe('the draft so far (problem, examples), markdown; more text finds more'),
    group: SlugRef.optional().describe('the group it would belong to; its items rank higher'),
    topicArea: SlugRef.optional().describe('the topic area within that group'),
    limit: WholeNumber((n) => n.min(1, 'must be at least 1').max(50, 'must be at most 50'))
      .default(10)
      .describe(
        'how many matches to return (a draft that is an existing item gets that item first, and this many more)',
      ),
    /** Leave this item out of the answer (when checking an existing proposal). */
    exclude: Line(200).optional().describe('a reference to leave out, e.g. the proposal being checked (P-12)'),
  })
  .strict();
