// A verified address links a first sign-in to a person only when someone else recorded that address
// for them (a moderator, an import, the operator). Found in a newcomer review: anyone may give their
// own profile any address, so Mallory could type Priya's address into hers, and Priya's first sign-in
// through her provider (which verified her address) would have been linked to Mallory's account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { getPerson, updatePerson } from '../../../src/app/people/people.ts';
import { personForIdentity } from '../../../src/app/people/web-sessions.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('linking a first sign-in by its verified address on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  const signIn = (subject: string, email: string) =>
    personForIdentity(hub, {
      issuer: 'https://id.example.org',
      subject,
      handle: `user-${subject}`,
      name: 'Priya',
      timeZone: null,
      github: null,
      email,
      emailVerified: true,
    });

  it('does not link to an address its holder gave themselves', async () => {
    const mallory = await person(hub, 'mallory');
    const me = await getPerson(hub, 'mallory');
    await updatePerson(hub, mallory, 'mallory', me.version, { email: 'Priya@Example.org' });

    const { person: signedIn, created } = await signIn('priya-at-idp', 'priya@example.org');
    expect(created).toBe(true);
    expect(signedIn.handle).not.toBe('mallory');
  });

  it('links to an address a moderator or the operator recorded, and stops once its holder retypes it', async () => {
    await person(hub, 'priya');
    const before = await getPerson(hub, 'priya');
    const recorded = await updatePerson(hub, SYSTEM, 'priya', before.version, { email: 'priya@example.org' });
    const { person: linked, created } = await signIn('priya-1', 'priya@example.org');
    expect(created).toBe(false);
    expect(linked.handle).toBe('priya');

    // the same address retyped by its holder no longer vouches for an account at a provider
    const ravi = await person(hub, 'ravi');
    const r = await getPerson(hub, 'ravi');
    const byModerator = await updatePerson(hub, SYSTEM, 'ravi', r.version, { email: 'ravi@example.org' });
    await updatePerson(hub, ravi, 'ravi', byModerator.version, { email: 'ravi@example.org' });
    expect((await signIn('ravi-1', 'ravi@example.org')).created).toBe(true);
    expect(recorded.handle).toBe('priya');
  });
});
