import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../support/corpus.ts';
import { databases } from '../support/databases.ts';
import { runCli, startHub, stop } from '../support/process.ts';
import { SearchKind } from '../../src/app/search/schemas.ts';

it('`wghub search --help` names every kind a search takes', async () => {
  const help = await runCli(['search', '--help']);
  expect(help.code).toBe(0);
  const kinds = /--kind <kind>\s+([\s\S]*?)\n\s*--group/.exec(help.stdout)?.[1]?.replace(/\s+/g, ' ');
  for (const kind of SearchKind.options) expect(kinds).toMatch(new RegExp(`(^|[ ,])${kind}([ ,]|$)`));
});

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(databases)('search and prior work from the CLI and REST on $name', (database) => {
  it('imports the corpus, prints the fixed prior-work JSON form, and serves search over REST', async () => {
    const store = await database.open();
    const url = store.url;
    try {
      const imported = await runCli(['--database', url, 'import', 'corpus', CORPUS]);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/^84 imported, 0 updated, 0 unchanged, 7 skipped/);
      // the RUM index was built by the migrations where the server has it; asking again builds nothing
      const index = await runCli(['--database', url, 'search-index']);
      expect(index.code).toBe(0);
      expect(index.stdout).toMatch(
        database.name === 'sqlite'
          ? /^SQLite ranks inside its FTS5 index already: nothing to build/
          : /^(the RUM search index is already there|the RUM extension is not available to this database \(install postgresql-15-rum)/,
      );
      const draft = path.join(dir, `draft-${database.name}.md`);
      writeFileSync(
        draft,
        'Servers should not keep session state so they can scale horizontally behind a load balancer.',
      );
      // WGHUB_DATABASE_URL names the database, as the fixed form promises
      const r = await runCli(
        ['prior-work', '--title', 'Sessionless MCP servers', '--text-file', draft, '--limit', '3', '--json'],
        { WGHUB_DATABASE_URL: url },
      );
      expect(r.code).toBe(0);
      const items = JSON.parse(r.stdout) as { ref: string; title: string; score: number; reasons: string[] }[];
      expect(items).toHaveLength(3);
      expect(Object.keys(items[0]!)).toEqual(['ref', 'title', 'score', 'reasons']);
      expect(items[0]!.score).toBeGreaterThanOrEqual(items[1]!.score);
      expect(items.map((i) => i.ref)).toContain('SEP-2567');
      // a SEP pasted in from its file (heading and abstract) is taken for itself, first, then its prior work
      const sep = readFileSync(path.join(CORPUS, 'spec-repo/seps/1686-tasks.md'), 'utf8');
      const pasted = path.join(dir, `pasted-${database.name}.md`);
      writeFileSync(pasted, sep.slice(sep.indexOf('## Abstract'), sep.indexOf('## Motivation')));
      const itself = await runCli(
        ['prior-work', '--title', 'SEP-1686: Tasks', '--text-file', pasted, '--limit', '3', '--json'],
        { WGHUB_DATABASE_URL: url },
      );
      // --limit 3 counts its prior work: the SEP itself comes first, apart
      expect(JSON.parse(itself.stdout)).toEqual([
        {
          ref: 'SEP-1686',
          title: 'Tasks',
          score: 1,
          reasons: ['this draft’s heading names it: the draft may be this item'],
        },
        expect.objectContaining({ ref: 'SEP-2663' }),
        expect.anything(),
        expect.anything(),
      ]);

      // scores fall as the list does (no run of 1s), and a SEP shown for its docs page names the page
      const tasks = await runCli(
        [
          'prior-work',
          '--title',
          'Durable tasks',
          '--text',
          'Poll a task handle for the result of a long tool call',
          '--json',
        ],
        { WGHUB_DATABASE_URL: url },
      );
      const listed = JSON.parse(tasks.stdout) as { score: number; reasons: string[]; pages?: { ref: string }[] }[];
      const scores = listed.map((m) => m.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(scores.filter((s) => s === 1)).toEqual([]);
      const restated = listed.find((m) => m.pages);
      expect(restated?.pages?.[0]?.ref).toMatch(/^artifact:spec-repo\/docs\//);

      const found = await runCli([
        '--database',
        url,
        '--json',
        'search',
        'stateless',
        'session',
        '--kind',
        'sep',
        '--since',
        '2025-01-01',
      ]);
      expect(found.code).toBe(0);
      expect(
        (JSON.parse(found.stdout) as { items: { ref: string }[] }).items
          .slice(0, 2)
          .map((h) => h.ref)
          .sort(),
      ).toEqual(['SEP-2567', 'SEP-2575']);
      // A SEP is dated by its own Created line (SEP-2575: 2025-06-18), not by the day it was imported.
      const recent = await runCli([
        '--database',
        url,
        '--json',
        'search',
        'stateless',
        'session',
        '--since',
        '2026-01-01',
      ]);
      expect(recent.code).toBe(0);
      const recentRefs = (JSON.parse(recent.stdout) as { items: { ref: string }[] }).items.map((h) => h.ref);
      expect(recentRefs).toContain('SEP-2567');
      expect(recentRefs).not.toContain('SEP-2575');
      // a page says how to ask for the next; the next goes on from it
      const first = await runCli(['--database', url, 'search', 'session', '--limit', '3']);
      const next = /more: the same search with --cursor (\S+)/.exec(first.stdout)?.[1];
      expect(next).toBeDefined();
      const second = await runCli(['--database', url, 'search', 'session', '--limit', '3', '--cursor', next!]);
      expect(second.stdout).toMatch(/more: the same search with --cursor \S+/);
      // --offset, as search paged before, is refused naming it, not answered with the first page again
      const old = await runCli(['--database', url, 'search', 'session', '--limit', '3', '--offset', '3']);
      expect(old).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('offset: is no longer taken: search pages by cursor'),
      });
      const firstRefs = [...first.stdout.matchAll(/^(\S+) {2}\[/gm)].map((m) => m[1]);
      const secondRefs = [...second.stdout.matchAll(/^(\S+) {2}\[/gm)].map((m) => m[1]);
      expect(firstRefs).toHaveLength(3);
      expect(secondRefs.filter((r) => firstRefs.includes(r))).toEqual([]);
      const badDate = await runCli(['--database', url, 'search', 'session', '--since', '2026-02-30']);
      expect(badDate).toMatchObject({ code: 2, stderr: expect.stringContaining('since: ') });

      const missing = await runCli([
        '--database',
        url,
        'prior-work',
        '--title',
        'Sessionless MCP servers',
        '--text-file',
        path.join(dir, 'missing.md'),
        '--json',
      ]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(
        `wghub: invalid input\n  --text-file: cannot read ${path.join(dir, 'missing.md')}: no such file\n`,
      );

      const hub = await startHub({ WGHUB_DATABASE_URL: url }, ['--no-demo']);
      try {
        const res = await (
          await fetch(`${hub.base}/api/search?q=${encodeURIComponent('transports pros cons')}&kind=artifact`)
        ).json();
        expect(res.items[0].ref).toBe('artifact:community-wg-repo/wg/hosting/research/mcp-transport-comparison.md');
        const layered = await (
          await fetch(`${hub.base}/api/search?q=governance&layer=working-group-artifact&limit=50`)
        ).json();
        expect(layered.items.map((h: { ref: string }) => h.ref)).toEqual(
          expect.arrayContaining(['SEP-2085', 'artifact:spec-repo/docs/community/governance.mdx']),
        );
        expect(layered.items.every((h: { layer: string }) => h.layer === 'working-group-artifact')).toBe(true);
        expect(await (await fetch(`${hub.base}/api/search?q=governance&until=2000-01-01`)).json()).toMatchObject({
          items: [],
          nextCursor: null,
        });
        const two = await (await fetch(`${hub.base}/api/search?q=governance&limit=2`)).json();
        const more = await (
          await fetch(`${hub.base}/api/search?q=governance&limit=2&cursor=${encodeURIComponent(two.nextCursor)}`)
        ).json();
        expect(more.items).toHaveLength(2);
        expect(
          more.items.filter((h: { ref: string }) => two.items.some((t: { ref: string }) => t.ref === h.ref)),
        ).toEqual([]);
        const old = await fetch(`${hub.base}/api/search?q=governance&offset=2`);
        expect(old.status).toBe(422);
        expect((await old.json()).errors).toEqual([
          {
            field: 'offset',
            rule: "is no longer taken: search pages by cursor, as the other lists do; pass the previous page's nextCursor as cursor",
          },
        ]);
        const pw = await (
          await fetch(`${hub.base}/api/prior-work`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              title: 'Agent to agent communication versus MCP',
              text: 'How does A2A differ from MCP?',
            }),
          })
        ).json();
        expect(pw.items[0].ref).toBe(
          'artifact:community-wg-repo/wg/agent-comms/rfcs/04-12-25-difference-between-a2a-and-mcp.md',
        );
        const art = await (
          await fetch(`${hub.base}/api/artifacts/${encodeURIComponent('community-wg-repo/wg/hosting/glossary.md')}`)
        ).json();
        expect(art).toMatchObject({
          kind: 'glossary',
          title: 'MCP Hosting WG - Glossary',
          revisions: [{ revision: 1 }],
        });
        const bad = await fetch(`${hub.base}/api/search?q=&limit=500`);
        expect(bad.status).toBe(422);
        const backwards = await fetch(`${hub.base}/api/search?q=session&since=2026-03-01&until=2026-01-01`);
        expect(backwards.status).toBe(422);
        expect((await backwards.json()).errors).toEqual([
          { field: 'until', rule: 'must not be before since (2026-03-01)' },
        ]);
      } finally {
        await stop(hub);
      }
    } finally {
      await store.close();
    }
  }, 120_000); // imports the whole corpus through the CLI: slow on PostgreSQL on a loaded 2-core machine
});
