// Silence is consent only when informed in time. A member who gains a voice too close to the deadline
// (made a member, or back from a lapse) is shown as not informed in time, and their silence is not
// counted, on every edge that shows a decision's standing; a member back from a lapse (by taking part
// or by joining again) is told of the decisions that opened while they were away; a "closes soon"
// reminder due in someone's night reaches them the evening before, not at 04:00. Both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { Worker } from '../../../src/app/core/worker.ts';
import {
  decisionRows,
  decisionStates,
  getDecision,
  openDecision,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { timesTold } from '../../../src/app/notifications/proof.ts';
import { joinGroup, placeInGroup } from '../../../src/app/groups/groups.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { remindDecisionClosing } from '../../../src/app/notifications/closing.ts';
import { CLOSING_QUEUE } from '../../../src/app/notifications/notify.ts';
import { setPreferences } from '../../../src/app/notifications/subscriptions.ts';
import { showDecision } from '../../../src/cli/decision-commands.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { person, type TestHub } from '../../support/hub.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import { pageText, WebClient } from '../../support/web-client.ts';

describe.each(databases)('silence informed in time on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;

  beforeEach(async () => {
    ({ hub, lead, ana, bo } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  // opened Monday 2 March 12:00 UTC; minor: the deadline is Saturday 7 March 12:00 UTC
  const open = (question = 'Adopt fortnightly content meetings?') =>
    openDecision(hub, lead, { group: 'hosting', subject: { type: 'process' }, question, significance: 'minor' });
  const lapse = async (who: Actor) =>
    hub.store.db
      .updateTable('group_members')
      .set({ last_active_at: '2025-06-01T00:00:00.000Z' })
      .where('person_id', '=', who.kind === 'person' ? who.person.id : '')
      .execute();
  const titles = async (who: Actor, ref: string) =>
    (await listInbox(hub, who)).items.filter((n) => n.subject.ref === ref).map((n) => n.title);

  it('made a member 5 hours before the deadline: told, but their silence is not counted, on REST, the web, MCP’s view and the CLI', async () => {
    await open();
    await respondToDecision(hub, ana, 'D-1', { kind: 'consent' });
    await respondToDecision(hub, bo, 'D-1', { kind: 'consent' });
    const cy = await person(hub, 'cy');
    hub.clock.set('2026-03-07T07:00:00Z');
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'member' });
    expect(await titles(cy, 'D-1')).toEqual([
      'D-1 is open, and your answer now counts: Adopt fortnightly content meetings?',
    ]);
    const why = 'gained a voice 5 hours before the deadline, less than the 24 hours the community gives to answer';
    const d = await getDecision(hub, 'D-1');
    expect(d.notified.silent).toEqual(['cy']); // still to be asked: they may answer
    expect(d.notified.uncounted).toEqual([
      { handle: 'cy', name: 'Cy', why, voiceSince: '2026-03-07T07:00:00.000Z', toldAt: '2026-03-07T07:00:00.000Z' },
    ]);
    expect(d.notified.silenceWarning).toBe(
      `The silence of 1 member not informed in time will not count as consent: Cy (@cy), ${why}.`,
    );
    // REST and the web page (MCP's get_decision is the same view: test/mcp/notifications.test.ts)
    const app = createHttpApp(hub);
    const rest = await (await app.request('/api/decisions/D-1')).json();
    expect(rest.notified.uncounted.map((u: { handle: string; why: string }) => [u.handle, u.why])).toEqual([
      ['cy', why],
    ]);
    const page = pageText((await new WebClient(app).get('/decisions/D-1')).html);
    expect(page).toContain('Not informed in time');
    expect(page).toContain(`Cy (@cy): ${why}`);
    expect(page).toContain('Cy (@cy, not informed in time, not reachable by mail)');
    expect(showDecision(d)).toContain(`not informed in time: Cy (@cy): ${why}`);
    // after the deadline: adopted, and the proof says whose silence was left out
    hub.clock.set('2026-03-08T00:00:00Z');
    const closed = await getDecision(hub, 'D-1');
    expect(closed.state.outcome).toBe('adopted');
    expect(closed.notified.silenceWarning).toBe(
      `The silence of 1 member not informed in time was not counted as consent: Cy (@cy), ${why}.`,
    );
  });

  it('made a member days before the deadline: informed in time, their silence counts', async () => {
    await open();
    await person(hub, 'cy');
    hub.clock.set('2026-03-04T12:00:00Z');
    await placeInGroup(hub, SYSTEM, 'hosting', 'cy', { level: 'member' });
    expect((await getDecision(hub, 'D-1')).notified.uncounted).toEqual([]);
  });

  it('a member never told of it (its notices turned off) is not counted as consenting by silence', async () => {
    hub.governance.notifications.kinds['decision-opened'] = { immediate: false, enabled: false };
    await open();
    const d = await getDecision(hub, 'D-1');
    expect(d.notified.told).toEqual([]);
    expect(d.notified.uncounted.map((u) => [u.handle, u.why])).toEqual([
      ['ana', 'never told of it'],
      ['bo', 'never told of it'],
    ]);
  });

  it('a member back from a lapse by taking part is told of the decisions opened while they were away', async () => {
    await lapse(bo);
    await open();
    await open('Move the call to Thursdays?');
    // told as advisory while away
    expect((await listInbox(hub, bo)).items.map((n) => n.detail)).toEqual([
      expect.stringContaining('your answer is advisory'),
      expect.stringContaining('your answer is advisory'),
    ]);
    hub.clock.set('2026-03-03T09:00:00Z');
    await respondToDecision(hub, bo, 'D-1', { kind: 'consent' }); // taking part brings him back
    expect(await titles(bo, 'D-2')).toEqual(['D-2 is open, and your answer now counts: Move the call to Thursdays?']);
    const d2 = await getDecision(hub, 'D-2');
    expect(d2.notified.silent).toContain('bo');
    expect(d2.notified.uncounted).toEqual([]); // told at his return, days before the deadline
  });

  it('a member back from a lapse by joining again is told; back too late, their silence is not counted', async () => {
    await lapse(ana);
    await open();
    hub.clock.set('2026-03-07T06:00:00Z');
    await joinGroup(hub, ana, 'hosting');
    expect(await titles(ana, 'D-1')).toEqual([
      'D-1 is open, and your answer now counts: Adopt fortnightly content meetings?',
    ]);
    expect((await getDecision(hub, 'D-1')).notified.uncounted.map((u) => [u.handle, u.why])).toEqual([
      ['ana', 'gained a voice 6 hours before the deadline, less than the 24 hours the community gives to answer'],
    ]);
  });

  it('told as advisory, told again too late that their answer counts: `told` shows when, `uncounted` names the same time, and the adoption says whose silence was not counted, on every edge', async () => {
    await lapse(ana);
    await open(); // ana told as advisory at the opening, an unread notice
    hub.clock.set('2026-03-07T06:00:00Z');
    await joinGroup(hub, ana, 'hosting'); // folded into that notice: "your answer now counts"
    const d = await getDecision(hub, 'D-1');
    const anas = d.notified.told.filter((t) => t.handle === 'ana');
    expect(anas.map((t) => [t.at, t.lastAt])).toEqual([['2026-03-02T12:00:00.000Z', '2026-03-07T06:00:00.000Z']]);
    expect(d.notified.uncounted.map((u) => [u.handle, u.voiceSince, u.toldAt])).toEqual([
      ['ana', '2026-03-07T06:00:00.000Z', '2026-03-07T06:00:00.000Z'],
    ]);
    // the two agree for everyone: a time uncounted names is one told shows; none told shows is since the voice
    for (const u of d.notified.uncounted) {
      const times = d.notified.told.filter((t) => t.handle === u.handle).flatMap(timesTold);
      if (u.toldAt) expect(times).toContain(u.toldAt);
      else expect(times.filter((t) => !u.voiceSince || t >= u.voiceSince)).toEqual([]);
    }
    const app = createHttpApp(hub);
    const page = pageText((await new WebClient(app).get('/decisions/D-1')).html);
    expect(page).toContain('Ana (@ana)');
    // closed: bo's silence counted, ana's not, and every edge says so in these words
    hub.clock.set('2026-03-08T00:00:00Z');
    const said =
      'no block stood at the deadline 2026-03-07T12:00:00.000Z: adopted by lazy consensus (0 consent, 0 concern; the silence of 1 member or lead counted as consent; that of 1 member or lead was not counted, as they were not informed of it in time)';
    const closed = await getDecision(hub, 'D-1');
    expect(closed.state.outcome).toBe('adopted');
    expect(closed.notified.silent).toEqual(['ana', 'bo']);
    expect(closed.state.why).toEqual([said]);
    expect((await (await app.request('/api/decisions/D-1')).json()).state.why).toEqual([said]);
    // the page shows the deadline in the reader's words, then the same sentence; and no line says all silence counted
    const closedPage = pageText((await new WebClient(app).get('/decisions/D-1')).html);
    expect(closedPage).toContain(said.slice(said.indexOf(': adopted')));
    expect(closedPage).toContain(
      'No responses came by the deadline: the silence of 1 member or lead counted as consent; that of 1 member or lead was not counted',
    );
    expect(closedPage).not.toContain('silence was counted as consent');
    expect(showDecision(closed)).toContain(said);
    // a meeting's linked decisions read their standing together: the same words
    expect((await decisionStates(hub.store.db, hub, await decisionRows(hub.store.db, ['D-1'])))[0]!.why).toEqual([
      said,
    ]);
  });

  it('a closing reminder due at 04:00 in Los Angeles reaches ana at 21:00 the evening before; the others at the due time', async () => {
    // bo's own quiet hours (20:00 to 08:00 in Tokyo) hold the due time (21:00 his): reminded at 19:00
    await setPreferences(hub, bo, { quietStart: '20:00', quietEnd: '08:00' });
    await open();
    const worker = new Worker(hub, { [CLOSING_QUEUE]: (h, j) => remindDecisionClosing(h, j, { mail: true }) });
    const reminded = async () => {
      const out: string[] = [];
      for (const [h, who] of [
        ['ana', ana],
        ['bo', bo],
        ['lead', lead],
      ] as const)
        if ((await listInbox(hub, who)).items.some((n) => n.kind === 'decision-closing')) out.push(h);
      return out;
    };
    hub.clock.set('2026-03-05T04:59:00Z');
    await worker.drain();
    expect(await reminded()).toEqual([]);
    hub.clock.set('2026-03-05T05:00:00Z'); // 21:00 on 4 March in Los Angeles
    await worker.drain();
    expect(await reminded()).toEqual(['ana']);
    hub.clock.set('2026-03-05T10:00:00Z'); // 19:00 in Tokyo
    await worker.drain();
    expect(await reminded()).toEqual(['ana', 'bo']);
    hub.clock.set('2026-03-05T12:00:00Z'); // due: 13:00 in Berlin, the lead's zone
    await worker.drain();
    expect(await reminded()).toEqual(['ana', 'bo', 'lead']);
    // nobody twice
    const closing = (await listInbox(hub, ana)).items.filter((n) => n.kind === 'decision-closing');
    expect(closing.map((n) => n.events)).toEqual([1]);
  });
});
