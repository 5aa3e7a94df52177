// The one mapping from a domain error to what every edge says: each kind has a status, a title and
// a remedy; field issues travel only with invalid input; the error's other facts are kept.
import { describe, expect, it } from 'vitest';
import { Conflict, DomainError, Forbidden, InvalidInput, NotFound } from '../../src/domain/errors.ts';
import { describeFailure, STATUS } from '../../src/domain/failure.ts';
import type { Governance } from '../../src/domain/governance/schema.ts';
import { workOf } from '../../src/domain/work.ts';

describe('describeFailure', () => {
  it("cites a community's documents as it does in a refusal's own words, never in what it quotes", () => {
    const rfcs = { proposals: { routes: { sep: { shortName: 'RFC' } } } } as unknown as Pick<Governance, 'proposals'>;
    const said = (rule: string) => describeFailure(new InvalidInput([{ field: 'to', rule }]), rfcs).issues![0]!.rule;
    expect(said('must be a reference such as SEP-2575, P-12 or #12')).toBe(
      'must be a reference such as RFC-2575, P-12 or #12',
    );
    // what the person typed, in any quotes, stays as typed; an apostrophe inside a quote keeps it one
    expect(said("the name 'Jon's SEP-12 group' is taken; see SEP-12")).toBe(
      "the name 'Jon's SEP-12 group' is taken; see RFC-12",
    );
    expect(said('"SEP-12" is text; SEP-3 is not')).toBe('"SEP-12" is text; RFC-3 is not');
    expect(said('‘SEP-12’ and “SEP-12” and SEP-4')).toBe('‘SEP-12’ and “SEP-12” and RFC-4');
    // a possessive is no quote
    expect(said("the group's SEP-5 and the groups' SEP-6 'SEP-7'")).toBe(
      "the group's RFC-5 and the groups' RFC-6 'SEP-7'",
    );
    expect(describeFailure(new NotFound('proposal', 'SEP-9999'), rfcs).detail).toBe(
      "proposal 'SEP-9999' does not exist",
    );
  });

  it('words a refusal quoting a long text at once, whatever quotes it holds (round 20)', () => {
    // a lead's removal form naming a handle of 40,000 characters of “a“a… (no closing mark): the
    // refusal quotes it, and finding its quotes took 11 s of the event loop, every request waiting
    const rfcs = { proposals: { routes: { sep: { shortName: 'RFC' } } } } as unknown as Pick<Governance, 'proposals'>;
    for (const run of ['“a', '‘a', '"a\n']) {
      // the characters the quote scanner reads (src/domain/work.ts), not a wall-clock budget: for
      // twice the run it reads about twice as much, where looking again from every mark read the square
      const refuse = (times: number) => {
        const handle = `x' ${run.repeat(times)} SEP-12`;
        const rule = `nobody here has the handle '${handle}'`;
        const { value, read } = workOf('quotes', () =>
          describeFailure(new InvalidInput([{ field: 'handle', rule }]), rfcs),
        );
        return { f: value, read, length: rule.length };
      };
      const once = refuse(20_000);
      const twice = refuse(40_000);
      expect(once.read, run).toBeGreaterThanOrEqual(once.length);
      expect(once.read, run).toBeLessThan(8 * once.length); // a few passes over it, each reading it a few times
      expect(twice.read / once.read, run).toBeLessThan(2.5);
      // the quote closed after x, so what follows is the refusal's own words (open marks quote nothing)
      expect(once.f.issues![0]!.rule.endsWith(" RFC-12'")).toBe(true);
    }
  });

  it('says what is wrong, names each field and its rule, and what to do next', () => {
    const f = describeFailure(new InvalidInput([{ field: 'title', rule: 'must not be empty' }]));
    expect(f).toEqual({
      kind: 'invalid_input',
      status: 422,
      exitCode: 2,
      title: 'The input is not valid',
      detail: 'title: must not be empty',
      issues: [{ field: 'title', rule: 'must not be empty' }],
      remedy: 'Fix the named fields and call the tool again.',
      extra: {},
    });
  });

  it("keeps a conflict's facts and gives no field issues to a refusal", () => {
    const c = describeFailure(new Conflict('changed by sam', { currentVersion: 4 }));
    expect(c).toMatchObject({ status: 409, issues: null, extra: { currentVersion: 4 } });
    expect(describeFailure(new Forbidden('Only leads may'))).toMatchObject({
      status: 403,
      exitCode: 4,
      title: 'Not allowed',
      detail: 'Only leads may',
      issues: null,
    });
    expect(describeFailure(new NotFound('proposal', 'P-9')).extra).toEqual({ what: 'proposal', key: 'P-9' });
  });

  it('an unknown invitation points to the invitation lists, not to the proposals', () => {
    for (const what of ['invitation', 'invitation to hosting'])
      expect(describeFailure(new NotFound(what, 'I-9')).remedy).toMatch(/list_my_invitations/);
    expect(describeFailure(new NotFound('proposal', 'P-9')).remedy).toMatch(/list_proposals/);
  });

  it('every kind has a status, an exit code of its own kind, a title and a remedy', () => {
    for (const kind of Object.keys(STATUS) as DomainError['kind'][]) {
      const f = describeFailure(new DomainError(kind, 'x'));
      expect(f.status).toBeGreaterThanOrEqual(400);
      // 0 is success, 1 an error that is not a domain error's, 78 configuration
      expect(f.exitCode).toBeGreaterThan(1);
      expect(f.exitCode).toBeLessThan(78);
      expect(f.title.length).toBeGreaterThan(0);
      expect(f.remedy.length).toBeGreaterThan(0);
    }
  });
});
