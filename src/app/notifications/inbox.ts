import { type Governance, shownRefsIn, shownSubjectRef } from '../../domain/governance/index.ts';
import { authorizeOwn } from '../people/access.ts';
import {
  type Can,
  type InboxAction,
  inboxPolicy,
  type NotificationAction,
  notificationPolicy,
  type Viewer,
} from '../../domain/policies/index.ts';
import { viewerOf } from '../core/gate.ts';
import type { NotificationsTable } from '../../store/schema.ts';
import {
  CursorPart,
  type Actor,
  decodeCursor,
  encodeCursor,
  type Hub,
  inTransaction,
  nowIso,
  type Page,
} from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { InboxQuery, MarkReadInput } from './schemas.ts';

export type NotificationView = {
  id: string;
  kind: string;
  subject: { type: string; ref: string };
  title: string;
  detail: string;
  reason: string;
  events: number;
  createdAt: string;
  updatedAt: string;
  read: boolean;
  /** Where the mail got: null (inbox only), queued, sent, failed, digest, digest-sent. */
  mail: string | null;
  /** Where the subject lives on the hub. */
  path: string;
  /** Whether the viewer may mark it read, and if not why. */
  can: Can<NotificationAction>;
};

/** A page of the inbox, with whether there is anything left to mark read. */
export type InboxPage = Page<NotificationView> & { can: Can<InboxAction> };

/** Where on its subject's page a notice of this kind points: the part that holds what it is about. */
const PART_OF_PAGE: Partial<Record<string, string>> = {
  // the action items, where their owner marks one done
  'action-assigned': '#actions',
  'action-due': '#actions',
  // the agenda, where written input shows under its item with whether it was presented
  'written-input-outcome': '#agenda',
  'written-input': '#agenda',
  // the group page's invitation, with Accept and Decline, for the person invited
  invitation: '#invitation',
};

/** Where a notice of this kind points when told for this reason: whoever invited hears the answer by the leads' list. */
const PART_FOR_REASON: Partial<Record<string, string>> = {
  'invitation:inviter': '#invitations',
};

export function subjectPath(type: string, ref: string, kind?: string, reason?: string): string {
  const part = (kind && reason && PART_FOR_REASON[`${kind}:${reason}`]) || (kind && PART_OF_PAGE[kind]) || '';
  return pagePath(type, ref) + part;
}

function pagePath(type: string, ref: string): string {
  switch (type) {
    case 'decision':
      return `/decisions/${ref}`;
    case 'proposal':
      return `/proposals/${ref}`;
    case 'meeting':
      return `/meetings/${ref}`;
    case 'group':
      return `/groups/${ref}`;
    // a topic area, GROUP/TOPIC: its card on its group's page
    case 'topic-area': {
      const [group, topic] = ref.split('/');
      return `/groups/${group}#topic-${topic}`;
    }
    // a notice about a person's own record (their community role): their page
    case 'person':
      return `/people/${ref}`;
    // a mirrored plain issue or Discussion: OWNER/NAME#N, its page on the hub
    case 'github-issue':
    case 'github-discussion': {
      const at = /^([^/#]+\/[^/#]+)#(\d+)$/.exec(ref);
      return at ? `/github/${at[1]}/${type === 'github-issue' ? 'issues' : 'discussions'}/${at[2]}` : '/';
    }
    default:
      return '/';
  }
}

/** A notice as its reader sees it: its texts cite documents as the community does (RFC-12; stored SEP-12). */
function notificationView(g: Governance, r: NotificationsTable, viewer: Viewer): NotificationView {
  return {
    id: r.id,
    kind: r.kind,
    subject: { type: r.subject_type, ref: shownSubjectRef(g, r.subject_type, r.subject_ref) },
    title: shownRefsIn(g, r.title),
    detail: shownRefsIn(g, r.detail),
    reason: r.reason,
    events: Number(r.events),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    read: r.read_at !== null,
    mail: r.mail_state,
    path: subjectPath(r.subject_type, shownSubjectRef(g, r.subject_type, r.subject_ref), r.kind, r.reason),
    can: notificationPolicy(viewer, { read: r.read_at !== null }),
  };
}

export async function listInbox(hub: Hub, actor: Actor, raw: unknown = {}): Promise<InboxPage> {
  const person = authorizeOwn(hub, actor, 'inbox');
  const q = parseInput(InboxQuery, raw);
  const after = decodeCursor(q.cursor, [CursorPart.time, CursorPart.id]);
  let query = hub.store.db
    .selectFrom('notifications')
    .selectAll()
    .where('person_id', '=', person.id)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1);
  if (q.unread === 'true') query = query.where('read_at', 'is', null);
  if (q.unread === 'false') query = query.where('read_at', 'is not', null);
  if (after)
    query = query.where((eb) =>
      eb.or([eb('updated_at', '<', after[0]), eb.and([eb('updated_at', '=', after[0]), eb('id', '<', after[1])])]),
    );
  const [rows, unread] = await Promise.all([query.execute(), unreadOf(hub, person.id)]);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const viewer = viewerOf(hub, actor);
  return {
    items: page.map((r) => notificationView(hub.governance, r, viewer)),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.updated_at, last.id]) : null,
    can: inboxPolicy(viewer, { unread }),
  };
}

export async function unreadCount(hub: Hub, actor: Actor): Promise<number> {
  return unreadOf(hub, authorizeOwn(hub, actor, 'inbox').id);
}

async function unreadOf(hub: Hub, personId: string): Promise<number> {
  const r = await hub.store.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Marks the given notifications (or every unread one) read; returns how many changed. */
export async function markRead(hub: Hub, actor: Actor, raw: unknown = {}): Promise<{ marked: number }> {
  const person = authorizeOwn(hub, actor, 'inbox');
  const input = parseInput(MarkReadInput, raw);
  return inTransaction(hub, async (trx) => {
    let q = trx
      .updateTable('notifications')
      .set({ read_at: nowIso(hub) })
      .where('person_id', '=', person.id)
      .where('read_at', 'is', null);
    if (input.ids) {
      if (!input.ids.length) return { marked: 0 };
      q = q.where('id', 'in', input.ids);
    }
    const res = await q.executeTakeFirst();
    return { marked: Number(res.numUpdatedRows) };
  });
}

/** Opening a subject's page marks what told the person about it as read (and so as opened). */
export async function markSubjectRead(hub: Hub, actor: Actor, type: string, ref: string): Promise<void> {
  if (actor.kind !== 'person') return;
  await hub.store.db
    .updateTable('notifications')
    .set({ read_at: nowIso(hub) })
    .where('person_id', '=', actor.person.id)
    .where('subject_type', '=', type)
    .where('subject_ref', '=', ref)
    .where('read_at', 'is', null)
    .execute();
}
