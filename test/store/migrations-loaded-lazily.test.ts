// A start of an up-to-date database loads no migration module (src/store/migrate.ts loads each
// when it first runs): the 56 modules were about a twentieth of `serve`'s cold start. A new
// database still runs every one of them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrate.ts';

const src = path.resolve(import.meta.dirname, '../../src');
// a process of its own, so the modules counted are the ones this start loaded
const START = `
import module from 'node:module';
const loaded = new Set();
module.registerHooks({
  resolve(spec, ctx, next) {
    const r = next(spec, ctx);
    if (r.url.includes('/store/migrations/')) loaded.add(r.url);
    return r;
  },
});
const { openStore } = await import(${JSON.stringify(path.join(src, 'store/connect.ts'))});
const { migrateToLatest } = await import(${JSON.stringify(path.join(src, 'store/migrate.ts'))});
const store = openStore(process.argv[1]);
const { applied } = await migrateToLatest(store.db, store.schema);
const tables = await store.db.introspection.getTables();
await store.close();
console.log(JSON.stringify({ applied: applied.length, loaded: loaded.size, tables: tables.length }));
`;

describe('migration modules', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-lazy-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const start = (url: string) =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', START, url], { encoding: 'utf8' }));

  it('are all loaded and run for a new database, and none is loaded when it is up to date', () => {
    const url = `sqlite:${path.join(dir, 'hub.sqlite')}`;
    const count = Object.keys(MIGRATIONS).length;
    const first = start(url);
    expect(first).toMatchObject({ applied: count, loaded: count });
    expect(first.tables).toBeGreaterThan(20);
    expect(start(url)).toEqual({ applied: 0, loaded: 0, tables: first.tables });
  });
});

describe('the migrations list', () => {
  it('names every migration file in src/store/migrations, each by its file name', () => {
    // a file left out of MIGRATIONS never runs: 409's index was written and never built
    const files = readdirSync(path.join(src, 'store/migrations'))
      .filter((f) => /^\d{3}-.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(MIGRATIONS).sort()).toEqual(files);
  });
});
