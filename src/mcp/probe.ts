// Connects to an MCP implementation named in evidence, as an ordinary MCP client, and reports
// what it says about itself. Everything runs under one deadline and can be cancelled: a server
// that hangs, crashes or answers nonsense becomes a failure with a reason, never a stuck request
// or a process left running. Over HTTP it reaches only public addresses (app/core/public-fetch.ts), and
// what it records is our own words and a status, never text from the remote server.
import { Client, ProtocolError, SdkHttpError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ProbeOptions, ProbeReport, ProbeTarget } from '../app/evidence/evidence-checks.ts';
import { VERSION } from '../version.ts';
import { LIMITS } from '../domain/limits.ts';
import { firstCharacters, oneLineFrom } from '../domain/text.ts';
import { AddressRefused, publicOnlyFetch, ResponseTooLarge } from '../app/core/public-fetch.ts';
import { GroupStdioTransport } from './stdio-child.ts';

const MAX_TOOL_PAGES = 20;
/** Characters kept of the name and version a server gives itself. */
const SERVER_NAME_CHARS = 200;
const SERVER_VERSION_CHARS = 100;

export class ProbeFailed extends Error {}

/** A failure in our own words: an HTTP status, an error code, a kind of network failure. */
function reasonOf(e: unknown): string {
  if (e instanceof ProbeFailed || e instanceof AddressRefused) return e.message;
  if (e instanceof SdkHttpError) return `the server answered HTTP ${e.status}`;
  if (e instanceof ProtocolError) return `the server answered with JSON-RPC error ${e.code}`;
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    if (c instanceof AddressRefused || c instanceof ResponseTooLarge) return c.message;
    const code = (c as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'the connection was refused';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was reset';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
    if (typeof code === 'string' && /^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)$/.test(code))
      return 'the connection timed out';
    if (typeof code === 'string' && /^(ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(code))
      return 'its TLS certificate was not accepted';
  }
  return 'its answer was not MCP';
}

type Attempt = { report: ProbeReport } | { error: unknown; connected: boolean };

/** The probe's steps as they happen, for a tool call's progress: connected, then tools listed. */
export type ProbeSteps = {
  connected?: (server: { name: string; version: string; protocolVersion: string | null }) => void;
  listed?: (tools: number) => void;
};

async function attempt(
  transport: StdioOrHttp,
  deadline: number,
  signal: AbortSignal,
  opts: { discoveryMs: number; legacy?: boolean; steps?: ProbeSteps },
): Promise<Attempt> {
  const client = new Client(
    { name: 'wghub-evidence-check', version: VERSION },
    { versionNegotiation: { mode: 'auto', probe: { timeoutMs: opts.discoveryMs } } },
  );
  let connected = false;
  const stopped = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  stopped.catch(() => {});
  const left = () => Math.max(1, deadline - Date.now());
  const steps = async (): Promise<ProbeReport> => {
    await client.connect(transport, {
      timeout: left(),
      signal,
      ...(opts.legacy ? { prior: { kind: 'legacy' as const } } : {}),
    });
    connected = true;
    const info = client.getServerVersion();
    const caps = client.getServerCapabilities();
    const protocolVersion = client.getNegotiatedProtocolVersion() ?? null;
    // what the server calls itself, as one line of printable text within its bounds, before anything shows
    // it: the stored check and the progress messages alike (a name of a megabyte, or one holding escape
    // sequences or bidirectional controls, was sent whole in a progress message)
    const name = oneLineFrom(String(info?.name ?? ''), SERVER_NAME_CHARS);
    const version = oneLineFrom(String(info?.version ?? ''), SERVER_VERSION_CHARS);
    if (!name || !version) throw new ProbeFailed('the server did not say its name and version');
    if (!caps) throw new ProbeFailed('the server did not report its capabilities');
    opts.steps?.connected?.({ name, version, protocolVersion });
    const toolNames: string[] = [];
    if (caps.tools) {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        let r: Awaited<ReturnType<typeof client.listTools>>;
        try {
          r = await client.listTools(cursor ? { cursor } : undefined, { timeout: left(), signal });
        } catch (e) {
          if (signal.aborted) throw signal.reason;
          throw new ProbeFailed(`it advertises tools, but listing them failed: ${reasonOf(e)}`);
        }
        toolNames.push(...r.tools.map((t) => firstCharacters(String(t.name), 200)));
        cursor = r.nextCursor;
        // the check keeps the first LIMITS.evidence.names.count: more pages would be read for nothing
        if (!cursor || toolNames.length >= LIMITS.evidence.names.count) break;
      }
      if (new Set(toolNames).size !== toolNames.length)
        throw new ProbeFailed('it lists the same tool name more than once');
    }
    opts.steps?.listed?.(toolNames.length);
    return {
      serverName: name,
      serverVersion: version,
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
    return { report: await Promise.race([steps(), stopped]) };
  } catch (e) {
    return { error: signal.aborted ? signal.reason : e, connected };
  } finally {
    await Promise.race([client.close().catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
    await transport.close().catch(() => {});
  }
}

type StdioOrHttp = GroupStdioTransport | StreamableHTTPClientTransport;

export async function probeMcpServer(
  target: ProbeTarget,
  timeoutMs: number,
  options: ProbeOptions & { steps?: ProbeSteps } = {},
): Promise<ProbeReport> {
  const steps = options.steps;
  const deadline = Date.now() + timeoutMs;
  const ctl = new AbortController();
  const timer = setTimeout(
    () => ctl.abort(new ProbeFailed(`no answer within ${timeoutMs / 1000} s (the server hung or is unreachable)`)),
    timeoutMs,
  );
  const cancel = () => ctl.abort(new ProbeFailed('the check was cancelled before the server answered'));
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    if (target.kind === 'http') {
      const web = publicOnlyFetch(target.allowedHosts, undefined, {}, LIMITS.evidence.responseBytes, (e) =>
        ctl.abort(new ProbeFailed(e.message)),
      );
      try {
        const transport = new StreamableHTTPClientTransport(new URL(target.url), { fetch: web.fetch });
        const r = await attempt(transport, deadline, ctl.signal, {
          discoveryMs: timeoutMs,
          ...(steps ? { steps } : {}),
        });
        if ('report' in r) return r.report;
        throw new ProbeFailed(r.connected ? reasonOf(r.error) : `could not connect: ${reasonOf(r.error)}`);
      } finally {
        await web.close().catch(() => {});
      }
    }
    // stdio: a discovery attempt (a third of the budget: it includes the server's start-up, which
    // is seconds for an npx download), then the legacy handshake on the same process; a server
    // that exits on the unknown request (as older SDKs do) is started once more, legacy only.
    const discoveryMs = timeoutMs / 3;
    let transport = new GroupStdioTransport(target.command, target.args, target.env);
    let r = await attempt(transport, deadline, ctl.signal, { discoveryMs, ...(steps ? { steps } : {}) });
    if ('error' in r && !r.connected && !ctl.signal.aborted && Date.now() < deadline) {
      transport = new GroupStdioTransport(target.command, target.args, target.env);
      r = await attempt(transport, deadline, ctl.signal, { discoveryMs, legacy: true, ...(steps ? { steps } : {}) });
    }
    if ('report' in r) return r.report;
    const stderr = transport.stderr.trim();
    const why = r.error instanceof ProbeFailed ? r.error.message : reasonOf(r.error);
    throw new ProbeFailed(
      `${r.connected || r.error instanceof ProbeFailed ? why : `could not connect: ${why}`}${stderr ? ` (its stderr: ${stderr})` : ''}`,
    );
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
  }
}
