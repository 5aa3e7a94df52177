// A limit on text counts characters as people do (code points): a title of at most 200 takes 200
// emoji, not 100, the refusal names the limit in the same unit, and what was taken is stored and
// read back whole on both databases. The input schemas count so through zod; the bounds checked by
// hand (an MCP client's name, a name cut to fit at sign-in) count the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { characterCount, firstCharacters, oneLineFrom } from '../../src/domain/text.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';

const EMOJI = '🚀'; // one character, two UTF-16 units
const LEAF = '𠀋'; // a CJK extension character: one character, two UTF-16 units

describe('counting characters', () => {
  it('counts code points, and cuts between them', () => {
    expect(characterCount(EMOJI.repeat(200))).toBe(200);
    expect(characterCount(`a${LEAF}b`)).toBe(3);
    expect(firstCharacters(EMOJI.repeat(5), 3)).toBe(EMOJI.repeat(3));
    expect(firstCharacters(`ab${EMOJI}c`, 3)).toBe(`ab${EMOJI}`);
    expect(oneLineFrom(EMOJI.repeat(250), 200)).toBe(EMOJI.repeat(200));
  });
});

describe.each(databases)('text limits in characters over REST on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let token: string;
  const post = (path: string, body: unknown) =>
    app.request(path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    hub = await openTestHub(database);
    app = createHttpApp(hub);
    await person(hub, 'lena', { role: 'lead-maintainer', org: 'Nebula' });
    token = (await createToken(hub, SYSTEM, 'lena')).token;
  });
  afterAll(async () => hub?.close());

  it('takes a proposal title of 200 emoji, refuses 201 naming the limit in characters, and keeps it whole', async () => {
    const proposal = (title: string) => ({
      title,
      problem: 'Clients lose long-running tool calls on reconnect.',
      examples: ['lost export'],
      layer: 'specification',
    });
    const over = await post('/api/proposals', proposal(EMOJI.repeat(201)));
    expect(over.status).toBe(422);
    expect((await over.json()).errors).toEqual([{ field: 'title', rule: 'must be at most 200 characters' }]);
    const made = await post('/api/proposals', proposal(EMOJI.repeat(200)));
    expect(made.status).toBe(201);
    const { ref } = await made.json();
    const read = await (await app.request(`/api/proposals/${ref}`)).json();
    expect(read.title).toBe(EMOJI.repeat(200));
  });

  it("takes a group's name of 120 characters outside the basic plane, and refuses 121", async () => {
    const group = (name: string) => ({
      slug: `g${name.length}`,
      name,
      kind: 'working',
      mission: 'Hosting MCP servers at scale.',
      scopeIn: ['load balancing'],
      leads: ['lena'],
    });
    const over = await post('/api/groups', group(LEAF.repeat(121)));
    expect(over.status).toBe(422);
    expect((await over.json()).errors).toEqual([{ field: 'name', rule: 'must be at most 120 characters' }]);
    const made = await post('/api/groups', group(LEAF.repeat(120)));
    expect(made.status).toBe(201);
    expect((await made.json()).name).toBe(LEAF.repeat(120));
  });

  it("takes an MCP client's name of 100 emoji at registration, as the consent page shows it, and refuses 101", async () => {
    const register = (client_name: string) =>
      app.request('/oauth/register', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name, redirect_uris: ['http://127.0.0.1:9/cb'] }),
      });
    const over = await register(EMOJI.repeat(101));
    expect(over.status).toBe(400);
    expect((await over.json()).error_description).toBe('client_name: must be at most 100 characters');
    const made = await register(EMOJI.repeat(100));
    expect(made.status).toBe(201);
    expect((await made.json()).client_name).toBe(EMOJI.repeat(100));
  });

  it('still tells clients the limit in the OpenAPI document', async () => {
    const spec = await (await app.request('/api/openapi.json')).json();
    expect(JSON.stringify(spec)).toContain('"maxLength":200');
  });
});
