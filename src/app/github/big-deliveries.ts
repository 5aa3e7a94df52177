// Deliveries larger than the hub's ordinary request body (LIMITS.requestBodyBytes), up to GitHub's
// own cap (LIMITS.github.payloadBytes): a push or pull request with a huge body. Few are read at once
// (`admitBig`, so memory stays bounded at LIMITS.github.bigAtOnce of them per process), and each body
// is read in a thread of its own within a deadline, so one big delivery never stalls other requests.
import { Worker as Thread } from 'node:worker_threads';
import { LIMITS } from '../../domain/limits.ts';
import type { DeliveryBody } from './delivery-body.ts';
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

/**
 * Reads a big body in a thread of its own; past LIMITS.github.bigReadMs the thread is ended. A body
 * that has its memory to itself is handed over, not copied (the caller reads it no more: `bytes` is
 * emptied).
 */
export function readBigBody(bytes: Uint8Array): Promise<DeliveryBody> {
  const own =
    bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return inThread<DeliveryBody>({ read: bytes }, own ? [bytes.buffer as ArrayBuffer] : []);
}

/** A big stored payload parsed for the worker to apply (`parseStoredPayload`), in a thread of its own. */
export async function parseBigPayload(text: string): Promise<unknown> {
  const answer = await inThread<{ payload: unknown } | { error: string }>({ parse: text }, []);
  if ('error' in answer) throw new SyntaxError(answer.error);
  return answer.payload;
}

function inThread<T>(work: ThreadWork, transferList: ArrayBuffer[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = new Thread(entry(), { workerData: work, transferList });
    t.unref();
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      void t.terminate();
      f();
    };
    const deadline = setTimeout(
      () =>
        finish(() => reject(new BigDeliveryNotReadNow(`reading it took longer than ${LIMITS.github.bigReadMs} ms`))),
      LIMITS.github.bigReadMs,
    );
    deadline.unref();
    t.on('message', (answer: T) => finish(() => resolve(answer)));
    t.on('error', (e) => finish(() => reject(new BigDeliveryNotReadNow(`its reading thread failed (${e.message})`))));
    t.on('exit', (code) =>
      finish(() => reject(new BigDeliveryNotReadNow(`its reading thread stopped (exit ${code})`))),
    );
  });
}
