// Found by fuzzing sign-in: the name an identity provider (or GitHub) gives a new account was
// stored through the rules for a name someone types, so a display name with a bidirectional
// override, a line break or more than 200 characters refused the account ("name: must not contain
// control or invisible formatting characters…"), and its owner could not sign in at all, with
// nothing they could change here. Now such a name is made storable (the characters dropped, cut to
// the limit, the handle when nothing is left) and the newcomer signs in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personForGithub } from '../../../src/app/people/github-sign-in.ts';
import { personForIdentity } from '../../../src/app/people/web-sessions.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

describe.each(databases)('names given at sign-in on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  const identity = (subject: string, name: string) =>
    personForIdentity(hub, {
      issuer: 'https://id.example.org',
      subject,
      handle: `user-${subject}`,
      name,
      timeZone: null,
      github: null,
    });

  it.each([
    ['a bidirectional override', 'Eve \u202egnp.exe', 'Eve gnp.exe'],
    ['a line break and a tab', 'Eve\r\nSmith\tJr', 'Eve Smith Jr'],
    ['a NUL and an escape', 'Eve\u0000 \u001b[31mSmith', 'Eve [31mSmith'],
    ['nothing but controls', '\u0000\u202e', 'user-'],
    // a Hangul filler draws nothing: the person would be a blank wherever they are named
    ['nothing but Hangul fillers', '\u3164\u115f\uffa0', 'user-'],
    // a one-line field drops it when typed too
    ['a zero-width space', 'Eve\u200bSmith', 'EveSmith'],
    // nor the directional marks, which a typed name may not hold either (attack round 18)
    ['directional marks', '\u200fEve\u061c Smith\u200e', 'Eve Smith'],
  ])('a name with %s becomes a new person, with the name made storable', async (_, name, stored) => {
    const subject = String(name.length);
    const { person, created } = await identity(subject, name);
    expect(created).toBe(true);
    expect(person.name).toBe(stored === 'user-' ? `user-${subject}` : stored);
  });

  it('a name longer than a name may be is cut to the limit', async () => {
    const { person } = await identity('long', 'A'.repeat(300));
    expect(person.name).toBe('A'.repeat(200));
    // counted in characters as the name's own rule counts them (an emoji is one), and cut between
    // them: never half of a pair, whose lone surrogate would be refused
    const { person: emoji } = await identity('emoji', `${'A'.repeat(199)}\u{1F600}\u{1F600}`);
    expect(emoji.name).toBe(`${'A'.repeat(199)}\u{1F600}`);
  });

  it('a GitHub account whose name holds an override signs in too', async () => {
    const { person, created } = await personForGithub(hub, {
      issuer: 'https://github.com',
      id: 4242,
      login: 'mallory',
      name: 'Mallory \u202eyrollam',
    });
    expect(created).toBe(true);
    expect(person).toMatchObject({ handle: 'mallory', name: 'Mallory yrollam' });
  });

  it("a newcomer's handle follows GitHub's rule for a login whatever the provider claims (attack round 18)", async () => {
    const claimed = async (subject: string, handle: string) =>
      (
        await personForIdentity(hub, {
          issuer: 'https://id.example.org',
          subject,
          handle,
          name: `Person ${subject}`,
          timeZone: null,
          github: null,
        })
      ).person.handle;
    // runs of hyphens fold to one, none is left at either end, nor where the cut at 30 falls
    expect(await claimed('1', 'Ana--Maria.')).toBe('ana-maria');
    expect(await claimed('2', '-Ana. .Lopez-')).toBe('ana-lopez');
    expect(await claimed('3', `${'a'.repeat(29)}--b`)).toBe('a'.repeat(29));
    // an older GitHub login with runs of hyphens, signing in
    const gh = await personForGithub(hub, {
      issuer: 'https://github.com',
      id: 4343,
      login: 'old--login-',
      name: 'Old',
    });
    expect(gh.person.handle).toBe('old-login');
  });

  it('a GitHub account whose login the mirror took off their record (another account has it now) gets its new login back on signing in (round 20)', async () => {
    const first = await personForGithub(hub, { issuer: 'https://github.com', id: 500, login: 'dana', name: 'Dana' });
    // the mirror met another account under "dana": the login was taken off Dana's record
    await hub.store.db.updateTable('people').set({ github: null }).where('id', '=', first.person.id).execute();
    const again = await personForGithub(hub, {
      issuer: 'https://github.com',
      id: 500,
      login: 'dana-renamed',
      name: 'Dana',
    });
    expect(again).toMatchObject({ created: false, person: { id: first.person.id, github: 'dana-renamed' } });
  });

  it('a provider or GitHub account called "operator" signs in with a handle of its own', async () => {
    const oidc = await personForIdentity(hub, {
      issuer: 'https://id.example.org',
      subject: 'op',
      handle: 'Operator',
      name: 'Olga',
      timeZone: null,
      github: null,
    });
    expect(oidc).toMatchObject({ created: true, person: { handle: 'operator-2' } });
    const gh = await personForGithub(hub, { issuer: 'https://github.com', id: 77, login: 'operator', name: 'Oscar' });
    expect(gh.created).toBe(true);
    expect(gh.person.handle).not.toMatch(/^operator$/i);
  });

  it('a provider or GitHub account called "new" signs in with a handle that has a page of its own (attack round 19)', async () => {
    // /people/new is the page that adds a person: the handle "new" would have no page
    const oidc = await personForIdentity(hub, {
      issuer: 'https://id.example.org',
      subject: 'nw',
      handle: 'New',
      name: 'Newton',
      timeZone: null,
      github: null,
    });
    expect(oidc).toMatchObject({ created: true, person: { handle: 'new-2' } });
  });
});
