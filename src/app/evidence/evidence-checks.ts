// Verified evidence: the practice-proven gates count implementations, and an implementation of
// MCP can prove itself. The probe (an MCP client, at the edge) is passed in, so this use case
// holds the rules: what may be probed, for how long, and what is recorded.
import { shownRef } from '../../domain/governance/index.ts';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { Cancelled, Forbidden, invalid, NotFound } from '../../domain/errors.ts';
import { readJson, writeJson, type EvidenceChecksTable, type Json } from '../../store/schema.ts';
import { actorName, inTransaction, nowIso, record, type Actor, type Hub, type Tx } from '../core/hub.ts';
import { LIMITS } from '../../domain/limits.ts';
import { firstCharacters } from '../../domain/text.ts';
import { proposalRow, refOf } from '../proposals/proposals.ts';
import { authorizeProposal } from '../proposals/access.ts';

export type ProbeTarget =
  /** `allowedHosts`: hosts reached whatever their address (the operator's list); all others must be public. */
  | { kind: 'http'; url: string; allowedHosts: string[] }
  /** `env`: the variables the allow-list entry names, with their values in the hub's environment. */
  | { kind: 'stdio'; name: string; command: string; args: string[]; env: Record<string, string> };

/** Cancels the probe (the caller went away): its process group is ended and nothing is recorded. */
export type ProbeOptions = { signal?: AbortSignal };

/** What an MCP implementation reported about itself. */
export type ProbeReport = {
  serverName: string;
  serverVersion: string;
  protocolVersion: string | null;
  capabilities: string[];
  experimental: string[];
  extensions: string[];
  toolNames: string[];
};

export type Probe = (target: ProbeTarget, timeoutMs: number, options?: ProbeOptions) => Promise<ProbeReport>;

export type EvidenceCheckView = {
  ref: string;
  evidenceId: string;
  target: string;
  status: 'verified' | 'failed';
  reason: string | null;
  checkedAt: string;
  checkedBy: string | null;
  server: { name: string; version: string } | null;
  protocolVersion: string | null;
  capabilities: string[];
  experimental: string[];
  extensions: string[];
  toolNames: string[];
  /** How long the probe took, in milliseconds. */
  durationMs: number | null;
};

/** Which implementation an evidence URL names: a Streamable HTTP endpoint, or stdio:NAME from the allow-list. */
export function probeTarget(hub: Hub, url: string | null): ProbeTarget {
  if (!url)
    throw invalid(
      'url',
      'the evidence names no MCP implementation; add evidence with a Streamable HTTP URL or stdio:NAME',
    );
  const stdio = /^stdio:([a-z0-9][a-z0-9-]*)$/.exec(url);
  if (stdio) {
    const allowed = hub.governance.evidence.stdioCommands;
    // an own property only: stdio:constructor must not find Object.prototype's
    const entry = Object.hasOwn(allowed, stdio[1]!) ? allowed[stdio[1]!] : undefined;
    const names = Object.keys(allowed);
    if (!entry)
      throw invalid(
        'url',
        `${url} is not on the hub's allow-list of stdio commands (${names.length ? `it lists: ${names.map((n) => `stdio:${n}`).join(', ')}` : 'the list is empty'}; an operator adds commands under evidence.stdioCommands in the governance file)`,
      );
    const cmd = Array.isArray(entry) ? entry : entry.command;
    const env: Record<string, string> = {};
    for (const name of Array.isArray(entry) ? [] : (entry.env ?? []))
      if (process.env[name] !== undefined) env[name] = process.env[name]!;
    return { kind: 'stdio', name: stdio[1]!, command: cmd[0]!, args: cmd.slice(1), env };
  }
  if (/^https?:\/\//i.test(url)) return { kind: 'http', url, allowedHosts: hub.governance.evidence.allowedHosts };
  throw invalid('url', `${url} is neither a Streamable HTTP URL (http:// or https://) nor stdio:NAME`);
}

function view(ref: string, r: EvidenceChecksTable): EvidenceCheckView {
  const list = (v: Json<string[]> | null) => readJson(v) ?? [];
  const caps = readJson(r.capabilities) ?? { capabilities: [], experimental: [] };
  return {
    ref,
    evidenceId: r.evidence_id,
    target: r.target,
    status: r.status,
    reason: r.reason,
    checkedAt: r.checked_at,
    checkedBy: r.checked_by,
    server: r.server_name ? { name: r.server_name, version: r.server_version ?? '' } : null,
    protocolVersion: r.protocol_version,
    capabilities: caps.capabilities,
    experimental: caps.experimental,
    extensions: list(r.extensions),
    toolNames: list(r.tool_names),
    durationMs: r.duration_ms ?? null,
  };
}

// Probes per person, whatever edge asks (REST counts them at the door too; MCP calls arrive as
// ordinary /mcp requests), from the governance file's rateLimits.probes. On PostgreSQL every hub
// process counts in the shared `rate_limits` table, as the door's budgets do (http/rate-limits.ts):
// counted in each process's memory, a person sending their checks to two processes behind a load
// balancer had twice the budget. If the database cannot be reached for a count, memory stands in.
const probeBudgets = new WeakMap<Hub, { config: string; limiter: RateLimiterAbstract }>();
function probeLimiter(hub: Hub, points: number, duration: number): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points, duration });
  const pool = hub.store.pgPool;
  if (!pool) return memory;
  return new RateLimiterPostgres({
    // unnamed statements, as at the door: a named one is unknown on PgBouncer's next server connection
    storeClient: {
      query: (q: { text: string; values?: unknown[] }) => pool.query({ text: q.text, values: q.values ?? [] }),
    },
    storeType: 'pool',
    tableName: 'rate_limits',
    ...(hub.store.schema ? { schemaName: hub.store.schema } : {}),
    tableCreated: true,
    // new rules start new counters
    keyPrefix: `probes-person:${points}/${duration}`,
    points,
    duration,
    insuranceLimiter: memory,
  });
}
async function spendProbe(hub: Hub, actor: Actor): Promise<void> {
  const rules = hub.governance.rateLimits;
  if (!rules.enabled || actor.kind !== 'person') return;
  const config = `${rules.probes}/${rules.windowSeconds}`;
  let b = probeBudgets.get(hub);
  if (b?.config !== config) {
    b = { config, limiter: probeLimiter(hub, rules.probes, rules.windowSeconds) };
    probeBudgets.set(hub, b);
  }
  try {
    await b.limiter.consume(actor.person.id);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    throw new Forbidden(
      `at most ${rules.probes} evidence checks per ${rules.windowSeconds} s per person; try again in ${Math.ceil(e.msBeforeNext / 1000)} s`,
    );
  }
}

/**
 * Probes the implementation an evidence entry names and records the outcome. The probe runs
 * outside any transaction, under the governance file's timeout, so a slow server holds no lock.
 */
export async function verifyEvidence(
  hub: Hub,
  actor: Actor,
  ref: string,
  evidenceId: string,
  probe: Probe,
  options: ProbeOptions = {},
): Promise<EvidenceCheckView> {
  const p = await proposalRow(hub.store.db, ref, hub.governance);
  // who may start a probe: it connects from the hub's own network, so more than a contributor by default
  await authorizeProposal(hub.store.db, hub, actor, p, 'verifyEvidence');
  const ev = await hub.store.db
    .selectFrom('proposal_evidence')
    .selectAll()
    .where('id', '=', evidenceId)
    .where('proposal_id', '=', p.id)
    .executeTakeFirst();
  if (!ev) throw new NotFound(`evidence on ${shownRef(hub.governance, refOf(p))}`, evidenceId);
  const target = probeTarget(hub, ev.url);
  await spendProbe(hub, actor);
  let report: ProbeReport | null = null;
  let reason: string | null = null;
  const started = performance.now();
  try {
    report = await probe(target, hub.governance.evidence.probeTimeoutSeconds * 1000, options);
  } catch (e) {
    reason = firstCharacters(e instanceof Error ? e.message : String(e), LIMITS.evidence.reason);
  }
  // a cancelled check records nothing: nobody is waiting for its answer
  if (options.signal?.aborted) throw new Cancelled('the evidence check was cancelled');
  const durationMs = Math.round(performance.now() - started);
  // what the server says of itself is kept and shown with its proposal on every read: the first so many
  // names of each list, each cut to a line (a server of anyone's choosing may list any number)
  const kept = (names: string[]) =>
    names.slice(0, LIMITS.evidence.names.count).map((n) => firstCharacters(n, LIMITS.evidence.names.chars));
  if (report)
    report = {
      ...report,
      capabilities: kept(report.capabilities),
      experimental: kept(report.experimental),
      extensions: kept(report.extensions),
      toolNames: kept(report.toolNames),
    };
  return inTransaction(hub, async (trx) => {
    const row: EvidenceChecksTable = {
      id: hub.newId(),
      evidence_id: ev.id,
      target: ev.url!,
      status: report ? 'verified' : 'failed',
      reason,
      server_name: report?.serverName ?? null,
      server_version: report?.serverVersion ?? null,
      protocol_version: report?.protocolVersion ?? null,
      capabilities: report ? writeJson({ capabilities: report.capabilities, experimental: report.experimental }) : null,
      extensions: report ? writeJson(report.extensions) : null,
      tool_names: report ? writeJson(report.toolNames) : null,
      checked_by: actorName(actor),
      checked_at: nowIso(hub),
      duration_ms: durationMs,
    };
    await trx.insertInto('evidence_checks').values(row).execute();
    const v = view(refOf(p), row);
    await record(
      trx,
      hub,
      actor,
      report ? 'proposal.evidence-verified' : 'proposal.evidence-check-failed',
      { type: 'proposal', id: refOf(p) },
      null,
      v,
    );
    return v;
  });
}

/** The newest check of each evidence entry, for showing evidence as verified or failed. */
export async function latestEvidenceChecks(
  db: Tx,
  ref: string,
  evidenceIds: string[],
): Promise<Map<string, EvidenceCheckView>> {
  const out = new Map<string, EvidenceCheckView>();
  if (!evidenceIds.length) return out;
  // the latest check of each only: every check is kept (a maintainer may verify as often as the probe
  // budget allows, each with the server's tool names), and a proposal's every read reading them all grew
  // without end (fuzz round 13: 5,000 checks of one piece of evidence made its proposal's view 0.4-0.9 s)
  const rows = await db
    .selectFrom('evidence_checks as c')
    .selectAll('c')
    .where('c.evidence_id', 'in', evidenceIds)
    .where('c.id', '=', (eb) =>
      eb
        .selectFrom('evidence_checks as l')
        .select('l.id')
        .whereRef('l.evidence_id', '=', 'c.evidence_id')
        .orderBy('l.checked_at', 'desc')
        .orderBy('l.id', 'desc')
        .limit(1),
    )
    .execute();
  for (const r of rows) out.set(r.evidence_id, view(ref, r));
  return out;
}
