// A charter in a community whose kinds of group have names of their own (Sensorium's special interest
// groups and community forums, test/support/sensorium.ts): its Group Type line reads in those names
// on the group's page, in the exported markdown (REST, MCP, the command line) and in refusals, while
// the stored document keeps the template's words; an exported charter imports back as the same kind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { getGroup, proposeGroup, updateCharter } from '../../../src/app/groups/groups.ts';
import { exportCharter, importCharterText } from '../../../src/app/imports/charters.ts';
import { groupHome } from '../../../src/app/groups/group-home.ts';
import { charterFacts, parseCharter } from '../../../src/domain/charter-doc/index.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';
import { sensoriumGovernance } from '../../support/sensorium.ts';
import { pageText, signInAs } from '../../support/web-client.ts';

const TEMPLATE_KINDS = /\*\*(?:Working|Interest) Group\*\*|(?<!special )\b(?:working|interest) group\b/i;

describe.each(databases)('a charter’s group type in the community’s words on $name', (database) => {
  let hub: TestHub;
  let lead: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database);
    hub.governance = sensoriumGovernance();
    lead = await person(hub, 'lead', { role: 'member' });
    for (const [slug, kind] of [
      ['metrics', 'working'],
      ['operators', 'interest'],
    ] as const)
      await proposeGroup(hub, lead, {
        slug,
        name: slug === 'metrics' ? 'Metrics' : 'Operators',
        kind,
        mission: 'Agree how Sensorium exporters name and unit their metrics.',
        scopeIn: ['Metric names'],
        leads: ['lead'],
      });
  });
  afterEach(async () => hub?.close());

  it('the page, the export and a refusal name the kind as the community does; the import reads it back', async () => {
    const md = await exportCharter(hub, 'metrics');
    expect(md).toContain('## Group Type\n\n**Special Interest Group**');
    expect(md).not.toMatch(TEMPLATE_KINDS);
    expect(await exportCharter(hub, 'operators')).toContain('## Group Type\n\n**Community Forum**');
    // stored as the template writes it
    const stored = await hub.store.db
      .selectFrom('groups')
      .select('charter')
      .where('slug', '=', 'metrics')
      .executeTakeFirstOrThrow();
    expect(stored.charter).toContain('**Working Group**');

    const app = createHttpApp(hub, undefined, {
      web: { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 },
    });
    expect(await (await app.request('/api/groups/metrics/charter.md')).text()).toBe(md);
    const web = await signInAs(app, 'lead');
    const page = pageText((await web.get('/groups/metrics')).html);
    expect(page).toMatch(/Group Type\s+Special Interest Group/);
    expect(page).not.toMatch(TEMPLATE_KINDS);
    // the editor offers the section as the page shows it
    expect((await web.get('/groups/metrics/charter/edit?section=Group%20Type')).html).toContain(
      '**Special Interest Group**',
    );

    await expect(
      updateCharter(hub, lead, 'metrics', 1, {
        sections: [{ heading: 'Mission Statement', markdown: ' ' }],
        changelog: 'x',
      }),
    ).rejects.toMatchObject({
      issues: [
        expect.objectContaining({
          field: 'sections[0].markdown',
          rule: expect.stringContaining('the charter template requires it of every special interest group'),
        }),
      ],
    });

    // an exported charter imported again (here under another name) is a special interest group: kind working
    await importCharterText(hub, SYSTEM, md, 'metrics-copy.md', () => {});
    await importCharterText(hub, SYSTEM, await exportCharter(hub, 'operators'), 'operators-copy.md', () => {});
    expect((await getGroup(hub, 'metrics-copy')).kind).toBe('working');
    expect((await getGroup(hub, 'operators-copy')).kind).toBe('interest');
    expect((await getGroup(hub, 'metrics')).charter.groupType).toBe('working');

    // an active special interest group with no process meeting ahead is asked for one in its words
    await hub.store.db.updateTable('groups').set({ status: 'active' }).where('slug', '=', 'metrics').execute();
    expect((await groupHome(hub, 'metrics')).attention.find((a) => a.what === 'No process meeting ahead')?.why).toMatch(
      /^the guide gives each special interest group a coordination meeting/,
    );
  });

  it('a Group Type in the community’s words is read as its kind; the template’s words always are', () => {
    const names = hub.governance.groupKindNames;
    const of = (type: string, n = names) => charterFacts(parseCharter(`## Group Type\n\n${type}\n`), n).groupType;
    expect(of('**Special Interest Group**')).toBe('working');
    expect(of('**Community Forum**')).toBe('interest');
    expect(of('**Working Group**')).toBe('working');
    expect(of('**Interest Group**')).toBe('interest');
    // without the community's names, "special interest group" reads as the template's interest group
    expect(of('**Special Interest Group**', {})).toBe('interest');
  });
});
