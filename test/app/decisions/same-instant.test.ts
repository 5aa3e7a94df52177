// One person's latest response or vote is the one that stands. Two of theirs given in the same
// millisecond (a quick second click, a script, a clock that stands still) must still have an order:
// each is recorded after the person's previous one, never at the same instant.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import {
  castVote,
  getDecision,
  openDecision,
  respondToDecision,
  withdrawResponse,
} from '../../../src/app/decisions/decisions.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import type { TestHub } from '../../support/hub.ts';

const block = { kind: 'block', reason: 'It splits the group', alternative: 'Alternate the slot monthly' };

describe.each(databases)('one person’s answers in the same millisecond on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana } = await hostingGroupWithMail(database));
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly content meetings?',
      significance: 'minor',
    });
  });
  afterEach(async () => hub?.close());

  it('the last of several responses given at one instant is the one that stands', async () => {
    // the clock stands still: every answer below is given at the same instant
    for (const [i, input] of [{ kind: 'consent' }, block, { kind: 'consent' }, block].entries()) {
      const d = await respondToDecision(hub, ana, 'D-1', input);
      expect(d.responses.find((r) => r.handle === 'ana')?.kind, `after answer ${i + 1}`).toBe(input.kind);
    }
    // withdrawn at the same instant again: no response of hers stands
    const after = await withdrawResponse(hub, ana, 'D-1');
    expect(after.responses.map((r) => r.handle)).not.toContain('ana');
    // and given again: it stands
    const again = await respondToDecision(hub, ana, 'D-1', { kind: 'consent' });
    expect(again.responses.find((r) => r.handle === 'ana')?.kind).toBe('consent');
  });

  it('a second vote in the vote’s last millisecond, recorded at its close, is refused and the first stands', async () => {
    await respondToDecision(hub, ana, 'D-1', block);
    hub.clock.set('2026-03-08T00:00:00Z');
    const closes = (await getDecision(hub, 'D-1')).state.voteClosesAt!;
    hub.clock.set(new Date(Date.parse(closes) - 1));
    await castVote(hub, lead, 'D-1', { choice: 'yes' });
    await expect(castVote(hub, lead, 'D-1', { choice: 'no' })).rejects.toMatchObject({ kind: 'forbidden' });
    hub.clock.set(closes);
    const d = await getDecision(hub, 'D-1');
    expect(d.votes.find((v) => v.handle === 'lead')?.choice).toBe('yes');
    expect(d.state.result?.yes).toBe(1);
  });

  it('the last of several votes cast at one instant is the one counted', async () => {
    await respondToDecision(hub, ana, 'D-1', block);
    hub.clock.set('2026-03-08T00:00:00Z');
    expect((await getDecision(hub, 'D-1')).state.phase).toBe('vote');
    for (const choice of ['no', 'yes', 'no', 'yes', 'abstain', 'no']) {
      const d = await castVote(hub, lead, 'D-1', { choice });
      expect(d.votes.find((v) => v.handle === 'lead')?.choice, `after voting ${choice}`).toBe(choice);
    }
  });
});
