// What attack round 31 found at the hub's edges, on both databases: a body sent with a transfer coding
// besides chunked (`Transfer-Encoding: gzip, chunked`) was read as if plain, a mislabelled one stored; a
// whole number of 17 digits or more was told it was "not written in digits", its quote left open; a path
// holding `..` or `%2e%2e` segments was served as the route they resolve to, not the one a proxy saw; a
// title or name holding U+2028 (a line break to a browser) was stored, a second line under it in every list;
// a charter amendment naming one section twice kept the later text, the earlier lost unseen.
import type { ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { serveHub } from '../../src/http/node-server.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { rawRequest } from '../support/raw-http.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('attack round 31 on $name', (database) => {
  let hub: TestHub;
  let server: ServerType;
  let port: number;
  let token: string;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    token = (await createToken(hub, SYSTEM, 'sam-lead')).token;
    server = serveHub(
      { fetch: createHttpApp(hub, undefined, { web: demo }).fetch },
      { hostname: '127.0.0.1', port: 0 },
    );
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    server?.close();
    await hub?.close();
  });
  const proposals = async () => (await hub.store.db.selectFrom('proposals').select('id').execute()).length;
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as { detail?: string } };
  };

  it('a body sent with a transfer coding besides chunked is refused 501 naming the header, nothing stored: it was read as if plain', async () => {
    const body = JSON.stringify({
      title: 'A body under another coding',
      problem: 'A body framed as gzip and chunked should not be read as plain JSON.',
      layer: 'specification',
      group: 'hosting',
    });
    const chunks = `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const before = await proposals();
    for (const coding of ['gzip, chunked', 'deflate, chunked', 'x-custom, chunked']) {
      const answer = await rawRequest(
        port,
        `POST /api/proposals HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: ${coding}\r\nConnection: close\r\n\r\n${chunks}`,
      );
      expect(answer, coding).toMatch(/^HTTP\/1\.1 501 /);
      expect(answer, coding).toMatch(/content-type: application\/problem\+json/i);
      expect(answer, coding).toContain(
        `Transfer-Encoding: the hub undoes only chunked framing (\\"${coding.split(',')[0]}\\" was sent as well)`,
      );
    }
    // a coding sent on a header line of its own is joined as one list, and refused alike
    const split = await rawRequest(
      port,
      `POST /api/proposals HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}`,
    );
    expect(split).toMatch(/^HTTP\/1\.1 501 /);
    expect(await proposals()).toBe(before);
    // chunked alone, in any case, is read as ever
    const plain = await rawRequest(
      port,
      `POST /api/proposals HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n${chunks}`,
    );
    expect(plain).toMatch(/^HTTP\/1\.1 201 /);
    expect(await proposals()).toBe(before + 1);
  });

  it('a path holding a "." or ".." segment, written or %-escaped, is a 400 naming it: it was served as the route it resolved to', async () => {
    const local = `localhost:${port}`;
    for (const [target, segment] of [
      ['/api/groups/hosting/%2e%2e/%2e%2e/people/priya', '%2e%2e'],
      ['/api/groups/hosting/.%2E/.%2E/people/priya', '.%2E'],
      ['/groups/hosting/../../people/priya', '..'],
      ['/api/groups/hosting/%2e/members', '%2e'],
      [`http://${local}/api/groups/%2e%2e/people/priya`, '%2e%2e'],
    ]) {
      const answer = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: ${local}\r\nConnection: close\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, target).toMatch(/content-type: application\/problem\+json/i);
      expect(answer, target).toContain(
        `the path must not hold a \\".\\" or \\"..\\" segment (\\"${segment}\\" was sent)`,
      );
      // priya's profile was not given out
      expect(answer, target).not.toContain('Priya Nair');
    }
    // a write sent so stores nothing
    const body = JSON.stringify({
      title: 'Dots in the path',
      problem: 'A write whose path resolves elsewhere should not be served there.',
      layer: 'specification',
      group: 'hosting',
    });
    const before = await proposals();
    const write = await rawRequest(
      port,
      `POST /api/groups/%2e%2e/proposals HTTP/1.1\r\nHost: ${local}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(write).toMatch(/^HTTP\/1\.1 400 /);
    expect(await proposals()).toBe(before);
    // dots inside a segment, or in the query, are no segment of their own
    for (const target of ['/api/artifacts/a..b', '/api/search?q=../..', '/api/groups/...']) {
      const answer = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: ${local}\r\nConnection: close\r\n\r\n`);
      expect(answer, target).not.toContain('segment');
    }
  });

  it('a one-line field holding U+2028 or U+2029 (a line break to a browser) is refused naming it; text of several lines keeps them', async () => {
    const post = async (fields: Record<string, string>) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/proposals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ layer: 'specification', group: 'hosting', ...fields }),
      });
      return { status: res.status, body: (await res.json()) as { detail?: string; problem?: string } };
    };
    const before = await proposals();
    for (const [ch, at] of [
      ['\u2028', 'U+2028'],
      ['\u2029', 'U+2029'],
    ]) {
      const r = await post({
        title: `Sessions that resume${ch}Status: accepted by the core maintainers`,
        problem: 'A title that draws a second line of its own under it in every list.',
      });
      expect(r.status, at).toBe(422);
      expect(r.body.detail, at).toBe(`title: must be one line (it has a line break, ${at}, at character 21)`);
    }
    expect(await proposals()).toBe(before);
    // a person's name is one line alike
    const name = await fetch(`http://127.0.0.1:${port}/api/people/sam-lead`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const renamed = await fetch(`http://127.0.0.1:${port}/api/people/sam-lead`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'if-match': name.headers.get('etag')!,
      },
      body: JSON.stringify({ name: 'Sam\u2028Rivera (moderator)' }),
    });
    expect(renamed.status).toBe(422);
    expect(((await renamed.json()) as { detail: string }).detail).toBe(
      'name: must be one line (it has a line break, U+2028, at character 4)',
    );
    // the problem, of several lines, keeps one
    const kept = await post({
      title: 'Sessions that resume',
      problem: 'A paragraph\u2029and another, as a word processor separates them.',
    });
    expect(kept.status).toBe(201);
    expect(kept.body.problem).toContain('\u2029');
  });

  /** An MCP tool call over /mcp as sam-lead, and the text of its answer. */
  const callTool = async (name: string, args: Record<string, unknown>) => {
    const r = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    });
    const raw = await r.text();
    const json = raw.startsWith('{') ? raw : /^data: (.*)$/m.exec(raw)![1]!;
    const result = (JSON.parse(json) as { result: { isError?: boolean; content: { text: string }[] } }).result;
    return { isError: result.isError, text: result.content[0]!.text };
  };

  it('a charter amendment naming one section twice is refused naming the second, on REST and MCP: the later text replaced the earlier unseen, the first lost', async () => {
    const charter = async () => (await fetch(`http://127.0.0.1:${port}/api/groups/hosting/charter.md`)).text();
    const before = await charter();
    const group = await fetch(`http://127.0.0.1:${port}/api/groups/hosting`);
    const etag = group.headers.get('etag')!;
    const version = ((await group.json()) as { version: number }).version;
    const sections = [
      { heading: 'Mission Statement', markdown: 'The mission as the first lead wrote it, at length.' },
      { heading: 'Scope', markdown: '### In Scope\n\n- Hosting\n\n### Out of Scope\n\n- Nothing' },
      { heading: ' mission statement', markdown: 'A second mission.' },
    ];
    const rule =
      "names the section 'mission statement' again (sections[0] replaces it): send each section once, with all of its new text";
    const rest = await fetch(`http://127.0.0.1:${port}/api/groups/hosting`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': etag },
      body: JSON.stringify({ sections, changelog: 'Mission and scope reworded' }),
    });
    expect(rest.status).toBe(422);
    expect(((await rest.json()) as { errors: unknown[] }).errors).toEqual([{ field: 'sections[2].heading', rule }]);
    const mcp = await callTool('edit_charter', { group: 'hosting', version, sections, changelog: 'Mission reworded' });
    expect(mcp.isError).toBe(true);
    expect(mcp.text).toContain(`sections[2].heading: ${rule}`);
    expect(await charter()).toBe(before);
    // each section once is amended, as ever
    const once = await fetch(`http://127.0.0.1:${port}/api/groups/hosting`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': etag },
      body: JSON.stringify({ sections: sections.slice(0, 2), changelog: 'Mission and scope reworded' }),
    });
    expect(once.status).toBe(200);
    expect(await charter()).toContain('The mission as the first lead wrote it, at length.');
  });

  it('a whole number of many digits is named by its bound, not told it is not written in digits; a long wrong one is quoted whole', async () => {
    for (const [query, rule] of [
      ['limit=99999999999999999999999', 'limit: must be at most 200'],
      [`limit=${'9'.repeat(400)}`, 'limit: must be at most 200'],
      ['limit=-12345678901234567890', 'limit: must be at least 1'],
    ]) {
      const r = await get(`/api/proposals?${query}`);
      expect(r.status, query).toBe(422);
      expect(r.body.detail, query).toBe(rule);
    }
    const long = await get('/api/proposals?limit=abcdefghijklmnopqrstuvwxyz');
    expect(long.body.detail).toBe('limit: must be a whole number written in digits ("abcdefghijklmnopqrstu…" is not)');
    // a short one is quoted as sent, as before
    expect((await get('/api/proposals?limit=1e3')).body.detail).toBe(
      'limit: must be a whole number written in digits ("1e3" is not)',
    );
  });
});
