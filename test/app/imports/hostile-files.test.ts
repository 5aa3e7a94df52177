// Found by fuzzing the importers: a SEP file with a NUL byte in it stopped `wghub import seps` on
// PostgreSQL with the database's own words ('invalid byte sequence for encoding "UTF8": 0x00'),
// naming neither the file nor the rule, and the files after it were never read; on SQLite the NUL,
// an escape sequence and a bidirectional override were stored. The GitHub mirror reads SEP files
// from anyone's pull request through the same importSepText. Now such a file is skipped (or not
// mirrored) with a warning naming it, the character and the line, on both databases alike.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../../src/app/core/hub.ts';
import { importCharterDirectory, importCharterText, withoutClosingCharter } from '../../../src/app/imports/charters.ts';
import { importCorpus } from '../../../src/app/imports/corpus.ts';
import { importSepDirectory, importSepText } from '../../../src/app/imports/seps.ts';
import { listProposals } from '../../../src/app/proposals/proposals.ts';
import { InvalidInput } from '../../../src/domain/errors.ts';
import { workOfAsync } from '../../../src/domain/work.ts';
import { CORPUS } from '../../support/corpus.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

const SEP = readFileSync(
  path.join(CORPUS, 'spec-repo/seps/1024-mcp-client-security-requirements-for-local-server-.md'),
  'utf8',
);
const CHARTERS = path.join(CORPUS, 'spec-repo/docs/community/working-groups');

describe.each(databases)('hostile characters in imported files on $name', (database) => {
  let hub: TestHub;
  let dir: string;
  beforeEach(async () => {
    hub = await openTestHub(database);
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-hostile-files-'));
  });
  afterEach(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a SEP with a NUL, an escape or an override is skipped, naming it, the character and the line; the others import', async () => {
    const lines = SEP.split('\n');
    const at = (n: number, insert: string) =>
      lines.map((l, i) => (i === n ? l.replace(' ', ` ${insert} `) : l)).join('\n');
    writeFileSync(path.join(dir, '1024-nul.md'), at(10, '\u0000'));
    writeFileSync(path.join(dir, '1025-esc.md'), at(2, '\u001b[31m').replace('SEP-1024', 'SEP-1025'));
    writeFileSync(path.join(dir, '1026-rtl.md'), at(0, '\u202e').replace('SEP-1024', 'SEP-1026'));
    // line breaks of any kind and tabs are text, not control characters
    writeFileSync(
      path.join(dir, '1027-crlf.md'),
      SEP.replace('SEP-1024', 'SEP-1027').replace(/\n/g, '\r\n').replace('## Abstract', '## Abstract\t'),
    );
    const r = await importSepDirectory(hub, SYSTEM, dir);
    expect(r.files.map((f) => f.ref)).toEqual(['SEP-1027']);
    expect(r.warnings).toContain(
      '1024-nul.md: holds a control or invisible formatting character (U+0000 on line 11, character 6), which the hub does not store; skipped',
    );
    expect(r.warnings.find((w) => w.startsWith('1025-esc.md'))).toMatch(
      /\(U\+001B on line 3, character \d+\).*; skipped$/,
    );
    expect(r.warnings.find((w) => w.startsWith('1026-rtl.md'))).toMatch(
      /\(U\+202E on line 1, character \d+\).*; skipped$/,
    );
    expect((await listProposals(hub, { limit: 10 })).items.map((p) => p.ref)).toEqual(['SEP-1027']);
  });

  it('a link to a file or folder outside the folder imported is skipped, naming it; a link inside it is read; a folder linking to itself ends', async () => {
    // a cloned repository may hold links: to the hub's own secrets, or back to its own folder
    const outside = mkdtempSync(path.join(tmpdir(), 'wghub-outside-'));
    try {
      writeFileSync(path.join(outside, 'secret.md'), SEP.replace('SEP-1024', 'SEP-1030'));
      mkdirSync(path.join(outside, 'charters'));
      symlinkSync(path.join(outside, 'secret.md'), path.join(dir, '1030-leak.md'));
      writeFileSync(path.join(dir, '1031-own.md'), SEP.replace('SEP-1024', 'SEP-1031'));
      symlinkSync(path.join(dir, '1031-own.md'), path.join(dir, '1032-alias.md'));
      const seps = await importSepDirectory(hub, SYSTEM, dir);
      expect(seps.files.map((f) => f.path)).toEqual(['1031-own.md', '1032-alias.md']);
      expect(seps.warnings).toContain(
        '1030-leak.md: is a link to a file outside the folder imported (only files inside it are read); skipped',
      );
      expect((await listProposals(hub, { limit: 10 })).items.map((p) => p.ref)).not.toContain('SEP-1030');

      // the corpus walk: a linked folder outside, and a folder that links back to its parent
      const corpus = mkdtempSync(path.join(tmpdir(), 'wghub-corpus-links-'));
      try {
        mkdirSync(path.join(corpus, 'seps'));
        symlinkSync(path.join(outside, 'secret.md'), path.join(corpus, 'seps', '1030-leak.md'));
        symlinkSync(corpus, path.join(corpus, 'seps', 'loop'));
        symlinkSync(outside, path.join(corpus, 'elsewhere'));
        const r = await importCorpus(hub, SYSTEM, corpus);
        expect(r.imported).toBe(0);
        expect(r.skipped).toEqual(
          expect.arrayContaining([
            {
              path: 'seps/1030-leak.md',
              why: 'is a link to a file outside the folder imported (only files inside it are read)',
            },
          ]),
        );
        expect((await listProposals(hub, { limit: 10 })).items.map((p) => p.ref)).not.toContain('SEP-1030');
      } finally {
        rmSync(corpus, { recursive: true, force: true });
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a SEP read from a pull request (importSepText) is refused as invalid input naming the file, never a database error', async () => {
    const e = await importSepText(
      hub,
      SYSTEM,
      SEP.replace('## Abstract', '## Abs\u0000tract'),
      '1024-x.md',
      () => {},
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidInput);
    expect((e as InvalidInput).issues).toEqual([
      {
        field: 'file',
        rule: expect.stringMatching(
          /^1024-x\.md holds a control or invisible formatting character \(U\+0000 on line 9, character 7\)/,
        ),
      },
    ]);
  });

  // fuzz (h-fuzz3): taking ' Charter' off the title tried every space of a run, the square of its
  // length: a title of 100,000 spaces held the import for 36 s (a file may be 2 MB). Held by the
  // characters read (src/domain/work.ts), not a wall-clock budget: the run is read once, so twice the
  // run is twice the work; its speed is a row of bench/hostile-input.ts
  it('a charter whose title holds a long run of spaces is read once to take off Charter, and imports', async () => {
    mkdirSync(path.join(dir, 'working-groups'));
    const agents = readFileSync(path.join(CHARTERS, 'agents.mdx'), 'utf8');
    const titled = (title: string) => agents.replace('title: Agents Charter', `title: ${title}`);
    writeFileSync(path.join(dir, 'working-groups', 'agents.mdx'), titled(`Agents${' '.repeat(100_000)}x`));
    const r = await importCharterDirectory(hub, SYSTEM, dir);
    expect(r.files.map((f) => f.slug)).toEqual(['agents']);
    // through the import itself: a title of a run of spaces and then Charter
    const read = async (spaces: number) =>
      (
        await workOfAsync('charter title', () =>
          importCharterText(
            hub,
            SYSTEM,
            titled(`Agents${' '.repeat(spaces)}Charter`),
            'working-groups/agents.mdx',
            () => {},
          ),
        )
      ).read;
    const once = await read(50_000);
    const twice = await read(100_000);
    expect(once).toBeGreaterThanOrEqual(50_000);
    expect(once).toBeLessThan(3 * 50_000);
    expect(twice / once).toBeLessThan(2.5);
    expect(withoutClosingCharter(`Agents${' '.repeat(100_000)}Charter`)).toBe('Agents');
    expect(withoutClosingCharter(`Agents${' '.repeat(100_000)}x`)).toBe(`Agents${' '.repeat(100_000)}x`);
  });

  // attack round 19: a file name of no ASCII letters made the short name "", one group for every such
  // file (the second read as the first, "unchanged"), and new.mdx a group whose page is the proposal form
  it('a charter whose file name makes no short name, or makes "new", is skipped naming the rule; the others import', async () => {
    mkdirSync(path.join(dir, 'working-groups'));
    const agents = readFileSync(path.join(CHARTERS, 'agents.mdx'), 'utf8');
    for (const name of ['日本語.mdx', '---.mdx', 'new.mdx', 'registry.mdx'])
      writeFileSync(path.join(dir, 'working-groups', name), agents);
    const r = await importCharterDirectory(hub, SYSTEM, dir);
    expect(r.files.map((f) => f.slug)).toEqual(['registry']);
    const noName =
      'its name spells no short name for the group (letters a-z, digits and hyphens): rename the file, e.g. registry.md; skipped';
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        `working-groups/日本語.mdx: ${noName}`,
        `working-groups/---.mdx: ${noName}`,
        'working-groups/new.mdx: the group\'s short name comes from the file\'s name, and "new" is taken by the page that proposes a group (/groups/new); choose another short name; skipped',
      ]),
    );
    expect((await hub.store.db.selectFrom('groups').select('slug').execute()).map((g) => g.slug)).toEqual(['registry']);

    // the corpus import skips the same files and goes on, where the first stopped the run
    const corpus = path.join(dir, 'corpus');
    mkdirSync(path.join(corpus, 'docs', 'community', 'working-groups'), { recursive: true });
    for (const name of ['日本語.mdx', 'agents.mdx'])
      writeFileSync(path.join(corpus, 'docs', 'community', 'working-groups', name), agents);
    const all = await importCorpus(hub, SYSTEM, corpus);
    expect(all.imported).toBe(1);
    expect(all.skipped).toContainEqual({
      path: 'docs/community/working-groups/日本語.mdx',
      why: 'its name spells no short name for the group (letters a-z, digits and hyphens): rename the file, e.g. registry.md',
    });
    expect(
      (await hub.store.db.selectFrom('groups').select('slug').orderBy('slug').execute()).map((g) => g.slug),
    ).toEqual(['agents', 'registry']);
  });

  it('a charter with a NUL is skipped with the reason; the others import', async () => {
    mkdirSync(path.join(dir, 'working-groups'));
    const [first, second] = ['agents.mdx', 'registry.mdx'];
    writeFileSync(
      path.join(dir, 'working-groups', first),
      readFileSync(path.join(CHARTERS, first), 'utf8').replace('## Mission', '## Mis\u0000sion'),
    );
    writeFileSync(path.join(dir, 'working-groups', second), readFileSync(path.join(CHARTERS, second), 'utf8'));
    const r = await importCharterDirectory(hub, SYSTEM, dir);
    expect(r.files.map((f) => f.slug)).toEqual(['registry']);
    expect(r.warnings.find((w) => w.startsWith(`working-groups/${first}`))).toMatch(
      /U\+0000 on line \d+, character 7\).*; skipped$/,
    );
  });

  // fuzz round 7: a SEP of 100,000 headings (a pull request's file is mirrored through importSepText)
  // took 4 to 6 s on every view of its page, a charter of 100,000 headings or 120,000 table rows
  // seconds to import and to show; headings and rows in fenced code are code, not counted
  it('a SEP or charter with more headings or table rows than a document may have is skipped naming the rule', async () => {
    const headings = Array.from({ length: 100_000 }, (_, i) => `## Part ${i}`).join('\n');
    writeFileSync(path.join(dir, '1024-many.md'), `${SEP}\n${headings}\n`);
    // code counts too (the readers disagree on where a fence ends), far under the bounds it imports
    const fenced = `\n\`\`\`sh\n${'# a shell comment\n| a pipe\n'.repeat(4_000)}\`\`\`\n`;
    writeFileSync(path.join(dir, '1025-code.md'), `${SEP.replace('SEP-1024', 'SEP-1025')}${fenced}`);
    // the ways round a count that follows one reader's rules: a heading after a no-break space (the
    // SEP page takes it), setext headings and rows without a leading bar (the charter's reader takes
    // them), and a fence one reader closes while the other reads on
    const nbsp = Array.from({ length: 20_000 }, (_, i) => `#\u00a0Part ${i}`).join('\n');
    writeFileSync(path.join(dir, '1026-nbsp.md'), `${SEP.replace('SEP-1024', 'SEP-1026')}\n${nbsp}\n`);
    const setext = Array.from({ length: 20_000 }, (_, i) => `Part ${i}\n---`).join('\n\n');
    writeFileSync(path.join(dir, '1027-setext.md'), `${SEP.replace('SEP-1024', 'SEP-1027')}\n${setext}\n`);
    const dodged = `\n\`\`\`\n\u00a0\`\`\`\n${Array.from({ length: 20_000 }, (_, i) => `## Part ${i}`).join('\n')}\n`;
    writeFileSync(path.join(dir, '1028-fence.md'), `${SEP.replace('SEP-1024', 'SEP-1028')}${dodged}`);
    const r = await importSepDirectory(hub, SYSTEM, dir);
    expect(r.files.map((f) => f.ref)).toEqual(['SEP-1025']);
    expect(r.warnings).toEqual(
      expect.arrayContaining(
        ['1024-many.md', '1026-nbsp.md', '1027-setext.md', '1028-fence.md'].map((f) =>
          expect.stringMatching(
            new RegExp(
              `^${f.replace('.', '\\.')}: has \\d+ headings; an imported document may have at most 10000; skipped$`,
            ),
          ),
        ),
      ),
    );
    const fromPr = await importSepText(hub, SYSTEM, `${SEP}\n${headings}`, 'seps/1024-x.md', () => {}).catch(
      (x: unknown) => x,
    );
    expect((fromPr as InvalidInput).issues).toEqual([
      {
        field: 'file',
        rule: expect.stringMatching(
          /^seps\/1024-x\.md has 1000\d\d headings; an imported document may have at most 10000$/,
        ),
      },
    ]);

    mkdirSync(path.join(dir, 'working-groups'));
    writeFileSync(
      path.join(dir, 'working-groups', 'agents.mdx'),
      `${readFileSync(path.join(CHARTERS, 'agents.mdx'), 'utf8')}\n| a | b |\n|---|---|\n${'x | y\n'.repeat(120_000)}`,
    );
    // counted, not timed: its 120,000 rows are counted against LIMITS.imports.tableRows and the file
    // is skipped (imported, it took seconds), naming the rule
    const charters = await importCharterDirectory(hub, SYSTEM, dir);
    expect(charters.files).toEqual([]);
    expect(charters.warnings.find((w) => w.startsWith('working-groups/agents.mdx'))).toMatch(
      /^working-groups\/agents\.mdx: has 1200\d\d table rows; an imported document may have at most 5000; skipped$/,
    );
  });
});
