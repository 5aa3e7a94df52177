import { z } from 'zod';
import { Line } from '../core/schemas.ts';

/** "Sync now": one repository by its owner/name, or every repository the governance file names. */
export const SyncNowInput = z
  .object({
    repo: Line(141)
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/,
        'must be owner/name, e.g. modelcontextprotocol/modelcontextprotocol',
      )
      .optional(),
  })
  .strict();
