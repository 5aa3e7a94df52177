// Run by test/app/github/delivery-heap.test.ts in a process of its own with a bounded heap: a
// delivery's body read as the receiver reads a big one (in a thread of its own), then parsed as the
// worker parses a big stored payload when it applies it (in a thread, handed back to the worker),
// and what became of it said. A thread out of heap ends this process, as it would a hub's.
import { readFileSync } from 'node:fs';
import { parseBigPayload, readBigBody } from '../../src/app/github/big-deliveries.ts';

const bytes = new Uint8Array(readFileSync(process.argv[2]!));
const text = new TextDecoder().decode(bytes);
// no deadline: what is asked here is whether the memory suffices, however long a loaded machine takes
const read = await readBigBody(bytes, { readMs: 600_000 });
const payload = (await parseBigPayload(text, { readMs: 600_000 })) as { padding: unknown[] };
process.stdout.write(JSON.stringify({ read: read.ok ? 'ok' : read.reason, parsed: payload.padding.length }));
