// A client that went away before its answer: the long reads (search, the prior-work check, the
// quarterly update draft) stop before their next query instead of running to the end for nobody,
// as the MCP tools do when a call is cancelled. The request's own signal is what a closed connection
// aborts; a request whose signal is already aborted shows it without a race. On both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';

describe.each(databases)('a client gone before its answer on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub);
  });
  afterEach(async () => hub?.close());

  const ask = (path: string, signal?: AbortSignal, body?: unknown) =>
    app.request(
      new Request(`http://hub.test${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      }),
    );

  const reads: [string, string, unknown?][] = [
    ['search', '/api/search?q=tasks'],
    ['prior work', '/api/prior-work', { title: 'Long-running tasks', text: 'Tasks that outlive a request.' }],
    ['quarterly update', '/api/groups/hosting/quarterly-update'],
    ['quarterly update as markdown', '/api/groups/hosting/quarterly-update.md'],
  ];

  it.each(reads)('%s stops when its client has gone, and answers one still there', async (_, path, body) => {
    const gone = await ask(path, AbortSignal.abort(), body);
    expect(gone.status).toBe(409);
    expect((await gone.json()).detail).toMatch(/cancelled/);
    expect((await ask(path, new AbortController().signal, body)).status).toBe(200);
  });
});
