// Every REST call the docs name (`GET /api/…`, `PATCH /api/people/{handle}`, `PUT|DELETE …`) is a route
// the hub serves with that method: a reader who sends what a page says never meets a 404 or 405 for
// a route that was renamed or never was.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../src/http/server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const routes = allRoutes.map((r) => ({ method: r.method.toUpperCase(), segments: r.path.split('/') }));
// served beside the route table (server.ts): the document itself
const beside = ['GET /api/openapi.json'];

/** A documented path matches a route's when each segment is the same or the route's is a parameter. */
function served(method: string, documented: string): boolean {
  if (beside.includes(`${method} ${documented}`)) return true;
  const parts = documented.split('/');
  return routes.some(
    (r) =>
      r.method === method &&
      r.segments.length === parts.length &&
      r.segments.every((s, i) => s === parts[i] || (s.startsWith('{') && parts[i] !== '')),
  );
}

const pages = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('the REST calls the docs name', () => {
  it('are routes the hub serves, with that method', () => {
    const unserved: string[] = [];
    let named = 0;
    for (const page of pages) {
      const text = readFileSync(path.join(ROOT, page), 'utf8');
      for (const m of text.matchAll(
        /`((?:GET|POST|PUT|PATCH|DELETE)(?:(?:\||\s*\/\s*)(?:GET|POST|PUT|PATCH|DELETE))*) (\/api\/[^`\s]*)`/g,
      )) {
        // a path as written: `{ref}`, `REF` or a value; a query, `[.md]` or trailing punctuation is not part of it
        const documented = m[2]!.replace(/[?[].*$/, '').replace(/[.,;:)]+$/, '');
        if (documented.includes('…')) continue; // `/api/meetings/{ref}/…`: a family, not one route
        for (const method of m[1]!.split(/\||\//).map((s) => s.trim())) {
          named++;
          if (!served(method, documented)) unserved.push(`${page}: ${method} ${documented}`);
        }
      }
    }
    expect(named).toBeGreaterThan(100);
    expect(unserved).toEqual([]);
  });
});
