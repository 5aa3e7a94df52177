// MCP edge findings of issue 12: a bad resources/list cursor is the client's error (-32602), and
// completion says when it cut the list. From fuzzing a running hub: a prompt argument naming
// nothing is the client's error too, and completion of a huge value answers at once.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWghubMcpServer } from '../../src/mcp/server.ts';
import { databases, sqliteDatabase } from '../support/databases.ts';
import { asActor, hostingGroup, openTestHub, person, type TestHub } from '../support/hub.ts';
import { PAGE_SIZE } from '../../src/mcp/resources.ts';
import { encodeCursor } from '../../src/app/core/hub.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { moveGroup } from '../../src/app/groups/groups.ts';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { writeJson } from '../../src/store/schema.ts';
import { sensoriumGovernance } from '../support/sensorium.ts';

describe('MCP edges', () => {
  let hub: TestHub;
  let client: Client;

  beforeEach(async () => {
    hub = await openTestHub(sqliteDatabase);
    const actor = await person(hub, 'priya');
    const server = createWghubMcpServer(hub, { actor });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    client = new Client({ name: 'test', version: '1' });
    await client.connect(b);
  });
  afterEach(async () => {
    await client?.close();
    await hub?.close();
  });

  it('answers -32602 to a resources/list cursor it did not issue', async () => {
    for (const cursor of ['not base64 json %%', Buffer.from('{"part":"elsewhere"}').toString('base64url'), 'e30']) {
      await expect(client.listResources({ cursor })).rejects.toMatchObject({ code: -32602 });
    }
  });

  it('completion reports hasMore when it cuts the list', async () => {
    const now = '2026-11-02T09:00:00.000Z';
    for (let n = 1; n <= 105; n++)
      await hub.store.db
        .insertInto('proposals')
        .values({
          id: `p${n}`,
          number: n,
          sep_number: null,
          title: `Proposal ${n}`,
          problem: 'A problem stated at enough length to count.',
          examples: writeJson<string[]>([]),
          interests: '',
          layer: 'specification',
          route: 'contribution',
          stage: 'idea',
          stage_changed_at: now,
          group_id: null,
          topic_area_id: null,
          links: writeJson({}),
          sponsor_id: null,
          source: null,
          prior_work: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    const all = await client.complete({
      ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' },
      argument: { name: 'ref', value: 'P-' },
    });
    expect(all.completion.values).toHaveLength(100);
    expect(all.completion.hasMore).toBe(true);
    const few = await client.complete({
      ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' },
      argument: { name: 'ref', value: 'P-104' },
    });
    expect(few.completion.values).toEqual(['P-104']);
    expect(few.completion.hasMore).toBe(false);
  });

  it('answers -32602 naming the problem to a prompt argument that names nothing or is too long', async () => {
    for (const [name, args, said] of [
      ['summarise_discussion', { ref: 'P-404' }, "proposal 'P-404' does not exist"],
      ['summarise_discussion', { ref: '../..' }, "proposal '../..' does not exist"],
      ['prepare_meeting_agenda', { ref: 'M-404' }, "meeting 'M-404' does not exist"],
      ['draft_proposal', { idea: 'x'.repeat(60_000) }, 'idea'],
      // a client sees only the argument's description, so the rule it breaks is said in words it knows
      ['draft_proposal', { idea: 'too short' }, 'must say the idea (at least 10 characters)'],
      // every argument is bounded where it enters, not only by the checks behind it
      ['summarise_discussion', { ref: `P-${'1'.repeat(600)}` }, 'ref'],
      ['prepare_meeting_agenda', { ref: `M-${'1'.repeat(600)}` }, 'ref'],
      ['draft_proposal', { idea: 'an idea long enough to pass', group: 'g'.repeat(600) }, 'group'],
    ] as const) {
      const refused = client.getPrompt({ name, arguments: args });
      await expect(refused, name).rejects.toMatchObject({ code: -32602 });
      await expect(refused, name).rejects.toThrow(said);
    }
  });

  it("a prompt argument's description says its bounds, as a client sees no schema for it", async () => {
    const { prompts } = await client.listPrompts();
    const idea = prompts.find((p) => p.name === 'draft_proposal')!.arguments!.find((a) => a.name === 'idea')!;
    expect(idea).toMatchObject({ required: true, description: expect.stringMatching(/\(10 to \d+ characters\)$/) });
  });

  it('completes a value longer than any slug or reference with nothing, not an internal error', async () => {
    // the demo community: groups, proposals and meetings for the patterns to be compared with
    const demo = await openTestHub(sqliteDatabase);
    const demoClient = new Client({ name: 'test', version: '1' });
    try {
      await loadDemoCommunity(demo, { work: true });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await createWghubMcpServer(demo, { actor: await asActor(demo, 'priya') }).connect(a);
      await demoClient.connect(b);
      for (const [uri, name, value] of [
        ['wghub://groups/{slug}/charter', 'slug', 'h'.repeat(100_000)],
        ['wghub://proposals/{ref}', 'ref', '1'.repeat(100_000)],
        ['wghub://meetings/{ref}/agenda', 'ref', '1'.repeat(100_000)],
        // digits before a letter made the reference pattern backtrack for seconds (minutes at a megabyte)
        ['wghub://proposals/{ref}', 'ref', `${'9'.repeat(100_000)}x`],
      ] as const) {
        const done = await demoClient.complete({ ref: { type: 'ref/resource', uri }, argument: { name, value } });
        expect(done.completion.values, uri).toEqual([]);
      }
      // what can match still does
      const refs = await demoClient.complete({
        ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' },
        argument: { name: 'ref', value: 'P-1' },
      });
      expect(refs.completion.values).toContain('P-1');
    } finally {
      await demoClient.close();
      await demo.close();
    }
  });
});

// Found by fuzzing a running hub on PostgreSQL: a NUL in a document path, a comment or a webhook id
// reached the database, which refused it, and the tool answered "internal error".
describe.each(databases)('MCP tool arguments on $name', (database) => {
  it('a NUL or another control character in an id or a path is refused naming the field', async () => {
    const hub = await openTestHub(database);
    const client = new Client({ name: 'test', version: '1' });
    try {
      const [a, b] = InMemoryTransport.createLinkedPair();
      await createWghubMcpServer(hub, { actor: await person(hub, 'priya') }).connect(a);
      await client.connect(b);
      for (const [name, args, field] of [
        ['get_document', { path: 'nul\u0000x' }, 'path'],
        [
          'moderate_comment',
          { comment: 'nul\u0000x', action: 'hide', reason: 'Off topic for this thread.' },
          'comment',
        ],
        ['remove_group_webhook', { group: 'hosting', id: 'nul\u0000x' }, 'id'],
      ] as const) {
        const r = (await client.callTool({ name, arguments: args })) as {
          isError?: boolean;
          content: { text: string }[];
        };
        expect(r.isError, name).toBe(true);
        expect(r.content[0]!.text, name).toContain(
          `${field}: must not contain control or invisible formatting characters (U+0000`,
        );
      }
    } finally {
      await client.close();
      await hub.close();
    }
  });

  it('tells the operator (stdio without --as) to act as a person, not that every open decision needs them', async () => {
    const { SYSTEM } = await import('../../src/app/core/hub.ts');
    const demo = await openTestHub(sqliteDatabase, '2026-12-05T12:00:00Z');
    const operator = new Client({ name: 'test', version: '1' });
    try {
      await loadDemoCommunity(demo, { work: true });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await createWghubMcpServer(demo, { actor: SYSTEM }).connect(a);
      await operator.connect(b);
      for (const name of ['list_decisions_needing_me', 'what_needs_me']) {
        const r = await operator.callTool({ name, arguments: {} });
        expect(r.isError, name).toBe(true);
        expect(JSON.stringify(r.content), name).toContain('act as one with --as HANDLE');
      }
    } finally {
      await operator.close();
      await demo.close();
    }
  });
});

describe.each(databases)('resources/list pages on $name', (database) => {
  let hub: TestHub;
  let client: Client;
  beforeEach(async () => {
    hub = await openTestHub(database);
    const sam = await person(hub, 'sam', { role: 'member' });
    await hostingGroup(hub, sam, 'sam');
    const server = createWghubMcpServer(hub, { actor: sam });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    client = new Client({ name: 'test', version: '1' });
    await client.connect(b);
  });
  afterEach(async () => {
    await client?.close();
    await hub?.close();
  });

  /** Every page by hand, as a client that follows nextCursor: the URIs of each. */
  const pages = async () => {
    const seen: string[][] = [];
    // the first page, as no cursor is (the SDK's client given none walks every page itself)
    let cursor: string | undefined = encodeCursor({ part: 'groups' });
    do {
      const page = await client.listResources({ cursor });
      seen.push(page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    return seen;
  };

  it('sends no empty page: a part with nothing in it (no proposals, no meetings) is passed over', async () => {
    // no proposals: the agendas follow the charters on the one page (an empty page came between)
    await scheduleMeeting(hub, await asActor(hub, 'sam'), {
      group: 'hosting',
      kind: 'process',
      title: 'Hosting WG coordination',
      startsAt: '2026-11-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    expect(await pages()).toEqual([
      ['wghub://governance', 'wghub://log/tail', 'wghub://groups/hosting/charter', 'wghub://meetings/M-1/agenda'],
    ]);
  });

  it('fills each page to the page size across parts, and the last has no nextCursor', async () => {
    for (let n = 1; n <= PAGE_SIZE; n++)
      await createProposal(hub, await asActor(hub, 'sam'), {
        title: `Proposal number ${n}`,
        problem: 'A problem stated at enough length to count as one.',
        layer: 'working-group-artifact',
        group: 'hosting',
      });
    const seen = await pages();
    // the fixed two, the charter, then proposals to the page size; the rest on the next, and no empty last page
    expect(seen.map((p) => p.length)).toEqual([PAGE_SIZE, 3]);
    expect(seen[0]!.slice(0, 4)).toEqual([
      'wghub://governance',
      'wghub://log/tail',
      'wghub://groups/hosting/charter',
      expect.stringMatching(/^wghub:\/\/proposals\//),
    ]);
    const all = seen.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((u) => u.startsWith('wghub://proposals/'))).toHaveLength(PAGE_SIZE);
  });
});

// Attack round 25: in a community whose documents have a prefix of their own (RFC-12), what was typed
// was read for that prefix before its length was bounded, by patterns that grow with the square of a
// run of digits: 100,000 digits and a letter held the event loop 15 s (a megabyte, minutes).
describe.each(databases)('completing references in the community words on $name', (database) => {
  it('completes a long run of digits and a letter with nothing, as in a community citing SEP', async () => {
    const hub = await openTestHub(database);
    hub.governance = sensoriumGovernance();
    const client = new Client({ name: 'test', version: '1' });
    try {
      const priya = await person(hub, 'priya');
      await createProposal(hub, priya, {
        title: 'Sessions across hosts',
        problem: 'Sessions need affinity when a server is scaled across hosts.',
        layer: 'specification',
      });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await createWghubMcpServer(hub, { actor: priya }).connect(a);
      await client.connect(b);
      const complete = (value: string) =>
        client.complete({
          ref: { type: 'ref/resource', uri: 'wghub://proposals/{ref}' },
          argument: { name: 'ref', value },
        });
      for (const value of [`${'9'.repeat(200_000)}x`, `RFC-${'1'.repeat(200_000)}x`])
        expect((await complete(value)).completion.values).toEqual([]);
      // a reference in the community's words still completes
      expect((await complete('P-')).completion.values).toEqual(['P-1']);
      expect((await complete('RFC-')).completion.values).toEqual([]);
      // one cited as an RFC completes as the community cites it, typed with its prefix
      const cited = await createProposal(hub, priya, {
        title: 'Tokens for hosted servers',
        problem: 'Hosted servers need tokens scoped to one tenant at a time.',
        layer: 'specification',
      });
      await hub.store.db
        .updateTable('proposals')
        .set({ sep_number: 1 })
        .where('number', '=', Number(cited.ref.slice(2)))
        .execute();
      expect((await complete('RFC-')).completion.values).toEqual(['RFC-1']);
      expect((await complete('RFC-1')).completion.values).toEqual(['RFC-1']);
      expect((await complete('RF')).completion.values).toEqual(['RFC-1']);
    } finally {
      await client.close();
      await hub.close();
    }
  });
});

// Review of attack round 25: the draft_proposal prompt offered a retired group, which takes no new
// proposals; a charter's resource still completes it (a retired group's charter is read as ever).
describe.each(databases)('completing a group for a new proposal on $name', (database) => {
  it('leaves a retired group out of the draft prompt, and keeps it for reading its charter', async () => {
    const hub = await openTestHub(database);
    const client = new Client({ name: 'test', version: '1' });
    try {
      const sam = await person(hub, 'sam', { role: 'member' });
      const cora = await person(hub, 'cora', { role: 'core-maintainer' });
      await hostingGroup(hub, sam, 'sam');
      await moveGroup(hub, cora, 'hosting', { to: 'retired' });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await createWghubMcpServer(hub, { actor: sam }).connect(a);
      await client.connect(b);
      const draft = await client.complete({
        ref: { type: 'ref/prompt', name: 'draft_proposal' },
        argument: { name: 'group', value: 'ho' },
      });
      expect(draft.completion.values).toEqual([]);
      const charter = await client.complete({
        ref: { type: 'ref/resource', uri: 'wghub://groups/{slug}/charter' },
        argument: { name: 'slug', value: 'ho' },
      });
      expect(charter.completion.values).toEqual(['hosting']);
    } finally {
      await client.close();
      await hub.close();
    }
  });
});
