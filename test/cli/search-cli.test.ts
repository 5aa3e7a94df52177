import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../support/corpus.ts';
import { runCli, startHub, stop } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-search-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('search and prior work from the CLI and REST', () => {
  it('imports the corpus, prints the fixed prior-work JSON form, and serves search over REST', async () => {
    const imported = await runCli(['import', 'corpus', CORPUS], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^84 imported, 0 updated, 0 unchanged, 7 skipped/);
    const draft = path.join(dir, 'draft.md');
    writeFileSync(draft, 'Servers should not keep session state so they can scale horizontally behind a load balancer.');
    const r = await runCli(['prior-work', '--title', 'Sessionless MCP servers', '--text-file', draft, '--limit', '3', '--json'], env);
    expect(r.code).toBe(0);
    const items = JSON.parse(r.stdout) as { ref: string; title: string; score: number; reasons: string[] }[];
    expect(items).toHaveLength(3);
    expect(Object.keys(items[0]!)).toEqual(['ref', 'title', 'score', 'reasons']);
    expect(items[0]!.score).toBeGreaterThanOrEqual(items[1]!.score);
    expect(items.map((i) => i.ref)).toContain('SEP-2567');

    const hub = await startHub(env, ['--no-demo']);
    try {
      const res = await (await fetch(`${hub.base}/api/search?q=${encodeURIComponent('transports pros cons')}&kind=artifact`)).json();
      expect(res.items[0].ref).toBe('artifact:community-wg-repo/wg/hosting/research/mcp-transport-comparison.md');
      const pw = await (await fetch(`${hub.base}/api/prior-work`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'Agent to agent communication versus MCP', text: 'How does A2A differ from MCP?' }) })).json();
      expect(pw.items[0].ref).toBe('artifact:community-wg-repo/wg/agent-comms/rfcs/04-12-25-difference-between-a2a-and-mcp.md');
      const art = await (await fetch(`${hub.base}/api/artifacts/${encodeURIComponent('community-wg-repo/wg/hosting/glossary.md')}`)).json();
      expect(art).toMatchObject({ kind: 'glossary', title: 'MCP Hosting WG - Glossary', revisions: [{ revision: 1 }] });
      const bad = await fetch(`${hub.base}/api/search?q=&limit=500`);
      expect(bad.status).toBe(422);
    } finally {
      await stop(hub);
    }
  });
});
