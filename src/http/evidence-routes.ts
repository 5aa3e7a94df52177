import { type Probe, verifyEvidence } from '../app/evidence/evidence-checks.ts';
import type { Route } from './routes.ts';

export const evidenceRoutes: Route[] = [
  {
    method: 'post',
    path: '/api/proposals/{ref}/evidence/{id}/verify',
    tag: 'proposals',
    auth: true,
    summary:
      'Verify an MCP implementation named in evidence: connect as an MCP client (with the governance timeout) and record what it reports, verified or failed with the reason',
    returns: 'the check',
    handler: async ({ hub, requireActor, params, signal }) => {
      // the MCP client loads only when a probe runs (after the checks); a client that disconnects cancels it
      const probe: Probe = async (target, ms, o) => (await import('../mcp/probe.ts')).probeMcpServer(target, ms, o);
      return { body: await verifyEvidence(hub, requireActor(), params.ref!, params.id!, probe, { signal }) };
    },
  },
];
