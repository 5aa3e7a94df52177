// Inputs of the home use cases: REST validates with them, OpenAPI and MCP publish them, the CLI maps flags onto them.
import { z } from 'zod';
import { inStoredYears } from '../core/schemas.ts';

export const NeedsQuery = z.object({
  since: z.iso
    .datetime({
      offset: true,
      abort: true,
      error: 'must be an ISO date-time with a zone, e.g. 2026-12-03T16:00:00Z',
    })
    .refine(...inStoredYears)
    .optional()
    .describe(
      'mark the proposals you follow that changed stage after this moment (your last look); omitted: none is marked',
    ),
});
