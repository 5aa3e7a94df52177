// The no-group home page's soonest open decisions: fifty escalated ones closing first left it with a
// link alone ("and more"), as only the first fifty rows were read. Those recorded escalated are left
// out by the query, and the reading goes on past them, so the five shown are the soonest open ones.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDecision, soonestOpenDecisions } from '../../../src/app/decisions/decisions.ts';
import { databases } from '../../support/databases.ts';
import { hostingGroupWithMail } from '../../support/notifications.ts';
import type { TestHub } from '../../support/hub.ts';
import type { Actor } from '../../../src/app/core/hub.ts';
import { countQueries } from '../../support/queries.ts';

describe.each(databases)('the soonest open decisions on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let lead: Actor;
  beforeEach(async () => {
    ({ hub, lead } = await hostingGroupWithMail(database));
  });
  afterEach(async () => hub?.close());

  it('shows the soonest five in lazy consensus or a vote, however many escalated ones close before them', async () => {
    const open = (question: string, deadline: string) =>
      openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question,
        significance: 'minor',
        deadline,
      });
    for (let i = 0; i < 55; i++) await open(`Escalated question number ${i}?`, '2026-03-20T12:00:00Z');
    for (let i = 0; i < 6; i++) await open(`Open question number ${i}?`, `2026-03-2${1 + (i % 3)}T12:00:00Z`);
    await hub.store.db
      .updateTable('decisions')
      .set({ recorded_state: 'escalated:pending' })
      .where('number', '<=', 55)
      .execute();
    const { items, more } = await soonestOpenDecisions(hub, 5);
    expect(items.map((d) => d.ref)).toEqual(['D-56', 'D-59', 'D-57', 'D-60', 'D-58']);
    expect(items.every((d) => d.phase === 'lazy-consensus')).toBe(true);
    expect(more).toBe(true);
  });

  it('says more are open only of those it would list: escalated ones are neither listed nor counted', async () => {
    // one in no group read "Every open decision" under a list of three, or alone under none, when the
    // rest open were escalated: the list leaves those out (their responses and votes are closed)
    const open = (question: string) =>
      openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question,
        significance: 'minor',
        deadline: '2026-03-20T12:00:00Z',
      });
    for (let i = 0; i < 2; i++) await open(`Escalated question number ${i}?`);
    await hub.store.db.updateTable('decisions').set({ recorded_state: 'escalated:pending' }).execute();
    expect(await soonestOpenDecisions(hub, 5)).toEqual({ items: [], more: false, escalated: true });
    for (let i = 0; i < 5; i++) await open(`Open question number ${i}?`);
    const five = await soonestOpenDecisions(hub, 5);
    expect(five.items).toHaveLength(5);
    expect(five.more).toBe(false);
    // one more in lazy consensus than are listed: that one is counted
    await open('Open question number 5?');
    expect((await soonestOpenDecisions(hub, 5)).more).toBe(true);
    expect((await soonestOpenDecisions(hub, 6)).more).toBe(false);
    await hub.store.db.deleteFrom('decisions').where('recorded_state', 'like', 'escalated:%').execute();
    expect((await soonestOpenDecisions(hub, 6)).escalated).toBe(false);
  });

  it('reads where the decisions stand together, not each decision whole: a page of fifty costs a handful of queries', async () => {
    for (let i = 0; i < 50; i++)
      await openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Open question number ${i}?`,
        significance: 'minor',
        deadline: '2026-03-20T12:00:00Z',
      });
    // the last five close first: the page of fifty is read, and the five are found at its head
    await hub.store.db
      .updateTable('decisions')
      .set({ deadline: '2026-03-19T12:00:00Z' })
      .where('number', '>', 45)
      .execute();
    const queries = countQueries(hub);
    const { items } = await soonestOpenDecisions(hub, 5);
    expect(items.map((d) => d.ref)).toEqual(['D-46', 'D-47', 'D-48', 'D-49', 'D-50']);
    expect(items[0]).toMatchObject({ group: 'hosting', question: 'Open question number 45?', phase: 'lazy-consensus' });
    // each decision read whole cost a dozen queries or more (its timeline, who was told); now the page's
    // states are read together
    expect(queries.count, queries.statements.join('\n')).toBeLessThan(20);
  });
});
