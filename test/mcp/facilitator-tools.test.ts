// The facilitator's tools over Streamable HTTP, on both databases: they act as the token's person
// through the same policies as the web and REST, and a refusal reaches the model in words.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { getGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { addAgendaItem } from '../../src/app/meetings/agenda.ts';
import { scheduleMeeting } from '../../src/app/meetings/meetings.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { createProposal, moveProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient, text } from './support.ts';

function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<{ url: string; server: ServerType }> {
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 });
  return new Promise((resolve) =>
    server.once('listening', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, server }),
    ),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: tool outputs are read loosely here; their schemas are checked in server.test.ts
type Loose = Record<string, any>;
const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: Loose; content: unknown };

describe.each(databases)('facilitator tools on $name', (database) => {
  let hub: TestHub;
  let main: { url: string; server: ServerType };
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member' });
    await person(hub, 'priya', { role: 'member' });
    await person(hub, 'jonas');
    await person(hub, 'kai', { role: 'lead-maintainer' });
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    for (const h of ['sam', 'jonas', 'kai', 'priya']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    main = await listen(createHttpApp(hub).fetch);
  });
  afterAll(async () => {
    main?.server.close();
    await hub?.close();
  });

  it('a lead sets levels and adds a topic area; a maintainer sponsors and activates; a member leaves', async () => {
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const refused = await call(await httpClient(main.url, 'modern', tokens.jonas), 'set_member_level', {
      group: 'hosting',
      handle: 'jonas',
      level: 'lead',
    });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/Only .* may change a member's level in the group/);

    // priya is not in the group: setting her level invites her, and she is in it once she accepts
    const set = await call(sam, 'set_member_level', { group: 'hosting', handle: 'priya', level: 'member' });
    expect(set.structuredContent!.items.map((m: { handle: string }) => m.handle).sort()).toEqual(['sam']);
    expect(set.structuredContent!.invitation).toMatchObject({ handle: 'priya', level: 'member', state: 'open' });
    // the tool is annotated idempotent: the same call again answers with the same invitation
    const repeated = await call(sam, 'set_member_level', { group: 'hosting', handle: 'priya', level: 'member' });
    expect(repeated.isError).toBeFalsy();
    expect(repeated.structuredContent!.invitation.id).toBe(set.structuredContent!.invitation.id);
    const priya = await httpClient(main.url, 'modern', tokens.priya);
    const mine = await call(priya, 'list_my_invitations', {});
    // what_needs_me lists it too, by the id accept_invitation takes
    const needs = await call(priya, 'what_needs_me', {});
    expect(
      needs
        .structuredContent!.items.filter((n: { kind: string }) => n.kind === 'invitation')
        .map((n: { id: string }) => n.id),
    ).toEqual([set.structuredContent!.invitation.id]);
    expect(mine.structuredContent!.items.map((i: { id: string }) => i.id)).toEqual([
      set.structuredContent!.invitation.id,
    ]);
    const accepted = await call(priya, 'accept_invitation', { id: set.structuredContent!.invitation.id });
    expect(accepted.structuredContent).toMatchObject({ state: 'accepted', answeredBy: 'priya' });
    // accepted again as answered: already so, said with when, and nothing to do
    const twice = await call(priya, 'accept_invitation', { id: set.structuredContent!.invitation.id });
    expect(twice.isError).toBe(true);
    expect(text(twice)).toContain('You already accepted');
    expect(text(twice)).toContain('it is already so, nothing to do');
    const charter = await call(sam, 'get_charter', { group: 'hosting' });
    expect(charter.structuredContent!.group.members.map((m: { handle: string }) => m.handle).sort()).toEqual([
      'priya',
      'sam',
    ]);
    const topic = await call(sam, 'add_topic_area', {
      group: 'hosting',
      slug: 'scaling',
      name: 'Scaling',
      goal: 'both',
      facilitators: ['priya'],
    });
    expect(topic.structuredContent).toMatchObject({ group: 'hosting', slug: 'scaling', goal: 'both' });
    const edited = await call(await httpClient(main.url, 'modern', tokens.priya), 'update_topic_area', {
      group: 'hosting',
      topic: 'scaling',
      cadence: 'every two weeks',
    });
    expect(edited.structuredContent).toMatchObject({ slug: 'scaling', cadence: 'every two weeks' });
    // the whole list of facilitators is replaced only from a read of it: get_topic_area gives the version
    const priyaClient = await httpClient(main.url, 'modern', tokens.priya);
    const unread = await call(priyaClient, 'update_topic_area', {
      group: 'hosting',
      topic: 'scaling',
      facilitators: ['priya', 'sam'],
    });
    expect(unread.isError).toBe(true);
    expect(JSON.stringify(unread.content)).toContain(
      "replacing hosting/scaling's facilitators needs the version you last read",
    );
    const read = await call(priyaClient, 'get_topic_area', { group: 'hosting', topic: 'scaling' });
    expect(read.structuredContent).toMatchObject({
      slug: 'scaling',
      facilitators: [expect.objectContaining({ handle: 'priya' })],
      can: { edit: { allowed: true }, chooseFacilitators: { allowed: false } },
    });
    // who facilitates it is the group's leads' choice: its facilitator may not add one
    const added = await call(priyaClient, 'update_topic_area', {
      group: 'hosting',
      topic: 'scaling',
      facilitators: ['priya', 'sam'],
      version: read.structuredContent!.version,
    });
    expect(added.isError).toBe(true);
    expect(text(added)).toMatch(/Only .* may choose this topic area's facilitators/);
    const replaced = await call(sam, 'update_topic_area', {
      group: 'hosting',
      topic: 'scaling',
      facilitators: ['priya', 'sam'],
      version: read.structuredContent!.version,
    });
    expect(replaced.isError).toBeFalsy();
    const proposed = await call(await httpClient(main.url, 'modern', tokens.priya), 'propose_group', {
      slug: 'registry',
      name: 'Registry',
      kind: 'working',
      mission: 'Agree how MCP servers are published to and found in registries.',
      scopeIn: ['Server metadata'],
      leads: ['priya'],
    });
    expect(proposed.structuredContent).toMatchObject({ slug: 'registry', status: 'proposed' });

    const kai = await httpClient(main.url, 'modern', tokens.kai);
    expect((await call(kai, 'sponsor_group', { group: 'hosting' })).structuredContent!.sponsorship.met).toBe(true);
    expect((await call(kai, 'move_group', { group: 'hosting', to: 'active' })).structuredContent!.status).toBe(
      'active',
    );
    // a lead removes someone who joined (a lead no longer places anyone); someone who may not set levels may not remove anyone
    await call(kai, 'join_group', { group: 'hosting', level: 'participant' });
    const notTheirs = await call(await httpClient(main.url, 'modern', tokens.jonas), 'remove_group_member', {
      group: 'hosting',
      handle: 'kai',
    });
    expect(text(notTheirs)).toMatch(/^forbidden: /);
    // a handle of nobody, or of someone not in the group, names a membership that does not exist,
    // as REST's path does (404) and the CLI (exit 3)
    const nobody = await call(sam, 'remove_group_member', { group: 'hosting', handle: 'nobody-here' });
    expect(text(nobody)).toMatch(/^not found: /);
    const outside = await call(sam, 'remove_group_member', { group: 'hosting', handle: 'jonas' });
    expect(text(outside)).toMatch(/^not found: jonas is not in the group hosting/);
    expect(text(outside)).toContain("get_charter lists a group's members");
    const removed = await call(sam, 'remove_group_member', { group: 'hosting', handle: 'kai' });
    expect(removed.structuredContent!.items.map((m: { handle: string }) => m.handle)).not.toContain('kai');
    expect((await getGroup(hub, 'hosting')).members.map((m) => m.handle)).not.toContain('kai');
    expect((await call(priya, 'leave_group', { group: 'hosting' })).isError).toBeFalsy();
    expect((await getGroup(hub, 'hosting')).members.map((m) => m.handle)).toEqual(['sam']);
    const alone = await call(sam, 'leave_group', { group: 'hosting' });
    expect(alone.isError).toBe(true);
    expect(text(alone)).toContain('only lead');
    expect(text(alone)).toMatch(/^forbidden: /);
    // removing the only lead is refused alike (as REST's 403 and the CLI's exit 4), naming no argument
    const theLead = await call(sam, 'remove_group_member', { group: 'hosting', handle: 'sam' });
    expect(text(theLead)).toMatch(/^forbidden: sam is the group's only active lead: make someone else a lead first/);
  }, 90_000); // a walk of some thirty calls by four clients: 12 s alone, over 30 s at a load of 10

  it('a lead hides a comment over MCP and REST shows readers the reason, not the text', async () => {
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const p = await createProposal(hub, await asActor(hub, 'jonas'), {
      title: 'Draining sessions on deploy',
      problem: 'A deploy drops every open session on a hosted server.',
      examples: ['Rolling deploys'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    const c = await addComment(hub, await asActor(hub, 'jonas'), p.ref, { body: 'Try Zorblax, best in class!' });
    const noReason = await call(sam, 'moderate_comment', { comment: c.id, action: 'hide' });
    expect(noReason.isError).toBe(true);
    expect(text(noReason)).toContain('reason: must say why the comment is hidden');
    const byJonas = await call(await httpClient(main.url, 'modern', tokens.jonas), 'moderate_comment', {
      comment: c.id,
      action: 'hide',
      reason: 'mine',
    });
    expect(text(byJonas)).toContain('Only a group lead or a moderator may hide or lock a comment');
    // an assistant finds the comment with search (no other tool lists comments) and passes what it got
    const found = await call(sam, 'search', { q: 'Zorblax', kind: 'comment' });
    const item = found.structuredContent!.items[0] as { id: string; ref: string };
    expect(item).toMatchObject({ id: `comment:${c.id}`, ref: `${p.ref}#comment-${c.id}` });
    const locked = await call(sam, 'moderate_comment', { comment: item.ref, action: 'lock', reason: 'Settled' });
    expect(locked.structuredContent).toMatchObject({ id: c.id, locked: { reason: 'Settled' } });
    const hidden = await call(sam, 'moderate_comment', { comment: item.id, action: 'hide', reason: 'Advertising' });
    expect(hidden.structuredContent!.hidden).toMatchObject({ by: 'sam', reason: 'Advertising' });

    const app = createHttpApp(hub);
    const items = (await (await app.request(`/api/proposals/${p.ref}/comments`)).json()).items;
    expect(items[0]).toMatchObject({ id: c.id, body: '', hidden: { by: 'sam', reason: 'Advertising' } });
    const history = await app.request(`/api/comments/${c.id}/history`);
    expect(history.status).toBe(403);
    const shown = await app.request(`/api/comments/${c.id}/moderation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.sam}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'unhide' }),
    });
    expect(shown.status).toBe(200);
    expect((await shown.json()).hidden).toBeNull();
    const openapi = await (await app.request('/api/openapi.json')).json();
    expect(openapi.paths['/api/comments/{id}/moderation'].post).toBeDefined();
  });

  it('a lead moves and cancels a meeting, takes an item off, lists late notes and drafts the quarterly update', async () => {
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const { ref } = await scheduleMeeting(hub, await asActor(hub, 'sam'), {
      group: 'hosting',
      kind: 'process',
      title: 'Coordination',
      startsAt: '2026-03-20T16:00:00Z',
    });
    await addAgendaItem(hub, await asActor(hub, 'sam'), ref, { title: 'Old business' });
    const read = (await call(sam, 'get_agenda', { ref })).structuredContent!.version;
    // a write that could undo someone else's needs the version read, named when it is missing
    const blind = await call(sam, 'reschedule_meeting', { ref, startsAt: '2026-03-21T16:00:00Z' });
    expect([blind.isError, text(blind)]).toEqual([true, expect.stringMatching(/version: is required/)]);
    const moved = await call(sam, 'reschedule_meeting', { ref, startsAt: '2026-03-21T16:00:00Z', version: read });
    expect(moved.structuredContent).toMatchObject({ ref, startsAt: '2026-03-21T16:00:00.000Z' });
    // the read before the move is stale now: taking item 1 off from it is refused
    const stale = await call(sam, 'remove_agenda_item', { ref, item: 1, version: read });
    expect(text(stale)).toMatch(/was changed by someone else/);
    const removed = await call(sam, 'remove_agenda_item', { ref, item: 1, version: read + 1 });
    expect(removed.structuredContent!.agenda.items).toEqual([]);
    const jonas = await httpClient(main.url, 'modern', tokens.jonas);
    expect(text(await call(jonas, 'set_meeting_note_taker', { ref, noteTaker: 'jonas', version: read + 2 }))).toMatch(
      /Only .* may name its note-taker/,
    );
    expect(
      (await call(sam, 'set_meeting_note_taker', { ref, noteTaker: 'sam', version: read + 2 })).structuredContent!
        .noteTaker,
    ).toBe('sam');
    expect((await call(sam, 'get_agenda', { ref })).structuredContent!.noteTaker).toBe('sam');
    const byJonas = await call(jonas, 'cancel_meeting', { ref });
    expect(text(byJonas)).toMatch(/Only .* may cancel this meeting/);
    // the version is optional here, but an older one given is refused
    expect(text(await call(sam, 'cancel_meeting', { ref, version: read }))).toMatch(/was changed by someone else/);
    expect((await call(sam, 'cancel_meeting', { ref })).structuredContent!.cancelled).toBe(true);
    expect((await call(sam, 'list_late_notes', {})).structuredContent!.items).toEqual([]);
    const q = await call(sam, 'draft_quarterly_update', { group: 'hosting' });
    expect(q.structuredContent!.markdown).toContain('Hosting');
  });

  it("the meeting tools' version argument publishes the rule the hub holds: a whole number from 1 to the column's largest", async () => {
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const { tools } = await sam.listTools();
    const versions = Object.fromEntries(
      tools
        .filter((t) => (t.inputSchema.properties as Record<string, unknown> | undefined)?.version)
        .map((t) => [t.name, (t.inputSchema.properties as Record<string, { maximum?: number }>).version!.maximum]),
    );
    for (const name of ['reschedule_meeting', 'move_agenda_item', 'add_agenda_item', 'record_meeting_notes'])
      expect(versions[name], name).toBe(2_147_483_647);
  });

  it("set_meeting_note_taker's noteTaker publishes the handle rule the hub holds, as every other handle argument does", async () => {
    // it said only "a string of at most 64", and the hub then refused a 40-character one as no handle
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const { tools } = await sam.listTools();
    const handle = (tools.find((t) => t.name === 'set_member_level')!.inputSchema.properties as Record<string, object>)
      .handle;
    const noteTaker = (
      tools.find((t) => t.name === 'set_meeting_note_taker')!.inputSchema.properties as Record<
        string,
        { anyOf: object[] }
      >
    ).noteTaker;
    const { pattern, minLength } = handle as { pattern: string; minLength: number };
    expect(minLength).toBe(1);
    expect(noteTaker?.anyOf).toEqual([{ type: 'string', minLength, pattern }, { type: 'null' }]);
  });

  it('a lead moves an agenda item up; a stale version and a member without the right are refused in words', async () => {
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const { ref } = await scheduleMeeting(hub, await asActor(hub, 'sam'), {
      group: 'hosting',
      kind: 'process',
      title: 'Ordering',
      startsAt: '2026-03-25T16:00:00Z',
    });
    for (const title of ['First things', 'Second things'])
      await addAgendaItem(hub, await asActor(hub, 'sam'), ref, { title });
    const read = (await call(sam, 'get_agenda', { ref })).structuredContent!;
    const moved = await call(sam, 'move_agenda_item', { ref, item: 2, direction: 'up', version: read.version });
    expect(moved.structuredContent!.agenda.items.map((i: { title: string }) => i.title)).toEqual([
      'Second things',
      'First things',
    ]);
    const stale = await call(sam, 'move_agenda_item', { ref, item: 2, direction: 'up', version: read.version });
    expect(stale.isError).toBe(true);
    expect(text(stale)).toMatch(/was changed by someone else/);
    const blind = await call(sam, 'move_agenda_item', { ref, item: 2, direction: 'up' });
    expect([blind.isError, text(blind)]).toEqual([true, expect.stringMatching(/version: is required/)]);
    const byJonas = await call(await httpClient(main.url, 'modern', tokens.jonas), 'move_agenda_item', {
      ref,
      item: 2,
      direction: 'up',
      version: read.version + 1,
    });
    expect(text(byJonas)).toMatch(/Only .* may change the order of this agenda/);
  });

  it("a lead changes an agenda item's kind in place; a stale version, none, and a member without the right are refused in words", async () => {
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const { ref } = await scheduleMeeting(hub, await asActor(hub, 'sam'), {
      group: 'hosting',
      kind: 'process',
      title: 'Kinds',
      startsAt: '2026-03-25T15:00:00Z',
    });
    await addAgendaItem(hub, await asActor(hub, 'sam'), ref, { title: 'Transport deep-dive', kind: 'content' });
    const read = (await call(sam, 'get_agenda', { ref })).structuredContent!;
    expect(read.agenda.items[0].can.changeKind).toEqual({ allowed: true });
    const changed = await call(sam, 'change_agenda_item_kind', {
      ref,
      item: 1,
      kind: 'process',
      version: read.version,
    });
    expect(changed.isError).toBeFalsy();
    expect(changed.structuredContent!.agenda.items[0]).toMatchObject({ title: 'Transport deep-dive', kind: 'process' });
    expect(changed.structuredContent!.version).toBe(read.version + 1);
    const stale = await call(sam, 'change_agenda_item_kind', { ref, item: 1, kind: 'content', version: read.version });
    expect([stale.isError, text(stale)]).toEqual([true, expect.stringMatching(/was changed by someone else/)]);
    const blind = await call(sam, 'change_agenda_item_kind', { ref, item: 1, kind: 'content' });
    expect([blind.isError, text(blind)]).toEqual([true, expect.stringMatching(/version: is required/)]);
    const byJonas = await call(await httpClient(main.url, 'modern', tokens.jonas), 'change_agenda_item_kind', {
      ref,
      item: 1,
      kind: 'content',
      version: read.version + 1,
    });
    expect(byJonas.isError).toBe(true);
    expect(text(byJonas)).toMatch(/Only .* may change this item's kind/);
    const { tools } = await sam.listTools();
    expect(tools.find((t) => t.name === 'change_agenda_item_kind')!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
  });

  it("move_stage into the pull request stage asks for the pull request's link, and get_proposal shows it recognised", async () => {
    const lead = await asActor(hub, 'sam');
    const { ref } = await createProposal(hub, lead, {
      title: 'A guide to graceful shutdown',
      problem: 'Hosted MCP servers drop in-flight tool calls when a pod is stopped during a deploy.',
      examples: ['A rolling deploy cut a 10-minute export'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    for (const to of ['prior-work-checked', 'community-discussion', 'tracked', 'forum-discussion', 'refining'])
      await moveProposal(hub, lead, ref, { to });
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const read = (await call(sam, 'get_proposal', { ref })).structuredContent!;
    expect(read.allowedMoves.find((m: { to: string }) => m.to === 'pull-request').requiresPullRequest).toBe(true);
    const blind = await call(sam, 'move_stage', { ref, to: 'pull-request' });
    expect([blind.isError, text(blind)]).toEqual([
      true,
      expect.stringMatching(/pullRequest: moving to pull-request needs/),
    ]);
    const plain = await call(sam, 'move_stage', {
      ref,
      to: 'pull-request',
      pullRequest: 'http://github.com/a/b/pull/1',
    });
    expect([plain.isError, text(plain)]).toEqual([true, expect.stringMatching(/pullRequest: must be an https URL/)]);
    const moved = await call(sam, 'move_stage', {
      ref,
      to: 'pull-request',
      pullRequest: 'https://github.com/modelcontextprotocol-community/working-groups/pull/77',
    });
    expect(moved.isError).toBeFalsy();
    expect(moved.structuredContent!.stage).toBe('pull-request');
    expect(moved.structuredContent!.pullRequest).toEqual({
      url: 'https://github.com/modelcontextprotocol-community/working-groups/pull/77',
      github: { repo: 'modelcontextprotocol-community/working-groups', number: 77 },
      mirrored: null,
    });
  });

  it('a lead ends a series that has begun from a day, with a reason; a member without the right is refused', async () => {
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const { ref } = await scheduleMeeting(hub, await asActor(hub, 'sam'), {
      group: 'hosting',
      kind: 'process',
      title: 'Weekly',
      startsAt: '2026-03-03T15:00:00Z',
      timeZone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
    });
    const byJonas = await call(await httpClient(main.url, 'modern', tokens.jonas), 'end_meeting_series', {
      ref,
      from: '2026-03-30',
      reason: 'Not mine to end',
      version: 1,
    });
    expect(text(byJonas)).toMatch(/Only .* may end this series/);
    const { version } = (await call(sam, 'get_agenda', { ref })).structuredContent!;
    // the version is required: an end from no read could overwrite a change made since
    const blind = await call(sam, 'end_meeting_series', { ref, from: '2026-03-30', reason: 'We meet monthly now' });
    expect([blind.isError, text(blind)]).toEqual([true, expect.stringMatching(/version: is required/)]);
    const far = await call(sam, 'end_meeting_series', { ref, from: '2030-01-01', reason: 'Some day', version });
    expect(text(far)).toMatch(/from: must be within a year of today/);
    const ended = await call(sam, 'end_meeting_series', {
      ref,
      from: '2026-03-30',
      reason: 'We meet monthly now',
      version,
    });
    expect(ended.structuredContent).toMatchObject({
      ref,
      seriesEnd: { from: '2026-03-30', reason: 'We meet monthly now' },
    });
  });

  it('a person asks to become a member; the lead lists the request and accepts it', async () => {
    await person(hub, 'newt');
    const newt = await httpClient(main.url, 'modern', (await createToken(hub, SYSTEM, 'newt')).token);
    const sam = await httpClient(main.url, 'modern', tokens.sam);
    const asked = await call(newt, 'ask_to_be_member', { group: 'hosting', note: 'I run a cluster' });
    expect(asked.structuredContent).toMatchObject({ handle: 'newt', answer: null });
    expect(text(await call(newt, 'ask_to_be_member', { group: 'hosting' }))).toMatch(/You have asked already/);
    const mine = (await call(newt, 'list_membership_requests', { group: 'hosting' })).structuredContent!;
    expect(mine.items).toEqual([]);
    // the asker reads the state of their own request
    expect(mine.yourRequest).toMatchObject({ id: asked.structuredContent!.id, answer: null, askAgainFrom: null });
    // withdrawn (only by the asker) and asked again
    expect(text(await call(sam, 'withdraw_membership_request', { group: 'hosting' }))).toMatch(
      /You have no open request to become a member of this group/,
    );
    const withdrawn = await call(newt, 'withdraw_membership_request', { group: 'hosting' });
    expect(withdrawn.structuredContent).toMatchObject({ handle: 'newt', answer: 'withdrawn', askAgainFrom: null });
    expect((await call(newt, 'ask_to_be_member', { group: 'hosting' })).isError).toBeFalsy();
    const open = (await call(sam, 'list_membership_requests', { group: 'hosting' })).structuredContent!;
    expect(open.items.map((r: { handle: string }) => r.handle)).toEqual(['newt']);
    const answered = await call(sam, 'answer_membership_request', {
      group: 'hosting',
      id: open.items[0].id,
      answer: 'accepted',
    });
    expect(answered.structuredContent).toMatchObject({ handle: 'newt', answer: 'accepted', level: 'member' });
  });

  it('REST: the group carries `can` for the token, and DELETE /members/me leaves (in the OpenAPI document)', async () => {
    const app = createHttpApp(hub);
    const get = async (token?: string) =>
      (await app.request('/api/groups/hosting', { headers: token ? { authorization: `Bearer ${token}` } : {} })).json();
    expect((await get()).can.setMemberLevel).toEqual({ allowed: false, reason: 'Sign in first', remedy: 'sign-in' });
    expect((await get(tokens.sam)).can.setMemberLevel).toEqual({ allowed: true });
    await app.request('/api/groups/hosting/members', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.jonas}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect((await get(tokens.jonas)).can.leave).toEqual({ allowed: true });
    const left = await app.request('/api/groups/hosting/members/me', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.jonas}` },
    });
    expect(left.status).toBe(200);
    expect((await left.json()).items.some((m: { handle: string }) => m.handle === 'jonas')).toBe(false);
    const openapi = await (await app.request('/api/openapi.json')).json();
    expect(openapi.paths['/api/groups/{slug}/members/me'].delete).toBeDefined();
  });
});
