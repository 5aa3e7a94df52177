// What the receiver reads of a signed delivery's body before storing it: UTF-8 text, a JSON object no
// deeper than LIMITS.github.payloadDepth, holding no more objects, arrays and keys than LIMITS.github
// allows, with each key once, and the action and repository it names.
// Pure (no hub, no I/O), so a big delivery is read by the same code in a thread of its own
// (delivery-body-thread.ts) and a small one here.
import { LIMITS } from '../../domain/limits.ts';
import { NOT_UTF8, storableText, utf8Text } from '../../domain/text.ts';
import { boundBroken, repeatedKey } from '../../domain/json.ts';
import { tally } from '../../domain/work.ts';

/** The tallies (domain/work.ts) of the characters read here: a thread's reading adds to its own. */
export const DELIVERY_BODY_WORK = 'github.delivery-body';
export const STORED_PAYLOAD_WORK = 'github.stored-payload';

/**
 * What a delivery's payload may hold, counted before it is parsed (LIMITS.github): its nesting, its
 * objects and arrays, its keys, and the keys of one object. A body of millions of tiny objects
 * (`[{},{},…]`) took over a gigabyte once parsed, and ended the hub's process at a 512 MB heap.
 * GitHub's densest payloads hold one key per 31.4 bytes and one object or array per 70 (LIMITS.github).
 */
export function payloadRuleBroken(text: string): string | null {
  const g = LIMITS.github;
  switch (
    boundBroken(text, {
      depth: g.payloadDepth,
      containers: g.payloadContainers,
      keys: g.payloadKeys,
      keysPerObject: g.payloadKeysPerObject,
    })
  ) {
    case 'depth':
      return `the body nests deeper than ${g.payloadDepth} levels`;
    case 'containers':
      return `the body holds more than ${g.payloadContainers} objects and arrays (a 25 MiB delivery of GitHub's holds under 375,000)`;
    case 'keys':
      return `the body names more than ${g.payloadKeys} keys (a 25 MiB delivery of GitHub's names under 840,000)`;
    case 'keysPerObject':
      return `an object in the body names more than ${g.payloadKeysPerObject} keys (no object of GitHub's names a hundred)`;
    default:
      return null;
  }
}

/** A stored payload past the bounds of `payloadRuleBroken` (one stored before they were counted): it never will be applied. */
export class PayloadRefused extends Error {}

/** A stored delivery's payload as the worker applies it: what anyone wrote on GitHub, made storable (a NUL in a comment is not a reason to lose it). */
export function parseStoredPayload(text: string): unknown {
  tally(STORED_PAYLOAD_WORK, text.length);
  const broken = payloadRuleBroken(text);
  if (broken) throw new PayloadRefused(broken);
  // parsed without a reviver, its strings cleaned after in one walk: JSON.parse with a reviver keeps
  // far more per value while it parses (999,000 objects of two keys ended a 512 MB process that way)
  return storableStringsIn(JSON.parse(text));
}

/** Every string value in a parsed payload made storable, in place, walked without recursion (keys are left as they are). */
function storableStringsIn(root: unknown): unknown {
  if (typeof root === 'string') return storableText(root);
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string') value[i] = storableText(v);
        else if (v && typeof v === 'object') stack.push(v);
      }
      continue;
    }
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === 'string') {
        const clean = storableText(v);
        // defined, not assigned: a key "__proto__" is an own property of what JSON.parse made
        if (clean !== v)
          Object.defineProperty(o, k, { value: clean, writable: true, enumerable: true, configurable: true });
      } else if (v && typeof v === 'object') stack.push(v);
    }
  }
  return root;
}

export type DeliveryBody =
  | { ok: true; text: string; action: string | null; repo: string | null }
  /** `utf8`: refused before the headers are looked at; `json`: after them (the order refusals are told in). */
  | { ok: false; stage: 'utf8' | 'json'; reason: string };

export function readDeliveryBody(raw: Uint8Array | string): DeliveryBody {
  const text = typeof raw === 'string' ? raw : utf8Text(raw);
  if (text === null) return { ok: false, stage: 'utf8', reason: `the body ${NOT_UTF8}` };
  tally(DELIVERY_BODY_WORK, text.length);
  const broken = payloadRuleBroken(text);
  if (broken) return { ok: false, stage: 'json', reason: broken };
  let payload: { action?: unknown; repository?: { full_name?: unknown } };
  try {
    payload = JSON.parse(text);
    // an array is an object to typeof, and was stored and queued as a delivery (fuzz round 15)
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not an object');
  } catch {
    return { ok: false, stage: 'json', reason: 'the body is not a JSON object' };
  }
  // the hub would keep the last of a key given twice where another reader keeps the first
  const twice = repeatedKey(text);
  if (twice)
    return {
      ok: false,
      stage: 'json',
      reason: `the body gives the key ${JSON.stringify(String(twice.at(-1)).slice(0, 60))} twice in one object; each key is given once`,
    };
  // stored in columns of their own, so made storable as the payload's strings are when it is applied: a
  // U+0000 escaped in either (`"action":"op\u0000ened"`) was a 500 on PostgreSQL, the delivery lost
  // (attack round 32); cut first, so half an emoji at the cut is a U+FFFD too
  return {
    ok: true,
    text,
    action: typeof payload.action === 'string' ? storableText(payload.action.slice(0, 60)) : null,
    repo:
      typeof payload.repository?.full_name === 'string'
        ? storableText(payload.repository.full_name.slice(0, 140))
        : null,
  };
}
