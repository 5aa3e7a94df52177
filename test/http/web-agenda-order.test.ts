// Ordering an agenda from the page, without JavaScript, on both databases over the demo community
// (M-2, the Hosting deep-dive: Sam leads Hosting, Jonas takes part).
import { describe, expect, it } from 'vitest';
import { addAgendaItem } from '../../src/app/meetings/agenda.ts';
import { getMeeting } from '../../src/app/meetings/meetings.ts';
import { databases } from '../support/databases.ts';
import { asActor } from '../support/hub.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

describe.each(databases)('ordering an agenda on the meeting page, on $name', (database) => {
  const web = webHubPerTest(database);

  it('Move up and Move down are plain form buttons; a move from a page read before another is refused', async () => {
    const sam = await asActor(web.hub, 'sam-lead');
    for (const title of ['Retry budgets', 'Sticky sessions'])
      await addAgendaItem(web.hub, sam, 'M-2', { title, kind: 'content' });
    const order = async () => (await getMeeting(web.hub, 'M-2')).agenda.items.map((i) => i.title);
    const before = await order();
    expect(before.slice(-2)).toEqual(['Retry budgets', 'Sticky sessions']);

    const lead = await signInAs(web.app, 'sam-lead');
    const page = (await lead.get('/meetings/M-2')).html;
    const last = (await getMeeting(web.hub, 'M-2')).agenda.items.at(-1)!;
    // the first item cannot go up, the last cannot go down: those buttons are not there
    expect(page).toContain('Move down<span class="visually-hidden"> “Retry budgets”</span>');
    expect(page).toContain('Move up<span class="visually-hidden"> “Sticky sessions”</span>');
    expect(page).not.toContain('Move down<span class="visually-hidden"> “Sticky sessions”</span>');
    expect(page).not.toContain(`Move up<span class="visually-hidden"> “${before[0]}”</span>`);
    const version = /action="\/meetings\/M-2\/agenda\/[^/]+\/move">[\s\S]*?name="version" value="(\d+)"/.exec(
      page,
    )![1]!;

    const moved = await lead.post(`/meetings/M-2/agenda/${last.id}/move`, { version, direction: 'up' });
    expect([moved.status, moved.location]).toEqual([303, '/meetings/M-2#agenda']);
    expect((await order()).slice(-2)).toEqual(['Sticky sessions', 'Retry budgets']);
    expect(text((await lead.get('/meetings/M-2')).html)).toContain('The agenda is in its new order.');

    // the same page, sent again: someone (here, the same lead) moved it since
    const stale = await lead.post(`/meetings/M-2/agenda/${last.id}/move`, { version, direction: 'up' });
    expect(stale.status).toBe(409);
    expect(text(stale.html)).toContain('the agenda of M-2 was changed by someone else');
    expect((await order()).slice(-2)).toEqual(['Sticky sessions', 'Retry budgets']);

    // a participant adds items but does not order the agenda: no buttons, and a post is refused
    const jonas = await signInAs(web.app, 'jonas');
    expect((await jonas.get('/meetings/M-2')).html).not.toContain('/move"');
    const refused = await jonas.post(`/meetings/M-2/agenda/${last.id}/move`, {
      version: String((await getMeeting(web.hub, 'M-2')).version),
      direction: 'down',
    });
    expect(refused.status).toBe(403);
    expect((await order()).slice(-2)).toEqual(['Sticky sessions', 'Retry budgets']);
  });
});
