// What attack round 24 found in proposed groups and their charters, on both databases, through the use cases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { getCharterPage } from '../../../src/app/groups/charter-history.ts';
import { getGroup, listGroups, moveGroup, proposeGroup, updateCharter } from '../../../src/app/groups/groups.ts';
import { memberNeeds } from '../../../src/app/home/what-needs-me.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('attack round 24: proposed groups on $name', (database) => {
  let hub: TestHub;
  let lee: Actor, ana: Actor, cora: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    lee = await person(hub, 'lee', { role: 'member' });
    ana = await person(hub, 'ana', { role: 'member' });
    cora = await person(hub, 'cora', { role: 'core-maintainer' });
  });
  afterEach(async () => hub?.close());

  const propose = (who: Actor, slug: string) =>
    proposeGroup(hub, who, {
      slug,
      name: `Group ${slug}`,
      kind: 'working',
      mission: 'A group proposed to see how many one person may have waiting.',
      scopeIn: ['Waiting'],
      leads: [who.kind === 'person' ? who.person.handle : ''],
    });

  it("a charter's Changelog is measured as written: one long line does not make short lines count as long", async () => {
    let g = await propose(lee, 'long-line');
    g = await updateCharter(hub, lee, 'long-line', g.version, { changelog: 'x'.repeat(LIMITS.short) });
    // padded to the long line's width, the seventh short line was refused at ~50,000 characters
    for (let i = 0; i < 20; i++)
      g = await updateCharter(hub, lee, 'long-line', g.version, { changelog: `Short change ${i}` });
    expect((await getGroup(hub, 'long-line')).charter.changelog).toHaveLength(22);
  });

  it('one person has at most LIMITS.groupsProposedWaiting groups proposed at once', async () => {
    const bound = LIMITS.groupsProposedWaiting;
    for (let i = 0; i < bound; i++) await propose(lee, `wait-${i}`);
    // one more is refused, naming the rule and the groups that wait, and nothing is stored
    await expect(propose(lee, 'one-more')).rejects.toMatchObject({
      kind: 'conflict',
      details: { rule: 'too-many-groups-proposed' },
      message: expect.stringMatching(
        new RegExp(
          `^You have proposed ${bound} groups that are still proposed \\(wait-0, wait-1, .*wait-${bound - 1}\\)`,
        ),
      ),
    });
    await expect(getGroup(hub, 'one-more')).rejects.toMatchObject({ kind: 'not_found' });
    expect((await listGroups(hub, { status: 'proposed', limit: 200 })).items).toHaveLength(bound);
    // the bound is the proposer's: another member may still propose
    await expect(propose(ana, 'from-ana')).resolves.toMatchObject({ slug: 'from-ana' });
    // a core maintainer still sees each waiting for a sponsor
    const needs = await memberNeeds(hub, (cora as Extract<Actor, { kind: 'person' }>).person, null);
    expect(needs.sponsorship.listed.map((g) => g.slug)).toContain('wait-0');
    // once one is retired it no longer waits, and lee may propose again
    await moveGroup(hub, cora, 'wait-3', { to: 'retired' });
    await expect(propose(lee, 'one-more')).resolves.toMatchObject({ slug: 'one-more', status: 'proposed' });
  });

  it("a charter's Changelog stops at a section's LIMITS.document characters, and takes lines again once shortened", async () => {
    let g = await propose(lee, 'logs');
    const line = (i: number) => `${i} ${'x'.repeat(LIMITS.short - 10)}`;
    let added = 0;
    for (; added < 20; added++) {
      try {
        g = await updateCharter(hub, lee, 'logs', g.version, { changelog: line(added) });
      } catch (e) {
        expect(e).toMatchObject({
          kind: 'invalid_input',
          issues: [
            {
              field: 'changelog',
              rule: expect.stringMatching(
                /^would take the charter's Changelog to [\d,]+ characters, past the 50,000 a section holds: shorten the Changelog section first/,
              ),
            },
          ],
        });
        break;
      }
    }
    // nine lines of 5,000 fit beside the proposal's own (measured as written, not padded); the next is
    // refused and nothing of it is stored
    expect(added).toBeGreaterThan(2);
    expect(added).toBeLessThan(10);
    const stored = await getGroup(hub, 'logs');
    expect(stored.version).toBe(g.version);
    expect(stored.charter.changelog).toHaveLength(added + 1);
    // the leads shorten it (the lines taken out stay in the event log), then a line is taken again
    g = await updateCharter(hub, lee, 'logs', g.version, {
      sections: [{ heading: 'Changelog', markdown: '| Date | Change |\n| --- | --- |\n| 2026-03-02 | Shortened |' }],
    });
    g = await updateCharter(hub, lee, 'logs', g.version, { changelog: line(99) });
    expect(g.charter.changelog.map((c) => c.change.slice(0, 3))).toEqual(['99 ', 'Sho']);
  });

  it("a charter's history reads its latest changes within LIMITS.charterHistory and counts the rest", async () => {
    let g = await propose(lee, 'grown');
    const text = (c: string) => `Words about ${c} here. `.repeat(2_500).slice(0, 48_000);
    const headings = ['Mission Statement', 'Operations', 'Membership', 'Authority & Decision Rights', 'Scope'];
    g = await updateCharter(hub, lee, 'grown', g.version, {
      sections: headings.map((heading) => ({ heading, markdown: text(heading) })),
    });
    for (let i = 0; i < 4; i++)
      g = await updateCharter(hub, lee, 'grown', g.version, {
        sections: [{ heading: 'Operations', markdown: `${text('Operations').slice(0, 40_000)} ${i}` }],
      });
    // six changes (the proposal, five amendments), each amendment recording a charter of 250,000
    // characters before and after: the page lists the latest that fit in 2,000,000 and counts the rest
    const page = await getCharterPage(hub, 'grown');
    expect(page.history.length).toBeGreaterThan(0);
    expect(page.history.length).toBeLessThan(6);
    expect(page.history.length + page.historyEarlier).toBe(6);
    expect(page.history[0]).toMatchObject({ kind: 'group.charter-amended', sections: ['Operations'] });
    // an ordinary charter lists every change
    const plain = await propose(lee, 'plain');
    await updateCharter(hub, lee, 'plain', plain.version, { changelog: 'A line' });
    expect(await getCharterPage(hub, 'plain')).toMatchObject({ historyEarlier: 0, history: [{}, {}] });
  });
});
