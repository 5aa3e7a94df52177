// Writers for bench/processes.ts, on a thread of their own: their client work (requests, answers)
// then does not run on the event loop that times the reader, as a real reader is another client.
// workerData: { url, auth, writers }; posts { comments, failed } when told 'stop'.
import { parentPort, workerData } from 'node:worker_threads';

const { url, auth, writers } = workerData as { url: string; auth: Record<string, string>; writers: number };
let stop = false;
let comments = 0;
let failed = 0;
parentPort!.on('message', (m) => {
  if (m === 'count') parentPort!.postMessage({ comments, failed });
  if (m === 'stop') stop = true;
});
await Promise.all(
  Array.from({ length: writers }, async () => {
    while (!stop) {
      const r = await fetch(url, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ body: `Write load ${comments}: a comment of ordinary length, with *some* markdown.` }),
      });
      await r.arrayBuffer();
      if (r.status === 201) comments++;
      else failed++;
    }
  }),
);
parentPort!.postMessage({ comments, failed, done: true });
