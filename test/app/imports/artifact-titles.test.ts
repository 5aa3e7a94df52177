// A document's title is read from front matter that opens the file, its first heading or its name,
// and is at most a line long. Front matter was once looked for at every line opening with `---`, each
// read to the end of the file (a file of 256,000 such lines held the importer, and every request the
// process served, for 35 s); and a page of documents whose last one had a long title and path ended
// with a cursor longer than a cursor may be, so the next page could not be asked for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { getArtifact, importArtifact, listArtifactsPage } from '../../../src/app/imports/artifacts.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

describe.each(databases)('imported documents with hostile titles on $name', (database) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await openTestHub(database);
  });
  afterEach(async () => {
    await hub?.close();
  });

  it('a file of a quarter of a million `---` lines imports at once, named by its file name', async () => {
    await importArtifact(hub, SYSTEM, 'docs/rules.md', `${'---\n'.repeat(256_000)}x`, null);
    expect((await getArtifact(hub, null, 'docs/rules.md')).title).toBe('rules');
  }, 20_000);

  it('front matter opens the file; a `title:` further down is text, and a heading names it', async () => {
    await importArtifact(hub, SYSTEM, 'docs/a.md', '---\ntitle: "Session affinity"\nauthor: kai\n---\n\n# Other', null);
    await importArtifact(hub, SYSTEM, 'docs/b.md', '# Heading\n\n---\ntitle: Not this\n---\n', null);
    expect((await getArtifact(hub, null, 'docs/a.md')).title).toBe('Session affinity');
    expect((await getArtifact(hub, null, 'docs/b.md')).title).toBe('Heading');
  });

  it('a title longer than a line is cut to a line; documents with long titles and paths page to the end', async () => {
    const long = (n: number) => `# ${'Ünïcödé 標題 '.repeat(400)} ${n}`;
    const paths = [1, 2, 3].map((n) => `docs/${'deeply/nested/'.repeat(30)}guide-${n}.md`);
    for (const [i, p] of paths.entries()) await importArtifact(hub, SYSTEM, p, long(i), null);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = await listArtifactsPage(hub, null, { limit: 1, ...(cursor ? { cursor } : {}) });
      for (const item of page.items) {
        expect([...item.title].length).toBe(LIMITS.line);
        seen.push(item.path);
      }
      if (!page.nextCursor) break;
      expect(page.nextCursor.length).toBeLessThanOrEqual(LIMITS.cursor);
      cursor = page.nextCursor;
    }
    expect(seen.sort()).toEqual([...paths].sort());
  });

  it('a document renamed between pages neither skips nor repeats the others', async () => {
    for (const name of ['Alpha', 'Beta', 'Delta', 'Gamma'])
      await importArtifact(hub, SYSTEM, `docs/${name}.md`, `# ${name}`, null);
    const first = await listArtifactsPage(hub, null, { limit: 1 });
    expect(first.items.map((i) => i.title)).toEqual(['Alpha']);
    await importArtifact(hub, SYSTEM, 'docs/Alpha.md', '# Zeta (renamed)', null);
    const rest = await listArtifactsPage(hub, null, { limit: 10, cursor: first.nextCursor! });
    expect(rest.items.map((i) => i.title)).toEqual(['Beta', 'Delta', 'Gamma', 'Zeta (renamed)']);
  });

  it('a heading after a non-breaking space still names the document', async () => {
    await importArtifact(hub, SYSTEM, 'docs/nbsp.md', '#\u00a0Session affinity\n\ntext', null);
    expect((await getArtifact(hub, null, 'docs/nbsp.md')).title).toBe('Session affinity');
  });
});
