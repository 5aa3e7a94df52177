// A group's chat webhooks (Discord, Slack, or generic JSON signed with HMAC): who may add and
// remove them (whoever may edit the group's charter), what they are told (a decision opened,
// given more time, closing, put to a vote, its vote closing, escalated, decided; meeting notes published) and a weekly summary of the group: what moved, what
// waits, what is late. Messages are queued as jobs in the event's transaction and posted by the
// worker with retries, so a chat service that is down never delays the action.
import { createHash } from 'node:crypto';
import { voteOpeningTime } from '../../domain/decisions/outcome.ts';
import { factText } from '../../store/events.ts';
import { inCommunityWords, resolverName, shownRefsIn, withArticle } from '../../domain/governance/words.ts';
import { nameWithHandle } from '../../domain/people.ts';
import { withoutTrailing } from '../../domain/text.ts';
import { readJson } from '../../store/schema.ts';
import { z } from 'zod';
import { CHAT_FORMATS, type ChatFormat, ChatMessage, chatBody, signChatBody } from '../../domain/notifications/chat.ts';
import { addressKey, hostAllowed, internalHost, namesPortZero, PORT_RULE } from '../../domain/addresses.ts';
import { invalid, NotFound } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import {
  type Can,
  type Verdict,
  type WebhookAction,
  type WebhookListAction,
  webhookListPolicy,
  webhookPolicy,
} from '../../domain/policies/index.ts';
import { authorize } from '../core/gate.ts';
import {
  type Actor,
  type Hub,
  inTransaction,
  nowIso,
  type Reaction,
  type RecordedEvent,
  type Tx,
} from '../core/hub.ts';
import { type ClaimedJob, enqueueMany, type JobSpec, PermanentFailure, payloadOf, RetryAt } from '../core/jobs.ts';
import { parseInput } from '../core/validate.ts';
import { groupCan } from '../groups/group-can.ts';
import { groupRow, groupRowHeld } from '../groups/groups.ts';
import { subjectPath } from './inbox.ts';
import { refOf } from '../proposals/ref.ts';
import { namesOf, personOrNull } from '../people/names.ts';

export const CHAT_QUEUE = 'notify.chat';
export const CHAT_SUMMARY_QUEUE = 'notify.chat-summary';
/** A chat job: one message for one hook. */
const ChatJob = z.object({ webhook: z.string(), message: ChatMessage });
/** The weekly summary job: the group whose week it posts. */
const SummaryJob = z.object({ group: z.string() });

export const WebhookInput = z
  .object({
    format: z.enum(CHAT_FORMATS),
    url: z
      .string()
      .trim()
      .max(2000)
      .refine((u) => {
        try {
          const p = new URL(u).protocol;
          return p === 'https:' || p === 'http:';
        } catch {
          return false;
        }
      }, 'must be an http(s) URL, such as the one Discord or Slack gives for an incoming webhook')
      // port 0 parses, but reaches nothing: the hook was stored and every post to it failed (attack round 29)
      .refine((u) => {
        const p = URL.parse(u);
        return !p || !namesPortZero(p);
      }, PORT_RULE),
    secret: z.string().min(16, 'must be at least 16 characters (it signs each message)').max(200).optional(),
  })
  .strict()
  .refine((w) => w.format !== 'json' || w.secret, {
    message: 'a generic JSON webhook needs a secret: the receiver checks X-Wghub-Signature-256 with it',
    path: ['secret'],
  });

export type WebhookView = {
  id: string;
  format: ChatFormat;
  /** Only the origin: the rest of a Discord or Slack URL is its credential. */
  target: string;
  signed: boolean;
  createdBy: string;
  createdAt: string;
  /** Whether the viewer may remove it, and if not why. */
  can: Can<WebhookAction>;
};

/** A chat post not made because the group was retired: never resent (what it told of has passed). */
export type WithheldPost = { event: string; title: string; url: string; at: string; withheldAt: string };

/** A group's live webhooks, with whether the viewer may add one, and the name of each person who added one. */
export type WebhookList = {
  group: string;
  items: WebhookView[];
  names: Record<string, string>;
  /**
   * The posts its chat did not get because the group was retired, newest first (at most
   * LIMITS.chatWithheldPerGroup kept): not sent when it comes back either. Only for those who manage its hooks.
   */
  withheld: WithheldPost[];
  can: Can<WebhookListAction>;
};

const targetOf = (url: string) => {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
};

/** The group, once the gate lets the actor manage its webhooks; `manage` is that verdict for the views. */
async function managedGroup(trx: Tx, hub: Hub, actor: Actor, slug: string) {
  const g = await groupRow(trx, slug);
  const can = await groupCan(trx, hub, actor, g);
  authorize(can, 'manageWebhooks');
  return { g, manage: can.manageWebhooks };
}

/** The first Monday 09:00 UTC after `now`: when the weekly summary goes. */
export function nextSummaryAt(now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9));
  const days = (8 - d.getUTCDay()) % 7 || (d <= now ? 7 : 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

const summaryJob = (groupId: string, at: Date): JobSpec => ({
  queue: CHAT_SUMMARY_QUEUE,
  key: `chat-summary:${groupId}:${at.toISOString()}`,
  payload: { group: groupId } satisfies z.input<typeof SummaryJob>,
  runAt: at,
});

/** The setting that lets webhooks reach hosts inside the network (docs/configuration.md). */
export const WEBHOOK_ALLOWED_HOSTS = 'WGHUB_WEBHOOK_ALLOWED_HOSTS';

/** Hosts chat webhooks may reach though not public: the operator's comma-separated list (read by the composition root). */
export function webhookAllowedHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[WEBHOOK_ALLOWED_HOSTS] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
}

/**
 * A hook must name a host that may be public, unless the operator allows it: one at the cloud's
 * metadata address, the loopback or the LAN is refused when it is added, not stored and then never
 * posted. Whether a public name resolves inside the network is known only when the worker connects,
 * which checks the address it connects to (src/app/core/public-fetch.ts).
 */
function refuseInternalHost(url: string, allowedHosts: readonly string[]): void {
  const host = new URL(url).hostname;
  if (hostAllowed(host, allowedHosts)) return;
  const why = internalHost(host);
  if (why)
    throw invalid(
      'url',
      `must reach a public address (${why}); an operator may allow a host inside the network with ${WEBHOOK_ALLOWED_HOSTS}`,
    );
}

export async function addWebhook(hub: Hub, actor: Actor, slug: string, raw: unknown): Promise<WebhookView> {
  return inTransaction(hub, async (trx) => {
    // who may comes first: one who may not add a hook learns nothing of which hosts the hub allows,
    // nor whether what they sent would have passed
    const { manage } = await managedGroup(trx, hub, actor, slug);
    // held until commit, so two hooks added at once cannot both pass the bound on PostgreSQL, and a
    // retirement under way waits for this hook, or this hook for it and is then refused: a retired
    // group posts nothing more to its chat
    const g = await groupRowHeld(trx, hub, slug);
    slug = g.slug; // the group named as stored, from here on
    authorize(webhookListPolicy(manage, g.status === 'retired'), 'add');
    const input = parseInput(WebhookInput, raw);
    refuseInternalHost(input.url, hub.settings.webhookAllowedHosts);
    const hooks = await trx
      .selectFrom('group_webhooks')
      .select('url')
      .where('group_id', '=', g.id)
      .where('removed_at', 'is', null)
      .execute();
    // one address however it is written (case, default port, escapes, a fragment): posted to once
    const key = addressKey(input.url);
    if (hooks.some((h) => URL.canParse(h.url) && addressKey(h.url) === key))
      throw invalid(
        'url',
        `${slug} already posts to this address: remove that webhook first to change its format or secret`,
      );
    if (hooks.length >= LIMITS.webhooksPerGroup)
      throw invalid(
        'url',
        `${slug} posts to ${LIMITS.webhooksPerGroup} chat webhooks, as many as one group may: remove one no longer used first`,
      );
    const row = {
      id: hub.newId(),
      group_id: g.id,
      format: input.format,
      url: input.url,
      secret: input.secret ?? null,
      created_by: actor.kind === 'person' ? actor.person.handle : 'operator',
      created_at: nowIso(hub),
      removed_at: null,
    };
    await trx.insertInto('group_webhooks').values(row).execute();
    await enqueueMany(trx, hub, [summaryJob(g.id, nextSummaryAt(hub.clock.now()))]);
    return view(row, manage);
  });
}

const view = (
  r: {
    id: string;
    format: ChatFormat;
    url: string;
    secret: string | null;
    created_by: string;
    created_at: string;
  },
  manage: Verdict,
): WebhookView => ({
  id: r.id,
  format: r.format,
  target: targetOf(r.url),
  signed: r.secret !== null,
  createdBy: r.created_by,
  createdAt: r.created_at,
  can: webhookPolicy(manage),
});

/** The list for those who may manage it; anyone else is refused with the policy's reason. */
export async function listWebhooks(hub: Hub, actor: Actor, slug: string): Promise<WebhookList> {
  const db = hub.store.db;
  const { g, manage } = await managedGroup(db, hub, actor, slug);
  const rows = await db
    .selectFrom('group_webhooks')
    .selectAll()
    .where('group_id', '=', g.id)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .execute();
  const withheld = await db
    .selectFrom('chat_withheld')
    .select(['event', 'title', 'url', 'at', 'withheld_at'])
    .where('group_id', '=', g.id)
    .orderBy('withheld_at', 'desc')
    .orderBy('id', 'desc')
    .limit(LIMITS.chatWithheldPerGroup)
    .execute();
  return {
    group: g.slug,
    items: rows.map((r) => view(r, manage)),
    names: await namesOf(
      db,
      rows.map((r) => personOrNull(r.created_by)),
    ),
    withheld: withheld.map((w) => ({
      event: w.event,
      title: w.title,
      url: w.url,
      at: w.at,
      withheldAt: w.withheld_at,
    })),
    can: webhookListPolicy(manage, g.status === 'retired'),
  };
}

/**
 * A group's webhooks with what the caller may do (MCP, and any edge that shows a control): one who
 * may not manage them gets no list, only `can` saying why.
 */
export async function webhooksOf(hub: Hub, actor: Actor | null, slug: string): Promise<WebhookList> {
  const g = await groupRow(hub.store.db, slug);
  const manage = (await groupCan(hub.store.db, hub, actor, g)).manageWebhooks;
  if (manage.allowed && actor) return listWebhooks(hub, actor, slug);
  return { group: g.slug, items: [], names: {}, withheld: [], can: webhookListPolicy(manage, g.status === 'retired') };
}

export async function removeWebhook(hub: Hub, actor: Actor, slug: string, id: string): Promise<{ removed: true }> {
  return inTransaction(hub, async (trx) => {
    const { g } = await managedGroup(trx, hub, actor, slug);
    const res = await trx
      .updateTable('group_webhooks')
      .set({ removed_at: nowIso(hub) })
      .where('id', '=', id)
      .where('group_id', '=', g.id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new NotFound('webhook', id);
    return { removed: true as const };
  });
}

/** Queues a post to each of the group's webhooks; with `key`, once per webhook however often it is asked. */
export async function queueChat(
  trx: Tx,
  hub: Hub,
  groupId: string,
  key: string | null,
  message: ChatMessage,
): Promise<void> {
  // a retired group's chat hears of nothing more (a decision left open closing, notes published late,
  // its week) but its retirement itself, said once as it happens: the rest is withheld (kept, listed
  // for those who manage its hooks, never sent)
  const hooks = await trx
    .selectFrom('group_webhooks')
    .select('id')
    .where('group_id', '=', groupId)
    .where('removed_at', 'is', null)
    .execute();
  if (!hooks.length) return;
  // the chat reads documents cited as the community cites them (RFC-12), the question's too, as the inbox does
  const g = hub.governance;
  const said = { ...message, title: shownRefsIn(g, message.title), lines: message.lines.map((l) => shownRefsIn(g, l)) };
  if (message.event !== 'group-retired') {
    const group = await trx.selectFrom('groups').select('status').where('id', '=', groupId).executeTakeFirst();
    if (group?.status === 'retired') return withhold(trx, hub, groupId, said);
  }
  await enqueueMany(
    trx,
    hub,
    hooks.map((h) => ({
      queue: CHAT_QUEUE,
      ...(key ? { key: `${CHAT_QUEUE}:${key}:${h.id}` } : {}),
      payload: { webhook: h.id, message: said } satisfies z.input<typeof ChatJob>,
    })),
  );
}

/**
 * Records a post its group's chat does not get because the group is retired (once, however many hooks
 * it was for), keeping the newest LIMITS.chatWithheldPerGroup. Never resent: a group brought back tells
 * its chat it is back and how many posts it missed (chatReaction), and its leads see them listed with its
 * webhooks (`WebhookList.withheld`). `told`: withheld after the group is back (a post whose retry waited
 * across the retirement), so the chat's "back" post, already made, is not to count it.
 */
export async function withhold(db: Tx, hub: Hub, groupId: string, message: ChatMessage, told = false): Promise<void> {
  const key = createHash('sha256').update(`${message.event}\n${message.at}\n${message.title}`).digest('base64url');
  await db
    .insertInto('chat_withheld')
    .values({
      id: hub.newId(),
      group_id: groupId,
      post_key: key,
      event: message.event,
      title: message.title,
      url: message.url,
      at: message.at,
      withheld_at: nowIso(hub),
      told_at: told ? nowIso(hub) : null,
    })
    .onConflict((oc) => oc.columns(['group_id', 'post_key']).doNothing())
    .execute();
  const kept = db
    .selectFrom('chat_withheld')
    .select('id')
    .where('group_id', '=', groupId)
    .orderBy('withheld_at', 'desc')
    .orderBy('id', 'desc')
    .limit(LIMITS.chatWithheldPerGroup);
  await db.deleteFrom('chat_withheld').where('group_id', '=', groupId).where('id', 'not in', kept).execute();
}

/** Which events a group's chat hears of, and how each reads there. */
export function chatReaction(publicUrl: string): Reaction {
  return async (trx, hub, e: RecordedEvent) => {
    const after = e.after ?? {};
    const ref = e.subject.id;
    const url = `${publicUrl}${subjectPath(e.subject.type, ref)}`;
    const event = decisionChatEvent(e);
    if (event) {
      const d = await trx
        .selectFrom('decisions as d')
        .innerJoin('groups as g', 'g.id', 'd.group_id')
        .select(['d.group_id', 'd.question', 'd.deadline', 'd.vote_requested_at', 'g.slug'])
        .where('d.number', '=', Number(/^D-(\d+)$/.exec(ref)?.[1]))
        .executeTakeFirst();
      if (!d) return;
      const by =
        e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : "the hub's operator";
      const message = decisionChat(hub, event, ref, d, after, by);
      if (!message) return;
      // stored references in what people wrote (a question, a reason) as the community cites them
      const g = hub.governance;
      const worded = { title: shownRefsIn(g, message.title), lines: message.lines.map((l) => shownRefsIn(g, l)) };
      // an extension is posted once, however often its event is reacted to: each moves it to a deadline of its own
      const key = event === 'decision-extended' ? `${event}:${ref}@${factText(after, 'deadline') ?? e.seq}` : null;
      await queueChat(trx, hub, d.group_id, key, { event, group: d.slug, url, at: e.at, ...worded });
    }
    if (e.kind === 'group.status-changed' && after.status === 'retired') {
      const g = await trx
        .selectFrom('groups')
        .select(['id', 'name', 'slug'])
        .where('slug', '=', ref)
        .executeTakeFirst();
      if (!g) return;
      const by =
        e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : "the hub's operator";
      await queueChat(trx, hub, g.id, `group-retired:${g.id}:${e.seq}`, {
        event: 'group-retired',
        group: g.slug,
        title: `${g.name} was retired by ${by}`,
        url,
        lines: ['It takes no new work; nothing more is posted here for it.'],
        at: e.at,
      });
    }
    // a group back from retirement (a governance file may let one come back) has weeks to tell of again:
    // its weekly job, which ended as the group was retired, is queued anew for the hooks it still has.
    // What its chat missed meanwhile is not resent (a decision's close, a week, long past, would read as
    // news out of order): the chat is told the group is back and how many posts it missed, and those who
    // manage its hooks see them listed (`withheld`)
    if (e.kind === 'group.status-changed' && e.before?.status === 'retired' && after.status !== 'retired') {
      const g = await trx
        .selectFrom('groups')
        .select(['id', 'name', 'slug'])
        .where('slug', '=', ref)
        .executeTakeFirst();
      if (!g) return;
      const untold = await trx
        .updateTable('chat_withheld')
        .set({ told_at: e.at })
        .where('group_id', '=', g.id)
        .where('told_at', 'is', null)
        .executeTakeFirst();
      const missed = Number(untold.numUpdatedRows);
      const by =
        e.actor.kind === 'person' ? nameWithHandle(e.actor.person.handle, e.actor.person.name) : "the hub's operator";
      await queueChat(trx, hub, g.id, `group-back:${g.id}:${e.seq}`, {
        event: 'group-back',
        group: g.slug,
        title: `${g.name} is ${String(after.status)} again, moved by ${by}`,
        url,
        lines: missed
          ? [
              `${missed === 1 ? 'One post was' : `${missed} posts were`} not sent here while it was retired, and ${missed === 1 ? 'is' : 'are'} not sent now: what ${missed === 1 ? 'it' : 'they'} told of has passed. The group's chat webhooks page lists ${missed === 1 ? 'it' : 'them'}.`,
            ]
          : [],
        at: e.at,
      });
      const live = await trx
        .selectFrom('group_webhooks')
        .select('id')
        .where('group_id', '=', g.id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      if (live) await enqueueMany(trx, hub, [summaryJob(g.id, nextSummaryAt(hub.clock.now()))]);
    }
    if (e.kind === 'meeting.notes-published') {
      const m = await trx
        .selectFrom('meetings as m')
        .innerJoin('groups as g', 'g.id', 'm.group_id')
        .select(['m.group_id', 'm.title', 'g.slug'])
        .where('m.number', '=', Number(/^M-(\d+)$/.exec(ref)?.[1]))
        .executeTakeFirst();
      if (!m) return;
      await queueChat(trx, hub, m.group_id, null, {
        event: 'notes-published',
        group: m.slug,
        title: `${ref} notes published: ${m.title}`,
        url,
        lines: [],
        at: e.at,
      });
    }
  };
}

/** Which decision events a group's chat hears of, by the chat event each becomes. */
function decisionChatEvent(e: RecordedEvent): string | null {
  if (e.kind === 'decision.opened') return 'decision-opened';
  if (e.kind === 'decision.extended') return 'decision-extended';
  if (e.kind === 'decision.outcome') return 'decision-outcome';
  // a vote opens on a request (when enough asked), or when a block still stands at the deadline
  if (e.kind === 'decision.vote-requested') return e.after?.voteOpened === true ? 'vote-opened' : null;
  if (e.kind === 'decision.phase-changed' && e.after?.phase === 'vote') return 'vote-opened';
  if (e.kind === 'decision.phase-changed' && e.after?.phase === 'escalated') return 'decision-escalated';
  return null;
}

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** When a decision's vote closes: its voting days from when it opened (on request, or at the deadline). */
const voteClosesAt = (hub: Hub, d: { deadline: string; vote_requested_at: string | null }) =>
  new Date(
    voteOpeningTime(d.deadline, d.vote_requested_at).getTime() +
      hub.governance.decisions.vote.durationDays * 86_400_000,
  ).toISOString();

/**
 * A decision event's chat title and lines, worded as its notice is (recipients.ts), the hub's own words
 * in the community's (a core maintainer as it calls them). A vote a lead's request opened was posted
 * with that request: the close job's later record of the phase is not posted again (null), nor said to
 * be a block that stood at the deadline. `by`: who did it, by name with the handle beside it.
 */
function decisionChat(
  hub: Hub,
  event: string,
  ref: string,
  d: { question: string; deadline: string; vote_requested_at: string | null },
  after: Record<string, unknown>,
  by: string,
): { title: string; lines: string[] } | null {
  const words = (text: string) => inCommunityWords(text, hub.governance);
  if (event === 'decision-opened')
    return {
      title: `${ref} opened: ${d.question}`,
      lines: [`Silence is consent: object by ${utc(d.deadline)}`],
    };
  if (event === 'decision-extended') {
    // the deadline it was extended to, as recorded: a later extension moves the row's on again
    const deadline = factText(after, 'deadline') ?? d.deadline;
    const before = factText(after, 'previousDeadline');
    const reason = withoutTrailing((factText(after, 'reason') ?? '').trim(), '.;,:');
    return {
      title: `${ref} has more time: ${d.question}`,
      lines: [
        words(
          `New deadline: ${utc(deadline)}${before ? ` (was ${utc(before)})` : ''}; silence by then counts as consent`,
        ),
        `Extended by ${by}${reason ? `: ${reason}` : ''}`,
      ],
    };
  }
  if (event === 'vote-opened') {
    const onRequest = !!d.vote_requested_at && new Date(d.vote_requested_at) < new Date(d.deadline);
    const byBlock = after.phase === 'vote';
    if (byBlock && onRequest) return null;
    return {
      title: `${ref} goes to a vote${byBlock ? ' (a block stood at the deadline)' : ''}: ${d.question}`,
      lines: [`Vote yes, no or abstain by ${utc(voteClosesAt(hub, d))}; in a vote, silence is not consent`],
    };
  }
  const result = voteResult(after.result);
  if (event === 'decision-escalated')
    return {
      title: `${ref} escalated: the vote did not settle it, so ${withArticle(resolverName(hub.governance))} resolves it: ${d.question}`,
      lines: result ? [result] : [],
    };
  // in words: 'adopted by vote', not the outcome's id 'adopted-by-vote'
  return {
    title: `${ref} ${String(after.outcome ?? 'closed').replace(/-/g, ' ')}: ${d.question}`,
    lines: after.outcome === 'adopted-by-vote' && result ? [result] : [],
  };
}

/** A vote's count as the close job recorded it: "The vote: 3 yes, 1 no, 0 abstain (routine matter: …)". */
function voteResult(r: unknown): string | null {
  if (!r || typeof r !== 'object' || !('yes' in r) || !('no' in r) || !('abstain' in r)) return null;
  const { yes, no, abstain } = r;
  if (typeof yes !== 'number' || typeof no !== 'number' || typeof abstain !== 'number') return null;
  const rule = 'rule' in r && typeof r.rule === 'string' ? ` (${r.rule})` : '';
  return `The vote: ${yes} yes, ${no} no, ${abstain} abstain${rule}`;
}

/** How long a post may take (the chat service's answer). */
const POST_TIMEOUT_MS = 10_000;
/**
 * How long a claim on a post holds: the post's own time and its recording, with room to spare. A
 * worker that finds a claim past this (its holder died or stalled while posting) posts again.
 */
export const CHAT_CLAIM_MS = 60_000;

/**
 * Claims the post `deliveryId` for this attempt before it is made (`chat_deliveries`). 'sent': a
 * worker posted it already (the job ran again after its worker died or lost its lease past the post)
 * and nothing is to be posted. 'mine': this attempt may post; a claim another attempt let run out
 * without recording the post (it died while posting) is taken over, so such a post may reach the
 * chat twice, the only case left. Claimed by another attempt still in time: RetryAt its end, so two
 * workers never post it side by side.
 */
async function claimPost(hub: Hub, deliveryId: string, webhookId: string, by: string): Promise<'mine' | 'sent'> {
  const db = hub.store.db;
  const now = hub.clock.now();
  const until = new Date(now.getTime() + CHAT_CLAIM_MS).toISOString();
  const inserted = await db
    .insertInto('chat_deliveries')
    .values({ id: deliveryId, webhook_id: webhookId, claimed_by: by, claimed_until: until, sent_at: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return 'mine';
  const taken = await db
    .updateTable('chat_deliveries')
    .set({ claimed_by: by, claimed_until: until })
    .where('id', '=', deliveryId)
    .where('sent_at', 'is', null)
    .where('claimed_until', '<=', now.toISOString())
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return 'mine';
  const row = await db
    .selectFrom('chat_deliveries')
    .select(['sent_at', 'claimed_until'])
    .where('id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  if (row.sent_at) return 'sent';
  throw new RetryAt(
    new Date(row.claimed_until),
    `chat post ${deliveryId}: another worker is posting it (claimed until ${row.claimed_until}); not posted beside it`,
  );
}

/**
 * Whether the group's chat is not to hear of what happened at `at`: the group is retired, or was
 * retired at or after it (and is back since: what the post tells of passed while it was retired).
 */
async function retiredSince(db: Tx, groupId: string, at: string): Promise<'is' | 'was' | null> {
  const g = await db.selectFrom('groups').select(['slug', 'status']).where('id', '=', groupId).executeTakeFirst();
  if (!g) return null;
  if (g.status === 'retired') return 'is';
  const moves = await db
    .selectFrom('events')
    .select('after')
    .where('subject_type', '=', 'group')
    .where('subject_id', '=', g.slug)
    .where('kind', '=', 'group.status-changed')
    .where('at', '>=', at)
    .execute();
  return moves.some((m) => readJson(m.after)?.status === 'retired') ? 'was' : null;
}

/** Records this attempt's post sent, or gives its claim back (the post failed: the next attempt posts). */
async function settlePost(hub: Hub, deliveryId: string, by: string, sent: boolean): Promise<void> {
  const now = hub.clock.now().toISOString();
  await hub.store.db
    .updateTable('chat_deliveries')
    .set(sent ? { sent_at: now } : { claimed_until: now })
    .where('id', '=', deliveryId)
    .where('claimed_by', '=', by)
    .where('sent_at', 'is', null)
    .execute();
}

/**
 * Posts one queued message, once: claimed before it is posted and recorded sent after (claimPost).
 * A 4xx other than 429 will not get better: it stops; the rest retry. Every attempt carries the job's
 * id as `X-Wghub-Delivery` and `Idempotency-Key`, so a receiver that keeps them can drop the one
 * repeat left (a worker that died while posting).
 */
export async function sendChat(hub: Hub, job: ClaimedJob, fetch: typeof globalThis.fetch): Promise<void> {
  const { webhook, message } = payloadOf(job, ChatJob);
  const hook = await hub.store.db.selectFrom('group_webhooks').selectAll().where('id', '=', webhook).executeTakeFirst();
  if (!hook || hook.removed_at) return;
  // claimed first: a post a worker sent already (it died before the job was marked done) is neither
  // posted again nor listed withheld
  const by = `${job.id}:${job.attempt}:${hub.newId()}`;
  if ((await claimPost(hub, job.id, hook.id, by)) === 'sent') return;
  // read again as it is sent: a post queued before the group was retired, or beside its retirement (a
  // decision closing as it commits, read the group active), is not posted after it; the retirement's own
  // is. Nor after the group is back: one that waited out a retry across the retirement tells of news
  // long past, out of order after the chat heard the group is back
  const retired =
    message.event === 'group-retired' ? null : await retiredSince(hub.store.db, hook.group_id, message.at);
  if (retired) {
    await settlePost(hub, job.id, by, false);
    // one withheld after the group is back was not counted in the chat's "back" post: not told again
    return withhold(hub.store.db, hub, hook.group_id, message, retired === 'was');
  }
  const body = chatBody(hook.format, message);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'wghub-webhook',
    'X-Wghub-Event': message.event,
    'X-Wghub-Delivery': job.id,
    'Idempotency-Key': job.id,
  };
  if (hook.secret) headers['X-Wghub-Signature-256'] = signChatBody(hook.secret, body);
  let res: Response;
  try {
    res = await fetch(hook.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
  } catch (e) {
    await settlePost(hub, job.id, by, false);
    if (e instanceof Error && /not a public address|does not resolve/.test(e.message + String(e.cause ?? '')))
      throw new PermanentFailure(`webhook ${hook.id}: ${e.message} ${String(e.cause ?? '')}`);
    throw e;
  }
  await settlePost(hub, job.id, by, res.ok);
  await res.body?.cancel();
  if (res.ok) return;
  if (res.status >= 400 && res.status < 500 && res.status !== 429)
    throw new PermanentFailure(`webhook ${hook.id} refused the message: HTTP ${res.status}`);
  throw new Error(`webhook ${hook.id} answered HTTP ${res.status}; will retry`);
}

const WEEK = 7 * 86_400_000;

/** The group's week: what moved, what waits, what is late. */
export async function weeklySummary(hub: Hub, groupId: string, publicUrl: string): Promise<ChatMessage | null> {
  const db = hub.store.db;
  const g = await db.selectFrom('groups').select(['slug', 'name']).where('id', '=', groupId).executeTakeFirst();
  if (!g) return null;
  const now = hub.clock.now();
  const since = new Date(now.getTime() - WEEK).toISOString();
  const decisions = await db
    .selectFrom('decisions')
    .select(['number', 'question', 'deadline', 'vote_requested_at', 'recorded_state'])
    .where('group_id', '=', groupId)
    .execute();
  const proposals = await db
    .selectFrom('proposals')
    .select(['number', 'sep_number', 'title', 'stage', 'stage_changed_at', 'created_at'])
    .where('group_id', '=', groupId)
    .execute();
  const meetings = await db
    .selectFrom('meetings')
    .select(['number', 'title', 'starts_at', 'duration_minutes', 'notes_published_at', 'cancelled_at', 'rrule'])
    .where('group_id', '=', groupId)
    .where('starts_at', '>=', new Date(now.getTime() - 4 * WEEK).toISOString())
    .execute();
  const refs = new Map(decisions.map((d) => [`D-${d.number}`, d]));
  const outcomes = await db
    .selectFrom('events')
    .select(['subject_id', 'after'])
    .where('kind', '=', 'decision.outcome')
    .where('at', '>=', since)
    .execute();
  const moved = [
    ...outcomes
      .filter((o) => refs.has(o.subject_id))
      .map(
        (o) =>
          `${o.subject_id} ${factText(readJson(o.after), 'outcome') ?? 'closed'}: ${refs.get(o.subject_id)!.question}`,
      ),
    // a stage change, not its filing (as home's movedSince has it): one filed this week and not moved since is
    // said filed, never "moved to idea"
    ...proposals
      .filter((p) => p.stage_changed_at >= since)
      .map((p) =>
        p.stage_changed_at > p.created_at
          ? `${refOf(p)} moved to ${p.stage.replace(/-/g, ' ')}: ${p.title}`
          : `${refOf(p)} filed: ${p.title}`,
      ),
    ...meetings
      .filter((m) => m.notes_published_at && m.notes_published_at >= since)
      .map((m) => `M-${m.number} notes published: ${m.title}`),
  ];
  const waits = [
    ...decisions
      .filter(
        (d) =>
          (d.recorded_state ?? 'lazy-consensus:pending') === 'lazy-consensus:pending' && d.deadline > now.toISOString(),
      )
      .map((d) => `D-${d.number} open until ${d.deadline.slice(0, 10)}: ${d.question}`),
    // a vote, asked for before the lazy-consensus deadline or opened at it, waits until it closes
    ...decisions
      .filter((d) => d.recorded_state === 'vote:pending')
      .map((d) => ({ d, closes: voteClosesAt(hub, d) }))
      .filter(({ closes }) => closes > now.toISOString())
      .map(({ d, closes }) => `D-${d.number} vote open until ${closes.slice(0, 10)}: ${d.question}`),
    ...decisions
      .filter((d) => d.recorded_state === 'escalated:pending')
      .map((d) => `D-${d.number} escalated to the ${resolverName(hub.governance, true)}: ${d.question}`),
    ...proposals.filter((p) => p.stage === 'awaiting-sponsor').map((p) => `${refOf(p)} needs a sponsor: ${p.title}`),
  ];
  const notesHours = hub.governance.meetings.notesHours;
  const late = meetings
    .filter(
      (m) =>
        !m.rrule &&
        !m.cancelled_at &&
        !m.notes_published_at &&
        new Date(m.starts_at).getTime() + (m.duration_minutes + notesHours * 60) * 60_000 < now.getTime(),
    )
    .map((m) => `M-${m.number} notes overdue: ${m.title}`);
  const section = (name: string, items: string[]) => (items.length ? [`${name}:`, ...items.map((i) => `- ${i}`)] : []);
  return {
    event: 'weekly-summary',
    group: g.slug,
    title: `${g.name}: the week`,
    url: `${publicUrl}/groups/${g.slug}`,
    lines:
      moved.length || waits.length || late.length
        ? [...section('Moved', moved), ...section('Waits', waits), ...section('Late', late)]
        : ['A quiet week: nothing moved, nothing waits, nothing is late.'],
    at: now.toISOString(),
  };
}

/** The weekly summary job: posts the group's week to its hooks, then queues next week's. */
export async function postWeeklySummary(hub: Hub, job: ClaimedJob, publicUrl: string): Promise<void> {
  const groupId = payloadOf(job, SummaryJob).group;
  const message = await weeklySummary(hub, groupId, publicUrl);
  if (!message) return;
  await inTransaction(hub, async (trx) => {
    const live = await trx
      .selectFrom('group_webhooks')
      .select('id')
      .where('group_id', '=', groupId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (!live) return; // no hooks left: the weekly job stops
    // nor is there a week to tell of once the group is retired (brought back, it is queued anew: chatReaction)
    const g = await trx.selectFrom('groups').select('status').where('id', '=', groupId).executeTakeFirst();
    if (g?.status === 'retired') return;
    // keyed by this week's job: the job run again (its worker died, or lost its lease, after this
    // committed and before it was marked done) posts the week once
    await queueChat(trx, hub, groupId, job.key ?? `chat-summary:${groupId}:${job.id}`, message);
    await enqueueMany(trx, hub, [summaryJob(groupId, nextSummaryAt(hub.clock.now()))]);
  });
}
