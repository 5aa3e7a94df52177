// Does the queue's jobs: claims a batch of due jobs of the queues it has handlers for, runs each
// handler outside any transaction, and records done or failed. Delivery is at least once (a
// worker killed after the work but before "done" leaves it to be retried when its lease runs
// out), so every handler is idempotent: it checks what it already did, or the receiver can drop
// a duplicate (a mail's Message-ID, a GitHub comment edited in place).
import { hostname } from 'node:os';
import type { Hub } from './hub.ts';
import { claimJobs, completeJob, failJob, releaseJobs, renewLeases, type ClaimedJob } from './jobs.ts';

export type JobHandler = (hub: Hub, job: ClaimedJob) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

export type WorkerOptions = {
  /** Names this worker in job leases; unique per process. */
  id?: string;
  /** How often to look for due jobs when nothing woke the worker. */
  pollMs?: number;
  batch?: number;
  /**
   * How long a claimed job stays with this worker before another may take it, if the worker stops
   * renewing it (it renews the batch's leases every third of this while it works: a long sync keeps
   * its job however long it runs, and a killed worker's job is free this long after it died).
   */
  leaseMs?: number;
  /** Called with each failed attempt (logging). */
  onError?: (job: ClaimedJob, error: unknown) => void;
  /**
   * Called when the worker's own work fails (claiming a batch, renewing leases), with what it was
   * doing: the process's logger, so an operator's collector sees it as it sees a failed job.
   */
  onTrouble?: (error: unknown, doing: string) => void;
};

export class Worker {
  readonly id: string;
  readonly #hub: Hub;
  readonly #handlers: JobHandlers;
  readonly #pollMs: number;
  readonly #batch: number;
  readonly #leaseMs: number;
  readonly #onError: (job: ClaimedJob, error: unknown) => void;
  readonly #onTrouble: (error: unknown, doing: string) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #stopped = true;
  /** `stop()` was called (SIGTERM): the job in hand finishes, no other starts. */
  #leaving = false;
  /**
   * The batch being worked: the ids still this worker's (the heartbeat renews them) and the one whose
   * handler runs now. `stop()` gives back every other at once, without waiting for the job in hand.
   */
  #batchInHand: { held: Set<string>; inHand: string | null } | null = null;
  /** Jobs being given back by `stop()`: awaited before it returns. */
  #releasing: Promise<void> = Promise.resolve();
  #wakeAgain = false;
  readonly #wake = () => this.wake();

  constructor(hub: Hub, handlers: JobHandlers, opts: WorkerOptions = {}) {
    this.#hub = hub;
    this.#handlers = handlers;
    this.id = opts.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.#pollMs = opts.pollMs ?? 1000;
    this.#batch = opts.batch ?? 10;
    this.#leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.#onError =
      opts.onError ?? ((job, e) => console.error(`job ${job.queue}/${job.id} attempt ${job.attempt} failed:`, e));
    const onTrouble = opts.onTrouble ?? ((e, doing) => console.error(`job worker: ${doing}:`, e));
    // a logger that throws (its destination closed) must not turn the worker's trouble into an
    // unhandled rejection that ends the process
    this.#onTrouble = (e, doing) => {
      try {
        onTrouble(e, doing);
      } catch {
        console.error(`job worker: ${doing}:`, e);
      }
    };
  }

  get queues(): string[] {
    return Object.keys(this.#handlers);
  }

  /** Claims and does one batch; returns how many jobs it handled. */
  async runOnce(): Promise<number> {
    if (this.#leaving) return 0;
    const jobs = await claimJobs(this.#hub, {
      worker: this.id,
      queues: this.queues,
      limit: this.#batch,
      leaseMs: this.#leaseMs,
    });
    if (!jobs.length) return 0;
    // the heartbeat: the jobs of the batch not done yet stay this worker's while it works
    const held = new Set(jobs.map((j) => j.id));
    let renewing: Promise<unknown> = Promise.resolve();
    const heartbeat = setInterval(
      () => {
        renewing = renewing
          .then(() => renewLeases(this.#hub, [...held], this.id, this.#leaseMs))
          .then((still) => {
            // a lease lost meanwhile (this worker stalled past it) is another worker's job now
            for (const id of [...held]) if (!still.includes(id)) held.delete(id);
          })
          .catch((e) => this.#onTrouble(e, 'could not renew leases'));
      },
      Math.max(10, Math.floor(this.#leaseMs / 3)),
    );
    heartbeat.unref();
    const batch: { held: Set<string>; inHand: string | null } = { held, inHand: null };
    this.#batchInHand = batch;
    try {
      for (const job of jobs) {
        if (!held.has(job.id)) continue;
        if (this.#leaving) break;
        batch.inHand = job.id;
        try {
          await this.#handlers[job.queue]!(this.#hub, job);
          held.delete(job.id);
          await completeJob(this.#hub, job, this.id);
        } catch (e) {
          held.delete(job.id);
          this.#onError(job, e);
          await failJob(this.#hub, job, this.id, e);
        }
      }
    } finally {
      batch.inHand = null;
      this.#batchInHand = null;
      clearInterval(heartbeat);
      await renewing;
      // stopping while this batch was being claimed, or a handler's failure ended the loop: what is
      // left goes back to the queue too (what stop() gave back is no longer in `held`)
      if (this.#leaving) await this.#giveBack(held, null);
    }
    return jobs.length;
  }

  /**
   * Gives the jobs of `held` other than `inHand` back to the queue, unstarted (taken out of `held`
   * first, so the heartbeat renews them no more). A failed release is tried once more; failing again
   * it is only logged, and those jobs wait out their lease (then another worker takes them, their
   * claim counted as an attempt).
   */
  #giveBack(held: Set<string>, inHand: string | null): Promise<void> {
    const ids = [...held].filter((id) => id !== inHand);
    for (const id of ids) held.delete(id);
    if (!ids.length) return this.#releasing;
    const release = () => releaseJobs(this.#hub, ids, this.id);
    const released = release()
      .catch(() => release())
      .catch((e) => this.#onTrouble(e, 'could not release jobs'));
    this.#releasing = Promise.all([this.#releasing, released]).then(() => {});
    return this.#releasing;
  }

  /** Runs batches until no job is due (tests, `wghub jobs run`). */
  async drain(maxBatches = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#leaving = false;
    this.#hub.committed.add(this.#wake);
    this.#schedule(0);
  }

  /** Look now rather than at the next poll (a local write just enqueued something). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#wakeAgain = true;
      return;
    }
    this.#schedule(0);
  }

  /**
   * Stops polling, gives the rest of the batch in hand back to the queue at once (unstarted, their
   * claim not counted as an attempt) and waits for the job in hand to finish; no other batch is claimed.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#leaving = true;
    this.#hub.committed.delete(this.#wake);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#batchInHand;
    const releasing = batch ? this.#giveBack(batch.held, batch.inHand) : this.#releasing;
    await Promise.all([this.#running, releasing]);
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), ms);
    this.#timer.unref();
  }

  #tick(): void {
    this.#timer = null;
    if (this.#stopped || this.#running) return;
    this.#wakeAgain = false;
    this.#running = this.drain(100)
      .catch((e) => this.#onTrouble(e, 'could not claim or record jobs'))
      .finally(() => {
        this.#running = null;
        if (!this.#stopped) this.#schedule(this.#wakeAgain ? 0 : this.#pollMs);
      });
  }
}
