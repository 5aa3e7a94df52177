// The community most notification tests start from: a Hosting group led by `lead`, with `ana`
// (Los Angeles) and `bo` (Tokyo) as members, everyone with a confirmed e-mail address, and the
// notifications reaction on with mail.
import { SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import type { TestDatabase } from './databases.ts';
import { asActor, openSeededHub, person, type TestHub } from './hub.ts';

export async function hostingGroupWithMail(
  database: TestDatabase,
): Promise<{ hub: TestHub; lead: Actor; ana: Actor; bo: Actor }> {
  // written once per database in a test process, then copied for each test (openSeededHub): it was
  // 0.1 s per test on SQLite and 0.3-0.8 s on PostgreSQL, in some thirty files
  const hub = await openSeededHub(database, 'hosting group with mail', fill, '2026-03-02T12:00:00Z');
  hub.reactions.push(notificationsReaction({ mail: true }));
  return { hub, lead: await asActor(hub, 'lead'), ana: await asActor(hub, 'ana'), bo: await asActor(hub, 'bo') };
}

async function fill(hub: TestHub): Promise<void> {
  hub.reactions.push(notificationsReaction({ mail: true }));
  const lead = await person(hub, 'lead', { role: 'member' });
  await person(hub, 'ana', { timeZone: 'America/Los_Angeles' });
  await person(hub, 'bo', { timeZone: 'Asia/Tokyo' });
  for (const h of ['lead', 'ana', 'bo'])
    await hub.store.db
      .updateTable('people')
      .set({ email: `${h}@example.org`, confirmed_email: `${h}@example.org` })
      .where('handle', '=', h)
      .execute();
  await proposeGroup(hub, lead, {
    slug: 'hosting',
    name: 'Hosting',
    kind: 'working',
    mission: 'Share practices for hosting MCP servers at scale.',
    scopeIn: ['Scaling'],
    leads: ['lead'],
  });
  for (const h of ['ana', 'bo']) await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
}
