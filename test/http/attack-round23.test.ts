// What attack round 23 found over the web and REST, in-process (`app.request`), on both databases:
// each test is what the attacker sent and what they are answered now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getInvitation } from '../../src/app/groups/invitations.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('attack round 23 over the web and REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it("an invitation is answered only through its own group's address, as it is withdrawn", async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/observability');
    expect(
      (await sam.post('/groups/observability/members/level', { handle: 'amara', level: 'participant' })).status,
    ).toBe(303);
    const amara = await signInAs(app, 'amara');
    const page = await amara.get('/groups/observability');
    const id = /action="\/groups\/observability\/invitations\/([^/]+)\/decline"/.exec(page.html)![1]!;
    // the same invitation answered through another group's address, or one that does not exist
    for (const slug of ['security', 'no-such-group']) {
      for (const verb of ['decline', 'accept']) {
        const res = await amara.post(`/groups/${slug}/invitations/${id}/${verb}`, {});
        expect(res.status, `${verb} via ${slug}`).toBe(404);
        expect(pageText(res.html)).toMatch(new RegExp(`(invitation to |group ')${slug}`));
      }
    }
    // nothing answered: it is still open, and its own address still takes the answer
    expect((await getInvitation(hub, await asActor(hub, 'amara'), id)).state).toBe('open');
    expect((await amara.post(`/groups/observability/invitations/${id}/decline`, {})).status).toBe(303);
    expect((await getInvitation(hub, await asActor(hub, 'amara'), id)).state).toBe('declined');
  });
});
