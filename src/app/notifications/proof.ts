// Proof that silence was informed: for one decision, who was told, when, how far their mail got,
// and whether they opened it; and which members whose silence counts were never reached (never
// told because they muted it, mail that bounced, no mail and an inbox they never opened, mail
// still waiting). Lazy consensus counts silence as consent, so a decision warns when it would
// count, or counted, the silence of someone who was never reached.
import { type DecisionState, responsesJudgedAt, votesJudgedAt } from '../../domain/decisions/outcome.ts';
import { answerCounts } from '../../domain/groups.ts';
import type { DecisionsTable, GroupMembersTable } from '../../store/schema.ts';
import type { Hub, Tx } from '../core/hub.ts';
import { decisionTopics, nearestLevel } from './recipients.ts';
import { mailReach, nameWithHandle } from '../../domain/people.ts';
import { levelsNamed } from '../../domain/governance/words.ts';
import { silenceCounts } from '../../domain/decisions/informed.ts';
import { readJson } from '../../store/schema.ts';
import { STANDING_EVENTS, voiceGainedBy } from './voice.ts';

export type ToldRow = {
  handle: string;
  /** The person's name, to show beside the handle. */
  name: string;
  kind: string;
  /** The notice's title as its reader saw it ("D-1 blocked by Rui Costa (@rui): …"). */
  title: string;
  /**
   * Whose response it told of, for a block (`decision-blocked`): the one who blocked, by handle and
   * name, and whether their block is advisory (not counted); null for the other kinds. Two blocks are
   * two notices to each reader, and "a block" twice read as one notice shown twice.
   */
  by: { handle: string; name: string; advisory: boolean } | null;
  /** When the notification was written (with the event that caused it). */
  at: string;
  /**
   * When it last told them: news folded into it while unread (an advisory notice told again that their
   * answer now counts) moves it; `at` when none was. `at` and `lastAt` are the times this notice told
   * its reader, the very times `uncounted[].toldAt` is chosen from (`timesTold`).
   */
  lastAt: string;
  /** How: the inbox only, a mail of its own, or the person's digest. */
  how: 'inbox' | 'mail' | 'digest';
  /**
   * How far the mail got: null (inbox only), unconfirmed (not reachable by mail: no confirmed
   * address), no-address (not reachable by mail: none on record), queued, sent, failed, digest, digest-sent.
   */
  mail: string | null;
  mailedAt: string | null;
  /** When the person opened it (read it in the inbox or opened the decision's page). */
  openedAt: string | null;
};

export type Unreached = {
  handle: string;
  /** The person's name, to show beside the handle. */
  name: string;
  why: string;
};

/** Why notices cannot be mailed to a member now, in words. */
export const NOT_MAILABLE_WHY = {
  unconfirmed: 'not reachable by mail: their mail address is not confirmed',
  'no-address': 'not reachable by mail: no mail address on record',
  failing: 'not reachable by mail: mail to their address bounces',
} as const;

export type NoticeProof = {
  told: ToldRow[];
  /**
   * Members whose answer counts (active, at an eligible level) who have not answered, by handle:
   * under lazy consensus (where opening it is the opener's answer) their silence counts as consent at
   * the deadline; once a vote opened, those who have not voted, the opener too.
   */
  silent: string[];
  /** The same members as `silent`, in the same order, each with their name to show beside the handle. */
  silentPeople: { handle: string; name: string }[];
  /** Members whose silence counts (active, at an eligible level, no response) who were not reached. */
  unreached: Unreached[];
  /**
   * Of `silent`, those notices cannot be mailed to now (no confirmed address, none at all, or one
   * that bounces), with why: their silence is not informed by mail, whatever the inbox says.
   */
  notMailable: Unreached[];
  /**
   * Of `silent`, those whose silence lazy consensus does not count as consent, because they were not
   * informed in time: no notice about the decision was recorded for them, since the voice they have
   * now began, at least `decisions.noticeHours` before the deadline (they joined, were made a member
   * or lead, or came back from a lapse too late; or were told too late, or never). Empty in a vote.
   */
  uncounted: NotInTime[];
  /**
   * Set when lazy consensus counts, or would count, the silence of someone in `unreached`, or when it
   * leaves out the silence of someone in `uncounted`.
   */
  silenceWarning: string | null;
  /**
   * While it is open (lazy consensus or a vote), when no one's answer counts now (the group has no active
   * member at a level whose voice counts: they left or lapsed), what that means, in words: an answer given
   * now is advisory, and what the close does with the answers already counted. Else null.
   */
  nobodyCounts: string | null;
};

export type NotInTime = Unreached & {
  /** When the voice they have now began, if after the decision opened. */
  voiceSince: string | null;
  /** The first notice about it recorded for them since then, if any. */
  toldAt: string | null;
};

/** The times a notice told its reader: when it was written and, if news folded into it since, when it last did. */
export const timesTold = (t: Pick<ToldRow, 'at' | 'lastAt'>): string[] => (t.lastAt > t.at ? [t.at, t.lastAt] : [t.at]);

const how = (state: string | null): ToldRow['how'] =>
  state === 'digest' || state === 'digest-sent'
    ? 'digest'
    : state === null || state === 'unconfirmed' || state === 'no-address'
      ? 'inbox'
      : 'mail';

const reachedBy = (r: { read_at: string | null; mail_state: string | null }) =>
  r.read_at !== null || r.mail_state === 'sent' || r.mail_state === 'digest-sent';

function whyUnreached(
  rows: { mail_state: string | null }[],
  muted: boolean,
  who: { opener: boolean; joinedLater: boolean },
): string {
  if (!rows.length)
    return muted
      ? 'muted this decision, its topic area or its group, so was never told'
      : who.opener
        ? 'opened it, so was sent no notice of it'
        : who.joinedLater
          ? 'never told (joined after it opened)'
          : 'never told';
  if (rows.some((r) => r.mail_state === 'failed')) return 'mail bounced (the address is failing) and never opened it';
  if (rows.some((r) => r.mail_state === 'queued' || r.mail_state === 'digest'))
    return 'mail not sent yet (batching, quiet hours or the digest) and not opened';
  if (rows.some((r) => r.mail_state === 'unconfirmed'))
    return `told only in the inbox, ${NOT_MAILABLE_WHY.unconfirmed}, and never opened it`;
  if (rows.some((r) => r.mail_state === 'no-address'))
    return `told only in the inbox, ${NOT_MAILABLE_WHY['no-address']}, and never opened it`;
  return 'told only in the inbox (no mail) and never opened it';
}

/**
 * Who blocked, by the event each block notice last told of (a notice folds only the same blocker's
 * blocks, so its latest event names them): the responder's handle and name, and whether it counts.
 */
async function blockersOf(db: Tx, seqs: number[]): Promise<Map<number, NonNullable<ToldRow['by']>>> {
  const out = new Map<number, NonNullable<ToldRow['by']>>();
  if (!seqs.length) return out;
  const events = await db
    .selectFrom('events')
    .select(['seq', 'after'])
    .where('seq', 'in', [...new Set(seqs)])
    .execute();
  const handles = new Map<number, { handle: string; advisory: boolean }>();
  for (const e of events) {
    const after = e.after ? readJson(e.after) : null;
    if (after && typeof after.handle === 'string')
      handles.set(Number(e.seq), { handle: after.handle, advisory: after.counts === false });
  }
  const wanted = [...new Set([...handles.values()].map((h) => h.handle))];
  const names = new Map(
    wanted.length
      ? (await db.selectFrom('people').select(['handle', 'name']).where('handle', 'in', wanted).execute()).map(
          (p) => [p.handle, p.name] as const,
        )
      : [],
  );
  for (const [seq, h] of handles) out.set(seq, { ...h, name: names.get(h.handle) ?? h.handle });
  return out;
}

/**
 * Who was told about decision `d` and whose silence would count without their having been reached.
 * `now`: the instant `state` was computed at, so the two are read at one instant (the clock, read
 * once here, when not given).
 */
export async function whoWasTold(
  db: Tx,
  hub: Hub,
  d: DecisionsTable,
  state: DecisionState,
  answered: string[],
  now: Date = hub.clock.now(),
): Promise<NoticeProof> {
  const ref = `D-${d.number}`;
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('people as p', 'p.id', 'n.person_id')
    .select([
      'p.id as person_id',
      'p.handle',
      'p.name',
      'n.subject_ref',
      'n.kind',
      'n.title',
      'n.told_title',
      'n.last_event_seq',
      'n.created_at',
      'n.updated_at',
      'n.mail_state',
      'n.read_at',
      'n.mailed_at',
    ])
    .where('n.subject_type', '=', 'decision')
    .where('n.subject_ref', '=', ref)
    .orderBy('p.handle')
    .orderBy('n.created_at')
    .execute();
  const byHandle = groupBy(rows, (r) => r.handle);
  const blockers = await blockersOf(
    db,
    rows.filter((r) => r.kind === 'decision-blocked').map((r) => Number(r.last_event_seq)),
  );
  const told: ToldRow[] = rows.map(
    (r): ToldRow => ({
      handle: r.handle,
      name: r.name,
      kind: r.kind,
      // as it was told, not as it was retitled once the decision moved on
      title: r.told_title ?? r.title,
      by: r.kind === 'decision-blocked' ? (blockers.get(Number(r.last_event_seq)) ?? null) : null,
      at: r.created_at,
      lastAt: r.updated_at > r.created_at ? r.updated_at : r.created_at,
      how: how(r.mail_state),
      mail: r.mail_state,
      mailedAt: r.mailed_at,
      openedAt: r.read_at,
    }),
  );

  // Silence counts only under lazy consensus: while it runs, or when it closed by adoption.
  const bySilence = state.phase === 'lazy-consensus' || (state.phase === 'closed' && state.outcome === 'adopted');
  // one instant (`now`, the clock read once): whose silence is listed and whose is judged are read at the
  // same instant, so a member who lapses meanwhile is never listed as silent yet left out of the verdict.
  // It is the instant the tally judges the answers at (domain/decisions/outcome.ts): under lazy consensus
  // the deadline once it passed (`responsesJudgedAt`); once a vote opened, its close (`votesJudgedAt`), so
  // past the deadline, while the vote runs, one who joined or lapsed since is judged as their vote is
  const asOf = new Date(
    state.voteOpensAt
      ? votesJudgedAt(state.voteClosesAt, now.getTime())
      : responsesJudgedAt({ deadline: d.deadline }, now.getTime()),
  );
  const members = await db
    .selectFrom('group_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select([
      'p.id',
      'p.handle',
      'p.name',
      'p.email',
      'p.confirmed_email',
      'm.level',
      'm.emeritus',
      'm.last_active_at',
      'm.joined_at',
    ])
    .where('m.group_id', '=', d.group_id)
    .where('m.joined_at', '<=', asOf.toISOString())
    .orderBy('p.handle')
    .execute();
  // opening a decision under lazy consensus speaks for it; in a vote the opener votes like anyone else
  const spoke = new Set(state.voteOpensAt ? answered : [...answered, d.opened_by]);
  const silent = members.filter((m) => {
    if (spoke.has(m.handle)) return false;
    return answerCounts(
      hub.governance,
      { level: m.level, emeritus: m.emeritus === 1, lastActiveAt: m.last_active_at },
      asOf,
    );
  });
  const missed = silent.filter((m) => !(byHandle.get(m.handle) ?? []).some(reachedBy));
  const judged = bySilence ? silent : [];
  const group =
    missed.length || judged.length
      ? await db.selectFrom('groups').select('slug').where('id', '=', d.group_id).executeTakeFirst()
      : undefined;
  // the topic area of the proposal it decides, muted or watched, counts as for its notices
  const topics = missed.length || judged.length ? await decisionTopics(db, [d]) : new Map<string, string>();
  const at = { decision: ref, topic: topics.get(d.id) ?? null, group: group?.slug ?? null };
  // their subscriptions, read once: the same rows say who muted it ("muted…" among the unreached) and
  // feed the verdict on their silence, so a mute committed meanwhile cannot make the two disagree
  const subscriptions =
    missed.length || judged.length
      ? await subscriptionsOf(
          db,
          silent.map((m) => m.id),
          [ref],
          group?.slug ?? null,
          at.topic ? [at.topic] : [],
        )
      : [];
  const subscriptionsBy = groupBy(subscriptions, (s) => s.person_id);
  // the same batched read `uncountedSilenceOf` makes for one person over many decisions, here for many
  // people over this one, from the rows `told` lists, at the times it lists (news folded into an unread
  // notice, an advisory one told again that their answer now counts, is its lastAt): one source, so
  // `toldAt` is always a time `told` shows for them
  const notInTime = judged.length
    ? ((
        await silenceNotInTime(db, hub, { id: d.group_id, slug: group?.slug ?? '' }, judged, [d], now, {
          told: rows,
          topics,
          subscriptions,
        })
      ).get(d.id) ?? new Map<string, NotInTime>())
    : new Map<string, NotInTime>();
  const uncounted = judged.flatMap((m) => {
    const u = notInTime.get(m.id);
    return u ? [u] : [];
  });
  const unreached = missed.map((m) => ({
    handle: m.handle,
    name: m.name,
    why: whyUnreached(byHandle.get(m.handle) ?? [], nearestLevel(subscriptionsBy.get(m.id) ?? [], at) === 'muted', {
      opener: m.handle === d.opened_by,
      joinedLater: m.joined_at > d.opened_at,
    }),
  }));
  const failing = new Set(
    silent.some((m) => m.confirmed_email)
      ? (
          await db
            .selectFrom('mail_addresses')
            .select('address')
            .where('status', '=', 'failing')
            .where(
              'address',
              'in',
              silent.flatMap((m) => (m.confirmed_email ? [m.confirmed_email] : [])),
            )
            .execute()
        ).map((r) => r.address)
      : [],
  );
  const notMailable = silent.flatMap((m): Unreached[] => {
    const reach = mailReach(m);
    if (reach !== 'mailable') return [{ handle: m.handle, name: m.name, why: NOT_MAILABLE_WHY[reach] }];
    return failing.has(m.confirmed_email!) ? [{ handle: m.handle, name: m.name, why: NOT_MAILABLE_WHY.failing }] : [];
  });
  // whose silence is not counted is not warned of as counted though unreached: the next sentence names them
  const counted = unreached.filter((u) => !uncounted.some((x) => x.handle === u.handle));
  const names = counted.map((u) => nameWithHandle(u.handle, u.name, '@handle')).join(', ');
  const people = `${counted.length} ${counted.length === 1 ? 'member' : 'members'} whose voice`;
  const late = uncounted.map((u) => `${nameWithHandle(u.handle, u.name, '@handle')}, ${u.why}`).join('; ');
  const some = `${uncounted.length} ${uncounted.length === 1 ? 'member' : 'members'}`;
  const warnings = !bySilence
    ? []
    : [
        counted.length
          ? state.phase === 'closed'
            ? `Adopted by silence, yet the news never reached ${people} counted: ${names}.`
            : `Silence will count as consent at the deadline, yet the news has not reached ${people} counts: ${names}.`
          : null,
        uncounted.length
          ? state.phase === 'closed'
            ? `The silence of ${some} not informed in time was not counted as consent: ${late}.`
            : `The silence of ${some} not informed in time will not count as consent: ${late}.`
          : null,
      ].filter((w): w is string => w !== null);
  const silenceWarning = warnings.length ? warnings.join(' ') : null;
  const voices = members.filter((m) =>
    answerCounts(hub.governance, { level: m.level, emeritus: m.emeritus === 1, lastActiveAt: m.last_active_at }, asOf),
  ).length;
  return {
    told,
    silent: silent.map((m) => m.handle),
    silentPeople: silent.map((m) => ({ handle: m.handle, name: m.name })),
    unreached,
    notMailable,
    uncounted,
    silenceWarning,
    nobodyCounts: voices ? null : nobodyCountsWords(hub, state),
  };
}

/**
 * What a decision open with no one whose answer counts means (docs/decisions.md): an answer given now is
 * advisory; under lazy consensus, silence is consent and only a block that counts objects, so with none
 * standing it is adopted at the deadline unless withdrawn first (a block given while its author's voice
 * counted still stands, and opens a vote); in a vote, only the votes already counted decide it.
 */
function nobodyCountsWords(hub: Hub, state: DecisionState): string | null {
  const g = hub.governance;
  const who = `the group has no active ${levelsNamed(g, g.decisions.eligibleLevels, 'or', true)} (they left or lapsed)`;
  if (state.phase === 'lazy-consensus')
    return `No one's answer counts now: ${who}, so an answer given now is advisory and does not hold it up. ${
      state.standingBlocks.length
        ? "A block given while its author's answer counted still stands: at the deadline a formal vote opens."
        : `Lazy consensus counts only an objection that counts: at the deadline it is adopted, with no one's consent counted, unless it is withdrawn first or someone made ${levelsNamed(g, g.decisions.eligibleLevels, 'or')} blocks it.`
    }`;
  if (state.phase === 'vote')
    return `No one's vote counts now: ${who}, so a vote cast now is advisory; only the votes already counted decide it at the close.`;
  return null;
}

/** A member as the verdict on their silence reads them: their membership of the group, as of now. */
type MemberFacts = { id: string; handle: string; name: string } & Pick<
  GroupMembersTable,
  'level' | 'emeritus' | 'last_active_at' | 'joined_at'
>;

/** A notice recorded for a person about a decision, at the times it told them. */
type NoticeTimes = { person_id: string; subject_ref: string; created_at: string; updated_at: string };

/** A subscription of a person to a decision, a topic area or a group, as the verdict on their silence reads it. */
type SubscriptionRow = { person_id: string; subject_type: string; subject_ref: string; level: string };

/** Ids a statement's `in` list holds at most, as `writeNotices` reads its people. */
const CHUNK = 500;
const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** `xs` by `key`, each list in the order of `xs`: one pass, so a lookup per member never scans every row. */
function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

/**
 * The subscriptions of the people `ids` to the decisions `refs`, the topic areas `topicRefs` and the
 * group `groupSlug`: a query per 500 people.
 */
async function subscriptionsOf(
  db: Tx,
  ids: readonly string[],
  refs: readonly string[],
  groupSlug: string | null,
  topicRefs: readonly string[],
): Promise<SubscriptionRow[]> {
  const out: SubscriptionRow[] = [];
  for (const part of chunks([...new Set(ids)]))
    out.push(
      ...(await db
        .selectFrom('notification_subscriptions')
        .select(['person_id', 'subject_type', 'subject_ref', 'level'])
        .where('person_id', 'in', part)
        .where((eb) =>
          eb.or([
            eb.and([eb('subject_type', '=', 'decision'), eb('subject_ref', 'in', [...refs])]),
            ...(groupSlug ? [eb.and([eb('subject_type', '=', 'group'), eb('subject_ref', '=', groupSlug)])] : []),
            ...(topicRefs.length
              ? [eb.and([eb('subject_type', '=', 'topic'), eb('subject_ref', 'in', [...topicRefs])])]
              : []),
          ]),
        )
        .execute()),
    );
  return out;
}

/**
 * Of `members` and `decisions` (all of one group; each decision pending under lazy consensus or adopted
 * by it, none answered by these members), whose silence lazy consensus does not count on which, because
 * they were not informed in time (domain/decisions/informed.ts), each with why, since when their voice
 * counts and when they were told. The one read behind `whoWasTold` (many members, one decision) and
 * `uncountedSilenceOf` (one member, many decisions), so the two can never disagree: the notices about
 * the decisions recorded for them (`known.told`, when the caller already read them), the topic area of
 * the proposal each decides (`known.topics`), their subscriptions (to the decisions, those topic areas
 * and the group; `known.subscriptions`, when the caller already read them for these members) and the
 * group's log of voices gained, a query per table (per 500 members) however many decisions. A member
 * counts on a decision only when they had joined and their answer counted as of its deadline (or `now`,
 * if sooner), as `whoWasTold` reads its silent: `now` is the caller's one reading of the clock, never
 * read again here. By decision id, then person id.
 */
async function silenceNotInTime(
  db: Tx,
  hub: Hub,
  group: { id: string; slug: string },
  members: readonly MemberFacts[],
  decisions: readonly DecisionsTable[],
  now: Date,
  known: {
    told?: readonly NoticeTimes[];
    topics?: ReadonlyMap<string, string>;
    subscriptions?: readonly SubscriptionRow[];
  } = {},
): Promise<Map<string, Map<string, NotInTime>>> {
  const out = new Map<string, Map<string, NotInTime>>();
  const asOfOf = (d: DecisionsTable) => (now < new Date(d.deadline) ? now : new Date(d.deadline));
  const judgedOn = (d: DecisionsTable) => {
    const asOf = asOfOf(d);
    return members.filter(
      (m) =>
        m.joined_at <= asOf.toISOString() &&
        answerCounts(
          hub.governance,
          { level: m.level, emeritus: m.emeritus === 1, lastActiveAt: m.last_active_at },
          asOf,
        ),
    );
  };
  const judged = decisions.flatMap((d) => {
    const who = judgedOn(d);
    return who.length ? [{ d, who }] : [];
  });
  if (!judged.length) return out;
  const refs = judged.map(({ d }) => `D-${d.number}`);
  const ids = [...new Set(judged.flatMap(({ who }) => who.map((m) => m.id)))];
  const topics =
    known.topics ??
    (await decisionTopics(
      db,
      judged.map(({ d }) => d),
    ));
  const topicRefs = [...new Set(judged.flatMap(({ d }) => topics.get(d.id) ?? []))];
  const notices: NoticeTimes[] = known.told ? [...known.told] : [];
  if (!known.told)
    for (const part of chunks(ids))
      notices.push(
        ...(await db
          .selectFrom('notifications')
          .select(['person_id', 'subject_ref', 'created_at', 'updated_at'])
          .where('person_id', 'in', part)
          .where('subject_type', '=', 'decision')
          .where('subject_ref', 'in', refs)
          .execute()),
      );
  const subscriptions = known.subscriptions ?? (await subscriptionsOf(db, ids, refs, group.slug, topicRefs));
  const from = judged.map(({ d }) => d.opened_at).reduce((a, b) => (a < b ? a : b));
  const until = judged.map(({ d }) => asOfOf(d).toISOString()).reduce((a, b) => (a > b ? a : b));
  const events = await db
    .selectFrom('events')
    .select(['at', 'actor', 'kind', 'before', 'after'])
    .where('subject_type', '=', 'group')
    .where('subject_id', '=', group.slug)
    .where('kind', 'in', [...STANDING_EVENTS])
    .where('at', '>', from)
    .where('at', '<=', until)
    .orderBy('seq')
    .execute();
  // when each event gave whom a voice they lacked (voice.ts), in the log's order
  const gains = events.flatMap((r) => {
    const who = voiceGainedBy(hub.governance.decisions.eligibleLevels, {
      kind: r.kind,
      actor: r.actor && !r.actor.startsWith('system:') ? r.actor : null,
      before: r.before === null ? null : readJson(r.before),
      after: r.after === null ? null : readJson(r.after),
    });
    return who ? [{ who: who.toLowerCase(), at: r.at }] : [];
  });
  // each member's rows, grouped once: the verdicts below look up a member's own, never scan all rows per member
  const gainsBy = groupBy(gains, (g) => g.who);
  const subscriptionsBy = groupBy(subscriptions, (s) => s.person_id);
  const noticesBy = groupBy(notices, (t) => `${t.person_id} ${t.subject_ref}`);
  for (const { d, who } of judged) {
    const ref = `D-${d.number}`;
    const asOf = asOfOf(d).toISOString();
    const verdicts = new Map<string, NotInTime>();
    for (const m of who) {
      // a member who joined after it opened gained their voice then, whatever the log says
      const joined = m.joined_at > d.opened_at ? m.joined_at : null;
      const me = m.handle.toLowerCase();
      const gained = (gainsBy.get(me) ?? []).filter((g) => g.at > d.opened_at && g.at <= asOf).at(-1)?.at ?? null;
      const voiceSince = joined && (!gained || joined > gained) ? joined : gained;
      // a decision's own subscription wins over its topic area's, which wins over its group's
      const level = nearestLevel(subscriptionsBy.get(m.id) ?? [], {
        decision: ref,
        topic: topics.get(d.id) ?? null,
        group: group.slug,
      });
      const verdict = silenceCounts(
        {
          voiceSince,
          toldAt: (noticesBy.get(`${m.id} ${ref}`) ?? []).flatMap((t) =>
            timesTold({ at: t.created_at, lastAt: t.updated_at > t.created_at ? t.updated_at : t.created_at }),
          ),
          muted: level === 'muted',
        },
        d.deadline,
        hub.governance.decisions.noticeHours,
      );
      if (!verdict.counts)
        verdicts.set(m.id, { handle: m.handle, name: m.name, why: verdict.why, voiceSince, toldAt: verdict.toldAt });
    }
    if (verdicts.size) out.set(d.id, verdicts);
  }
  return out;
}

/**
 * For one person, which of `decisions` (pending under lazy consensus, all of one group, none answered
 * by them) would not count their silence as consent, each with why: what `whoWasTold(…).uncounted`
 * says of them, by the same read (`silenceNotInTime`), for all the decisions at once (one query per
 * table, however many decisions are open) instead of a proof per decision. By decision id; those
 * absent count their silence.
 */
export async function uncountedSilenceOf(
  db: Tx,
  hub: Hub,
  group: { id: string; slug: string },
  person: { id: string; handle: string },
  decisions: readonly DecisionsTable[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!decisions.length) return out;
  const member = await db
    .selectFrom('group_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.handle', 'p.name', 'm.level', 'm.emeritus', 'm.last_active_at', 'm.joined_at'])
    .where('m.group_id', '=', group.id)
    .where('m.person_id', '=', person.id)
    .executeTakeFirst();
  if (!member) return out;
  for (const [id, verdicts] of await silenceNotInTime(db, hub, group, [member], decisions, hub.clock.now())) {
    const verdict = verdicts.get(member.id);
    if (verdict) out.set(id, verdict.why);
  }
  return out;
}
