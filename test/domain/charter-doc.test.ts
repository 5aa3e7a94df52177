import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  charterFacts,
  githubHandle,
  parseCharter,
  plainText,
  renderCharter,
  splitRow,
} from '../../src/domain/charter-doc/index.ts';
import { addChangelogEntry, newCharter, replaceSection } from '../../src/domain/charter-edit.ts';
import { charterFiles, COMMUNITY_DOCS } from '../support/corpus.ts';

const files = charterFiles();
const read = (rel: string) => readFileSync(path.join(COMMUNITY_DOCS, rel), 'utf8');

/** Table rows in the source outside code fences, minus header and delimiter rows. */
function sourceTableRows(src: string): number {
  let inFence = false;
  let rows = 0;
  let prevWasRow = false;
  for (const line of src.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const isRow = !inFence && /^\s*\|/.test(line);
    if (isRow && prevWasRow) rows++;
    prevWasRow = isRow;
  }
  // every table's first row is its header and its second the delimiter, counted as "row after a row" once
  const tables = src
    .split('\n')
    .filter((l, i, all) => /^\s*\|[\s:|-]+\|\s*$/.test(l) && /^\s*\|/.test(all[i - 1] ?? '')).length;
  return rows - tables;
}

describe('charter documents on the 16 real charters', () => {
  it('finds all 16 charter files', () => expect(files).toHaveLength(16));

  it.each(files.map((f) => [path.basename(f), f]))(
    '%s: renders back byte for byte and re-parses to the same document',
    (_name, file) => {
      const src = readFileSync(file, 'utf8');
      const doc = parseCharter(src);
      const out = renderCharter(doc);
      expect(out).toBe(src);
      expect(parseCharter(out)).toEqual(doc);
      expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    },
  );

  it.each(files.map((f) => [path.basename(f), f]))('%s: drops no table row and no heading', (_name, file) => {
    const src = readFileSync(file, 'utf8');
    const doc = parseCharter(src);
    const rows = doc.sections
      .flatMap((s) => s.blocks)
      .reduce((n, b) => n + (b.type === 'table' ? b.rows.length : 0), 0);
    expect(rows).toBe(sourceTableRows(src));
    const headings = src
      .split('\n')
      .filter((l) => /^#{2,3} /.test(l))
      .map((l) => l.replace(/^#+ /, '').trim());
    expect(doc.sections.map((s) => s.heading)).toEqual(headings);
  });
});

describe('messy rows are kept, not fixed', () => {
  it('registry keeps escaped characters, extra columns and the emeritus table', () => {
    const doc = parseCharter(read('working-groups/registry.mdx'));
    const membership = doc.sections.find((s) => s.heading === 'Membership')!;
    const table = membership.blocks.find((b) => b.type === 'table')!;
    expect(table.type === 'table' && table.columns).toContain('Maintainer?');
    expect(JSON.stringify(table)).toContain('tadasant\\\\_');
    const f = charterFacts(doc);
    expect(f.groupType).toBe('working');
    expect(f.leadership).toEqual([
      {
        role: 'Lead',
        name: 'Radoslav Dimitrov',
        organisation: 'Stacklok',
        github: 'rdimitrov',
        term: 'Initial',
        extra: {},
      },
    ]);
    expect(f.members.filter((m) => !m.emeritus)).toHaveLength(4);
    expect(f.members.filter((m) => m.emeritus).map((m) => m.github)).toEqual(['domdomegg', 'toby']);
    expect(f.members.find((m) => m.github === 'tadasant')).toMatchObject({
      discord: 'tadasant_',
      level: 'WG Member',
      extra: { 'Maintainer?': 'Yes' },
    });
    expect(f.meetings).toEqual([
      {
        name: 'Working Session',
        frequency: 'Weekly',
        duration: '30 min',
        purpose: 'Technical discussion, triage, and proposal review',
      },
    ]);
    expect(f.channels).toEqual(['Discord: `#registry-dev`']);
    expect(f.deliverables).toHaveLength(7);
    expect(f.changelog.map((c) => c.date)).toEqual(['2026-07-30', '2026-04-08']);
  });

  it('auth keeps its facilitators, its membership prose and its own Operations subsections', () => {
    const doc = parseCharter(read('interest-groups/auth.mdx'));
    const f = charterFacts(doc);
    expect(f.groupType).toBe('interest');
    expect(f.leadership.map((l) => [l.role, l.github])).toEqual([
      ['Facilitator', 'aaronpk'],
      ['Facilitator', 'D-McAdams'],
      ['Facilitator', 'pcarleton'],
    ]);
    expect(f.membershipNote).toMatch(/^Open to anyone/);
    expect(doc.sections.map((s) => s.heading)).toEqual(
      expect.arrayContaining(['One channel, threads per topic', 'Agenda-driven calls', 'From problem to SEP']),
    );
  });

  it('enterprise-managed-authorization keeps the <Note> before the first heading', () => {
    const doc = parseCharter(read('interest-groups/enterprise-managed-authorization.mdx'));
    expect(doc.preamble).toMatch(/^<Note>[\s\S]*<\/Note>$/);
  });

  it('short rows stay short and escaped pipes stay in their cell', () => {
    expect(splitRow('| a | b \\| c |')).toEqual(['a', 'b \\| c']);
    const doc = parseCharter('## T\n\n| A | B | C |\n| - | - | - |\n| 1 | 2 |\n');
    const t = doc.sections[0]!.blocks[0]!;
    expect(t.type === 'table' && t.rows).toEqual([['1', '2']]);
    expect(parseCharter(renderCharter(doc))).toEqual(doc);
  });

  it('reads handles and plain text out of cells', () => {
    expect(githubHandle('[@rdimitrov](https://github.com/rdimitrov)')).toBe('rdimitrov');
    expect(githubHandle('@foo')).toBe('foo');
    expect(githubHandle('TBD')).toBeNull();
    expect(githubHandle('')).toBeNull();
    expect(plainText('tadasant\\_')).toBe('tadasant_');
    expect(plainText('**Working Group**')).toBe('Working Group');
  });
});

describe('writing and amending charters', () => {
  const input = {
    name: 'Hosting',
    kind: 'interest' as const,
    mission: 'Share hosting practice.',
    scopeIn: ['Load balancers'],
    scopeOut: [],
    relatedGroups: [],
    leads: [{ name: 'Sam | R', organisation: 'GHC', github: 'sam' }],
    date: '2026-11-02',
    protocol: 'MCP',
  };
  const fresh = Object.assign(() => newCharter(input), { input });

  it('a new charter follows the template and says facilitator for an interest group', () => {
    const f = charterFacts(fresh());
    expect(f).toMatchObject({
      title: 'Hosting Charter',
      groupType: 'interest',
      scopeIn: ['Load balancers'],
      changelog: [{ date: '2026-11-02', change: 'Initial charter proposed' }],
    });
    expect(f.leadership).toEqual([expect.objectContaining({ role: 'Facilitator', name: 'Sam | R', github: 'sam' })]);
    // the protocol is the community's own, as its governance file names it
    expect(renderCharter(fresh())).toContain('description: "Charter for the MCP Hosting Interest Group."');
    expect(renderCharter(newCharter({ ...input, protocol: 'OpenPay' }))).toContain(
      'description: "Charter for the OpenPay Hosting Interest Group."',
    );
  });

  it("a new charter's name and leads are written as text: valid front matter, no markup or MDX from them", () => {
    const name = 'Auth: "tokens" #2 {x}';
    const lead = { name: 'Ana <b>x</b> [y](z) *w*', organisation: 'A|B {c}', github: 'ana' };
    const doc = newCharter({ ...fresh.input, name, leads: [lead] });
    const file = renderCharter(doc);
    expect(file).toContain(`title: "Auth: \\"tokens\\" #2 {x} Charter"`);
    expect(file).toContain('| Ana \\<b\\>x\\</b\\> \\[y\\](z) \\*w\\* | A\\|B \\{c\\} ');
    const f = charterFacts(doc);
    expect(f.title).toBe('Auth: "tokens" #2 {x} Charter');
    expect(f.leadership).toEqual([
      expect.objectContaining({ name: 'Ana <b>x</b> [y](z) *w*', organisation: 'A|B {c}', github: 'ana' }),
    ]);
  });

  it('replaces a section with its subsections, and refuses a heading that does not exist', () => {
    const doc = replaceSection(fresh(), 'scope', '### In Scope\n\n- Queues\n- Caches');
    const f = charterFacts(doc);
    expect(f.scopeIn).toEqual(['Queues', 'Caches']);
    expect(f.scopeOut).toEqual([]);
    expect(() => replaceSection(fresh(), 'Misson', 'x')).toThrow(
      /no section 'Misson'; its sections are: Group Type, Mission Statement/,
    );
    expect(() => replaceSection(fresh(), 'Mission Statement', 'x\n\n## Sneaky')).toThrow(
      /must not start another section/,
    );
  });

  it('adds a section of the charter template it lacks where the template puts it, once; the deliverables are then read', () => {
    const doc = replaceSection(
      fresh(),
      'deliverables & success metrics',
      '### Active Work Items\n\n| Item | Status | Target Date | Champion |\n| --- | --- | --- | --- |\n| Guide | Draft | 2027-03-01 | @sam |',
    );
    const headings = doc.sections.filter((s) => s.level === 2).map((s) => s.heading);
    expect(headings.slice(-2)).toEqual(['Deliverables & Success Metrics', 'Changelog']);
    expect(charterFacts(doc).deliverables).toEqual([
      { item: 'Guide', status: 'Draft', targetDate: '2027-03-01', champion: '@sam' },
    ]);
    const authority = replaceSection(
      doc,
      'Authority & Decision Rights',
      '| Decision Type | Authority Level |\n| --- | --- |',
    );
    expect(authority.sections.filter((s) => s.level === 2).map((s) => s.heading)).toEqual([
      'Group Type',
      'Mission Statement',
      'Scope',
      'Leadership',
      'Authority & Decision Rights',
      'Membership',
      'Operations',
      'Deliverables & Success Metrics',
      'Changelog',
    ]);
    // a second write replaces it, never adds another
    const again = replaceSection(doc, 'Deliverables & Success Metrics', '### Success Criteria\n\n- Two adopters');
    expect(again.sections.filter((s) => s.heading === 'Deliverables & Success Metrics')).toHaveLength(1);
    expect(charterFacts(again).deliverables).toEqual([]);
  });

  it('adds changelog lines newest first', () => {
    const f = charterFacts(addChangelogEntry(fresh(), '2026-12-01', 'Scope widened'));
    expect(f.changelog.map((c) => c.change)).toEqual(['Scope widened', 'Initial charter proposed']);
  });
});
