import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import type { Actor, Hub } from '../app/core/hub.ts';
import { createWghubMcpServer } from './server.ts';

/** MCP over this process's stdin/stdout, acting as one person for the whole connection. */
export function serveMcpOverStdio(hub: Hub, actor: Actor): StdioServerHandle {
  return serveStdio(({ era }) => createWghubMcpServer(hub, { actor }, era), {
    onerror: (e) => console.error('wghub mcp:', e.message),
  });
}
