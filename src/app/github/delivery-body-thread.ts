// The thread a big delivery's body is read in (big-deliveries.ts starts one per delivery): reading
// 25 MiB of JSON (decoding, the depth and repeated-key scans, parsing) is about a second of
// synchronous work, which here holds this thread only, never the event loop every request waits on.
import { parentPort, workerData } from 'node:worker_threads';
import { readDeliveryBody } from './delivery-body.ts';

parentPort?.postMessage(readDeliveryBody(workerData as Uint8Array));
