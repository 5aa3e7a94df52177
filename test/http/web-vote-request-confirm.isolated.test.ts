// The "Open a formal vote" box is judged where the request is recorded, under the decision's lock:
// the page looked first (voteRequestOpens) and then asked requestVote, so a request that did not open
// the vote at the look but did by the time it was recorded (another member's request between the two)
// opened it with no box ticked, ending lazy consensus unasked. Here the look is made to answer as it
// would have before that other request (mocked: "does not open"), while the request does open the
// vote: refused naming the box, nothing recorded; REST, MCP and the CLI ask for no box, as before.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDecision, requestVote } from '../../src/app/decisions/decisions.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

vi.mock('../../src/app/decisions/decisions.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/decisions/decisions.ts')>()),
  // as the look found it before another member's request came in
  voteRequestOpens: async () => false,
}));

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 30 };

describe.each(databases)('the box that opens a vote, on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('a request that opens the vote without the box ticked is refused naming it, however the page looked', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/decisions/new');
    expect(
      (
        await sam.post('/decisions/new', {
          group: 'hosting',
          question: 'Adopt the session affinity guide as a working-group artifact?',
          'subject.type': 'process',
          significance: 'minor',
          matter: 'routine',
        })
      ).status,
    ).toBe(303);
    await sam.get('/decisions/D-1');
    const unticked = await sam.post('/decisions/D-1/request-vote', {});
    expect(unticked.status).toBe(422);
    expect(pageText(unticked.html)).toContain('tick the box to confirm: your request opens the vote now');
    const still = await getDecision(hub, 'D-1');
    expect(still.state.phase).not.toBe('vote');
    expect(still.voteRequests).toEqual([]);
    // ticked, it opens
    await sam.get('/decisions/D-1');
    expect((await sam.post('/decisions/D-1/request-vote', { confirm: 'yes' })).status).toBe(303);
    expect((await getDecision(hub, 'D-1')).state.phase).toBe('vote');
  });

  it('REST, MCP and the CLI (no box) open the vote as before', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/decisions/new');
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide as a working-group artifact?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    const opened = await requestVote(hub, await asActor(hub, 'sam-lead'), 'D-1');
    expect(opened.state.phase).toBe('vote');
  });
});
