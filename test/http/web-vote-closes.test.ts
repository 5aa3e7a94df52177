import { describe, expect, it } from 'vitest';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { databases } from '../support/databases.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { pageText as text, signInAs, WebClient } from '../support/web-client.ts';

// Once a decision goes to a vote, it closes when the vote does (7 days from the request), not at
// the lazy-consensus deadline: the home, the group page and the list named the old deadline (a day
// late in the demo), and the home said silence counts as consent, which is not so in a vote.
describe.each(databases)('a decision in a vote, listed, on $name', (database) => {
  const web = webHubPerTest(database);

  it("the home, the group page, the list and the inbox name the vote's close; the home does not call silence consent", async () => {
    web.hub.reactions.push(notificationsReaction({ mail: false }));
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    // deadline 10 days out (Thu 12 Nov, 09:00 UTC); the vote requested now closes in 7 (Mon 9 Nov)
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Move the fortnightly coordination meeting to 17:00 UTC?',
      'subject.type': 'process',
      significance: 'significant',
      matter: 'routine',
    });
    // a member's request alone does not open it, and the message says how many would
    const asker = await signInAs(web.app, 'priya');
    await asker.get('/decisions/D-1');
    await asker.post('/decisions/D-1/request-vote', {});
    expect(text((await asker.get('/decisions/D-1')).html)).toContain(
      'Your request for a vote is recorded (1 request so far; 3 open the vote, or one from a lead).',
    );
    // she asks and nothing opens; the lead reads that his request opens it, and a stray click opens nothing
    expect(text((await asker.get('/decisions/D-1')).html)).not.toContain('Open the vote now');
    const before = text((await sam.get('/decisions/D-1')).html);
    expect(before).toContain(
      'Your request opens it now: lazy consensus ends, responses close, and only the votes cast count (silence is no longer consent). It cannot be undone.',
    );
    expect(before).toContain('Yes, end lazy consensus and open the vote on D-1 now Open the vote now');
    expect(before).not.toContain('Ask for a vote');
    const stray = await sam.post('/decisions/D-1/request-vote', {});
    expect(stray.status).toBe(422);
    expect(text(stray.html)).toContain(
      'Yes, end lazy consensus and open the vote on D-1 now: tick the box to confirm: your request opens the vote now, and ends lazy consensus',
    );
    expect(text((await sam.get('/decisions/D-1')).html)).toContain('lazy consensus (silence is consent)');
    expect((await sam.post('/decisions/D-1/request-vote', { confirm: 'yes' })).status).toBe(303);
    const page = text((await sam.get('/decisions/D-1')).html);
    // a lead's request opens the vote at once, and the message says so (it said "your request is recorded")
    expect(page).toContain('Deadline: in 10 days, Thu 12 Nov 2026');
    // the time in the flash names its zone, the one the page's other times are in (it gave none)
    const zone = /Deadline: in 10 days, Thu 12 Nov 2026, \d\d:\d\d \(([^)]+)\)/.exec(page)![1]!;
    const open = /The vote is open until (Mon 9 Nov 2026, \d\d:\d\d[^:]*): every counted member can vote/.exec(page);
    expect(open?.[1]).toMatch(/^Mon 9 Nov 2026, \d\d:\d\d \(([^)]+)\)$/);
    expect(open?.[1]?.endsWith(`(${zone})`)).toBe(true);
    expect(page).toMatch(/Vote: opened .*, closes in 7 days, Mon 9 Nov 2026/);
    // the decision page says so too, and does not call silence consent once the vote is open
    expect(page).toContain('(for lazy consensus; since the vote opened, the decision closes with the vote)');
    expect(page).toContain('No responses came before the vote opened. In a vote, silence is not consent');
    expect(page).not.toContain('Silence counts as consent at the deadline');

    const priya = await signInAs(web.app, 'priya');
    const inbox = text((await priya.get('/inbox')).html);
    expect(inbox).toMatch(
      /D-1 goes to a vote: Move the fortnightly coordination meeting to 17:00 UTC\? Vote by Mon 9 Nov 2026.*; in a vote, silence is not consent/,
    );
    const home = text((await priya.get('/')).html);
    expect(home).toMatch(
      /D-1 : Move the fortnightly coordination meeting to 17:00 UTC\? Vote closes in 7 days, Mon 9 Nov 2026.* Hosting formal vote/,
    );
    expect(home).toContain('In a vote, silence is not consent');
    expect(home).not.toContain('silence by the deadline counts as consent');
    const group = text((await new WebClient(web.app).get('/groups/hosting')).html);
    expect(group).toMatch(
      /D-1: Move the fortnightly coordination meeting to 17:00 UTC\? formal vote, closes in 7 days, Mon 9 Nov 2026/,
    );
    const list = text((await new WebClient(web.app).get('/decisions')).html);
    expect(list).toContain('Mon 9 Nov 2026');
    expect(list).not.toContain('Thu 12 Nov 2026');
  });
});
