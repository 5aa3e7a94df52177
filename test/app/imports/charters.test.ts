import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCharter, importCharterDirectory } from '../../../src/app/imports/charters.ts';
import { getGroup, listGroups } from '../../../src/app/groups/groups.ts';
import { SYSTEM, type Hub } from '../../../src/app/core/hub.ts';
import { getPerson } from '../../../src/app/people/people.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { COMMUNITY_DOCS } from '../../support/corpus.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

/** The stored group, without what differs between two databases by construction (ids, clock). */
async function storedGroup(hub: Hub, slug: string) {
  const { createdAt: _c, updatedAt: _u, sourcePath: _s, ...g } = await getGroup(hub, slug);
  return { ...g, members: g.members.map(({ joinedAt: _j, lastActiveAt: _l, ...m }) => m) };
}

describe.each(databases)('charter import and export on $name', (database) => {
  let hub: TestHub;
  let other: TestHub;
  let out: string;
  beforeEach(async () => {
    hub = await openTestHub(database);
    other = await openTestHub(database);
    out = mkdtempSync(path.join(tmpdir(), 'wghub-export-'));
  });
  afterEach(async () => {
    await hub?.close();
    await other?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('imports the 16 real charters into groups, people and organisations, and a second run changes nothing', async () => {
    const first = await importCharterDirectory(hub, SYSTEM, COMMUNITY_DOCS);
    expect(first.created).toBe(16);
    expect(first.files.map((f) => f.slug)).toEqual(
      expect.arrayContaining(['registry', 'auth', 'skills-over-mcp', 'enterprise-managed-authorization']),
    );
    const kinds = (await listGroups(hub, { limit: 100 })).items.reduce<Record<string, number>>(
      (acc, g) => ({ ...acc, [g.kind]: (acc[g.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds).toEqual({ working: 10, interest: 6 });

    const registry = await getGroup(hub, 'registry');
    expect(registry.status).toBe('active');
    expect(registry.members.find((m) => m.handle === 'rdimitrov')).toMatchObject({
      level: 'lead',
      levelLabel: 'Lead',
      organisation: 'Stacklok',
      emeritus: false,
    });
    expect(registry.members.find((m) => m.handle === 'tadasant')).toMatchObject({
      level: 'member',
      levelLabel: 'WG Member',
      organisation: 'PulseMCP',
    });
    expect(
      registry.members
        .filter((m) => m.emeritus)
        .map((m) => m.handle)
        .sort(),
    ).toEqual(['domdomegg', 'toby']);
    expect((await getPerson(hub, 'tadasant')).discord).toBe('tadasant_');
    const auth = await getGroup(hub, 'auth');
    expect(auth.members.filter((m) => m.level === 'lead').map((m) => m.levelLabel)).toEqual([
      'Facilitator',
      'Facilitator',
      'Facilitator',
    ]);

    // each charter's Leadership table is what the import made leads of: none has drifted yet
    const drifted = [];
    for (const f of first.files) if ((await getGroup(hub, f.slug)).leadershipDrift) drifted.push(f.slug);
    expect(drifted).toEqual([]);

    const events = (await tailEvents(hub.store.db, 10_000)).length;
    const second = await importCharterDirectory(hub, SYSTEM, COMMUNITY_DOCS);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 16 });
    expect((await tailEvents(hub.store.db, 10_000)).length).toBe(events);
    expect((await getGroup(hub, 'registry')).version).toBe(registry.version);
  });

  it('exports every charter in the template structure, and re-importing the exports gives exactly the same stored groups', async () => {
    await importCharterDirectory(hub, SYSTEM, COMMUNITY_DOCS);
    const slugs = (await listGroups(hub, { limit: 100 })).items.map((g) => ({ slug: g.slug, kind: g.kind }));
    for (const { slug, kind } of slugs) {
      const md = await exportCharter(hub, slug);
      const original = readFileSync(
        path.join(COMMUNITY_DOCS, kind === 'working' ? 'working-groups' : 'interest-groups', `${slug}.mdx`),
        'utf8',
      );
      expect(md).toBe(original);
      const dir = path.join(out, kind === 'working' ? 'working-groups' : 'interest-groups');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${slug}.mdx`), md);
    }
    const again = await importCharterDirectory(other, SYSTEM, out);
    expect(again.created).toBe(16);
    for (const { slug } of slugs) expect(await storedGroup(other, slug), slug).toEqual(await storedGroup(hub, slug));
  });

  it('a changed charter file updates the group and records before and after', async () => {
    const dir = path.join(out, 'working-groups');
    mkdirSync(dir, { recursive: true });
    const src = readFileSync(path.join(COMMUNITY_DOCS, 'working-groups/registry.mdx'), 'utf8');
    writeFileSync(path.join(dir, 'registry.mdx'), src);
    await importCharterDirectory(hub, SYSTEM, out);
    writeFileSync(
      path.join(dir, 'registry.mdx'),
      src.replace('| Preeti Dewani      | Ravenmail    |', '| Preeti Dewani      | Ravenmail Ltd |'),
    );
    const r = await importCharterDirectory(hub, SYSTEM, out);
    expect(r.updated).toBe(1);
    const last = (await tailEvents(hub.store.db, 10)).find((e) => e.kind === 'group.charter-imported');
    const organisations = await hub.store.db.selectFrom('organisations').select('name').execute();
    expect(organisations.map((o) => o.name)).toContain('Ravenmail Ltd');
    expect(last!.before).toContain('"Ravenmail"');
    expect(last!.after).toContain('Ravenmail Ltd');
  });

  it("a charter naming someone a member closes their open request to become one: the leads' list keeps none stale", async () => {
    const dir = path.join(out, 'working-groups');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'registry.mdx'),
      readFileSync(path.join(COMMUNITY_DOCS, 'working-groups/registry.mdx'), 'utf8'),
    );
    await importCharterDirectory(hub, SYSTEM, out);
    const g = await hub.store.db
      .selectFrom('groups')
      .select('id')
      .where('slug', '=', 'registry')
      .executeTakeFirstOrThrow();
    const member = await hub.store.db
      .selectFrom('group_members as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select(['m.person_id', 'p.handle'])
      .where('m.group_id', '=', g.id)
      .where('m.level', '=', 'member')
      .executeTakeFirstOrThrow();
    // lowered here meanwhile, they asked the leads to become a member again
    await hub.store.db
      .updateTable('group_members')
      .set({ level: 'participant' })
      .where('group_id', '=', g.id)
      .where('person_id', '=', member.person_id)
      .execute();
    await hub.store.db
      .insertInto('membership_requests')
      .values({
        id: 'r-1',
        group_id: g.id,
        person_id: member.person_id,
        note: '',
        requested_at: '2026-01-01T00:00:00Z',
        answer: null,
        answer_reason: null,
        answered_by: null,
        answered_at: null,
      })
      .execute();
    await importCharterDirectory(hub, SYSTEM, out);
    expect(
      await hub.store.db.selectFrom('membership_requests').select(['answer', 'answered_by']).executeTakeFirst(),
    ).toEqual({ answer: 'accepted', answered_by: null });
  });

  // ensureOrganisation refuses a new organisation named by punctuation alone; a charter's cell of
  // '—' or '?' means none, so the person is imported without one and the file is not skipped
  it('imports a member whose organisation cell is an em dash, with no organisation', async () => {
    const dir = path.join(out, 'working-groups');
    mkdirSync(dir, { recursive: true });
    const src = readFileSync(path.join(COMMUNITY_DOCS, 'working-groups/registry.mdx'), 'utf8');
    expect(src).toContain('| Preeti Dewani      | Ravenmail    |');
    writeFileSync(
      path.join(dir, 'registry.mdx'),
      src.replace('| Preeti Dewani      | Ravenmail    |', '| Preeti Dewani      | —            |'),
    );
    const r = await importCharterDirectory(hub, SYSTEM, out);
    expect(r.warnings).toEqual([]);
    expect(r.created).toBe(1);
    const members = (await getGroup(hub, 'registry')).members;
    expect(members.find((m) => m.name === 'Preeti Dewani')).toMatchObject({ organisation: null });
    const names = (await hub.store.db.selectFrom('organisations').select('name').execute()).map((o) => o.name);
    expect(names).not.toContain('—');
    expect(names).toContain('Stacklok');
  });

  it("a Leadership row keeping a seat open names nobody, and one the hub cannot link stays text: neither shows as the charter's drift", async () => {
    const dir = path.join(out, 'working-groups');
    mkdirSync(dir, { recursive: true });
    const src = readFileSync(path.join(COMMUNITY_DOCS, 'working-groups/sdk.mdx'), 'utf8');
    const lead = /^\| Lead \| Felix Weinberger.*$/m.exec(src)![0];
    writeFileSync(
      path.join(dir, 'sdk.mdx'),
      src.replace(lead, `${lead}\n| Lead | TBD | | | |\n| Lead | (vacant) | | | |\n| Lead | 张伟 | X | | |`),
    );
    const r = await importCharterDirectory(hub, SYSTEM, out);
    expect(r.created).toBe(1);
    const sdk = await getGroup(hub, 'sdk');
    expect(sdk.members.filter((m) => m.level === 'lead').map((m) => m.handle)).toEqual(['felixweinberger']);
    expect(sdk.leadershipDrift).toBeNull();
  });
});
