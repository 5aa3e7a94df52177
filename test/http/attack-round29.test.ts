// What attack round 29 found at the hub's edges, on both databases: a number past what JSON reads
// (1e309) was told as "null" on REST and MCP; a web form sent as JSON or text/plain was told its
// security token had expired, which it had not; a form field sent as a file was read as no value
// and refused for its length, or dropped without a word.
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('attack round 29 on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let token: string;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
    token = (await createToken(hub, SYSTEM, 'sam-lead')).token;
  });
  afterEach(async () => hub?.close());

  const signedIn = async (handle: string) => {
    const w = new WebClient(app);
    await w.get('/sign-in');
    expect((await w.post('/sign-in/demo', { handle })).status).toBe(303);
    return w;
  };
  const proposals = async () => (await hub.store.db.selectFrom('proposals').select('id').execute()).length;

  it('a number past what JSON reads (1e309) is named as such, not as null, on REST and MCP', async () => {
    const rest = await app.request('/api/meetings', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"group":"hosting","kind":"process","title":"Big numbers","startsAt":"2030-01-10T16:00:00Z","durationMinutes":1e309}',
    });
    expect(rest.status).toBe(422);
    expect(((await rest.json()) as { errors: unknown[] }).errors).toEqual([
      {
        field: 'durationMinutes',
        rule: 'must be a number (a number past 1.8e308, which JSON reads as infinite, is not)',
      },
    ]);
    // and past -1.8e308 (read as -Infinity), named with its sign
    const negative = await app.request('/api/meetings', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"group":"hosting","kind":"process","title":"Big numbers","startsAt":"2030-01-10T16:00:00Z","durationMinutes":-1e309}',
    });
    expect(negative.status).toBe(422);
    expect(((await negative.json()) as { errors: unknown[] }).errors).toEqual([
      {
        field: 'durationMinutes',
        rule: 'must be a number (a number past -1.8e308, which JSON reads as infinite, is not)',
      },
    ]);
    const mcp = await app.request('http://127.0.0.1/mcp', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
        host: '127.0.0.1',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_proposals","arguments":{"limit":-1e309}}}',
    });
    const answer = await mcp.text();
    expect(answer).toContain(
      'limit: must be a whole number written in digits (a number past -1.8e308, which JSON reads as infinite, is not)',
    );
    expect(answer).not.toContain('null is not');
  });

  it('a control character or a broken escape in the query names its parameter', async () => {
    for (const [query, detail] of [
      ['?q=a%00b', 'the query parameter "q" must not contain control characters'],
      ['?q=ok&kind=proposal%0A', 'the query parameter "kind" must not contain control characters'],
      ['?q=ok&cursor=%ZZ', 'the query parameter "cursor" has a malformed %-escape'],
      ['?q=ok&a%01b=1', 'the query parameter name "a%01b" must not contain control characters'],
      // a parameter with no name is named as one
      ['?q=ok&=%00', 'the query parameter "" must not contain control characters'],
    ] as const) {
      const res = await app.request(`/api/search${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { detail: string }).detail, query).toBe(detail);
    }
  });

  it('a chat webhook at port 0 is refused naming url (it was stored, and every post to it failed)', async () => {
    const res = await app.request('/api/groups/hosting/webhooks', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://chat.example.org:0/hook', format: 'slack' }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([
      { field: 'url', rule: 'must name a port from 1 to 65535, or none (port 0 reaches nothing)' },
    ]);
    expect(await hub.store.db.selectFrom('group_webhooks').select('id').execute()).toEqual([]);
  });

  it('a compressed body (Content-Encoding: gzip) is refused 415 naming the header, each edge in its own shape after its token, nothing stored', async () => {
    const gz = gzipSync(
      JSON.stringify({ title: 'Sent compressed', problem: 'A problem long enough to pass', layer: 'specification' }),
    );
    const rule = 'the hub reads a body as sent, uncompressed ("gzip" was sent); send it without a Content-Encoding';
    const send = (path: string, type: string, body: Uint8Array | undefined, auth = true) =>
      app.request(path, {
        method: 'POST',
        headers: {
          ...(auth ? { authorization: `Bearer ${token}` } : {}),
          'content-type': type,
          'content-encoding': 'gzip',
          accept: 'application/json, text/event-stream',
          host: '127.0.0.1',
          ...(body ? { 'content-length': String(body.byteLength) } : {}),
        },
        body,
      });
    // REST: as its Content-Type 415, the header named in errors
    const rest = await send('/api/proposals', 'application/json', gz);
    expect(rest.status).toBe(415);
    expect(rest.headers.get('accept-encoding')).toBe('identity');
    expect(await rest.json()).toMatchObject({
      detail: `Content-Encoding: ${rule}`,
      errors: [{ field: 'Content-Encoding', rule }],
    });
    // /mcp: as its Content-Type 415, a JSON-RPC error
    const mcp = await send('http://127.0.0.1/mcp', 'application/json', gz);
    expect(mcp.status).toBe(415);
    expect(mcp.headers.get('accept-encoding')).toBe('identity');
    expect(await mcp.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: `Unsupported Media Type: Content-Encoding: ${rule}` },
      id: null,
    });
    // the web: a problem before the form is read
    const web = await send('/proposals/new', 'application/x-www-form-urlencoded', gz);
    expect(web.status).toBe(415);
    expect(web.headers.get('accept-encoding')).toBe('identity');
    expect(((await web.json()) as { detail: string }).detail).toBe(`Content-Encoding: ${rule}`);
    expect(await proposals()).toBe(0);
    // with no token, REST and /mcp say 401 whatever the body holds
    expect((await send('/api/proposals', 'application/json', gz, false)).status).toBe(401);
    expect((await send('http://127.0.0.1/mcp', 'application/json', gz, false)).status).toBe(401);
    // with no body there is nothing to decode: read as any body-less write (here, missing its fields)
    const none = await send('/api/proposals', 'application/json', undefined);
    expect(none.status).toBe(422);
    // none, or identity, is read as before
    const plain = await app.request('/api/proposals', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: JSON.stringify({ title: 'Sent as is', problem: 'A problem long enough to pass', layer: 'specification' }),
    });
    expect(plain.status).toBe(201);
  });

  it('a web form sent as JSON or text/plain is refused naming the type sent, not told its token expired', async () => {
    const lead = await signedIn('sam-lead');
    await lead.get('/proposals/new');
    const fields = { _csrf: lead.csrf ?? '', title: 'Typed as JSON', problem: 'A problem long enough to pass' };
    for (const [contentType, body] of [
      ['application/json', JSON.stringify(fields)],
      ['text/plain; charset=utf-8', new URLSearchParams(fields).toString()],
    ] as const) {
      const r = await lead.post('/proposals/new', {}, { raw: { body, contentType } });
      expect(r.status, contentType).toBe(422);
      const text = pageText(r.html);
      expect(text).toContain(
        `(body): must be a form, sent as application/x-www-form-urlencoded or multipart/form-data (${contentType.split(';')[0]} was sent)`,
      );
      expect(text).not.toContain('expired');
    }
    expect(await proposals()).toBe(0);
  });

  it('a form field sent as a file is refused naming the field, not read as empty or dropped', async () => {
    const lead = await signedIn('sam-lead');
    await lead.get('/proposals/new');
    const part = (name: string, value: string, file?: string) =>
      `--XyZ\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: text/plain` : ''}\r\n\r\n${value}\r\n`;
    const body = `${[
      part('_csrf', lead.csrf ?? ''),
      part('title', 'A title typed in a file', 'title.txt'),
      part('problem', 'A problem long enough to pass the rule of twenty characters'),
      part('examples', 'Examples from a file', 'examples.txt'),
      part('layer', 'specification'),
    ].join('')}--XyZ--\r\n`;
    const r = await lead.post(
      '/proposals/new',
      {},
      { raw: { body, contentType: 'multipart/form-data; boundary=XyZ' } },
    );
    expect(r.status).toBe(422);
    const text = pageText(r.html);
    expect(text).toContain('title: must be text typed in the form, not a file (no form on this hub takes one)');
    expect(text).toContain('examples: must be text typed in the form, not a file');
    expect(await proposals()).toBe(0);
  });

  it('a body sent with no Content-Type is refused naming that none was sent, not told its token expired', async () => {
    const lead = await signedIn('sam-lead');
    await lead.get('/proposals/new');
    const body = new URLSearchParams({
      _csrf: lead.csrf ?? '',
      title: 'No type',
      problem: 'A problem long enough to pass',
    });
    const r = await lead.post('/proposals/new', {}, { raw: { body: body.toString(), contentType: '' } });
    expect(r.status).toBe(422);
    const text = pageText(r.html);
    expect(text).toContain(
      '(body): must be a form, sent as application/x-www-form-urlencoded or multipart/form-data (none was sent)',
    );
    expect(text).not.toContain('expired');
    expect(await proposals()).toBe(0);
  });

  it('a field both repeated and sent as a file is named once, and file fields past ten are counted', async () => {
    const lead = await signedIn('sam-lead');
    await lead.get('/proposals/new');
    const part = (name: string, value: string, file?: string) =>
      `--XyZ\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: text/plain` : ''}\r\n\r\n${value}\r\n`;
    const files = Array.from({ length: 12 }, (_, i) => part(`extra${i}`, 'x', `extra${i}.txt`));
    const body = `${[
      part('_csrf', lead.csrf ?? ''),
      part('title', 'A title typed'),
      part('title', 'A title in a file', 'title.txt'),
      part('problem', 'A problem long enough to pass the rule of twenty characters'),
      ...files,
    ].join('')}--XyZ--\r\n`;
    const r = await lead.post(
      '/proposals/new',
      {},
      { raw: { body, contentType: 'multipart/form-data; boundary=XyZ' } },
    );
    expect(r.status).toBe(422);
    const text = pageText(r.html);
    expect(text.split('title: ').length - 1).toBe(1);
    expect(text).toContain('title: must be text typed in the form, not a file');
    expect(text).not.toContain('title: is sent 2 times');
    // the first ten named (title and nine files), the other three counted
    expect(text).toContain('extra8: must be text typed in the form');
    expect(text).not.toContain('extra9:');
    expect(text).toContain('(body): names 3 more fields sent more than once or as files');
    expect(await proposals()).toBe(0);
  });
});
