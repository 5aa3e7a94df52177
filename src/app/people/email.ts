// A person's mail address and its confirmation. Notices are mailed only to an address its owner
// confirmed: by opening the link in a confirmation mail (a single-use token that expires; only its
// SHA-256 is stored), or because a sign-in provider reported the address verified. Setting a new
// address keeps the previous confirmed one receiving until the new one is confirmed; clearing it
// stops mail at once. Confirmation mail is limited per person and per address (EMAIL_CONFIRMATION).
// The address is never shown to anyone but its owner, and never written to the event log.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { Forbidden, TooSoon } from '../../domain/errors.ts';
import { confirmationMayBeSent, EMAIL_CONFIRMATION, emailConfirmed } from '../../domain/people.ts';
import { ALLOWED, refused, type Verdict } from '../../domain/policies/verdict.ts';
import type { EmailConfirmationsTable, EmailConfirmedVia, PeopleTable } from '../../store/schema.ts';
import { type Actor, type Hub, inTransaction, nowIso, record, SYSTEM, type Tx } from '../core/hub.ts';
import { holdKey, holdRow } from '../core/hold.ts';
import { hubKey } from '../notifications/tokens.ts';
import { authorizePerson } from './access.ts';
import { personRow } from './people.ts';
import { sha256Hex } from './tokens.ts';
import { ConfirmEmailInput } from './schemas.ts';
import { parseInput } from '../core/validate.ts';

/** The queue of confirmation mails (worked where mail is configured) and its job's payload. */
export const CONFIRM_QUEUE = 'mail.confirm';
export const ConfirmJob = z.object({
  confirmation: z.string(),
  /** Who added the person (an invitation: the mail says how to sign in); absent for an address they set themselves. */
  invitedBy: z.string().optional(),
});

/** The event that asks for a confirmation mail; the notifications reaction queues the mail on it. */
export const CONFIRMATION_REQUESTED = 'person.email-confirmation-requested';

/** A person's own view of their mail address: shown to them alone. */
export type MailView = {
  /** The address on record (the one they gave last); null when none. */
  address: string | null;
  /** Whether `address` is confirmed, so notices are mailed to it. */
  confirmed: boolean;
  /** Where notices are mailed now: `address` once confirmed, the previous confirmed address while it waits, or null. */
  mailedTo: string | null;
  /** How `mailedTo` was confirmed: link, provider (a sign-in's verified address), on-record (before confirmation was asked for). */
  confirmedVia: EmailConfirmedVia | null;
  confirmedAt: string | null;
  /** The latest confirmation mail for `address`, while its link still works. */
  confirmation: {
    askedAt: string;
    expiresAt: string;
    /** When it went; null while it waits (or when the hub sends no mail). */
    mailedAt: string | null;
    /** Why the mail server refused it for good, if it did. */
    refused: string | null;
  } | null;
  /** The state in words, as every edge shows it. */
  status: string;
  /** Whether another confirmation mail may be asked for now, and if not why. */
  resend: Verdict;
  /** When one may be asked for again, if too many were just now. */
  resendAfter: string | null;
};

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The token in a confirmation's link: an HMAC of its id under the hub's own key, so a retried mail carries the same. */
export async function confirmationToken(db: Tx, id: string): Promise<string> {
  return createHmac('sha256', await hubKey(db, 'email-confirmations'))
    .update(`confirm\n${id}`)
    .digest('base64url');
}

/** The columns a new address (or none) sets; the previous confirmed address keeps receiving until the new one is confirmed. */
export function addressChange(address: string | null): Partial<PeopleTable> {
  if (address === null)
    return { email: null, confirmed_email: null, email_confirmed_at: null, email_confirmed_via: null };
  return { email: address };
}

/** Someone added a person with an address: their confirmation mail is an invitation, naming who added them and how to sign in. */
export type Invitation = { by: string };

/**
 * After an address was set: ask for a confirmation mail when it is new and not the confirmed one
 * (quietly not, when asked too often). Whether one was asked for.
 */
export async function confirmIfNew(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  p: PeopleTable,
  previous: string | null | undefined,
  invitation?: Invitation,
): Promise<boolean> {
  if (!p.email || p.email === previous || emailConfirmed(p)) return false;
  try {
    await requestConfirmation(trx, hub, actor, p, p.email, invitation);
    return true;
  } catch (e) {
    // the address is kept; its owner sees that no mail went, and from when they may ask for one
    if (!(e instanceof TooSoon)) throw e;
    return false;
  }
}

async function recentTimes(trx: Tx, column: 'person_id' | 'address', value: string, since: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('email_confirmations')
    .select('created_at')
    .where(column, '=', value)
    .where('created_at', '>', since)
    .execute();
  return rows.map((r) => r.created_at);
}

/** Whether a confirmation mail may go to this person at this address now (the per-person and per-address limits). */
async function mayConfirm(trx: Tx, hub: Hub, personId: string, address: string) {
  const now = hub.clock.now();
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  return confirmationMayBeSent(
    now,
    await recentTimes(trx, 'person_id', personId, since),
    await recentTimes(trx, 'address', address, since),
  );
}

/** Writes a confirmation (its token's hash) and the event that queues its mail; refuses when asked too often. */
async function requestConfirmation(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  p: PeopleTable,
  address: string,
  invitation?: Invitation,
): Promise<EmailConfirmationsTable> {
  // counted, then written: two requests at once (through two hub processes, or one) must not both
  // pass, so the person and the address are held until this transaction ends (in this order)
  await holdRow(trx, hub, 'people', p.id);
  await holdKey(trx, hub, `email-confirmation:${address}`);
  const verdict = await mayConfirm(trx, hub, p.id, address);
  if (!verdict.allowed)
    throw new TooSoon(
      `No confirmation mail was sent: ${verdict.why}; ask again after ${verdict.retryAt}`,
      verdict.retryAt,
    );
  const now = hub.clock.now();
  const id = hub.newId();
  const row: EmailConfirmationsTable = {
    id,
    person_id: p.id,
    address,
    token_hash: sha256Hex(await confirmationToken(trx, id)),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + EMAIL_CONFIRMATION.validHours * 3_600_000).toISOString(),
    mailed_at: null,
    failed_reason: null,
    used_at: null,
  };
  await trx.insertInto('email_confirmations').values(row).execute();
  // the log says a confirmation was asked for, never the address or the token
  await record(trx, hub, actor, CONFIRMATION_REQUESTED, { type: 'person', id: p.handle }, null, {
    confirmation: id,
    expiresAt: row.expires_at,
    ...(invitation ? { invitedBy: invitation.by } : {}),
  });
  return row;
}

/** Mails a new confirmation link for the person's address on record (themselves, or whoever may edit their record). */
export async function resendConfirmation(hub: Hub, actor: Actor, handle: string): Promise<MailView> {
  return inTransaction(hub, async (trx) => {
    const p = await personRow(trx, handle);
    authorizePerson(hub, actor, p, 'edit');
    if (!p.email) throw new Forbidden(`@${p.handle} has no mail address on record: give one first`);
    if (emailConfirmed(p)) throw new Forbidden(`The mail address of @${p.handle} is confirmed already`);
    await requestConfirmation(trx, hub, actor, p, p.email);
    return mailViewOf(trx, hub, p);
  });
}

/** What a confirmation link confirmed: whose address, and which. */
export type Confirmed = { handle: string; address: string };

/**
 * Confirms the address a link was mailed to: the token is the proof (no sign-in needed), it works
 * once, until it expires, and only while that address is still the one on record.
 */
export async function confirmEmail(hub: Hub, raw: unknown): Promise<Confirmed> {
  const { token } = parseInput(ConfirmEmailInput, typeof raw === 'string' ? { token: raw } : raw);
  const unknown = 'This confirmation link is not one this hub sent: check it was copied whole';
  if (!TOKEN.test(token)) throw new Forbidden(unknown);
  return inTransaction(hub, async (trx) => {
    const row = await trx
      .selectFrom('email_confirmations as c')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .selectAll('c')
      .select(['p.handle', 'p.email'])
      .where('c.token_hash', '=', sha256Hex(token))
      .executeTakeFirst();
    if (!row) throw new Forbidden(unknown);
    const again = 'ask for a new one on your profile page';
    if (row.used_at) throw new Forbidden(`This confirmation link was used already on ${row.used_at}`);
    const now = nowIso(hub);
    if (row.expires_at <= now) throw new Forbidden(`This confirmation link expired on ${row.expires_at}: ${again}`);
    if (row.email?.toLowerCase() !== row.address)
      throw new Forbidden(`This link confirms an address that is no longer the one on record for @${row.handle}`);
    const used = await trx
      .updateTable('email_confirmations')
      .set({ used_at: now })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new Forbidden('This confirmation link was used a moment ago');
    await markConfirmed(trx, hub, row.person_id, row.handle, row.address, 'link', SYSTEM);
    // the link was read in that mailbox, so it takes mail now, whatever an earlier refusal said
    await trx
      .updateTable('mail_addresses')
      .set({ status: 'ok', reason: 'confirmed by its owner', changed_at: now })
      .where('address', '=', row.address)
      .where('status', '=', 'failing')
      .execute();
    return { handle: row.handle, address: row.address };
  });
}

async function markConfirmed(
  trx: Tx,
  hub: Hub,
  personId: string,
  handle: string,
  address: string,
  via: EmailConfirmedVia,
  actor: Actor,
  facts: Record<string, string> = {},
): Promise<void> {
  await trx
    .updateTable('people')
    .set({ confirmed_email: address, email_confirmed_at: nowIso(hub), email_confirmed_via: via })
    .where('id', '=', personId)
    .execute();
  // no address in the log: it is never shown
  await record(trx, hub, actor, 'person.email-confirmed', { type: 'person', id: handle }, null, { via, ...facts });
}

/**
 * A sign-in provider reported this address verified (OIDC `email_verified: true`): it is recorded
 * as confirmed without a mail, when the person has no address on record or it is this one. An
 * address the person chose that differs is left as they chose it.
 */
export async function recordVerifiedEmail(
  hub: Hub,
  personId: string,
  claims: { email?: string | null; emailVerified?: boolean; issuer: string },
): Promise<void> {
  const address = claims.email?.trim().toLowerCase();
  if (!address || claims.emailVerified !== true || !z.email().safeParse(address).success || address.length > 254)
    return;
  await inTransaction(hub, async (trx) => {
    const p = await trx.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
    if (!p || (p.email && p.email.toLowerCase() !== address) || p.confirmed_email === address) return;
    const actor = { kind: 'system', label: 'sign-in' } as const;
    if (!p.email)
      // vouched for by the provider, not typed by the person: it may link their other sign-ins (migration 215)
      await trx.updateTable('people').set({ email: address, email_set_by_self: 0 }).where('id', '=', p.id).execute();
    await markConfirmed(trx, hub, p.id, p.handle, address, 'provider', actor, { issuer: claims.issuer });
  });
}

/** The person's own view of their address and its confirmation. */
export async function mailViewOf(db: Tx, hub: Hub, p: PeopleTable): Promise<MailView> {
  const address = p.email?.toLowerCase() ?? null;
  const confirmed = emailConfirmed(p);
  const now = nowIso(hub);
  const latest =
    address && !confirmed
      ? await db
          .selectFrom('email_confirmations')
          .selectAll()
          .where('person_id', '=', p.id)
          .where('address', '=', address)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst()
      : undefined;
  const limit = address && !confirmed ? await mayConfirm(db, hub, p.id, address) : null;
  const resend: Verdict = !address
    ? refused('There is no mail address on record to confirm')
    : confirmed
      ? refused('The mail address is confirmed already')
      : limit && !limit.allowed
        ? refused(`Another confirmation mail may be asked for after ${limit.retryAt}: ${limit.why}`)
        : ALLOWED;
  const mailedTo = p.confirmed_email ?? null;
  const status = !address
    ? 'No mail address on record: notices reach you only in the inbox.'
    : confirmed
      ? p.email_confirmed_via === 'on-record'
        ? 'Confirmed: it was on record before this hub asked for confirmation, and notices are mailed to it.'
        : p.email_confirmed_via === 'provider'
          ? 'Confirmed: your sign-in provider reported it verified; notices are mailed to it.'
          : 'Confirmed: notices are mailed to it.'
      : `Not confirmed yet: nothing is mailed to it until you open the link in the confirmation mail. ${
          mailedTo ? `Until then notices are still mailed to ${mailedTo}.` : 'Until then you are not reachable by mail.'
        }`;
  return {
    address,
    confirmed,
    mailedTo,
    confirmedVia: p.email_confirmed_via ?? null,
    confirmedAt: p.email_confirmed_at ?? null,
    confirmation: latest
      ? {
          askedAt: latest.created_at,
          expiresAt: latest.expires_at,
          mailedAt: latest.mailed_at,
          refused: latest.failed_reason,
        }
      : null,
    status,
    resend,
    resendAfter: limit && !limit.allowed ? limit.retryAt : null,
  };
}
