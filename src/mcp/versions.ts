// The version of a record as a client read it, which a tool's write sends back: the same bounds on
// every tool, and each tool says in `description` what it spares (a change made since is refused,
// not overwritten) and whether it is needed.
import { z } from 'zod';
import { LIMITS } from '../domain/limits.ts';

export const versionRead = (description: string) => z.int().min(1).max(LIMITS.maxNumber).describe(description);
