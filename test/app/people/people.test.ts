import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import {
  acceptAgreements,
  createPerson,
  getPerson,
  listPeople,
  setPersonRole,
  updatePerson,
} from '../../../src/app/people/people.ts';
import { authenticate, createToken, listTokens, revokeToken } from '../../../src/app/people/tokens.ts';
import { communityCan } from '../../../src/app/people/access.ts';
import { tailEvents } from '../../../src/store/events.ts';
import { databases } from '../../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('people and organisations on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  it('creates a person with affiliations that have dates, and records the event', async () => {
    const ada = await createPerson(hub, SYSTEM, {
      handle: 'ada',
      name: 'Ada L',
      timeZone: 'Europe/London',
      role: 'member',
      affiliations: [
        { organisation: 'Analytical Engines Ltd', from: '2024-01-01', to: '2025-12-31' },
        { organisation: 'Galactic Hosting Corporation', from: '2026-01-01' },
      ],
    });
    expect(ada.affiliations.map((a) => [a.organisation.slug, a.from, a.to])).toEqual([
      ['analytical-engines-ltd', '2024-01-01', '2025-12-31'],
      ['galactic-hosting-corporation', '2026-01-01', null],
    ]);
    expect(ada.canContribute).toBe(false);
    const events = await tailEvents(hub.store.db, 10);
    expect(events.map((e) => e.kind)).toContain('person.created');
  });

  it('bad input names the field and the rule and stores nothing', async () => {
    await expect(
      createPerson(hub, SYSTEM, { handle: '-bad', name: '', timeZone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: expect.arrayContaining([
        expect.objectContaining({ field: 'handle' }),
        expect.objectContaining({ field: 'name', rule: 'must not be empty' }),
        expect.objectContaining({ field: 'timeZone', rule: expect.stringContaining('IANA time zone') }),
      ]),
    });
    await expect(
      createPerson(hub, SYSTEM, {
        handle: 'ok',
        name: 'Ok',
        timeZone: 'UTC',
        affiliations: [{ organisation: 'X', from: '2026-02-01', to: '2026-01-01' }],
      }),
    ).rejects.toMatchObject({
      issues: [{ field: 'affiliations[0].to', rule: 'must not end before it starts' }],
    });
    expect((await listPeople(hub, {})).items).toEqual([]);
    expect(await tailEvents(hub.store.db, 10)).toEqual([]);
  });

  it('a taken handle is refused whatever its case', async () => {
    await person(hub, 'ada');
    await expect(createPerson(hub, SYSTEM, { handle: 'ADA', name: 'Other', timeZone: 'UTC' })).rejects.toMatchObject({
      issues: [{ field: 'handle' }],
    });
  });

  // records of who acted store 'operator' for the hub's operator: a person by that handle would be
  // named "the hub's operator" on every page that shows what they did
  it('the handle "operator" is reserved, in any case', async () => {
    for (const handle of ['operator', 'Operator']) {
      await expect(createPerson(hub, SYSTEM, { handle, name: 'Olga', timeZone: 'UTC' })).rejects.toMatchObject({
        issues: [{ field: 'handle', rule: expect.stringContaining('is reserved') }],
      });
    }
    expect((await listPeople(hub, {})).items).toEqual([]);
  });

  // /people/new is the page that adds a person: a person "new" had no page, every link to them
  // opening that form (attack round 19)
  it('the handle "new" is reserved, in any case, naming the page that holds it', async () => {
    for (const handle of ['new', 'New']) {
      await expect(createPerson(hub, SYSTEM, { handle, name: 'Newton', timeZone: 'UTC' })).rejects.toMatchObject({
        issues: [
          {
            field: 'handle',
            rule: 'is reserved: "new" is the address of the page that adds a person (/people/new); choose another handle',
          },
        ],
      });
    }
    expect((await listPeople(hub, {})).items).toEqual([]);
  });

  it('nobody contributes before accepting both texts; acceptance records date and version', async () => {
    const newcomer = await person(hub, 'newcomer', { accepted: false });
    expect(communityCan(hub, newcomer).createProposal).toEqual({
      allowed: false,
      reason: 'Accept the MCP Code of Conduct and the contribution terms first',
      remedy: 'accept-agreements',
    });
    await expect(
      acceptAgreements(hub, newcomer, 'newcomer', { codeOfConduct: '1999', contributionTerms: 'MIT' }),
    ).rejects.toMatchObject({ issues: [{ field: 'codeOfConduct' }] });
    hub.clock.set('2026-11-03T10:00:00Z');
    const p = await acceptAgreements(hub, newcomer, 'newcomer', { codeOfConduct: '2025-05', contributionTerms: 'MIT' });
    expect(p.agreements.codeOfConduct).toEqual({ version: '2025-05', acceptedAt: '2026-11-03T10:00:00.000Z' });
    expect(p.canContribute).toBe(true);
    expect(
      communityCan(hub, {
        kind: 'person',
        person: { ...(newcomer as any).person, coc_version: '2025-05', terms_version: 'MIT' },
      }).createProposal,
    ).toEqual({ allowed: true });
  });

  it('someone else cannot accept for a person', async () => {
    const a = await person(hub, 'alice');
    await person(hub, 'bob', { accepted: false });
    await expect(
      acceptAgreements(hub, a, 'bob', { codeOfConduct: '2025-05', contributionTerms: 'MIT' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('updates need the version read; a stale version is a conflict carrying the current record', async () => {
    const alice = await person(hub, 'alice');
    const v = (await getPerson(hub, 'alice')).version;
    await expect(updatePerson(hub, alice, 'alice', undefined, { name: 'A' })).rejects.toMatchObject({
      kind: 'precondition_required',
    });
    await updatePerson(hub, alice, 'alice', v, { name: 'Alice First' });
    await expect(updatePerson(hub, alice, 'alice', v, { name: 'Alice Second' })).rejects.toMatchObject({
      kind: 'conflict',
      details: { currentVersion: v + 1, current: expect.objectContaining({ name: 'Alice First' }) },
    });
    expect((await getPerson(hub, 'alice')).name).toBe('Alice First');
  });

  it('only the person or a moderator edits a person; roles change only by moderators or lead maintainers', async () => {
    const alice = await person(hub, 'alice');
    const bob = await person(hub, 'bob');
    const mod = await person(hub, 'mod', { role: 'moderator' });
    const v = (await getPerson(hub, 'alice')).version;
    await expect(updatePerson(hub, bob, 'alice', v, { name: 'X' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Only the person themself or a moderator may edit this profile',
    });
    await expect(setPersonRole(hub, alice, 'alice', v, { role: 'core-maintainer' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const p = await setPersonRole(hub, mod, 'alice', v, { role: 'member' });
    expect(p.role).toBe('member');
  });

  it('lists people with cursor pagination', async () => {
    for (const h of ['a1', 'a2', 'a3', 'a4', 'a5']) await person(hub, h, { accepted: false });
    const first = await listPeople(hub, { limit: 2 });
    expect(first.items.map((p) => p.handle)).toEqual(['a1', 'a2']);
    const second = await listPeople(hub, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((p) => p.handle)).toEqual(['a3', 'a4']);
    const third = await listPeople(hub, { limit: 2, cursor: second.nextCursor });
    expect(third).toMatchObject({ items: [{ handle: 'a5' }], nextCursor: null });
    await expect(listPeople(hub, { limit: 0 })).rejects.toMatchObject({
      issues: [{ field: 'limit', rule: 'must be at least 1' }],
    });
    await expect(listPeople(hub, { cursor: '%%%' })).rejects.toMatchObject({ issues: [{ field: 'cursor' }] });
  });

  it('tokens are shown once, stored hashed, and stop working when revoked', async () => {
    const alice = await person(hub, 'alice');
    const t = await createToken(hub, alice, 'alice', { label: 'laptop' });
    expect(t.token).toMatch(/^wgh_/);
    const stored = await hub.store.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(t.token);
    expect((await authenticate(hub, t.token)).handle).toBe('alice');
    expect(t.can.revoke).toEqual({ allowed: true });
    const revoked = await revokeToken(hub, alice, t.id);
    await expect(authenticate(hub, t.token)).rejects.toThrow(/revoked/);
    // each token says what its viewer may do with it: a revoked one cannot be revoked again, and
    // someone else's tokens are not theirs to revoke
    expect(revoked.can.revoke).toEqual({ allowed: false, reason: 'This token is already revoked' });
    // made a moment later (the test clock stands still: two tokens of one instant have no order)
    hub.clock.advance(1000);
    const live = await createToken(hub, alice, 'alice', { label: 'phone' });
    const mine = await listTokens(hub, 'alice', alice);
    expect(mine.map((x) => [x.label, x.can.revoke.allowed])).toEqual([
      ['laptop', false],
      ['phone', true],
    ]);
    await expect(authenticate(hub, 'wgh_nope')).rejects.toThrow(/not known/);
    const bob = await person(hub, 'bob');
    await expect(createToken(hub, bob, 'alice')).rejects.toMatchObject({ kind: 'forbidden' });
    // nor is which tokens she holds and when she last used them theirs to see
    const refusal = (await getPerson(hub, 'alice', bob)).can.manageTokens;
    expect(refusal).toMatchObject({ allowed: false });
    await expect(listTokens(hub, 'alice', bob)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(revokeToken(hub, bob, live.id)).rejects.toMatchObject({
      kind: 'forbidden',
      message: refusal.allowed ? '' : refusal.reason,
    });
    void (await asActor(hub, 'alice'));
  });
});
