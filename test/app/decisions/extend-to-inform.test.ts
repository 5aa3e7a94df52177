// Members not informed in time, and the extension that would inform them: whoever may extend a
// decision is told, on every edge that shows it (the view REST and MCP return, the web page, `wghub
// decision show`), how many hours later the deadline must be for a notice sent now (the extension's
// own) to count for them, and the page's form offers that many hours. Extending by that many makes
// their silence count; one hour fewer does not. Nobody else is told. Both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { extendDecision, getDecision, openDecision } from '../../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../../src/app/groups/groups.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { showDecision } from '../../../src/cli/decision-commands.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import type { WebConfig } from '../../../src/http/web/config.ts';
import { databases } from '../../support/databases.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { pageText, signInAs } from '../../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 30 };

describe.each(databases)('extending so that members are told in time, on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, cy: Actor;

  // opened Monday 2 March 12:00 UTC; minor: the deadline is Saturday 7 March 12:00 UTC. Cy is made a
  // member at 07:00 that Saturday, 5 hours before it: told then, too late to count
  beforeEach(async () => {
    ({ hub, lead, ana } = await hostingGroupWithMail(database));
    for (const question of ['Adopt fortnightly content meetings?', 'Move the call to Thursdays?'])
      await openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question,
        significance: 'minor',
      });
    cy = await person(hub, 'cy');
    hub.clock.set('2026-03-07T07:00:00Z');
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'member' });
  });
  afterEach(async () => hub?.close());

  const reason = 'Cy joined this morning and was not told in time';
  // 07:00 + 24 hours is Sunday 07:00: 19 hours after the 12:00 deadline
  const advice =
    "Extending the deadline by at least 19 hours (to 2026-03-08T07:00:00.000Z or later) would let Cy (@cy) be told in time: the extension's own notice, sent now, would come at least 24 hours before the new deadline, and their silence would then count as consent.";

  it('whoever may extend it is told how many hours would let Cy be told in time; a member and a visitor are not', async () => {
    const d = await getDecision(hub, 'D-1', undefined, lead);
    expect(d.notified.uncounted.map((u) => u.handle)).toEqual(['cy']);
    expect(d.extendToInform).toEqual({
      members: [{ handle: 'cy', name: 'Cy' }],
      hours: 19,
      deadline: '2026-03-08T07:00:00.000Z',
      advice,
    });
    expect((await getDecision(hub, 'D-1', undefined, ana)).extendToInform).toBeNull();
    expect((await getDecision(hub, 'D-1')).extendToInform).toBeNull();
    // the CLI says it, with the command that does it
    expect(showDecision(d)).toContain(`  extending: ${advice}`);
    expect(showDecision(d)).toContain('    wghub decision extend D-1 --hours 19 --reason TEXT --if-version 1');
  });

  it('extended by those hours, Cy is told in time and their silence counts; one hour fewer is not enough', async () => {
    const short = await extendDecision(hub, lead, 'D-1', 1, { hours: 18, reason });
    expect(short.deadline).toBe('2026-03-08T06:00:00.000Z');
    expect(short.notified.uncounted.map((u) => [u.handle, u.why])).toEqual([
      ['cy', 'gained a voice 23 hours before the deadline, less than the 24 hours the community gives to answer'],
    ]);
    // the advice follows: one hour more now
    expect(short.extendToInform).toMatchObject({ hours: 1, deadline: '2026-03-08T07:00:00.000Z' });

    const enough = await extendDecision(hub, lead, 'D-2', 1, { hours: 19, reason });
    expect(enough.deadline).toBe('2026-03-08T07:00:00.000Z');
    expect(enough.notified.uncounted).toEqual([]);
    expect(enough.notified.silenceWarning).not.toContain('not informed in time');
    expect(enough.extendToInform).toBeNull();
    // told by the extension itself, 24 hours before the new deadline
    expect(
      (await listInbox(hub, cy)).items.filter((n) => n.subject.ref === 'D-2').map((n) => [n.kind, n.createdAt]),
    ).toContainEqual(['decision-extended', '2026-03-07T07:00:00.000Z']);
    // and were nobody to answer, the deadline adopts it with Cy's silence counted as consent
    hub.clock.set('2026-03-08T07:01:00Z');
    const closed = await getDecision(hub, 'D-2');
    expect(closed.state.outcome).toBe('adopted');
    expect(closed.notified.uncounted).toEqual([]);
  });

  it('no advice when extending would tell nobody: the governance file turns decision-extended notices off', async () => {
    hub.governance.notifications.kinds['decision-extended'] = { immediate: true, enabled: false };
    const d = await getDecision(hub, 'D-1', undefined, lead);
    expect(d.notified.uncounted.map((u) => u.handle)).toEqual(['cy']);
    expect(d.extendToInform).toBeNull();
  });

  it('REST gives the advice to the lead alone; the web page says it and fills the form in with the hours', async () => {
    const app = createHttpApp(hub, undefined, { web: demo });
    const tokens = {
      lead: (await createToken(hub, SYSTEM, 'lead')).token,
      ana: (await createToken(hub, SYSTEM, 'ana')).token,
    };
    const rest = async (who: keyof typeof tokens) =>
      (await app.request('/api/decisions/D-1', { headers: { Authorization: `Bearer ${tokens[who]}` } })).json();
    expect((await rest('lead')).extendToInform).toMatchObject({ hours: 19, advice });
    expect((await rest('ana')).extendToInform).toBeNull();

    const leadPage = (await (await signInAs(app, 'lead')).get('/decisions/D-1')).html;
    // the deadline in the reader's zone
    expect(pageText(leadPage)).toContain(
      'To count their silence: Extending the deadline by at least 19 hours (to Sun 8 Mar 2026, 08:00 (Europe/Berlin) or later) would let Cy (@cy) be told in time',
    );
    expect(leadPage).toContain('<a href="#extend">Extend it by 19 hours</a>');
    expect(leadPage).toMatch(/<input type="number" id="f-extend-hours" name="hours"[^>]* value="19">/);
    expect(pageText(leadPage)).toContain(
      'Filled in with 19, the fewest hours that let the members not informed in time be told in time.',
    );
    const anaPage = pageText((await (await signInAs(app, 'ana')).get('/decisions/D-1')).html);
    expect(anaPage).toContain('Not informed in time');
    expect(anaPage).not.toContain('To count their silence');
    expect(anaPage).not.toContain('Extending the deadline by');
  });
});
