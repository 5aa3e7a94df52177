import { existsSync } from 'node:fs';
import path from 'node:path';

/** The shipped governance file, found upwards from this module (src/, dist/ or a bundle in dist/). */
export const DEFAULT_GOVERNANCE_PATH = findUpwards(import.meta.dirname, 'governance/default.yaml');

function findUpwards(from: string, file: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, file))) return path.join(dir, file);
    if (path.dirname(dir) === dir) return path.resolve(from, '../../..', file);
  }
}
