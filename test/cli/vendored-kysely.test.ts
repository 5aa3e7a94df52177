// A checkout's start loads kysely from one bundled file (dist/vendor/kysely.js, built on install by
// scripts/build-vendor.ts; bin/vendor.mjs, bin/start.mjs) instead of its 260 modules, but only the
// bundle of the very kysely installed: after an upgrade not yet rebuilt, the package as before.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain JavaScript module of bin/, without types
import { vendoredKysely } from '../../bin/vendor.mjs';
import { ROOT, WGHUB } from '../support/process.ts';

const run = promisify(execFile);

describe('kysely bundled for a start from a checkout', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-vendor-'));
  const installed = import.meta.resolve('kysely');
  const installedText = readFileSync(path.join(ROOT, 'node_modules/kysely/package.json'), 'utf8');
  // a checkout of its own: dist/vendor/ with a bundle built from `packageJson`
  const checkout = (name: string, packageJson: string | null, bundle = true) => {
    const root = path.join(dir, name);
    mkdirSync(path.join(root, 'dist/vendor'), { recursive: true });
    if (packageJson !== null)
      writeFileSync(path.join(root, 'dist/vendor/kysely.json'), JSON.stringify({ packageJson }));
    if (bundle) writeFileSync(path.join(root, 'dist/vendor/kysely.js'), 'export {};\n');
    return root;
  };
  beforeAll(() => {
    // npm install builds it (prepare); a checkout installed before that script existed has none yet
    if (!existsSync(path.join(ROOT, 'dist/vendor/kysely.json')))
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-vendor.ts')], { stdio: 'pipe' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is used when it was built from the installed kysely', () => {
    const root = checkout('same', installedText);
    expect(vendoredKysely(root, installed)).toBe(pathToFileURL(path.join(root, 'dist/vendor/kysely.js')).href);
  });

  it('is not used after an upgrade not yet rebuilt, nor when missing', () => {
    expect(
      vendoredKysely(checkout('older', installedText.replace(/"version": "[^"]+"/, '"version": "0.0.1"')), installed),
    ).toBeNull();
    expect(vendoredKysely(checkout('no-bundle', installedText, false), installed)).toBeNull();
    expect(vendoredKysely(checkout('never-built', null, false), installed)).toBeNull();
  });

  it("a start of wghub loads none of kysely's own modules, and works", async () => {
    const probe = path.join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      [
        "import module from 'node:module';",
        'let n = 0;',
        "module.registerHooks({ resolve(s, c, next) { const r = next(s, c); if (r.url.includes('/node_modules/kysely/')) n++; return r; } });",
        "process.on('exit', () => process.stderr.write('kysely modules: ' + n + '\\n'));",
      ].join('\n'),
    );
    const env = {
      ...process.env,
      NODE_OPTIONS: `--import=${probe}`,
      WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}`,
    };
    const r = await run(WGHUB, ['person', 'add', '--handle', 'ana', '--name', 'Ana'], { env });
    // one: where bin/start.mjs asks which kysely is installed
    expect(r.stderr).toContain('kysely modules: 1\n');
    // the write was kept: the same handle again is refused
    await expect(run(WGHUB, ['person', 'add', '--handle', 'ana', '--name', 'Ana'], { env })).rejects.toThrow(/ana/);
  });
});
