// Deliveries larger than the hub's ordinary request body (LIMITS.requestBodyBytes), up to GitHub's
// own cap (LIMITS.github.payloadBytes): a push or pull request with a huge body. Few are read at once
// (`admitBig`: LIMITS.github.bigAtOnce bodies received per process, each place given back once its
// thread has exited; the worker's `parseBigPayload` holds none, one at a time per worker), and each body
// is read in a thread of its own within a deadline, so one big delivery never stalls other requests.
// The thread's heap is not bounded: Node 24's `resourceLimits` end the whole process, not the thread,
// when JSON.parse reaches them; so what a body may hold is counted before it is parsed
// (`payloadRuleBroken`: a signed 25 MiB of `{},` took over a gigabyte, and ended a hub at a 512 MB heap).
import { Worker as Thread } from 'node:worker_threads';
import { LIMITS } from '../../domain/limits.ts';
import { type DeliveryBody, PayloadRefused } from './delivery-body.ts';
import type { ThreadWork } from './delivery-body-thread.ts';

/** A big delivery that could not be read now (too many at once, the thread failed or ran out of time): GitHub's delivery log sends it again. */
export class BigDeliveryNotReadNow extends Error {}

const entry = () =>
  new URL(`./delivery-body-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

let reading = 0;
/** The places each client address holds (at most one: a sender forging deliveries does not keep them all). */
const holders = new Map<string, number>();

/**
 * A place for one more big body in memory, for a sender at `address`; 'full' when
 * LIMITS.github.bigAtOnce are being read, 'address' when that address already holds one. Call the
 * release once.
 */
export function admitBig(address: string): (() => void) | 'full' | 'address' {
  if (reading >= LIMITS.github.bigAtOnce) return 'full';
  if ((holders.get(address) ?? 0) >= LIMITS.github.bigPerAddress) return 'address';
  reading++;
  holders.set(address, (holders.get(address) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    reading--;
    const n = (holders.get(address) ?? 1) - 1;
    if (n > 0) holders.set(address, n);
    else holders.delete(address);
  };
}

/** How long a reading thread may take (LIMITS.github.bigReadMs unless a test says otherwise). */
export type ThreadBounds = { readMs?: number };

let threads = 0;
/** Reading threads started and not yet exited (what a test counts: a place is given back only after its thread is gone). */
export const threadsRunning = (): number => threads;

/**
 * Reads a big body in a thread of its own; past LIMITS.github.bigReadMs the thread is ended. A body
 * that has its memory to itself is handed over, not copied (the caller reads it no more: `bytes` is
 * emptied).
 */
export function readBigBody(bytes: Uint8Array, bounds: ThreadBounds = {}): Promise<DeliveryBody> {
  const own =
    bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return inThread<DeliveryBody>({ read: bytes }, own ? [bytes.buffer as ArrayBuffer] : [], bounds);
}

/** A big stored payload parsed for the worker to apply (`parseStoredPayload`), in a thread of its own. */
export async function parseBigPayload(text: string, bounds: ThreadBounds = {}): Promise<unknown> {
  const answer = await inThread<{ payload: unknown } | { error: string; refused?: true }>({ parse: text }, [], bounds);
  if ('error' in answer) throw answer.refused ? new PayloadRefused(answer.error) : new SyntaxError(answer.error);
  return answer.payload;
}

function inThread<T>(work: ThreadWork, transferList: ArrayBuffer[], bounds: ThreadBounds): Promise<T> {
  const readMs = bounds.readMs ?? LIMITS.github.bigReadMs;
  return new Promise((resolve, reject) => {
    const t = new Thread(entry(), { workerData: work, transferList });
    threads++;
    t.once('exit', () => {
      threads--;
    });
    t.unref();
    let done = false;
    // settled only once the thread has exited: until then it holds its memory, and the caller gives
    // its big-delivery place back as soon as this settles
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      t.terminate().then(f, f);
    };
    const deadline = setTimeout(
      () => finish(() => reject(new BigDeliveryNotReadNow(`reading it took longer than ${readMs} ms`))),
      readMs,
    );
    deadline.unref();
    t.on('message', (answer: T) => finish(() => resolve(answer)));
    t.on('error', (e) => finish(() => reject(new BigDeliveryNotReadNow(`its reading thread failed (${e.message})`))));
    t.on('exit', (code) =>
      finish(() => reject(new BigDeliveryNotReadNow(`its reading thread stopped (exit ${code})`))),
    );
  });
}
