import type { z } from 'zod';
import { InvalidInput } from '../../domain/errors.ts';
import { fieldOf, ruleOf } from '../../domain/rule-wording.ts';

/** Validates a use case's input; every failing field is named with its rule. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new InvalidInput(
    r.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? { field: i.keys.map((k) => fieldOf([...i.path, k])).join(', '), rule: 'is not a field here' }
        : { field: fieldOf(i.path), rule: ruleOf(i) },
    ),
  );
}
