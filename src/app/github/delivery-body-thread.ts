// The thread a big delivery's body is read in (big-deliveries.ts starts one per delivery): reading
// 25 MiB of JSON (decoding, the depth and repeated-key scans, parsing) is about a second of
// synchronous work, which here holds this thread only, never the event loop every request waits on.
// A big stored payload is parsed here too when the worker applies it (app/github/webhooks.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { PayloadRefused, parseStoredPayload, readDeliveryBody } from './delivery-body.ts';

export type ThreadWork = { read: Uint8Array } | { parse: string };

const work = workerData as ThreadWork;
if ('read' in work) parentPort?.postMessage(readDeliveryBody(work.read));
else {
  let answer: { payload: unknown } | { error: string; refused?: true };
  try {
    answer = { payload: parseStoredPayload(work.parse) };
  } catch (e) {
    answer = {
      error: e instanceof Error ? e.message : String(e),
      ...(e instanceof PayloadRefused ? { refused: true as const } : {}),
    };
  }
  parentPort?.postMessage(answer);
}
