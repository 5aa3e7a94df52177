import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import { closeDueDecisions, openDecision } from '../../../src/app/decisions/decisions.ts';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { githubClient } from '../../../src/app/github/client.ts';
import {
  enqueueStatus,
  runWriteback,
  WRITEBACK_QUEUE,
  WritebackJob,
  writebackReaction,
} from '../../../src/app/github/writeback.ts';
import { payloadOf } from '../../../src/app/core/jobs.ts';
import { proposeGroup } from '../../../src/app/groups/groups.ts';
import { scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { recordNotes } from '../../../src/app/meetings/outcomes.ts';
import { acceptAgreements } from '../../../src/app/people/people.ts';
import { listComments } from '../../../src/app/proposals/comments.ts';
import { moveProposal } from '../../../src/app/proposals/proposals.ts';
import { githubJobHandlers } from '../../../src/cli/job-handlers.ts';
import { STATUS_MARKER } from '../../../src/domain/github/write-back.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient, standinConfig } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { asActor, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('GitHub write-back on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let worker: Worker;
  beforeEach(async () => {
    hub = await openTestHub(database);
    hub.reactions.push(writebackReaction());
    mirrorRepo(hub, MCP_REPO, true);
    standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207 && n !== 2575) standin.pulls.delete(n);
    await standin.start();
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    worker = new Worker(hub, githubJobHandlers(standinConfig(standin)), { onError: () => {} });
    const g = hub.governance.agreements;
    await acceptAgreements(hub, SYSTEM, 'pcarleton', {
      codeOfConduct: g.codeOfConduct.version,
      contributionTerms: g.contributionTerms.version,
    });
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  const pr = () => standin.pulls.get(2207)!;
  const hubComments = () => pr().comments.filter((c) => c.body.includes('<!-- wghub:'));
  const posts = () => standin.requests.filter((r) => r.method === 'POST' && /\/comments$/.test(r.url));
  const writebackJobs = () =>
    hub.store.db
      .selectFrom('jobs')
      .select(['attempts', 'last_error', 'done_at', 'failed_at'])
      .where('queue', '=', 'github.writeback')
      .execute();

  it('a worker still running an older governance file, with write-back off, does not skip the job silently: it says why in its log and the event feed, and a worker with the current file does it', async () => {
    // the same database, another process: started before write-back was turned on for the repository
    const older = structuredClone(hub.governance);
    older.github!.repositories = older.github!.repositories.map((r) => ({ ...r, writeBack: false }));
    const errors: string[] = [];
    const oldWorker = new Worker({ ...hub, governance: older }, githubJobHandlers(standinConfig(standin)), {
      onError: (_job, e) => errors.push(e instanceof Error ? e.message : String(e)),
    });
    const sponsor = await asActor(hub, 'pcarleton');
    await moveProposal(hub, sponsor, 'SEP-2207', { to: 'superseded' });
    await oldWorker.drain();
    expect(hubComments()).toHaveLength(0);
    const left = await writebackJobs();
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((j) => !j.done_at && !j.failed_at)).toBe(true);
    expect(left[0]!.last_error).toContain(`write-back not done here: this worker's governance file`);
    expect(left[0]!.last_error).toContain(
      `has write-back off for ${MCP_REPO}, but the job was queued under another (github section`,
    );
    expect(errors[0]).toContain('restart this worker with the current governance file');
    const said = await hub.store.db
      .selectFrom('events')
      .select(['kind', 'subject_id'])
      .where('kind', '=', 'github.writeback-deferred')
      .execute();
    // once in the feed, however many jobs it left
    expect(said).toEqual([{ kind: 'github.writeback-deferred', subject_id: MCP_REPO }]);
    // the worker with the current file takes it up at its next try
    hub.clock.advance(2 * 60_000);
    await worker.drain();
    expect((await writebackJobs()).every((j) => j.done_at)).toBe(true);
    expect(pr().labels).toEqual(['SEP', 'superseded']);
    expect(hubComments()).toHaveLength(1);
  });

  it('write-back turned off after jobs were queued (every process restarted with the new file): the jobs wait a rolling restart, then are dropped, said once in the log and the feed, and nothing is written', async () => {
    const sponsor = await asActor(hub, 'pcarleton');
    // queued while write-back was on, not done yet (GitHub down, or the worker behind)
    await moveProposal(hub, sponsor, 'SEP-2207', { to: 'superseded' });
    await enqueueStatus(hub.store.db, hub, { repo: MCP_REPO, number: 2575 }, 'a later change');
    const queued = await writebackJobs();
    expect(queued.length).toBeGreaterThan(1);
    // the operator turns write-back off and restarts every process: the only worker now runs that file
    const turnedOff = structuredClone(hub.governance);
    turnedOff.github!.repositories = turnedOff.github!.repositories.map((r) => ({ ...r, writeBack: false }));
    const errors: string[] = [];
    const current = new Worker({ ...hub, governance: turnedOff }, githubJobHandlers(standinConfig(standin)), {
      onError: (_job, e) => errors.push(e instanceof Error ? e.message : String(e)),
    });
    const warned: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      warned.push(args.join(' '));
    });
    try {
      // at first it cannot tell this from a rolling restart: the jobs wait, saying both possibilities
      await current.drain();
      const waiting = await writebackJobs();
      expect(waiting.every((j) => !j.done_at && !j.failed_at)).toBe(true);
      expect(errors[0]).toContain('If write-back was turned off, a process still runs the older file');
      expect(errors[0]).toContain('restart this worker with the current governance file');
      // then they are dropped, not retried for a day and failed
      hub.clock.advance(16 * 60_000);
      await current.drain();
      const after = await writebackJobs();
      expect(after.length).toBe(queued.length);
      expect(after.every((j) => j.done_at && !j.failed_at)).toBe(true);
    } finally {
      warn.mockRestore();
    }
    expect(hubComments()).toHaveLength(0);
    expect(pr().labels).toEqual(['SEP', 'final']);
    const dropped = warned.filter((l) => l.includes("write-back is off in this hub's governance file"));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toContain(
      `If write-back is meant to be on for ${MCP_REPO}, this worker runs an older governance file`,
    );
    const said = await hub.store.db
      .selectFrom('events')
      .select(['kind', 'subject_id', 'after'])
      .where('kind', '=', 'github.writeback-dropped')
      .execute();
    expect(said.map((e) => [e.kind, e.subject_id])).toEqual([['github.writeback-dropped', MCP_REPO]]);
    expect(JSON.parse(said[0]!.after ?? '{}').reason).toContain("write-back is off in this hub's governance file");
  });

  it('labels follow a move made while GitHub is down, once it is back; one status comment, edited in place; the outcome posted once', async () => {
    standin.down = true;
    const sponsor = await asActor(hub, 'pcarleton');
    // the user's action never waits for GitHub: it succeeds during the outage
    const moved = await moveProposal(hub, sponsor, 'SEP-2207', { to: 'superseded' });
    expect(moved.stage).toBe('superseded');
    await worker.drain();
    const waiting = await writebackJobs();
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((j) => !j.done_at && !j.failed_at && j.attempts === 1)).toBe(true);
    expect(waiting[0]!.last_error).toMatch(/GitHub failed .* \(503\); the write-back waits and tries again/);
    expect(waiting[0]!.last_error).not.toContain('ghs_test_token');
    expect(pr().labels).toEqual(['SEP', 'final']);
    expect(hubComments()).toHaveLength(0);

    standin.down = false;
    hub.clock.advance(2 * 60_000);
    await worker.drain();
    expect((await writebackJobs()).every((j) => j.done_at)).toBe(true);
    expect(pr().labels).toEqual(['SEP', 'superseded']);
    expect(hubComments()).toHaveLength(1);
    const status = hubComments()[0]!;
    expect(status.body).toContain(STATUS_MARKER);
    expect(status.body).toContain('Stage: **superseded**');
    expect(status.body).toContain('Sponsor: @pcarleton');
    expect(status.body).toContain('https://hub.example/proposals/SEP-2207');
    expect(status.body).toMatch(/Gate for the specification layer: (passes|does not pass yet)/);

    // a decision on the proposal: the same comment now shows it, edited in place
    const lead = await person(hub, 'lead', { role: 'member', org: 'Acme' });
    await proposeGroup(hub, lead, {
      slug: 'transports',
      name: 'Transports',
      kind: 'working',
      mission: 'Keep the transports of MCP simple and interoperable.',
      scopeIn: ['Streamable HTTP'],
      leads: ['lead'],
    });
    await openDecision(hub, lead, {
      group: 'transports',
      subject: { type: 'proposal', ref: 'SEP-2207' },
      question: 'Record SEP-2207 as superseded by the newer guidance?',
      significance: 'minor',
    });
    await worker.drain();
    expect(hubComments()).toHaveLength(1);
    expect(hubComments()[0]!.id).toBe(status.id);
    expect(hubComments()[0]!.body).toMatch(
      /\*\*Open decisions\*\*\n- \[D-1\]\(https:\/\/hub.example\/decisions\/D-1\)/,
    );

    hub.clock.advanceDays(8);
    expect((await closeDueDecisions(hub)).map((d) => d.outcome)).toEqual(['adopted']);
    await worker.drain();
    const [first, outcome] = hubComments();
    expect(hubComments()).toHaveLength(2);
    expect(first!.id).toBe(status.id);
    expect(first!.body).toContain('**Decided**');
    expect(outcome!.body).toMatch(/^<!-- wghub:outcome D-1 -->\n\*\*Decision D-1: adopted\*\*/);

    // the hub loses what it wrote (a crash between GitHub's answer and its own commit): it looks
    // before writing, so nothing is posted twice
    await hub.store.db.deleteFrom('github_writeback').execute();
    await hub.store.db
      .updateTable('jobs')
      .set({ done_at: null, attempts: 0 })
      .where('queue', '=', 'github.writeback')
      .execute();
    await enqueueStatus(hub.store.db, hub, { repo: MCP_REPO, number: 2207 }, 'again');
    await worker.drain();
    expect(hubComments()).toHaveLength(2);
    expect(posts()).toHaveLength(2);

    // the hub's own comments never come back into the thread it mirrors
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    const thread = await listComments(hub, 'SEP-2207');
    expect(thread.some((c) => c.body.includes('Working-group hub') || c.body.includes('Decision D-1'))).toBe(false);
    expect(standin.drift).toEqual([]);
  });

  it('published meeting notes become a Discussion in the notes category once GitHub is back, edited in place when revised', async () => {
    const lead = await person(hub, 'lead', { role: 'member', org: 'Acme' });
    await proposeGroup(hub, lead, {
      slug: 'transports',
      name: 'Transports',
      kind: 'working',
      mission: 'Keep the transports of MCP simple and interoperable.',
      scopeIn: ['Streamable HTTP'],
      leads: ['lead'],
    });
    await scheduleMeeting(hub, lead, {
      group: 'transports',
      kind: 'process',
      title: 'Transports sync',
      startsAt: '2026-11-04T15:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    hub.clock.set('2026-11-04T16:30:00Z');
    standin.down = true;
    const first = await recordNotes(hub, lead, 'M-1', undefined, { notes: 'We agreed to keep SSE polling.' });
    await worker.drain();
    expect(standin.discussions).toEqual([]);
    standin.down = false;
    hub.clock.advance(2 * 60_000);
    await worker.drain();
    expect(standin.discussions).toHaveLength(1);
    const d = standin.discussions[0]!;
    expect(d).toMatchObject({ category: 'Meeting Notes', title: 'Transports sync: notes of 2026-11-04' });
    expect(d.body).toContain('<!-- wghub:notes M-1 -->');
    expect(d.body).toContain('https://hub.example/meetings/M-1');
    expect(d.body).toMatch(/\n\nWe agreed to keep SSE polling\.$/);

    await recordNotes(hub, lead, 'M-1', first.version, { notes: 'We agreed to keep SSE polling until 2027.' });
    await worker.drain();
    expect(standin.discussions).toHaveLength(1);
    expect(standin.discussions[0]!.body).toMatch(/until 2027\.$/);

    // the hub forgets which Discussion it made: it finds it by its marker, and makes no second one
    await hub.store.db.deleteFrom('github_items').where('kind', '=', 'discussion').execute();
    await recordNotes(hub, lead, 'M-1', first.version + 1, { notes: 'Final: keep SSE polling until 2027.' });
    await worker.drain();
    expect(standin.discussions).toHaveLength(1);
    expect(standin.discussions[0]!.body).toMatch(/Final: keep SSE polling until 2027\.$/);
  });

  it('a secondary rate limit GitHub answers 403 without retry-after, past the client’s waits, delays the write-back; it is not failed as a missing permission', async () => {
    // the worker's write client, its waits shortened (GitHub's minute is a millisecond here)
    const slowWorker = new Worker(
      hub,
      {
        [WRITEBACK_QUEUE]: async (h, job) => {
          await runWriteback(h, payloadOf(job, WritebackJob), {
            clientFor: (repo) => githubClient(standinConfig(standin), repo, { retries: 0, retryAfterBaseValue: 1 }),
            publicUrl: 'https://hub.example',
            queuedAt: job.createdAt,
          });
        },
      },
      { onError: () => {} },
    );
    // the first try and the client's four waits all meet the limit
    standin.fail('secondary-rate-limit-403', 5);
    await moveProposal(hub, await asActor(hub, 'pcarleton'), 'SEP-2207', { to: 'superseded' });
    await slowWorker.drain();
    const waiting = await writebackJobs();
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((j) => !j.done_at && !j.failed_at)).toBe(true);
    expect(waiting[0]!.last_error).toMatch(/rate limited.*the write-back waits and tries again/);
    expect(waiting[0]!.last_error).not.toContain('needs Issues and Pull requests');
    expect(pr().labels).toEqual(['SEP', 'final']);

    // the limit has passed: the labels follow the move, once
    hub.clock.advance(2 * 60_000);
    await slowWorker.drain();
    expect((await writebackJobs()).every((j) => j.done_at)).toBe(true);
    expect(pr().labels).toEqual(['SEP', 'superseded']);
    expect(hubComments()).toHaveLength(1);
  });

  it('writes nothing to a repository without write-back', async () => {
    mirrorRepo(hub, MCP_REPO, false);
    await moveProposal(hub, await asActor(hub, 'pcarleton'), 'SEP-2207', { to: 'superseded' });
    await worker.drain();
    expect(await writebackJobs()).toEqual([]);
    expect(pr().labels).toEqual(['SEP', 'final']);
    expect(standin.requests.filter((r) => r.method !== 'GET' && r.method !== 'GRAPHQL')).toEqual([]);
  });
});
