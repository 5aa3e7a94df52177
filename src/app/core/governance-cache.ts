// The governance file, parsed and validated once per content and build: `wghub mcp` starts for
// every host session and must answer within about a second (bench/mcp-stdio-start.ts), and parsing
// the YAML and checking it against the schema is a fifth of that start. The validated rules are
// kept as JSON in a folder of the OS temp directory that only this user can write, like V8's
// compile cache beside it. The key is a hash of the file's text and the build that validated it, so
// an edited file or a new build is validated again; a missing or unreadable cache just validates.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Governance } from '../../domain/governance/schema.ts';
import { GovernanceError } from '../../domain/governance/validate.ts';

/**
 * Reads a governance file, reusing the rules this build validated from the same text before.
 * `build` names the code doing the validation (the bundle's build); errors are loadGovernance's.
 */
export async function loadGovernanceCached(file: string, build: string): Promise<Governance> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new GovernanceError(file, [`cannot be read: ${(e as Error).message}`]);
  }
  const dir = cacheDir();
  const key = createHash('sha256').update(build).update('\0').update(text).digest('hex');
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
