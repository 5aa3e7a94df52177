// A profile's one organisation field: naming the organisation one is with now.
import { describe, expect, it } from 'vitest';
import { withOrganisationNow } from '../../src/domain/people.ts';

const past = { organisation: 'Analytical Engines', from: '2020-01-01', to: '2023-12-31' };
const now = { organisation: 'Nebula Tools', from: '2024-01-01', to: null };

describe('naming the organisation one is with now', () => {
  it('changes nothing when it is one already held today (case aside), or when none is named and none held', () => {
    expect(withOrganisationNow([past, now], 'nebula tools ', '2026-03-02')).toBeNull();
    expect(withOrganisationNow([past], '', '2026-03-02')).toBeNull();
  });

  it('a new name ends today the affiliations open today and starts the new one; the past stays as it was', () => {
    expect(withOrganisationNow([past, now], 'Brand New Co', '2026-03-02')).toEqual([
      past,
      { ...now, to: '2026-03-02' },
      { organisation: 'Brand New Co', from: '2026-03-02', to: null },
    ]);
  });

  it('an empty name only ends them; one that starts later ends where it starts, never before', () => {
    expect(withOrganisationNow([now], '', '2026-03-02')).toEqual([{ ...now, to: '2026-03-02' }]);
    const later = { organisation: 'Later Inc', from: '2026-06-01', to: null };
    expect(withOrganisationNow([later], '', '2026-03-02')).toEqual([{ ...later, to: '2026-06-01' }]);
  });
});
