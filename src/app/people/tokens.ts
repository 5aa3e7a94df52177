import { createHash, randomBytes } from 'node:crypto';
import { invalid, NotFound, Unauthenticated } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { PeopleTable } from '../../store/schema.ts';
import { inTransaction, nowIso, record, SYSTEM, type Actor, type Hub } from '../core/hub.ts';
import { holdRow } from '../core/hold.ts';
import { personRow } from './people.ts';
import { authorizePerson, tokenCan } from './access.ts';
import type { Can, TokenAction } from '../../domain/policies/index.ts';
import { CreateTokenInput } from './schemas.ts';
import { parseInput } from '../core/validate.ts';

const PREFIX = 'wgh_';

// Tokens are 32 random bytes, so a plain SHA-256 is enough to store them: there is nothing to brute-force.
/** Secrets (API tokens, web sessions) are stored only as their SHA-256. */
export const sha256Hex = (secret: string) => createHash('sha256').update(secret).digest('hex');
const hashToken = sha256Hex;

export type TokenView = {
  id: string;
  person: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** What the viewer may do with this token now (revoke it), and if not, why. */
  can: Can<TokenAction>;
};

/** Creates an API token; the secret is returned once and only its hash is stored. */
export async function createToken(
  hub: Hub,
  actor: Actor,
  handle: string,
  raw: unknown = {},
): Promise<TokenView & { token: string }> {
  return inTransaction(hub, async (trx) => {
    const p = await personRow(trx, handle);
    authorizePerson(hub, actor, p, 'createToken');
    const input = parseInput(CreateTokenInput, raw);
    await holdRow(trx, hub, 'people', p.id);
    const held = await trx
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('person_id', '=', p.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(held.n) >= LIMITS.tokensPerPerson)
      throw invalid(
        'label',
        `@${p.handle} holds ${LIMITS.tokensPerPerson} tokens, as many as one person may: revoke one no longer used first`,
      );
    const token = PREFIX + randomBytes(32).toString('base64url');
    const row = {
      id: hub.newId(),
      person_id: p.id,
      token_hash: hashToken(token),
      label: input.label,
      created_at: nowIso(hub),
      revoked_at: null,
      last_used_at: null,
    };
    await trx.insertInto('api_tokens').values(row).execute();
    // the log, which anyone reads and a public export publishes whole, keeps the id: the label, which
    // may say where the person works or what they build, stays in the token's row
    await record(trx, hub, actor, 'token.created', { type: 'person', id: p.handle }, null, { tokenId: row.id });
    return {
      id: row.id,
      person: p.handle,
      label: row.label,
      createdAt: row.created_at,
      revokedAt: null,
      lastUsedAt: null,
      can: tokenCan(hub, actor, p, null),
      token,
    };
  });
}

export async function revokeToken(hub: Hub, actor: Actor, id: string): Promise<TokenView> {
  return inTransaction(hub, async (trx) => {
    const t = await trx
      .selectFrom('api_tokens as t')
      .innerJoin('people as p', 'p.id', 't.person_id')
      .selectAll('t')
      .select(['p.handle', 'p.role'])
      .where('t.id', '=', id)
      .executeTakeFirst();
    if (!t) throw new NotFound('token', id);
    authorizePerson(hub, actor, { id: t.person_id, role: t.role }, 'manageTokens');
    const at = t.revoked_at ?? nowIso(hub);
    if (!t.revoked_at) {
      await trx.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
      await record(trx, hub, actor, 'token.revoked', { type: 'person', id: t.handle }, null, { tokenId: id });
    }
    return {
      id,
      person: t.handle,
      label: t.label,
      createdAt: t.created_at,
      revokedAt: at,
      lastUsedAt: t.last_used_at,
      can: tokenCan(hub, actor, { id: t.person_id, role: t.role }, at),
    };
  });
}

/** A person's tokens, each with what the viewer (by default the operator's command line) may do with it. */
export async function listTokens(hub: Hub, handle: string, viewer: Actor = SYSTEM): Promise<TokenView[]> {
  const p = await personRow(hub.store.db, handle);
  // which tokens someone holds and when they were last used is for whoever may manage them
  authorizePerson(hub, viewer, p, 'manageTokens');
  const rows = await hub.store.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('person_id', '=', p.id)
    .orderBy('created_at')
    .execute();
  return rows.map((t) => ({
    id: t.id,
    person: p.handle,
    label: t.label,
    createdAt: t.created_at,
    revokedAt: t.revoked_at,
    lastUsedAt: t.last_used_at,
    can: tokenCan(hub, viewer, p, t.revoked_at),
  }));
}

/** The person a bearer token acts for; a revoked or unknown token is refused with the reason. */
export async function authenticate(hub: Hub, token: string): Promise<PeopleTable> {
  // cached against the event log like other hot reads: a revocation is an event, so it ends the entry
  // a token and its person change only through writes that name no scope, so every such write drops it
  return hub.reads.get(hub, `token:${hashToken(token)}`, async () => ({
    value: await lookUpToken(hub, token),
    tags: ['tokens'],
  }));
}

async function lookUpToken(hub: Hub, token: string): Promise<PeopleTable> {
  const row = await hub.store.db
    .selectFrom('api_tokens as t')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .selectAll('p')
    .select(['t.revoked_at', 't.id as token_id'])
    .where('t.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row)
    throw new Unauthenticated('the API token is not known; create one with `wghub token create --person HANDLE`');
  if (row.revoked_at) throw new Unauthenticated(`the API token was revoked at ${row.revoked_at}; create a new one`);
  const { revoked_at: _r, token_id: _t, ...person } = row;
  return person;
}
