// GitHub's own description of its REST answers (@octokit/openapi), used by the stand-in to build
// and check every answer it gives, so the stand-in cannot drift from the real shapes. The full
// description is 70 MB; the few operations the bridge uses are cut out once per package version
// and kept in node_modules/.cache.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type Schema = {
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  additionalProperties?: boolean | Schema;
  title?: string;
};

/** Operations the stand-in answers: "METHOD path" → the success status. */
export const OPERATIONS = {
  'get /repos/{owner}/{repo}/pulls': '200',
  'get /repos/{owner}/{repo}/pulls/{pull_number}': '200',
  'get /repos/{owner}/{repo}/pulls/{pull_number}/files': '200',
  'get /repos/{owner}/{repo}/contents/{path}': '200',
  'get /repos/{owner}/{repo}/issues/{issue_number}/comments': '200',
  'get /repos/{owner}/{repo}/pulls/{pull_number}/reviews': '200',
  'get /repos/{owner}/{repo}/pulls/{pull_number}/comments': '200',
  'get /repos/{owner}/{repo}/pulls/{pull_number}/commits': '200',
  'get /orgs/{org}/teams/{team_slug}/members': '200',
  'post /repos/{owner}/{repo}/issues/{issue_number}/comments': '201',
  'patch /repos/{owner}/{repo}/issues/comments/{comment_id}': '200',
  'put /repos/{owner}/{repo}/issues/{issue_number}/labels': '200',
  'get /repos/{owner}/{repo}/issues/{issue_number}': '200',
  'get /repos/{owner}/{repo}/issues': '200',
  'post /repos/{owner}/{repo}/issues/{issue_number}/labels': '200',
  'delete /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}': '200',
  'get /repos/{owner}/{repo}/installation': '200',
  'get /repos/{owner}/{repo}': '200',
  'post /app/installations/{installation_id}/access_tokens': '201',
  'get /user': '200',
} as const;
export type Operation = keyof typeof OPERATIONS;

const require = createRequire(import.meta.url);

let cached: Record<string, Schema> | null = null;

export function responseSchemas(): Record<Operation, Schema> {
  if (cached) return cached as Record<Operation, Schema>;
  const pkgDir = path.dirname(require.resolve('@octokit/openapi/package.json'));
  const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version as string;
  const cacheDir = path.resolve(import.meta.dirname, '../../node_modules/.cache');
  // named by the operations themselves, so two checkouts that each added a different one never share a cut
  const ops = createHash('sha256').update(Object.keys(OPERATIONS).join('\n')).digest('hex').slice(0, 12);
  const file = path.join(cacheDir, `wghub-github-openapi-${version}-${ops}.json`);
  if (existsSync(file)) cached = JSON.parse(readFileSync(file, 'utf8'));
  else {
    const doc = JSON.parse(readFileSync(path.join(pkgDir, 'generated/api.github.com.deref.json'), 'utf8'));
    const out: Record<string, Schema> = {};
    for (const [op, status] of Object.entries(OPERATIONS)) {
      const [method, p] = op.split(' ') as [string, string];
      const content = doc.paths[p][method].responses[status].content;
      out[op] = content['application/json'].schema;
    }
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, JSON.stringify(out));
    cached = out;
  }
  return cached as Record<Operation, Schema>;
}

function types(s: Schema): string[] {
  const t = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  return s.nullable ? [...t, 'null'] : t;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Where VALUE departs from SCHEMA: missing required fields, wrong types, values outside an enum. */
export function violations(schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.allOf) return schema.allOf.flatMap((s) => violations(s, value, at));
  const alts = schema.oneOf ?? schema.anyOf;
  if (alts) {
    const each = alts.map((s) => violations(s, value, at));
    return each.some((v) => v.length === 0) ? [] : [`${at}: matches none of its alternatives (${each[0]?.[0]})`];
  }
  const allowed = types(schema);
  const actual = typeOf(value);
  if (allowed.length && !allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number')))
    return [`${at}: is ${actual}, must be ${allowed.join(' or ')}`];
  if (value === null) return [];
  if (schema.enum && !schema.enum.includes(value))
    return [`${at}: '${String(value)}' is not one of ${schema.enum.join(', ')}`];
  if (actual === 'array' && schema.items)
    return (value as unknown[]).flatMap((v, i) => violations(schema.items!, v, `${at}[${i}]`));
  if (actual === 'object' && schema.properties) {
    const obj = value as Record<string, unknown>;
    const out = (schema.required ?? []).filter((k) => !(k in obj)).map((k) => `${at}.${k}: is required`);
    for (const [k, v] of Object.entries(obj)) {
      const p = schema.properties[k];
      if (p) out.push(...violations(p, v, `${at}.${k}`));
    }
    return out;
  }
  return [];
}

/** An answer shaped by SCHEMA: GIVEN's fields, and every other required field with a plain value. */
export function shaped(schema: Schema, given: unknown): unknown {
  if (schema.allOf) return schema.allOf.reduce<unknown>((acc, s) => shaped(s, acc), given);
  const alts = schema.oneOf ?? schema.anyOf;
  if (alts) {
    const fit = alts.find((s) => types(s).includes(typeOf(given))) ?? alts[0]!;
    return shaped(fit, given);
  }
  const t = types(schema);
  if (given !== undefined) {
    if (Array.isArray(given) && schema.items) return given.map((g) => shaped(schema.items!, g));
    if (given && typeof given === 'object' && schema.properties) {
      const out: Record<string, unknown> = { ...(given as Record<string, unknown>) };
      for (const k of schema.required ?? []) if (!(k in out)) out[k] = shaped(schema.properties[k] ?? {}, undefined);
      for (const [k, v] of Object.entries(out))
        if (schema.properties[k] && v && typeof v === 'object') out[k] = shaped(schema.properties[k]!, v);
      return out;
    }
    return given;
  }
  if (t.includes('null')) return null;
  if (schema.enum) return schema.enum[0];
  if (t.includes('object')) return shaped(schema, {});
  if (t.includes('array')) return [];
  if (t.includes('integer') || t.includes('number')) return 0;
  if (t.includes('boolean')) return false;
  return '';
}
