// A signed delivery just under the bounds on its objects and keys (LIMITS.github) passed the
// receiver and was stored, but the worker's parse of it (with a reviver) ran out of a 512 MB heap,
// and a thread out of memory ends the whole process, at every retry: 999,000 objects of two keys
// each, every key its own name (25.9 MB, 1,998,000 keys). The bounds now hold a real 25 MiB
// delivery with margin (GitHub's densest recorded payload names one key per 31.4 bytes, one object
// or array per 70) and the stored payload is parsed without a reviver. Here each shape just under a
// bound is read and parsed in a process with a 512 MB heap, as a hub in a container has.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/domain/limits.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-heap-'));
const child = path.resolve(import.meta.dirname, '../../support/delivery-heap-child.ts');

/** The body read and parsed in a process with a 512 MB heap: what it printed, or how it ended. */
function inBoundedProcess(body: string): { out: string; status: number | null; err: string } {
  const file = path.join(dir, 'body.json');
  writeFileSync(file, body);
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', child, file], { encoding: 'utf8' });
  return { out: r.stdout, status: r.status, err: r.stderr.slice(-500) };
}

/** A delivery whose padding holds objects of the given sizes, every key of them its own name. */
function padded(sizes: number[]): string {
  let n = 0;
  const objects = sizes.map((size) => `{${Array.from({ length: size }, () => `"k${n++}":0`).join(',')}}`);
  return `{"action":"opened","padding":[${objects.join(',')}]}`;
}

describe('a delivery just under the bounds on its objects and keys, in a 512 MB heap', { timeout: 120_000 }, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('as many objects of two keys as allowed is read and parsed, and the process lives', () => {
    // the body and its array are two more objects and arrays, "action" and "padding" two more keys
    const count = LIMITS.github.payloadContainers - 2;
    expect(2 + 2 * count).toBeLessThanOrEqual(LIMITS.github.payloadKeys);
    const r = inBoundedProcess(padded(Array.from({ length: count }, () => 2)));
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ read: 'ok', parsed: count });
  });

  it('as many keys as allowed, in objects as large as allowed, is read and parsed, and the process lives', () => {
    const per = LIMITS.github.payloadKeysPerObject;
    // full objects, and one more holding the rest: the body names exactly LIMITS.github.payloadKeys keys
    const sizes: number[] = Array.from({ length: Math.floor((LIMITS.github.payloadKeys - 2) / per) }, () => per);
    sizes.push(LIMITS.github.payloadKeys - 2 - sizes.length * per);
    const r = inBoundedProcess(padded(sizes));
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ read: 'ok', parsed: sizes.length });
  });
});
