// `wghub decision show`: who has not answered is named in the words of the phase. Under lazy
// consensus silence is consent ("not answered yet"); in a vote only the votes cast count, so those
// listed have not voted, whatever they answered before ("not voted yet"), as the web page says.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/core/hub.ts';
import { getDecision, openDecision, respondToDecision } from '../../src/app/decisions/decisions.ts';
import { showDecision } from '../../src/cli/decision-commands.ts';
import { databases } from '../support/databases.ts';
import type { TestHub } from '../support/hub.ts';
import { hostingGroupWithMail } from '../support/notifications.ts';

describe.each(databases.slice(0, 1))('wghub decision show on $name', (database) => {
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

  it('names those not heard from as not answered under lazy consensus, and as not voted in a vote', async () => {
    const before = showDecision(await getDecision(hub, 'D-1'));
    expect(before).toMatch(/^ {2}not answered yet: .*\bbo\b/m);
    expect(before).not.toContain('not voted yet');
    await respondToDecision(hub, ana, 'D-1', {
      kind: 'block',
      reason: 'It splits the group',
      alternative: 'Alternate the slot monthly',
    });
    hub.clock.set('2026-03-08T00:00:00Z');
    const d = await getDecision(hub, 'D-1');
    expect(d.state.phase).toBe('vote');
    const during = showDecision(d);
    // ana blocked before the vote: a response is no vote, so she is listed with those who have not voted
    expect(during).toMatch(/^ {2}not voted yet: .*\bana\b/m);
    expect(during).not.toContain('not answered yet');
  });
});
