// A client metadata document that could not be used is remembered for a minute, so a consent page
// reloaded in a loop does not make the hub fetch it each time. It is remembered for the database
// the hub asked for (by that hub's clock): test files share their worker process, and another hub
// in it, with a clock of its own, was once told of this one's failure instead of fetching.
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientDocuments, clientFromDocument } from '../../../src/app/people/client-metadata.ts';
import { sqliteDatabase } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

const URL_ = 'https://client.example/remembered.json';
const document = { client_id: URL_, client_name: 'Remembered app', redirect_uris: ['https://client.example/back'] };

describe('a client metadata document that could not be used', () => {
  const hubs: TestHub[] = [];
  afterEach(async () => {
    for (const h of hubs.splice(0)) await h.close();
  });

  it('is remembered for a minute by the hub that read it, and never answers for another hub', async () => {
    let published = false;
    let fetched = 0;
    const docs: ClientDocuments = {
      allowedHosts: [],
      fetch: async () => {
        fetched++;
        return published
          ? new Response(JSON.stringify(document), { headers: { 'content-type': 'application/json' } })
          : new Response('not yet', { status: 404 });
      },
    };
    const first = await openTestHub(sqliteDatabase);
    hubs.push(first);
    await expect(clientFromDocument(first, URL_, docs)).rejects.toThrow('could not be read (HTTP 404)');
    expect(fetched).toBe(1);
    published = true;
    // the same hub, within the minute: told again without a fetch
    await expect(clientFromDocument(first, URL_, docs)).rejects.toThrow('could not be read (HTTP 404)');
    expect(fetched).toBe(1);
    // another hub, its clock at the same moment, reads the document now published
    const other = await openTestHub(sqliteDatabase);
    hubs.push(other);
    expect(await clientFromDocument(other, URL_, docs)).toMatchObject({
      clientId: URL_,
      clientName: 'Remembered app',
    });
    expect(fetched).toBe(2);
    // and the first, a minute later, reads it too
    first.clock.advance(60_001);
    expect((await clientFromDocument(first, URL_, docs)).clientName).toBe('Remembered app');
    expect(fetched).toBe(3);
  });
});
