// Who has not answered a decision in a vote, and whether anyone's vote counts, are judged when the vote
// counts its votes: now, until the vote closes (the close job may not have recorded it yet). They were
// judged at the lazy-consensus deadline the vote opened at, so once past it a member who joined during
// the vote (whose vote counts, and whom the "closes soon" reminder asks) was never listed as not having
// voted, and one whose standing lapsed during the vote still made "no one's vote counts" unsaid.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { castVote, getDecision, openDecision, respondToDecision } from '../../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { databases } from '../../support/databases.ts';
import { asActor, person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';

describe.each(databases)('silence in a vote past the lazy-consensus deadline on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  let ana: Actor;
  let bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  /** D-1, blocked by bo: at its deadline a vote opens. The clock is then a day into the vote. */
  async function inVote() {
    const d = await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
    await respondToDecision(hub, bo, d.ref, {
      kind: 'block',
      reason: 'Fortnightly is too often for us.',
      alternative: 'Meet monthly.',
    });
    hub.clock.set(new Date(new Date(d.deadline).getTime() + 86_400_000).toISOString());
    const v = await getDecision(hub, d.ref);
    expect(v.state.phase).toBe('vote');
    return v;
  }

  it('lists a member who joined during the vote among those who have not voted, as the vote counts their vote', async () => {
    const v = await inVote();
    await castVote(hub, ana, v.ref, { choice: 'yes' });
    await person(hub, 'cy');
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'member' });
    const now = await getDecision(hub, v.ref);
    expect(now.notified.silent).toEqual(['bo', 'cy', 'lead']);
    // their vote counts when cast
    const cy = await asActor(hub, 'cy');
    const after = await castVote(hub, cy, v.ref, { choice: 'yes' });
    expect(after.votes.find((x) => x.handle === 'cy')?.counts).toBe(true);
    expect(after.notified.silent).toEqual(['bo', 'lead']);
  });

  it("says no one's vote counts once every member's standing lapsed during the vote, not as of the deadline", async () => {
    const v = await inVote();
    // each was last active 90 days (the governance file's inactivityDays) before an instant between the
    // deadline and now: active at the deadline, lapsed now
    const lapsedBy = new Date(new Date(v.deadline).getTime() + 3_600_000 - 90 * 86_400_000).toISOString();
    // (a lead's standing does not lapse: the lead is made a member here, so that every standing does)
    await hub.store.db.updateTable('group_members').set({ last_active_at: lapsedBy, level: 'member' }).execute();
    const now = await getDecision(hub, v.ref);
    expect(now.notified.nobodyCounts).toBe(
      "No one's vote counts now: the group has no active members or leads (they left or lapsed), so a vote cast now is advisory; only the votes already counted decide it at the close.",
    );
    expect(now.notified.silent).toEqual([]);
  });
});
