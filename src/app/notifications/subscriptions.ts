// What a person watches, follows normally, or muted: per group, topic area, proposal or decision.
// Without a row a person has the default for their part in it (see recipients.ts).
import { slugAsStored } from '../../domain/community.ts';
import { shownSubjectRef, storedRef } from '../../domain/governance/index.ts';
import { authorizeOwn } from '../people/access.ts';
import { type Can, type SubscriptionAction, subscriptionPolicy } from '../../domain/policies/index.ts';
import { viewerOf } from '../core/gate.ts';
import { invalid } from '../../domain/errors.ts';
import type { SubscriptionLevel } from '../../domain/notifications/kinds.ts';
import { type Actor, changedWithoutEvent, type Hub, inTransaction, nowIso, type Tx } from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { decisionNumber, decisionRef, decisionRow } from '../decisions/decisions.ts';
import { proposalRow, refOf } from '../proposals/proposals.ts';
import { PreferencesInput, SubscriptionInput } from './schemas.ts';
import { resolveToken } from './tokens.ts';
import { defaultPreferences, type Preferences, preferencesOf } from './preferences.ts';

export type SubscriptionView = {
  subjectType: string;
  subjectRef: string;
  level: SubscriptionLevel;
  /** Whether the viewer may change it, and if not why (a subscription is its person's own). */
  can: Can<SubscriptionAction>;
};

/** What a person watches or muted, with whether they may subscribe to more. */
export type SubscriptionList = { items: SubscriptionView[]; can: Can<SubscriptionAction> };

/** The subject's canonical ref (SEP-7 for #7, D-3 for d-3); an unknown subject is a field error. */
async function canonicalRef(trx: Tx, hub: Hub, type: string, ref: string): Promise<string> {
  const missing = () => invalid('subjectRef', `no ${type} '${ref}'`);
  switch (type) {
    case 'group': {
      // read as stored, as a proposal's ref is (p-1 for P-1): `Hosting` is the group hosting
      const g = await trx.selectFrom('groups').select('slug').where('slug', '=', slugAsStored(ref)).executeTakeFirst();
      if (!g) throw missing();
      return g.slug;
    }
    case 'topic':
      return topicRef(trx, ref);
    case 'proposal':
      return refOf(
        await proposalRow(trx, ref, hub.governance).catch(() => {
          throw missing();
        }),
      );
    default:
      return decisionRef(
        await decisionRow(trx, ref).catch(() => {
          throw missing();
        }),
      );
  }
}

/**
 * A topic area's key is GROUP/TOPIC: short names repeat across groups (two groups may each have
 * "auth"), so a bare short name is taken only while one group has it.
 */
async function topicRef(trx: Tx, ref: string): Promise<string> {
  const [groupPart, topicPart] = ref.includes('/') ? ref.split('/', 2).map(slugAsStored) : [null, slugAsStored(ref)];
  let q = trx
    .selectFrom('topic_areas')
    .innerJoin('groups', 'groups.id', 'topic_areas.group_id')
    .select(['groups.slug as group', 'topic_areas.slug as topic'])
    .where('topic_areas.slug', '=', topicPart!);
  if (groupPart !== null) q = q.where('groups.slug', '=', groupPart);
  const found = await q.orderBy('groups.slug').execute();
  if (!found.length) throw invalid('subjectRef', `no topic area '${ref}'`);
  if (found.length > 1)
    throw invalid(
      'subjectRef',
      `several groups have a topic area '${ref}' (${found.map((t) => `${t.group}/${t.topic}`).join(', ')}): name it as GROUP/${ref}`,
    );
  return `${found[0]!.group}/${found[0]!.topic}`;
}

export async function setSubscription(hub: Hub, actor: Actor, raw: unknown): Promise<SubscriptionView> {
  const person = authorizeOwn(hub, actor, 'subscriptions');
  const input = parseInput(SubscriptionInput, raw);
  return inTransaction(hub, async (trx) => {
    const ref = await canonicalRef(trx, hub, input.subjectType, input.subjectRef);
    await trx
      .insertInto('notification_subscriptions')
      .values({
        person_id: person.id,
        subject_type: input.subjectType,
        subject_ref: ref,
        level: input.level,
        updated_at: nowIso(hub),
      })
      .onConflict((oc) =>
        oc
          .columns(['person_id', 'subject_type', 'subject_ref'])
          .doUpdateSet({ level: input.level, updated_at: nowIso(hub) }),
      )
      .execute();
    // no event is recorded, yet the home lists the meetings of the groups one watches (member-meetings.ts):
    // its cached list, a day long, is dropped now
    await changedWithoutEvent(trx, hub, [`subscriptions:${person.id}`]);
    return {
      subjectType: input.subjectType,
      subjectRef: shownSubjectRef(hub.governance, input.subjectType, ref),
      level: input.level,
      can: subscriptionPolicy(viewerOf(hub, actor)),
    };
  });
}

/** A subject's ref as canonicalRef stores it, from the ref a page shows, without reading the subject. */
function storedSubjectRef(hub: Hub, type: string, ref: string): string {
  if (type === 'proposal') return storedRef(hub.governance, ref);
  if (type === 'group' || type === 'topic') return slugAsStored(ref);
  const n = decisionNumber(ref);
  return n === null ? ref : decisionRef({ number: n });
}

/** The person's level for one subject: their choice, or "normal". */
export async function subscriptionOf(hub: Hub, actor: Actor, type: string, ref: string): Promise<SubscriptionLevel> {
  if (actor.kind !== 'person') return 'normal';
  const r = await hub.store.db
    .selectFrom('notification_subscriptions')
    .select('level')
    .where('person_id', '=', actor.person.id)
    .where('subject_type', '=', type)
    // as setSubscription stores it: a proposal as SEP-12 however the page names it (RFC-12), a group or
    // topic area's slug folded to lowercase, a decision as D-3 (folding it too read a muted D-3 as normal)
    .where('subject_ref', '=', storedSubjectRef(hub, type, ref))
    .executeTakeFirst();
  return r?.level ?? 'normal';
}

export async function listSubscriptions(hub: Hub, actor: Actor): Promise<SubscriptionList> {
  const person = authorizeOwn(hub, actor, 'subscriptions');
  const rows = await hub.store.db
    .selectFrom('notification_subscriptions')
    .selectAll()
    .where('person_id', '=', person.id)
    .orderBy('subject_type')
    .orderBy('subject_ref')
    .execute();
  const can = subscriptionPolicy(viewerOf(hub, actor));
  return {
    items: rows.map((r) => ({
      subjectType: r.subject_type,
      subjectRef: shownSubjectRef(hub.governance, r.subject_type, r.subject_ref),
      level: r.level,
      can,
    })),
    can,
  };
}

export type PreferencesView = Omit<Preferences, 'replyEpoch'> & { timeZone: string };

export async function getPreferences(hub: Hub, actor: Actor): Promise<PreferencesView> {
  const person = authorizeOwn(hub, actor, 'subscriptions');
  const row = await hub.store.db
    .selectFrom('notification_preferences')
    .selectAll()
    .where('person_id', '=', person.id)
    .executeTakeFirst();
  const { replyEpoch: _, ...p } = preferencesOf(hub, row);
  return { ...p, timeZone: person.time_zone };
}

export async function setPreferences(hub: Hub, actor: Actor, raw: unknown): Promise<PreferencesView> {
  const person = authorizeOwn(hub, actor, 'subscriptions');
  const input = parseInput(PreferencesInput, raw);
  await inTransaction(hub, async (trx) => {
    // only what was given is written (fuzz round 6): the whole row, read and written back, undid on
    // PostgreSQL a change made meanwhile from another tab, and a reply-address revocation with it
    const given = {
      ...(input.immediate !== undefined ? { immediate: input.immediate ? 1 : 0 } : {}),
      ...(input.digest !== undefined ? { digest: input.digest } : {}),
      ...(input.digestHour !== undefined ? { digest_hour: input.digestHour } : {}),
      ...(input.digestWeekday !== undefined ? { digest_weekday: input.digestWeekday } : {}),
      ...(input.quietStart !== undefined ? { quiet_start: input.quietStart } : {}),
      ...(input.quietEnd !== undefined ? { quiet_end: input.quietEnd } : {}),
      updated_at: nowIso(hub),
    };
    const d = defaultPreferences(hub);
    await trx
      .insertInto('notification_preferences')
      .values({
        person_id: person.id,
        immediate: d.immediate ? 1 : 0,
        digest: d.digest,
        digest_hour: d.digestHour,
        digest_weekday: d.digestWeekday,
        quiet_start: d.quietStart,
        quiet_end: d.quietEnd,
        reply_epoch: d.replyEpoch,
        ...given,
      })
      .onConflict((oc) => oc.column('person_id').doUpdateSet(given))
      .execute();
  });
  return getPreferences(hub, actor);
}

/**
 * One-click unsubscribe (RFC 8058), from a link in the mail itself: no sign-in, the token is the
 * proof. A subject's token mutes that subject; a digest's token turns the digest off.
 */
export async function unsubscribeByToken(
  hub: Hub,
  token: string,
): Promise<{ handle: string; subjectType: string; subjectRef: string } | null> {
  const t = await resolveToken(hub, 'unsubscribe', token);
  if (!t) return null;
  const person = await hub.store.db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', t.person_id)
    .executeTakeFirstOrThrow();
  const actor: Actor = { kind: 'person', person };
  if (t.subject_type === 'digest') await setPreferences(hub, actor, { digest: 'off' });
  else
    await inTransaction(hub, async (trx) => {
      await trx
        .insertInto('notification_subscriptions')
        .values({
          person_id: person.id,
          subject_type: t.subject_type,
          subject_ref: t.subject_ref,
          level: 'muted',
          updated_at: nowIso(hub),
        })
        .onConflict((oc) =>
          oc
            .columns(['person_id', 'subject_type', 'subject_ref'])
            .doUpdateSet({ level: 'muted', updated_at: nowIso(hub) }),
        )
        .execute();
      // a watched group muted: its meetings leave the home's cached list (setSubscription)
      await changedWithoutEvent(trx, hub, [`subscriptions:${person.id}`]);
    });
  return { handle: person.handle, subjectType: t.subject_type, subjectRef: t.subject_ref };
}
