import { describe, expect, it } from 'vitest';
import { type CharterFacts, leadershipDrift } from '../../src/domain/charter-doc/index.ts';

const row = (name: string, github: string | null = null, role = 'Lead') => ({
  role,
  name,
  organisation: '',
  github,
  term: '',
  extra: {},
});
const facts = (rows: ReturnType<typeof row>[]) => ({ leadership: rows }) as unknown as CharterFacts;

describe("a charter's Leadership table against the leads recorded here", () => {
  it('agrees when each row names a lead by GitHub handle, by a handle made from the name, or by name', () => {
    const leads = [
      { handle: 'felix', name: 'Felix Weinberger', github: 'felixweinberger' },
      { handle: 'ido-salomon', name: 'Ido Salomon', github: null },
      { handle: 'olivier', name: 'Olivier Chafik', github: null },
    ];
    expect(
      leadershipDrift(
        facts([
          row('Felix W.', 'FelixWeinberger'),
          row('Ido Salomon'),
          row('Olivier  Chafik'),
          row('TBD'),
          row('Seeking a co-lead'),
        ]),
        leads,
      ),
    ).toBeNull();
  });

  it('names the lead the table lacks and the row that names nobody leading here', () => {
    const drift = leadershipDrift(facts([row('Sam Rivera', 'sam-lead'), row('Dana Old', 'dana')]), [
      { handle: 'sam-lead', name: 'Sam Rivera', github: null },
      { handle: 'priya', name: 'Priya Nair', github: 'priyan' },
    ]);
    expect(drift).toEqual({
      inCharterOnly: [{ name: 'Dana Old', github: 'dana' }],
      leadsOnly: [{ handle: 'priya', name: 'Priya Nair' }],
    });
  });

  it('a row the hub cannot link to anyone, an open seat or a past role is not a lead missing here', () => {
    const leads = [{ handle: 'sam', name: 'Sam', github: null }];
    expect(
      leadershipDrift(
        facts([
          row('Sam', 'sam'),
          row('张伟'),
          row('(vacant)'),
          row('To be announced'),
          row('Dana Old', 'dana', 'Emeritus Lead'),
          row('Kim Former', 'kim', 'Former co-chair'),
        ]),
        leads,
      ),
    ).toBeNull();
    // a past role's row still names its person: if they lead here again, nothing is missing
    expect(
      leadershipDrift(facts([row('Dana Old', 'dana', 'Emeritus Lead')]), [
        { handle: 'dana', name: 'Dana Old', github: null },
      ]),
    ).toBeNull();
  });

  it('a table with no rows and a group with leads: every lead is missing from it', () => {
    expect(leadershipDrift(facts([]), [{ handle: 'sam', name: 'Sam', github: null }])?.leadsOnly).toEqual([
      { handle: 'sam', name: 'Sam' },
    ]);
    expect(leadershipDrift(facts([]), [])).toBeNull();
  });
});
