import { createHash } from 'node:crypto';
import { slugAsStored } from '../../domain/slugs.ts';
import { isDeepStrictEqual } from 'node:util';
import { type GroupKind, type GroupStatus, leadTitle, type ParticipationLevel } from '../../domain/community.ts';
import { alreadyAsAsked, Conflict, Forbidden, InvalidInput, invalid, NotFound } from '../../domain/errors.ts';
import { charterNamesLead } from '../../domain/charter-doc/drift.ts';
import { alikeBecause, nameClash } from '../../domain/lookalike.ts';
import { allowedGroupMoves, checkGroupMove, membershipStanding, sponsorshipState } from '../../domain/groups.ts';
import {
  charterFacts,
  leadershipDrift,
  type CharterDocument,
  type CharterFacts,
  type LeadershipDrift,
} from '../../domain/charter-doc/index.ts';
import {
  addChangelogEntry,
  changelogChars,
  emptySectionRefusal,
  headingIn,
  newCharter,
  replaceSection,
  sectionMarkdown,
} from '../../domain/charter-edit.ts';
import type { Governance } from '../../domain/governance/schema.ts';
import { groupKindName, levelName, levelsNamed } from '../../domain/governance/words.ts';
import { readJson, writeJson, type GroupsTable, type PeopleTable } from '../../store/schema.ts';
import {
  CursorPart,
  assertVersion,
  decodeCursor,
  encodeCursor,
  inTransaction,
  nowIso,
  record,
  requireVersion,
  type Actor,
  type Hub,
  type Page,
  type Tx,
  writeOrConflict,
} from '../core/hub.ts';
import { personRow } from '../people/people.ts';
import { authorize, authorizeAsPerson, readInputFor, viewerOf } from '../core/gate.ts';
import { groupCan, groupsCan, joinLevels } from './group-can.ts';
import { standingsIn } from './standing.ts';
import { holdKey, holdRow } from '../core/hold.ts';
import {
  settleOpenRequest,
  whoAnswersRequests,
  yourRequestIn,
  type WhoAnswers,
  type YourMembershipRequest,
} from './membership-request-reads.ts';
import {
  ALLOWED,
  groupMoveTo,
  invitationListPolicy,
  isAlreadySo,
  leadEligibility,
  type Can,
  type GroupAction,
} from '../../domain/policies/index.ts';
import { LIMITS } from '../../domain/limits.ts';
import { nameWithHandle } from '../../domain/people.ts';
import {
  byWhom,
  closeOpenInvitations,
  inviteIn,
  settleOnJoin,
  tooManyFromSender,
  type InvitationView,
} from './invitations.ts';
import {
  JoinGroupInput,
  ListGroupsQuery,
  MoveGroupInput,
  ProposeGroupInput,
  SetMemberLevelInput,
  UpdateCharterInput,
} from './schemas.ts';
import { InputCheck, parseInput } from '../core/validate.ts';
import { indexGroup } from '../search/indexing.ts';
import { openDecisionRefsIn, openDecisionsIn } from '../decisions/decisions.ts';

export type MemberView = {
  handle: string;
  name: string;
  organisation: string | null;
  level: ParticipationLevel;
  levelLabel: string | null;
  emeritus: boolean;
  emeritusSince: string | null;
  joinedAt: string;
  lastActiveAt: string;
};

export type GroupSummary = {
  slug: string;
  name: string;
  kind: GroupKind;
  status: GroupStatus;
  mission: string;
  version: number;
};

export type GroupView = GroupSummary & {
  charter: CharterFacts;
  sponsors: { handle: string; name: string; role: string; sponsoredAt: string }[];
  /**
   * `whoMay`: while a proposed group's sponsorship is not met, the people whose role may sponsor it
   * and who have not yet (at most 20), so its proposer knows whom to ask; empty otherwise.
   */
  sponsorship: { met: boolean; rule: string; have: string; whoMay: { handle: string; name: string; role: string }[] };
  /**
   * The moves on the group's route from where it stands; `needsLead`: this move (proposed to active)
   * waits for an active lead the group does not have yet, as moving it now would be refused.
   */
  allowedMoves: {
    to: GroupStatus;
    by: string;
    needsSponsorship: boolean;
    needsLead: boolean;
    /** The group's decisions still open that keep this move (to retired) from being made until each is withdrawn or closes. */
    openDecisions: string[];
  }[];
  members: MemberView[];
  /**
   * Where the charter's Leadership table and the leads recorded here disagree (someone named lead
   * here, or no longer leading, since the charter was last amended), or null when they agree.
   */
  leadershipDrift: LeadershipDrift | null;
  /**
   * Those named as lead in the group's proposal who are invited and have not yet accepted (open
   * invitations, soonest to expire first): they lead once they accept, and a proposed group becomes
   * active only with an active lead.
   */
  invitedLeads: { handle: string; name: string; expiresAt: string }[];
  topicAreas: { slug: string; name: string; goal: string }[];
  sourcePath: string | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * The group a short name names, as someone typed it (`Hosting` names hosting: `slugAsStored`, the one
 * place a group's name is folded, so every edge and every use case behind it reads it alike). A use case
 * that goes on to name the group (an event's subject, a view, a message) names it by the row's `slug`.
 */
export async function groupRow(db: Tx, slug: string): Promise<GroupsTable> {
  const g = await db.selectFrom('groups').selectAll().where('slug', '=', slugAsStored(slug)).executeTakeFirst();
  if (!g) throw new NotFound('group', slug);
  return g;
}

/**
 * The group, its row held (FOR SHARE on PostgreSQL) until the transaction ends, for a use case that
 * adds to it on the strength of its status (a member accepted, a proposal placed): a move such as
 * retiring it waits for this transaction, and one already made is read as it committed. Shared, so
 * such additions to one group still run side by side. SQLite's write transactions already take turns.
 */
export async function groupRowShared(trx: Tx, hub: Hub, slug: string): Promise<GroupsTable> {
  if (hub.store.kind !== 'postgres') return groupRow(trx, slug);
  const g = await trx
    .selectFrom('groups')
    .selectAll()
    .where('slug', '=', slugAsStored(slug))
    .forShare()
    .executeTakeFirst();
  if (!g) throw new NotFound('group', slug);
  return g;
}

/**
 * The group, its row held (FOR NO KEY UPDATE on PostgreSQL) until the transaction ends, for a use case
 * that adds to it on the strength of its status and also counts a bound under the group (a meeting, a
 * decision, a topic area, a chat webhook) or writes the group's own row (its charter): a retirement
 * under way waits for it, or it for the retirement and then reads the group retired. Held as `holdRow`
 * holds it, never shared first (two such writes each holding it shared, then both asking for more,
 * would deadlock). SQLite's write transactions already take turns.
 */
export async function groupRowHeld(trx: Tx, hub: Hub, slug: string): Promise<GroupsTable> {
  if (hub.store.kind !== 'postgres') return groupRow(trx, slug);
  const g = await trx
    .selectFrom('groups')
    .selectAll()
    .where('slug', '=', slugAsStored(slug))
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!g) throw new NotFound('group', slug);
  return g;
}

export function charterOf(g: GroupsTable): CharterDocument {
  return readJson(g.charter);
}

// Reading facts parses markdown (milliseconds per charter); a charter's text only changes with a
// write, so facts are remembered by the stored text's digest (the text itself as the key kept up to
// 500 charters of 500,000 characters alive). Bounded, oldest dropped first.
const factsCache = new Map<string, CharterFacts>();
const FACTS_CACHE_SIZE = 500;

/** A group's charter facts; `kindNames` (the governance file's `groupKindNames`) read its Group Type in the community's words. */
export function factsOf(g: GroupsTable, kindNames: Governance['groupKindNames'] = {}): CharterFacts {
  const key = createHash('sha256').update(JSON.stringify(kindNames)).update('\n').update(g.charter).digest('base64');
  const hit = factsCache.get(key);
  if (hit) return hit;
  const facts = charterFacts(charterOf(g), kindNames);
  factsCache.set(key, facts);
  if (factsCache.size > FACTS_CACHE_SIZE) factsCache.delete(factsCache.keys().next().value!);
  return facts;
}

export async function membersOf(db: Tx, hub: Hub, groupId: string): Promise<MemberView[]> {
  const rows = await db
    .selectFrom('group_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select([
      'p.id as person_id',
      'p.handle',
      'p.name',
      'm.level',
      'm.level_label',
      'm.emeritus',
      'm.joined_at',
      'm.last_active_at',
    ])
    .where('m.group_id', '=', groupId)
    .orderBy('p.handle')
    .execute();
  const orgs = rows.length
    ? await db
        .selectFrom('affiliations as a')
        .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
        .select(['a.person_id', 'o.name', 'a.from_date', 'a.to_date'])
        .where(
          'a.person_id',
          'in',
          rows.map((r) => r.person_id),
        )
        .execute()
    : [];
  const today = hub.clock.now().toISOString().slice(0, 10);
  const levelOrder = hub.governance.membership.levels;
  return rows
    .map((r) => {
      const standing = membershipStanding(
        hub.governance,
        { level: r.level, emeritus: r.emeritus === 1, lastActiveAt: r.last_active_at },
        hub.clock.now(),
      );
      const org = orgs.find(
        (o) =>
          o.person_id === r.person_id && (!o.from_date || o.from_date <= today) && (!o.to_date || today <= o.to_date),
      );
      return {
        handle: r.handle,
        name: r.name,
        organisation: org?.name ?? null,
        level: r.level,
        levelLabel: r.level_label,
        emeritus: standing.emeritus,
        emeritusSince: standing.emeritusSince,
        joinedAt: r.joined_at,
        lastActiveAt: r.last_active_at,
      };
    })
    .sort(
      (a, b) =>
        Number(a.emeritus) - Number(b.emeritus) ||
        levelOrder.indexOf(b.level) - levelOrder.indexOf(a.level) ||
        a.handle.localeCompare(b.handle),
    );
}

/** The actor's active level in a group: emeritus members and non-members hold none. */
export async function activeLevelIn(
  db: Tx,
  hub: Hub,
  groupId: string,
  actor: Actor,
): Promise<ParticipationLevel | null> {
  if (actor.kind !== 'person') return null;
  const m = await db
    .selectFrom('group_members')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('person_id', '=', actor.person.id)
    .executeTakeFirst();
  if (!m) return null;
  return membershipStanding(
    hub.governance,
    { level: m.level, emeritus: m.emeritus === 1, lastActiveAt: m.last_active_at },
    hub.clock.now(),
  ).activeLevel;
}

async function sponsorsOf(db: Tx, groupId: string) {
  const rows = await db
    .selectFrom('group_sponsors as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .select(['p.handle', 'p.name', 's.role_at_sponsorship', 's.sponsored_at'])
    .where('s.group_id', '=', groupId)
    .orderBy('s.sponsored_at')
    // two sponsoring at one instant (an import, the demo) are named in the same order on both databases
    .orderBy('p.name')
    .execute();
  return rows.map((r) => ({
    handle: r.handle,
    name: r.name,
    role: r.role_at_sponsorship,
    sponsoredAt: r.sponsored_at,
  }));
}

function summaryOf(g: GroupsTable, facts: CharterFacts): GroupSummary {
  return {
    slug: g.slug,
    name: g.name,
    kind: g.kind,
    status: g.status,
    mission: facts.mission,
    version: g.version,
  };
}

export async function groupView(db: Tx, hub: Hub, g: GroupsTable): Promise<GroupView> {
  return (await groupViewUntil(db, hub, g)).view;
}

/** The group's view, and when the soonest of its open decisions may close by the clock (its moves say so). */
async function groupViewUntil(db: Tx, hub: Hub, g: GroupsTable): Promise<{ view: GroupView; openUntil: number }> {
  const facts = factsOf(g, hub.governance.groupKindNames);
  const sponsors = await sponsorsOf(db, g.id);
  const topics = await db
    .selectFrom('topic_areas')
    .select(['slug', 'name', 'goal'])
    .where('group_id', '=', g.id)
    .orderBy('slug')
    .execute();
  const sponsorship = sponsorshipState(
    hub.governance,
    sponsors.map((s) => ({ handle: s.handle, role: s.role })),
  );
  const roles = hub.governance.groups.sponsorship.anyOf.map((o) => o.role);
  const whoMay =
    g.status === 'proposed' && !sponsorship.met && roles.length
      ? (
          await db
            .selectFrom('people')
            .select(['handle', 'name', 'role'])
            .where('role', 'in', roles)
            .orderBy('role')
            .orderBy('handle')
            .limit(20 + sponsors.length)
            .execute()
        )
          .filter((p) => !sponsors.some((s) => s.handle === p.handle))
          .slice(0, 20)
      : [];
  const members = await membersOf(db, hub, g.id);
  const invited = await invitedLeadsOf(db, hub, g.id, facts);
  const moves = allowedGroupMoves(hub.governance, g.status);
  const open = moves.some((m) => m.to === 'retired')
    ? await openDecisionsIn(db, hub, g.id)
    : { refs: [], closesAt: null };
  const view: GroupView = {
    ...summaryOf(g, facts),
    charter: facts,
    sponsors,
    sponsorship: { ...sponsorship, whoMay },
    // as moveGroup has it: a group becomes active only with an active lead
    allowedMoves: moves.map((m) => ({
      ...m,
      needsLead:
        g.status === 'proposed' && m.to === 'active' && !members.some((x) => x.level === 'lead' && !x.emeritus),
      openDecisions: m.to === 'retired' ? open.refs : [],
    })),
    members,
    leadershipDrift: await driftOf(db, facts, members, invited),
    invitedLeads: invited.map(({ handle, name, expiresAt }) => ({ handle, name, expiresAt })),
    topicAreas: topics,
    sourcePath: g.source_path,
    createdAt: g.created_at,
    updatedAt: g.updated_at,
  };
  return { view, openUntil: open.closesAt ? Date.parse(open.closesAt) : Infinity };
}

/**
 * The open invitations of those named as lead in the group's proposal that can still be accepted
 * (the charter's Leadership table still names them: one it dropped is refused on accepting, rule
 * `no-longer-named-in-charter`), soonest to expire first.
 */
async function invitedLeadsOf(
  db: Tx,
  hub: Hub,
  groupId: string,
  facts: CharterFacts,
): Promise<{ handle: string; name: string; github: string | null; expiresAt: string }[]> {
  const rows = await db
    .selectFrom('group_invitations as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .select(['p.handle', 'p.name', 'p.github', 'i.expires_at'])
    .where('i.group_id', '=', groupId)
    .where('i.answered_at', 'is', null)
    .where('i.named_in_proposal', '=', 1)
    .where('i.level', '=', 'lead')
    .where('i.expires_at', '>', nowIso(hub))
    .orderBy('i.expires_at')
    .orderBy('p.handle')
    .limit(LIMITS.invitationsPerGroup)
    .execute();
  return rows
    .filter((r) => charterNamesLead(facts, { handle: r.handle, name: r.name, github: r.github }))
    .map((r) => ({ handle: r.handle, name: r.name, github: r.github, expiresAt: r.expires_at }));
}

async function driftOf(
  db: Tx,
  facts: CharterFacts,
  members: MemberView[],
  invited: { handle: string; name: string; github: string | null }[] = [],
): Promise<LeadershipDrift | null> {
  const leads = members.filter((m) => m.level === 'lead' && !m.emeritus);
  const github = new Map(
    leads.length
      ? (
          await db
            .selectFrom('people')
            .select(['handle', 'github'])
            .where(
              'handle',
              'in',
              leads.map((l) => l.handle),
            )
            .execute()
        ).map((p) => [p.handle, p.github])
      : [],
  );
  return leadershipDrift(
    facts,
    leads.map((l) => ({ handle: l.handle, name: l.name, github: github.get(l.handle) ?? null })),
    invited,
  );
}

export async function getGroup(hub: Hub, slug: string): Promise<GroupView> {
  return hub.reads.get(hub, `group:${slugAsStored(slug)}`, async () => {
    const row = await groupRow(hub.store.db, slug);
    const { view, openUntil } = await groupViewUntil(hub.store.db, hub, row);
    // members' activity (a comment in the group) changes when they turn emeritus
    // an invitation named in its proposal expires by the clock: the view says so from then on
    const expires = view.invitedLeads.length ? Date.parse(view.invitedLeads[0]!.expiresAt) : Infinity;
    // an open decision closing by the clock no longer keeps the group from being retired
    return {
      value: view,
      validUntil: Math.min(nextStandingChange(hub, view.members), expires, openUntil),
      tags: [`members:${row.id}`],
    };
  });
}

type VisitorAnswer = GroupView & {
  can: Can<GroupAction>;
  joinAs: ParticipationLevel[];
  yourRequest: null;
  whoAnswersRequests: WhoAnswers;
};
/** A visitor's answer, by the cached view it was made from (and the cached verdicts it was made with). */
const visitorViews = new WeakMap<GroupView, { visitor: object; answer: Readonly<VisitorAnswer> }>();

/** The group as `viewer` sees it: the shared view, what they may do to it now (`can`), and their request to become a member. */
export async function getGroupFor(
  hub: Hub,
  slug: string,
  viewer: Actor | null,
): Promise<
  GroupView & {
    can: Can<GroupAction>;
    joinAs: ParticipationLevel[];
    yourRequest: YourMembershipRequest | null;
    whoAnswersRequests: WhoAnswers;
  }
> {
  const view = await getGroup(hub, slug);
  // a visitor's verdicts and who answers requests are the same for every visitor: kept with the
  // view (any write drops them, as the next emeritus date does) instead of five queries a read
  if (!viewer) {
    const visitor = await hub.reads.get(hub, `group-visitor:${slugAsStored(slug)}`, async () => {
      const row = await groupRow(hub.store.db, slug);
      const can = await groupCan(hub.store.db, hub, null, row, undefined, openDecisionsOf(view));
      const whoAnswers = await whoAnswersRequests(hub.store.db, hub, row.id);
      return {
        value: { can, joinAs: joinLevels(hub, can.join), whoAnswersRequests: whoAnswers },
        validUntil: nextStandingChange(hub, view.members),
      };
    });
    // one answer object while both cached values last: frozen, so an edge may keep its serialised
    // form (src/http/server.ts) instead of writing the same 4 KB of JSON for every visitor
    let seen = visitorViews.get(view);
    if (seen?.visitor !== visitor) {
      seen = { visitor, answer: Object.freeze({ ...view, ...visitor, yourRequest: null }) };
      visitorViews.set(view, seen);
    }
    return seen.answer as VisitorAnswer;
  }
  const row = await groupRow(hub.store.db, slug);
  // the open decisions the move waits for: read with the (cached) view, not again for each viewer
  const can = await groupCan(hub.store.db, hub, viewer, row, undefined, openDecisionsOf(view));
  // the levels the join form offers: decided with `can.join`, never guessed by an edge; the viewer's
  // own request to become a member, so they read whether it is open, declined (and until when) or accepted
  return {
    ...view,
    can,
    joinAs: joinLevels(hub, can.join),
    yourRequest: viewer?.kind === 'person' ? await yourRequestIn(hub.store.db, hub, row.id, viewer.person.id) : null,
    // said before anyone asks: a group whose leads all left or lapsed has others answer
    whoAnswersRequests: await whoAnswersRequests(hub.store.db, hub, row.id),
  };
}

/** The decisions still open that keep the group from being retired, as its view lists them beside the move. */
const openDecisionsOf = (view: GroupView): readonly string[] =>
  view.allowedMoves.find((m) => m.to === 'retired')?.openDecisions ?? [];

/** When the next member becomes emeritus by the clock: a cached view is stale from then on. */
function nextStandingChange(hub: Hub, members: MemberView[]): number {
  const days = hub.governance.membership.inactivityDays * 86_400_000;
  const now = hub.clock.now().getTime();
  let next = Infinity;
  for (const m of members) {
    if (m.emeritus || !hub.governance.membership.decayingLevels.includes(m.level)) continue;
    const due = new Date(m.lastActiveAt).getTime() + days;
    if (due > now && due < next) next = due;
  }
  return next;
}

// A list of groups shows each one's mission, which is read from its charter (up to 500,000
// characters): reading every listed charter on every list made an anonymous visitor reloading the
// web's /groups read about 25 MB a hit. The mission is remembered per group and version (every write
// of a charter moves its group's version, and of its updated_at), so a list reads only the charters
// it has not seen at that version. Per hub, bounded, oldest dropped first.
const missionsRead = new WeakMap<Hub, Map<string, string>>();
const MISSIONS_KEPT = 1000;

type ListedGroup = Pick<GroupsTable, 'id' | 'slug' | 'name' | 'kind' | 'status' | 'version' | 'updated_at'>;

async function missionsOf(hub: Hub, groups: ListedGroup[]): Promise<Map<string, string>> {
  let kept = missionsRead.get(hub);
  if (!kept) {
    kept = new Map();
    missionsRead.set(hub, kept);
  }
  const key = (g: { id: string; version: number; updated_at: string }) => `${g.id}:${g.version}:${g.updated_at}`;
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const g of groups) {
    const mission = kept.get(key(g));
    if (mission === undefined) missing.push(g.id);
    else found.set(g.id, mission);
  }
  if (!missing.length) return found;
  const rows = await hub.store.db
    .selectFrom('groups')
    .select(['id', 'charter', 'version', 'updated_at'])
    .where('id', 'in', missing)
    .execute();
  for (const r of rows) {
    // the charter as read now: a write between the two reads shows its newer mission
    const mission = charterFacts(readJson(r.charter)).mission;
    found.set(r.id, mission);
    kept.set(key(r), mission);
    if (kept.size > MISSIONS_KEPT) kept.delete(kept.keys().next().value!);
  }
  return found;
}

/** A page of groups; `open`: only those that take new work (not retired), for a form that places something in one. */
export async function listGroups(hub: Hub, rawQuery: unknown, opts: { open?: true } = {}): Promise<Page<GroupSummary>> {
  const q = parseInput(ListGroupsQuery, rawQuery);
  const after = decodeCursor(q.cursor, CursorPart.text);
  let query = hub.store.db
    .selectFrom('groups')
    // not the charter: missionsOf reads only those it has not seen at their version
    .select(['id', 'slug', 'name', 'kind', 'status', 'version', 'updated_at'])
    .orderBy('slug')
    .limit(q.limit + 1);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.status) query = query.where('status', '=', q.status);
  if (opts.open) query = query.where('status', '!=', 'retired');
  if (after !== undefined) query = query.where('slug', '>', after);
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const missions = await missionsOf(hub, page);
  return {
    items: page.map((g) => ({
      slug: g.slug,
      name: g.name,
      kind: g.kind,
      status: g.status,
      mission: missions.get(g.id) ?? '',
      version: g.version,
    })),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!.slug) : null,
  };
}

async function primaryOrganisation(db: Tx, personId: string, today: string): Promise<string> {
  const a = await db
    .selectFrom('affiliations as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select('o.name')
    .where('a.person_id', '=', personId)
    .where((eb) => eb.or([eb('a.from_date', 'is', null), eb('a.from_date', '<=', today)]))
    .where((eb) => eb.or([eb('a.to_date', 'is', null), eb('a.to_date', '>=', today)]))
    .executeTakeFirst();
  return a?.name ?? 'Independent';
}

/** A person named as a lead must be eligible (the group policy says who is); refused as bad input of `field`. */
function requireLeadEligible(hub: Hub, p: PeopleTable, field: string): void {
  const v = leadEligibility(hub.governance, p);
  if (!v.allowed) throw invalid(field, v.reason);
}

/**
 * Why `name` cannot be a group's (another group, not `except`, reads as it), or null: the same name in
 * another case, spacing or compatibility form (attack round 17), or one that looks the same in other
 * letters, a Greek omicron for an "o" (Unicode's confusable skeletons, attack round 18). Two groups
 * under one name are one label in every list and form, and which is which a guess. Taken under a
 * lock on PostgreSQL, so two at once cannot both pass.
 */
async function nameTaken(trx: Tx, hub: Hub, name: string, except: string | null): Promise<string | null> {
  await holdKey(trx, hub, 'group-name');
  const others = (await trx.selectFrom('groups').select(['id', 'slug', 'name']).execute()).filter(
    (g) => g.id !== except,
  );
  const clash = nameClash(name, others);
  if (!clash) return null;
  const { slug, name: theirs } = clash.other;
  return clash.same
    ? `is the name of the group '${slug}' already (${theirs}): choose one people can tell apart`
    : `looks like the name of the group '${slug}' (${theirs})${alikeBecause(clash)}: choose one people can tell apart`;
}

/**
 * Why `actor` may not propose another group now, or null: the groups they proposed that are still
 * proposed number LIMITS.groupsProposedWaiting already (attack round 24: every list of groups and every
 * maintainer's what-needs-me reads the proposed ones, each with a charter of up to 500,000 characters).
 * Counted under a lock on the proposer, so two proposals at once cannot both pass.
 */
async function tooManyProposedBy(trx: Tx, hub: Hub, actor: Actor): Promise<string | null> {
  if (actor.kind !== 'person') return null;
  await holdKey(trx, hub, `groups-proposed:${actor.person.id}`);
  const handle = actor.person.handle;
  const waiting = await trx
    .selectFrom('groups as g')
    .select('g.slug')
    .where('g.status', '=', 'proposed')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('events as e')
          .select('e.seq')
          .where('e.subject_type', '=', 'group')
          .whereRef('e.subject_id', '=', 'g.slug')
          .where('e.kind', '=', 'group.proposed')
          .where('e.actor', '=', handle),
      ),
    )
    .orderBy('g.created_at')
    .orderBy('g.id')
    .execute();
  const bound = LIMITS.groupsProposedWaiting;
  if (waiting.length < bound) return null;
  const slugs = waiting.slice(0, bound).map((g) => g.slug);
  const more = waiting.length > bound ? ` and ${waiting.length - bound} more` : '';
  return `You have proposed ${waiting.length} groups that are still proposed (${slugs.join(', ')}${more}): one person's proposed groups wait at most ${bound} at once. Once one is sponsored and made active, or retired, you may propose another`;
}

/** Proposes a new group: it starts as `proposed`, with a charter written from the template. */
export async function proposeGroup(hub: Hub, actor: Actor, raw: unknown): Promise<GroupView> {
  authorize(groupsCan(hub, actor), 'propose');
  // every mistake at once: the form's own rules, a short name taken and each lead not here or not eligible
  const check = new InputCheck(ProposeGroupInput, raw);
  return inTransaction(hub, async (trx) => {
    const f = check.fields;
    if (
      f.slug !== undefined &&
      (await trx.selectFrom('groups').select('id').where('slug', '=', f.slug).executeTakeFirst())
    )
      check.add('slug', `a group '${f.slug}' already exists`);
    if (f.name !== undefined) {
      const taken = await nameTaken(trx, hub, f.name, null);
      if (taken) check.add('name', taken);
    }
    // the mission is written under its heading in the charter: a heading in it starts a section of
    // the charter, and one named Leadership or Membership named whoever its table lists as leads
    const heading = f.mission === undefined ? null : headingIn(f.mission);
    if (heading !== null)
      check.add(
        'mission',
        `must not hold a heading ('${heading}'): a heading in the mission starts a section of the charter; write the mission as text, and add sections once the group is proposed`,
      );
    const leads: PeopleTable[] = [];
    for (const [i, h] of (f.leads ?? []).entries()) {
      const p = await personRow(trx, h).catch(() => undefined);
      if (!p) check.add(`leads[${i}]`, `no person '${h}': check the handle on the People page, or add them first`);
      else {
        const eligible = leadEligibility(hub.governance, p);
        // each lead named but the proposer is invited: refused here, naming the lead, past the bound
        // on invitations one person sends another (attack round 23)
        const tooMany =
          actor.kind === 'person' && p.id === actor.person.id ? null : await tooManyFromSender(trx, hub, actor, p);
        if (!eligible.allowed) check.add(`leads[${i}]`, eligible.reason);
        else if (tooMany) check.add(`leads[${i}]`, `names ${h}, but ${tooMany.reason}`);
        else leads.push(p);
      }
    }
    const input = check.done();
    const waiting = await tooManyProposedBy(trx, hub, actor);
    if (waiting) throw new Conflict(waiting, { rule: 'too-many-groups-proposed' });
    const now = nowIso(hub);
    const today = now.slice(0, 10);
    const doc = newCharter({
      protocol: hub.governance.community.protocol,
      ...(hub.governance.groupKindNames[input.kind] ? { kindName: hub.governance.groupKindNames[input.kind] } : {}),
      name: input.name,
      kind: input.kind,
      mission: input.mission,
      scopeIn: input.scopeIn,
      scopeOut: input.scopeOut,
      relatedGroups: input.relatedGroups,
      leads: await Promise.all(
        leads.map(async (p) => ({
          name: p.name,
          organisation: await primaryOrganisation(trx, p.id, today),
          github: p.github ?? p.handle,
        })),
      ),
      date: today,
    });
    // a lead edits a section whole, at most LIMITS.document characters: a scope proposed longer than
    // that could be shortened but never saved again as it stands (attack round 22)
    const scope = sectionMarkdown(doc, 'Scope')?.length ?? 0;
    if (scope > LIMITS.document)
      throw invalid(
        'scopeIn',
        `with scopeOut and relatedGroups, must fit the charter's Scope section, which its leads edit whole: at most ${LIMITS.document.toLocaleString('en')} characters (these come to ${scope.toLocaleString('en')})`,
      );
    const row: GroupsTable = {
      id: hub.newId(),
      slug: input.slug,
      kind: input.kind,
      name: input.name,
      status: 'proposed',
      charter: writeJson(doc),
      source_path: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('groups').values(row).execute();
    // the proposer who names themself leads at once (their own act); every other lead named is invited
    // as a lead and leads once they accept: nobody is placed in a group by another's act, and one named
    // without agreeing would be its only lead, who can neither leave nor step down
    const self = actor.kind === 'person' ? actor.person.id : null;
    for (const p of leads.filter((l) => l.id !== self))
      await inviteIn(trx, hub, actor, row, p, {
        level: 'lead',
        message: '',
        expiresInDays: LIMITS.invitationDays,
        namedInProposal: true,
      });
    for (const p of leads.filter((l) => l.id === self)) {
      await trx
        .insertInto('group_members')
        .values({
          group_id: row.id,
          person_id: p.id,
          level: 'lead',
          level_label: leadTitle(input.kind),
          emeritus: 0,
          joined_at: now,
          last_active_at: now,
        })
        .execute();
    }
    await indexGroup(trx, row.id);
    const view = await groupView(trx, hub, row);
    await record(trx, hub, actor, 'group.proposed', { type: 'group', id: row.slug }, null, {
      slug: row.slug,
      name: row.name,
      kind: row.kind,
      // who leads by this act (the proposer naming themself) apart from who is only invited to: the
      // public log never records someone as leading who has not agreed to
      leads: leads.filter((l) => l.id === self).map((l) => l.handle),
      invited: leads.filter((l) => l.id !== self).map((l) => l.handle),
    });
    return view;
  });
}

async function casGroup(
  trx: Tx,
  hub: Hub,
  g: GroupsTable,
  expected: number,
  set: Partial<GroupsTable>,
): Promise<GroupsTable> {
  const at = { table: 'groups', id: g.id, what: `group ${g.slug}` } as const;
  return writeOrConflict(
    trx,
    hub,
    at,
    expected,
    set,
    () => groupRow(trx, g.slug),
    (now) => groupView(trx, hub, now),
  );
}

/** Amends the charter: rename, replace sections by heading, add a changelog line. */
export async function updateCharter(
  hub: Hub,
  actor: Actor,
  slug: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<GroupView> {
  return inTransaction(hub, async (trx) => {
    // held until commit: a retirement under way waits for this amendment, or it for the retirement
    // and then reads the group retired (refused in words, not as a stale version)
    const g = await groupRowHeld(trx, hub, slug);
    slug = g.slug; // the group named as stored, from here on
    authorize(await groupCan(trx, hub, actor, g), 'editCharter');
    const expected = requireVersion(expectedVersion, `group ${slug}`);
    // a section the charter template requires is never saved blank, each named with its own field,
    // together with every other mistake of the form (a changelog line missing)
    const given = (raw as { sections?: unknown } | null)?.sections;
    const blanked = (Array.isArray(given) ? given : []).flatMap((s: unknown, i) => {
      const { heading, markdown } = (s ?? {}) as { heading?: unknown; markdown?: unknown };
      const rule =
        typeof heading === 'string' && typeof markdown === 'string'
          ? emptySectionRefusal(heading, markdown, g.kind, groupKindName(hub.governance, g.kind))
          : null;
      return rule ? [{ field: `sections[${i}].markdown`, rule }] : [];
    });
    const input = (() => {
      try {
        return parseInput(UpdateCharterInput, raw);
      } catch (e) {
        if (e instanceof InvalidInput && blanked.length) throw new InvalidInput([...blanked, ...e.issues]);
        throw e;
      }
    })();
    if (blanked.length) throw new InvalidInput(blanked);
    const taken = input.name ? await nameTaken(trx, hub, input.name, g.id) : null;
    if (taken) throw invalid('name', taken);
    assertVersion(g.version, expected, `group ${slug}`, await groupView(trx, hub, g));
    const stored = charterOf(g);
    let doc = stored;
    for (const [i, s] of (input.sections ?? []).entries())
      doc = replaceSection(doc, s.heading, s.markdown, `sections[${i}].heading`);
    // a form saved as it was shown (the same sections, the same name) changes nothing: no new version
    // (nobody else's edit is refused for it), no changelog line, no event, no GitHub write-back, as
    // with a proposal; a changelog line sent alone is still a change to the Changelog
    const sameName = input.name === undefined || input.name === g.name;
    const changesSent = Boolean(input.sections?.length) || input.name !== undefined;
    if (changesSent && sameName && isDeepStrictEqual(doc, stored)) return groupView(trx, hub, g);
    if (input.changelog) {
      doc = addChangelogEntry(doc, nowIso(hub).slice(0, 10), input.changelog);
      // its leads edit the Changelog whole, at most LIMITS.document characters, and every amendment
      // records the whole charter: a line past that is refused, so it cannot grow without end (attack
      // round 24: 200 amendments made one charter 1 MB and its events 200 MB)
      const log = changelogChars(doc);
      if (log > LIMITS.document)
        throw invalid(
          'changelog',
          `would take the charter's Changelog to ${log.toLocaleString('en')} characters, past the ${LIMITS.document.toLocaleString('en')} a section holds: shorten the Changelog section first (the lines taken out stay in the event log), then add this line`,
        );
    }
    const set: Partial<GroupsTable> = { charter: writeJson(doc) };
    if (input.name) set.name = input.name;
    const updated = await casGroup(trx, hub, g, expected, set);
    await indexGroup(trx, g.id);
    await record(
      trx,
      hub,
      actor,
      'group.charter-amended',
      { type: 'group', id: slug },
      { name: g.name, charter: readJson(g.charter) },
      { name: updated.name, charter: doc },
    );
    return groupView(trx, hub, updated);
  });
}

/** A core or lead maintainer sponsors a group and its leadership. */
export async function sponsorGroup(hub: Hub, actor: Actor, slug: string): Promise<GroupView> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    slug = g.slug; // the group named as stored, from here on
    const me = authorizeAsPerson(await groupCan(trx, hub, actor, g), 'sponsor', actor);
    // the same sponsorship sent twice at once (PostgreSQL lets both pass the policy side by side): the
    // second finds the first's row, changes nothing and is told so, as one sent after it is (409)
    const added = await trx
      .insertInto('group_sponsors')
      .values({
        group_id: g.id,
        person_id: me.person.id,
        role_at_sponsorship: me.person.role,
        sponsored_at: nowIso(hub),
      })
      .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
      .executeTakeFirst();
    if (Number(added.numInsertedOrUpdatedRows ?? 0) !== 1)
      throw alreadyAsAsked('You already sponsor this group', { action: 'sponsor' });
    await record(trx, hub, actor, 'group.sponsored', { type: 'group', id: slug }, null, {
      sponsor: me.person.handle,
      role: me.person.role,
    });
    return groupView(trx, hub, g);
  });
}

/** Moves a group between statuses under the governance file's transitions and sponsorship rule. */
export async function moveGroup(hub: Hub, actor: Actor, slug: string, raw: unknown): Promise<GroupView> {
  return inTransaction(hub, async (trx) => {
    // held: a decision opened meanwhile (which holds the group too) is either counted below or, waiting,
    // reads the group retired and is refused
    const g = await groupRowHeld(trx, hub, slug);
    slug = g.slug; // the group named as stored, from here on
    authorize(await groupCan(trx, hub, actor, g), 'move');
    const input = parseInput(MoveGroupInput, raw);
    const sponsors = (await sponsorsOf(trx, g.id)).map((s) => ({ handle: s.handle, role: s.role }));
    const verdict = checkGroupMove(hub.governance, g.status, input.to, sponsors);
    if (!verdict.ok && verdict.kind === 'illegal') throw invalid('to', verdict.message);
    // this move, for this person: who may make it is the group policy's
    // never retired under open decisions: each is withdrawn in the open (its opener or a lead, saying
    // why, those told of it hearing so) or left to close first, so nothing closes by silence in a group
    // that no longer runs; the close job never finds one open there (closeDueDecisions)
    const open = input.to === 'retired' ? await openDecisionRefsIn(trx, hub, g.id) : [];
    authorize({ move: groupMoveTo(hub.governance, viewerOf(hub, actor), g.status, input.to, open)! }, 'move');
    if (!verdict.ok) throw invalid('to', verdict.message);
    // a group becomes active with a lead: one proposed naming only others, who declined or let their
    // invitations lapse, would be active with nobody to run it (nor to leave or step down as its last)
    if (g.status === 'proposed' && input.to === 'active') {
      await holdRow(trx, hub, 'groups', g.id);
      if (!(await standingsIn(trx, hub, g.id)).some((s) => s.activeLevel === 'lead')) {
        const invited = await invitedLeadsOf(trx, hub, g.id, factsOf(g, hub.governance.groupKindNames));
        const names = invited.map((l) => nameWithHandle(l.handle, l.name));
        throw invalid(
          'to',
          `${g.name} has no active lead, and a group becomes active only with at least one: ${
            names.length
              ? `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} invited as lead and must accept first`
              : 'nobody named as lead has an open invitation; invite someone as lead, and once they accept, move it again'
          }`,
        );
      }
    }
    const updated = await casGroup(trx, hub, g, g.version, { status: input.to });
    // a retired group takes no new members: its open invitations are withdrawn with it, and the
    // requests to become a member still open are declined (each asker told why), as nobody may
    // answer them any more
    if (input.to === 'retired') {
      const why = `${g.name} was retired by ${byWhom(actor)}`;
      await closeOpenInvitations(trx, hub, actor, g, null, 'withdrawn', why);
      await declineOpenRequests(trx, hub, actor, g, why);
    }
    await record(
      trx,
      hub,
      actor,
      'group.status-changed',
      { type: 'group', id: slug },
      { status: g.status },
      { status: input.to },
    );
    await indexGroup(trx, g.id);
    return groupView(trx, hub, updated);
  });
}

/**
 * Declines a group's open requests to become a member, saying why, each recorded so its asker hears it;
 * marked as the retirement's, so the asker's wait to ask again (askAgainDays) does not follow it.
 * Only the rows this update answered are told: one a lead answered meanwhile is theirs.
 */
async function declineOpenRequests(trx: Tx, hub: Hub, actor: Actor, g: GroupsTable, why: string): Promise<void> {
  const declined = await trx
    .updateTable('membership_requests')
    .set({
      answer: 'declined',
      answer_reason: why,
      answered_by: actor.kind === 'person' ? actor.person.id : null,
      answered_at: nowIso(hub),
      declined_by_retirement: 1,
    })
    .where('group_id', '=', g.id)
    .where('answered_at', 'is', null)
    .returning((eb) => [
      'id',
      eb
        .selectFrom('people')
        .select('people.handle')
        .whereRef('people.id', '=', 'membership_requests.person_id')
        .as('handle'),
    ])
    .execute();
  for (const r of declined.sort((a, b) => a.id.localeCompare(b.id)))
    await record(trx, hub, actor, 'group.membership-answered', { type: 'group', id: g.slug }, null, {
      handle: r.handle!,
      answer: 'declined',
    });
}

/** Joins a group at a self-service level (observer or participant by default). */
export async function joinGroup(hub: Hub, actor: Actor, slug: string, raw: unknown = {}): Promise<MemberView[]> {
  return inTransaction(hub, async (trx) => {
    // held shared before the join key, the order an invitation's accept takes them: a retirement
    // under way waits for this join, or this join for it (then reads the group retired)
    const g = await groupRowShared(trx, hub, slug);
    slug = g.slug; // the group named as stored, from here on
    // the same person's join sent twice at once takes turns (PostgreSQL would let both pass the
    // policy side by side): the later one then meets the policy's "already in this group"
    if (actor.kind === 'person') await holdKey(trx, hub, `join:${g.id}:${actor.person.id}`);
    // the policy answers for everyone: one already in the group at a level they hold is refused, an
    // emeritus member comes back by joining again
    const can = await groupCan(trx, hub, actor, g);
    // joining again at the level one holds (a second click) is already as asked (409, nothing to do);
    // asked at another level, it is refused as the policy says (the leads set levels)
    // asked at another level, it is refused as the policy says (the leads set levels). Only that
    // refusal is already as asked: a retired group, agreements not accepted keep their own answer
    // and remedy (`authorize`)
    const already = isAlreadySo(can.join);
    const input = already
      ? parseInput(JoinGroupInput, raw)
      : readInputFor(can, ['join'], () => parseInput(JoinGroupInput, raw));
    if (already && !can.join.allowed && (await activeLevelIn(trx, hub, g.id, actor)) !== input.level)
      throw new Forbidden(can.join.reason, { action: 'join' });
    const me = authorizeAsPerson(can, 'join', actor);
    if (!hub.governance.membership.selfServiceLevels.includes(input.level)) {
      throw invalid(
        'level',
        `anyone may join as ${levelsNamed(hub.governance, hub.governance.membership.selfServiceLevels)}; ${levelName(hub.governance, input.level)} is granted by the group's leads`,
      );
    }
    const now = nowIso(hub);
    // inserted unless there: an emeritus member's row is, and they come back by joining
    const joined = await trx
      .insertInto('group_members')
      .values({
        group_id: g.id,
        person_id: me.person.id,
        level: input.level,
        level_label: null,
        emeritus: 0,
        joined_at: now,
        last_active_at: now,
      })
      .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
      .executeTakeFirst();
    const existing =
      Number(joined.numInsertedOrUpdatedRows ?? 0) === 1
        ? undefined
        : await trx
            .selectFrom('group_members')
            .selectAll()
            .where('group_id', '=', g.id)
            .where('person_id', '=', me.person.id)
            .executeTakeFirst();
    if (existing) {
      // Coming back counts as participation: it ends emeritus status for an inactive member.
      await trx
        .updateTable('group_members')
        .set({ last_active_at: now, emeritus: 0 })
        .where('group_id', '=', g.id)
        .where('person_id', '=', me.person.id)
        .execute();
      // emeritus as it stood, computed from the clock as everywhere: a member whose standing lapsed
      // with time has no flag set, yet comes back to a voice (and is told of the open decisions)
      const lapsed = membershipStanding(
        hub.governance,
        { level: existing.level, emeritus: existing.emeritus === 1, lastActiveAt: existing.last_active_at },
        hub.clock.now(),
      ).emeritus;
      await record(
        trx,
        hub,
        actor,
        'group.member-returned',
        { type: 'group', id: slug },
        { level: existing.level, emeritus: lapsed },
        { level: existing.level, emeritus: false },
      );
    } else {
      await record(trx, hub, actor, 'group.member-joined', { type: 'group', id: slug }, null, {
        handle: me.person.handle,
        level: input.level,
      });
    }
    // joined by their own act: an open invitation to no more than the level they now hold is moot; one
    // to a higher level still stands (accepting it raises them: a lead named in a proposal who joined
    // as a participant first still leads once they accept)
    await settleOnJoin(trx, hub, actor, g, me.person, existing ? existing.level : input.level);
    return membersOf(trx, hub, g.id);
  });
}

/**
 * Changes a member's level (leads must meet the lead minimum role). For someone not in the group it is
 * an invitation (`invitation`), which they accept or decline: nobody is placed in a group by another's
 * act (invitations.ts). `items` is the group's members as they stand after.
 */
export async function setMemberLevel(
  hub: Hub,
  actor: Actor,
  slug: string,
  handle: string,
  raw: unknown,
): Promise<{ items: MemberView[]; invitation: InvitationView | null }> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    authorize(await groupCan(trx, hub, actor, g), 'setMemberLevel');
    const input = parseInput(SetMemberLevelInput, raw);
    const p = await personRow(trx, handle);
    const member = await trx
      .selectFrom('group_members')
      .select('person_id')
      .where('group_id', '=', g.id)
      .where('person_id', '=', p.id)
      .executeTakeFirst();
    if (!member) {
      // the same rule as inviting: a retired group takes no new members
      authorize(invitationListPolicy(g.status, ALLOWED), 'invite');
      // the same level asked again while its invitation is open answers with that invitation
      const invitation = await inviteIn(
        trx,
        hub,
        actor,
        g,
        p,
        {
          level: input.level,
          message: input.message ?? '',
          expiresInDays: input.expiresInDays ?? LIMITS.invitationDefaultDays,
        },
        'same',
      );
      return { items: await membersOf(trx, hub, g.id), invitation };
    }
    // a message and an expiry go with an invitation; a member's level changes at once, and nothing would keep them
    for (const field of ['message', 'expiresInDays'] as const)
      if (input[field] !== undefined && input[field] !== '')
        throw invalid(
          field,
          `goes with an invitation; ${handle} is already in the group, so their level changes at once and no ${field === 'message' ? 'message' : 'expiry'} is kept`,
        );
    return { items: await setLevelIn(trx, hub, actor, g, handle, input.level), invitation: null };
  });
}

/**
 * Places a person in a group directly, at a level, as setting a level did before invitations: for the
 * paths that record the community as it already is (the demo's seed, test fixtures), never an edge.
 * Checked as setting a level is (`setMemberLevel`); a lead still meets the lead minimum role.
 */
export async function placeInGroup(
  hub: Hub,
  actor: Actor,
  slug: string,
  handle: string,
  raw: unknown,
): Promise<MemberView[]> {
  return inTransaction(hub, async (trx) => {
    const g = await groupRow(trx, slug);
    authorize(await groupCan(trx, hub, actor, g), 'setMemberLevel');
    const input = parseInput(SetMemberLevelInput, raw);
    return setLevelIn(trx, hub, actor, g, handle, input.level);
  });
}

/** Sets a person's level in a group inside the caller's transaction, once the caller has checked who may. */
export async function setLevelIn(
  trx: Tx,
  hub: Hub,
  actor: Actor,
  g: GroupsTable,
  handle: string,
  level: ParticipationLevel,
  /** Who answers an open request of theirs to become a member (the actor unless said: an invitation's inviter). */
  opts: { requestAnsweredBy?: string | null } = {},
): Promise<MemberView[]> {
  const slug = g.slug;
  const input = { level };
  {
    const p = await personRow(trx, handle);
    if (input.level === 'lead') requireLeadEligible(hub, p, 'level');
    const now = nowIso(hub);
    const existing = await trx
      .selectFrom('group_members')
      .selectAll()
      .where('group_id', '=', g.id)
      .where('person_id', '=', p.id)
      .executeTakeFirst();
    // the level it already has (set twice by a lead unsure the first took): nothing changes, nothing is
    // recorded; a lead's word on their level still closes an invitation to another one left open by
    // their joining lower (an old offer never overrides what a lead decides after it)
    const levelSet = `${byWhom(actor)} set @${p.handle}'s level in ${g.name} to ${levelName(hub.governance, input.level)}`;
    if (existing && existing.level === input.level && !existing.emeritus && existing.level_label === null) {
      await closeOpenInvitations(trx, hub, actor, g, p.id, 'superseded', levelSet);
      return membersOf(trx, hub, g.id);
    }
    // as leaving is refused to the only lead, so is stepping down: a group is never left without one
    // (a lead whose standing lapsed with time is emeritus though no flag says so yet: not another lead)
    if (existing?.level === 'lead' && !existing.emeritus && input.level !== 'lead') {
      // two leads stepping down at once each count the other: held, the second counts after the first
      await holdRow(trx, hub, 'groups', g.id);
      const standings = await standingsIn(trx, hub, g.id);
      const leading = (s: (typeof standings)[number]) => s.activeLevel === 'lead';
      // one whose own standing lapsed leads nobody now: moving them leaves the group as it was
      const others = standings.filter((s) => s.personId !== p.id && leading(s));
      if (standings.some((s) => s.personId === p.id && leading(s)) && !others.length)
        // refused as leaving and removal are (403): the group's state, not the level asked for, is why
        throw new Forbidden(`${handle} is the group's only active lead: make someone else a lead first`);
    }
    if (existing) {
      await trx
        .updateTable('group_members')
        .set({ level: input.level, level_label: null, emeritus: 0, last_active_at: now })
        .where('group_id', '=', g.id)
        .where('person_id', '=', p.id)
        .execute();
    } else {
      await trx
        .insertInto('group_members')
        .values({
          group_id: g.id,
          person_id: p.id,
          level: input.level,
          level_label: null,
          emeritus: 0,
          joined_at: now,
          last_active_at: now,
        })
        .execute();
    }
    // made a member or lead directly: an open request for it has its answer (the leads' list keeps no stale one)
    if (input.level === 'member' || input.level === 'lead')
      await settleOpenRequest(
        trx,
        hub,
        g.id,
        p.id,
        'accepted',
        opts.requestAnsweredBy !== undefined
          ? opts.requestAnsweredBy
          : actor.kind === 'person'
            ? actor.person.id
            : null,
      );
    // their place changed after any invitation still open: it no longer stands (an accepted one is closed already)
    await closeOpenInvitations(trx, hub, actor, g, p.id, 'superseded', levelSet);
    await record(
      trx,
      hub,
      actor,
      'group.member-level-set',
      { type: 'group', id: slug },
      existing ? { handle, level: existing.level } : null,
      { handle, level: input.level },
    );
    return membersOf(trx, hub, g.id);
  }
}

/**
 * Marks participation in a group now: any contribution in the group keeps a member active. A member
 * whose standing had lapsed (emeritus, or inactive past the governance file's days) comes back by it:
 * that is recorded as `group.member-returned`, so they are told of the decisions open in the group
 * that now count their answer, as a member returning by joining again is (standing-events.ts).
 */
export async function touchMembership(
  trx: Tx,
  hub: Hub,
  groupId: string,
  personId: string,
  /** When the participation took place (a meeting attended earlier), if not now. */
  at?: string,
): Promise<void> {
  const now = nowIso(hub);
  const when = at && at < now ? at : now;
  const m = await trx
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.level', 'm.emeritus', 'm.last_active_at', 'g.slug', 'p.handle'])
    .where('m.group_id', '=', groupId)
    .where('m.person_id', '=', personId)
    .executeTakeFirst();
  if (!m || (m.last_active_at >= when && m.emeritus === 0)) return;
  const lapsed = membershipStanding(
    hub.governance,
    { level: m.level, emeritus: m.emeritus === 1, lastActiveAt: m.last_active_at },
    hub.clock.now(),
  ).emeritus;
  await trx
    .updateTable('group_members')
    .set({ last_active_at: m.last_active_at > when ? m.last_active_at : when, emeritus: 0 })
    .where('group_id', '=', groupId)
    .where('person_id', '=', personId)
    .execute();
  const back = membershipStanding(
    hub.governance,
    { level: m.level, emeritus: false, lastActiveAt: m.last_active_at > when ? m.last_active_at : when },
    hub.clock.now(),
  );
  if (lapsed && !back.emeritus) {
    const person = await personRow(trx, m.handle);
    await record(
      trx,
      hub,
      { kind: 'person', person },
      'group.member-returned',
      { type: 'group', id: m.slug },
      { handle: m.handle, level: m.level, emeritus: true },
      { handle: m.handle, level: m.level, emeritus: false, by: 'taking part' },
    );
  }
}

/** The groups a person belongs to, with their level as it stands now (emeritus computed, as on the group page). */
export async function groupsOf(
  hub: Hub,
  handle: string,
): Promise<{ slug: string; name: string; level: ParticipationLevel; emeritus: boolean }[]> {
  const rows = await hub.store.db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['g.slug', 'g.name', 'm.level', 'm.emeritus', 'm.last_active_at'])
    .where('p.handle', '=', handle)
    .orderBy('g.name')
    .execute();
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    level: r.level,
    emeritus: membershipStanding(
      hub.governance,
      { level: r.level, emeritus: r.emeritus === 1, lastActiveAt: r.last_active_at },
      hub.clock.now(),
    ).emeritus,
  }));
}

export async function getGroupMembers(hub: Hub, slug: string): Promise<MemberView[]> {
  const g = await groupRow(hub.store.db, slug);
  return membersOf(hub.store.db, hub, g.id);
}
