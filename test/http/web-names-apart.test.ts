// Attack round 17: anyone may call themselves anything, another person's name included, and a few
// places named people by name alone. Amara renamed herself "Inês Moreira" (a core maintainer's name)
// and her proposal read "By Inês Moreira"; a facilitator renamed "Sam Rivera" read as the group's lead
// among the topic area's facilitators. A handle is unique (letters, digits and hyphens, without
// case), so each name shows with its handle, as everywhere else on the hub.
import { describe, expect, it } from 'vitest';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { databases } from '../support/databases.ts';
import { asActor } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

describe.each(databases)('people told apart on pages on $name', (database) => {
  const web = webHubPerTest(database);

  const rename = (handle: string, name: string) =>
    web.hub.store.db.updateTable('people').set({ name }).where('handle', '=', handle).execute();

  it("one who takes another's name is shown with their own handle: a proposal's authors, a topic area's facilitators, who runs a group", async () => {
    await rename('amara', 'Inês Moreira');
    await rename('priya', 'Sam Rivera');
    const p = await createProposal(web.hub, await asActor(web.hub, 'amara'), {
      title: 'Core maintainers endorse dropping SSE',
      problem: 'The core maintainers want the SSE transport dropped from the specification entirely.',
      examples: ['Hosting WG incident in May'],
      layer: 'working-group-artifact',
      route: 'contribution',
      group: 'hosting',
    });
    const visitor = await signInAs(web.app, 'jonas');
    const proposal = pageText((await visitor.get(`/proposals/${p.ref}`)).html);
    expect(proposal).toContain('By Inês Moreira (@amara)');
    expect(proposal).not.toMatch(/By Inês Moreira(?! \(@amara\))/);

    const group = pageText((await visitor.get('/groups/hosting')).html);
    expect(group).toMatch(
      /Facilitators: Sam Rivera \(@priya\), Sam Rivera \(@sam-lead\)|Facilitators: Sam Rivera \(@sam-lead\), Sam Rivera \(@priya\)/,
    );

    // a visitor is told who runs the group
    const visitorPage = pageText(await (await web.app.request('/groups/hosting')).text());
    expect(visitorPage).toContain(
      'Sam Rivera (@sam-lead), its lead, runs this group, with Sam Rivera (@priya), who facilitates its topic areas',
    );
  });
});
