// Webhook deliveries: verified (X-Hub-Signature-256, by @octokit/webhooks) before anything is
// read, stored once by delivery id with a job in the same transaction, and acknowledged at once;
// the worker applies them. Applying is idempotent and tolerates any order: an item's updated_at
// decides between two copies, a deletion leaves a tombstone that a late "created" cannot undo,
// and a comment on a pull request the backfill has not reached yet first mirrors that PR.
import { readJson, writeJson } from '../../store/schema.ts';
import { factText, saysAgain } from '../../store/events.ts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidInput, invalid } from '../../domain/errors.ts';
import { LIMITS } from '../../domain/limits.ts';
import { storableText } from '../../domain/text.ts';
import { charsetsNamed } from '../../domain/json.ts';
import { PayloadRefused, parseStoredPayload, readDeliveryBody } from './delivery-body.ts';
import { parseBigPayload, readBigBody } from './big-deliveries.ts';
import { inTransaction, nowIso, record, type Hub, type Tx } from '../core/hub.ts';
import { parseInput } from '../core/validate.ts';
import { holdKey } from '../core/hold.ts';
import { enqueue, type JobSpec, jobRow, PermanentFailure } from '../core/jobs.ts';
import { type Insertable, sql } from 'kysely';
import type { GithubDeliveriesTable } from '../../store/schema.ts';
import type { GithubClient } from './client.ts';
import type { Secret } from './config.ts';
import { isHubComment } from '../../domain/github/write-back.ts';
import {
  GITHUB_ACTOR,
  hideDeletedComment,
  mirrorComment,
  mirroredItem,
  personForLogin,
  saveCommits,
  saveItem,
} from './mirror.ts';
import { hideIssue, type IssueJson, saveIssue } from './issues.ts';
import {
  hideThreadComment,
  reindexThread,
  saveThreadComment,
  type Thread,
  type ThreadComment,
} from './thread-comments.ts';
import { teamDeleted, teamMembership } from './owners.ts';
import { type DiscussionFacts, hideDiscussion, isHubDiscussion, saveDiscussion } from './discussions.ts';
import { ensureRepoRow, syncPull } from './sync.ts';
import { applyRepositoryEvent, noteGithubId, repositoryOf } from './repos.ts';
import type { GithubRepository } from '../../domain/governance/github.ts';
import { pullComment, pullReview, type PullThreadItem } from './pull-thread.ts';
import { ownerAndName } from '../../domain/governance/github.ts';

export const DELIVERY_QUEUE = 'github.delivery';
/** A delivery job: the stored delivery to apply. */
export const DeliveryJob = z.object({ delivery: z.string() });

export type Receipt =
  | { status: 401; reason: string }
  | { status: 400; reason: string }
  | { status: 415; reason: string }
  | { status: 202; delivery: string; duplicate: boolean };

/**
 * Whether `signature` (X-Hub-Signature-256) is the HMAC of the body's bytes as they came: computed
 * over the bytes, not over text decoded from them, so bytes that are not UTF-8 (read as U+FFFD) or a
 * byte-order mark (dropped by a decoder) cannot pass under another body's signature (fuzz round 16).
 */
function signedBy(secret: Secret, bytes: Uint8Array, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret.reveal()).update(bytes).digest('hex')}`);
  const sent = Buffer.from(signature);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/** The refusal of a request with no signature at all: anyone's, so no sign of a wrong secret. */
export const SIGNATURE_MISSING = 'X-Hub-Signature-256 is missing';

type Noted = { pending: number; writtenAt: number; lastAt: string; later?: NodeJS.Timeout };
// refusals noted by this process and not written yet, per hub and reason, and when each was last written
const refusals = new WeakMap<Hub, Map<string, Noted>>();
/** How often one process writes its count of one kind of refusal (a test shortens it). */
export const refusalWrites = { everyMs: 60_000 };

/**
 * A delivery refused for its signature: nothing of it is stored, but the operator's status counts
 * it (a wrong WGHUB_GITHUB_WEBHOOK_SECRET must not look like GitHub sending nothing). Written at
 * most once a minute per process and reason, so a flood of forged requests costs no more; what a
 * minute held is written at its end, so a burst and then silence is counted whole.
 */
async function refused(hub: Hub, reason: string): Promise<Receipt> {
  const mine = refusals.get(hub) ?? new Map<string, Noted>();
  refusals.set(hub, mine);
  const r = mine.get(reason) ?? { pending: 0, writtenAt: Number.NEGATIVE_INFINITY, lastAt: '' };
  r.pending++;
  r.lastAt = nowIso(hub);
  mine.set(reason, r);
  const wait = r.writtenAt + refusalWrites.everyMs - performance.now();
  if (wait <= 0) await writeRefusals(hub, reason, r);
  else
    r.later ??= setTimeout(() => {
      r.later = undefined;
      // a hub closed meanwhile (a test's) counts nothing more
      writeRefusals(hub, reason, r).catch(() => {});
    }, wait).unref();
  return { status: 401, reason };
}

async function writeRefusals(hub: Hub, reason: string, r: Noted): Promise<void> {
  const n = r.pending;
  if (!n) return;
  r.pending = 0;
  r.writtenAt = performance.now();
  const at = r.lastAt;
  await hub.store.db
    .insertInto('github_webhook_refusals')
    .values({ reason, count: n, last_at: at })
    .onConflict((oc) =>
      oc.column('reason').doUpdateSet((eb) => ({
        count: eb('github_webhook_refusals.count', '+', n),
        // two processes write in either order: the last refusal stays the latest
        last_at: eb
          .case()
          .when('excluded.last_at', '>', eb.ref('github_webhook_refusals.last_at'))
          .then(eb.ref('excluded.last_at'))
          .else(eb.ref('github_webhook_refusals.last_at'))
          .end(),
      })),
    )
    .execute()
    .catch(() => {
      // the refusal stands whether or not it could be counted; the next write carries it
      r.pending += n;
    });
}

/**
 * A body read as it streamed in (a big delivery's, POST /github/webhooks): its bytes, and whether a
 * signature matches the HMAC computed over them on the way (`deliverySigner`).
 */
export type StreamedBody = { bytes: Uint8Array; signedWith(signature: string): boolean };

/** The HMAC of a body fed in as its chunks arrive, compared as `signedBy` does once they all have. */
export function deliverySigner(secret: Secret): {
  update(chunk: Uint8Array): void;
  signedWith(signature: string): boolean;
} {
  const hmac = createHmac('sha256', secret.reveal());
  let digest: Buffer | null = null;
  return {
    update: (chunk) => {
      hmac.update(chunk);
    },
    signedWith: (signature) => {
      digest ??= Buffer.from(`sha256=${hmac.digest('hex')}`);
      const sent = Buffer.from(signature);
      return sent.length === digest.length && timingSafeEqual(sent, digest);
    },
  };
}

/** Checks the signature over the raw body, then stores the delivery and its job; never applies it here. */
export async function receiveDelivery(
  hub: Hub,
  secret: Secret,
  headers: { delivery?: string; event?: string; signature?: string; contentType?: string },
  raw: Uint8Array | string | StreamedBody,
): Promise<Receipt> {
  if (!headers.signature) return refused(hub, SIGNATURE_MISSING);
  const streamed = typeof raw === 'string' || raw instanceof Uint8Array ? null : raw;
  const bytes = streamed ? streamed.bytes : typeof raw === 'string' ? Buffer.from(raw, 'utf8') : (raw as Uint8Array);
  const signed = streamed ? streamed.signedWith(headers.signature) : signedBy(secret, bytes, headers.signature);
  if (!signed) return refused(hub, 'X-Hub-Signature-256 does not match the body');
  // only a signed body is read: a big one in a thread of its own (it would hold the event loop a second)
  const size = bytes.length;
  const body =
    size > LIMITS.requestBodyBytes ? await readBigBody(bytes) : readDeliveryBody(typeof raw === 'string' ? raw : bytes);
  if (!body.ok && body.stage === 'utf8') return { status: 400, reason: body.reason };
  // GitHub's other choice of content type sends the JSON %-escaped in a form field (payload=…): said
  // so, rather than 'not a JSON object', which reads as GitHub sending garbage (fuzz round 15)
  // (undefined: a caller not over HTTP, which has no Content-Type to say)
  const type = headers.contentType === undefined ? undefined : headers.contentType.split(';')[0]!.trim().toLowerCase();
  // the body is read as UTF-8, so a delivery labelled otherwise (GitHub sends none) was read as what
  // it did not say (round 21); a charset named twice is one a proxy may read otherwise
  const charsets = charsetsNamed(headers.contentType);
  if (type === 'application/json' && (charsets.length > 1 || (charsets.length === 1 && charsets[0] !== 'utf-8')))
    return {
      status: 415,
      reason: `Content-Type must be application/json in UTF-8 (${charsets.length > 1 ? `charset was named ${charsets.length} times` : 'another charset was sent'})`,
    };
  if (type !== undefined && type !== 'application/json')
    return {
      status: 415,
      reason: `Content-Type must be application/json: set the webhook's "Content type" to application/json on GitHub (${type === 'application/x-www-form-urlencoded' ? 'it sends application/x-www-form-urlencoded' : type ? 'another type was sent' : 'none was sent'})`,
    };
  if (!headers.delivery || !/^[A-Za-z0-9-]{1,100}$/.test(headers.delivery))
    return { status: 400, reason: 'X-GitHub-Delivery must be the delivery id GitHub sends' };
  // GitHub's names are lower case with underscores and, for some, digits (projects_v2_item)
  if (!headers.event || !/^[a-z][a-z0-9_]{0,59}$/.test(headers.event))
    return { status: 400, reason: 'X-GitHub-Event must name the event' };
  if (!body.ok) return { status: 400, reason: body.reason };
  const id = headers.delivery;
  if (size > LIMITS.requestBodyBytes)
    console.info(
      `github webhook: delivery ${id} (${headers.event}${body.action ? ` ${body.action}` : ''}) is big, ${size} bytes (over the ${LIMITS.requestBodyBytes} of other requests): read in a thread of its own`,
    );
  const delivery = {
    id,
    event: headers.event,
    action: body.action,
    repo: body.repo,
    payload: body.text,
    received_at: nowIso(hub),
    processed_at: null,
    outcome: null,
    error: null,
  };
  const job = {
    queue: DELIVERY_QUEUE,
    key: `${DELIVERY_QUEUE}:${id}`,
    payload: { delivery: id } satisfies z.input<typeof DeliveryJob>,
  };
  const duplicate =
    hub.store.kind === 'postgres'
      ? await storeDeliveryAtOnce(hub, delivery, job)
      : await storeDelivery(hub, delivery, job);
  // the worker (or the GitHub thread) takes it up now rather than at its next poll
  if (!duplicate) for (const listener of hub.committed) listener();
  return { status: 202, delivery: id, duplicate };
}

type DeliveryRow = Insertable<GithubDeliveriesTable>;

/**
 * The delivery and its job in one transaction; true when the delivery was received before. Its id is
 * kept for good (`github_delivery_ids`, 376) after its row goes past its retention: GitHub's signature
 * carries no time, so the id is what refuses an old signed body sent again, however old.
 */
async function storeDelivery(hub: Hub, delivery: DeliveryRow, job: JobSpec): Promise<boolean> {
  return hub.store.db.transaction().execute(async (trx) => {
    const known = await trx
      .insertInto('github_delivery_ids')
      .values({ id: delivery.id, received_at: delivery.received_at })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(known.numInsertedOrUpdatedRows ?? 0) === 0) return true;
    const res = await trx
      .insertInto('github_deliveries')
      .values(delivery)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return true;
    await enqueue(trx, hub, job);
    return false;
  });
}

/**
 * PostgreSQL: the delivery's id, the delivery and its job in one statement (one round trip, atomic by
 * itself), which is what the acknowledgement waits for; a delivery received before adds nothing.
 */
async function storeDeliveryAtOnce(hub: Hub, delivery: DeliveryRow, job: JobSpec): Promise<boolean> {
  const j = jobRow(hub, job, hub.clock.now());
  const { rows } = await sql<{ id: string }>`
    with i as (
      insert into github_delivery_ids (id, received_at)
      values (${delivery.id}, ${delivery.received_at})
      on conflict (id) do nothing
      returning id
    ), d as (
      insert into github_deliveries (id, event, action, repo, payload, received_at)
      select i.id, ${delivery.event}, ${delivery.action}, ${delivery.repo}, ${delivery.payload}, ${delivery.received_at} from i
      on conflict (id) do nothing
      returning id
    )
    insert into jobs (id, queue, key, payload, run_at, attempts, max_attempts, created_at)
    select ${j.id}, ${j.queue}, ${j.key}, ${j.payload}, ${j.run_at}, 0, ${j.max_attempts}::integer, ${j.created_at} from d
    on conflict (key) do nothing
    returning id`.execute(hub.store.db);
  // the delivery id's job key is its own: no job added means the delivery was stored before
  return rows.length === 0;
}

/** Queues a stored delivery to be applied again (an operator's `wghub github replay`). */
export async function replayDelivery(hub: Hub, id: string): Promise<void> {
  await inTransaction(hub, async (trx) => {
    const d = await trx.selectFrom('github_deliveries').select('id').where('id', '=', id).executeTakeFirst();
    if (!d) throw invalid('delivery', await notKept(trx, hub, id));
    await enqueue(trx, hub, {
      queue: DELIVERY_QUEUE,
      key: `${DELIVERY_QUEUE}:${id}:replay:${hub.newId()}`,
      payload: { delivery: id } satisfies z.input<typeof DeliveryJob>,
    });
  });
}

/** Why a delivery cannot be applied again: never received, or its body deleted past its retention. */
async function notKept(db: Tx, hub: Hub, id: string): Promise<string> {
  const known = await db
    .selectFrom('github_delivery_ids')
    .select('received_at')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!known) return `no delivery '${id}' was received`;
  const { finishedDays, failedDays } = hub.settings.retention;
  return `delivery '${id}' was received at ${known.received_at}, and its body was deleted past its retention (${finishedDays} days applied, ${failedDays} failed: WGHUB_RETENTION_DAYS, WGHUB_RETENTION_FAILED_DAYS)`;
}

// A delivery's body, read through these schemas when it is applied: the fields the mirror uses,
// each typed as GitHub sends it (everything else passes through). A body that does not fit fails
// the delivery with the field named, instead of mirroring half of it, and is not retried: numbers
// are whole and fit their columns, ids are whole, times are ISO 8601, and titles and logins are as
// long as GitHub allows (round 7 of the fuzzing: each of these was a database refusal on PostgreSQL, or
// stored as it came on SQLite).
const Num = z.int().min(1).max(LIMITS.maxNumber);
const Id = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const At = z.iso.datetime({ offset: true });
const Title = z.string().max(LIMITS.github.title);
/** A GitHub login (at most 39 characters; an app's adds `[bot]`): a longer one names nobody. */
const Login = z.string().max(100);
const User = z.looseObject({ login: Login, id: Id.optional() }).nullable();
const IssueBody = z.looseObject({
  number: Num,
  title: Title,
  body: z.string().nullish(),
  state: z.string().optional(),
  html_url: z.string(),
  created_at: At,
  updated_at: At,
  user: User.optional(),
  labels: z.array(z.union([z.string(), z.looseObject({ name: z.string().optional() })])).optional(),
  assignees: z.array(z.looseObject({ login: Login }).nullable()).nullish(),
  pull_request: z.unknown().optional(),
}) satisfies z.ZodType<IssueJson>;
const Payload = z.looseObject({
  action: z.string().optional(),
  /** `pull_request` `synchronize`: the head commit after the push, and who pushed. */
  after: z.string().optional(),
  sender: z.looseObject({ login: Login }).optional(),
  repository: z
    .looseObject({
      full_name: z.string(),
      /** GitHub's id of the repository: the same when it is renamed or transferred */
      id: Id.optional(),
      private: z.boolean().optional(),
      archived: z.boolean().optional(),
    })
    .optional(),
  issue: IssueBody.optional(),
  pull_request: z
    .looseObject({
      number: Num,
      title: Title,
      html_url: z.string(),
      updated_at: At,
      created_at: At,
      user: User,
      head: z.looseObject({ sha: z.string() }),
      labels: z.array(z.looseObject({ name: z.string().optional() })),
    })
    .optional(),
  comment: z
    .looseObject({
      id: Id,
      body: z.string().nullable(),
      user: User,
      created_at: At,
      updated_at: At,
      html_url: z.string(),
      /** discussion comments: the comment a reply answers */
      parent_id: Id.nullish(),
      /** review comments: the file and line they are on */
      path: z.string().optional(),
      line: z.int().min(0).max(LIMITS.maxNumber).nullish(),
      original_line: z.int().min(0).max(LIMITS.maxNumber).nullish(),
    })
    .optional(),
  member: z.looseObject({ login: Login }).optional(),
  discussion: z
    .looseObject({
      number: Num,
      title: Title,
      body: z.string().nullable(),
      html_url: z.string(),
      created_at: At,
      updated_at: At,
      user: User,
      category: z.looseObject({ name: z.string() }).nullish(),
    })
    .optional(),
  label: z.looseObject({ name: z.string() }).optional(),
  changes: z
    .looseObject({
      name: z.looseObject({ from: z.string() }).optional(),
      // an issue transferred: where it went
      new_issue: z.looseObject({ html_url: z.string() }).optional(),
      // a repository renamed (its name before) or transferred (its owner before)
      repository: z.looseObject({ name: z.looseObject({ from: z.string() }) }).optional(),
      owner: z
        .looseObject({
          from: z.looseObject({
            user: z.looseObject({ login: z.string() }).nullish(),
            organization: z.looseObject({ login: z.string() }).nullish(),
          }),
        })
        .optional(),
    })
    .optional(),
  review: z
    .looseObject({
      id: Id,
      body: z.string().nullable(),
      user: User,
      state: z.string(),
      submitted_at: At.nullable(),
      // when its text was last edited (GitHub's description has it; its recorded examples predate it)
      updated_at: At.nullish(),
      html_url: z.string(),
    })
    .optional(),
  // organisation events (membership, team)
  scope: z.string().optional(),
  // a team deleted before a `membership` delivery about it comes without its slug
  team: z.looseObject({ slug: z.string().optional(), name: z.string() }).optional(),
  organization: z.looseObject({ login: z.string() }).optional(),
});
type Payload = z.output<typeof Payload>;

/** `membership` (someone joined or left a team) and `team` (a team deleted or renamed), for the configured teams. */
async function applyTeamEvent(
  hub: Hub,
  event: string,
  p: Payload,
  tx: <T>(fn: (trx: Tx) => Promise<T>) => Promise<T>,
): Promise<'applied' | 'ignored'> {
  const org = p.organization?.login?.toLowerCase();
  const slug = p.team?.slug?.toLowerCase();
  const t = hub.governance.github?.teams.find((x) => x.org.toLowerCase() === org && x.team.toLowerCase() === slug);
  if (!t) return 'ignored';
  if (event === 'membership') {
    if (p.scope !== 'team' || !p.member?.login || (p.action !== 'added' && p.action !== 'removed')) return 'ignored';
    await tx((trx) => teamMembership(trx, hub, t, p.member!.login, p.action === 'added'));
    return 'applied';
  }
  if (p.action === 'deleted') return (await tx((trx) => teamDeleted(trx, hub, t))) ? 'applied' : 'ignored';
  return 'ignored';
}

export type ClientFor = (repo: string) => Promise<GithubClient>;

const COLLABORATOR_KINDS = ['github.collaborator-added', 'github.collaborator-removed'];

/** The events `apply` reads; any other is ignored unread. */
export const MIRRORED_EVENTS = new Set([
  'membership',
  'team',
  'discussion',
  'discussion_comment',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'issues',
  'issue_comment',
  'member',
  'label',
  'repository',
]);

/** Applies one stored delivery; returns what it did (recorded on the delivery). */
export async function applyDelivery(hub: Hub, id: string, clientFor: ClientFor): Promise<'applied' | 'ignored'> {
  const db = hub.store.db;
  const d = await db.selectFrom('github_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  // a replay queued as retention deleted it: it never will be there, so this job is not retried
  if (!d) throw new PermanentFailure(await notKept(db, hub, id));
  let outcome: 'applied' | 'ignored';
  let about: Fact | null = null;
  // an app may be subscribed to more than the hub mirrors (commit comments, projects): those are
  // recorded and left, not read against a shape they never had
  if (!MIRRORED_EVENTS.has(d.event)) {
    await db
      .updateTable('github_deliveries')
      .set({ outcome: 'ignored', processed_at: nowIso(hub), error: null })
      .where('id', '=', id)
      .execute();
    return 'ignored';
  }
  try {
    // what anyone wrote on GitHub, made storable; a big one parsed in a thread of its own, as it was
    // read when it came (a second of the event loop, on the serving process when it works the queue)
    // (one stored before its objects and keys were counted and holding too many never will be: not retried)
    let payload: unknown;
    try {
      payload =
        d.payload.length > LIMITS.requestBodyBytes ? await parseBigPayload(d.payload) : parseStoredPayload(d.payload);
    } catch (e) {
      throw e instanceof PayloadRefused ? new PermanentFailure(`delivery ${id}: ${e.message}`) : e;
    }
    let p: Payload;
    try {
      p = parseInput(Payload, payload);
    } catch (e) {
      // a body that does not fit never will: failed once, with the field named, not retried
      throw e instanceof InvalidInput ? new PermanentFailure(`delivery ${id}: ${e.message}`) : e;
    }
    // the repository as the hub mirrors it: one renamed or transferred on GitHub is known by its id
    const mirrored = await repositoryOf(db, hub.governance, p.repository, formerName(p));
    // what it is about, known before anything else can fail: a failed delivery keeps its fact (below),
    // so retention keeps the newer ones applied about the same thing while it may be replayed
    about = factOf(d.event, p, d.received_at, mirrored?.name);
    const f = about;
    // listed under that name, not as from a repository the governance file does not name
    if (mirrored && mirrored.name !== d.repo)
      await db.updateTable('github_deliveries').set({ repo: mirrored.name }).where('id', '=', id).execute();
    // a fact's deliveries take turns (serve and every worker take deliveries): the check for a newer
    // one, the change and the fact recorded on the delivery in one transaction that holds the fact,
    // so an old "added" replayed beside the newer "removed" cannot pass its check before the removal
    // is recorded and then apply after it, and a crash cannot leave a change applied but its fact
    // unrecorded. A pull request's delivery reads GitHub's present state over the network (not in a
    // transaction): its fact is recorded after, and its mirrored copy's updated_at guards it.
    if (f && d.event !== 'pull_request')
      return await inTransaction(hub, async (trx) => {
        await holdKey(trx, hub, `github-fact:${f.fact}`);
        const newer = await newerKnown(trx, id, f);
        const o = newer ? await stale(trx, hub, d, f, newer) : await apply(hub, d.event, p, clientFor, mirrored, trx);
        await settle(trx, hub, id, o, f);
        return o;
      });
    const newer = about ? await newerKnown(db, id, about) : null;
    outcome =
      about && newer
        ? await inTransaction(hub, (trx) => stale(trx, hub, d, about!, newer))
        : await apply(hub, d.event, p, clientFor, mirrored);
  } catch (e) {
    await db
      .updateTable('github_deliveries')
      .set((eb) => ({
        // a replay that fails does not take away that the delivery was applied before
        outcome: eb.case().when('outcome', '=', 'applied').then('applied').else('failed').end(),
        error: (e instanceof Error ? e.message : String(e)).slice(0, 500),
        // the change it failed to apply was about this (`settle` never ran, or was rolled back with it):
        // while it is kept for `wghub github replay`, the newer deliveries applied about the same thing
        // stay too (retention.ts), so the replay still finds them newer
        ...(about ? { fact: about.fact, fact_at: about.at } : {}),
      }))
      .where('id', '=', id)
      .execute();
    throw e;
  }
  await settle(db, hub, id, outcome, about);
  return outcome;
}

/**
 * Records what applying a delivery did. A delivery applied before (and now replayed) stays
 * 'applied', with the fact and time it was applied for: a replay found stale or changing nothing
 * is its own event (`github.delivery-stale`), not a rewrite of the delivery's history.
 */
async function settle(db: Tx, hub: Hub, id: string, outcome: 'applied' | 'ignored', about: Fact | null) {
  await db
    .updateTable('github_deliveries')
    .set((eb) => ({
      outcome:
        outcome === 'applied' ? outcome : eb.case().when('outcome', '=', 'applied').then('applied').else(outcome).end(),
      processed_at: nowIso(hub),
      error: null,
      fact: about?.fact ?? null,
      fact_at: about?.at ?? null,
    }))
    .where('id', '=', id)
    .execute();
}

/**
 * What a delivery is about, and the time of the change it carries, for telling one older than what
 * the hub knows: an issue's or pull request's updated_at (they share their numbers); a collaborator, a
 * team member or a label, whose payloads carry no time, by when the delivery was received (a replay,
 * `wghub github replay`, keeps the time it first came). Null for what is not compared this way
 * (comments and Discussions keep their own updated_at; a deletion leaves a tombstone).
 */
type Fact = { fact: string; at: string; subject: { type: string; id: string }; timed: boolean };

/** A `repository` delivery's name for it before it was renamed or transferred. */
function formerName(p: Payload): string | undefined {
  if (!p.repository) return undefined;
  const [owner, name] = ownerAndName(p.repository.full_name);
  if (p.action === 'renamed' && p.changes?.repository) return `${owner}/${p.changes.repository.name.from}`;
  const from = p.changes?.owner?.from;
  const was = from?.organization?.login ?? from?.user?.login;
  return p.action === 'transferred' && was ? `${was}/${name}` : undefined;
}

function factOf(event: string, p: Payload, receivedAt: string, mirroredAs?: string): Fact | null {
  if (event === 'membership' && p.member?.login && p.organization?.login && p.team?.slug) {
    const team = `${p.organization.login}/${p.team.slug}`.toLowerCase();
    return {
      fact: `team:${team}:${p.member.login.toLowerCase()}`,
      at: receivedAt,
      subject: { type: 'github-team', id: team },
      timed: false,
    };
  }
  const named = mirroredAs ?? p.repository?.full_name;
  const repo = named?.toLowerCase();
  if (!repo) return null;
  const subject = { type: 'github-repo', id: named! };
  if (event === 'issues' && p.issue && p.action !== 'deleted')
    return { fact: `issue:${repo}#${p.issue.number}`, at: p.issue.updated_at, subject, timed: true };
  // a push (synchronize) counts as the pusher's activity when it happened, however late it comes
  if (event === 'pull_request' && p.pull_request && p.action !== 'synchronize')
    return { fact: `issue:${repo}#${p.pull_request.number}`, at: p.pull_request.updated_at, subject, timed: true };
  if (event === 'member' && p.member?.login)
    return { fact: `collaborator:${repo}:${p.member.login.toLowerCase()}`, at: receivedAt, subject, timed: false };
  if (event === 'label' && p.label?.name)
    return {
      fact: `label:${repo}:${(p.changes?.name?.from ?? p.label.name).toLowerCase()}`,
      at: receivedAt,
      subject,
      timed: false,
    };
  return null;
}

/**
 * A change about the same thing newer than this delivery's, already applied: another delivery's, or,
 * for an issue or pull request, the copy mirrored (by the backfill, the reconcile or a delivery).
 */
async function newerKnown(db: Tx, id: string, f: Fact): Promise<{ at: string; delivery: string | null } | null> {
  const applied = await db
    .selectFrom('github_deliveries')
    .select(['id', 'fact_at'])
    .where('fact', '=', f.fact)
    .where('outcome', '=', 'applied')
    .where('id', '!=', id)
    .where('fact_at', '>', f.at)
    .orderBy('fact_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (applied?.fact_at) return { at: applied.fact_at, delivery: applied.id };
  if (!f.timed) return null;
  const [, repo, number] = /^issue:(.+)#(\d+)$/.exec(f.fact)!;
  const mirrored = await db
    .selectFrom('github_items')
    .select('github_updated_at')
    .where((eb) => eb(eb.fn('lower', ['repo']), '=', repo!))
    .where('kind', 'in', ['issue', 'pull'])
    .where('number', '=', Number(number))
    .where('github_updated_at', '>', f.at)
    .executeTakeFirst();
  return mirrored?.github_updated_at ? { at: mirrored.github_updated_at, delivery: null } : null;
}

/** A delivery older than what the hub knows: not applied, and said so in the log and the event feed. */
async function stale(
  trx: Tx,
  hub: Hub,
  d: { id: string; event: string; action: string | null },
  f: Fact,
  newer: { at: string; delivery: string | null },
): Promise<'ignored'> {
  const what = `${d.event}${d.action ? ` ${d.action}` : ''}`;
  const reason = `delivery ${d.id} (${what}, of ${f.at}) is older than what the hub already has about ${f.fact} (${newer.delivery ? `delivery ${newer.delivery}, ` : ''}of ${newer.at}): ignored, so it does not undo the newer change`;
  console.warn(`github webhook: ${reason}`);
  await record(trx, hub, GITHUB_ACTOR, 'github.delivery-stale', f.subject, null, {
    delivery: d.id,
    event: what,
    about: f.fact,
    changedAt: f.at,
    newer: newer.at,
    ...(newer.delivery ? { newerDelivery: newer.delivery } : {}),
    reason,
  });
  return 'ignored';
}

/**
 * Applies a delivery's body; `within`: in that transaction (a delivery about a fact, whose
 * transaction holds the fact; never a pull request's, which reads GitHub on the way).
 */
async function apply(
  hub: Hub,
  event: string,
  p: Payload,
  clientFor: ClientFor,
  mirrored: { configured: GithubRepository; name: string } | null,
  within?: Tx,
): Promise<'applied' | 'ignored'> {
  const tx = <T>(fn: (trx: Tx) => Promise<T>): Promise<T> => (within ? fn(within) : inTransaction(hub, fn));
  // organisation events (teams and their members) name no repository
  if (event === 'membership' || event === 'team') return applyTeamEvent(hub, event, p, tx);
  if (!mirrored || !p.repository) return 'ignored';
  const { configured, name: repo } = mirrored;
  const named = p.repository;
  // the hub watches the repository from its first sync or first delivery, whichever came first:
  // a comment a later listing finds, dated since, is a missed delivery and news (mirror.ts `isNews`)
  const db = within ?? hub.store.db;
  await ensureRepoRow(hub, repo, db);
  await noteGithubId(db, repo, named);
  if (event === 'repository') return tx((trx) => applyRepositoryEvent(trx, hub, repo, p.action ?? '', named));
  /**
   * The proposal a PR is mirrored as, mirroring the PR first if the backfill has not reached it;
   * `live` is the comment or review the delivery brings, news though it comes with the PR's thread.
   */
  const proposalOf = async (
    number: number,
    isPull: boolean,
    live?: { kind: string; id: number },
  ): Promise<string | null> => {
    const known = await mirroredItem(db, repo, 'pull', number);
    if (known) return known.hub_type === 'proposal' ? known.hub_id : null;
    if (!isPull) return null;
    const client = await clientFor(repo);
    const [owner, name] = ownerAndName(repo);
    const { data } = await client.rest.pulls.get({ owner, repo: name, pull_number: number });
    return syncPull(hub, client, repo, data, undefined, live);
  };

  /**
   * A comment or review on a pull request, as a delivery brings it (news when created or submitted;
   * an edit by its date: see mirror.ts `isNews`), into the thread of the proposal the pull request is mirrored as.
   */
  const mirrorLive = async (
    number: number,
    isPull: boolean,
    c: PullThreadItem | null,
  ): Promise<'applied' | 'ignored'> => {
    if (!c) return 'ignored';
    // an edit of a comment the hub never saw may be from before it watched: its date decides (isNews)
    const fresh = p.action === 'created' || p.action === 'submitted';
    const proposalId = await proposalOf(number, isPull, fresh ? { kind: c.kind, id: c.id } : undefined);
    if (!proposalId) return 'ignored';
    const r = await tx((trx) => mirrorComment(trx, hub, { ...c, repo, proposalId }, { live: fresh }));
    return r === 'unchanged' ? 'ignored' : 'applied';
  };

  /**
   * A comment on a plain issue or a Discussion, as a delivery brings it: hidden when deleted on
   * GitHub; otherwise, when it is `part` of the thread, the thread comes along first (the backfill
   * may not have reached it; an older copy changes nothing), then the comment: news when created,
   * otherwise by its date (mirror.ts `isNews`).
   */
  const threadCommentDelivered = (
    t: Thread,
    raw: NonNullable<Payload['comment']>,
    o: { part: boolean; saveThread: (trx: Tx) => Promise<unknown> },
  ): Promise<'applied' | 'ignored'> => {
    const c: ThreadComment = {
      id: String(raw.id),
      parentId: raw.parent_id == null ? null : String(raw.parent_id),
      body: raw.body ?? '',
      url: raw.html_url,
      login: raw.user?.login ?? null,
      createdAt: raw.created_at,
      updatedAt: raw.updated_at,
    };
    return tx(async (trx) => {
      if (p.action === 'deleted') return (await hideThreadComment(trx, hub, t, c, nowIso(hub))) ? 'applied' : 'ignored';
      if (!o.part) return 'ignored';
      await o.saveThread(trx);
      // only a "created" delivery is news by itself: an edit of a comment the hub never saw may be
      // years old (written before the hub watched), so its date decides, as for the reconcile
      const saved = await saveThreadComment(trx, hub, t, c, { live: p.action === 'created' });
      if (saved !== 'unchanged') await reindexThread(trx, t);
      return saved === 'unchanged' ? 'ignored' : 'applied';
    });
  };

  /** A comment deleted on GitHub: hidden here, or a tombstone so a late "created" does not bring it back. */
  const deleted = async (kind: string, c: NonNullable<Payload['comment']>): Promise<'applied' | 'ignored'> => {
    const hidden = await tx(async (trx) => {
      if (await hideDeletedComment(trx, hub, repo, kind, c.id, nowIso(hub))) return true;
      if (!(await mirroredItem(trx, repo, kind, c.id)))
        await saveItem(trx, hub, {
          repo,
          kind,
          githubId: c.id,
          number: null,
          hubType: 'none',
          hubId: '',
          url: c.html_url,
          login: c.user?.login ?? null,
          createdAt: c.created_at,
          updatedAt: c.updated_at,
          hash: null,
        });
      await trx
        .updateTable('github_items')
        .set({ deleted_at: nowIso(hub) })
        .where('repo', '=', repo)
        .where('kind', '=', kind)
        .where('github_id', '=', String(c.id))
        .execute();
      return false;
    });
    return hidden ? 'applied' : 'ignored';
  };

  if ((event === 'discussion' || event === 'discussion_comment') && p.discussion) {
    const raw = p.discussion;
    const d: DiscussionFacts = {
      number: raw.number,
      title: raw.title,
      body: raw.body ?? '',
      url: raw.html_url,
      category: raw.category?.name ?? '',
      login: raw.user?.login ?? null,
      createdAt: raw.created_at,
      updatedAt: raw.updated_at,
    };
    if (isHubDiscussion(d.body)) return 'ignored';
    if (event === 'discussion_comment')
      return p.comment
        ? threadCommentDelivered({ kind: 'discussion', repo, number: d.number }, p.comment, {
            part: p.action === 'created' || p.action === 'edited',
            saveThread: (trx) => saveDiscussion(trx, hub, repo, d),
          })
        : 'ignored';
    const r = await tx(async (trx) =>
      p.action === 'deleted' || p.action === 'transferred'
        ? (await hideDiscussion(trx, hub, repo, d, nowIso(hub), p.action))
          ? 'added'
          : 'unchanged'
        : saveDiscussion(trx, hub, repo, d),
    );
    return r === 'unchanged' ? 'ignored' : 'applied';
  }

  if (event === 'pull_request_review_comment' && p.pull_request && p.comment) {
    const c = p.comment;
    if (p.action === 'deleted') return deleted('review_comment', c);
    return mirrorLive(p.pull_request.number, true, pullComment('review_comment', c));
  }

  // a plain issue (not a pull request) and its comments; a payload without `pull_request` whose
  // number is a mirrored pull request is still that pull request's
  const plainIssue =
    (event === 'issues' || event === 'issue_comment') &&
    p.issue !== undefined &&
    !p.issue.pull_request &&
    !(await mirroredItem(db, repo, 'pull', p.issue.number));
  if (plainIssue && !configured.issues) return 'ignored';
  if (event === 'issues' && p.issue && plainIssue) {
    const issue = p.issue;
    if (p.action === 'deleted')
      return (await tx((trx) => hideIssue(trx, hub, repo, issue, nowIso(hub)))) ? 'applied' : 'ignored';
    // moved to another repository: GitHub lists it there, not here, and sends this repository
    // nothing more about it, so it is no longer shown as one of this repository's open issues
    if (p.action === 'transferred') {
      const movedTo = p.changes?.new_issue?.html_url;
      return (await tx((trx) => hideIssue(trx, hub, repo, issue, nowIso(hub), { movedTo }))) ? 'applied' : 'ignored';
    }
    if (
      !['opened', 'edited', 'closed', 'reopened', 'labeled', 'unlabeled', 'assigned', 'unassigned'].includes(
        p.action ?? '',
      )
    )
      return 'ignored';
    const r = await tx((trx) => saveIssue(trx, hub, repo, issue));
    return r === 'unchanged' ? 'ignored' : 'applied';
  }
  if (event === 'issue_comment' && p.issue && plainIssue && p.comment) {
    const issue = p.issue;
    const c = p.comment;
    return threadCommentDelivered({ kind: 'issue', repo, number: issue.number }, c, {
      part: Boolean(c.user) && !isHubComment(c.body),
      saveThread: (trx) => saveIssue(trx, hub, repo, issue),
    });
  }

  if (event === 'issue_comment' && p.issue && p.comment) {
    const c = p.comment;
    if (p.action === 'deleted') return deleted('issue_comment', c);
    return mirrorLive(p.issue.number, Boolean(p.issue.pull_request), pullComment('issue_comment', c));
  }

  if (event === 'pull_request_review' && p.pull_request && p.review) {
    // dismissed: the review's state says so (an approval no longer stands), told to nobody
    // edited: GitHub keeps the review's submitted time, so the edit is told by its action, and two
    // edits by their `updated_at` (the newer stands, whichever is delivered last)
    return mirrorLive(p.pull_request.number, true, pullReview(p.review, { retext: p.action === 'edited' }));
  }

  if (event === 'member' && p.member?.login) {
    const login = p.member.login;
    if (p.action !== 'added' && p.action !== 'removed') return 'ignored';
    const kind = `github.collaborator-${p.action}`;
    const subject = { type: 'github-repo', id: repo };
    const facts = { login, note: 'repository access on GitHub does not change anyone’s role in the hub' };
    return tx(async (trx) => {
      // added when the latest said added (a body sent again under a new delivery id): nothing new
      if (await saysAgain(trx, subject, COLLABORATOR_KINDS, kind, facts, (f) => factText(f, 'login') === login))
        return 'ignored';
      // a new collaborator is someone the hub should know (a person without an account until they sign in)
      if (p.action === 'added') await personForLogin(trx, hub, login);
      await record(trx, hub, GITHUB_ACTOR, kind, subject, null, facts);
      return 'applied';
    });
  }

  if (event === 'label' && p.label?.name) {
    const mapping = hub.governance.github!;
    const mapped = new Map(
      [...Object.entries(mapping.labels.sep), ...Object.entries(mapping.labels.contribution)].map(([stage, l]) => [
        l.toLowerCase(),
        stage,
      ]),
    );
    const name = p.label.name;
    const was = p.changes?.name?.from ?? name;
    const stage = mapped.get(was.toLowerCase()) ?? mapped.get(name.toLowerCase());
    const renamed = p.action === 'edited' && was !== name;
    if (p.action !== 'deleted' && !renamed) return 'ignored';
    // GitHub renames or removes the label on every issue and pull request without a delivery about
    // them, and without moving their updated_at (so no reconcile fetches them again): the mirror's
    // copies follow here, whether or not the governance file maps the label
    const relabelled = (trx: Tx) => relabelCopies(trx, repo, was, p.action === 'deleted' ? null : name);
    if (!stage) return tx(async (trx) => ((await relabelled(trx)) ? 'applied' : 'ignored'));
    const subject = { type: 'github-repo', id: repo };
    const facts = {
      label: was,
      ...(p.action === 'edited' ? { renamedTo: name } : { deleted: true }),
      stage,
      note:
        p.action === 'deleted'
          ? `the governance file maps stage '${stage}' to this label; write-back creates it again when a proposal next enters that stage`
          : `the governance file still maps stage '${stage}' to '${was}': rename it there too, or write-back brings '${was}' back`,
    };
    return tx(async (trx) => {
      const changed = await relabelled(trx);
      // the latest label change said just this (a body sent again under a new delivery id): nothing new
      if (await saysAgain(trx, subject, ['github.label-changed'], 'github.label-changed', facts))
        return changed ? 'applied' : 'ignored';
      await record(trx, hub, GITHUB_ACTOR, 'github.label-changed', subject, null, facts);
      return 'applied';
    });
  }

  if (event === 'pull_request' && p.pull_request) {
    const number = p.pull_request.number;
    const known = await mirroredItem(db, repo, 'pull', number);
    let proposalId = known?.hub_type === 'proposal' ? known.hub_id : null;
    // an older copy of the PR than the one mirrored changes nothing
    const older = Boolean(known?.github_updated_at && p.pull_request.updated_at <= known.github_updated_at);
    if (!older) {
      const client = await clientFor(repo);
      const [owner, name] = ownerAndName(repo);
      // the payload may be older than GitHub's present state: mirror what GitHub says now
      const { data } = await client.rest.pulls.get({ owner, repo: name, pull_number: number });
      proposalId = await syncPull(hub, client, repo, data);
    }
    // commits pushed: the pusher's activity when the push happened, however late the delivery
    // (the SEP timers count it when the pusher is one of the proposal's responsible people)
    if (p.action === 'synchronize' && p.after && proposalId) {
      const commit = { repo, number, sha: p.after, proposalId, login: p.sender?.login ?? null };
      await tx((trx) => saveCommits(trx, [{ ...commit, at: p.pull_request!.updated_at }]));
      return 'applied';
    }
    return older ? 'ignored' : 'applied';
  }
  return 'ignored';
}

/**
 * A label renamed (`to`) or deleted (`to` null) on GitHub, in the mirror's copies of the
 * repository's issues and pull requests: the labels last seen on each (`github_items`, which a later
 * mirror compares with GitHub's to see a hand-made change) and each plain issue's shown labels.
 * Returns whether any copy changed.
 */
async function relabelCopies(trx: Tx, repo: string, from: string, to: string | null): Promise<boolean> {
  const relabel = (labels: string[]): string[] | null => {
    if (!labels.some((l) => l.toLowerCase() === from.toLowerCase())) return null;
    const out: string[] = [];
    for (const l of labels) {
      const now = l.toLowerCase() === from.toLowerCase() ? to : l;
      if (now !== null && !out.some((o) => o.toLowerCase() === now.toLowerCase())) out.push(now);
    }
    return out;
  };
  let changed = false;
  const items = await trx
    .selectFrom('github_items')
    .select(['kind', 'github_id', 'labels'])
    .where('repo', '=', repo)
    .where('labels', 'is not', null)
    .execute();
  for (const r of items) {
    const next = relabel(readJson(r.labels) ?? []);
    if (!next) continue;
    changed = true;
    await trx
      .updateTable('github_items')
      .set({ labels: writeJson(next) })
      .where('repo', '=', repo)
      .where('kind', '=', r.kind)
      .where('github_id', '=', r.github_id)
      .execute();
  }
  const issues = await trx.selectFrom('github_issues').select(['id', 'labels']).where('repo', '=', repo).execute();
  for (const r of issues) {
    const next = relabel(readJson(r.labels) ?? []);
    if (!next) continue;
    changed = true;
    await trx
      .updateTable('github_issues')
      .set({ labels: writeJson(next) })
      .where('id', '=', r.id)
      .execute();
  }
  return changed;
}
