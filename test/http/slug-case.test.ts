// A group's or topic area's short name is read through one resolver on every edge (`slugAsStored`,
// `SlugRef`): capitals read as the lowercase it is stored in, so /api/groups/Hosting and hosting are the
// same group in REST paths, bodies and query filters, MCP tools' arguments and the web's addresses (which
// redirect to the address as stored). Before, only subscriptions folded: REST answered 404 for
// /api/groups/Hosting and 422 for {group: "Hosting"}, MCP refused the argument. A lookalike (the Kelvin
// sign for k) still names nothing.
import type { ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, person, type TestHub } from '../support/hub.ts';
import { joinGroup } from '../../src/app/groups/groups.ts';
import { getTopicArea, listTopicAreas } from '../../src/app/groups/topic-areas.ts';
import { topicCalendar } from '../../src/app/meetings/calendar.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';
import { signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('a short name with capitals names the same group on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let token: string;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
    token = (await createToken(hub, SYSTEM, 'sam-lead')).token;
  });
  afterEach(async () => hub?.close());

  const rest = (path: string, body?: unknown) =>
    app.request(path, {
      method: body ? 'POST' : 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('REST: paths, query filters and bodies read Hosting as hosting; a lookalike names nothing', async () => {
    const group = await rest('/api/groups/Hosting');
    expect(group.status).toBe(200);
    expect((await group.json()).slug).toBe('hosting');
    const topic = await rest('/api/groups/HOSTING/topics/Horizontal-Scaling');
    expect(topic.status, await topic.clone().text()).toBe(200);
    expect((await topic.json()).slug).toBe('horizontal-scaling');
    const filtered = await rest('/api/decisions?group=Hosting');
    expect(filtered.status, await filtered.clone().text()).toBe(200);
    const same = await rest('/api/decisions?group=hosting');
    expect((await filtered.json()).items).toEqual((await same.json()).items);
    const opened = await rest('/api/decisions', {
      group: 'Hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly?',
      significance: 'minor',
    });
    expect(opened.status, await opened.clone().text()).toBe(201);
    expect((await opened.json()).group).toBe('hosting');
    // the Kelvin sign is not k: no group, and in a body the rule is named
    expect((await rest('/api/groups/\u212Aosting'.replace('\u212A', encodeURIComponent('\u212A')))).status).toBe(404);
    const lookalike = await rest('/api/decisions', {
      group: 'Hosting\u212A',
      subject: { type: 'process' },
      question: 'Meet weekly?',
      significance: 'minor',
    });
    expect(lookalike.status).toBe(422);
    expect((await lookalike.json()).errors).toContainEqual(
      expect.objectContaining({
        field: 'group',
        rule: 'must be letters, digits and single hyphens (capitals read as lowercase), e.g. "server-card"',
      }),
    );
  });

  it('the web: /groups/Hosting redirects to the address as stored', async () => {
    const page = await app.request('/groups/Hosting/topics/Horizontal-Scaling/edit?x=1');
    expect(page.status).toBe(301);
    expect(page.headers.get('location')).toBe('/groups/hosting/topics/horizontal-scaling/edit?x=1');
    const form = await app.request('/groups/Hosting/join', { method: 'POST' });
    expect(form.status).toBe(308);
    expect(form.headers.get('location')).toBe('/groups/hosting/join');
    // a name with an escaped letter is no short name: not redirected to its escape in other capitals
    const escaped = await app.request('/groups/Caf%C3%A9');
    expect(escaped.status).toBe(404);
    expect(escaped.headers.get('location')).toBeNull();
    const topic = await app.request('/groups/hosting/topics/Caf%C3%A9');
    expect(topic.headers.get('location')).toBeNull();
  });

  it('the web: ?group=Hosting on a page filters, chooses and links the group as ?group=hosting does', async () => {
    const chosen = /<option value="hosting" selected>/;
    for (const page of ['/decisions', '/proposals', '/meetings']) {
      const res = await app.request(`${page}?group=Hosting`);
      expect(res.status, page).toBe(200);
      expect(await res.text(), page).toMatch(chosen);
    }
    const docs = await (await app.request('/artifacts?group=Hosting')).text();
    expect(docs).toContain('<h1>Documents of <a href="/groups/hosting">hosting</a></h1>');
    // a lead opening the forms from the group's links: the form starts in that group
    const sam = await signInAs(app, 'sam-lead');
    expect((await sam.get('/proposals/new?group=Hosting')).html).toMatch(chosen);
    const meetings = (await sam.get('/meetings?group=Hosting')).html;
    expect(meetings).toContain('href="/meetings/new?group=hosting"');
  });

  // the folding is the lookup's (`groupRow`, `topicRow`), not each edge's: a use case reached by an edge
  // that reads a name as typed (a new one, or REST's paths, which no longer fold) finds the group, shows
  // it and records it as stored. Before, a use case given Hosting answered 404 (the topic area's
  // calendar), or would have recorded and shown the name as typed.
  it('the use cases: Hosting is looked up, shown and recorded as hosting, whatever edge named it', async () => {
    const areas = await listTopicAreas(hub, 'Hosting');
    expect(areas.length).toBeGreaterThan(0);
    expect(new Set(areas.map((t) => t.group))).toEqual(new Set(['hosting']));
    const area = await getTopicArea(hub, 'HOSTING', 'Horizontal-Scaling', null);
    expect([area.group, area.slug]).toEqual(['hosting', 'horizontal-scaling']);
    expect(await topicCalendar(hub, 'Hosting', 'Horizontal-Scaling')).toContain('BEGIN:VCALENDAR');
    const ana = await person(hub, 'ana');
    await joinGroup(hub, ana, 'Hosting', { level: 'participant' });
    const joined = await hub.store.db
      .selectFrom('events')
      .select(['subject_type', 'subject_id'])
      .where('kind', '=', 'group.member-joined')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(joined).toEqual({ subject_type: 'group', subject_id: 'hosting' });
    // REST's paths reach them as typed, and read the same
    const listed = await rest('/api/groups/Hosting/topics');
    expect(listed.status).toBe(200);
    expect(new Set((await listed.json()).items.map((t: { group: string }) => t.group))).toEqual(new Set(['hosting']));
    const calendar = await rest('/api/groups/Hosting/topics/Horizontal-Scaling/calendar.ics');
    expect(calendar.status, await calendar.clone().text()).toBe(200);
  });

  it("MCP: a tool's group and topic arguments read Hosting as hosting", async () => {
    const main: { url: string; server: ServerType } = await serveMcpOverHttp(hub);
    try {
      const client = await httpClient(main.url, 'modern', token);
      // biome-ignore lint/suspicious/noExplicitAny: read loosely
      const call = async (name: string, args: Record<string, unknown>): Promise<any> =>
        client.callTool({ name, arguments: args });
      const charter = await call('get_charter', { group: 'Hosting' });
      expect(charter.isError, JSON.stringify(charter.content)).toBeFalsy();
      expect(charter.structuredContent.group.slug).toBe('hosting');
      const listed = await call('list_decisions', { group: 'HOSTING' });
      expect(listed.isError, JSON.stringify(listed.content)).toBeFalsy();
      await client.close();
    } finally {
      main.server.close();
    }
  });
});
