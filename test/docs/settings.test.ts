// docs/configuration.md names every environment variable the hub reads, and reads none it does not:
// an operator who sets what the page says gets that behaviour, and a setting added to the code
// without a line on the page fails here (the defaults are checked beside each setting's own tests,
// e.g. test/cli/serve-settings.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SETTING = /\bWGHUB_[A-Z0-9]+(?:_[A-Z0-9]+)*\b(?!_)/g;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs|js)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Settings a file's code names (comments left out: one says WGHUB_LOG_FORMAT is not offered). */
function settingsIn(files: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(SETTING)) found.add(m[0]);
  }
  return found;
}

const page = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
const documented = new Set(page.match(SETTING));

describe('docs/configuration.md and the settings the code reads', () => {
  it('documents every setting the hub reads (src/, bin/)', () => {
    const read = settingsIn([...sources('src'), ...sources('bin')]);
    expect(read.size).toBeGreaterThan(40);
    expect([...read].filter((s) => !documented.has(s)).sort()).toEqual([]);
  });

  it('documents every setting the tests and benches read, but for a fixture’s own', () => {
    const read = settingsIn([...sources('test'), ...sources('bench'), ...sources('scripts')]);
    read.delete('WGHUB_FIXTURE_REGISTRY'); // what a test's MCP server checks it was handed, not a setting
    expect([...read].filter((s) => !documented.has(s)).sort()).toEqual([]);
  });

  it('names no setting that nothing reads', () => {
    const read = settingsIn([...sources('src'), ...sources('bin'), ...sources('test'), ...sources('bench')]);
    expect([...documented].filter((s) => !read.has(s)).sort()).toEqual([]);
  });
});
