// Who may verify a piece of evidence, now: it must name an address to connect to, and verifying
// connects from the hub's own network, so the governance file's `evidence.verify` decides who.
import type { Governance } from '../governance/schema.ts';
import { checkPermission } from './rules.ts';
import { ALLOWED, firstRefusal, refused, type Can } from './verdict.ts';
import type { Viewer } from './viewer.ts';

export function evidencePolicy(g: Governance, viewer: Viewer, e: { hasAddress: boolean }): Can<'verify'> {
  return {
    verify: firstRefusal(
      e.hasAddress ? ALLOWED : refused('This evidence names no implementation address to connect to'),
      () => checkPermission(g, 'evidence.verify', viewer, {}, undefined, { contributes: true }),
    ),
  };
}
