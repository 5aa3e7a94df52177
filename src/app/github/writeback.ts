// Write-back (opt-in per repository): the hub's state, written where the community looks. A
// reaction queues a job, in the transaction of the event, whenever a mirrored proposal moves,
// is gated, sponsored or decided on; the worker then brings GitHub into line with the hub as it
// is *now* (labels, the one status comment) and posts a decision's outcome once. A GitHub outage
// never touches the user's action: the job waits and retries with backoff. Nothing is written
// twice: the status comment is edited in place (found again by its marker if its id was lost),
// an outcome is posted only if no comment carries its marker, and the client used here does not
// retry a write on its own (a write whose answer was lost is retried by the job, which looks first).
import type { WritebackLabels } from '../../domain/github/sync-records.ts';
import { writeJson, type Json } from '../../store/schema.ts';
import { RequestError } from '@octokit/request-error';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  isHubComment,
  labelChanges,
  notesDiscussion,
  notesMarker,
  outcomeCommentBody,
  outcomeMarker,
  STATUS_MARKER,
  statusCommentBody,
} from '../../domain/github/write-back.ts';
import type { ProposalsTable } from '../../store/schema.ts';
import { inTransaction, record, type Hub, type Reaction, type Tx } from '../core/hub.ts';
import { saysAgain } from '../../store/events.ts';
import { enqueue, PermanentFailure, RetryAt } from '../core/jobs.ts';
import { decisionRow, decisionView } from '../decisions/decisions.ts';
import { proposalRow, proposalView, refOf } from '../proposals/proposals.ts';
import type { GithubClient } from './client.ts';
import { contentHash, GITHUB_ACTOR, saveItem } from './mirror.ts';
import { getMeeting } from '../meetings/meetings.ts';
import { describeFailure } from './sync.ts';
import { ownerAndName } from '../../domain/governance/github.ts';

export const WRITEBACK_QUEUE = 'github.writeback';
/** With backoff capped at an hour, about a day of outage is waited out before a job is marked failed. */
const WRITEBACK_ATTEMPTS = 30;

/**
 * Which governance file queued a job: a short hash of its `github:` section. Every job is queued by a
 * process whose file has write-back on for its repository; a worker whose own file has it off (one
 * started with an older file) tells by this that it is not the file the job was queued under.
 * Absent from jobs an older wghub queued.
 */
const QueuedUnder = z.string().max(64).optional();

/** A write-back job's payload: what to bring into line, on which repository. */
export const WritebackJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status'), repo: z.string(), number: z.int(), queuedUnder: QueuedUnder }),
  z.object({
    kind: z.literal('outcome'),
    repo: z.string(),
    number: z.int(),
    decision: z.string(),
    queuedUnder: QueuedUnder,
  }),
  z.object({ kind: z.literal('notes'), repo: z.string(), meeting: z.string(), queuedUnder: QueuedUnder }),
]);
export type WritebackJob = z.infer<typeof WritebackJob>;

/** The short hash of this process's governance file's `github:` section (see `QueuedUnder`). */
export function githubSectionHash(hub: Hub): string {
  return createHash('sha256')
    .update(JSON.stringify(hub.governance.github ?? null))
    .digest('hex')
    .slice(0, 12);
}

/** A worker's refusal to skip a job its own, different, governance file would skip: retried, for a worker with the file it was queued under. */
export class WritebackElsewhere extends Error {}

/**
 * How long after it was queued a worker whose file has write-back off leaves a job queued under
 * another file (with it on) for a worker running that one: a rolling restart's length. The hash
 * cannot tell an older file from a newer one: past this, the worker's own file is taken as the
 * hub's (write-back turned off, every process restarted) and the job is dropped, said once.
 */
export const WRITEBACK_RESTART_WINDOW_MS = 15 * 60_000;

/** Events that change what the status comment or the labels show; comments mirrored from GitHub do not. */
const PROPOSAL_EVENTS = new Set([
  'proposal.stage-changed',
  'proposal.gate-checked',
  'proposal.sponsored',
  'proposal.sponsorship-ended',
  'proposal.supported',
  'proposal.support-withdrawn',
  'proposal.evidence-added',
  'proposal.evidence-verified',
  'proposal.evidence-check-failed',
  'proposal.prior-work-checked',
  'proposal.updated',
  'proposal.reimported',
]);
const DECISION_EVENTS = new Set(['decision.opened', 'decision.phase-changed', 'decision.outcome']);

/** The mirrored pull request or issue a proposal came from, in a repository with write-back on. */
export async function writableOriginal(
  db: Tx,
  hub: Hub,
  proposalId: string,
): Promise<{ repo: string; number: number } | null> {
  const items = await db
    .selectFrom('github_items')
    .select(['repo', 'number'])
    .where('hub_type', '=', 'proposal')
    .where('hub_id', '=', proposalId)
    .where('kind', 'in', ['pull', 'issue'])
    .where('deleted_at', 'is', null)
    .execute();
  const repos = hub.governance.github?.repositories ?? [];
  for (const i of items) {
    const cfg = repos.find((r) => r.name.toLowerCase() === i.repo.toLowerCase());
    if (cfg?.writeBack && i.number !== null) return { repo: i.repo, number: Number(i.number) };
  }
  return null;
}

/** Where published meeting notes go: the first repository with write-back, when a notes category is named. */
export function notesRepository(hub: Hub): string | null {
  const g = hub.governance.github;
  if (!g?.discussionCategories.notes) return null;
  return g.repositories.find((r) => r.writeBack)?.name ?? null;
}

export function writebackReaction(): Reaction {
  return async (trx, hub, e) => {
    if (!hub.governance.github?.repositories.some((r) => r.writeBack)) return;
    if (e.subject.type === 'meeting' && (e.kind === 'meeting.notes-published' || e.kind === 'meeting.notes-revised')) {
      const repo = notesRepository(hub);
      if (repo)
        await enqueue(trx, hub, {
          queue: WRITEBACK_QUEUE,
          key: `${WRITEBACK_QUEUE}:notes:${repo}:${e.subject.id}:${e.seq}`,
          payload: {
            kind: 'notes',
            repo,
            meeting: e.subject.id,
            queuedUnder: githubSectionHash(hub),
          } satisfies WritebackJob,
          maxAttempts: WRITEBACK_ATTEMPTS,
        });
      return;
    }
    let proposalRef: string | null = null;
    if (e.subject.type === 'proposal' && PROPOSAL_EVENTS.has(e.kind)) proposalRef = e.subject.id;
    if (e.subject.type === 'decision' && DECISION_EVENTS.has(e.kind)) {
      const d = await trx
        .selectFrom('decisions')
        .select(['subject_type', 'subject_ref'])
        .where('number', '=', Number(e.subject.id.replace(/^D-/, '')))
        .executeTakeFirst();
      if (d?.subject_type === 'proposal') proposalRef = d.subject_ref;
    }
    if (!proposalRef) return;
    const p = await proposalRow(trx, proposalRef, hub.governance).catch(() => null);
    if (!p) return;
    const target = await writableOriginal(trx, hub, p.id);
    if (!target) return;
    await enqueueStatus(trx, hub, target, `event:${e.seq}`);
    if (e.kind === 'decision.outcome')
      await enqueue(trx, hub, {
        queue: WRITEBACK_QUEUE,
        key: `${WRITEBACK_QUEUE}:outcome:${target.repo}#${target.number}:${e.subject.id}`,
        payload: {
          kind: 'outcome',
          ...target,
          decision: e.subject.id,
          queuedUnder: githubSectionHash(hub),
        } satisfies WritebackJob,
        maxAttempts: WRITEBACK_ATTEMPTS,
      });
  };
}

export async function enqueueStatus(
  db: Tx,
  hub: Hub,
  target: { repo: string; number: number },
  why: string,
): Promise<boolean> {
  return enqueue(db, hub, {
    queue: WRITEBACK_QUEUE,
    key: `${WRITEBACK_QUEUE}:status:${target.repo}#${target.number}:${why}`,
    payload: { kind: 'status', ...target, queuedUnder: githubSectionHash(hub) } satisfies WritebackJob,
    maxAttempts: WRITEBACK_ATTEMPTS,
  });
}

export type WritebackOptions = {
  clientFor: (repo: string) => Promise<GithubClient>;
  /** The hub's address, for links from GitHub back to the hub. */
  publicUrl: string;
  /** When the job was queued (its `created_at`): how long a job queued under another file waits. */
  queuedAt?: string;
};

/** The worker's handler: does one write-back job, or throws to be retried (RetryAt at a rate limit's reset). */
export async function runWriteback(hub: Hub, job: WritebackJob, opts: WritebackOptions): Promise<string> {
  const repoCfg = hub.governance.github?.repositories.find((r) => r.name.toLowerCase() === job.repo.toLowerCase());
  if (!repoCfg?.writeBack) {
    const mine = githubSectionHash(hub);
    // queued by a process whose governance file has write-back on here, and this worker's has it
    // off: either write-back was just turned off and a process still runs the older file, or this
    // worker runs an older file than the one it was turned on in. For a rolling restart's length it
    // is left for a worker running the file it was queued under; then dropped, said once. An older
    // wghub's job carries no hash.
    if (job.queuedUnder && job.queuedUnder !== mine) {
      const named = repoCfg !== undefined;
      const queued = opts.queuedAt ? Date.parse(opts.queuedAt) : Number.NaN;
      if (!(hub.clock.now().getTime() - queued >= WRITEBACK_RESTART_WINDOW_MS))
        throw await writebackElsewhere(hub, job, named, mine);
      return writebackDropped(hub, job, named, mine);
    }
    return 'write-back is off for this repository';
  }
  try {
    if (job.kind === 'notes') return await writeNotes(hub, job, opts);
    return job.kind === 'status' ? await writeStatus(hub, job, opts) : await writeOutcome(hub, job, opts);
  } catch (e) {
    throw asJobFailure(e, hub.clock.now());
  }
}

const windowText = `${WRITEBACK_RESTART_WINDOW_MS / 60_000} minutes`;
const off = (named: boolean, repo: string) => `${named ? 'has write-back off for' : 'does not name'} ${repo}`;

/** Records once (while nothing changes) in the event feed what a worker did with a job queued under another file. */
async function sayOnce(hub: Hub, kind: string, job: WritebackJob, mine: string, why: string): Promise<boolean> {
  const subject = { type: 'github-repo', id: job.repo };
  const facts = { workerFile: mine, queuedUnder: job.queuedUnder ?? null, reason: why };
  return inTransaction(hub, async (trx) => {
    if (await saysAgain(trx, subject, [kind], kind, facts)) return false;
    await record(trx, hub, GITHUB_ACTOR, kind, subject, null, facts);
    return true;
  });
}

/**
 * Records (once while nothing changes) that this worker left a write-back job for another, and why,
 * and gives the error the job is retried with: the worker's log shows it, and the job's last error.
 */
async function writebackElsewhere(
  hub: Hub,
  job: WritebackJob,
  named: boolean,
  mine: string,
): Promise<WritebackElsewhere> {
  const why = `this worker's governance file (github section ${mine}) ${off(named, job.repo)}, but the job was queued under another (github section ${job.queuedUnder}) that has it on. If write-back was turned off, a process still runs the older file: once every process runs the new one, the job is dropped ${windowText} after it was queued. If it is meant to be on, this worker runs an older file: restart this worker with the current governance file; a worker running it does the job meanwhile`;
  await sayOnce(hub, 'github.writeback-deferred', job, mine, why);
  return new WritebackElsewhere(`write-back not done here: ${why}`);
}

// what this process said in its log about dropped jobs, per hub: once per repository and pair of files
const droppedSaid = new WeakMap<Hub, Set<string>>();

/** Drops a job queued under another file, past the restart window: said once in the log and the event feed. */
async function writebackDropped(hub: Hub, job: WritebackJob, named: boolean, mine: string): Promise<string> {
  const why = `write-back is off in this hub's governance file: this worker's file (github section ${mine}) ${off(named, job.repo)}, so write-back jobs queued under another file that had it on (github section ${job.queuedUnder}) are dropped ${windowText} after they were queued, not written to GitHub. If write-back is meant to be on for ${job.repo}, this worker runs an older governance file: restart it with the current one (what was dropped is not written; a proposal's labels and status comment are brought into line at its next change)`;
  await sayOnce(hub, 'github.writeback-dropped', job, mine, why);
  const said = droppedSaid.get(hub) ?? new Set<string>();
  droppedSaid.set(hub, said);
  const key = `${job.repo.toLowerCase()} ${mine} ${job.queuedUnder}`;
  if (!said.has(key)) {
    said.add(key);
    console.warn(`github write-back: ${why}`);
  }
  return why;
}

function asJobFailure(e: unknown, now: Date): unknown {
  if (!(e instanceof RequestError)) return e;
  const message = describeFailure(e).replace(
    /; run again( later)? to resume$/,
    '; the write-back waits and tries again',
  );
  const headers = e.response?.headers ?? {};
  if (
    (e.status === 403 || e.status === 429) &&
    headers['x-ratelimit-remaining'] === '0' &&
    headers['x-ratelimit-reset']
  )
    return new RetryAt(new Date(Number(headers['x-ratelimit-reset']) * 1000 + 1000), message);
  // a secondary rate limit GitHub kept answering after the client waited it out: GitHub sends it
  // as 403 (or 429) without `retry-after` too ("wait at least a minute"), and it passes, so the job
  // waits and tries again; it is no missing permission
  if ((e.status === 403 || e.status === 429) && /\bsecondary rate limit\b/i.test(e.message)) {
    const after = Number(headers['retry-after']);
    return new RetryAt(new Date(now.getTime() + (after > 60 ? after : 60) * 1000), message);
  }
  if (
    e.status === 401 ||
    e.status === 404 ||
    e.status === 410 ||
    e.status === 422 ||
    (e.status === 403 && !headers['retry-after'])
  )
    return new PermanentFailure(
      `${message}${e.status === 403 ? ' (the GitHub App needs Issues and Pull requests: Read and write)' : ''}`,
    );
  return new Error(message);
}

async function mirroredProposal(
  hub: Hub,
  job: Exclude<WritebackJob, { kind: 'notes' }>,
): Promise<ProposalsTable | null> {
  const db = hub.store.db;
  const item = await db
    .selectFrom('github_items')
    .select(['hub_type', 'hub_id'])
    .where('repo', '=', job.repo)
    .where('kind', 'in', ['pull', 'issue'])
    .where('number', '=', job.number)
    .where('hub_type', '=', 'proposal')
    .executeTakeFirst();
  if (!item) return null;
  return (await db.selectFrom('proposals').selectAll().where('id', '=', item.hub_id).executeTakeFirst()) ?? null;
}

async function writeStatus(
  hub: Hub,
  job: Extract<WritebackJob, { kind: 'status' }>,
  opts: WritebackOptions,
): Promise<string> {
  const db = hub.store.db;
  const row = await mirroredProposal(hub, job);
  if (!row) return 'not a mirrored proposal';
  const view = await proposalView(db, hub, row);
  const decisions = await db
    .selectFrom('decisions')
    .selectAll()
    .where('subject_type', '=', 'proposal')
    // decisions name their proposal as stored (SEP-12), the view as the community cites it (RFC-12)
    .where('subject_ref', '=', refOf(row))
    .orderBy('number')
    .execute();
  const decided = [];
  for (const d of decisions) {
    const v = await decisionView(db, hub, d);
    decided.push({
      ref: v.ref,
      url: `${opts.publicUrl}/decisions/${v.ref}`,
      question: v.question,
      deadline: v.deadline,
      phase: v.state.phase,
      outcome: v.state.outcome,
    });
  }
  const body = statusCommentBody({
    ref: view.ref,
    title: view.title,
    url: `${opts.publicUrl}/proposals/${view.ref}`,
    stage: view.stage,
    stageChangedAt: view.stageChangedAt,
    sponsor: await sponsorLogin(db, view.sponsor?.handle ?? null),
    gate: view.gate,
    decisions: decided,
    priorWork: (view.priorWork?.matches ?? []).map((m) => ({ ref: m.ref, title: m.title, reasons: m.reasons })),
  });
  const hash = contentHash(body);
  const stageLabels = hub.governance.github?.labels[view.route] ?? {};
  const labelsKey = writeJson({ stage: view.stage, label: stageLabels[view.stage] ?? null });
  const wb = await db
    .selectFrom('github_writeback')
    .selectAll()
    .where('repo', '=', job.repo)
    .where('number', '=', job.number)
    .executeTakeFirst();
  const did: string[] = [];
  const client = await opts.clientFor(job.repo);
  const [owner, repo] = ownerAndName(job.repo);
  const at = { owner, repo, issue_number: job.number };

  if (wb?.labels !== labelsKey) {
    const { data: issue } = await client.rest.issues.get(at);
    const current = issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);
    const { add, remove } = labelChanges(current, stageLabels, view.stage);
    for (const name of remove)
      await client.rest.issues.removeLabel({ ...at, name }).catch((e) => {
        // already gone: what we wanted
        if (!(e instanceof RequestError && e.status === 404)) throw e;
      });
    if (add.length) await client.rest.issues.addLabels({ ...at, labels: add });
    if (add.length || remove.length) did.push(`labels +[${add.join(', ')}] -[${remove.join(', ')}]`);
    await saveWriteback(hub, job, { labels: labelsKey });
  }

  if (wb?.status_hash !== hash) {
    let id = wb?.status_comment_id ?? null;
    if (id) {
      const edited = await client.rest.issues
        .updateComment({ owner, repo, comment_id: Number(id), body })
        .then(() => true)
        .catch((e) => {
          // someone deleted the status comment: post it again below
          if (e instanceof RequestError && e.status === 404) return false;
          throw e;
        });
      if (!edited) id = null;
      else did.push('status comment edited');
    }
    if (!id) {
      // the hub may have posted it and lost the answer (a crash, a dropped connection): look first
      const existing = await findComment(client, at, STATUS_MARKER);
      if (existing) {
        await client.rest.issues.updateComment({ owner, repo, comment_id: existing, body });
        id = String(existing);
        did.push('status comment found and edited');
      } else {
        const { data } = await client.rest.issues.createComment({ ...at, body });
        id = String(data.id);
        did.push('status comment posted');
      }
    }
    await saveWriteback(hub, job, { status_comment_id: id, status_hash: hash });
  }
  return did.join('; ') || 'already up to date';
}

async function writeOutcome(
  hub: Hub,
  job: Extract<WritebackJob, { kind: 'outcome' }>,
  opts: WritebackOptions,
): Promise<string> {
  const db = hub.store.db;
  const d = await decisionRow(db, job.decision);
  const v = await decisionView(db, hub, d);
  if (v.state.outcome === 'pending') return 'not decided yet';
  const client = await opts.clientFor(job.repo);
  const [owner, repo] = ownerAndName(job.repo);
  const at = { owner, repo, issue_number: job.number };
  const marker = outcomeMarker(v.ref);
  if (await findComment(client, at, marker)) return 'outcome already posted';
  const closed = await db
    .selectFrom('events')
    .select('at')
    .where('subject_type', '=', 'decision')
    .where('subject_id', '=', v.ref)
    .where('kind', '=', 'decision.outcome')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  await client.rest.issues.createComment({
    ...at,
    body: outcomeCommentBody({
      ref: v.ref,
      url: `${opts.publicUrl}/decisions/${v.ref}`,
      question: v.question,
      outcome: v.state.outcome,
      why: v.state.why,
      closedAt: closed?.at ?? v.deadline,
    }),
  });
  return 'outcome posted';
}

/** The id of the comment on this item that carries MARKER, if any (the hub's own, by its marker). */
async function findComment(
  client: GithubClient,
  at: { owner: string; repo: string; issue_number: number },
  marker: string,
): Promise<number | null> {
  for await (const page of client.paginate.iterator(client.rest.issues.listComments, { ...at, per_page: 100 }))
    for (const c of page.data) if (isHubComment(c.body) && c.body?.includes(marker)) return c.id;
  return null;
}

async function sponsorLogin(db: Tx, handle: string | null): Promise<string | null> {
  if (!handle) return null;
  const p = await db.selectFrom('people').select(['github', 'handle']).where('handle', '=', handle).executeTakeFirst();
  return p?.github ?? p?.handle ?? handle;
}

async function saveWriteback(
  hub: Hub,
  job: { repo: string; number: number },
  set: { labels?: Json<WritebackLabels>; status_comment_id?: string; status_hash?: string },
): Promise<void> {
  const at = hub.clock.now().toISOString();
  await hub.store.db
    .insertInto('github_writeback')
    .values({
      repo: job.repo,
      number: job.number,
      status_comment_id: set.status_comment_id ?? null,
      status_hash: set.status_hash ?? null,
      labels: set.labels ?? null,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['repo', 'number']).doUpdateSet({ ...set, updated_at: at }))
    .execute();
}

type Discussion = { id: string; number: number; url: string; body: string };

/**
 * Published meeting notes as a Discussion in the configured category (GraphQL: GitHub has no REST
 * for Discussions), created once and edited in place when the notes are revised. The hub remembers
 * the Discussion it made; if it lost that, it finds it by its marker before creating one.
 */
async function writeNotes(
  hub: Hub,
  job: Extract<WritebackJob, { kind: 'notes' }>,
  opts: WritebackOptions,
): Promise<string> {
  const db = hub.store.db;
  const category = hub.governance.github?.discussionCategories.notes;
  if (!category) return 'no Discussion category for meeting notes';
  const m = await getMeeting(hub, job.meeting);
  if (!m.notes.markdown) return 'no notes yet';
  const { title, body } = notesDiscussion({
    ref: m.ref,
    title: m.title,
    group: m.group,
    startsAt: m.startsAt,
    url: `${opts.publicUrl}/meetings/${m.ref}`,
    notes: m.notes.markdown,
  });
  const hash = contentHash(`${title}\n${body}`);
  const meetingId = (
    await db
      .selectFrom('meetings')
      .select('id')
      .where('number', '=', Number(m.ref.slice(2)))
      .executeTakeFirstOrThrow()
  ).id;
  const known = await db
    .selectFrom('github_items')
    .selectAll()
    .where('repo', '=', job.repo)
    .where('kind', '=', 'discussion')
    .where('hub_type', '=', 'meeting')
    .where('hub_id', '=', meetingId)
    .executeTakeFirst();
  if (known?.content_hash === hash) return 'already up to date';
  const client = await opts.clientFor(job.repo);
  const [owner, name] = ownerAndName(job.repo);
  let discussion: Discussion | null = known
    ? { id: known.github_id, number: Number(known.number), url: known.url, body: '' }
    : null;
  let did: string;
  if (!discussion) {
    const found = await client.graphql<{
      repository: {
        id: string;
        discussionCategories: { nodes: { id: string; name: string }[] };
        discussions: { nodes: Discussion[] };
      };
    }>(
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id
        discussionCategories(first: 100) { nodes { id name } }
        discussions(first: 100, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { id number url body } } } }`,
      { owner, name },
    );
    const cat = found.repository.discussionCategories.nodes.find(
      (c) => c.name.toLowerCase() === category.toLowerCase(),
    );
    if (!cat)
      throw new PermanentFailure(
        `${job.repo} has no Discussion category named '${category}' (github.discussionCategories.notes)`,
      );
    discussion = found.repository.discussions.nodes.find((d) => d.body.includes(notesMarker(m.ref))) ?? null;
    if (!discussion) {
      const created = await client.graphql<{ createDiscussion: { discussion: Discussion } }>(
        `mutation($repositoryId: ID!, $categoryId: ID!, $title: String!, $body: String!) {
          createDiscussion(input: { repositoryId: $repositoryId, categoryId: $categoryId, title: $title, body: $body }) {
            discussion { id number url body } } }`,
        { repositoryId: found.repository.id, categoryId: cat.id, title, body },
      );
      discussion = created.createDiscussion.discussion;
      did = `Discussion #${discussion.number} created`;
    } else {
      await updateDiscussion(client, discussion.id, title, body);
      did = `Discussion #${discussion.number} found and edited`;
    }
  } else {
    await updateDiscussion(client, discussion.id, title, body);
    did = `Discussion #${discussion.number} edited`;
  }
  const d = discussion;
  await inTransaction(hub, (trx) =>
    saveItem(trx, hub, {
      repo: job.repo,
      kind: 'discussion',
      githubId: d.id,
      number: d.number,
      hubType: 'meeting',
      hubId: meetingId,
      url: d.url,
      login: null,
      createdAt: null,
      updatedAt: null,
      hash,
    }),
  );
  return did;
}

async function updateDiscussion(client: GithubClient, id: string, title: string, body: string): Promise<void> {
  await client.graphql(
    `mutation($id: ID!, $title: String!, $body: String!) {
      updateDiscussion(input: { discussionId: $id, title: $title, body: $body }) { discussion { id } } }`,
    { id, title, body },
  );
}
