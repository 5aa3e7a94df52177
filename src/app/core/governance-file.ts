import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { GovernanceError, validateGovernance, type Governance } from '../../domain/governance/index.ts';

/** The shipped governance file, found upwards from this module (src/, dist/ or a bundle in dist/). */
export const DEFAULT_GOVERNANCE_PATH = findUpwards(import.meta.dirname, 'governance/default.yaml');

function findUpwards(from: string, file: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, file))) return path.join(dir, file);
    if (path.dirname(dir) === dir) return path.resolve(from, '../../..', file);
  }
}

/** Reads and validates a governance file; errors name the file, the key and the rule. */
export function loadGovernance(file: string = DEFAULT_GOVERNANCE_PATH): Governance {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new GovernanceError(file, [`cannot be read: ${(e as Error).message}`]);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new GovernanceError(file, [`is not valid YAML or JSON: ${(e as Error).message}`]);
  }
  return validateGovernance(data, file);
}
