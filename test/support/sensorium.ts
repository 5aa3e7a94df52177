// Sensorium: a community on another protocol that copied governance/default.yaml and renamed what it
// calls things. Its documents are RFCs (stored SEP-12, cited RFC-12), its roles a steering committee,
// its groups special interest groups and community forums, its levels followers, voting members and
// chairs. Tests of the hub's words read it to see that nothing speaks the MCP community's words to it.
import { readFileSync } from 'node:fs';
import { DEFAULT_GOVERNANCE_PATH, parseGovernance } from '../../src/app/core/governance-file.ts';
import type { Governance } from '../../src/domain/governance/index.ts';

export function sensoriumGovernance(): Governance {
  const text = readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8')
    .replace('name: MCP Community', 'name: Sensorium')
    .replace('title: The SEP lifecycle', 'title: The RFC process')
    .replace('shortName: SEP', 'shortName: RFC')
    .replace(
      /^roleNames: \{\}$/m,
      'roleNames: { core-maintainer: steering committee member, lead-maintainer: steering committee chair }',
    )
    .replace(
      /^groupKindNames: \{\}$/m,
      'groupKindNames: { working: special interest group, interest: community forum }',
    )
    .replace(/^levelNames: \{\}$/m, 'levelNames: { observer: follower, member: voting member, lead: chair }');
  return parseGovernance(text, 'sensorium.yaml');
}

/** MCP's own words for what Sensorium renamed, as any text might say them. */
export const MCP_WORDS =
  /\bSEP-\d|\b(?:core|lead)[ -]maintainers?\b|(?<!special )\b(?:working|interest) groups?\b|\bobservers?\b/i;
