import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { GovernanceError, validateGovernance, type Governance } from '../../domain/governance/index.ts';
import { DEFAULT_GOVERNANCE_PATH } from './governance-path.ts';

export { DEFAULT_GOVERNANCE_PATH };

/** Reads and validates a governance file; errors name the file, the key and the rule. */
export function loadGovernance(file: string = DEFAULT_GOVERNANCE_PATH): Governance {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new GovernanceError(file, [`cannot be read: ${(e as Error).message}`]);
  }
  return parseGovernance(text, file);
}

/** Parses and validates a governance file's text (`file` names it in errors). */
export function parseGovernance(text: string, file: string): Governance {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new GovernanceError(file, [`is not valid YAML or JSON: ${(e as Error).message}`]);
  }
  return validateGovernance(data, file);
}
