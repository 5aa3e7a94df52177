// Connects to an MCP implementation named in evidence, as an ordinary MCP client, and reports
// what it says about itself. Everything runs under one deadline: a server that hangs, crashes
// or answers nonsense becomes a failure with a reason, never a stuck request in the hub.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { ProbeReport, ProbeTarget } from '../app/evidence/evidence-checks.ts';
import { VERSION } from '../http/server.ts';

const MAX_TOOL_PAGES = 20;

export class ProbeFailed extends Error {}

function describe(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 300 ? `${m.slice(0, 300)}…` : m;
}

export async function probeMcpServer(target: ProbeTarget, timeoutMs: number): Promise<ProbeReport> {
  let stderr = '';
  const transport =
    target.kind === 'http'
      ? new StreamableHTTPClientTransport(new URL(target.url))
      : new StdioClientTransport({ command: target.command, args: target.args, stderr: 'pipe' });
  if (transport instanceof StdioClientTransport)
    transport.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-400)));
  const client = new Client(
    { name: 'wghub-evidence-check', version: VERSION },
    { versionNegotiation: { mode: 'auto' } },
  );
  const ctl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort();
      reject(new ProbeFailed(`no answer within ${timeoutMs / 1000} s (the server hung or is unreachable)`));
    }, timeoutMs);
  });
  const opts = { timeout: timeoutMs, signal: ctl.signal };
  const steps = async (): Promise<ProbeReport> => {
    try {
      await client.connect(transport, opts);
    } catch (e) {
      throw new ProbeFailed(
        `could not connect: ${describe(e)}${stderr.trim() ? ` (its stderr: ${stderr.trim()})` : ''}`,
      );
    }
    const info = client.getServerVersion();
    const caps = client.getServerCapabilities();
    const protocolVersion = client.getNegotiatedProtocolVersion() ?? null;
    if (!info?.name || !info.version) throw new ProbeFailed('the server did not say its name and version');
    if (!caps) throw new ProbeFailed('the server did not report its capabilities');
    const toolNames: string[] = [];
    if (caps.tools) {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        let r: Awaited<ReturnType<typeof client.listTools>>;
        try {
          r = await client.listTools(cursor ? { cursor } : undefined, opts);
        } catch (e) {
          throw new ProbeFailed(`it advertises tools, but listing them failed: ${describe(e)}`);
        }
        toolNames.push(...r.tools.map((t) => t.name));
        cursor = r.nextCursor;
        if (!cursor) break;
      }
      if (new Set(toolNames).size !== toolNames.length)
        throw new ProbeFailed('it lists the same tool name more than once');
    }
    return {
      serverName: info.name,
      serverVersion: info.version,
      protocolVersion,
      capabilities: Object.keys(caps)
        .filter((k) => k !== 'experimental' && k !== 'extensions')
        .sort(),
      experimental: Object.keys(caps.experimental ?? {}).sort(),
      extensions: Object.keys((caps as { extensions?: Record<string, unknown> }).extensions ?? {}).sort(),
      toolNames,
    };
  };
  try {
    return await Promise.race([steps(), deadline]);
  } catch (e) {
    if (e instanceof ProbeFailed) throw e;
    throw new ProbeFailed(describe(e));
  } finally {
    clearTimeout(timer);
    // closing kills a stdio child; a hung one gets SIGKILL from the transport after its grace period
    await Promise.race([client.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
