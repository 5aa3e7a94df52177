// `wghub mcp` and every command that opens the hub reuse the rules they validated before
// (src/app/core/governance-cache.ts): the rules must be the file's, an edit to the file or to any
// module of the validation must be validated again, and a folder others may write is never trusted.
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGovernanceCached, sourcesIdentity, validatorIdentity } from '../../../src/app/core/governance-cache.ts';
import { DEFAULT_GOVERNANCE_PATH, loadGovernance } from '../../../src/app/core/governance-file.ts';
import { setEnv } from '../../support/env.ts';

describe('the governance cache of wghub mcp', () => {
  let dir: string;
  let file: string;
  let restoreEnv: () => void;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-gov-cache-test-'));
    restoreEnv = setEnv({ TMPDIR: dir }); // os.tmpdir() follows it: this test's cache is its own
    file = path.join(dir, 'governance.yaml');
    copyFileSync(DEFAULT_GOVERNANCE_PATH, file);
  });
  afterEach(() => {
    restoreEnv();
    rmSync(dir, { recursive: true, force: true });
  });

  const cacheFolder = () => path.join(dir, readdirSync(dir).find((n) => n.startsWith('wghub-governance-cache'))!);
  const cachedEntry = () => path.join(cacheFolder(), readdirSync(cacheFolder()).find((n) => n.endsWith('.json'))!);
  const setInactivityDays = (days: number) =>
    writeFileSync(file, readFileSync(file, 'utf8').replace(/inactivityDays: \d+/, `inactivityDays: ${days}`));

  it('gives the same rules as reading the file, at the first start and from the cache, kept private', async () => {
    const fresh = loadGovernance(file);
    expect(await loadGovernanceCached(file, 'build-1')).toStrictEqual(fresh);
    expect(await loadGovernanceCached(file, 'build-1')).toStrictEqual(fresh);
    expect(statSync(cacheFolder()).mode & 0o777).toBe(0o700);
    expect(statSync(cachedEntry()).mode & 0o777).toBe(0o600);
  });

  it('validates an edited file again: a mistake is reported, never the rules cached before', async () => {
    await loadGovernanceCached(file, 'build-1');
    setInactivityDays(0);
    await expect(loadGovernanceCached(file, 'build-1')).rejects.toThrow(
      /membership\.inactivityDays: must be at least 1 day/,
    );
    setInactivityDays(45);
    expect((await loadGovernanceCached(file, 'build-1')).membership.inactivityDays).toBe(45);
  });

  it('reuses what one build validated, and a new build validates again', async () => {
    await loadGovernanceCached(file, 'build-1');
    const entry = cachedEntry();
    const cached = JSON.parse(readFileSync(entry, 'utf8'));
    cached.membership.inactivityDays = 7;
    writeFileSync(entry, JSON.stringify(cached));
    expect((await loadGovernanceCached(file, 'build-1')).membership.inactivityDays).toBe(7);
    expect((await loadGovernanceCached(file, 'build-2')).membership.inactivityDays).toBe(90);
  });

  it('does not trust a cache folder that others may write', async () => {
    await loadGovernanceCached(file, 'build-1');
    const entry = cachedEntry();
    const planted = JSON.parse(readFileSync(entry, 'utf8'));
    planted.membership.inactivityDays = 7;
    writeFileSync(entry, JSON.stringify(planted));
    chmodSync(cacheFolder(), 0o777);
    expect((await loadGovernanceCached(file, 'build-1')).membership.inactivityDays).toBe(90);
  });

  it('names the file when it cannot be read', async () => {
    await expect(loadGovernanceCached(path.join(dir, 'missing.yaml'), 'build-1')).rejects.toThrow(
      /governance file .*missing\.yaml.*cannot be read/s,
    );
  });

  it('validates without a cache when the build cannot be named', async () => {
    expect(await loadGovernanceCached(file, null)).toStrictEqual(loadGovernance(file));
    expect(readdirSync(dir).some((n) => n.startsWith('wghub-governance-cache'))).toBe(false);
  });

  describe('the build, from sources', () => {
    // a small module tree standing for the validation: entry → a → b, and a package
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    const entry = () => path.join(dir, 'src/entry.ts');
    beforeEach(() => {
      write('src/entry.ts', "import { a } from './a.ts';\nexport const v = a;\n");
      write(
        'src/a.ts',
        "import {\n  b,\n} from './deep/b.ts';\nimport { z } from 'zod-like/v4';\nexport const a = b;\n",
      );
      write('src/deep/b.ts', 'export const b = 1;\n');
      write('node_modules/zod-like/package.json', '{"name":"zod-like","version":"1.0.0"}');
    });

    it('follows every module the entry imports, however deep, and names each', () => {
      expect(sourcesIdentity([entry()])?.files.map((f) => path.relative(dir, f))).toEqual([
        'src/entry.ts',
        'src/a.ts',
        'src/deep/b.ts',
      ]);
    });

    it('is another build when a module deep in the validation or a package version changes', () => {
      const first = sourcesIdentity([entry()])!.key;
      expect(sourcesIdentity([entry()])!.key).toBe(first);
      write('src/deep/b.ts', 'export const b = 2;\n');
      const second = sourcesIdentity([entry()])!.key;
      expect(second).not.toBe(first);
      write('node_modules/zod-like/package.json', '{"name":"zod-like","version":"1.0.1"}');
      expect(sourcesIdentity([entry()])!.key).not.toBe(second);
    });

    it('names no build (so nothing is cached) when an import cannot be followed', () => {
      write('src/deep/b.ts', 'const m = "./c.ts";\nexport const b = await import(m);\n');
      expect(sourcesIdentity([entry()])).toBeNull();
      write('src/deep/b.ts', "export { c } from './missing.ts';\n");
      expect(sourcesIdentity([entry()])).toBeNull();
      write('src/deep/b.ts', "export { c } from 'not-installed';\n");
      expect(sourcesIdentity([entry()])).toBeNull();
      // a quote in a comment between the braces hid the import from the scan: b.ts's own import of
      // c.ts went uncovered, so an edit of c.ts kept the key (review, 2026-12-06)
      write('src/deep/c.ts', 'export const c = 1;\n');
      write('src/deep/b.ts', "import {\n  c, // don't inline\n} from './c.ts';\nexport const b = c;\n");
      expect(sourcesIdentity([entry()])).toBeNull();
    });

    it('never serves what an older validation cached once a module of it changed', async () => {
      const before = sourcesIdentity([entry()])!.key;
      await loadGovernanceCached(file, before);
      const planted = JSON.parse(readFileSync(cachedEntry(), 'utf8'));
      planted.membership.inactivityDays = 7; // what the older code would have made of the file
      writeFileSync(cachedEntry(), JSON.stringify(planted));
      expect((await loadGovernanceCached(file, before)).membership.inactivityDays).toBe(7);
      write('src/deep/b.ts', 'export const b = 2;\n');
      const after = sourcesIdentity([entry()])!.key;
      expect((await loadGovernanceCached(file, after)).membership.inactivityDays).toBe(90);
    });

    it("names this checkout's validation: the schema, the checks and the limits they read", () => {
      const key = validatorIdentity();
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      const src = path.resolve(import.meta.dirname, '../../../src');
      const files = sourcesIdentity([
        path.join(src, 'app/core/governance-cache.ts'),
        path.join(src, 'app/core/governance-file.ts'),
      ])!.files.map((f) => path.relative(src, f));
      expect(files).toEqual(
        expect.arrayContaining([
          'app/core/governance-file.ts',
          'domain/governance/schema.ts',
          'domain/governance/validate.ts',
          'domain/limits.ts',
        ]),
      );
    });
  });
});
