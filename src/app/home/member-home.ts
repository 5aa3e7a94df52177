// "What needs me": the member's home page. Decisions where my voice counts and I have not
// answered yet (with their deadlines), and the proposals I sponsor, support or wrote, with those
// that moved stage since my last visit marked.
import { shownRef } from '../../domain/governance/words.ts';
import { LIMITS } from '../../domain/limits.ts';
import type { PeopleTable } from '../../store/schema.ts';
import { getDecision, listDecisions } from '../decisions/decisions.ts';
import { guidanceAnswerPlace, guidanceWords } from '../../domain/decisions/outcome.ts';
import type { Hub } from '../core/hub.ts';
import { answersForLeaderless } from '../../domain/policies/index.ts';
import { withoutActiveLead } from '../groups/standing.ts';
import { refOf } from '../proposals/proposals.ts';

/** Proposals the home lists by name; the rest are counted. */
export const HOME_PROPOSALS = 20;

export type FollowedProposal = {
  ref: string;
  title: string;
  /** Its group's slug, when it has one. */
  group: string | null;
  stage: string;
  route: string;
  stageChangedAt: string;
  /** When it was filed: one filed since the last visit and still at its first stage has not moved. */
  createdAt: string;
  why: ('sponsor' | 'supporter' | 'author')[];
  movedSinceLastVisit: boolean;
};

export type MemberHome = {
  /** `responses`: those that count by kind, as the decision's tally has them (a standing block is said beside "Consent"). */
  decisions: {
    ref: string;
    group: string;
    question: string;
    deadline: string;
    phase: string;
    responses: { consent: number; concern: number; block: number };
  }[];
  /** The latest to change stage, at most HOME_PROPOSALS. */
  proposals: FollowedProposal[];
  /** How many proposals the member sponsors, supports or wrote in all. */
  proposalsTotal: number;
  groups: { slug: string; name: string; level: string }[];
  /**
   * The topic areas this person facilitates, by group and name: one newly named as a facilitator
   * found no word of it where they look first, and had to search the groups' pages for their area.
   */
  facilitates: { group: string; groupName: string; slug: string; name: string }[];
  /**
   * Open decisions in my groups where my answer is shown but not counted (a participant's, an
   * observer's) and I have not answered in their current phase: "none awaits your voice" alone read
   * as "nothing to say" to a newcomer whose group was deciding something. In a vote too (the inbox
   * tells them of it), with `deadline` the vote's close, not the lazy-consensus deadline.
   */
  advisory: { ref: string; group: string; question: string; deadline: string; phase: 'lazy-consensus' | 'vote' }[];
  /**
   * People asking to become members of the groups I lead, waiting for an answer (oldest first, at most
   * 50); for a role that answers for a group without an active lead (core, lead maintainers), theirs too.
   */
  membershipRequests: { group: string; groupName: string; handle: string; name: string; requestedAt: string }[];
  /** Escalated decisions nobody is named to resolve yet, which this person may name someone for (oldest first). */
  toDesignate: { ref: string; group: string; question: string; dueAt: string | null }[];
  /** Escalated decisions this person was named to resolve and has given no guidance on yet, with the initial response's due date. */
  /**
   * Escalations named to the person and not yet resolved: with no guidance yet, or guidance that asked
   * for more (information, deliberation), which still leaves the binding word theirs to give.
   */
  escalations: {
    ref: string;
    group: string;
    question: string;
    dueAt: string | null;
    /** The guidance they gave so far, in words ("more information is needed"); null when none yet. */
    soFar: string | null;
  }[];
  /**
   * Escalated decisions whose resolver's guidance says more information is needed, waiting for the
   * answer of this person as one of its parties (who opened it, answered it or voted on it, as the
   * notice of that guidance reached them), until binding guidance is given: the notice alone left
   * their home silent, though the decision waits on them. Oldest guidance first.
   */
  asked: {
    ref: string;
    group: string;
    question: string;
    /** The guidance, as the resolver wrote it. */
    guidance: string;
    /** When it was given. */
    at: string;
    /** Who resolves it (handle, name): the answer mentions them so they are told. */
    resolver: { handle: string; name: string } | null;
    /** Where to answer (guidanceAnswerPlace): the proposal's discussion, or where the group works. */
    answerAt: { path: string; words: string; mentionTells: boolean };
  }[];
  /**
   * Lists whose rows reached their bound before they were filtered, so more may wait than they show
   * (`whatNeedsMe` says so): a list cut at 50 rows then filtered to none still may hide some.
   */
  more: {
    decisions: boolean;
    advisory: boolean;
    membershipRequests: boolean;
    escalations: boolean;
    toDesignate: boolean;
    asked: boolean;
  };
};

export async function memberHome(hub: Hub, person: PeopleTable, previousVisit: string | null): Promise<MemberHome> {
  const db = hub.store.db;
  // an escalation named to me is listed below with its guidance due, not as one to answer here
  const needingPage = await listDecisions(hub, { needing: person.handle, open: 'true', limit: 50 });
  const needing = needingPage.items;
  const decisions = needing
    .filter((d) => d.phase !== 'escalated')
    .map((d) => ({
      ref: d.ref,
      group: d.group,
      question: d.question,
      // a vote closes at its own time, not at the lazy-consensus deadline
      deadline: d.closesAt,
      phase: d.phase,
      responses: d.responses ?? { consent: 0, concern: 0, block: 0 },
    }));
  decisions.sort((a, b) => a.deadline.localeCompare(b.deadline));

  // bounded whatever the community's size: the HOME_PROPOSALS latest to change stage (so those that
  // moved since the last visit come first), and a count of the rest
  const mine = db
    .selectFrom('proposals')
    .select('id')
    .where('sponsor_id', '=', person.id)
    .union(db.selectFrom('proposal_supporters').select('proposal_id as id').where('person_id', '=', person.id))
    .union(db.selectFrom('proposal_authors').select('proposal_id as id').where('person_id', '=', person.id));
  const [rows, counted] = await Promise.all([
    db
      .selectFrom('proposals as p')
      .leftJoin('groups as g', 'g.id', 'p.group_id')
      .select([
        'p.id',
        'p.number',
        'p.sep_number',
        'p.title',
        'p.stage',
        'p.route',
        'p.stage_changed_at',
        'p.created_at',
        'p.sponsor_id',
      ])
      .select('g.slug as group')
      .where('p.id', 'in', mine)
      .orderBy('p.stage_changed_at', 'desc')
      .orderBy('p.id')
      .limit(HOME_PROPOSALS)
      .execute(),
    db
      .selectFrom(mine.as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((r) => r.id);
  const [supported, authored] = ids.length
    ? await Promise.all([
        db
          .selectFrom('proposal_supporters')
          .select('proposal_id as id')
          .where('person_id', '=', person.id)
          .where('proposal_id', 'in', ids)
          .execute(),
        db
          .selectFrom('proposal_authors')
          .select('proposal_id as id')
          .where('person_id', '=', person.id)
          .where('proposal_id', 'in', ids)
          .execute(),
      ])
    : [[], []];
  const sup = new Set(supported.map((r) => r.id));
  const auth = new Set(authored.map((r) => r.id));
  const proposals = rows.map((p) => ({
    ref: shownRef(hub.governance, refOf(p)),
    title: p.title,
    group: p.group,
    stage: p.stage,
    route: p.route,
    stageChangedAt: p.stage_changed_at,
    createdAt: p.created_at,
    why: [
      ...(p.sponsor_id === person.id ? ['sponsor' as const] : []),
      ...(sup.has(p.id) ? ['supporter' as const] : []),
      ...(auth.has(p.id) ? ['author' as const] : []),
    ],
    movedSinceLastVisit: false,
  }));
  const proposalsTotal = Number(counted.n);

  const groups = await db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['g.slug', 'g.name', 'm.level'])
    .where('m.person_id', '=', person.id)
    .orderBy('g.name')
    .execute();
  const facilitates = await db
    .selectFrom('topic_facilitators as f')
    .innerJoin('topic_areas as t', 't.id', 'f.topic_area_id')
    .innerJoin('groups as g', 'g.id', 't.group_id')
    .select(['g.slug as group', 'g.name as groupName', 't.slug', 't.name'])
    .where('f.person_id', '=', person.id)
    .orderBy('g.name')
    .orderBy('t.name')
    // bounded as every list of the home is
    .limit(LIMITS.needsPerKind)
    .execute();
  const eligible = hub.governance.decisions.eligibleLevels as readonly string[];
  const advisory: MemberHome['advisory'] = [];
  let advisoryMore = false;
  for (const g of groups.filter((x) => !eligible.includes(x.level))) {
    const page = await listDecisions(hub, { group: g.slug, open: 'true', limit: 10 });
    if (page.nextCursor) advisoryMore = true;
    const open = page.items.filter((d) => d.phase === 'lazy-consensus' || d.phase === 'vote');
    if (!open.length) continue;
    // each decision's latest response of theirs, as the decision's page reads it: one they withdrew
    // is no answer, and the decision waits for them again
    const latest = new Map<string, string>();
    for (const r of (
      await db
        .selectFrom('decision_responses as r')
        .innerJoin('decisions as d', 'd.id', 'r.decision_id')
        .select(['d.number', 'r.kind', 'r.at'])
        .where('r.person_id', '=', person.id)
        .where(
          'd.number',
          'in',
          open.map((d) => Number(d.ref.slice(2))),
        )
        .execute()
    ).sort((a, b) => a.at.localeCompare(b.at)))
      latest.set(`D-${r.number}`, r.kind);
    const answered = new Set([...latest].filter(([, kind]) => kind !== 'withdrawn').map(([ref]) => ref));
    // in a vote, what answers it is a vote of theirs (where the governance file lets their level cast one)
    const voting = open.filter((d) => d.phase === 'vote');
    const voted = new Set(
      voting.length
        ? (
            await db
              .selectFrom('decision_votes as v')
              .innerJoin('decisions as d', 'd.id', 'v.decision_id')
              .select('d.number')
              .where('v.person_id', '=', person.id)
              .where(
                'd.number',
                'in',
                voting.map((d) => Number(d.ref.slice(2))),
              )
              .execute()
          ).map((r) => `D-${r.number}`)
        : [],
    );
    for (const d of open)
      if (d.phase === 'vote' ? !voted.has(d.ref) : !answered.has(d.ref))
        advisory.push({
          ref: d.ref,
          group: d.group,
          question: d.question,
          // a vote closes at its own time, not at the lazy-consensus deadline
          deadline: d.closesAt,
          phase: d.phase === 'vote' ? 'vote' : 'lazy-consensus',
        });
  }
  advisory.sort((a, b) => a.deadline.localeCompare(b.deadline));
  const cap = LIMITS.needsPerKind;
  let requestsMore = false;
  const ledRows = await db
    .selectFrom('membership_requests as r')
    .innerJoin('group_members as mine', (j) =>
      j.onRef('mine.group_id', '=', 'r.group_id').on('mine.person_id', '=', person.id),
    )
    .innerJoin('groups as g', 'g.id', 'r.group_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .select(['g.slug', 'g.name', 'p.handle', 'p.name as personName', 'r.requested_at'])
    .where('mine.level', '=', 'lead')
    .where('mine.emeritus', '=', 0)
    .where('r.answered_at', 'is', null)
    .orderBy('r.requested_at')
    .limit(cap)
    .execute();
  if (ledRows.length === cap) requestsMore = true;
  const membershipRequests = ledRows.map((r) => ({
    group: r.slug,
    groupName: r.name,
    handle: r.handle,
    name: r.personName,
    requestedAt: r.requested_at,
  }));
  // a group whose leads all left or lapsed has nobody in it to answer: those whose role answers for it see them
  if (answersForLeaderless(hub.governance, person.role)) {
    // the groups without an active lead are picked first, so the requests of led groups, however
    // many wait, never crowd theirs out of the list
    const asked = (
      await db
        .selectFrom('membership_requests')
        .select('group_id')
        .where('answered_at', 'is', null)
        .groupBy('group_id')
        // past a thousand asked groups, those waiting longest are the ones kept
        .orderBy((eb) => eb.fn.min('requested_at'))
        .limit(1000)
        .execute()
    ).map((r) => r.group_id);
    const leaderless = await withoutActiveLead(db, hub, asked);
    if (leaderless.length) {
      const open = await db
        .selectFrom('membership_requests as r')
        .innerJoin('groups as g', 'g.id', 'r.group_id')
        .innerJoin('people as p', 'p.id', 'r.person_id')
        .select(['g.slug', 'g.name', 'p.handle', 'p.name as personName', 'r.requested_at'])
        .where('r.answered_at', 'is', null)
        .where('r.group_id', 'in', leaderless)
        .orderBy('r.requested_at')
        .limit(cap)
        .execute();
      if (open.length === cap) requestsMore = true;
      for (const r of open)
        if (!membershipRequests.some((m) => m.group === r.slug && m.handle === r.handle))
          membershipRequests.push({
            group: r.slug,
            groupName: r.name,
            handle: r.handle,
            name: r.personName,
            requestedAt: r.requested_at,
          });
      if (membershipRequests.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)).splice(cap).length)
        requestsMore = true;
    }
  }
  // named to resolve an escalation: nobody else gives its guidance, so it waits on them, and still does
  // after guidance that asked for more information (it left the list then, though nothing was resolved)
  const named = await db
    .selectFrom('decision_escalations as e')
    .innerJoin('decisions as d', 'd.id', 'e.decision_id')
    .select('d.number')
    .where('e.designee_id', '=', person.id)
    .where((eb) => eb.or([eb('e.guidance_kind', 'is', null), eb('e.guidance_kind', '!=', 'binding')]))
    .where('d.withdrawn_at', 'is', null)
    .orderBy('e.escalated_at')
    .limit(cap)
    .execute();
  const escalations: MemberHome['escalations'] = [];
  for (const r of named) {
    const d = await getDecision(hub, `D-${r.number}`);
    if (d.state.phase === 'escalated')
      escalations.push({
        ref: d.ref,
        group: d.group,
        question: d.question,
        // guidance given met the initial response: no due date is left (what needs me says the same)
        dueAt: d.escalation?.guidanceKind ? null : d.state.escalationDueAt,
        soFar: d.escalation?.guidanceKind ? guidanceWords(hub.governance, d.escalation.guidanceKind) : null,
      });
  }
  // a party to an escalation whose resolver asked for more information: the decision waits for their answer
  const askedRows = await db
    .selectFrom('decision_escalations as e')
    .innerJoin('decisions as d', 'd.id', 'e.decision_id')
    .select(['d.number', 'e.guidance_at'])
    .where('e.guidance_kind', '=', 'more-information')
    .where('d.withdrawn_at', 'is', null)
    // the resolver is asked to give guidance (above), not to answer their own question
    .where((eb) => eb.or([eb('e.designee_id', 'is', null), eb('e.designee_id', '!=', person.id)]))
    .where((eb) =>
      eb.or([
        eb('d.opened_by', '=', person.handle),
        eb.exists(
          eb
            .selectFrom('decision_responses as r')
            .select('r.decision_id')
            .whereRef('r.decision_id', '=', 'd.id')
            .where('r.person_id', '=', person.id)
            .where('r.kind', '!=', 'withdrawn'),
        ),
        eb.exists(
          eb
            .selectFrom('decision_votes as v')
            .select('v.decision_id')
            .whereRef('v.decision_id', '=', 'd.id')
            .where('v.person_id', '=', person.id),
        ),
      ]),
    )
    .orderBy('e.guidance_at')
    .orderBy('d.number')
    .limit(cap)
    .execute();
  const asked: MemberHome['asked'] = [];
  for (const r of askedRows) {
    const d = await getDecision(hub, `D-${r.number}`);
    const e = d.escalation;
    if (d.state.phase !== 'escalated' || e?.guidanceKind !== 'more-information') continue;
    asked.push({
      ref: d.ref,
      group: d.group,
      question: d.question,
      guidance: e.guidance ?? '',
      at: r.guidance_at ?? e.at,
      resolver: e.designee ? { handle: e.designee, name: d.names[e.designee] ?? e.designee } : null,
      answerAt: guidanceAnswerPlace(d.subject, d.group),
    });
  }
  // escalated (as the close job recorded it) with nobody named yet: those who may name someone are waited on
  const unnamed = await db
    .selectFrom('decisions as d')
    .leftJoin('decision_escalations as e', 'e.decision_id', 'd.id')
    .select('d.number')
    .where('d.recorded_state', 'like', 'escalated:%')
    .where('d.withdrawn_at', 'is', null)
    .where('e.designee_id', 'is', null)
    .orderBy('d.number')
    .limit(cap)
    .execute();
  const toDesignate: MemberHome['toDesignate'] = [];
  for (const r of unnamed) {
    const d = await getDecision(hub, `D-${r.number}`, undefined, { kind: 'person', person });
    if (d.state.phase === 'escalated' && !d.escalation?.designee && d.can.designate.allowed)
      toDesignate.push({ ref: d.ref, group: d.group, question: d.question, dueAt: d.state.escalationDueAt });
  }
  return movedSince(
    {
      decisions,
      proposals,
      proposalsTotal,
      groups,
      facilitates,
      advisory,
      membershipRequests,
      escalations,
      toDesignate,
      asked,
      more: {
        decisions: needingPage.nextCursor !== null,
        advisory: advisoryMore,
        membershipRequests: requestsMore,
        escalations: named.length === cap,
        toDesignate: unnamed.length === cap,
        asked: askedRows.length === cap,
      },
    },
    previousVisit,
  );
}

/**
 * The home with each proposal marked when it changed stage after `previousVisit` (null: none is), its filing
 * apart.
 * Applied to a read of the home kept for the person alone, whatever moment each caller compares with.
 */
export function movedSince(home: MemberHome, previousVisit: string | null): MemberHome {
  return {
    ...home,
    proposals: home.proposals.map((p) => ({
      ...p,
      // a stage change, not its filing: one filed since (the author's own, a minute before) has not moved
      movedSinceLastVisit: previousVisit !== null && p.stageChangedAt > previousVisit && p.stageChangedAt > p.createdAt,
    })),
  };
}
