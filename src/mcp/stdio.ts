import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import type { Actor, Hub } from '../app/core/hub.ts';
import { createWghubMcpServer } from './server.ts';
import { LenientStdioTransport } from './stdio-wire.ts';

/**
 * MCP over this process's stdin/stdout, acting as one person for the whole connection. `answered`
 * resolves once stdin has ended and every request read from it has its answer written: the time to close.
 */
export function serveMcpOverStdio(hub: Hub, actor: Actor): StdioServerHandle & { answered: Promise<void> } {
  // batches and malformed lines are answered, not dropped (see stdio-wire.ts)
  const transport = new LenientStdioTransport();
  const handle = serveStdio(({ era }) => createWghubMcpServer(hub, { actor, origin: hub.settings.publicOrigin }, era), {
    onerror: (e) => console.error('wghub mcp:', e.message),
    transport,
  });
  return Object.assign(handle, { answered: transport.answered });
}
