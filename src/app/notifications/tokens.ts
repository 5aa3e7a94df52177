// The secrets in a person's mail: a reply address and a one-click unsubscribe link. Each is an
// HMAC of (purpose, person, subject, epoch, and for a reply address the notification) under a key
// the hub made for itself, so a retried mail carries the same token; only its SHA-256 is stored,
// mapped to whom and what it is for. Revoking marks the person's reply tokens revoked and bumps
// their epoch, so mail sent afterwards carries new tokens and old ones stop working. A reply
// address works once (replies.ts).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Hub, Tx } from '../core/hub.ts';

export type TokenPurpose = 'reply' | 'unsubscribe';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function hubKey(db: Tx, name = 'mail-tokens'): Promise<string> {
  const found = await db.selectFrom('hub_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (found) return found.value;
  await db
    .insertInto('hub_secrets')
    .values({ name, value: randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await db.selectFrom('hub_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;
}

/** The token for this person and subject (32 hex characters: fits a mail address's local part). */
export async function mailToken(
  hub: Hub,
  purpose: TokenPurpose,
  person: { id: string; epoch: number },
  subject: { type: string; ref: string },
  notificationId: string | null = null,
): Promise<string> {
  const db = hub.store.db;
  const key = await hubKey(db);
  const token = createHmac('sha256', key)
    .update(
      `${purpose}\n${person.id}\n${subject.type}\n${subject.ref}\n${person.epoch}${notificationId ? `\n${notificationId}` : ''}`,
    )
    .digest('hex')
    .slice(0, 32);
  await db
    .insertInto('mail_tokens')
    .values({
      token_hash: sha256(token),
      purpose,
      person_id: person.id,
      subject_type: subject.type,
      subject_ref: subject.ref,
      created_at: hub.clock.now().toISOString(),
      revoked_at: null,
      notification_id: notificationId,
      used_at: null,
      used_message_id: null,
    })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .execute();
  return token;
}

/** Whom and what a token stands for, revoked or not; null when unknown. */
export async function findToken(db: Tx, purpose: TokenPurpose, token: string) {
  if (!/^[0-9a-f]{32}$/i.test(token)) return null;
  return (
    (await db
      .selectFrom('mail_tokens')
      .selectAll()
      .where('token_hash', '=', sha256(token.toLowerCase()))
      .where('purpose', '=', purpose)
      .executeTakeFirst()) ?? null
  );
}

/** Whom and what a token stands for; null when unknown or revoked. */
export async function resolveToken(hub: Hub, purpose: TokenPurpose, token: string) {
  if (!/^[0-9a-f]{32}$/i.test(token)) return null;
  const row = await hub.store.db
    .selectFrom('mail_tokens')
    .selectAll()
    .where('token_hash', '=', sha256(token.toLowerCase()))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  return row;
}
