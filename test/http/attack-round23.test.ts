// What attack round 23 found over the web and REST, in-process (`app.request`), on both databases:
// each test is what the attacker sent and what they are answered now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { joinGroup } from '../../src/app/groups/groups.ts';
import { getInvitation, inviteToGroup } from '../../src/app/groups/invitations.ts';
import { askToBeMember } from '../../src/app/groups/membership-requests.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, person, type TestHub } from '../support/hub.ts';
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

  it("a right-to-left name in a lead's lists of invitations and requests keeps its handle after it", async () => {
    // a name in Hebrew pulled the brackets and handle after it into its own order: "(@dana" read as
    // another's, beside a button naming the wrong person
    await person(hub, 'dana');
    await hub.store.db.updateTable('people').set({ name: 'דנה לוי' }).where('handle', '=', 'dana').execute();
    await person(hub, 'noa');
    await hub.store.db.updateTable('people').set({ name: 'נועה כהן' }).where('handle', '=', 'noa').execute();
    await inviteToGroup(hub, await asActor(hub, 'sam-lead'), 'hosting', { handle: 'dana', level: 'member' });
    const noa = await asActor(hub, 'noa');
    await joinGroup(hub, noa, 'hosting', { level: 'participant' });
    await askToBeMember(hub, noa, 'hosting', {});
    const page = (await (await signInAs(app, 'sam-lead')).get('/groups/hosting')).html;
    expect(page).toContain('<a href="/people/dana"><bdi>דנה לוי</bdi></a> (@dana)');
    expect(page).toContain('Withdraw the invitation of <bdi>דנה לוי</bdi>');
    expect(page).toContain('<a href="/people/noa"><bdi>נועה כהן</bdi></a> (@noa;');
    expect(page).toContain('Accept <bdi>נועה כהן</bdi> as a member');
    // the decline's button and label, and the flash after a withdrawal, set the name apart too
    expect(page).toContain("Decline <bdi>נועה כהן</bdi>'s request");
    expect(pageText(page)).toContain("Why you decline \u2068נועה כהן\u2069's request");
    const sam = await signInAs(app, 'sam-lead');
    const withdraw = /action="(\/groups\/hosting\/invitations\/[^/]+\/withdraw)"/.exec(
      (await sam.get('/groups/hosting')).html,
    )![1]!;
    expect((await sam.post(withdraw, {})).status).toBe(303);
    expect(pageText((await sam.get('/groups/hosting')).html)).toContain(
      'The invitation of \u2068דנה לוי\u2069 (@dana) is withdrawn',
    );
  });
});
