// Nobody climbs the contributor ladder by their own hand, or acts as someone above them. The ladder
// (the corpus' contributor-ladder.mdx) has lead maintainers appoint core maintainers and keeps lead
// maintainer for founders and their successors; a moderator is a parallel track of "Member status +
// appointment". So a moderator, who may record a newcomer as a member, may not make themself or
// anyone a lead maintainer, nor take over a record above their own (its profile and mail address,
// its tokens, a claim link to it); and a token lets its holder act as the person, so one is made by
// that person alone (or the hub's operator), never handed out in their name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { listGrants } from '../../../src/app/people/oauth.ts';
import { createPerson, getPerson, personRow, setPersonRole, updatePerson } from '../../../src/app/people/people.ts';
import { createToken, revokeToken } from '../../../src/app/people/tokens.ts';
import { issueClaim } from '../../../src/app/people/web-sessions.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('the contributor ladder on $name', (database) => {
  let hub: TestHub;
  let mod: Actor, core: Actor, lena: Actor, bob: Actor;
  const version = async (h: string) => (await getPerson(hub, h)).version;

  beforeEach(async () => {
    hub = await openTestHub(database);
    mod = await person(hub, 'mod', { role: 'moderator' });
    core = await person(hub, 'core', { role: 'core-maintainer' });
    lena = await person(hub, 'lena', { role: 'lead-maintainer' });
    bob = await person(hub, 'bob');
  });
  afterEach(async () => hub?.close());

  it('a moderator records a member, but makes nobody, themself least, a maintainer or above', async () => {
    expect((await setPersonRole(hub, mod, 'bob', await version('bob'), { role: 'member' })).role).toBe('member');
    await expect(
      setPersonRole(hub, mod, 'mod', await version('mod'), { role: 'lead-maintainer' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Nobody changes their own community role: another who may change roles does it',
    });
    await expect(
      setPersonRole(hub, mod, 'bob', await version('bob'), { role: 'lead-maintainer' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'As a moderator you may give the roles contributor and member, not lead maintainer',
    });
    await expect(
      setPersonRole(hub, mod, 'bob', await version('bob'), { role: 'core-maintainer' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    // nor demote those above them
    await expect(setPersonRole(hub, mod, 'lena', await version('lena'), { role: 'contributor' })).rejects.toMatchObject(
      {
        kind: 'forbidden',
        message: 'Only another lead maintainer may change their role',
      },
    );
    expect((await getPerson(hub, 'lena', mod)).can.setRole.allowed).toBe(false);
    expect((await getPerson(hub, 'mod')).role).toBe('moderator');
    expect((await getPerson(hub, 'lena')).role).toBe('lead-maintainer');
    // a lead maintainer appoints a core maintainer (and a successor); the operator may do anything
    expect((await setPersonRole(hub, lena, 'bob', await version('bob'), { role: 'core-maintainer' })).role).toBe(
      'core-maintainer',
    );
    expect((await setPersonRole(hub, SYSTEM, 'mod', await version('mod'), { role: 'lead-maintainer' })).role).toBe(
      'lead-maintainer',
    );
  });

  it('whoever adds a person gives them a role below their own, never one above', async () => {
    const add = (by: Actor, handle: string, role: string) =>
      createPerson(hub, by, { handle, name: handle, timeZone: 'UTC', role, affiliations: [] });
    await expect(add(mod, 'sock', 'lead-maintainer')).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(add(core, 'sock', 'lead-maintainer')).rejects.toMatchObject({
      kind: 'forbidden',
      message:
        'As a core maintainer you may give the roles contributor, member, maintainer and moderator, not lead maintainer',
    });
    await expect(getPerson(hub, 'sock')).rejects.toMatchObject({ kind: 'not_found' });
    expect((await add(core, 'newmod', 'moderator')).role).toBe('moderator');
    expect((await add(mod, 'newbie', 'member')).role).toBe('member');
  });

  it("a moderator cannot take over a maintainer's record: not its profile and mail address, nor a claim link to it", async () => {
    await expect(
      updatePerson(hub, mod, 'lena', await version('lena'), { email: 'mine@example.org' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await personRow(hub.store.db, 'lena')).email).toBeNull();
    await expect(issueClaim(hub, mod, 'core')).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Only someone above a core maintainer on the contributor ladder may issue a claim link for them',
    });
    expect((await getPerson(hub, 'core', mod)).can).toMatchObject({
      edit: { allowed: false },
      issueClaim: { allowed: false },
    });
    // below them, as before
    await updatePerson(hub, mod, 'bob', await version('bob'), { name: 'Bob B' });
    expect((await issueClaim(hub, mod, 'bob')).handle).toBe('bob');
    expect((await issueClaim(hub, lena, 'core')).handle).toBe('core');
  });

  it('a token is made by its person alone; a moderator may revoke one below them, not make one', async () => {
    await expect(createToken(hub, mod, 'lena', { label: 'as lena' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(createToken(hub, mod, 'bob', { label: 'as bob' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'A token acts as the person it belongs to, so only they make one',
    });
    expect((await getPerson(hub, 'bob', mod)).can.createToken.allowed).toBe(false);
    const bobs = await createToken(hub, bob, 'bob', { label: 'laptop' });
    const lenas = await createToken(hub, lena, 'lena', { label: 'laptop' });
    expect((await createToken(hub, SYSTEM, 'bob', { label: 'set-up' })).person).toBe('bob');
    expect((await revokeToken(hub, mod, bobs.id)).revokedAt).not.toBeNull();
    await expect(revokeToken(hub, mod, lenas.id)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(listGrants(hub, 'lena', mod)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it("over REST too: a moderator's token makes no token for a lead maintainer, nor makes its holder one", async () => {
    const app = createHttpApp(hub);
    const token = (await createToken(hub, mod, 'mod', { label: 'rest' })).token;
    const call = (method: string, path: string, body: unknown, ifMatch?: string) =>
      app.request(path, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          ...(ifMatch ? { 'If-Match': ifMatch } : {}),
        },
        body: JSON.stringify(body),
      });
    const minted = await call('POST', '/api/people/lena/tokens', { label: 'as lena' });
    expect(minted.status).toBe(403);
    expect(JSON.stringify(await minted.json())).not.toContain('wgh_');
    const raised = await call('PUT', '/api/people/mod/role', { role: 'lead-maintainer' }, `"v${await version('mod')}"`);
    expect(raised.status).toBe(403);
    expect((await getPerson(hub, 'mod')).role).toBe('moderator');
  });
});
