// Client ID Metadata Documents (the MCP authorization spec, 2025-11-25; draft-ietf-oauth-client-id-
// metadata-document): a client names itself by an https URL, and the hub reads the client's
// metadata (its name and redirect URIs) from there instead of a registration. The document is
// fetched when a person is sent to the consent page, through the caller's fetch, which reaches
// only public addresses (src/app/core/public-fetch.ts); it is bounded in bytes and time, never followed
// through a redirect, and kept in oauth_clients (shared by every hub process) for as long as its
// Cache-Control allows, between 5 minutes and a day. A document that cannot be used is remembered
// for a minute, so a page reloaded in a loop does not make the hub fetch it again each time, and a
// process fetches at most FETCHES_AT_ONCE documents at a time (for each database it serves).
import { AddressRefused, hostAllowed, internalHost } from '../../domain/addresses.ts';
import { metadataDocumentIdProblem, metadataDocumentSeconds, OAUTH } from '../../domain/oauth.ts';
import { readJson, writeJson } from '../../store/schema.ts';
import type { Hub } from '../core/hub.ts';
import { checkClientMetadata, OAuthRefusal, type OAuthClient } from './oauth.ts';
import { onFirstUse } from '../../domain/first-use.ts';

/** How the hub reaches client metadata documents: a fetch that refuses addresses inside the network. */
export type ClientDocuments = {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Hosts the operator lets documents come from though inside the network (WGHUB_CLIENT_METADATA_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /**
   * Spends one of the asking address's registrations (a document read is a registration made for
   * the client): the rule that refuses it, or how to give back its slot once the read is over.
   */
  admit?: () => Promise<string | (() => void)>;
};

/** The setting that lets metadata documents come from hosts inside the network (docs/configuration.md). */
export const CLIENT_METADATA_ALLOWED_HOSTS = 'WGHUB_CLIENT_METADATA_ALLOWED_HOSTS';

/**
 * How documents are fetched: public addresses only, and the hosts the operator allows (the same
 * fetch as chat webhooks and evidence probes). Its HTTP client is loaded by the first document
 * fetched, so an edge that serves the consent page does not load it with its pages.
 */
export function clientDocuments(
  allowedHosts: readonly string[],
  /** Certificates to trust instead of the system's (a test's own). */
  tls: { ca?: string } = {},
): ClientDocuments {
  // the address-checking fetch (undici) loads with the first client document read, not with every `serve`
  const load = onFirstUse(
    async () =>
      (await import('../core/public-fetch.ts')).publicOnlyFetch(allowedHosts, CLIENT_METADATA_ALLOWED_HOSTS, tls).fetch,
  );
  return { fetch: async (url, init) => (await load())(url, init), allowedHosts };
}

/** Why a client's metadata document cannot be used: said to the person on the consent page. */
export class ClientDocumentProblem extends Error {}

const FAILURE_MS = 60_000;
const FETCHES_AT_ONCE = 8;
/**
 * What the process remembers for each database it serves (keyed by the hub's store): documents that
 * could not be used, until when by that hub's clock, and the fetches running, each of which keeps
 * what it read in that database. One hub's failure is never another's answer (tests run several
 * hubs in one process, each with a clock of its own).
 */
const byStore = new WeakMap<
  object,
  { failures: Map<string, { until: number; why: string }>; inFlight: Map<string, Promise<OAuthClient>> }
>();

function remembered(hub: Hub) {
  let kept = byStore.get(hub.store);
  if (!kept) {
    kept = { failures: new Map(), inFlight: new Map() };
    byStore.set(hub.store, kept);
  }
  return kept;
}

type Kept = { fetchedAt: string; seconds: number };

/** The client a metadata document URL names: as kept, while fresh, or fetched and checked anew. */
export async function clientFromDocument(hub: Hub, url: string, docs: ClientDocuments): Promise<OAuthClient> {
  const problem = metadataDocumentIdProblem(url);
  if (problem) throw new ClientDocumentProblem(`its client_id ${problem}`);
  const kept = await keptClient(hub, url);
  if (kept) return kept;
  const { failures, inFlight } = remembered(hub);
  const failed = failures.get(url);
  if (failed && failed.until > hub.clock.now().getTime()) throw new ClientDocumentProblem(failed.why);
  let running = inFlight.get(url);
  if (!running) {
    // whoever sends a browser (or a script) to the consent page with a URL spends their address's
    // registrations on it, and the hub fetches only a few documents at once: it is nobody's fetcher
    const admitted = docs.admit ? await docs.admit() : undefined;
    if (typeof admitted === 'string')
      throw new ClientDocumentProblem(
        `this hub reads clients' metadata documents as registrations, and this address has used its share (${admitted}); try again later`,
      );
    running = inFlight.get(url);
    if (!running) {
      if (inFlight.size >= FETCHES_AT_ONCE) {
        admitted?.();
        throw new ClientDocumentProblem(
          "this hub is reading other applications' metadata documents just now; try again in a moment",
        );
      }
      running = fetchAndKeep(hub, url, docs).finally(() => {
        inFlight.delete(url);
        admitted?.();
      });
      inFlight.set(url, running);
    } else admitted?.();
  }
  try {
    return await running;
  } catch (e) {
    if (!(e instanceof ClientDocumentProblem)) throw e;
    if (failures.size >= 1_000) failures.clear();
    failures.set(url, { until: hub.clock.now().getTime() + FAILURE_MS, why: e.message });
    throw e;
  }
}

async function keptClient(hub: Hub, url: string): Promise<OAuthClient | null> {
  const row = await hub.store.db
    .selectFrom('oauth_clients')
    .selectAll()
    .where('client_id', '=', url)
    .where('source', '=', 'metadata-document')
    .executeTakeFirst();
  if (!row) return null;
  const { fetchedAt, seconds } = readJson(row.metadata) as unknown as Kept;
  if (Date.parse(fetchedAt) + seconds * 1000 <= hub.clock.now().getTime()) return null;
  return {
    clientId: row.client_id,
    clientName: row.client_name,
    redirectUris: readJson(row.redirect_uris),
    source: 'metadata-document',
    registeredAt: row.registered_at,
  };
}

async function fetchAndKeep(hub: Hub, url: string, docs: ClientDocuments): Promise<OAuthClient> {
  const host = new URL(url).hostname;
  const inside = hostAllowed(host, docs.allowedHosts) ? null : internalHost(host);
  if (inside)
    throw new ClientDocumentProblem(
      `its metadata document must be on a public address; an operator may allow a host inside the network with ${CLIENT_METADATA_ALLOWED_HOSTS}`,
    );
  const { text, cacheControl } = await fetchDocument(url, docs);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ClientDocumentProblem('its metadata document is not JSON');
  }
  const checked = checkDocument(url, doc, hub.settings.appSchemes);
  const now = hub.clock.now().toISOString();
  const kept: Kept = { fetchedAt: now, seconds: metadataDocumentSeconds(cacheControl) };
  await hub.store.db
    .insertInto('oauth_clients')
    .values({
      client_id: url,
      client_name: checked.client_name,
      redirect_uris: writeJson(checked.redirect_uris),
      metadata: writeJson({ ...checked, ...kept } as Record<string, unknown>),
      source: 'metadata-document',
      registered_at: now,
      granted_at: null,
    })
    .onConflict((oc) =>
      oc.column('client_id').doUpdateSet({
        client_name: checked.client_name,
        redirect_uris: writeJson(checked.redirect_uris),
        metadata: writeJson({ ...checked, ...kept } as Record<string, unknown>),
        source: 'metadata-document',
        registered_at: now,
      }),
    )
    .execute();
  return {
    clientId: url,
    clientName: checked.client_name,
    redirectUris: checked.redirect_uris,
    source: 'metadata-document',
    registeredAt: now,
  };
}

/** The document's text, at most OAUTH.metadataDocumentBytes, within OAUTH.metadataDocumentMs, not redirected. */
async function fetchDocument(
  url: string,
  docs: ClientDocuments,
): Promise<{ text: string; cacheControl: string | null }> {
  const seconds = OAUTH.metadataDocumentMs / 1000;
  const signal = AbortSignal.timeout(OAUTH.metadataDocumentMs);
  try {
    const res = await docs.fetch(url, { headers: { Accept: 'application/json' }, redirect: 'manual', signal });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new ClientDocumentProblem(
        `its metadata document answered with a redirect (${res.status}); the client_id must be the document's own address`,
      );
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new ClientDocumentProblem(`its metadata document could not be read (HTTP ${res.status})`);
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    const tooLarge = new ClientDocumentProblem(
      `its metadata document is larger than ${OAUTH.metadataDocumentBytes} bytes`,
    );
    if (declared > OAUTH.metadataDocumentBytes) {
      await res.body?.cancel();
      throw tooLarge;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += chunk.byteLength;
      if (size > OAUTH.metadataDocumentBytes) {
        await res.body?.cancel().catch(() => {});
        throw tooLarge;
      }
      chunks.push(chunk);
    }
    return { text: Buffer.concat(chunks).toString('utf8'), cacheControl: res.headers.get('cache-control') };
  } catch (e) {
    if (e instanceof ClientDocumentProblem) throw e;
    if (signal.aborted) throw new ClientDocumentProblem(`its metadata document did not arrive within ${seconds} s`);
    // said to whoever opened the page: never what the hub's DNS answered or how a connection failed,
    // which would map the hub's network (internal names, open ports) for anyone who asks
    const cause = e instanceof Error ? (e.cause ?? e) : e;
    if (cause instanceof AddressRefused)
      throw new ClientDocumentProblem(
        `its metadata document must be on a public address; an operator may allow a host inside the network with ${CLIENT_METADATA_ALLOWED_HOSTS}`,
      );
    throw new ClientDocumentProblem('its metadata document could not be fetched');
  }
}

/**
 * The document checked as a registration is (checkClientMetadata), and as the CIMD draft asks: it
 * names its own URL as client_id, and a public client carries no secret (the hub takes no other).
 */
function checkDocument(
  url: string,
  doc: unknown,
  appSchemes: readonly string[],
): ReturnType<typeof checkClientMetadata> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new ClientDocumentProblem('its metadata document is not a JSON object');
  const m = doc as Record<string, unknown>;
  if (m.client_id !== url)
    throw new ClientDocumentProblem(
      `its metadata document's client_id must be the document's own address, ${url}; it is ${JSON.stringify(m.client_id)?.slice(0, 200)}`,
    );
  if ('client_secret' in m || 'client_secret_expires_at' in m)
    throw new ClientDocumentProblem('its metadata document must not carry a client_secret');
  const method = m.token_endpoint_auth_method;
  if (method !== undefined && method !== 'none')
    throw new ClientDocumentProblem(
      `its metadata document asks for token_endpoint_auth_method ${String(method).slice(0, 40)}; this hub takes public clients only (none, with PKCE)`,
    );
  try {
    return checkClientMetadata(m, appSchemes);
  } catch (e) {
    if (e instanceof OAuthRefusal) throw new ClientDocumentProblem(`its metadata document: ${e.description}`);
    throw e;
  }
}
