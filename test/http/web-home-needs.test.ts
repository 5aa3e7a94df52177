// The web home and "what needs me" (REST /api/me/needs, MCP what_needs_me, `wghub me needs`) read one
// use case (memberNeeds): every item the one lists, the other lists, and what the bound leaves out
// both count alike. Run with the bound lowered to 2, so a list cut short on one edge and whole on the
// other (as the home's meetings and action items were) shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../src/app/core/hub.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup } from '../../src/app/groups/groups.ts';
import { NEED_KINDS, whatNeedsMe } from '../../src/app/home/what-needs-me.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { addActionItem } from '../../src/app/meetings/outcomes.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { demoSignIn } from '../support/web-hub.ts';

const limits = LIMITS as { needsPerKind: number };

describe.each(databases)('the web home and what needs me on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let ana: Actor;
  const bound = limits.needsPerKind;

  beforeAll(async () => {
    limits.needsPerKind = 2;
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const lead = await person(hub, 'lead', { role: 'member' });
    ana = await person(hub, 'ana');
    await hostingGroup(hub, lead, 'lead');
    await placeInGroup(hub, SYSTEM, 'hosting', 'ana', { level: 'member' });
    for (let i = 1; i <= 3; i++) {
      await openDecision(hub, lead, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Adopt hosting practice number ${i}?`,
        significance: 'minor',
      });
      await scheduleMeeting(hub, lead, {
        group: 'hosting',
        kind: 'process',
        title: `Hosting coordination ${i}`,
        startsAt: `2026-03-${10 + i}T16:00:00Z`,
      });
    }
    await scheduleMeeting(hub, lead, {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting kick-off',
      startsAt: '2026-03-02T12:30:00Z',
    });
    hub.clock.set('2026-03-02T13:00:00Z');
    for (let i = 1; i <= 3; i++)
      await addActionItem(hub, lead, 'M-4', {
        owner: 'ana',
        description: `Check cluster ${i}`,
        due: `2026-03-0${3 + i}`,
      });
    await createProposal(hub, ana, {
      title: 'Draining sessions on deploy',
      problem: 'A deploy drops every open session on a hosted server.',
      examples: ['Rolling deploys'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    app = createHttpApp(hub, undefined, { web: demoSignIn });
  });
  afterAll(async () => {
    limits.needsPerKind = bound;
    await hub?.close();
  });

  it('lists on the home exactly what needs me lists, and counts the rest alike', async () => {
    const needs = await whatNeedsMe(hub, ana);
    const page = (await (await signInAs(app, 'ana')).get('/')).html;
    const text = pageText(page);
    // something of most kinds, so a kind the home leaves out shows
    const kinds = new Set(needs.items.map((n) => n.kind));
    expect([...kinds].sort()).toEqual(['action-item', 'decision', 'meeting', 'proposal']);
    for (const n of needs.items) {
      expect(page, `${n.kind} ${n.ref}`).toContain(`href="${n.path.replace(/&/g, '&amp;')}"`);
      expect(text, `${n.kind} ${n.ref}`).toContain(n.title);
    }
    // what the bound leaves out is neither listed on the home nor uncounted
    expect(needs.counts.meeting).toEqual({ listed: 2, total: 3 });
    expect(needs.counts['action-item']).toEqual({ listed: 2, total: 3 });
    expect(text).not.toContain('Hosting coordination 3');
    expect(text).not.toContain('Check cluster 3');
    for (const kind of NEED_KINDS) {
      const c = needs.counts[kind];
      if (c.total !== null && c.total > c.listed)
        expect(text, kind).toContain(
          `And ${c.total - c.listed} more (of ${c.total}; the first ${c.listed} are listed)`,
        );
    }
    // the decisions, read 50 at a time by both, are listed whole
    expect(needs.counts.decision).toEqual({ listed: 3, total: 3 });
    expect((page.match(/href="\/decisions\/D-\d+#respond"/g) ?? []).length).toBe(3);
  });

  it("a core maintainer's home and REST list the proposed group waiting for their sponsorship, until they sponsor it from there", async () => {
    await person(hub, 'core', { role: 'core-maintainer' });
    const token = (await createToken(hub, SYSTEM, 'core')).token;
    const rest = async () =>
      (await (await app.request('/api/me/needs', { headers: { Authorization: `Bearer ${token}` } })).json()) as {
        items: { kind: string; ref: string; due: string | null; path: string }[];
      };
    expect((await rest()).items.filter((n) => n.kind === 'sponsor-group')).toEqual([
      expect.objectContaining({ ref: 'hosting', due: null, path: '/groups/hosting#manage' }),
    ]);
    const core = await signInAs(app, 'core');
    const home = await core.get('/');
    expect(pageText(home.html)).toContain(
      'Proposed groups waiting for sponsors A proposed group becomes active only once 2 core maintainers or 1 lead maintainer sponsor it',
    );
    expect(home.html).toMatch(/<li id="sponsor-hosting"><a href="\/groups\/hosting#manage">Hosting<\/a>/);
    expect(home.html).toContain('action="/groups/hosting/sponsor"');
    // a contributor is not asked
    expect(pageText((await (await signInAs(app, 'ana')).get('/')).html)).not.toContain('waiting for sponsors');
    // sponsoring from the home takes it off their list
    expect((await core.post('/groups/hosting/sponsor', {})).status).toBe(303);
    expect(pageText((await core.get('/')).html)).not.toContain('waiting for sponsors');
    expect((await rest()).items.filter((n) => n.kind === 'sponsor-group')).toEqual([]);
  });
});
