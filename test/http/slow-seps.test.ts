// Found by fuzzing (h-fuzz3): a SEP file is text from anyone's pull request (the GitHub mirror) or
// from a cloned repository (`wghub import seps`), and several of the regular expressions that read
// it took time growing with the square (or the cube) of a run of one character: an Authors line of
// 'A A A …' or of spaces, a PR field of '{{{…', a body of blank lines or of many headings alike,
// an Authors line of 'x@x@…'. Each file here held the process for seconds to minutes: importing it,
// opening its page, or asking for prior work on it (any visitor may, and the check runs as a draft
// is typed). Now each is read in time proportional to its length.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { importSepDirectory } from '../../src/app/imports/seps.ts';
import { workOf, workOfAsync } from '../../src/domain/work.ts';
import { sepSections } from '../../src/http/web/pages/sep-text.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { WebClient } from '../support/web-client.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

const sep = (n: number, o: { authors?: string; pr?: string; body?: string }) =>
  [
    `# SEP-${n}: Slow wombat streams ${n}`,
    '',
    '- **Status**: Draft',
    '- **Type**: Standards Track',
    '- **Created**: 2026-01-01',
    `- **Author(s)**: ${o.authors ?? 'Ada Lovelace (@ada)'}`,
    '- **Sponsor**: None',
    `- **PR**: ${o.pr ?? `https://github.com/modelcontextprotocol/modelcontextprotocol/pull/${n}`}`,
    '',
    '## Abstract',
    '',
    'Wombat streams drop when the connection resets; clients resume wombat streams from the last event id.',
    o.body ?? '',
  ].join('\n');

const HOSTILE: Record<number, string> = {
  4701: sep(4701, { authors: 'A '.repeat(15_000) }),
  4702: sep(4702, { authors: `Ada${' '.repeat(40_000)}x` }),
  4703: sep(4703, { body: `${'\n'.repeat(40_000)}x` }),
  4704: sep(4704, { body: '\n## a\n'.repeat(8_000) }),
  4705: sep(4705, { authors: 'x@'.repeat(1_500) }),
  4706: sep(4706, { authors: `${'('.repeat(20_000)}${'<'.repeat(20_000)}`, pr: '{'.repeat(20_000) }),
};

describe.each(databases)('SEP files crafted to be slow on $name', (database) => {
  let hub: TestHub;
  let dir: string;
  beforeEach(async () => {
    hub = await openTestHub(database);
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-slow-seps-'));
    for (const [n, text] of Object.entries(HOSTILE)) writeFileSync(path.join(dir, `${n}-slow.md`), text);
  });
  afterEach(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Held by what the hub reads, not by wall-clock budgets (a loaded machine missed them; the files'
  // parse times are rows of bench/hostile-input.ts): the heading ids and the header's addresses are
  // counted (src/domain/work.ts), and each file imports, shows its page and answers prior work
  it('import, show their pages and answer prior work on them; heading ids and addresses are read once', async () => {
    const imported = await importSepDirectory(hub, SYSTEM, dir);
    expect(imported.files.map((f) => f.ref).sort()).toEqual(Object.keys(HOSTILE).map((n) => `SEP-${n}`));

    const app = createHttpApp(hub, undefined, { web: demo });
    const visitor = new WebClient(app);
    for (const n of Object.keys(HOSTILE)) {
      const page = await visitor.get(`/proposals/SEP-${n}`);
      expect(page.status, `SEP-${n}`).toBe(200);
    }
    // the many headings alike still get ids of their own, one lookup each (numbering each from 2
    // again looked up the square of their number: 32 million for these 8,000)
    const { value: headings, read: lookups } = await workOfAsync('heading ids', () =>
      visitor.get('/proposals/SEP-4704'),
    );
    expect(headings.html).toContain('id="sep-a-8000"');
    expect(lookups).toBeGreaterThanOrEqual(8_000);
    expect(lookups).toBeLessThan(3 * 8_000);
    const ids = (times: number) => workOf('heading ids', () => sepSections('\n## a\n'.repeat(times))).read;
    expect(ids(8_000) / ids(4_000)).toBeLessThan(2.5);

    const priorWork = async (n: string) =>
      app.request('/api/prior-work', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: `SEP-${n}: Slow wombat streams ${n}`,
          text: 'Wombat streams drop when the connection resets; clients resume wombat streams from the last event id.',
        }),
      });
    for (const n of Object.keys(HOSTILE)) {
      const res = await priorWork(n);
      expect(res.status, `prior work on SEP-${n}`).toBe(200);
    }
    // an Authors line of 'x@'×1,500 is read word by word once for addresses (one pattern over the
    // line took the cube of its length: over a minute); the check reads the candidates' headers, each once
    const { read: authors } = await workOfAsync('addresses', () => priorWork('4705'));
    expect(authors).toBeGreaterThanOrEqual(3_000);
    expect(authors).toBeLessThan(Object.values(HOSTILE).join('').length);
  });

  // Found by a ReDoS analyser (recheck) over src/: an Authors line opening a parenthesis before a long
  // run of '@' had an address in parentheses looked for from every '@' to the run's end (over a minute
  // a read of this file), and a draft's word of dashes between two letters was trimmed by a pattern
  // tried at each dash (seconds a check; the check runs as a draft is typed). Each is one pass now.
  it('an Authors line of a parenthesis never closed and a draft with a word of dashes are read in one pass', async () => {
    writeFileSync(path.join(dir, '4707-slow.md'), sep(4707, { authors: `Ada (${'@'.repeat(150_000)}` }));
    const imported = await importSepDirectory(hub, SYSTEM, dir);
    expect(imported.files.map((f) => f.ref)).toContain('SEP-4707');
    const app = createHttpApp(hub, undefined, { web: demo });
    expect((await new WebClient(app).get('/proposals/SEP-4707')).status).toBe(200);
    const opening =
      'Wombat streams drop when the connection resets; clients resume wombat streams from the last event id they saw, and servers keep a window of events for them to replay.';
    for (let typed = 1; typed <= 4; typed++) {
      const res = await app.request('/api/prior-work', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Wombat streams resume', text: `${opening} a${'-'.repeat(49_000 + typed)}a` }),
      });
      expect(res.status).toBe(200);
    }
  }, 30_000);
});
