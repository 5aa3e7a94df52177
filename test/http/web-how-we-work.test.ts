import { describe, expect, it } from 'vitest';
import { databases } from '../support/databases.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { pageText as text, WebClient } from '../support/web-client.ts';

// "Who may do what" on How we work: a rule given by a relation to the thing (its author, its
// sponsor, the designated core maintainer) read as nothing ("comment.edit:"), or left that part out.
describe.each(databases)('How we work, who may do what, on $name', (database) => {
  const web = webHubPerTest(database, { demoCommunity: false });

  it('names everyone a rule allows, relations included; no rule reads as nobody', async () => {
    const page = text((await new WebClient(web.app).get('/how-we-work')).html);
    expect(page).toContain('comment.edit: its author ');
    expect(page).toContain('decision.guide: the designated core maintainer ');
    expect(page).toContain('proposal.requestReview: its author ');
    expect(page).toContain('proposal.promote: its author, or its sponsor, or a group lead, or a moderator ');
    expect(page).not.toMatch(/ [a-z]+\.[a-zA-Z]+: (?=[a-z]+\.[a-zA-Z]+:|wghub)/);
  });
});
