import { verifyEvidence } from '../app/evidence/evidence-checks.ts';
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
      const { probeMcpServer } = await import('../mcp/probe.ts'); // the MCP client loads only when needed
      // a client that disconnects cancels the probe
      return { body: await verifyEvidence(hub, requireActor(), params.ref!, params.id!, probeMcpServer, { signal }) };
    },
  },
];
