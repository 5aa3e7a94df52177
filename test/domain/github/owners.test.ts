// CODEOWNERS and MAINTAINERS as the MCP repository has them (corpus): who guards the charters,
// and which role each listed maintainer's section gives.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownersOf, parseCodeowners, parseMaintainers } from '../../../src/domain/github/owners.ts';
import { CORPUS } from '../../support/corpus.ts';

const ORDER = ['contributor', 'member', 'maintainer', 'core-maintainer', 'lead-maintainer'];
const read = (f: string) => readFileSync(path.join(CORPUS, 'spec-repo', f), 'utf8');

describe('CODEOWNERS', () => {
  const rules = parseCodeowners(read('.github/CODEOWNERS'));
  it('gives charters to the core maintainers and overview pages to the maintainers (the later rule wins)', () => {
    expect(ownersOf(rules, 'docs/community/working-groups/auth/charter.mdx')).toEqual([
      '@modelcontextprotocol/core-maintainers',
    ]);
    expect(ownersOf(rules, '/docs/community/interest-groups/x/overview.mdx')).toEqual([
      '@modelcontextprotocol/maintainers',
    ]);
    expect(ownersOf(rules, 'docs/specification/2025-06-18/basic/authorization.mdx')).toEqual([
      '@modelcontextprotocol/core-maintainers',
      '@modelcontextprotocol/auth-wg',
    ]);
    expect(ownersOf(rules, 'blog/post.md')).toEqual(['@dsp-ant', '@localden']);
    expect(ownersOf(rules, 'README.md')).toEqual([]);
  });
  it('skips comments and rules without owners', () => {
    expect(parseCodeowners('# only a comment\n\n*.md   # no owner\n*.ts @a # why\n')).toEqual([
      { pattern: '*.ts', owners: ['@a'] },
    ]);
    expect(ownersOf(parseCodeowners('*.ts @a\n'), 'src/deep/x.ts')).toEqual(['@a']);
  });
});

describe('MAINTAINERS', () => {
  const people = parseMaintainers(read('MAINTAINERS.md'), ORDER);
  const of = (login: string) => people.find((p) => p.login === login);
  it('maps lead, core and SDK maintainers to their roles, and emeritus to none', () => {
    expect(of('dsp-ant')).toEqual({ login: 'dsp-ant', section: 'Lead Maintainers', role: 'lead-maintainer' });
    expect(of('pcarleton')?.role).toBe('core-maintainer');
    expect(of('jspahrsummers')).toEqual({ login: 'jspahrsummers', section: 'Emeritus', role: null });
    expect(of('tzolov')).toEqual({ login: 'tzolov', section: 'SDK Maintainers', role: 'maintainer' });
  });
  it('keeps the highest role of someone listed twice', () => {
    const twice = parseMaintainers(
      '## SDK Maintainers\n- @kim\n## Core Maintainers\n- [Kim](https://github.com/kim)\n',
      ORDER,
    );
    expect(twice).toEqual([{ login: 'kim', section: 'Core Maintainers', role: 'core-maintainer' }]);
  });
});
