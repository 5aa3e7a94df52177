// Found by fuzzing a running hub's forms on PostgreSQL: a NUL in the handle of "set a member's
// level" reached the database, which refused it, and the page answered "The server failed" (500).
import { describe, expect, it } from 'vitest';
import { databases } from '../support/databases.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

describe.each(databases)('hostile form fields on $name', (database) => {
  const web = webHubPerTest(database);

  it('a NUL in a handle is nobody: the form says so, no server error', async () => {
    const lead = await signInAs(web.app, 'sam-lead');
    await lead.get('/groups/hosting'); // the page the form is on, for its security token
    for (const handle of ['nul\u0000x', '\u0000']) {
      const r = await lead.post('/groups/hosting/members/level', { handle, level: 'member' });
      expect(r.status, JSON.stringify(handle)).toBeGreaterThanOrEqual(400);
      expect(r.status, JSON.stringify(handle)).toBeLessThan(500);
      // said beside the field, the NUL in the message shown as an escape
      expect(r.status, JSON.stringify(handle)).toBe(422);
      expect(pageText(r.html)).toMatch(/Person \(handle\): nobody here has the handle '(nul)?\\u0000x?'/);
    }
  });
});
