// The governance file, parsed and validated once per content and build: `wghub mcp` starts for
// every host session and must answer within about a second (bench/mcp-stdio-start.ts), and parsing
// the YAML and checking it against the schema is a fifth of that start; every other command that
// opens the hub (`serve` among them, bootHub) spent 80–150 ms of its start on it too. The validated rules are
// kept as JSON in a folder of the OS temp directory that only this user can write, like V8's
// compile cache beside it. The key is a hash of the file's text and the build that validated it, so
// an edited file or a new build is validated again; a missing or unreadable cache just validates.
// From sources the build is the text of every module the validation imports (validatorIdentity).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Governance } from '../../domain/governance/schema.ts';
import { GovernanceError } from '../../domain/governance/validate.ts';

/**
 * Reads a governance file, reusing the rules this build validated from the same text before.
 * `build` names the code doing the validation (the bundle's build, or `validatorIdentity()`); null
 * validates without a cache. Errors are loadGovernance's.
 */
export async function loadGovernanceCached(file: string, build: string | null): Promise<Governance> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new GovernanceError(file, [`cannot be read: ${(e as Error).message}`]);
  }
  const dir = build === null ? null : cacheDir();
  const key = createHash('sha256')
    .update(build ?? '')
    .update('\0')
    .update(text)
    .digest('hex');
  const entry = dir && path.join(dir, `${key}.json`);
  if (entry) {
    try {
      return JSON.parse(readFileSync(entry, 'utf8')) as Governance;
    } catch {
      // not cached yet (or a torn file from another user's tools): validate below
    }
  }
  const { parseGovernance } = await import('./governance-file.ts');
  const governance = parseGovernance(text, file);
  if (entry) {
    try {
      const tmp = `${entry}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(governance), { mode: 0o600 });
      renameSync(tmp, entry); // whole or not at all for a concurrent reader
    } catch {
      // a read-only or full temp directory only costs the next start the validation
    }
  }
  return governance;
}

/** This user's cache folder, or null when it cannot be trusted (another owner, others may write). */
function cacheDir(): string | null {
  const uid = process.getuid?.();
  const dir = path.join(tmpdir(), `wghub-governance-cache${uid === undefined ? '' : `-${uid}`}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) return null;
    return dir;
  } catch {
    return null;
  }
}

/**
 * What names the code that validates the rules when it runs from sources (`src/`, or a `dist/`
 * compiled file by file): a hash of the text of every module the validation imports, followed from
 * `entries` through their relative imports, and of the package.json of every package they import
 * (its version), with Node's version. An edit to any of them, even one not yet committed, gives
 * another key, so the rules are validated again and an old default is never served. Null (validate
 * every time, cache nothing) when the imports cannot all be followed: an import whose target is
 * computed, a module or package that cannot be read. Reading and hashing them costs about 2 ms
 * against about 80–150 ms for loading `yaml` and validating the 30 KB file.
 */
export function sourcesIdentity(entries: string[]): { key: string; files: string[] } | null {
  const hash = createHash('sha256').update(process.version);
  const files: string[] = [];
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  try {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      files.push(file);
      hash.update('\0').update(file).update('\0').update(text);
      // an import whose target is computed could load anything: no key
      if (/\bimport\s*\(\s*[^'"\s]/.test(text) || /\brequire\s*\(/.test(text)) return null;
      const found = [...text.matchAll(IMPORTS)];
      // an import the pattern did not take (a quote in a comment between the braces stops it) is a
      // module the key would not cover: no key, rather than one that stays the same while that
      // module changes (every quoted module after the word counted against the imports taken)
      if ([...text.matchAll(/\bfrom\s*['"]/g)].length !== found.filter((m) => m[1] !== undefined).length) return null;
      for (const m of found) {
        const spec = m[1] ?? m[2] ?? m[3] ?? '';
        if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
        else if (!spec.startsWith('node:')) {
          const name = spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/');
          const manifest = packageJson(path.dirname(file), name);
          if (!manifest) return null;
          packages.add(manifest);
        }
      }
    }
    for (const manifest of [...packages].sort()) hash.update('\0').update(readFileSync(manifest));
  } catch {
    return null;
  }
  return { key: hash.digest('hex'), files };
}

/** Static imports and re-exports (over several lines too), bare imports and dynamic imports of a written path. */
const IMPORTS =
  /(?:^|[\n;])\s*(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g;

/** The package.json Node would find for `name` imported from `dir`, or null. */
function packageJson(dir: string, name: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    const manifest = path.join(d, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return manifest;
    if (path.dirname(d) === d) return null;
  }
}

/**
 * The identity of this build's validation: the modules of governance-file (which parses and
 * validates) and of this file (which keeps the result), with the extension this build runs
 * (`.ts` from src/, `.js` from dist/).
 */
export function validatorIdentity(): string | null {
  const ext = path.extname(import.meta.filename);
  return sourcesIdentity([import.meta.filename, path.join(import.meta.dirname, `governance-file${ext}`)])?.key ?? null;
}
