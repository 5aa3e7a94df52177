// Bad input is refused with the field and a rule a person can act on, and nothing is written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { parseInput } from '../../../src/app/core/validate.ts';
import { UpdateCharterInput, UpdateTopicAreaInput } from '../../../src/app/groups/schemas.ts';
import { UpdateMeetingInput, WrittenInputInput } from '../../../src/app/meetings/schemas.ts';
import { PreferencesInput } from '../../../src/app/notifications/schemas.ts';
import { UpdatePersonInput } from '../../../src/app/people/schemas.ts';
import { UpdateProposalInput } from '../../../src/app/proposals/schemas.ts';
import { SearchQuery } from '../../../src/app/search/schemas.ts';
import type { InvalidInput } from '../../../src/domain/errors.ts';
import { createPerson, getPerson, listPeople } from '../../../src/app/people/people.ts';
import { addEvidence, createProposal, getProposal, listProposals } from '../../../src/app/proposals/proposals.ts';
import { search } from '../../../src/app/search/search.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('input rules on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => hub?.close());

  it('a date of the right shape but no real day is refused, and the person is not half-created', async () => {
    await expect(
      createPerson(hub, SYSTEM, {
        handle: 'ada',
        name: 'Ada',
        timeZone: 'UTC',
        role: 'contributor',
        affiliations: [{ organisation: 'Acme', from: '2026-13-45' }],
      }),
    ).rejects.toMatchObject({
      issues: [
        { field: 'affiliations[0].from', rule: 'must be a real calendar date as YYYY-MM-DD (2026-13-45 is not)' },
      ],
    });
    await expect(getPerson(hub, 'ada')).rejects.toMatchObject({ kind: 'not_found' });
    await createPerson(hub, SYSTEM, {
      handle: 'ada',
      name: 'Ada',
      timeZone: 'UTC',
      role: 'contributor',
      affiliations: [{ organisation: 'Acme', from: '2024-02-29' }],
    });
    expect((await getPerson(hub, 'ada')).affiliations[0]).toMatchObject({ from: '2024-02-29' });
  });

  it('a misspelt filter is an error, not an empty list', async () => {
    await expect(listProposals(hub, { stage: 'bogus' })).rejects.toMatchObject({
      issues: [
        {
          field: 'stage',
          rule: expect.stringMatching(/^must be a stage of a route: idea, prior-work-checked, .*awaiting-sponsor/),
        },
      ],
    });
    await expect(listProposals(hub, { route: 'sep', stage: 'landed' })).rejects.toMatchObject({
      issues: [{ field: 'stage', rule: expect.stringContaining('of the sep route') }],
    });
    await expect(listProposals(hub, { group: 'nope' })).rejects.toMatchObject({ kind: 'not_found' });
    expect((await listProposals(hub, { route: 'sep', stage: 'draft' })).items).toEqual([]);
    await expect(search(hub, { q: 'session', since: '2026-05-01', until: '2026-04-01' })).rejects.toMatchObject({
      issues: [{ field: 'until', rule: 'must not be before since (2026-05-01)' }],
    });
    await expect(search(hub, { q: 'session', since: '2026-02-30' })).rejects.toMatchObject({
      issues: [{ field: 'since', rule: 'must be a real calendar date as YYYY-MM-DD (2026-02-30 is not)' }],
    });
  });

  it('rules are said in words, not in the validator’s type jargon', async () => {
    await expect(listPeople(hub, { limit: 'ten' })).rejects.toMatchObject({
      issues: [{ field: 'limit', rule: 'must be a whole number written in digits ("ten" is not)' }],
    });
    await expect(listPeople(hub, { limit: '0' })).rejects.toMatchObject({
      issues: [{ field: 'limit', rule: expect.stringMatching(/^must be at least 1/) }],
    });
    await expect(listProposals(hub, { layer: 'everything' })).rejects.toMatchObject({
      issues: [{ field: 'layer', rule: expect.stringMatching(/^must be one of: specification, /) }],
    });
  });

  it('links must be web addresses: a javascript: or data: URL is refused and nothing is stored', async () => {
    const ada = await person(hub, 'ada', { org: 'Acme' });
    const p = await createProposal(hub, ada, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      layer: 'working-group-artifact',
    });
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>']) {
      await expect(
        addEvidence(hub, ada, p.ref, { kind: 'implementation', description: 'Runs in production', url }),
      ).rejects.toMatchObject({
        issues: [{ field: 'url', rule: 'must be an http or https URL, or stdio:NAME for an allow-listed MCP command' }],
      });
    }
    expect((await getProposal(hub, p.ref)).evidence).toEqual([]);
    await addEvidence(hub, ada, p.ref, {
      kind: 'implementation',
      description: 'Runs in production',
      url: 'https://example.org/impl',
    });
    await addEvidence(hub, ada, p.ref, {
      kind: 'implementation',
      description: 'Our MCP server',
      url: 'stdio:acme-server',
    });
    expect((await getProposal(hub, p.ref)).evidence.map((e) => e.url)).toEqual([
      'https://example.org/impl',
      'stdio:acme-server',
    ]);
  });
});

describe('rules of fields that take a whole number, or one of several forms', () => {
  const rulesOf = (schema: Parameters<typeof parseInput>[0], raw: unknown) => {
    try {
      parseInput(schema, raw);
    } catch (e) {
      return (e as InvalidInput).issues;
    }
    return [];
  };

  it('a fraction where a whole number is taken is told so, not that it must be a number', () => {
    expect(rulesOf(SearchQuery, { q: 'session', limit: 2.5 })).toEqual([
      { field: 'limit', rule: 'must be a whole number' },
    ]);
    expect(rulesOf(SearchQuery, { q: 'session', limit: 'ten' })).toEqual([
      { field: 'limit', rule: 'must be a whole number written in digits ("ten" is not)' },
    ]);
  });

  it('a field taking a number or a text (an agenda item by position or id) says it is required, or which forms it takes', () => {
    const body = 'I cannot attend; here is my view.';
    expect(rulesOf(WrittenInputInput, { body })).toEqual([
      { field: 'item', rule: 'is required (a number or a string)' },
    ]);
    expect(rulesOf(WrittenInputInput, { item: true, body })).toEqual([
      { field: 'item', rule: 'must be a number or a string' },
    ]);
    expect(rulesOf(WrittenInputInput, { item: 1.5, body })).toEqual([
      { field: 'item', rule: 'must be a whole number or a string' },
    ]);
    expect(rulesOf(WrittenInputInput, { item: 0, body })).toEqual([{ field: 'item', rule: 'must be at least 1' }]);
  });
});

describe('a field past two bounds of one kind', () => {
  it('is named once, with the tightest bound', async () => {
    const { z } = await import('zod');
    const Version = z.object({ version: z.int().min(1).max(2_147_483_647) });
    const past = (() => {
      try {
        parseInput(Version, { version: 2 ** 60 });
      } catch (e) {
        return (e as InvalidInput).issues;
      }
    })();
    // z.int()'s own bound (2^53) is broken too; only the schema's is the rule to act on
    expect(past).toEqual([{ field: 'version', rule: expect.stringContaining('2147483647') }]);
  });

  it('two checks of one field saying the same are read once (fuzz round 6)', async () => {
    const { z } = await import('zod');
    const { TimeZone } = await import('../../../src/app/core/schemas.ts');
    const Meeting = z.object({ timeZone: TimeZone });
    const issues = (() => {
      try {
        parseInput(Meeting, { timeZone: 'x'.repeat(5000) });
      } catch (e) {
        return (e as InvalidInput).issues;
      }
    })();
    // the length and the name both refused it, and the form's summary said it twice
    expect(issues).toEqual([{ field: 'timeZone', rule: 'must be an IANA time zone such as Europe/Berlin or UTC' }]);
  });
});

describe('a change names only what it changes', () => {
  it('an update fills in no field it was not sent (fuzz round 8: a topic area rename wiped its description)', () => {
    for (const [name, schema, one] of [
      ['UpdateCharterInput', UpdateCharterInput, { changelog: 'Renamed' }],
      ['UpdateTopicAreaInput', UpdateTopicAreaInput, { name: 'Scaling out' }],
      ['UpdateMeetingInput', UpdateMeetingInput, { title: 'Coordination' }],
      ['UpdatePersonInput', UpdatePersonInput, { name: 'Amara' }],
      ['UpdateProposalInput', UpdateProposalInput, { title: 'Retry guidance' }],
      ['PreferencesInput', PreferencesInput, {}],
    ] as const)
      expect(schema.parse(one), name).toEqual(one);
  });

  it('an update names at least one field (fuzz round 10: PATCH {} moved the version and recorded a change nobody made)', () => {
    for (const [name, schema] of Object.entries({
      UpdateCharterInput,
      UpdateTopicAreaInput,
      UpdateMeetingInput,
      UpdatePersonInput,
      UpdateProposalInput,
    })) {
      const read = schema.safeParse({});
      expect(read.success, name).toBe(false);
      expect(read.error?.issues[0]?.message, name).toMatch(/^names nothing to change: send at least one of /);
    }
  });
});
