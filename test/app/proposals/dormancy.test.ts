// The SEP timers besides "awaiting a sponsor" (tested with the proposal walk): stale drafts and
// accepted SEPs without progress, each at its exact day boundary, once per stage entry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDormancy } from '../../../src/app/proposals/dormancy.ts';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { createProposal, getProposal, moveProposal, sponsorProposal } from '../../../src/app/proposals/proposals.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('dormancy timers on $name', (database) => {
  let hub: TestHub;
  let ada: Actor, maint: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-01T10:00:00Z');
    ada = await person(hub, 'ada', { org: 'Acme' });
    maint = await person(hub, 'maint', { role: 'maintainer', org: 'Lisbon Labs' });
  });
  afterEach(async () => hub?.close());

  // a Process-style SEP: its working-group-artifact gate only needs a stated problem, so it can be accepted here
  const sep = {
    title: 'Meeting notes within 48 hours',
    problem: 'Groups publish meeting notes late or never, so absent members cannot follow.',
    examples: ['Hosting WG notes from April appeared in June'],
    layer: 'working-group-artifact',
    route: 'sep',
  };

  async function reminders(ref: string) {
    return (await tailEvents(hub.store.db, 200))
      .filter((e) => e.kind === 'proposal.reminder' && e.subject_id === ref)
      .map((e) => JSON.parse(e.after!) as { kind: string; days: number; to: string[] });
  }

  it('a stale draft: its authors are reminded at exactly 90 days in draft, once, and it is never moved to dormant', async () => {
    await createProposal(hub, ada, sep);
    await sponsorProposal(hub, maint, 'P-1');
    hub.clock.set('2026-03-05T12:00:00Z');
    await moveProposal(hub, maint, 'P-1', { to: 'draft' });
    hub.clock.set('2026-06-03T11:59:59Z'); // 89 days 23:59:59 in draft
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    hub.clock.set('2026-06-03T12:00:00Z'); // 90 days
    expect(await runDormancy(hub, SYSTEM)).toEqual([{ ref: 'P-1', action: 'reminder', kind: 'stale-draft', days: 90 }]);
    expect(await runDormancy(hub, SYSTEM)).toEqual([]); // not twice for the same stay in draft
    hub.clock.set('2027-06-03T12:00:00Z'); // a year on: still a draft, still reminded only once
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    expect((await getProposal(hub, 'P-1')).stage).toBe('draft');
    expect(await reminders('P-1')).toEqual([{ kind: 'stale-draft', days: 90, to: ['ada'] }]);
    const ev = (await tailEvents(hub.store.db, 200)).find((e) => e.kind === 'proposal.reminder')!;
    expect(ev.actor).toBe('system:dormancy');
  });

  it('a draft sent back from review starts a new 90 days', async () => {
    await createProposal(hub, ada, sep);
    await sponsorProposal(hub, maint, 'P-1');
    hub.clock.set('2026-03-05T12:00:00Z');
    await moveProposal(hub, maint, 'P-1', { to: 'draft' });
    hub.clock.set('2026-06-03T12:00:00Z');
    expect(await runDormancy(hub, SYSTEM)).toHaveLength(1);
    hub.clock.set('2026-07-01T12:00:00Z');
    await moveProposal(hub, maint, 'P-1', { to: 'in-review' });
    await moveProposal(hub, maint, 'P-1', { to: 'draft' });
    hub.clock.set('2026-09-29T11:59:59Z'); // 89 days 23:59:59 since it came back
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    hub.clock.set('2026-09-29T12:00:00Z'); // 90 days
    expect(await runDormancy(hub, SYSTEM)).toEqual([{ ref: 'P-1', action: 'reminder', kind: 'stale-draft', days: 90 }]);
    expect(await reminders('P-1')).toHaveLength(2);
  });

  it('an accepted SEP without progress: reminded at exactly 180 days accepted, once; reaching final stops the timer', async () => {
    await createProposal(hub, ada, sep);
    await createProposal(hub, ada, { ...sep, title: 'Agenda published a week ahead' });
    for (const ref of ['P-1', 'P-2']) {
      await sponsorProposal(hub, maint, ref);
      for (const to of ['draft', 'in-review']) await moveProposal(hub, maint, ref, { to });
    }
    hub.clock.set('2026-03-10T00:00:00Z');
    for (const ref of ['P-1', 'P-2']) await moveProposal(hub, maint, ref, { to: 'accepted' });
    hub.clock.set('2026-05-01T00:00:00Z');
    await moveProposal(hub, maint, 'P-2', { to: 'final' }); // progress: P-2 is done
    hub.clock.set('2026-09-05T23:59:59Z'); // 179 days 23:59:59 accepted
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    hub.clock.set('2026-09-06T00:00:00Z'); // 180 days
    expect(await runDormancy(hub, SYSTEM)).toEqual([
      { ref: 'P-1', action: 'reminder', kind: 'accepted-without-progress', days: 180 },
    ]);
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    hub.clock.set('2027-09-06T00:00:00Z');
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    expect((await getProposal(hub, 'P-1')).stage).toBe('accepted');
    expect(await reminders('P-1')).toEqual([{ kind: 'accepted-without-progress', days: 180, to: ['ada'] }]);
    expect(await reminders('P-2')).toEqual([]);
  });

  it('the timers are the governance file’s numbers', async () => {
    hub.governance.proposals.dormancy.staleDraftReminderDays = 7;
    await createProposal(hub, ada, sep);
    await sponsorProposal(hub, maint, 'P-1');
    await moveProposal(hub, maint, 'P-1', { to: 'draft' });
    hub.clock.set('2026-03-08T09:59:59Z');
    expect(await runDormancy(hub, SYSTEM)).toEqual([]);
    hub.clock.set('2026-03-08T10:00:00Z');
    expect(await runDormancy(hub, SYSTEM)).toEqual([{ ref: 'P-1', action: 'reminder', kind: 'stale-draft', days: 7 }]);
  });
});
