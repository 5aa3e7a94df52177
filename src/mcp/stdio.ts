import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import type { Actor, Hub } from '../app/core/hub.ts';
import { createWghubMcpServer } from './server.ts';
import { LenientStdioTransport } from './stdio-wire.ts';

/** MCP over this process's stdin/stdout, acting as one person for the whole connection. */
export function serveMcpOverStdio(hub: Hub, actor: Actor): StdioServerHandle {
  return serveStdio(({ era }) => createWghubMcpServer(hub, { actor }, era), {
    onerror: (e) => console.error('wghub mcp:', e.message),
    // batches and malformed lines are answered, not dropped (see stdio-wire.ts)
    transport: new LenientStdioTransport(),
  });
}
