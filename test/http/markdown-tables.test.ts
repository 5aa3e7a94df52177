// Found by fuzzing (h-fuzz3): markdown-it fills every row of a table out to its header's columns, up
// to 65,536 cells a table. A header of 1,000 columns over 1,000 one-letter lines is 6 KB of text and
// 660 KB of cells; a comment of eight such tables (48 KB, under the limit) held the process for 13 s
// while it was rendered, and stored 5 MB. Now the cells one text may make are bounded
// (LIMITS.markdown.tableCells): a table past them is shown as the text it is written as.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, type TestHub } from '../support/hub.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

describe.each(databases)('markdown tables on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let token: string;
  beforeEach(async () => {
    hub = await openDemoHub(database, { work: true });
    token = (await createToken(hub, SYSTEM, 'priya')).token;
    app = createHttpApp(hub);
  });
  afterEach(async () => hub?.close());

  const comment = (body: string) =>
    app.request('/api/proposals/P-1/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ body }),
    });

  it('a comment of tables whose rows would be filled out to thousands of cells is stored and shown as written, none of those cells made', async () => {
    const table = `|${'a|'.repeat(1_000)}\n|${'-|'.repeat(1_000)}\n${'x\n'.repeat(1_000)}\n`;
    const res = await comment(table.repeat(8));
    expect(res.status).toBe(201);
    // the 13 s were spent filling 8,000 rows out to 1,000 cells each: the page now holds the text as
    // written and none of those cells (speed: bench/markdown-worst.ts, 'table header wide')
    const page = await (await app.request('/proposals/P-1')).text();
    expect(page.length).toBeLessThan(400_000);
    expect(page.match(/<td>/g)?.length ?? 0, 'table cells rendered').toBeLessThan(100);
    expect(page).toContain(`|${'a|'.repeat(1_000)}`);
  });

  it('an ordinary table in a comment is still a table', async () => {
    expect((await comment('| Who | Role |\n|---|---|\n| Sam | lead |\n| Priya | member |')).status).toBe(201);
    const page = await (await app.request('/proposals/P-1')).text();
    expect(page).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>Who<\/th>/);
    expect(page).toContain('<td>Priya</td>');
  });
});
