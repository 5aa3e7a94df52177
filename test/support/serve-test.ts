import type { Server } from 'node:http';
import { serve as honoServe, type ServerType } from '@hono/node-server';

/**
 * @hono/node-server's `serve` with an idle keep-alive of two minutes. Node's default, 5 s, loses a
 * race on a loaded machine: a test that stalls its own event loop past 5 s (a synchronous SQLite
 * call at load 12) and then sends at once reuses the idle socket as the server's timer closes it,
 * and fetch fails with ECONNRESET (three CI failures; reproduced with a 6 s stall, 1 in 3).
 */
export function serve(...args: Parameters<typeof honoServe>): ServerType {
  const server = honoServe(...args);
  (server as Server).keepAliveTimeout = 120_000;
  return server;
}
