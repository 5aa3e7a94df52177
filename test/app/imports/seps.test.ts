import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { createProposal, getProposal, moveProposal } from '../../../src/app/proposals/proposals.ts';
import { renderMarkdown } from '../../../src/domain/markdown.ts';
import { sepFacts, parseSep } from '../../../src/domain/sep/index.ts';
import { exportSep, importSepDirectory } from '../../../src/app/imports/seps.ts';
import { CORPUS } from '../../support/corpus.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

const DIR = path.join(CORPUS, 'spec-repo/seps');

/** The stored record without what differs between two databases by construction. */
async function stored(hub: TestHub, ref: string) {
  const { createdAt: _c, updatedAt: _u, number: _n, ...p } = await getProposal(hub, ref);
  return p;
}

describe.each(databases)('SEP import and export on $name', (database) => {
  let hub: TestHub;
  let other: TestHub;
  let out: string;
  beforeEach(async () => {
    hub = await openTestHub(database);
    other = await openTestHub(database);
    out = mkdtempSync(path.join(tmpdir(), 'wghub-seps-'));
  });
  afterEach(async () => {
    await hub?.close();
    await other?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('imports all 41 with warnings for the messy ones; exports them as they were; re-importing gives the same records', async () => {
    const r = await importSepDirectory(hub, SYSTEM, DIR);
    expect(r.created).toBe(41);
    expect(r.warnings).toContain("2243-http-standardization.md: authored by a group: 'MCP Transports Working Group'");
    expect(r.warnings).toContain('SEP-2484: supersedes SEP-1627, which is not in this hub; kept in the header only');
    const p = await getProposal(hub, 'SEP-1865');
    expect(p).toMatchObject({ stage: 'final', route: 'sep', layer: 'specification', sponsor: null });
    expect(p.warnings).toContain("no sponsor ('None (seeking sponsor)')");
    expect((await getProposal(hub, 'SEP-2207')).sponsor?.handle).toBe('pcarleton');
    expect((await getProposal(hub, 'SEP-1850')).layer).toBe('working-group-artifact'); // a Process SEP

    expect((await importSepDirectory(hub, SYSTEM, DIR)).unchanged).toBe(41);

    for (const f of readdirSync(DIR).filter((x) => /^\d+-/.test(x))) {
      const md = await exportSep(hub, `SEP-${parseInt(f, 10)}`);
      expect(md, f).toBe(readFileSync(path.join(DIR, f), 'utf8'));
      writeFileSync(path.join(out, f), md);
    }
    await importSepDirectory(other, SYSTEM, out);
    for (const f of readdirSync(DIR).filter((x) => /^\d+-/.test(x))) {
      const ref = `SEP-${parseInt(f, 10)}`;
      expect(await stored(other, ref), ref).toEqual(await stored(hub, ref));
    }
  });

  it('a stage moved in the hub is written back into the Status field', async () => {
    await importSepDirectory(hub, SYSTEM, DIR);
    await moveProposal(hub, SYSTEM, 'SEP-2575', { to: 'superseded' });
    const md = await exportSep(hub, 'SEP-2575');
    expect(md).toContain('- **Status**: Superseded');
    expect(md.replace('- **Status**: Superseded', '- **Status**: Final')).toBe(
      readFileSync(path.join(DIR, '2575-stateless-mcp.md'), 'utf8'),
    );
  });

  it('a title with markup is written into the SEP file as its text: it shows as written and reads back the same', async () => {
    const ana = await person(hub, 'ana');
    await hub.store.db.updateTable('people').set({ name: 'Ana [x](y) *z* {w}' }).where('handle', '=', 'ana').execute();
    const title = '*Tasks* <script>alert(1)</script> [click](javascript:1) {process.exit()} | a_ &amp; #2 `c`';
    const sep = await createProposal(hub, ana, {
      title,
      problem: 'Long-running tool calls time out.',
      layer: 'specification',
      route: 'sep',
    });
    const md = await exportSep(hub, sep.ref);
    const heading = md.split('\n')[0]!;
    // one heading holding the title's characters as text: no emphasis, link, tag, code or entity
    expect(renderMarkdown(heading)).toBe(
      `<h1>SEP-{NUMBER}: *Tasks* &lt;script&gt;alert(1)&lt;/script&gt; [click](javascript:1) {process.exit()} | a_ &amp;amp; #2 \`c\`</h1>\n`,
    );
    expect(md).toContain('- **Author(s)**: Ana \\[x\\](y) \\*z\\* \\{w\\} (@ana)');
    const facts = sepFacts(parseSep(md));
    expect(facts.title).toBe(title);
    expect(facts.authors).toMatchObject([{ name: 'Ana [x](y) *z* {w}', handle: 'ana' }]);
  });
});
