// `wghub` installed as a package runs the compiled dist/, not the TypeScript sources (Node does
// not strip types under node_modules): build it, lay it out as npm would, and use it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/process.ts';

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** What the build reads: every file under src/, the two tsconfig files and the locked compiler. */
function buildInputsHash(): string {
  const hash = createHash('sha256');
  const files = readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const f of [...files, 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) =>
    path.resolve(ROOT, f),
  ))
    hash.update(path.relative(ROOT, f)).update(readFileSync(f));
  return hash.digest('hex').slice(0, 20);
}

/**
 * Builds dist/ as `npm run build` does, once per content of its inputs (kept in the OS temp
 * folder, so a second run on unchanged sources copies it). Types are not checked here: `npm test`
 * type-checks the whole project before any test runs, and the emitted JavaScript is the same.
 */
async function buildDist(): Promise<{ dist: string; out: string; code: number }> {
  const cached = path.join(tmpdir(), `wghub-dist-${buildInputsHash()}`);
  if (existsSync(cached)) return { dist: cached, out: '', code: 0 };
  const building = `${cached}.${process.pid}`;
  const build = await run(path.join(ROOT, 'node_modules/.bin/tsc'), [
    '-p',
    'tsconfig.build.json',
    '--noCheck',
    '--outDir',
    building,
  ]);
  if (build.code === 0 && build.out === '') {
    try {
      renameSync(building, cached);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another run finished the same build first
    }
  }
  return { dist: existsSync(cached) ? cached : building, ...build };
}

describe('the installed package', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wghub-pkg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs from dist/ with its own governance file, migrates, loads the demo and answers', async () => {
    const pkg = path.join(dir, 'node_modules', 'wghub');
    mkdirSync(pkg, { recursive: true });
    const build = await buildDist();
    expect(build.out).toBe('');
    expect(build.code).toBe(0);
    cpSync(build.dist, path.join(pkg, 'dist'), { recursive: true });
    // what npm installs: package.json, bin, governance and dist (src is left out to prove it is not used)
    for (const f of ['package.json', 'bin', 'governance'])
      cpSync(path.join(ROOT, f), path.join(pkg, f), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    const wghub = path.join(pkg, 'bin', 'wghub');
    const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };

    const help = await run(wghub, ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('serve');
    const rules = await run(wghub, ['governance', 'show']);
    expect(rules.code).toBe(0);
    expect(rules.out).toContain('sponsored by at least 2 core maintainers or 1 lead maintainer');
    const seed = await run(wghub, ['seed'], env);
    expect(seed.code).toBe(0);
    const groups = await run(wghub, ['group', 'list'], env);
    expect(groups.code).toBe(0);
    expect(groups.out).toContain('hosting');
  }, 120_000);
});

describe("the install's scripts", () => {
  it('every dependency that runs an install script is reviewed in allowScripts, and those the hub needs are allowed', () => {
    // npm 12 skips the install scripts package.json's allowScripts does not name: `npm install && npm start`
    // then had no Node 24 (the node package's preinstall) and no SQLite driver (better-sqlite3's build)
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([at]) => at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.filter((name) => pkg.allowScripts?.[name] === undefined)).toEqual([]);
    expect(pkg.allowScripts).toMatchObject({ node: true, 'better-sqlite3': true });
  });
});
