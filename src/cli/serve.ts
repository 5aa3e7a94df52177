import { serve } from '@hono/node-server';
import type { Hub } from '../app/core/hub.ts';
import { runDormancy } from '../app/proposals/dormancy.ts';
import { closeDueDecisions } from '../app/decisions/decisions.ts';
import { createHttpApp, VERSION } from '../http/server.ts';
import { allowedHostsFor, type McpHttpOptions } from '../mcp/http.ts';
import { Worker } from '../app/core/worker.ts';
import { jobHandlers } from './boot.ts';

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

/** Listens until SIGINT/SIGTERM, then stops taking requests and closes the store. */
export async function startServer(
  hub: Hub,
  opts: { host: string; port: number; databaseUrl: string; mcp?: McpHttpOptions & { extraHosts?: string[] } },
): Promise<void> {
  const app = createHttpApp(hub, undefined, {
    mcp: { ...opts.mcp, allowedHosts: allowedHostsFor(opts.host, opts.mcp?.extraHosts) },
  });
  const server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const base = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  process.stdout.write(
    [
      `wghub ${VERSION} listening on ${base}`,
      `  web UI    ${base}/`,
      `  REST      ${base}/api`,
      `  OpenAPI   ${base}/api/openapi.json`,
      `  sign-in   ${process.env.WGHUB_OIDC_ISSUER ? `OpenID Connect (${process.env.WGHUB_OIDC_ISSUER})` : 'demo mode: pick a demo person (set WGHUB_OIDC_ISSUER for real sign-in)'}`,
      `  MCP       ${base}/mcp${opts.mcp?.anonymousReads ? ' (reads without a token)' : ''}`,
      `  database  ${redact(opts.databaseUrl)}`,
      '',
    ].join('\n'),
  );
  // The jobs only record and remind; proposal and decision states are always computed when read.
  const job = setInterval(() => {
    runDormancy(hub, { kind: 'system', label: 'dormancy' }).catch((e) => console.error('dormancy job failed:', e));
    closeDueDecisions(hub).catch((e) => console.error('decision close job failed:', e));
  }, 15 * 60_000);
  job.unref();
  const worker = new Worker(hub, jobHandlers(hub));
  worker.start();
  const stop = () => {
    clearInterval(job);
    void worker.stop();
    server.close(() => {
      void hub.store.close().then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
