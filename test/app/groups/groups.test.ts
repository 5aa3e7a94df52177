import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHub, SYSTEM } from '../../../src/app/core/hub.ts';
import {
  getGroup,
  getGroupFor,
  joinGroup,
  proposeGroup,
  setMemberLevel,
  updateCharter,
} from '../../../src/app/groups/groups.ts';
import { getCharterPage } from '../../../src/app/groups/charter-history.ts';
import { createTopicArea, getTopicArea, updateTopicArea } from '../../../src/app/groups/topic-areas.ts';
import { sectionMarkdown } from '../../../src/domain/charter-edit.ts';
import { getPerson, updatePerson } from '../../../src/app/people/people.ts';
import { databases, sqliteDatabase } from '../../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../../support/hub.ts';
import { ManualClock } from '../../../src/domain/clock.ts';

const proposal = {
  slug: 'hosting',
  name: 'Hosting',
  kind: 'working',
  mission: 'Share practices for hosting MCP servers at scale and propose changes where hosting hits limits.',
  scopeIn: ['Transport behaviour behind load balancers'],
  leads: ['sam'],
};

describe.each(databases)('groups and membership on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-01-10T12:00:00Z');
    await person(hub, 'sam', { role: 'member', org: 'Galactic Hosting Corporation' });
    await person(hub, 'priya', { role: 'member', org: 'Nebula Tools' });
    await person(hub, 'casual', { role: 'contributor' });
  });
  afterEach(async () => hub?.close());

  it('a section the charter template requires cannot be saved empty, named with its field; a group’s own section may be', async () => {
    const sam = await asActor(hub, 'sam');
    await proposeGroup(hub, sam, proposal);
    const v = (await getGroup(hub, 'hosting')).version;
    await expect(
      updateCharter(hub, sam, 'hosting', v, {
        sections: [
          { heading: 'Scope', markdown: '### In Scope\n\n- Load balancers' },
          { heading: 'mission statement', markdown: '  \n ' },
        ],
      }),
    ).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: [
        {
          field: 'sections[1].markdown',
          rule: expect.stringMatching(/^“Mission Statement” cannot be saved empty: the charter template requires it/),
        },
      ],
    });
    // nothing was saved, not even the valid section beside it
    const g = await getGroup(hub, 'hosting');
    expect(g.version).toBe(v);
    expect(g.mission).toContain('Share practices for hosting MCP servers');
    // a working group keeps its deliverables too; a section of its own may be emptied
    await expect(
      updateCharter(hub, sam, 'hosting', v, {
        sections: [{ heading: 'Deliverables & Success Metrics', markdown: '' }],
      }),
    ).rejects.toMatchObject({ issues: [{ field: 'sections[0].markdown' }] });
    const added = await updateCharter(hub, sam, 'hosting', v, {
      sections: [{ heading: 'Mission Statement', markdown: 'Share practices for hosting MCP servers.' }],
    });
    expect(added.mission).toBe('Share practices for hosting MCP servers.');
  });

  it('a scope proposed is one its leads can save again as it stands: one past a section edit is refused naming scopeIn, nothing stored', async () => {
    const sam = await asActor(hub, 'sam');
    const item = (n: number) => `${n} `.padEnd(5_000, 'x');
    // 100 items of 5,000 characters each pass their own bounds, but the Scope section comes to 500,000
    await expect(
      proposeGroup(hub, sam, { ...proposal, scopeIn: Array.from({ length: 100 }, (_, i) => item(i)) }),
    ).rejects.toMatchObject({
      issues: [{ field: 'scopeIn', rule: expect.stringMatching(/at most 50,000 characters \(these come to 500,/) }],
    });
    await expect(getGroup(hub, 'hosting')).rejects.toMatchObject({ kind: 'not_found' });
    // nine of them fit, and the lead saves the section as it stands
    await proposeGroup(hub, sam, { ...proposal, scopeIn: Array.from({ length: 9 }, (_, i) => item(i)) });
    const page = await getCharterPage(hub, 'hosting');
    const scope = sectionMarkdown(page.document, 'Scope')!;
    expect(scope.length).toBeGreaterThan(45_000);
    const saved = await updateCharter(hub, sam, 'hosting', page.version, {
      sections: [
        { heading: 'Scope', markdown: scope.replace('\n\n### Out of Scope', '\n- Gateways\n\n### Out of Scope') },
      ],
    });
    expect(saved.charter.scopeIn).toContain('Gateways');
  });

  it('a WG member who does not participate for the inactivity period becomes emeritus, and returns by participating', async () => {
    const sam = {
      kind: 'person' as const,
      person: await hub.store.db.selectFrom('people').selectAll().where('handle', '=', 'sam').executeTakeFirstOrThrow(),
    };
    await proposeGroup(hub, sam, proposal);
    const priya = {
      kind: 'person' as const,
      person: await hub.store.db
        .selectFrom('people')
        .selectAll()
        .where('handle', '=', 'priya')
        .executeTakeFirstOrThrow(),
    };
    await joinGroup(hub, priya, 'hosting');
    await setMemberLevel(hub, sam, 'hosting', 'priya', { level: 'member' });
    const before = await getGroup(hub, 'hosting'); // cached from here on
    expect(before.members.find((m) => m.handle === 'priya')).toMatchObject({ level: 'member', emeritus: false });

    hub.clock.set('2026-04-10T11:59:59Z'); // 89 days, 23:59:59 after the last activity
    expect((await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'priya')!.emeritus).toBe(false);
    hub.clock.set('2026-04-10T12:00:00Z'); // exactly 90 days
    const after = (await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'priya')!;
    expect(after).toMatchObject({ level: 'member', emeritus: true, emeritusSince: '2026-04-10T12:00:00.000Z' });
    expect((await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'sam')!.emeritus).toBe(false);

    // an emeritus member holds no active level: they cannot act as a member until they return
    expect((await getGroupFor(hub, 'hosting', priya)).can.join.allowed).toBe(true);
    await joinGroup(hub, priya, 'hosting');
    expect((await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'priya')).toMatchObject({
      level: 'member',
      emeritus: false,
    });
    // back and active, she is in the group: joining is not offered, and a retried join is refused saying so
    expect((await getGroupFor(hub, 'hosting', priya)).can.join).toEqual({
      allowed: false,
      reason: 'You are already in this group, as a member',
    });
    await expect(joinGroup(hub, priya, 'hosting', { level: 'observer' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'You are already in this group, as a member',
    });
    expect((await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'priya')).toMatchObject({
      level: 'member',
      emeritus: false,
    });
  });

  it('joined again at the level held is already as asked only when nothing else refuses it: a retired group, agreements not accepted keep their own answer', async () => {
    const sam = await asActor(hub, 'sam');
    await proposeGroup(hub, sam, proposal);
    await joinGroup(hub, await asActor(hub, 'priya'), 'hosting', { level: 'participant' });
    await hub.store.db.updateTable('groups').set({ status: 'retired' }).where('slug', '=', 'hosting').execute();
    hub.reads.invalidate();
    await expect(
      joinGroup(hub, await asActor(hub, 'priya'), 'hosting', { level: 'participant' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'The group is retired and takes no new members',
    });
    await hub.store.db.updateTable('groups').set({ status: 'active' }).where('slug', '=', 'hosting').execute();
    // newer agreements she has not accepted: told to read and accept them (the remedy), not 409
    await hub.store.db
      .updateTable('people')
      .set({ coc_version: 'an older one' })
      .where('handle', '=', 'priya')
      .execute();
    hub.reads.invalidate();
    await expect(
      joinGroup(hub, await asActor(hub, 'priya'), 'hosting', { level: 'participant' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
      details: { remedy: 'accept-agreements' },
    });
  });

  it('the same person joining twice at once joins once: one is refused as already in the group, one event is recorded', async () => {
    const sam = await asActor(hub, 'sam');
    await proposeGroup(hub, sam, proposal);
    // several people, each sending their join twice at once, so the two of a pair overlap on PostgreSQL
    const handles = Array.from({ length: 6 }, (_, i) => `joiner${i}`);
    for (const h of handles) await person(hub, h, { role: 'contributor' });
    const joiners = await Promise.all(handles.map((h) => asActor(hub, h)));
    const tries = await Promise.allSettled(
      joiners.flatMap((j) => [joinGroup(hub, j, 'hosting'), joinGroup(hub, j, 'hosting')]),
    );
    for (let i = 0; i < handles.length; i++) {
      const pair = tries.slice(2 * i, 2 * i + 2);
      expect(pair.map((t) => t.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(pair.find((t) => t.status === 'rejected')).toMatchObject({
        // the same level twice: already as asked (409, nothing to do), not a refusal of who may
        reason: {
          kind: 'conflict',
          details: { rule: 'already-as-asked' },
          message: 'You are already in this group, as a participant',
        },
      });
    }
    const events = await hub.store.db
      .selectFrom('events')
      .select('kind')
      .where('kind', 'in', ['group.member-joined', 'group.member-returned'])
      .execute();
    expect(events.map((e) => e.kind)).toEqual(handles.map(() => 'group.member-joined'));
  });

  it("a group cannot take another's name, in another case, spacing or compatibility form, nor two at once; the short name and the rest are named together (attack round 17)", async () => {
    // a member proposed a second "Hosting": every list and form offered the two under one label
    const sam = await asActor(hub, 'sam');
    const priya = await asActor(hub, 'priya');
    await proposeGroup(hub, sam, proposal);
    for (const name of ['Hosting', 'hosting ', 'Ｈｏｓｔｉｎｇ', 'Host\u200ding']) {
      await expect(
        proposeGroup(hub, priya, { ...proposal, slug: 'hosting-two', name, leads: ['priya'] }),
      ).rejects.toMatchObject({
        kind: 'invalid_input',
        issues: [
          {
            field: 'name',
            rule: "is the name of the group 'hosting' already (Hosting): choose one people can tell apart",
          },
        ],
      });
    }
    await expect(proposeGroup(hub, priya, { ...proposal, name: 'HOSTING', leads: ['nobody'] })).rejects.toMatchObject({
      issues: [
        { field: 'slug', rule: "a group 'hosting' already exists" },
        { field: 'name', rule: expect.stringContaining("is the name of the group 'hosting' already") },
        { field: 'leads[0]', rule: expect.stringContaining("no person 'nobody'") },
      ],
    });
    // at the same time, under one name: one is proposed
    const both = await Promise.allSettled([
      proposeGroup(hub, priya, { ...proposal, slug: 'registry', name: 'Registry', leads: ['priya'] }),
      proposeGroup(hub, sam, { ...proposal, slug: 'registries', name: 'registry', leads: ['sam'] }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await hub.store.db.selectFrom('groups').select('slug').execute()).map((g) => g.slug).sort()).toEqual([
      'hosting',
      expect.stringMatching(/^registr(y|ies)$/),
    ]);
    await proposeGroup(hub, priya, { ...proposal, slug: 'hosting-ops', name: 'Hosting operations', leads: ['priya'] });
    // nor by renaming its charter; its own name in another case is its own
    const ops = await getGroup(hub, 'hosting-ops');
    await expect(updateCharter(hub, priya, 'hosting-ops', ops.version, { name: 'HOSTING' })).rejects.toMatchObject({
      issues: [{ field: 'name', rule: expect.stringContaining("is the name of the group 'hosting' already") }],
    });
    expect((await getGroup(hub, 'hosting-ops')).name).toBe('Hosting operations');
    await updateCharter(hub, priya, 'hosting-ops', ops.version, { name: 'Hosting Operations' });
  });

  it("a new group's mission holding a heading is refused naming it: its table read as the group's leads (attack round 19)", async () => {
    // a member proposing a group wrote a Leadership table into the mission: the charter named a core
    // maintainer its lead, as its page, its charter.md and an import of it read the charter
    const priya = await asActor(hub, 'priya');
    const table = '| Name | Organization | GitHub | Role |\n| --- | --- | --- | --- |\n| Sam | X | sam | Lead |';
    for (const [mission, heading] of [
      [`${proposal.mission}\n\n## Leadership\n\n${table}`, 'Leadership'],
      [`${proposal.mission}\n\n### Members\n\n${table}`, 'Members'],
      [`${proposal.mission}\n\nLeadership\n----------\n\n${table}`, 'Leadership'],
    ])
      await expect(proposeGroup(hub, priya, { ...proposal, mission, leads: ['priya'] })).rejects.toMatchObject({
        kind: 'invalid_input',
        issues: [
          {
            field: 'mission',
            rule: `must not hold a heading ('${heading}'): a heading in the mission starts a section of the charter; write the mission as text, and add sections once the group is proposed`,
          },
        ],
      });
    expect(await hub.store.db.selectFrom('groups').select('slug').execute()).toEqual([]);
    // a hash that starts no heading is text
    const g = await proposeGroup(hub, priya, {
      ...proposal,
      mission: `${proposal.mission}\n\n#hosting on chat, and C# SDKs too.`,
      leads: ['priya'],
    });
    expect(g.charter.leadership.map((l) => l.github)).toEqual(['priya']);
    expect(g.charter.mission).toContain('#hosting on chat');
  });

  it('a group cannot take the short name "new", the address of the page that proposes one (attack round 19)', async () => {
    // a group "new" had no page: /groups/new, where its every link pointed, is the proposal form
    const sam = await asActor(hub, 'sam');
    await expect(proposeGroup(hub, sam, { ...proposal, slug: 'new', name: 'New things' })).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: [
        {
          field: 'slug',
          rule: 'is taken by the page that proposes a group (/groups/new); choose another short name',
        },
      ],
    });
    expect(await hub.store.db.selectFrom('groups').select('slug').execute()).toEqual([]);
    await proposeGroup(hub, sam, { ...proposal, slug: 'new-things', name: 'New things' });
  });

  it("a group or topic area cannot take a name that looks like another's in other letters; the error names the field, the name and the letters (attack round 18)", async () => {
    // a Greek omicron made a second "Hosting" that no case, spacing or NFKC folding told apart
    const sam = await asActor(hub, 'sam');
    const priya = await asActor(hub, 'priya');
    await proposeGroup(hub, sam, proposal);
    for (const [name, alike] of [
      ['H\u03bfsting', "'\u03bf' (U+03BF) and 'o' look alike"],
      ['\u041dosting', "'\u041d' (U+041D) and 'H' look alike"],
      // in Greek capitals it reads as HOSTING, the same name in another case
      ['\u0397\u039f\u0053\u03a4\u0399\u039d\u0047', "'\u0397' (U+0397) and 'H' look alike"],
      ['Hosti\u0578g', "'\u0578' (U+0578) and 'n' look alike"],
    ] as const) {
      await expect(
        proposeGroup(hub, priya, { ...proposal, slug: 'hosting-two', name, leads: ['priya'] }),
      ).rejects.toMatchObject({
        kind: 'invalid_input',
        issues: [
          {
            field: 'name',
            rule: `looks like the name of the group 'hosting' (Hosting) (${alike}): choose one people can tell apart`,
          },
        ],
      });
    }
    expect((await hub.store.db.selectFrom('groups').select('slug').execute()).map((g) => g.slug)).toEqual(['hosting']);
    // nor by renaming: "Edge hosting" may not become "Hοsting"; a name of its own in Greek is fine
    await proposeGroup(hub, priya, { ...proposal, slug: 'edge', name: 'Edge hosting', leads: ['priya'] });
    const edge = await getGroup(hub, 'edge');
    await expect(updateCharter(hub, priya, 'edge', edge.version, { name: 'H\u03bfsting' })).rejects.toMatchObject({
      issues: [
        { field: 'name', rule: expect.stringContaining("looks like the name of the group 'hosting' (Hosting)") },
      ],
    });
    expect((await getGroup(hub, 'edge')).name).toBe('Edge hosting');
    await updateCharter(hub, priya, 'edge', edge.version, {
      name: '\u03a6\u03b9\u03bb\u03bf\u03be\u03b5\u03bd\u03af\u03b1',
    });

    // a topic area's name, within its group: the same in another case, or alike in other letters
    await createTopicArea(hub, SYSTEM, 'hosting', {
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      facilitators: ['sam'],
    });
    for (const [name, rule] of [
      ['scaling ', "is the name of hosting's topic area 'scaling' already (Scaling): choose one people can tell apart"],
      [
        '\u0405caling',
        "looks like the name of hosting's topic area 'scaling' (Scaling) ('\u0405' (U+0405) and 'S' look alike): choose one people can tell apart",
      ],
    ])
      await expect(
        createTopicArea(hub, SYSTEM, 'hosting', { slug: 'scaling-two', name, goal: 'both', facilitators: ['sam'] }),
      ).rejects.toMatchObject({ kind: 'invalid_input', issues: [{ field: 'name', rule }] });
    const sessions = await createTopicArea(hub, SYSTEM, 'hosting', {
      slug: 'sessions',
      name: 'Sessions',
      goal: 'both',
      facilitators: ['sam'],
    });
    await expect(
      updateTopicArea(hub, SYSTEM, 'hosting', 'sessions', sessions.version, { name: 'Sc\u0430ling' }),
    ).rejects.toMatchObject({
      issues: [{ field: 'name', rule: expect.stringContaining("topic area 'scaling' (Scaling)") }],
    });
    expect((await getTopicArea(hub, 'hosting', 'sessions')).name).toBe('Sessions');
    // another group's areas are its own
    await createTopicArea(hub, SYSTEM, 'edge', {
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      facilitators: ['priya'],
    });
  });

  it('leads must hold the minimum community role', async () => {
    const sam = {
      kind: 'person' as const,
      person: await hub.store.db.selectFrom('people').selectAll().where('handle', '=', 'sam').executeTakeFirstOrThrow(),
    };
    await expect(proposeGroup(hub, sam, { ...proposal, leads: ['casual'] })).rejects.toMatchObject({
      issues: [{ field: 'leads[0]', rule: expect.stringContaining('at least the member role') }],
    });
    await proposeGroup(hub, sam, proposal);
    await expect(setMemberLevel(hub, sam, 'hosting', 'casual', { level: 'lead' })).rejects.toMatchObject({
      issues: [{ field: 'level' }],
    });
  });

  it('two people updating from the same version at the same time: one wins, the other gets a conflict', async () => {
    const sam = {
      kind: 'person' as const,
      person: await hub.store.db.selectFrom('people').selectAll().where('handle', '=', 'sam').executeTakeFirstOrThrow(),
    };
    await proposeGroup(hub, sam, proposal);
    const v = (await getGroup(hub, 'hosting')).version;
    const results = await Promise.allSettled([
      updateCharter(hub, sam, 'hosting', v, { name: 'Hosting A' }),
      updateCharter(hub, SYSTEM, 'hosting', v, { name: 'Hosting B' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ kind: 'conflict' });
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ name: string }>).value
      .name;
    expect((await getGroup(hub, 'hosting')).name).toBe(winner);
    const p = await getPerson(hub, 'priya');
    const people = await Promise.allSettled([
      updatePerson(hub, SYSTEM, 'priya', p.version, { name: 'P1' }),
      updatePerson(hub, SYSTEM, 'priya', p.version, { name: 'P2' }),
    ]);
    expect(people.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });
});

describe('cached reads', () => {
  it('a write from another process sharing the database is seen on the next read after the recheck interval', async () => {
    const store = await sqliteDatabase.open();
    const a = await openTestHub({ name: 'sqlite', open: async () => store });
    const b = createHub(store, a.governance, { clock: new ManualClock('2026-11-02T09:00:00Z') });
    await person(a, 'sam', { role: 'member' });
    const sam = {
      kind: 'person' as const,
      person: await store.db.selectFrom('people').selectAll().where('handle', '=', 'sam').executeTakeFirstOrThrow(),
    };
    await proposeGroup(a, sam, proposal);
    expect((await getGroup(a, 'hosting')).name).toBe('Hosting');
    await updateCharter(b, SYSTEM, 'hosting', 1, { name: 'Hosting (renamed elsewhere)' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await getGroup(a, 'hosting')).name).toBe('Hosting (renamed elsewhere)');
    await updateCharter(a, SYSTEM, 'hosting', 2, { name: 'Hosting again' });
    expect((await getGroup(a, 'hosting')).name).toBe('Hosting again'); // own writes: at once
    await store.close();
  });
});
