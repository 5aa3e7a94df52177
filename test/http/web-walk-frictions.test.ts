// What a browser walk by newcomers found, on both databases: a person newly named to facilitate a
// topic area finds it on their home page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { getTopicArea, updateTopicArea } from '../../src/app/groups/topic-areas.ts';
import { getPerson, setPersonRole } from '../../src/app/people/people.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openTestHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('frictions of the newcomers walk on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openTestHub(database);
    await loadDemoCommunity(hub);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('a newly named facilitator finds their topic area on their home page, linked to its card', async () => {
    const lena = await asActor(hub, 'lena-core');
    const jonas = await getPerson(hub, 'jonas');
    await setPersonRole(hub, lena, 'jonas', jonas.version, { role: 'member' });
    const sam = await asActor(hub, 'sam-lead');
    const area = await getTopicArea(hub, 'hosting', 'horizontal-scaling');
    await updateTopicArea(hub, sam, 'hosting', 'horizontal-scaling', area.version, { facilitators: ['jonas'] });

    const client = await signInAs(app, 'jonas');
    const home = await client.get('/');
    const t = pageText(home.html);
    expect(t).toMatch(/Hosting \(participant\) · you facilitate Horizontal scaling/);
    expect(t).toContain("As a facilitator you run your topic area's meetings as a lead does");
    expect(home.html).toContain('href="/groups/hosting#topic-horizontal-scaling"');
    // the link lands on the area's card
    expect((await client.get('/groups/hosting')).html).toContain('id="topic-horizontal-scaling"');

    // one who facilitates nothing reads no such line
    const amara = pageText((await (await signInAs(app, 'amara')).get('/')).html);
    expect(amara).not.toContain('you facilitate');
  });
});
