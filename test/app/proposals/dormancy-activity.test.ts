// The SEP timers count the activity of the people responsible (authors, sponsor), not anyone's:
// a bot's ping or a bystander's comment (what resets GitHub's "last updated") does not hold a
// reminder or dormancy back; the author's own comment, here or mirrored from GitHub, does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { addComment } from '../../../src/app/proposals/comments.ts';
import { runDormancy } from '../../../src/app/proposals/dormancy.ts';
import { createProposal, getProposal } from '../../../src/app/proposals/proposals.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('dormancy counts the responsible people’s activity on $name', (database) => {
  let hub: TestHub;
  let ada: Actor, bot: Actor, bystander: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-01T10:00:00Z');
    ada = await person(hub, 'ada', { org: 'Acme' });
    bot = await person(hub, 'ci-bot');
    bystander = await person(hub, 'bea', { org: 'Orbit' });
  });
  afterEach(async () => hub?.close());

  const sep = (title: string) => ({
    title,
    problem: 'Groups publish meeting notes late or never, so absent members cannot follow.',
    examples: ['Hosting WG notes from April appeared in June'],
    layer: 'working-group-artifact',
    route: 'sep',
  });

  it('pings by others do not reset the clock; the author’s own comment does, and starts a new quiet spell', async () => {
    await createProposal(hub, ada, sep('Meeting notes within 48 hours')); // P-1: only pinged
    await createProposal(hub, ada, sep('Agendas a week ahead')); // P-2: its author speaks up
    hub.clock.set('2026-04-30T10:00:00Z'); // day 60
    for (const ref of ['P-1', 'P-2']) {
      await addComment(hub, bot, ref, { body: 'Friendly reminder: this is waiting for a sponsor.' });
      await addComment(hub, bystander, ref, { body: '+1, would like to see this.' });
    }
    await addComment(hub, ada, 'P-2', { body: 'Still looking for a sponsor; updated the motivation.' });

    hub.clock.set('2026-05-30T10:00:00Z'); // day 90 since creation, day 30 since the author's comment
    expect(await runDormancy(hub, SYSTEM)).toEqual([
      { ref: 'P-1', action: 'reminder', kind: 'awaiting-sponsor', days: 90 },
    ]);

    hub.clock.set('2026-07-29T10:00:00Z'); // day 90 since the author's comment on P-2
    expect(await runDormancy(hub, SYSTEM)).toEqual([
      { ref: 'P-2', action: 'reminder', kind: 'awaiting-sponsor', days: 90 },
    ]);
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);

    hub.clock.set('2026-08-28T10:00:00Z'); // day 180 for P-1 despite the pings; day 120 of quiet for P-2
    expect(await runDormancy(hub, SYSTEM)).toEqual([
      { ref: 'P-1', action: 'moved-to-dormant', kind: 'awaiting-sponsor', days: 180 },
    ]);
    expect((await getProposal(hub, 'P-1')).stage).toBe('dormant');
    expect((await getProposal(hub, 'P-2')).stage).toBe('awaiting-sponsor');
  });
});
