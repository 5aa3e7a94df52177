import { describe, expect, it } from 'vitest';
import { databases } from '../support/databases.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

// A proposal's page said "in Hosting / horizontal-scaling": the group by its name, its topic area
// by the slug in its address, where the group's and the meetings' pages say "Horizontal scaling".
describe.each(databases)("a proposal's place, in the community's words, on $name", (database) => {
  const web = webHubPerTest(database, { work: true });

  it('names the topic area as its group page does, not by its slug', async () => {
    const amara = await signInAs(web.app, 'amara');
    const page = text((await amara.get('/proposals/P-2')).html);
    expect(page).toContain('in Hosting / Horizontal scaling');
    expect(page).not.toContain('/ horizontal-scaling');
  });
});
