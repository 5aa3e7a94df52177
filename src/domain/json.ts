// JSON text read before it is parsed: V8's JSON.parse spends far longer on nesting than on length
// (a 1 MiB body of 524,000 nested arrays took 0.2-0.9 s of the event loop, a flat 1 MiB one 4 ms),
// so every edge that parses a body someone sent checks its nesting first, in one linear pass.

/** Whether JSON text nests arrays and objects deeper than `limit`, read in one pass (strings skipped). */
export function nestedDeeperThan(json: string, limit: number): boolean {
  return boundBroken(json, { depth: limit }) !== null;
}

/** Bounds on the shape of JSON text: nesting, and optionally objects and arrays, keys, and keys in one object. */
export type JsonBounds = { depth: number; containers?: number; keys?: number; keysPerObject?: number };

/**
 * The first of `bounds` that JSON text breaks, read in one pass before it is parsed (strings skipped,
 * nothing kept but a count per level), or null. JSON.parse spends memory on every object, array and key
 * (25 MiB of `{},` is 8.7 million objects, over a gigabyte once parsed), so a body is counted first.
 * Text that is no JSON is left to the parse.
 */
export function boundBroken(json: string, bounds: JsonBounds): keyof JsonBounds | null {
  const maxContainers = bounds.containers ?? Number.POSITIVE_INFINITY;
  const maxKeys = bounds.keys ?? Number.POSITIVE_INFINITY;
  const maxPerObject = bounds.keysPerObject ?? Number.POSITIVE_INFINITY;
  // per level: the keys its object has named so far, or -1 for an array
  const named: number[] = [];
  let depth = 0;
  let containers = 0;
  let keys = 0;
  let expectKey = false;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
      if (expectKey) {
        expectKey = false;
        if (++keys > maxKeys) return 'keys';
        if (++named[depth - 1]! > maxPerObject) return 'keysPerObject';
      }
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > bounds.depth) return 'depth';
      if (++containers > maxContainers) return 'containers';
      named[depth - 1] = ch === 0x7b ? 0 : -1;
      expectKey = ch === 0x7b;
    } else if (ch === 0x5d || ch === 0x7d) {
      if (depth > 0) depth--;
      expectKey = false;
    } else if (ch === 0x2c) expectKey = depth > 0 && named[depth - 1]! >= 0;
  }
  return null;
}

/** The rule a body nested too deep breaks, in the words every edge refuses it with. */
export const nestingRule = (limit: number) => `must nest arrays and objects at most ${limit} levels deep`;

type Frame = { keys: Set<string> | null; at: string | number; expectKey: boolean };

/**
 * The path of the first key of JSON text that `wanted` picks (it is told the key, as JSON reads it,
 * and the keys before it in its object), read in one pass; null when none is, or the text is no JSON.
 */
function firstKey(
  json: string,
  wanted: (key: string, before: ReadonlySet<string>) => boolean,
): (string | number)[] | null {
  const stack: Frame[] = [];
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (ch === 0x22) {
      const start = i;
      for (i++; i < json.length; i++) {
        const c = json.charCodeAt(i);
        if (c === 0x5c) i++;
        else if (c === 0x22) break;
      }
      if (top?.keys && top.expectKey) {
        top.expectKey = false;
        const raw = json.slice(start, i + 1);
        let key: string;
        try {
          key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        } catch {
          return null;
        }
        if (wanted(key, top.keys)) return [...stack.slice(0, -1).map((f) => f.at), key];
        top.keys.add(key);
        top.at = key;
      }
    } else if (ch === 0x7b) stack.push({ keys: new Set(), at: '', expectKey: true });
    else if (ch === 0x5b) stack.push({ keys: null, at: 0, expectKey: false });
    else if (ch === 0x7d || ch === 0x5d) stack.pop();
    else if (ch === 0x2c && top) {
      if (top.keys) top.expectKey = true;
      else top.at = (top.at as number) + 1;
    }
  }
  return null;
}

/**
 * Where JSON text names one key twice in one object (`{"title":"a","title":"b"}`), as the path of
 * the second (`['sections', 0, 'title']`), or null; read in one pass, keys compared as JSON reads
 * them (`"a"` and `"\u0061"` are one key). JSON.parse keeps the last silently and another reader
 * (a proxy, a log, a client library) may keep the first, so the hub would act on another request
 * than the one they saw (RFC 8259 §4: names SHOULD be unique). Text that is no JSON is left to the parse.
 */
export function repeatedKey(json: string): (string | number)[] | null {
  return firstKey(json, (key, before) => before.has(key));
}

/**
 * Where JSON text names the key `__proto__` (however escaped), or null. JSON.parse keeps it as a key,
 * but a reader that copies an object key by key sets the copy's prototype instead: the MCP SDK did so
 * with a tool's arguments, so `{"__proto__": …}` vanished without a word where REST named it as no
 * field (attack round 17). No field of the hub is called so.
 */
export function prototypeKey(json: string): (string | number)[] | null {
  return firstKey(json, (key) => key === '__proto__');
}

/** The rule a `__proto__` key breaks, in the words every edge refuses it with. */
export const prototypeKeyRule = 'is no field: a key "__proto__" is read as an object\'s prototype, and is never sent';

/** The rule a key named twice in one object breaks, in the words every edge refuses it with. */
export const repeatedKeyRule = 'is given twice in one object; each key is given once';

/** The charsets a Content-Type header names, lower case and unquoted, in order (JSON is UTF-8: RFC 8259). */
export function charsetsNamed(contentType: string | undefined): string[] {
  return (contentType ?? '')
    .split(';')
    .slice(1)
    .map((p) => p.split('='))
    .filter(([k]) => k?.trim().toLowerCase() === 'charset')
    .map(([, v]) =>
      (v ?? '')
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase(),
    );
}
