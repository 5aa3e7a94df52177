import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSep, renderSep, sepFacts, splitPeople } from '../../src/domain/sep/index.ts';
import { CORPUS } from '../support/corpus.ts';

const DIR = path.join(CORPUS, 'spec-repo/seps');
const files = readdirSync(DIR).filter((f) => /^\d+-.*\.md$/.test(f));
const facts = (f: string) => sepFacts(parseSep(readFileSync(path.join(DIR, f), 'utf8')));

describe('SEP documents on the 41 real SEPs', () => {
  it('finds 41 SEP files', () => expect(files).toHaveLength(41));

  it.each(files)('%s renders back byte for byte, keeping every header field verbatim', (f) => {
    const src = readFileSync(path.join(DIR, f), 'utf8');
    const doc = parseSep(src);
    expect(renderSep(doc)).toBe(src);
    expect(parseSep(renderSep(doc))).toEqual(doc);
    const bullets = src
      .split('\n## ')[0]!
      .split('\n')
      .filter((l) => /^- \*\*/.test(l)).length;
    expect(doc.header.length).toBe(bullets);
    expect(facts(f).number).toBe(parseInt(f, 10));
  });
});

describe('messy SEP headers are read, with warnings, not rejected', () => {
  it('multi-line author lists and role notes', () => {
    expect(facts('1865-mcp-apps-interactive-user-interfaces-for-mcp.md').authors.map((a) => a.handle)).toEqual([
      'idosal',
      'liadyosef',
      'olivierchafik',
      'jeromeswannack',
      'jonathanhefner',
      'antonpidkuiko',
      'nickcooper',
      'bryanashley',
      'alexichristakis',
    ]);
    expect(facts('2106-json-schema-2020-12.md').authors.map((a) => a.handle)).toEqual(['jpmcb', 'olaservo']);
    expect(facts('1034--support-default-values-for-all-primitive-types-in.md').authors).toEqual([
      { name: 'Tapan Chugh', handle: null, isGroup: false },
    ]);
    expect(splitPeople('Paul Carleton (@pcarleton) Aaron Parecki (@aaronpk)')).toEqual([
      'Paul Carleton (@pcarleton)',
      'Aaron Parecki (@aaronpk)',
    ]);
  });

  it('missing and "None" sponsors, group authors, stale body statuses and placeholders are warned about', () => {
    expect(facts('1865-mcp-apps-interactive-user-interfaces-for-mcp.md').warnings).toContain(
      "no sponsor ('None (seeking sponsor)')",
    );
    expect(facts('1024-mcp-client-security-requirements-for-local-server-.md').warnings).toEqual([
      'no Sponsor field',
      "status 'Final' without a recorded sponsor",
    ]);
    expect(facts('2243-http-standardization.md').warnings).toContain(
      "authored by a group: 'MCP Transports Working Group'",
    );
    expect(facts('1046-support-oauth-client-credentials-flow-in-authoriza.md').warnings).toContain(
      "the body says status 'Proposal' but the header says 'Final' (stale status inside the body)",
    );
    expect(facts('2322-MRTR.md').warnings[0]).toMatch(/template placeholder/);
  });

  it('extra fields are parsed where known and kept verbatim always', () => {
    const f = facts('2484-conformance-tests-required-for-final-seps.md');
    expect(f.supersedes).toEqual(['SEP-1627']);
    expect(f.fields.Supersedes).toBe('SEP-1627 (Conformance Testing)');
    expect(facts('2663-tasks-extension.md').fields['Extension Identifier']).toBe('`io.modelcontextprotocol/tasks`');
    expect(facts('1850-pr-based-sep-workflow.md').fields.Accepted).toBe(
      '2025-11-28, 8 Yes, 0 No, 0 Absent per vote in Discord.',
    );
  });

  it('a non-standard status is kept and flagged', () => {
    const doc = parseSep(
      '# SEP-9: X\n\n- **Status**: Approved With Changes\n- **Type**: Process\n- **Created**: 2026-01-01\n- **Author(s)**: A (@a)\n- **Sponsor**: B (@b)\n\n## Abstract\n',
    );
    expect(sepFacts(doc).status).toEqual({ raw: 'Approved With Changes', stage: null });
    expect(sepFacts(doc).warnings).toContain("non-standard status 'Approved With Changes'; kept as written");
  });
});
