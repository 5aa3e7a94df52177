import { githubPull, type GithubPull } from '../../domain/github/pull-link.ts';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { namesOf } from '../people/names.ts';
import { LIMITS, refNumber } from '../../domain/limits.ts';
import { nextNumber } from '../core/numbers.ts';
import { alreadyAsAsked, DomainError, invalid, NotFound } from '../../domain/errors.ts';
import { addressKey } from '../../domain/addresses.ts';
import {
  type Governance,
  type LayerId,
  type MoverKind,
  type RouteId,
  shownRef,
  storedRef,
} from '../../domain/governance/index.ts';
import { normaliseRef } from '../../domain/markdown.ts';
import { checkText, type TextFlag } from '../../domain/interests.ts';
import { affiliationOn } from '../../domain/people.ts';
import { moverParts, type Can, type ProposalAction, type Verdict } from '../../domain/policies/index.ts';
import {
  allowedStageMoves,
  ABANDONED_STAGES,
  authorsPart,
  type AuthorsPart,
  checkGate,
  checkStageMove,
  highestSupportedLayer,
  layerIndex,
  nameCounted,
  recommendLayer,
  routeOf,
  sdkKey,
  stageGuidance,
  type GateFacts,
  type GateResult,
} from '../../domain/proposals/index.ts';
import { readJson, writeJson, type ProposalsTable } from '../../store/schema.ts';
import { groupRow, groupRowShared } from '../groups/groups.ts';
import { openDecisionsOn, type OpenDecisionOn } from '../decisions/decisions.ts';
import { indexProposal } from '../search/indexing.ts';
import { priorWorkMatchShown, recordPriorWork } from '../search/search.ts';
import { latestEvidenceChecks, type EvidenceCheckView } from '../evidence/evidence-checks.ts';
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
import { holdKey, holdRow } from '../core/hold.ts';
import { personRow } from '../people/people.ts';
import { viewerOf } from '../core/gate.ts';
import {
  authorizeProposal,
  authorizeProposalAsPerson,
  authorizeMove,
  lastReviewRequest,
  newProposalCan,
  proposalAccess,
  proposalStanding,
  type ReviewRequestView,
  promotedCopy,
} from './access.ts';
import { authorizeAsPerson, type PersonActor, personActing } from '../core/gate.ts';
import {
  CreateProposalInput,
  EndSponsorshipInput,
  EvidenceInput,
  LayerQuestionnaireInput,
  ListProposalsQuery,
  MoveStageInput,
  RelationInput,
  SupportInput,
  UpdateProposalInput,
} from './schemas.ts';
import { InputCheck, parseInput } from '../core/validate.ts';
import { loadShippedModel } from '../../domain/hints/shipped.ts';

/** A move the gate has just refused: never reached (the gate threw), it narrows the verdict's type. */
function unreachable(): never {
  throw new Error('unreachable: the gate refuses this move');
}

/** A move the layer's barrier to change refuses, said with the layer's title and the stage in words, as the pages say them. */
export class GateFailed extends DomainError {
  constructor(gate: GateResult, to: string, layerTitle: string) {
    const failing = gate.conditions.filter((c) => !c.passed);
    super(
      'gate_failed',
      `it does not clear the ${layerTitle} barrier to change yet, so the proposal cannot move to ${to.replace(/-/g, ' ')}: ${failing.map((c) => `${c.condition}: ${c.reason}`).join('; ')}`,
      { gate },
    );
  }
}

import { type ProposalRef, refOf } from './ref.ts';

export { type ProposalRef, refOf };

/**
 * Finds a proposal by SEP-n, P-n or #n (#n is a SEP number first, then a proposal number), also as
 * prior work and search name it among other kinds (`proposal:P-12`), so a match's ref reads back.
 * Given the governance, also by the community's own prefix (RFC-n), as pages and answers show it.
 */
export async function proposalRow(db: Tx, ref: string, g?: Pick<Governance, 'proposals'>): Promise<ProposalsTable> {
  const r = (g ? storedRef(g, ref.trim()) : ref.trim()).replace(/^proposal:/i, '');
  let row: ProposalsTable | undefined;
  const number = (m: RegExpExecArray | null) => (m ? refNumber(m[1]!) : null);
  const sep = number(/^SEP-(\d+)$/i.exec(r));
  const p = number(/^P-(\d+)$/i.exec(r));
  const hash = number(/^#?(\d+)$/.exec(r));
  if (sep !== null) row = await db.selectFrom('proposals').selectAll().where('sep_number', '=', sep).executeTakeFirst();
  else if (p !== null) row = await db.selectFrom('proposals').selectAll().where('number', '=', p).executeTakeFirst();
  else if (hash !== null) {
    row =
      (await db.selectFrom('proposals').selectAll().where('sep_number', '=', hash).executeTakeFirst()) ??
      (await db.selectFrom('proposals').selectAll().where('number', '=', hash).executeTakeFirst());
  }
  if (!row) throw new NotFound('proposal', ref);
  return row;
}

export type ProposalView = {
  ref: string;
  number: number;
  sepNumber: number | null;
  title: string;
  problem: string;
  examples: string[];
  interests: string;
  layer: LayerId;
  layerTitle: string;
  route: RouteId;
  routeTitle: string;
  stage: string;
  stageChangedAt: string;
  /** What the community expects of a proposal at its stage, in the governance file's words (the guide's step), or null. */
  stageGuidance: string | null;
  /** The route's stages in order, for a stepper; closed stages are the route's end states. */
  stages: { id: string; current: boolean; closed: boolean }[];
  /** The route's moves from here; `can`: whether this viewer may make it, and if not why. */
  /** `requiresPullRequest`: the move asks for the pull request's link (`pullRequest`), unless the proposal has one. */
  allowedMoves: { to: string; by: MoverKind[]; gate: boolean; requiresPullRequest: boolean; can: Verdict }[];
  group: string | null;
  topicArea: string | null;
  links: Record<string, string | null>;
  /** The GitHub pull request or issue this proposal is mirrored from (docs/github.md), if any. */
  github: string | null;
  /** Who the pull request is assigned to on GitHub (logins): by the community's convention, its sponsor. */
  githubAssignees: string[];
  /**
   * Its pull request's state on GitHub: open, draft, merged, or closed (without merging); null when
   * it is no pull request or was mirrored before the hub kept it (until GitHub next changes it).
   */
  githubState: 'open' | 'draft' | 'merged' | 'closed' | null;
  /**
   * Its pull request (`links.pullRequest`, asked for on the move into the pull request stage): the link,
   * the repository and number when it is a GitHub pull request, and what the hub's GitHub mirror holds
   * of it (its state; the proposal it is mirrored as, a SEP, if any), null while the mirror holds none.
   */
  pullRequest: PullRequestView | null;
  authors: { handle: string; name: string }[];
  sponsor: { handle: string; name: string } | null;
  supporters: { handle: string; name: string; organisation: string | null; supportedAt: string }[];
  supportersByOrganisation: { organisation: string; handles: string[] }[];
  evidence: {
    id: string;
    kind: string;
    description: string;
    url: string | null;
    organisation: string | null;
    sdk: string | null;
    addedBy: string;
    addedAt: string;
    verification: {
      status: 'verified' | 'failed';
      reason: string | null;
      checkedAt: string;
      server: { name: string; version: string } | null;
      protocolVersion: string | null;
      toolNames: string[];
      durationMs: number | null;
    } | null;
  }[];
  relations: {
    id: string;
    kind: string;
    direction: 'outgoing' | 'incoming';
    ref: string;
    title: string;
    status: string;
  }[];
  followUps: { id: string; kind: string; target: string; status: string; doneAt: string | null }[];
  gate: GateResult;
  /** Warnings kept from import (missing sponsor, stale status, …). */
  warnings: string[];
  /** The last prior-work check: existing items that may cover the same ground, with reasons. */
  priorWork: {
    checkedAt: string;
    matches: {
      ref: string;
      kind: string;
      title: string;
      score: number;
      reasons: string[];
      /** Docs pages that restate this SEP, folded into its match. */
      pages?: { ref: string; title: string }[];
    }[];
  } | null;
  /** Position-style or marketing sentences in the title, problem or interests, with the guide's advice; never blocking. */
  flags: (TextFlag & { field: 'title' | 'problem' | 'interests' })[];
  /** The last time an author asked for review, and whom it reached (its sponsor, or the group's leads). */
  reviewRequest: ReviewRequestView | null;
  /**
   * The name of each person the view names by handle alone (supportersByOrganisation, evidence's
   * adders, the review request's asker and those asked), to show beside the handle.
   */
  names: Record<string, string>;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** What the viewer may do on this proposal now, and for each thing they may not, why. */
  can: Can<ProposalAction | 'verifyEvidence'>;
  /** For a viewer who is one of its authors, what its route asks of them (domain/proposals/authors-part.ts); null for anyone else. */
  asAuthor: AuthorsPart | null;
  /**
   * The decisions open on it now (ref, question, phase, when it closes), oldest first, at most
   * `LIMITS.openDecisionsOnProposal`; `openDecisionsMore`: others are open too (the decisions list's `subject`).
   */
  openDecisions: OpenDecisionOn[];
  openDecisionsMore: boolean;
};

async function gateFacts(db: Tx, p: ProposalsTable): Promise<GateFacts> {
  const supporters = await db
    .selectFrom('proposal_supporters as s')
    .innerJoin('people as u', 'u.id', 's.person_id')
    .select(['u.handle', 's.organisation'])
    .where('s.proposal_id', '=', p.id)
    .execute();
  const rows = await db
    .selectFrom('proposal_evidence')
    .select(['id', 'kind', 'organisation', 'sdk'])
    .where('proposal_id', '=', p.id)
    .execute();
  // the newest verification of each item, as the proposal shows it: a failed probe is not practice
  const latest = await latestEvidenceChecks(
    db,
    refOf(p),
    rows.map((r) => r.id),
  );
  const evidence = rows.map((r) => ({
    kind: r.kind,
    organisation: r.organisation,
    sdk: r.sdk,
    verification: latest.get(r.id)?.status ?? null,
  }));
  const prior = await db
    .selectFrom('proposal_relations as r')
    .innerJoin('proposals as t', 't.id', 'r.to_id')
    .select(['t.number', 't.sep_number', 't.title'])
    .where('r.from_id', '=', p.id)
    .where('r.kind', 'in', ['builds-on', 'promoted-from'])
    .where('r.status', '=', 'confirmed')
    .where('t.layer', '=', 'working-group-artifact')
    .where('t.stage', 'not in', ABANDONED_STAGES)
    .execute();
  return {
    problem: p.problem,
    examples: readJson(p.examples),
    supporters: supporters.map((s) => ({ handle: s.handle, organisation: s.organisation })),
    evidence,
    priorArtifacts: prior.map((t) => ({ ref: refOf(t), title: t.title })),
  };
}

function verificationOf(c: EvidenceCheckView | undefined): ProposalView['evidence'][number]['verification'] {
  return c
    ? {
        status: c.status,
        reason: c.reason,
        checkedAt: c.checkedAt,
        server: c.server,
        protocolVersion: c.protocolVersion,
        toolNames: c.toolNames,
        durationMs: c.durationMs,
      }
    : null;
}

const PULL_STATES = ['open', 'draft', 'merged', 'closed'] as const;

export type PullRequestView = {
  url: string;
  github: GithubPull | null;
  mirrored: { state: (typeof PULL_STATES)[number] | null; proposal: string | null } | null;
};

/** A proposal's pull request link as the view shows it, matched with the GitHub mirror when it is a GitHub one. */
async function pullRequestOf(db: Tx, hub: Hub, url: string | null | undefined): Promise<PullRequestView | null> {
  if (!url) return null;
  const github = githubPull(url);
  if (!github) return { url, github: null, mirrored: null };
  // GitHub's owner and repository names are caseless: the mirror keeps them as configured (its
  // github_repos, a handful of rows), so the link's repository is looked up under those spellings,
  // and the mirror's primary key (repo, kind, …) finds the pull request without reading every item
  const wanted = github.repo.toLowerCase();
  const configured = await db.selectFrom('github_repos').select(['name', 'github_name']).execute();
  const spellings = new Set([github.repo, wanted]);
  for (const r of configured)
    if (r.name.toLowerCase() === wanted || r.github_name?.toLowerCase() === wanted) spellings.add(r.name);
  const rows = await db
    .selectFrom('github_items')
    .select(['repo', 'hub_type', 'hub_id', 'state'])
    .where('repo', 'in', [...spellings])
    .where('kind', '=', 'pull')
    .where('number', '=', github.number)
    .where('deleted_at', 'is', null)
    .execute();
  const row = rows.find((r) => r.repo.toLowerCase() === wanted) ?? rows[0];
  if (!row) return { url, github, mirrored: null };
  const mirroredAs =
    row.hub_type === 'proposal'
      ? await db
          .selectFrom('proposals')
          .select(['number', 'sep_number'])
          .where('id', '=', row.hub_id)
          .executeTakeFirst()
      : undefined;
  return {
    url,
    github: { repo: row.repo, number: github.number },
    mirrored: {
      state: PULL_STATES.find((x) => x === row.state) ?? null,
      proposal: mirroredAs ? shownRef(hub.governance, refOf(mirroredAs)) : null,
    },
  };
}

export async function proposalView(
  db: Tx,
  hub: Hub,
  p: ProposalsTable,
  viewer: Actor | null = null,
): Promise<ProposalView> {
  await loadShippedModel(); // the hints on its texts (loaded on first use)
  const route = routeOf(hub.governance, p.route);
  const [authors, sponsor, supporters, evidence, outgoing, incoming, followUps, group, topic, original] =
    await Promise.all([
      db
        .selectFrom('proposal_authors as a')
        .innerJoin('people as u', 'u.id', 'a.person_id')
        .select(['u.handle', 'u.name'])
        .where('a.proposal_id', '=', p.id)
        .orderBy('a.position')
        .execute(),
      p.sponsor_id
        ? db.selectFrom('people').select(['handle', 'name']).where('id', '=', p.sponsor_id).executeTakeFirst()
        : Promise.resolve(undefined),
      db
        .selectFrom('proposal_supporters as s')
        .innerJoin('people as u', 'u.id', 's.person_id')
        .select(['u.handle', 'u.name', 's.organisation', 's.supported_at'])
        .where('s.proposal_id', '=', p.id)
        .orderBy('s.supported_at')
        // supports in the same instant (one import, one clock tick) list in the same order every time
        .orderBy('u.handle')
        .execute(),
      db
        .selectFrom('proposal_evidence as e')
        .innerJoin('people as u', 'u.id', 'e.added_by')
        .selectAll('e')
        .select('u.handle')
        .where('e.proposal_id', '=', p.id)
        .orderBy('e.added_at')
        .execute(),
      db
        .selectFrom('proposal_relations as r')
        .innerJoin('proposals as t', 't.id', 'r.to_id')
        .select(['r.id', 'r.kind', 'r.status', 't.number', 't.sep_number', 't.title'])
        .where('r.from_id', '=', p.id)
        .orderBy('r.created_at')
        .execute(),
      db
        .selectFrom('proposal_relations as r')
        .innerJoin('proposals as t', 't.id', 'r.from_id')
        .select(['r.id', 'r.kind', 'r.status', 't.number', 't.sep_number', 't.title'])
        .where('r.to_id', '=', p.id)
        .orderBy('r.created_at')
        .execute(),
      db
        .selectFrom('follow_ups')
        .selectAll()
        .where('proposal_id', '=', p.id)
        .orderBy('kind')
        .orderBy('target')
        .execute(),
      p.group_id
        ? db.selectFrom('groups').select('slug').where('id', '=', p.group_id).executeTakeFirst()
        : Promise.resolve(undefined),
      p.topic_area_id
        ? db.selectFrom('topic_areas').select('slug').where('id', '=', p.topic_area_id).executeTakeFirst()
        : Promise.resolve(undefined),
      db
        .selectFrom('github_items')
        .select(['url', 'assignees', 'kind', 'state'])
        .where('hub_type', '=', 'proposal')
        .where('hub_id', '=', p.id)
        .where('kind', 'in', ['pull', 'issue'])
        .executeTakeFirst(),
    ]);
  const reviewRequest = await lastReviewRequest(db, refOf(p));
  const checks = await latestEvidenceChecks(
    db,
    refOf(p),
    evidence.map((e) => e.id),
  );
  const byOrg = new Map<string, string[]>();
  for (const s of supporters)
    byOrg.set(s.organisation ?? 'no organisation', [
      ...(byOrg.get(s.organisation ?? 'no organisation') ?? []),
      s.handle,
    ]);
  const source = readJson(p.source);
  const [access, open] = await Promise.all([proposalAccess(db, hub, p, viewer), openDecisionsOn(db, hub, p, viewer)]);
  const view: ProposalView = {
    ref: shownRef(hub.governance, refOf(p)),
    number: p.number,
    sepNumber: p.sep_number,
    title: p.title,
    problem: p.problem,
    examples: readJson(p.examples),
    interests: p.interests,
    layer: p.layer,
    layerTitle: hub.governance.proposals.layers.find((l) => l.id === p.layer)?.title ?? p.layer,
    route: p.route,
    routeTitle: route.title,
    stage: p.stage,
    stageChangedAt: p.stage_changed_at,
    stageGuidance: stageGuidance(hub.governance, p.route, p.stage),
    stages: route.stages.map((s) => ({ id: s, current: s === p.stage, closed: route.closed.includes(s) })),
    allowedMoves: allowedStageMoves(hub.governance, p.route, p.stage).map((m) => ({
      to: m.to,
      by: m.by,
      gate: m.gate,
      requiresPullRequest: m.requiresPullRequest,
      can: access.moves[m.to]!,
    })),
    group: group?.slug ?? null,
    topicArea: topic?.slug ?? null,
    links: readJson(p.links),
    github: original?.url ?? null,
    githubAssignees: readJson(original?.assignees ?? null) ?? [],
    githubState: original?.kind === 'pull' ? ((original.state as ProposalView['githubState']) ?? null) : null,
    pullRequest: await pullRequestOf(db, hub, readJson(p.links)?.pullRequest),
    authors,
    sponsor: sponsor ?? null,
    supporters: supporters.map((s) => ({
      handle: s.handle,
      name: s.name,
      organisation: s.organisation,
      supportedAt: s.supported_at,
    })),
    supportersByOrganisation: [...byOrg]
      .map(([organisation, handles]) => ({ organisation, handles }))
      .sort((a, b) => b.handles.length - a.handles.length || a.organisation.localeCompare(b.organisation)),
    evidence: evidence.map((e) => ({
      id: e.id,
      kind: e.kind,
      description: e.description,
      url: e.url,
      organisation: e.organisation,
      sdk: e.sdk,
      addedBy: e.handle,
      addedAt: e.added_at,
      verification: verificationOf(checks.get(e.id)),
    })),
    relations: [
      ...outgoing.map((r) => ({
        id: r.id,
        kind: r.kind,
        direction: 'outgoing' as const,
        ref: shownRef(hub.governance, refOf(r)),
        title: r.title,
        status: r.status,
      })),
      ...incoming.map((r) => ({
        id: r.id,
        kind: r.kind,
        direction: 'incoming' as const,
        ref: shownRef(hub.governance, refOf(r)),
        title: r.title,
        status: r.status,
      })),
    ],
    followUps: followUps.map((f) => ({
      id: f.id,
      kind: f.kind,
      target: f.target,
      status: f.status,
      doneAt: f.done_at,
    })),
    gate: checkGate(hub.governance, p.layer, await gateFacts(db, p)),
    warnings: source?.warnings ?? [],
    priorWork: priorWorkShown(hub.governance, readJson(p.prior_work)),
    flags: p.source
      ? []
      : (['title', 'problem', 'interests'] as const).flatMap((field) =>
          checkText(p[field]).map((f) => ({ ...f, field })),
        ),
    reviewRequest,
    names: {
      ...Object.fromEntries(supporters.map((s) => [s.handle, s.name])),
      ...(await namesOf(db, [
        ...evidence.map((e) => e.handle),
        ...(reviewRequest ? [reviewRequest.by, ...reviewRequest.asked] : []),
      ])),
    },
    version: p.version,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    can: access.can,
    asAuthor: null,
    openDecisions: open.items,
    openDecisionsMore: open.more,
  };
  return withAuthorsPart(hub, view, viewer);
}

/** The view's `asAuthor` for this viewer: set when they are one of its authors. */
function withAuthorsPart(hub: Hub, v: ProposalView, viewer: Actor | null | undefined): ProposalView {
  const me = viewer?.kind === 'person' ? viewer.person : null;
  const author = me && v.authors.some((a) => a.handle.toLowerCase() === me.handle.toLowerCase());
  return {
    ...v,
    asAuthor: author ? authorsPart(hub.governance.proposals.routes[v.route].closed, v.allowedMoves, me.role) : null,
  };
}

/** A stored prior-work check (references as stored, SEP-12) as the community cites them (RFC-12). */
function priorWorkShown(g: Governance, stored: ProposalView['priorWork']): ProposalView['priorWork'] {
  if (!stored) return stored;
  return { ...stored, matches: stored.matches.map((m) => priorWorkMatchShown(g, m)) };
}

/**
 * A proposal as read now; served from the read cache while the event log has not moved, but for the
 * decisions open on it, read again each time: a decision's phase moves with the clock (a deadline
 * passing opens its vote, or closes it) before any event says so.
 */
export async function getProposal(hub: Hub, ref: string, viewer: Actor | null = null): Promise<ProposalView> {
  const cached = await hub.reads.get(hub, `proposal:${ref.trim().toUpperCase()}`, async () => {
    const row = await proposalRow(hub.store.db, ref, hub.governance);
    const value = await proposalView(hub.store.db, hub, row);
    // tagged by the stored reference (SEP-12), as the writes that invalidate it name it
    return { value, tags: [`proposal:${refOf(row)}`] };
  });
  const open = await openDecisionsOn(
    hub.store.db,
    hub,
    { number: cached.number, sep_number: cached.sepNumber },
    viewer,
  );
  const v = { ...cached, openDecisions: open.items, openDecisionsMore: open.more };
  if (!viewer) return v;
  // the cached view is a visitor's; this viewer's verdicts are worked out now
  const access = await proposalAccess(
    hub.store.db,
    hub,
    await proposalRow(hub.store.db, v.ref, hub.governance),
    viewer,
  );
  return withAuthorsPart(
    hub,
    { ...v, can: access.can, allowedMoves: v.allowedMoves.map((m) => ({ ...m, can: access.moves[m.to]! })) },
    viewer,
  );
}

export async function listProposals(
  hub: Hub,
  raw: unknown,
): Promise<
  Page<
    Pick<ProposalView, 'ref' | 'title' | 'layer' | 'route' | 'stage' | 'group'> & {
      number: number;
      createdAt: string;
      updatedAt: string;
    }
  >
> {
  const q = parseInput(ListProposalsQuery, raw);
  // A misspelt filter would otherwise answer with an empty list, which reads as "nothing there".
  if (q.stage) {
    const routes = Object.values(hub.governance.proposals.routes).filter(
      (_r, i) => !q.route || Object.keys(hub.governance.proposals.routes)[i] === q.route,
    );
    const stages = [...new Set(routes.flatMap((r) => r.stages))];
    if (!stages.includes(q.stage))
      throw invalid(
        'stage',
        `must be a stage of ${q.route ? `the ${q.route} route` : 'a route'}: ${stages.join(', ')}`,
      );
  }
  if (q.group) await groupRow(hub.store.db, q.group);
  const after = decodeCursor(q.cursor, CursorPart.number);
  let query = hub.store.db
    .selectFrom('proposals as p')
    .leftJoin('groups as g', 'g.id', 'p.group_id')
    .select([
      'p.number',
      'p.sep_number',
      'p.title',
      'p.layer',
      'p.route',
      'p.stage',
      'p.created_at',
      'p.updated_at',
      'g.slug as group',
    ])
    .orderBy('p.number')
    .limit(q.limit + 1);
  if (q.route) query = query.where('p.route', '=', q.route);
  if (q.stage) query = query.where('p.stage', '=', q.stage);
  if (q.layer) query = query.where('p.layer', '=', q.layer);
  if (q.group) query = query.where('g.slug', '=', q.group);
  if (after !== undefined) query = query.where('p.number', '>', after);
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => ({
      ref: shownRef(hub.governance, refOf(r)),
      number: r.number,
      title: r.title,
      layer: r.layer,
      route: r.route,
      stage: r.stage,
      group: r.group,
      // a SEP's own Created date (an imported SEP's updatedAt is the day of the import)
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!.number) : null,
  };
}

export async function nextProposalNumber(trx: Tx): Promise<number> {
  return nextNumber(trx, 'proposals');
}

async function resolveGroup(
  trx: Tx,
  hub: Hub,
  group?: string,
  topic?: string,
): Promise<{ groupId: string | null; topicId: string | null }> {
  if (!group) return { groupId: null, topicId: null };
  // held until the proposal is placed: a retirement at the same moment waits for it, or is read here as made
  const g = await groupRowShared(trx, hub, group).catch(() => {
    throw invalid('group', `no group '${group}'`);
  });
  // a retired group takes no new work (its leads are told of none): its meetings and decisions are
  // refused alike
  if (g.status === 'retired')
    throw invalid(
      'group',
      `${g.name} (${g.slug}) is retired and takes no new proposals: choose another group, or none`,
    );
  if (!topic) return { groupId: g.id, topicId: null };
  const t = await trx
    .selectFrom('topic_areas')
    .select('id')
    .where('group_id', '=', g.id)
    .where('slug', '=', topic)
    .executeTakeFirst();
  if (!t) throw invalid('topicArea', `${group} has no topic area '${topic}'`);
  return { groupId: g.id, topicId: t.id };
}

export async function createProposal(hub: Hub, actor: Actor, raw: unknown): Promise<ProposalView> {
  const check = new InputCheck(CreateProposalInput, raw);
  const me = authorizeAsPerson(newProposalCan(hub, actor), 'create', actor);
  const created = await inTransaction(hub, async (trx) => {
    const f = check.fields;
    const place = check.ok('group', 'topicArea')
      ? await check.attempt(() => resolveGroup(trx, hub, f.group, f.topicArea))
      : undefined;
    const input = check.done();
    const { groupId, topicId } = place!;
    const now = nowIso(hub);
    const route = routeOf(hub.governance, input.route);
    const row: ProposalsTable = {
      id: hub.newId(),
      number: await nextProposalNumber(trx),
      sep_number: null,
      title: input.title,
      problem: input.problem,
      examples: writeJson(input.examples),
      interests: input.interests,
      layer: input.layer,
      route: input.route,
      stage: route.initial,
      stage_changed_at: now,
      group_id: groupId,
      topic_area_id: topicId,
      links: writeJson(input.links),
      sponsor_id: null,
      source: null,
      prior_work: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('proposals').values(row).execute();
    const authors = [
      me.person.handle,
      ...input.coAuthors.filter((h) => h.toLowerCase() !== me.person.handle.toLowerCase()),
    ];
    for (const [i, h] of authors.entries()) {
      const p = await personRow(trx, h).catch(() => {
        throw invalid(`coAuthors[${i - 1}]`, `no person '${h}'`);
      });
      await trx.insertInto('proposal_authors').values({ proposal_id: row.id, person_id: p.id, position: i }).execute();
    }
    await indexProposal(trx, row.id);
    const view = await proposalView(trx, hub, row, actor);
    await record(trx, hub, actor, 'proposal.created', { type: 'proposal', id: view.ref }, null, {
      ref: view.ref,
      title: row.title,
      layer: row.layer,
      route: row.route,
      stage: row.stage,
    });
    return view;
  });
  await recordPriorWork(hub, (await proposalRow(hub.store.db, created.ref, hub.governance)).id);
  return getProposal(hub, created.ref, actor);
}

async function casProposal(
  trx: Tx,
  hub: Hub,
  p: ProposalsTable,
  expected: number,
  set: Partial<ProposalsTable>,
): Promise<ProposalsTable> {
  const at = { table: 'proposals', id: p.id, what: `proposal ${refOf(p)}` } as const;
  return writeOrConflict(
    trx,
    hub,
    at,
    expected,
    set,
    () => proposalRow(trx, refOf(p), hub.governance),
    (now) => proposalView(trx, hub, now),
  );
}

export async function updateProposal(
  hub: Hub,
  actor: Actor,
  ref: string,
  expectedVersion: number | undefined,
  raw: unknown,
): Promise<ProposalView> {
  const updated = await inTransaction(hub, async (trx) => {
    const p = await proposalRow(trx, ref, hub.governance);
    await authorizeProposal(trx, hub, actor, p, 'edit');
    const expected = requireVersion(expectedVersion, `proposal ${ref}`);
    const input = parseInput(UpdateProposalInput, unchangedLinksDropped(raw, readJson(p.links)));
    const before = await proposalView(trx, hub, p);
    assertVersion(p.version, expected, `proposal ${refOf(p)}`, before);
    const set: Partial<ProposalsTable> = {};
    if (input.title !== undefined) set.title = input.title;
    if (input.problem !== undefined) set.problem = input.problem;
    if (input.examples !== undefined) set.examples = writeJson(input.examples);
    if (input.interests !== undefined) set.interests = input.interests;
    if (input.layer !== undefined) set.layer = input.layer;
    if (input.links !== undefined) set.links = writeJson({ ...readJson(p.links), ...input.links });
    // a form saved as it was shown changes nothing: the version stays (nobody else's edit is refused
    // for it), and the log and GitHub hear of nothing
    if (Object.entries(set).every(([k, v]) => sameValue(k, v, p)))
      return { after: await proposalView(trx, hub, p, actor), recheck: false };
    const after = await proposalView(trx, hub, await casProposal(trx, hub, p, expected, set), actor);
    await indexProposal(trx, p.id);
    await record(trx, hub, actor, 'proposal.updated', { type: 'proposal', id: after.ref }, pick(before), pick(after));
    return { after, recheck: before.title !== after.title || before.problem !== after.problem };
  });
  if (!updated.recheck) return updated.after;
  await recordPriorWork(hub, (await proposalRow(hub.store.db, updated.after.ref, hub.governance)).id);
  return getProposal(hub, updated.after.ref, actor);
}

/**
 * An edit's links without those sent as they are stored: a link is checked only when it changes, so
 * one stored under an older rule (an http pull request link, a SEP imported before) never refuses an
 * edit of the title. A link sent unchanged changes nothing, so dropping it changes nothing either;
 * an edit that then names nothing else is still told it names nothing to change.
 */
function unchangedLinksDropped(raw: unknown, stored: Record<string, string | null> | null): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const links = (raw as { links?: unknown }).links;
  if (!links || typeof links !== 'object' || Array.isArray(links) || !stored) return raw;
  const kept = Object.entries(links).filter(([k, v]) => !(typeof v === 'string' && v !== '' && stored[k] === v));
  if (kept.length === Object.keys(links).length) return raw;
  return { ...raw, links: Object.fromEntries(kept) };
}

/** Whether a field about to be written holds what the row holds already (JSON compared as data: keys in any order, an empty link as none). */
function sameValue(key: string, value: unknown, p: ProposalsTable): boolean {
  const stored = p[key as keyof ProposalsTable];
  if (key !== 'links' && key !== 'examples') return value === stored;
  const read = (text: unknown): unknown => {
    const v = JSON.parse(String(text ?? 'null')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined))
      : v;
  };
  return isDeepStrictEqual(read(value), read(stored));
}

function pick(v: ProposalView) {
  return {
    title: v.title,
    problem: v.problem,
    examples: v.examples,
    interests: v.interests,
    layer: v.layer,
    links: v.links,
  };
}

/** Gate check result for the proposal's layer, with every condition and why. */
export async function checkProposalGates(
  hub: Hub,
  ref: string,
): Promise<GateResult & { ref: string; supportedLayer: LayerId | null }> {
  const p = await proposalRow(hub.store.db, ref, hub.governance);
  const facts = await gateFacts(hub.store.db, p);
  return {
    ref: shownRef(hub.governance, refOf(p)),
    ...checkGate(hub.governance, p.layer, facts),
    supportedLayer: highestSupportedLayer(hub.governance, facts),
  };
}

/**
 * Moves a proposal along its route. A gated move checks the layer's barrier first; the result
 * of that check is recorded in the event log whether it passes or not.
 */
export async function moveProposal(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<ProposalView> {
  const input = parseInput(MoveStageInput, raw);
  let failed: GateFailed | null = null;
  const view = await inTransaction(hub, async (trx) => {
    const p = await proposalRow(trx, ref, hub.governance);
    const parts = moverParts(viewerOf(hub, actor), await proposalStanding(trx, hub, p, actor));
    const verdict = checkStageMove(hub.governance, p.route, p.stage, input.to, parts, readJson(p.examples).length);
    // a move the route does not have, or one that needs an example first, is bad input; whether
    // this person may make it is the policy's answer
    if (!verdict.ok && verdict.kind !== 'forbidden')
      throw invalid(verdict.kind === 'needs-examples' ? 'examples' : 'to', verdict.message);
    await authorizeMove(trx, hub, actor, p, input.to);
    if (!verdict.ok) return unreachable();
    if (verdict.gate) {
      const gate = checkGate(hub.governance, p.layer, await gateFacts(trx, p));
      await record(trx, hub, actor, 'proposal.gate-checked', { type: 'proposal', id: refOf(p) }, null, {
        to: input.to,
        ...gate,
      });
      if (!gate.passed) {
        const layer = hub.governance.proposals.layers.find((l) => l.id === p.layer)?.title ?? p.layer;
        failed = new GateFailed(gate, input.to, layer);
        return null;
      }
    }
    // a move into the pull request stage asks for its link (the governance file's requiresPullRequest):
    // given with the move, or already on the proposal (one moved back to refining and on again); asked
    // after the gate, so one whose barrier to change does not hold yet learns that before opening one
    const links = readJson(p.links) ?? {};
    if (input.pullRequest !== undefined && !verdict.requiresPullRequest)
      throw invalid(
        'pullRequest',
        `a move to ${input.to} takes no pull request link: put one on the proposal's links (edit it) instead`,
      );
    const pullRequest = verdict.requiresPullRequest ? (input.pullRequest ?? links.pullRequest ?? null) : null;
    if (verdict.requiresPullRequest && !pullRequest)
      throw invalid(
        'pullRequest',
        `moving to ${input.to} needs the pull request's link: open it (the hub drafts its description from this proposal), then give its https address, such as https://github.com/OWNER/REPO/pull/12`,
      );
    const moved = await casProposal(trx, hub, p, p.version, {
      stage: input.to,
      stage_changed_at: nowIso(hub),
      ...(input.pullRequest !== undefined ? { links: writeJson({ ...links, pullRequest: input.pullRequest }) } : {}),
    });
    await record(
      trx,
      hub,
      actor,
      'proposal.stage-changed',
      { type: 'proposal', id: refOf(p) },
      { stage: p.stage, ...(pullRequest ? { pullRequest: links.pullRequest ?? null } : {}) },
      { stage: input.to, ...(pullRequest ? { pullRequest } : {}) },
    );
    await indexProposal(trx, p.id);
    await openCascade(trx, hub, actor, moved);
    return proposalView(trx, hub, moved, actor);
  });
  if (failed) throw failed;
  return view!;
}

/** The cascading impact principle: an accepted specification change opens follow-ups below it. */
async function openCascade(trx: Tx, hub: Hub, actor: Actor, p: ProposalsTable): Promise<void> {
  const acceptedStage = p.route === 'sep' ? 'accepted' : 'landed';
  if (p.layer !== 'specification' || p.stage !== acceptedStage) return;
  const { sdks, supportingResources } = hub.governance.proposals.cascade;
  const targets = [
    ...sdks.map((t) => ({ kind: 'sdk', target: t })),
    ...supportingResources.map((t) => ({ kind: 'supporting-resource', target: t })),
  ];
  for (const t of targets) {
    const exists = await trx
      .selectFrom('follow_ups')
      .select('id')
      .where('proposal_id', '=', p.id)
      .where('kind', '=', t.kind)
      .where('target', '=', t.target)
      .executeTakeFirst();
    if (!exists)
      await trx
        .insertInto('follow_ups')
        .values({
          id: hub.newId(),
          proposal_id: p.id,
          kind: t.kind,
          target: t.target,
          status: 'open',
          created_at: nowIso(hub),
          done_at: null,
          done_by: null,
        })
        .execute();
  }
  await record(trx, hub, actor, 'proposal.cascade-opened', { type: 'proposal', id: refOf(p) }, null, {
    followUps: targets,
  });
}

export async function completeFollowUp(hub: Hub, actor: Actor, ref: string, followUpId: string): Promise<ProposalView> {
  return inTransaction(hub, async (trx) => {
    const p = await proposalRow(trx, ref, hub.governance);
    const f = await trx
      .selectFrom('follow_ups')
      .selectAll()
      .where('id', '=', followUpId)
      .where('proposal_id', '=', p.id)
      .executeTakeFirst();
    if (!f) throw new NotFound('follow-up', `${shownRef(hub.governance, refOf(p))}/${followUpId}`);
    await authorizeProposal(trx, hub, actor, p, 'completeFollowUp');
    if (f.status !== 'done') {
      await trx
        .updateTable('follow_ups')
        .set({
          status: 'done',
          done_at: nowIso(hub),
          done_by: actor.kind === 'person' ? actor.person.handle : 'operator',
        })
        .where('id', '=', f.id)
        .execute();
      await record(
        trx,
        hub,
        actor,
        'proposal.follow-up-done',
        { type: 'proposal', id: refOf(p) },
        { kind: f.kind, target: f.target, status: f.status },
        { kind: f.kind, target: f.target, status: 'done' },
      );
    }
    return proposalView(trx, hub, p, actor);
  });
}

/**
 * The frame of a use case on one proposal: in one transaction, the proposal by its ref, the one
 * gate for `action`, then `act`; answers the proposal as the actor sees it now (the row `act`
 * returns when it wrote a new version; null: the one read).
 */
async function onProposal(
  hub: Hub,
  actor: Actor,
  ref: string,
  action: ProposalAction,
  act: (trx: Tx, p: ProposalsTable) => Promise<ProposalsTable | null>,
): Promise<ProposalView> {
  return inTransaction(hub, async (trx) => {
    const p = await proposalRow(trx, ref, hub.governance);
    await authorizeProposal(trx, hub, actor, p, action);
    return proposalView(trx, hub, (await act(trx, p)) ?? p, actor);
  });
}

/** onProposal for what a person does as themself (sponsor, support, add evidence): `act` is given the person. */
async function onProposalAsPerson(
  hub: Hub,
  actor: Actor,
  ref: string,
  action: ProposalAction,
  act: (trx: Tx, p: ProposalsTable, me: PersonActor) => Promise<ProposalsTable | null>,
): Promise<ProposalView> {
  return onProposal(hub, actor, ref, action, (trx, p) => act(trx, p, personActing(actor, action)));
}

/** A maintainer takes on a SEP as its sponsor (and may then move it to draft). */
export async function sponsorProposal(hub: Hub, actor: Actor, ref: string): Promise<ProposalView> {
  return onProposalAsPerson(hub, actor, ref, 'sponsor', async (trx, p, me) => {
    const updated = await casProposal(trx, hub, p, p.version, { sponsor_id: me.person.id });
    await record(trx, hub, actor, 'proposal.sponsored', { type: 'proposal', id: refOf(p) }, null, {
      sponsor: me.person.handle,
    });
    return updated;
  });
}

/**
 * Ends a proposal's sponsorship, with a reason: its sponsor stepping down, or a group lead or a
 * maintainer the governance file names removing them. The stage stays where it is (a new sponsor
 * takes it on from there); its authors are told it needs a sponsor, and the group's leads that it waits.
 */
export async function endSponsorship(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<ProposalView> {
  return onProposal(hub, actor, ref, 'endSponsorship', async (trx, p) => {
    const input = parseInput(EndSponsorshipInput, raw);
    const sponsor = await trx
      .selectFrom('people')
      .select('handle')
      .where('id', '=', p.sponsor_id!)
      .executeTakeFirstOrThrow();
    const updated = await casProposal(trx, hub, p, p.version, { sponsor_id: null });
    await record(
      trx,
      hub,
      actor,
      'proposal.sponsorship-ended',
      { type: 'proposal', id: refOf(p) },
      { sponsor: sponsor.handle },
      { sponsor: null, former: sponsor.handle, reason: input.reason.trim() },
    );
    return updated;
  });
}

/** Supports a proposal, speaking for an organisation: by default the one the supporter is affiliated with today. */
export async function supportProposal(hub: Hub, actor: Actor, ref: string, raw: unknown = {}): Promise<ProposalView> {
  return onProposalAsPerson(hub, actor, ref, 'support', async (trx, p, me) => {
    // held until commit (PostgreSQL): a withdrawal committing meanwhile waits for this support, or this
    // support for it and is then refused as support on a withdrawn proposal is
    await holdRow(trx, hub, 'proposals', p.id);
    const asHeld = await proposalRow(trx, ref, hub.governance);
    if (asHeld.stage !== p.stage) await authorizeProposal(trx, hub, actor, asHeld, 'support');
    const input = parseInput(SupportInput, raw);
    const affs = await trx
      .selectFrom('affiliations as a')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['o.name as organisation', 'a.from_date as from', 'a.to_date as to'])
      .where('a.person_id', '=', me.person.id)
      .execute();
    const now = nowIso(hub);
    const organisation =
      input.organisation === undefined ? (affiliationOn(affs, now)?.organisation ?? null) : input.organisation;
    if (
      input.organisation &&
      !affiliationOn(
        affs.filter((a) => a.organisation.toLowerCase() === input.organisation!.toLowerCase()),
        now,
      )
    ) {
      throw invalid(
        'organisation',
        `${me.person.handle} is not affiliated with '${input.organisation}' today; affiliations: ${affs.map((a) => a.organisation).join(', ') || 'none'}`,
      );
    }
    // the same support given again (a retry after a lost answer, a second click): it stands as it was,
    // from when it was given; nothing is written, logged or told (support_proposal says idempotentHint)
    const standing = await trx
      .selectFrom('proposal_supporters')
      .select('organisation')
      .where('proposal_id', '=', p.id)
      .where('person_id', '=', me.person.id)
      .executeTakeFirst();
    if (standing && standing.organisation === organisation) return asHeld;
    // an upsert: support from another organisation replaces the one given before
    await trx
      .insertInto('proposal_supporters')
      .values({ proposal_id: p.id, person_id: me.person.id, organisation, supported_at: now })
      .onConflict((oc) => oc.columns(['proposal_id', 'person_id']).doUpdateSet({ organisation, supported_at: now }))
      .execute();
    await record(trx, hub, actor, 'proposal.supported', { type: 'proposal', id: refOf(p) }, null, {
      supporter: me.person.handle,
      organisation,
    });
    // answered as held: a move that committed while this waited shows, with its version (the ETag)
    return asHeld;
  });
}

export async function withdrawSupport(hub: Hub, actor: Actor, ref: string): Promise<ProposalView> {
  return onProposalAsPerson(hub, actor, ref, 'withdrawSupport', async (trx, p, me) => {
    const r = await trx
      .deleteFrom('proposal_supporters')
      .where('proposal_id', '=', p.id)
      .where('person_id', '=', me.person.id)
      .executeTakeFirst();
    if (Number(r.numDeletedRows))
      await record(
        trx,
        hub,
        actor,
        'proposal.support-withdrawn',
        { type: 'proposal', id: refOf(p) },
        { supporter: me.person.handle },
        null,
      );
    return null;
  });
}

export async function addEvidence(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<ProposalView> {
  return onProposalAsPerson(hub, actor, ref, 'addEvidence', async (trx, p, me) => {
    const input = parseInput(EvidenceInput, raw);
    await holdRow(trx, hub, 'people', me.person.id);
    const added = await trx
      .selectFrom('proposal_evidence')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('proposal_id', '=', p.id)
      .where('added_by', '=', me.person.id)
      .executeTakeFirstOrThrow();
    if (Number(added.n) >= LIMITS.evidencePerPerson)
      throw invalid(
        'description',
        `you have added evidence to ${refOf(p)} ${LIMITS.evidencePerPerson} times, as often as one person may: describe more in one piece of evidence, or in a comment`,
      );
    // one piece of evidence once (attack round 26): the same implementation named again for the same
    // organisation and SDK, by anyone and however its URL is written, or the same words sent again (a form posted twice; twenty calls at
    // once were twenty rows), so a gate counting evidence counts each once. Held by the proposal, so
    // two people naming one address at once cannot both pass on PostgreSQL.
    await holdKey(trx, hub, `evidence:${p.id}`);
    const twin = await sameEvidence(trx, p.id, me.person.id, input);
    if (twin)
      throw alreadyAsAsked(
        `${shownRef(hub.governance, refOf(p))} already has this ${input.kind} evidence, added by @${twin.by} at ${twin.at}${input.url ? ' (the same address)' : ''}: nothing was added`,
        { field: input.url ? 'url' : 'description' },
      );
    const row = {
      id: hub.newId(),
      proposal_id: p.id,
      kind: input.kind,
      description: input.description,
      url: input.url ?? null,
      organisation: input.organisation ?? null,
      sdk: input.sdk ?? null,
      added_by: me.person.id,
      added_at: nowIso(hub),
    };
    await trx.insertInto('proposal_evidence').values(row).execute();
    await record(trx, hub, actor, 'proposal.evidence-added', { type: 'proposal', id: refOf(p) }, null, {
      ...row,
      added_by: me.person.handle,
    });
    return null;
  });
}

/**
 * Evidence on a proposal that the input would repeat: the same kind at the same address (its fragment
 * kept, as `/clients#zed` and `/clients#cursor` are two entries) for the same organisation and SDK (as
 * the gates count them), by anyone; or, with no address, the same words from the same person. Two SDKs
 * citing one conformance run, or two organisations linking the resource they validated, are two pieces
 * (attack round 28: the first to name an address held it for good, whatever organisation it named).
 */
async function sameEvidence(
  trx: Tx,
  proposalId: string,
  personId: string,
  input: z.output<typeof EvidenceInput>,
): Promise<{ by: string; at: string } | null> {
  const keyOf = (url: string) => (URL.canParse(url) ? addressKey(url, { fragment: true }) : url);
  const named = (e: { organisation?: string | null; sdk?: string | null }) =>
    `${e.organisation ? nameCounted(e.organisation) : ''}\u0000${e.sdk ? sdkKey(e.sdk) : ''}`;
  const rows = await trx
    .selectFrom('proposal_evidence as e')
    .innerJoin('people as who', 'who.id', 'e.added_by')
    .select(['e.url', 'e.description', 'e.organisation', 'e.sdk', 'e.added_by', 'e.added_at', 'who.handle'])
    .where('e.proposal_id', '=', proposalId)
    .where('e.kind', '=', input.kind)
    .$if(!input.url, (q) => q.where('e.url', 'is', null).where('e.added_by', '=', personId))
    .execute();
  const key = input.url ? keyOf(input.url) : null;
  const twin = rows.find((e) =>
    key !== null
      ? e.url !== null && keyOf(e.url) === key && named(e) === named(input)
      : e.description === input.description &&
        (e.organisation ?? null) === (input.organisation ?? null) &&
        (e.sdk ?? null) === (input.sdk ?? null),
  );
  return twin ? { by: twin.handle, at: twin.added_at } : null;
}

/**
 * Relates two items. A suggested relation (for example from prior-work detection) stays a
 * suggestion until a person confirms it; only confirmed ones count for gates.
 */
export async function relateProposal(hub: Hub, actor: Actor, ref: string, raw: unknown): Promise<ProposalView> {
  return onProposal(hub, actor, ref, 'relate', async (trx, p) => {
    // the community's own prefix (RFC-12) names the same proposal as SEP-12
    const to0 = raw && typeof raw === 'object' ? (raw as { to?: unknown }).to : undefined;
    const input = parseInput(
      RelationInput,
      typeof to0 === 'string' ? { ...(raw as object), to: storedRef(hub.governance, to0) } : raw,
    );
    const to = await proposalRow(trx, normaliseRef(input.to), hub.governance).catch(() =>
      proposalRow(trx, input.to, hub.governance),
    );
    if (to.id === p.id) throw invalid('to', 'a proposal cannot relate to itself');
    const existing = await trx
      .selectFrom('proposal_relations')
      .selectAll()
      .where('from_id', '=', p.id)
      .where('kind', '=', input.kind)
      .where('to_id', '=', to.id)
      .executeTakeFirst();
    const status = input.suggested ? 'suggested' : 'confirmed';
    const who = actor.kind === 'person' ? actor.person.handle : 'operator';
    if (!existing) {
      // every read of either proposal lists its relations, and none is ever removed: counted holding both
      // proposals (in one order, so two requests never wait for each other), so two related at once
      // cannot both pass a bound on PostgreSQL
      for (const id of [p.id, to.id].sort()) await holdRow(trx, hub, 'proposals', id);
      const count = (q: 'from_id' | 'to_id', id: string, by?: string) => {
        let c = trx
          .selectFrom('proposal_relations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(q, '=', id);
        if (by !== undefined) c = c.where('created_by', '=', by);
        return c.executeTakeFirstOrThrow().then((r) => Number(r.n));
      };
      if ((await count('from_id', p.id)) >= LIMITS.relations.fromProposal)
        throw invalid(
          'to',
          `${refOf(p)} already relates to ${LIMITS.relations.fromProposal} items, as many as one proposal may: name the others in a comment on ${refOf(p)}`,
        );
      if ((await count('to_id', to.id, who)) >= LIMITS.relations.perPersonTo)
        throw invalid(
          'to',
          `you have related ${LIMITS.relations.perPersonTo} proposals to ${refOf(to)}, as many as one person may: name the others in a comment on ${refOf(to)}`,
        );
      await trx
        .insertInto('proposal_relations')
        .values({
          id: hub.newId(),
          from_id: p.id,
          kind: input.kind,
          to_id: to.id,
          status,
          created_by: who,
          created_at: nowIso(hub),
          confirmed_by: status === 'confirmed' ? who : null,
        })
        .execute();
      await record(trx, hub, actor, 'proposal.related', { type: 'proposal', id: refOf(p) }, null, {
        kind: input.kind,
        to: refOf(to),
        status,
      });
    } else if (existing.status === 'suggested' && status === 'confirmed') {
      await trx
        .updateTable('proposal_relations')
        .set({ status: 'confirmed', confirmed_by: who })
        .where('id', '=', existing.id)
        .execute();
      await record(
        trx,
        hub,
        actor,
        'proposal.relation-confirmed',
        { type: 'proposal', id: refOf(p) },
        { kind: input.kind, to: refOf(to), status: 'suggested' },
        { kind: input.kind, to: refOf(to), status: 'confirmed' },
      );
    }
    return null;
  });
}

/**
 * Promotes a proposal one layer up: a new proposal that keeps the lineage (promoted-from), once
 * per target layer. The copy's authors are the original's (they wrote the text); who promoted it
 * is recorded on the promoted-from relation and in the event, not as an author.
 */
export async function promoteProposal(hub: Hub, actor: Actor, ref: string): Promise<ProposalView> {
  return inTransaction(hub, async (trx) => {
    const p = await proposalRow(trx, ref, hub.governance);
    const idx = layerIndex(hub.governance, p.layer);
    if (idx <= 0)
      throw invalid('layer', `${shownRef(hub.governance, refOf(p))} is already at the ${p.layer} layer, the highest`);
    const me = await authorizeProposalAsPerson(trx, hub, actor, p, 'promote');
    const next = hub.governance.proposals.layers[idx - 1]!.id;
    const earlier = await promotedCopy(trx, hub, p);
    if (earlier)
      throw alreadyAsAsked(
        `${shownRef(hub.governance, refOf(p))} was already promoted to ${next} as ${shownRef(hub.governance, earlier)}`,
      );
    // serialises concurrent promotions of the same proposal: the loser finds the copy above, or a 409
    await casProposal(trx, hub, p, p.version, {});
    const route = next === 'specification' ? 'sep' : p.route;
    const now = nowIso(hub);
    const row: ProposalsTable = {
      ...p,
      id: hub.newId(),
      number: await nextProposalNumber(trx),
      sep_number: null,
      layer: next,
      route,
      stage: routeOf(hub.governance, route).initial,
      stage_changed_at: now,
      sponsor_id: null,
      source: null,
      prior_work: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('proposals').values(row).execute();
    const authors = await trx.selectFrom('proposal_authors').selectAll().where('proposal_id', '=', p.id).execute();
    for (const a of authors)
      await trx
        .insertInto('proposal_authors')
        .values({ ...a, proposal_id: row.id })
        .execute();
    await trx
      .insertInto('proposal_relations')
      .values({
        id: hub.newId(),
        from_id: row.id,
        kind: 'promoted-from',
        to_id: p.id,
        status: 'confirmed',
        created_by: me.person.handle,
        created_at: now,
        confirmed_by: me.person.handle,
      })
      .execute();
    await indexProposal(trx, row.id);
    const view = await proposalView(trx, hub, row, actor);
    await record(
      trx,
      hub,
      actor,
      'proposal.promoted',
      { type: 'proposal', id: view.ref },
      { ref: refOf(p), layer: p.layer },
      { ref: view.ref, layer: next, route, promotedBy: me.person.handle },
    );
    return view;
  });
}

/** "Which layer?": a recommendation with the guide's reasoning, and a warning when a proposal aims higher than its evidence. */
export async function recommendProposalLayer(hub: Hub, raw: unknown, ref?: string) {
  const input = parseInput(LayerQuestionnaireInput, raw);
  const rec = recommendLayer(input);
  const warnings: string[] = [];
  const chosen = input.layer;
  if (chosen && layerIndex(hub.governance, chosen) < layerIndex(hub.governance, rec.layer)) {
    warnings.push(
      `you chose ${chosen}, higher than the answers suggest (${rec.layer}); the higher the layer, the higher the barrier to change`,
    );
  }
  if (ref) {
    const p = await proposalRow(hub.store.db, ref, hub.governance);
    const supported = highestSupportedLayer(hub.governance, await gateFacts(hub.store.db, p));
    const target = chosen ?? p.layer;
    if (supported === null || layerIndex(hub.governance, target) < layerIndex(hub.governance, supported)) {
      warnings.push(
        `${refOf(p)} aims at ${target} but its evidence so far supports ${supported ?? 'no layer yet'}; consider starting there`,
      );
    }
  }
  return { ...rec, warnings };
}
