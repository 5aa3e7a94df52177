// The baseline for bench/mcp.ts: the same SDK, the same HTTP stack (Hono on @hono/node-server,
// createMcpHandler, one server instance per request), one trivial tool and nothing else.
import { serve } from '@hono/node-server';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { z } from 'zod';

const handler = createMcpHandler(() => {
  const s = new McpServer({ name: 'minimal', version: '1.0.0' });
  s.registerTool(
    'echo',
    { inputSchema: z.object({ text: z.string() }), annotations: { readOnlyHint: true } },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return s;
});
const app = new Hono();
app.get('/healthz', (c) => c.json({ ok: true }));
app.all('/mcp', (c) => handler.fetch(c.req.raw));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[2]) });
