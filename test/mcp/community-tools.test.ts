// Groups, organisations, a person's subscriptions and a group's documents through MCP, over a real loopback
// port with the SDK's client on both databases: each view carries `can` in the community's words,
// the organisation tool's description follows the governance file, bad input names the field, and
// what a tool changes is what the web and REST then show.
import type { ServerType } from '@hono/node-server';
import { serve } from '../support/serve-test.ts';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { placeInGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { importArtifact } from '../../src/app/imports/artifacts.ts';
import { listSubscriptions } from '../../src/app/notifications/subscriptions.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../support/hub.ts';
import { httpClient } from './support.ts';

type Result = { isError?: boolean; structuredContent?: Record<string, any>; content: { text?: string }[] };
const call = async (c: Client, name: string, args: Record<string, unknown> = {}) =>
  (await c.callTool({ name, arguments: args })) as Result;
// no permission id (organisation.create), HTTP path or command a person cannot run
const INTERNAL = /\b[a-z]+\.[a-z][A-Za-z]+\b|\/api\/|--as/;

describe.each(databases)('groups, organisations, subscriptions and documents over MCP on $name', (database) => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};
  let server: ServerType;
  let url: string;
  let anonymous: ServerType;
  let anonymousUrl: string;

  const listen = async (s: ServerType) => {
    await new Promise((resolve) => s.once('listening', resolve));
    return `http://127.0.0.1:${(s.address() as { port: number }).port}/mcp`;
  };

  beforeAll(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    const sam = await person(hub, 'sam', { role: 'member', org: 'Nebula Labs' });
    const priya = await person(hub, 'priya', { org: 'Acme' });
    await person(hub, 'jonas', { org: 'Acme' });
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await placeInGroup(hub, SYSTEM, 'hosting', 'priya', { level: 'member' });
    await createProposal(hub, priya, {
      title: 'Session affinity guide',
      problem: 'Operators cannot scale stateful MCP servers behind a load balancer.',
      examples: ['A gateway loses sessions on every deploy'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await openDecision(hub, sam, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from April?',
      significance: 'minor',
    });
    await importArtifact(
      hub,
      SYSTEM,
      'community-wg-repo/wg/hosting/rfcs/affinity.md',
      '# Session affinity\n\nPin a session.',
      'hosting',
    );
    await importArtifact(
      hub,
      SYSTEM,
      'community-wg-repo/wg/hosting/research/gateways.md',
      '# Gateways we met\n',
      'hosting',
    );
    await importArtifact(hub, SYSTEM, 'community-wg-repo/README.md', '# How we work\n', null);
    for (const h of ['sam', 'priya', 'jonas']) tokens[h] = (await createToken(hub, SYSTEM, h)).token;
    server = serve({ fetch: createHttpApp(hub).fetch, hostname: '127.0.0.1', port: 0 });
    url = await listen(server);
    anonymous = serve({
      fetch: createHttpApp(hub, undefined, { mcp: { anonymousReads: true } }).fetch,
      hostname: '127.0.0.1',
      port: 0,
    });
    anonymousUrl = await listen(anonymous);
  });
  afterAll(async () => {
    server?.close();
    anonymous?.close();
    await hub?.close();
  });

  describe('organisations', () => {
    it('lists organisations with how many work there now, and `can` for adding and affiliating', async () => {
      const c = await httpClient(url, 'modern', tokens.priya);
      const listed = await call(c, 'list_organisations');
      expect(listed.isError).toBeFalsy();
      expect(listed.structuredContent).toEqual({
        items: [
          { slug: 'acme', name: 'Acme', people: 2, can: { affiliate: { allowed: true } } },
          { slug: 'nebula-labs', name: 'Nebula Labs', people: 1, can: { affiliate: { allowed: true } } },
        ],
        can: { add: { allowed: true } },
        nextCursor: null,
      });
      const one = await call(c, 'get_organisation', { slug: 'acme' });
      expect(one.structuredContent).toMatchObject({
        slug: 'acme',
        name: 'Acme',
        can: { affiliate: { allowed: true } },
      });
      expect(one.structuredContent!.people).toEqual([
        { handle: 'jonas', name: 'Jonas', from: '2024-01-01', to: null },
        { handle: 'priya', name: 'Priya', from: '2024-01-01', to: null },
      ]);
    });

    it('a visitor reads them and is told to sign in; an unknown or malformed slug is an error naming it', async () => {
      const c = await httpClient(anonymousUrl, 'legacy');
      const listed = await call(c, 'list_organisations');
      expect(listed.structuredContent!.can.add).toMatchObject({ allowed: false, reason: 'Sign in first' });
      expect(listed.structuredContent!.items[0].can.affiliate).toMatchObject({
        allowed: false,
        reason: 'Sign in first',
      });
      const missing = await call(c, 'get_organisation', { slug: 'orbital' });
      expect(missing.isError).toBe(true);
      expect(missing.content[0]!.text).toContain("organisation 'orbital' does not exist");
      const bad = await call(c, 'get_organisation', { slug: 'Not a slug!' });
      expect(bad.isError).toBe(true);
      expect(bad.content[0]!.text).toContain('slug');
    });

    it("who may add one comes from the governance file, in the tool's description and in `can`", async () => {
      const rules = hub.governance.permissions;
      const describe = async () =>
        (await (await httpClient(url, 'modern', tokens.priya)).listTools()).tools.find(
          (t) => t.name === 'list_organisations',
        )!.description!;
      expect(await describe()).toContain('a contributor or above or a moderator may');
      hub.governance = {
        ...hub.governance,
        permissions: { ...rules, 'organisation.create': { roles: ['moderator'] } },
      };
      try {
        expect(await describe()).toContain('a moderator may');
        expect(await describe()).not.toContain('contributor');
        const c = await httpClient(url, 'modern', tokens.priya);
        const why = (await call(c, 'list_organisations')).structuredContent!.can.add;
        expect(why).toEqual({ allowed: false, reason: 'Only a moderator may add an organisation' });
        expect(why.reason).not.toMatch(INTERNAL);
      } finally {
        hub.governance = { ...hub.governance, permissions: rules };
      }
    });
  });

  describe('subscriptions', () => {
    it('a person watches a proposal and mutes a decision; the list (and the web settings) show it', async () => {
      const c = await httpClient(url, 'modern', tokens.jonas);
      const empty = await call(c, 'list_subscriptions');
      expect(empty.structuredContent).toEqual({ items: [], can: { change: { allowed: true } } });
      const watched = await call(c, 'set_subscription', {
        subjectType: 'proposal',
        subjectRef: '#1',
        level: 'watching',
      });
      expect(watched.isError).toBeFalsy();
      // the reference comes back in its canonical form
      expect(watched.structuredContent).toEqual({
        subjectType: 'proposal',
        subjectRef: 'P-1',
        level: 'watching',
        can: { change: { allowed: true } },
      });
      await call(c, 'set_subscription', { subjectType: 'decision', subjectRef: 'd-1', level: 'muted' });
      const listed = await call(c, 'list_subscriptions');
      expect(listed.structuredContent!.items.map((s: any) => [s.subjectType, s.subjectRef, s.level])).toEqual([
        ['decision', 'D-1', 'muted'],
        ['proposal', 'P-1', 'watching'],
      ]);
      expect((await listSubscriptions(hub, await asActor(hub, 'jonas'))).items.map((s) => s.level)).toEqual([
        'muted',
        'watching',
      ]);
      // someone else's list is their own
      const other = await call(await httpClient(url, 'modern', tokens.priya), 'list_subscriptions');
      expect(other.structuredContent!.items).toEqual([]);
    });

    it('an unknown subject or level is an error naming the field, and changes nothing', async () => {
      const c = await httpClient(url, 'modern', tokens.priya);
      const unknown = await call(c, 'set_subscription', {
        subjectType: 'topic',
        subjectRef: 'nowhere',
        level: 'muted',
      });
      expect(unknown.isError).toBe(true);
      expect(unknown.content[0]!.text).toContain("subjectRef: no topic area 'nowhere'");
      const level = await call(c, 'set_subscription', { subjectType: 'group', subjectRef: 'hosting', level: 'loud' });
      expect(level.isError).toBe(true);
      expect(level.content[0]!.text).toContain('level');
      expect((await call(c, 'list_subscriptions')).structuredContent!.items).toEqual([]);
    });

    it('without a token there is nobody to subscribe: told to sign in, in words', async () => {
      const c = await httpClient(anonymousUrl, 'modern');
      const r = await call(c, 'list_subscriptions');
      expect(r.isError).toBe(true);
      expect(r.content[0]!.text).toMatch(/^unauthenticated: reading subscriptions acts as a person/);
    });
  });

  describe('documents', () => {
    it("lists a group's documents by kind, each saying why it is not edited here", async () => {
      const c = await httpClient(url, 'modern', tokens.sam);
      const listed = await call(c, 'list_documents', { group: 'hosting' });
      expect(listed.isError).toBeFalsy();
      expect(listed.structuredContent!.group).toBe('hosting');
      expect(listed.structuredContent!.items.map((d: any) => [d.kind, d.title, d.group])).toEqual([
        ['research', 'Gateways we met', 'hosting'],
        ['rfc', 'Session affinity', 'hosting'],
      ]);
      const can = listed.structuredContent!.items[0].can;
      expect(can.edit).toEqual({ allowed: false, reason: expect.stringContaining("working group's repository") });
      expect(can.import).toEqual({ allowed: false, reason: expect.stringContaining("hub's operator") });
      expect(`${can.edit.reason} ${can.import.reason}`).not.toMatch(INTERNAL);
      const rfcs = await call(c, 'list_documents', { kind: 'rfc' });
      expect(rfcs.structuredContent!.items.map((d: any) => d.path)).toEqual([
        'community-wg-repo/wg/hosting/rfcs/affinity.md',
      ]);
      const all = await call(c, 'list_documents', {});
      expect(all.structuredContent!.items).toHaveLength(3);
      const badKind = await call(c, 'list_documents', { kind: 'poem' });
      expect(badKind.isError).toBe(true);
      expect(badKind.content[0]!.text).toContain('kind');
    });

    it('reads one with its text and revisions; a new import is a new revision; an unknown path is an error', async () => {
      const c = await httpClient(anonymousUrl, 'modern');
      const path = 'community-wg-repo/wg/hosting/rfcs/affinity.md';
      const first = await call(c, 'get_document', { path });
      expect(first.structuredContent).toMatchObject({
        path,
        title: 'Session affinity',
        kind: 'rfc',
        group: 'hosting',
        body: '# Session affinity\n\nPin a session.',
        version: 1,
      });
      expect(first.structuredContent!.revisions.map((r: any) => r.revision)).toEqual([1]);
      await importArtifact(hub, SYSTEM, path, '# Session affinity\n\nPin a session to one replica.', 'hosting');
      const second = await call(c, 'get_document', { path });
      expect(second.structuredContent).toMatchObject({
        body: '# Session affinity\n\nPin a session to one replica.',
        version: 2,
      });
      expect(second.structuredContent!.revisions.map((r: any) => r.revision)).toEqual([1, 2]);
      const missing = await call(c, 'get_document', { path: 'community-wg-repo/nothing.md' });
      expect(missing.isError).toBe(true);
      expect(missing.content[0]!.text).toContain("'community-wg-repo/nothing.md' does not exist");
    });
  });

  describe('groups', () => {
    it('lists the groups as REST does, filtered and paged, with whether you may propose one', async () => {
      // a second group, an interest group made active, so the filters have something to tell apart
      await proposeGroup(hub, await asActor(hub, 'sam'), {
        slug: 'auth-interest',
        name: 'Auth Interest Group',
        kind: 'interest',
        mission: 'Surface the authorization problems people meet in practice.',
        scopeIn: ['Authorization'],
        leads: ['sam'],
      });
      // (as if sponsored: the sponsorship rules are not what this tests)
      await hub.store.db.updateTable('groups').set({ status: 'active' }).where('slug', '=', 'auth-interest').execute();
      const c = await httpClient(url, 'modern', tokens.sam);
      const listed = await call(c, 'list_groups');
      expect(listed.isError).toBeFalsy();
      expect(listed.structuredContent).toEqual({
        items: [
          {
            slug: 'auth-interest',
            name: 'Auth Interest Group',
            kind: 'interest',
            status: 'active',
            mission: 'Surface the authorization problems people meet in practice.',
            version: expect.any(Number),
          },
          {
            slug: 'hosting',
            name: 'Hosting',
            kind: 'working',
            status: 'proposed',
            mission: 'Share practices for hosting MCP servers at scale.',
            version: expect.any(Number),
          },
        ],
        nextCursor: null,
        can: { propose: { allowed: true } },
      });
      // the same page as GET /api/groups
      const rest = await (await fetch(url.replace(/\/mcp$/, '/api/groups'))).json();
      expect(listed.structuredContent!.items).toEqual(rest.items);
      expect(listed.content[0]!.text).toContain('Auth Interest Group');

      const names = async (args: Record<string, unknown>) =>
        (await call(c, 'list_groups', args)).structuredContent!.items.map((g: { slug: string }) => g.slug);
      expect(await names({ kind: 'working' })).toEqual(['hosting']);
      expect(await names({ status: 'active' })).toEqual(['auth-interest']);
      expect(await names({ status: 'retired' })).toEqual([]);
      const first = await call(c, 'list_groups', { limit: 1 });
      expect(first.structuredContent!.items.map((g: { slug: string }) => g.slug)).toEqual(['auth-interest']);
      expect(await names({ limit: 1, cursor: first.structuredContent!.nextCursor })).toEqual(['hosting']);

      const bad = await call(c, 'list_groups', { status: 'dormant' });
      expect(bad.isError).toBe(true);
      expect(bad.content[0]!.text).toMatch(/^invalid input: status: must be one of: proposed, active, retired\n/);
      const tooMany = await call(c, 'list_groups', { limit: 1000 });
      expect(tooMany.content[0]!.text).toMatch(/^invalid input: limit: must be at most 200\n/);

      const tools = (await c.listTools()).tools;
      expect(tools.find((t) => t.name === 'list_groups')!.annotations?.readOnlyHint).toBe(true);
    });

    it('a contributor is told why they may not propose one, a visitor to sign in', async () => {
      const priya = await httpClient(url, 'legacy', tokens.priya);
      const can = (await call(priya, 'list_groups')).structuredContent!.can.propose;
      expect(can).toEqual({ allowed: false, reason: expect.stringContaining('a member or above') });
      expect(can.reason).not.toMatch(INTERNAL);
      const visitor = await httpClient(anonymousUrl, 'modern');
      const listed = await call(visitor, 'list_groups');
      expect(listed.structuredContent!.items.length).toBeGreaterThan(0);
      expect(listed.structuredContent!.can.propose).toMatchObject({ allowed: false, reason: 'Sign in first' });
    });
  });
});
