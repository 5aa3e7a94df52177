// One rule for %-escapes in MCP resource URIs, REST's for path parameters: decoded once, never twice,
// then read by the use case as REST reads a path's. Before, a charter's slug was not decoded at all
// (wghub://groups/%68osting/charter was no group) while a proposal's and an agenda's ref were.
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { databases } from '../support/databases.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { httpClient, serveMcpOverHttp } from './support.ts';

describe.each(databases)('resource URIs with %-escapes on $name', (database) => {
  const web = webHubPerTest(database, { work: true });

  it('every template decodes its variable once, as REST decodes a path, then validates it', async () => {
    const token = (await createToken(web.hub, SYSTEM, 'priya')).token;
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const proposal: string = (await (await web.app.request('/api/proposals?limit=1', auth)).json()).items[0].ref;
    const escaped = (s: string) => [...s].map((ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    // REST: a path's escapes are decoded once
    expect((await web.app.request(`/api/groups/${escaped('hosting')}`, auth)).status).toBe(200);

    const { url, server } = await serveMcpOverHttp(web.hub);
    try {
      const client = await httpClient(url, 'modern', token);
      const read = async (uri: string) => ((await client.readResource({ uri })).contents[0] as { text: string }).text;
      for (const [plain, encoded] of [
        ['wghub://groups/hosting/charter', `wghub://groups/${escaped('hosting')}/charter`],
        [`wghub://proposals/${proposal}`, `wghub://proposals/${escaped(proposal)}`],
        ['wghub://meetings/M-1/agenda', `wghub://meetings/${escaped('M-1')}/agenda`],
      ] as const) {
        const text = await read(plain);
        expect(await read(encoded), encoded).toBe(text);
      }
      // decoded once, not twice: %2568 is "%68", no group, as /api/groups/%2568osting is none
      expect((await web.app.request('/api/groups/%2568osting', auth)).status).toBe(404);
      await expect(read('wghub://groups/%2568osting/charter')).rejects.toThrow(/%68osting|not found|no group/i);
      await client.close();
    } finally {
      server.close();
    }
  });
});
