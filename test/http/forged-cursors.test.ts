// Every list reads a page cursor through one checked path (src/app/core/cursors.ts): each part of
// the cursor is what the list wrote there (a date and time, an id, a ref, a number, well-formed
// text), and anything else is refused naming `cursor` and the rule, alike on every list and edge.
// Before, the meetings list took a cursor whose time was "x" and answered an empty page, and the
// people list took a lone surrogate (200).
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';
import { databases } from '../support/databases.ts';
import { webHubPerTest } from '../support/web-hub.ts';

const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const RULE = 'must be the nextCursor value of a previous page';

describe.each(databases)('forged page cursors on $name', (database) => {
  const web = webHubPerTest(database, { work: true });

  it('REST: a cursor whose parts are not what the list wrote is refused naming cursor and the rule', async () => {
    const token = (await createToken(web.hub, SYSTEM, 'priya')).token;
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const proposal = (await (await web.app.request('/api/proposals?limit=1', auth)).json()).items[0].ref;
    for (const [url, part] of [
      [`/api/meetings?cursor=${enc(['x', 1])}`, 'part 1 must be a date and time'],
      [`/api/meetings?cursor=${enc(['2026-02-30T10:00:00Z', 1])}`, 'part 1 must be a date and time'],
      [`/api/meetings?cursor=${enc(['2026-11-24T16:00:00.000Z', 'M-1'])}`, 'part 2 must be a whole number'],
      [`/api/meetings?cursor=${enc(['2026-11-24T16:00:00.000Z'])}`, 'it must hold 2 parts'],
      [`/api/meetings/upcoming?cursor=${enc(['x', 'M-1'])}`, 'part 1 must be a date and time'],
      [`/api/meetings/upcoming?cursor=${enc(['2026-11-24T16:00:00.000Z', '<b>'])}`, 'part 2 must be a ref'],
      [`/api/people?cursor=${enc('a\ud800')}`, 'value must be well-formed text'],
      [`/api/groups?cursor=${enc('\udfff')}`, 'value must be well-formed text'],
      [`/api/organisations?cursor=${enc('x\ud800y')}`, 'value must be well-formed text'],
      [`/api/proposals?cursor=${enc('7')}`, 'value must be a whole number'],
      [`/api/proposals/${proposal}/comments?cursor=${enc(['yesterday', 'id-1'])}`, 'part 1 must be a date and time'],
      [`/api/me/notifications?cursor=${enc(['2026-11-24T16:00:00.000Z', 'a b'])}`, 'part 2 must be an id'],
      [`/api/search?q=hosting&cursor=${enc([1, '\ud800'])}`, 'part 2 must be the search it belongs to'],
    ] as const) {
      const r = await web.app.request(url, auth);
      expect(r.status, url).toBe(422);
      const body = await r.json();
      expect(body.errors, url).toEqual([{ field: 'cursor', rule: expect.stringContaining(RULE) }]);
      expect(body.errors[0].rule, url).toContain(part);
    }
  });

  it('REST: the cursors the lists give go on to the next page', async () => {
    for (const list of ['/api/meetings', '/api/people', '/api/groups', '/api/meetings/upcoming']) {
      const first = await (await web.app.request(`${list}?limit=1`)).json();
      expect(first.nextCursor, list).toEqual(expect.any(String));
      const next = await web.app.request(`${list}?limit=1&cursor=${first.nextCursor}`);
      expect(next.status, list).toBe(200);
      expect((await next.json()).items[0], list).not.toEqual(first.items[0]);
    }
  });

  it('MCP: list tools and resources/list refuse a forged cursor the same way', async () => {
    const { url, server } = await serveMcpOverHttp(web.hub);
    try {
      const client = await httpClient(url, 'modern', (await createToken(web.hub, SYSTEM, 'priya')).token);
      for (const [name, cursor, part] of [
        ['list_upcoming_meetings', enc(['x', 'M-1']), 'part 1 must be a date and time'],
        ['list_groups', enc('\ud800'), 'value must be well-formed text'],
        ['list_organisations', enc('\ud800'), 'value must be well-formed text'],
        ['list_proposals', enc(1.5), 'value must be a whole number'],
      ] as const) {
        const r = (await client.callTool({ name, arguments: { cursor } })) as {
          isError?: boolean;
          content: { text?: string }[];
        };
        expect(r.isError, name).toBe(true);
        expect(r.content[0]?.text, name).toContain(`cursor: ${RULE}: its ${part}`);
      }
      // a meetings page cursor inside resources/list's own: an empty page before, now refused
      await expect(client.listResources({ cursor: enc({ part: 'meetings', after: enc(['x', 1]) }) })).rejects.toThrow(
        /cursor: must be the nextCursor of a previous resources\/list/,
      );
      await client.close();
    } finally {
      server.close();
    }
  });
});
