// An action item on the member's home (review of fresh eyes 4): "past due" by the owner's own day, the
// same on the page and in what_needs_me (REST and MCP said UTC's day), and "Mark done" offered only
// when the policy lets them (one who has not accepted the code of conduct was offered a button that
// was then refused on the meeting's page); otherwise the page says why.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../src/app/core/hub.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { whatNeedsMe } from '../../src/app/home/what-needs-me.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { addActionItem } from '../../src/app/meetings/outcomes.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { demoSignIn } from '../support/web-hub.ts';

describe.each(databases)('action items on the home on $name', (database) => {
  let hub: TestHub;
  let ana: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T09:00:00Z');
    const lead = await person(hub, 'lead', { role: 'member' });
    ana = await person(hub, 'ana', { timeZone: 'Pacific/Auckland' });
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    await hub.store.db
      .updateTable('people')
      .set({ time_zone: 'Pacific/Auckland' })
      .where('handle', '=', 'ana')
      .execute();
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Kick-off',
      startsAt: '2026-03-02T10:00:00Z',
    });
    hub.clock.set('2026-03-02T11:00:00Z');
    await addActionItem(hub, lead, 'M-1', { owner: 'ana', description: 'Check the cluster', due: '2026-03-04' });
  });
  afterEach(async () => hub?.close());

  const home = async () =>
    pageText((await (await signInAs(createHttpApp(hub, undefined, { web: demoSignIn }), 'ana')).get('/')).html);
  const late = async () => (await whatNeedsMe(hub, ana)).items.find((i) => i.kind === 'action-item')?.late;

  it('is past due once its day is over where the owner lives, on the page and in what_needs_me alike', async () => {
    // 2026-03-04 12:30 UTC is already 5 March 01:30 in Auckland
    hub.clock.set('2026-03-04T12:30:00Z');
    expect(await late()).toBe(true);
    expect(await home()).toContain('past due Check the cluster');
    hub.clock.set('2026-03-04T10:30:00Z');
    expect(await late()).toBe(false);
    expect(await home()).not.toContain('past due');
  });

  it('offers Mark done only when its owner may mark it done, and says why not otherwise', async () => {
    expect(await home()).toContain('Mark done');
    await hub.store.db.updateTable('people').set({ coc_version: null }).where('handle', '=', 'ana').execute();
    const text = await home();
    expect(text).toContain('Check the cluster');
    expect(text).not.toContain('Mark done');
    expect(text).toMatch(/code of conduct/i);
  });
});
