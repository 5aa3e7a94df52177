// The hub as the OAuth 2.1 authorization server of its own /mcp endpoint, for MCP clients
// (Claude, ChatGPT connectors, the MCP Inspector, VS Code): a client registers (RFC 7591), a person
// signed in to the web allows it on a consent page, and the client trades the code (PKCE S256 only)
// for an access token bound to this hub's /mcp (RFC 8707) and a refresh token that rotates. Each
// grant acts as exactly that person, through the same policies as their API tokens, and is listed
// and revoked where those are. Codes and tokens are stored as their SHA-256 only.
//
// Hand-written rather than @node-oauth/oauth2-server: that library has no client registration, no
// resource indicators, takes `plain` PKCE and code requests without PKCE unless wrapped, and works on
// Express-shaped request objects with its own redirects and error pages; the profile here is the MCP
// authorization spec's and no wider (see docs/mcp.md).
import { randomBytes } from 'node:crypto';
import { NotFound, Unauthenticated } from '../../domain/errors.ts';
import { characterCount, controlCharacterProblem, withoutZeroWidth } from '../../domain/text.ts';
import {
  challengeProblem,
  grantedScope,
  OAUTH,
  PREFIX,
  redirectHost,
  redirectUriMatches,
  redirectUriProblem,
  sameResource,
  verifierAnswers,
} from '../../domain/oauth.ts';
import type { Can, TokenAction } from '../../domain/policies/index.ts';
import { readJson, writeJson, type PeopleTable } from '../../store/schema.ts';
import { inTransaction, nowIso, record, SYSTEM, type Actor, type Hub, type Tx } from '../core/hub.ts';
import { authorizePerson, tokenCan } from './access.ts';
import { ClientDocumentProblem, clientFromDocument, type ClientDocuments } from './client-metadata.ts';
import { personRow } from './people.ts';
import { sha256Hex } from './tokens.ts';

/** An OAuth error as the protocol words it (RFC 6749 §5.2, RFC 7591 §3.2.2): the code and a description. */
export class OAuthRefusal extends Error {
  readonly error: string;
  readonly description: string;
  readonly status: number;
  constructor(error: string, description: string, status = 400) {
    super(description);
    this.error = error;
    this.description = description;
    this.status = status;
  }
}

/**
 * An access token that is good but whose grant does not carry the scope the resource needs (RFC 6750
 * §3.1 insufficient_scope): /mcp answers 403 naming the scope, and the client authorizes again.
 */
export class InsufficientScope extends Error {
  readonly needed: string;
  constructor(needed: string, granted: string) {
    super(`the access token was granted the scope "${granted}"; /mcp needs "${needed}": authorize the client again`);
    this.needed = needed;
  }
}

export type OAuthClient = {
  clientId: string;
  clientName: string;
  redirectUris: string[];
  source: 'registration' | 'metadata-document';
  registeredAt: string;
};

/** What RFC 7591 answers to a registration: the client as registered. */
export type RegisteredClient = {
  client_id: string;
  client_id_issued_at: number;
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'none';
  scope: string;
};

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * A client's metadata checked and cut to what the hub keeps (RFC 7591 §2): redirect URIs (https, or
 * http on the loopback), a name, the two grant types. Other fields (`client_uri`, `logo_uri`,
 * `tos_uri`, `policy_uri`, `contacts`, `jwks`…) are ignored whatever they hold, as the RFC allows: they
 * are neither stored nor answered nor shown on the consent page. A
 * client asking for a secret is registered as a public one (`none`): PKCE is its proof.
 */
export function checkClientMetadata(
  raw: unknown,
  /** The operator's additions to the apps' private-use schemes (HubSettings.appSchemes). */
  appSchemes: readonly string[] = [],
): Omit<RegisteredClient, 'client_id' | 'client_id_issued_at'> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new OAuthRefusal('invalid_client_metadata', 'the registration must be a JSON object');
  const m = raw as Record<string, unknown>;
  const uris = m.redirect_uris;
  if (!isStringArray(uris) || uris.length === 0)
    throw new OAuthRefusal('invalid_redirect_uri', 'redirect_uris: must be a list of at least one URI');
  if (uris.length > OAUTH.redirectUris)
    throw new OAuthRefusal('invalid_redirect_uri', `redirect_uris: at most ${OAUTH.redirectUris} may be registered`);
  for (const [i, u] of uris.entries()) {
    const problem = redirectUriProblem(u, appSchemes);
    if (problem) throw new OAuthRefusal('invalid_redirect_uri', `redirect_uris[${i}]: ${problem}`);
  }
  const invalid = (field: string, rule: string) => new OAuthRefusal('invalid_client_metadata', `${field}: ${rule}`);
  let name = m.client_name;
  if (name !== undefined && typeof name !== 'string') throw invalid('client_name', 'must be a string');
  // the consent page names the client by it: no character that reorders or hides what the person
  // reads (a right-to-left override turns "Evil ppA" into a familiar name), as for any one-line field
  name = withoutZeroWidth((name as string | undefined) ?? '').trim();
  if (characterCount(name as string) > OAUTH.clientName)
    throw invalid('client_name', `must be at most ${OAUTH.clientName} characters`);
  const problem = controlCharacterProblem(name as string, false);
  if (problem) throw invalid('client_name', problem);
  // absent, a list defaults (RFC 7591 §2); present, it is checked as sent: `response_types: []` or
  // `grant_types: null` were taken as the defaults, so a client's mistake passed unseen (attack round 30)
  const list = (field: string, fallback: string[]): string[] => {
    const v = m[field];
    if (v === undefined) return fallback;
    if (!isStringArray(v)) throw invalid(field, 'must be a list of strings (leave it out for the default)');
    if (v.length === 0) throw invalid(field, 'must not be an empty list (leave it out for the default)');
    return v;
  };
  const grants = list('grant_types', ['authorization_code', 'refresh_token']);
  if (!grants.includes('authorization_code'))
    throw invalid('grant_types', 'must be a list including authorization_code');
  const other = grants.find((g) => g !== 'authorization_code' && g !== 'refresh_token');
  if (other)
    throw invalid('grant_types', `only authorization_code and refresh_token are offered; ${other.slice(0, 60)} is not`);
  const responses = list('response_types', ['code']);
  if (responses.some((r) => r !== 'code')) throw invalid('response_types', 'only code is offered');
  const method = m.token_endpoint_auth_method;
  if (method !== undefined && typeof method !== 'string')
    throw invalid('token_endpoint_auth_method', 'must be a string');
  const scope = m.scope;
  if (scope !== undefined && (typeof scope !== 'string' || scope.length > OAUTH.param))
    throw invalid('scope', `must be a string of at most ${OAUTH.param} characters`);
  return {
    client_name: (name as string) || 'An unnamed client',
    redirect_uris: [...new Set(uris)],
    grant_types: [...new Set(['authorization_code', ...grants])],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: OAUTH.scope,
  };
}

/** Registers a client (RFC 7591, open registration): anyone may, so the consent page marks it unverified. */
export async function registerClient(hub: Hub, raw: unknown): Promise<RegisteredClient> {
  const checked = checkClientMetadata(raw, hub.settings.appSchemes);
  const clientId = randomBytes(16).toString('base64url');
  const at = hub.clock.now();
  await hub.store.db
    .insertInto('oauth_clients')
    .values({
      client_id: clientId,
      client_name: checked.client_name,
      redirect_uris: writeJson(checked.redirect_uris),
      metadata: writeJson(checked as Record<string, unknown>),
      source: 'registration',
      registered_at: at.toISOString(),
      granted_at: null,
    })
    .execute();
  await evictWaitingClients(hub);
  return { client_id: clientId, client_id_issued_at: Math.floor(at.getTime() / 1000), ...checked };
}

/**
 * Keeps the registrations nobody has allowed yet to OAUTH.waitingClients, dropping the oldest: open
 * registration cannot grow the table without bound, and no new client is ever refused for it.
 * A client someone allowed is never dropped here.
 */
async function evictWaitingClients(hub: Hub): Promise<void> {
  const beyond = await hub.store.db
    .selectFrom('oauth_clients')
    .select('client_id')
    .where('granted_at', 'is', null)
    .orderBy('registered_at', 'desc')
    .orderBy('client_id', 'desc')
    .limit(100)
    .offset(OAUTH.waitingClients)
    .execute();
  if (beyond.length)
    await hub.store.db
      .deleteFrom('oauth_clients')
      .where('granted_at', 'is', null)
      .where(
        'client_id',
        'in',
        beyond.map((r) => r.client_id),
      )
      .execute();
}

/**
 * Drops what no longer works or was never used (an hourly timer, src/cli/serve.ts): expired codes
 * and tokens, grants revoked more than OAUTH.revokedDays ago and grants whose tokens all expired,
 * and clients nobody allowed within OAUTH.unallowedClientDays. Returns what it dropped.
 */
export async function pruneOAuth(
  hub: Hub,
): Promise<{ codes: number; tokens: number; grants: number; clients: number }> {
  const now = hub.clock.now();
  const nowAt = now.toISOString();
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  const db = hub.store.db;
  const codes = await db.deleteFrom('oauth_codes').where('expires_at', '<', nowAt).executeTakeFirst();
  let tokens = Number(
    (await db.deleteFrom('oauth_tokens').where('expires_at', '<', nowAt).executeTakeFirst()).numDeletedRows,
  );
  // a grant is over when revoked long ago, or when nothing of it works any more (30 days unused)
  const over = (
    await db
      .selectFrom('oauth_grants as g')
      .select('g.id')
      .where((eb) =>
        eb.or([
          eb('g.revoked_at', '<', daysAgo(OAUTH.revokedDays)),
          eb.and([
            eb('g.created_at', '<', daysAgo(1)),
            eb.not(
              eb.exists(eb.selectFrom('oauth_tokens as t').select('t.grant_id').whereRef('t.grant_id', '=', 'g.id')),
            ),
          ]),
        ]),
      )
      .limit(10_000)
      .execute()
  ).map((r) => r.id);
  if (over.length) {
    tokens += Number(
      (await db.deleteFrom('oauth_tokens').where('grant_id', 'in', over).executeTakeFirst()).numDeletedRows,
    );
    await db.updateTable('oauth_codes').set({ grant_id: null }).where('grant_id', 'in', over).execute();
    await db.deleteFrom('oauth_grants').where('id', 'in', over).execute();
  }
  const clients = await db
    .deleteFrom('oauth_clients')
    .where('granted_at', 'is', null)
    .where('registered_at', '<', daysAgo(OAUTH.unallowedClientDays))
    .executeTakeFirst();
  return {
    codes: Number(codes.numDeletedRows),
    tokens,
    grants: over.length,
    clients: Number(clients.numDeletedRows),
  };
}

/** A registered client, or null. */
export async function findClient(hub: Hub, clientId: string): Promise<OAuthClient | null> {
  if (!clientId || clientId.length > OAUTH.redirectUri) return null;
  const row = await hub.store.db
    .selectFrom('oauth_clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    clientId: row.client_id,
    clientName: row.client_name,
    redirectUris: readJson(row.redirect_uris),
    source: row.source as OAuthClient['source'],
    registeredAt: row.registered_at,
  };
}

/** An authorization request that passed every check: what the consent page shows and its form sends back. */
export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string | undefined;
  resource: string;
  scope: string;
};

export type AuthorizationCheck =
  /** Not to be sent to a redirect URI not known to be the client's: shown on the page. */
  | { ok: false; show: string }
  /**
   * An error for the client, at its registered redirect URI (RFC 6749 §4.1.2.1). Anyone may register
   * a client, so its redirect URI is not trusted: the page shows the error and lets the person take
   * it back to the client, never redirecting by itself (RFC 9700 §4.11.2, no open redirector).
   */
  | { ok: false; error: string; description: string; redirect: string }
  | { ok: true; client: OAuthClient; request: AuthorizationRequest };

export type AuthorizationParams = Record<string, string | undefined>;

/** The redirect URI with the response's parameters added (and `iss`, RFC 9207). */
export function redirectWith(uri: string, params: Record<string, string | undefined>, issuer: string): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries({ ...params, iss: issuer })) if (v !== undefined) u.searchParams.set(k, v);
  return u.href;
}

/**
 * Checks an authorization request (RFC 6749 §4.1.1 with PKCE, RFC 8707): first the client and
 * the redirect URI, whose errors are shown to the person; then everything else, whose errors go
 * back to the client at that URI with its `state`.
 */
export async function checkAuthorization(
  hub: Hub,
  q: AuthorizationParams,
  ours: { resource: string; issuer: string; documents?: ClientDocuments },
): Promise<AuthorizationCheck> {
  const clientId = q.client_id;
  if (!clientId) return { ok: false, show: 'The request names no client (client_id is missing).' };
  let client: OAuthClient | null;
  if (ours.documents && /^https:/i.test(clientId)) {
    // a Client ID Metadata Document: the client's name and redirect URIs are read from its URL
    try {
      client = await clientFromDocument(hub, clientId, ours.documents);
    } catch (e) {
      if (!(e instanceof ClientDocumentProblem)) throw e;
      return {
        ok: false,
        show: `The application names itself by the address ${clientId.slice(0, 200)}, but ${e.message}, so this hub cannot tell where to send you back.`,
      };
    }
  } else client = await findClient(hub, clientId);
  if (!client)
    return {
      ok: false,
      show: `The application that sent you here is not registered with this hub (its client_id is unknown; a registration nobody allows within ${OAUTH.unallowedClientDays} days is dropped). Remove this hub from the application and add it again, so that it registers anew.`,
    };
  let redirectUri = q.redirect_uri;
  if (!redirectUri) {
    if (client.redirectUris.length !== 1)
      return { ok: false, show: `${client.clientName} did not say where to send you back (redirect_uri is missing).` };
    redirectUri = client.redirectUris[0]!;
  }
  if (!redirectUriMatches(client.redirectUris, redirectUri))
    return {
      ok: false,
      show: `${client.clientName} asked to send you back to an address it did not register (${redirectUri.slice(0, 200)}), so this hub will not send you there.`,
    };
  const state = q.state;
  const fail = (error: string, description: string): AuthorizationCheck => ({
    ok: false,
    error,
    description,
    redirect: redirectWith(redirectUri, { error, error_description: description, state }, ours.issuer),
  });
  if (state !== undefined && state.length > OAUTH.param)
    return fail('invalid_request', `state must be at most ${OAUTH.param} characters`);
  if (q.response_type !== 'code')
    return q.response_type
      ? fail('unsupported_response_type', 'only response_type=code is offered')
      : fail('invalid_request', 'response_type is required (code)');
  const pkce = challengeProblem(q.code_challenge, q.code_challenge_method);
  if (pkce) return fail('invalid_request', pkce);
  const resource = q.resource ?? ours.resource;
  if (!sameResource(resource, ours.resource))
    return fail('invalid_target', `resource must be this hub's MCP endpoint, ${ours.resource}`);
  if (q.scope !== undefined && q.scope.length > OAUTH.param)
    return fail('invalid_scope', `scope must be at most ${OAUTH.param} characters`);
  return {
    ok: true,
    client,
    request: {
      clientId,
      redirectUri,
      codeChallenge: q.code_challenge!,
      state,
      resource: ours.resource,
      scope: grantedScope(q.scope),
    },
  };
}

/** The person allowed the client: a code for it, single use and short-lived, at its redirect URI. */
export async function allowAuthorization(
  hub: Hub,
  actor: Actor & { kind: 'person' },
  request: AuthorizationRequest,
  issuer: string,
): Promise<string> {
  const code = PREFIX.code + randomBytes(32).toString('base64url');
  const now = hub.clock.now();
  await hub.store.db
    .insertInto('oauth_codes')
    .values({
      code_hash: sha256Hex(code),
      client_id: request.clientId,
      person_id: actor.person.id,
      redirect_uri: request.redirectUri,
      code_challenge: request.codeChallenge,
      resource: request.resource,
      scope: request.scope,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + OAUTH.codeSeconds * 1000).toISOString(),
      used_at: null,
      grant_id: null,
    })
    .execute();
  // someone allowed it: kept from now on (only registrations nobody allowed are dropped)
  await hub.store.db
    .updateTable('oauth_clients')
    .set({ granted_at: now.toISOString() })
    .where('client_id', '=', request.clientId)
    .where('granted_at', 'is', null)
    .execute();
  return redirectWith(request.redirectUri, { code, state: request.state }, issuer);
}

/** The person said no: the client hears access_denied (RFC 6749 §4.1.2.1). */
export function denyAuthorization(request: AuthorizationRequest, issuer: string): string {
  return redirectWith(
    request.redirectUri,
    { error: 'access_denied', error_description: 'the person did not allow it', state: request.state },
    issuer,
  );
}

/** What the token endpoint answers (RFC 6749 §5.1). */
export type TokenResponse = {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
};

type Form = Record<string, string | undefined>;

function required(form: Form, name: string): string {
  const v = form[name];
  if (!v) throw new OAuthRefusal('invalid_request', `${name} is required`);
  if (v.length > OAUTH.redirectUri) throw new OAuthRefusal('invalid_request', `${name} is too long`);
  return v;
}

/** Revokes a grant (its tokens stop working at once), recording who did it. */
async function endGrant(hub: Hub, grantId: string, actor: Actor, why: string): Promise<void> {
  await inTransaction(hub, async (trx) => {
    const g = await trx
      .selectFrom('oauth_grants as g')
      .innerJoin('people as p', 'p.id', 'g.person_id')
      .select(['g.revoked_at', 'g.client_name', 'p.handle'])
      .where('g.id', '=', grantId)
      .executeTakeFirst();
    if (!g || g.revoked_at) return;
    await trx
      .updateTable('oauth_grants')
      .set({ revoked_at: nowIso(hub) })
      .where('id', '=', grantId)
      .execute();
    // the client's name stays with the grant (its person's to read); the public log keeps the id and
    // why, one of the hub's own phrases ("its authorization code was used twice")
    await record(trx, hub, actor, 'oauth.revoked', { type: 'person', id: g.handle }, null, { grantId, why });
  });
}

async function newTokens(hub: Hub, db: Tx, grantId: string, scope: string): Promise<TokenResponse> {
  const now = hub.clock.now();
  const access = PREFIX.access + randomBytes(32).toString('base64url');
  const refresh = PREFIX.refresh + randomBytes(32).toString('base64url');
  await db
    .insertInto('oauth_tokens')
    .values([
      {
        token_hash: sha256Hex(access),
        grant_id: grantId,
        kind: 'access',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + OAUTH.accessSeconds * 1000).toISOString(),
        used_at: null,
      },
      {
        token_hash: sha256Hex(refresh),
        grant_id: grantId,
        kind: 'refresh',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + OAUTH.refreshDays * 86_400_000).toISOString(),
        used_at: null,
      },
    ])
    .execute();
  return { access_token: access, token_type: 'Bearer', expires_in: OAUTH.accessSeconds, refresh_token: refresh, scope };
}

/**
 * The authorization code grant (RFC 6749 §4.1.3 with PKCE). Only a request that could redeem the
 * code (its client, redirect URI and PKCE verifier) counts as using it: someone holding a leaked
 * code without its verifier is refused and spends nothing. A code is used once whatever follows, so
 * a second use revokes what the first one made (§4.1.2); the code is claimed and its grant written
 * in one transaction, so a second request racing the first finds that grant to revoke.
 */
export async function exchangeCode(hub: Hub, form: Form): Promise<TokenResponse> {
  const code = required(form, 'code');
  const verifier = required(form, 'code_verifier');
  const clientId = required(form, 'client_id');
  // RFC 6749 asks for redirect_uri only if the authorization request sent it; a client with one
  // registered URI may leave it out of both (the code can then only carry that one, so nothing is lost)
  const registered = form.redirect_uri ? null : (await findClient(hub, clientId))?.redirectUris;
  const redirectUri = registered?.length === 1 ? registered[0]! : required(form, 'redirect_uri');
  const hash = sha256Hex(code);
  const row = await hub.store.db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst();
  if (!row) throw new OAuthRefusal('invalid_grant', 'the authorization code is not known');
  if (row.client_id !== clientId)
    throw new OAuthRefusal('invalid_grant', 'the authorization code was issued to another client');
  if (row.redirect_uri !== redirectUri)
    throw new OAuthRefusal('invalid_grant', 'redirect_uri must be the one the authorization was asked with');
  if (!verifierAnswers(verifier, row.code_challenge))
    throw new OAuthRefusal('invalid_grant', 'code_verifier does not match the code_challenge (PKCE S256)');
  if (form.resource !== undefined && !sameResource(form.resource, row.resource))
    throw new OAuthRefusal('invalid_target', `resource must be the one authorized, ${row.resource}`);
  const now = nowIso(hub);
  const usedTwice = async (): Promise<never> => {
    const again = await hub.store.db
      .selectFrom('oauth_codes')
      .select('grant_id')
      .where('code_hash', '=', hash)
      .executeTakeFirst();
    if (again?.grant_id) await endGrant(hub, again.grant_id, SYSTEM, 'its authorization code was used twice');
    throw new OAuthRefusal(
      'invalid_grant',
      'the authorization code was already used; a code works once, and the tokens issued for it are revoked',
    );
  };
  if (row.used_at) return usedTwice();
  if (row.expires_at <= now)
    throw new OAuthRefusal('invalid_grant', `the authorization code expired at ${row.expires_at}`);
  const client = await findClient(hub, clientId);
  const grantId = hub.newId();
  const tokens = await inTransaction(hub, async (trx) => {
    // on PostgreSQL a second request waits here for the first to commit, then finds the code used
    const claimed = await trx
      .updateTable('oauth_codes')
      .set({ used_at: now, grant_id: grantId })
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    const person = await trx.selectFrom('people').selectAll().where('id', '=', row.person_id).executeTakeFirstOrThrow();
    await trx
      .insertInto('oauth_grants')
      .values({
        id: grantId,
        person_id: row.person_id,
        client_id: clientId,
        client_name: client?.clientName ?? 'A removed client',
        redirect_uri: row.redirect_uri,
        resource: row.resource,
        scope: row.scope,
        created_at: now,
        last_used_at: now,
        revoked_at: null,
      })
      .execute();
    // which client and where it signs in back to stay with the grant: the public log keeps the id
    await record(trx, hub, { kind: 'person', person }, 'oauth.granted', { type: 'person', id: person.handle }, null, {
      grantId,
    });
    return newTokens(hub, trx, grantId, row.scope);
  });
  return tokens ?? usedTwice();
}

/**
 * The refresh token grant (RFC 6749 §6) with rotation (OAuth 2.1 §4.3.1): each refresh token works
 * once. Used again within OAUTH.refreshReuseSeconds of its first use, and before any later refresh,
 * it is the same client's requests racing to refresh, and gets new tokens too; otherwise it was
 * copied, and the grant is revoked. The tokens such a race hands out are one generation: the first of
 * them used retires the others, so a copy cannot live on beside the client's own (a fork), and
 * using a retired one revokes the grant like any copied token (RFC 9700 §4.14.2). Each refresh runs
 * in one transaction holding its grant (a row lock on PostgreSQL), so no two interleave.
 */
export async function refreshTokens(hub: Hub, form: Form): Promise<TokenResponse> {
  const token = required(form, 'refresh_token');
  const clientId = required(form, 'client_id');
  const hash = sha256Hex(token);
  const now = nowIso(hub);
  const answer = await inTransaction(hub, async (trx) => {
    const known = await trx
      .selectFrom('oauth_tokens')
      .select('grant_id')
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (!known) throw new OAuthRefusal('invalid_grant', 'the refresh token is not known');
    let held = trx.selectFrom('oauth_grants').selectAll().where('id', '=', known.grant_id);
    if (hub.store.kind === 'postgres') held = held.forUpdate();
    const g = await held.executeTakeFirstOrThrow();
    const t = await trx.selectFrom('oauth_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirstOrThrow();
    if (t.kind !== 'refresh') throw new OAuthRefusal('invalid_grant', 'the refresh token is not known');
    if (g.client_id !== clientId)
      throw new OAuthRefusal('invalid_grant', 'the refresh token was issued to another client');
    if (g.revoked_at)
      throw new OAuthRefusal('invalid_grant', `the access was revoked at ${g.revoked_at}; authorize again`);
    if (t.expires_at <= now) throw new OAuthRefusal('invalid_grant', `the refresh token expired at ${t.expires_at}`);
    if (form.resource !== undefined && !sameResource(form.resource, g.resource))
      throw new OAuthRefusal('invalid_target', `resource must be the one authorized, ${g.resource}`);
    if (form.scope !== undefined && form.scope.split(' ').some((s) => s && s !== g.scope && s !== 'offline_access'))
      throw new OAuthRefusal('invalid_scope', `scope may be at most what was granted: ${g.scope}`);
    // the grant's newest refresh: every token made before it and still unused was retired by it
    const lastRefresh = g.last_used_at ?? g.created_at;
    if (!t.used_at) {
      if (t.created_at < lastRefresh) return { copied: g.id, why: 'a retired refresh token was used' };
      await trx.updateTable('oauth_tokens').set({ used_at: now }).where('token_hash', '=', hash).execute();
      await trx.updateTable('oauth_grants').set({ last_used_at: now }).where('id', '=', g.id).execute();
      return newTokens(hub, trx, g.id, g.scope);
    }
    const graceEnds = new Date(Date.parse(t.used_at) + OAUTH.refreshReuseSeconds * 1000).toISOString();
    if (now <= graceEnds && t.used_at === lastRefresh) return newTokens(hub, trx, g.id, g.scope);
    return { copied: g.id, why: 'a refresh token was used twice' };
  });
  if ('access_token' in answer) return answer;
  await endGrant(hub, answer.copied, SYSTEM, answer.why);
  throw new OAuthRefusal(
    'invalid_grant',
    'the refresh token was already used or replaced (each works once); the access is revoked, authorize again',
  );
}

/** Token revocation by the client (RFC 7009): the grant behind the token ends; unknown tokens are no error. */
export async function revokeByClient(hub: Hub, form: Form): Promise<void> {
  const token = required(form, 'token');
  const clientId = form.client_id;
  const row = await hub.store.db
    .selectFrom('oauth_tokens as t')
    .innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
    .select(['g.id', 'g.client_id'])
    .where('t.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row) return;
  if (clientId && row.client_id !== clientId)
    throw new OAuthRefusal('invalid_client', 'the token was issued to another client', 401);
  await endGrant(hub, row.id, SYSTEM, 'its client revoked it');
}

/**
 * Whether an access token signs someone in now, whatever resource it was issued for: known, an access
 * token, not expired, its grant not revoked (a revoked grant's tokens stay until pruned). The rate limits
 * ask it of a token they have not seen (src/http/known-credentials.ts).
 */
export async function accessTokenSignsIn(hub: Hub, token: string): Promise<boolean> {
  const row = await hub.store.db
    .selectFrom('oauth_tokens as t')
    .innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
    .select('t.token_hash')
    .where('t.token_hash', '=', sha256Hex(token))
    .where('t.kind', '=', 'access')
    .where('t.expires_at', '>', nowIso(hub))
    .where('g.revoked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** The person an access token acts for at `resource`; refused with the reason when it does not. */
export async function personForAccessToken(hub: Hub, token: string, resource: string): Promise<PeopleTable> {
  const row = await hub.store.db
    .selectFrom('oauth_tokens as t')
    .innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
    .innerJoin('people as p', 'p.id', 'g.person_id')
    .selectAll('p')
    .select(['t.kind as token_kind', 't.expires_at as token_expires_at', 'g.revoked_at as grant_revoked_at'])
    .select(['g.resource as grant_resource', 'g.scope as grant_scope'])
    .where('t.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.token_kind !== 'access') throw new Unauthenticated('the access token is not known');
  if (row.grant_revoked_at)
    throw new Unauthenticated(`the access was revoked at ${row.grant_revoked_at}; authorize the client again`);
  if (row.token_expires_at <= nowIso(hub))
    throw new Unauthenticated(`the access token expired at ${row.token_expires_at}; refresh it`);
  if (!sameResource(row.grant_resource, resource))
    throw new Unauthenticated(`the access token was issued for ${row.grant_resource}, not for ${resource}`);
  if (!row.grant_scope.split(' ').includes(OAUTH.scope)) throw new InsufficientScope(OAUTH.scope, row.grant_scope);
  const {
    token_kind: _k,
    token_expires_at: _e,
    grant_revoked_at: _r,
    grant_resource: _g,
    grant_scope: _s,
    ...person
  } = row;
  return person;
}

/** One client acting as a person through /mcp, as the person and those who manage their tokens see it. */
export type GrantView = {
  id: string;
  person: string;
  client: { id: string; name: string; verified: false };
  redirectHost: string;
  scope: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  can: Can<TokenAction>;
};

/**
 * A person's MCP client grants, newest first, with what the viewer may do with each (revoke it):
 * seen by whoever may manage their API tokens (by default the operator's command line).
 */
export async function listGrants(hub: Hub, handle: string, viewer: Actor = SYSTEM): Promise<GrantView[]> {
  const p = await personRow(hub.store.db, handle);
  authorizePerson(hub, viewer, p, 'manageTokens');
  const rows = await hub.store.db
    .selectFrom('oauth_grants')
    .selectAll()
    .where('person_id', '=', p.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((g) => ({
    id: g.id,
    person: p.handle,
    client: { id: g.client_id, name: g.client_name, verified: false },
    redirectHost: redirectHost(g.redirect_uri),
    scope: g.scope,
    createdAt: g.created_at,
    lastUsedAt: g.last_used_at,
    revokedAt: g.revoked_at,
    can: tokenCan(hub, viewer, p, g.revoked_at),
  }));
}

/** Revokes a grant by whoever may manage its person's tokens: its access and refresh tokens stop at once. */
export async function revokeGrant(hub: Hub, actor: Actor, id: string): Promise<GrantView> {
  const g = await hub.store.db
    .selectFrom('oauth_grants as g')
    .innerJoin('people as p', 'p.id', 'g.person_id')
    .select(['g.person_id', 'p.handle', 'p.role'])
    .where('g.id', '=', id)
    .executeTakeFirst();
  if (!g) throw new NotFound('MCP client grant', id);
  authorizePerson(hub, actor, { id: g.person_id, role: g.role }, 'manageTokens');
  await endGrant(hub, id, actor, 'revoked by hand');
  return (await listGrants(hub, g.handle, actor)).find((x) => x.id === id)!;
}
