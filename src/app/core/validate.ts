import { z } from 'zod';
import { type FieldIssue, InvalidInput } from '../../domain/errors.ts';
import { fieldOf, keysNamed, ruleOf, UNKNOWN_KEYS_NAMED } from '../../domain/rule-wording.ts';
import { firstCharacters, printable } from '../../domain/text.ts';

/** Keys that are no field, the first few named (`keysNamed`) and the rest counted. */
function unknownKeys(path: PropertyKey[], keys: string[]): FieldIssue {
  const { named, rest } = keysNamed(keys);
  return {
    field: named.map((k) => fieldOf([...path, k])).join(', '),
    rule: rest ? `is not a field here; ${rest}` : 'is not a field here',
  };
}

/** A failed parse as field issues: each field named with its rule. */
function issuesOf(error: z.ZodError): FieldIssue[] {
  const issues = tightestBounds(error.issues).map((i) =>
    i.code === 'unrecognized_keys' ? unknownKeys(i.path, i.keys) : { field: fieldOf(i.path), rule: ruleOf(i) },
  );
  // two checks saying the same of one field (a time zone's length and its name, both 'must be an
  // IANA time zone…') are one mistake, read once (fuzz round 6)
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.field}\n${i.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One bound a field breaks, the tightest: a whole number past both the schema's maximum and
 * z.int()'s own (2^53) read "version: must be at most 2147483647; version: must be at most 9007…".
 */
function tightestBounds(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const bound = (i: z.core.$ZodIssue) =>
    i.code === 'too_big' ? Number(i.maximum) : i.code === 'too_small' ? -Number(i.minimum) : Number.NaN;
  const kept = new Map<string, z.core.$ZodIssue>();
  const out: z.core.$ZodIssue[] = [];
  for (const i of issues) {
    if (i.code !== 'too_big' && i.code !== 'too_small') {
      out.push(i);
      continue;
    }
    const key = `${i.code} ${JSON.stringify(i.path)}`;
    const before = kept.get(key);
    if (!before) {
      kept.set(key, i);
      out.push(i);
    } else if (bound(i) < bound(before)) {
      kept.set(key, i);
      out[out.indexOf(before)] = i;
    }
  }
  return out;
}

/** Validates a use case's input; every failing field is named with its rule. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new InvalidInput(issuesOf(r.error));
}

/**
 * A use case's input checked the way a person filling a form needs it: every field's own rule and
 * every rule that needs the store (an unknown group, a start already past, a note-taker who is not a
 * member) are collected, and all are reported at once, so a form is never sent back once per
 * mistake. `fields` holds each field that passed its own rule, for the checks that read it; `done()`
 * throws everything found, or gives the whole input. Thrown inside the use case's transaction,
 * nothing is written.
 */
export class InputCheck<S extends z.ZodObject> {
  readonly issues: FieldIssue[];
  readonly fields: Partial<z.output<S>>;
  private readonly whole: z.output<S> | null;

  /** `found` are issues the edge met turning its own fields into this input (a form's "repeats" choice). */
  constructor(schema: S, raw: unknown, found: readonly FieldIssue[] = []) {
    const r = schema.safeParse(raw);
    this.issues = [...found, ...(r.success ? [] : issuesOf(r.error))];
    this.whole = r.success ? r.data : null;
    if (r.success) {
      this.fields = r.data;
      return;
    }
    const given = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const fields: Record<string, unknown> = {};
    for (const [name, rule] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const one = rule.safeParse(given[name]);
      if (one.success) fields[name] = one.data;
    }
    this.fields = fields as Partial<z.output<S>>;
  }

  /** Whether every named field passed its own rule (and every check on it so far), so a check that reads it can run. */
  ok(...names: (keyof z.output<S> & string)[]): boolean {
    return names.every(
      (n) => !this.issues.some((i) => i.field === n || i.field.startsWith(`${n}.`) || i.field.startsWith(`${n}[`)),
    );
  }

  /** Records a rule broken. */
  add(field: string, rule: string): void {
    this.issues.push({ field, rule });
  }

  /** Runs a check that throws its refusal as InvalidInput (a lookup by name, say): recorded, not thrown. */
  async attempt<T>(check: () => Promise<T> | T): Promise<T | undefined> {
    try {
      return await check();
    } catch (e) {
      if (!(e instanceof InvalidInput)) throw e;
      this.issues.push(...e.issues);
      return undefined;
    }
  }

  /** Every issue found so far, to throw where the checks cannot go on (nothing to check the rest against). */
  failure(): InvalidInput {
    return new InvalidInput(this.issues.length ? this.issues : [{ field: '(body)', rule: 'is not valid input' }]);
  }

  /** Throws every issue found so far at once; otherwise the whole, valid input. */
  done(): z.output<S> {
    if (this.issues.length || !this.whole) throw this.failure();
    return this.whole;
  }
}

/**
 * A cross-field rule (`refine` on an object) that runs whenever the fields it reads are valid, even
 * when another field is not: zod otherwise skips it until every field passes, and a form would learn
 * of it only on its next round.
 */
export function whenValid<S extends z.ZodObject>(schema: S, names: (keyof S['shape'] & string)[]) {
  // the fields alone, other keys ignored (a strict schema's pick would refuse the rest of the input)
  const part = z.object(Object.fromEntries(names.map((n) => [n, schema.shape[n] as z.ZodType])));
  return { when: (payload: { value: unknown }) => part.safeParse(payload.value).success };
}

type JsonSchemaNode = {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
};
const jsonSchemas = new WeakMap<z.ZodType, JsonSchemaNode>();

const typesOf = (node: JsonSchemaNode): string[] =>
  node.anyOf || node.oneOf
    ? (node.anyOf ?? node.oneOf ?? []).flatMap(typesOf)
    : Array.isArray(node.type)
      ? node.type
      : node.type
        ? [node.type]
        : ['any'];

/**
 * Numbers sent as text in JSON input (an MCP tool's arguments, a REST body), each named with its rule.
 * A whole number's schema (`WholeNumber`) reads digits as text, since a query string and a form send
 * nothing else; JSON has numbers, and the schema a client reads (tools/list, OpenAPI) says `integer`,
 * so `"limit": "5"` there is the client's mistake, refused where the schema says a number and no text.
 * The first ten are named (a list of a million numbers as text is not answered a million times).
 */
export function numbersSentAsText(schema: z.ZodType, value: unknown): FieldIssue[] {
  let root = jsonSchemas.get(schema);
  if (!root) {
    root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
    jsonSchemas.set(schema, root);
  }
  const found: FieldIssue[] = [];
  const walk = (node: JsonSchemaNode, v: unknown, path: PropertyKey[]) => {
    if (typeof v === 'string') {
      const types = typesOf(node);
      if (types.some((t) => t === 'integer' || t === 'number') && !types.some((t) => t === 'string' || t === 'any'))
        found.push({
          field: fieldOf(path),
          rule: `must be a JSON number, without quotes ("${printable(firstCharacters(v, 24))}" is text)`,
        });
    } else if (Array.isArray(v)) {
      const items = node.items;
      if (items)
        for (let i = 0; i < v.length && found.length < UNKNOWN_KEYS_NAMED; i++) walk(items, v[i], [...path, i]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (found.length >= UNKNOWN_KEYS_NAMED) return;
        const child = node.properties && Object.hasOwn(node.properties, k) ? node.properties[k] : undefined;
        if (child) walk(child, inner, [...path, k]);
      }
    }
  };
  walk(root, value, []);
  return found;
}
