import { describe, expect, it } from 'vitest';
import type { PublicOriginals } from '../../src/domain/governance/schema.ts';
import { type KnownPages, resolveLink } from '../../src/domain/links.ts';

const known: KnownPages = {
  proposals: new Set(['P-1', 'P-2', 'SEP-1686']),
  people: new Map([['priya', 'priya']]),
  groups: new Set(['auth']),
  artifacts: new Set(['community-wg-repo/wg/hosting/glossary.md']),
};
const o: PublicOriginals = {
  repository: 'https://github.com/org/spec',
  docsSite: 'https://docs.example',
  people: 'https://github.com/',
  sources: {
    'spec-repo': 'https://github.com/org/spec/blob/main',
    'community-wg-repo': 'https://github.com/org/wg/blob/main',
  },
};
const none: PublicOriginals = { sources: {} };

describe('where a link in content leads', () => {
  it('a docs-site path leads to the group or SEP here, else to the docs site', () => {
    expect(resolveLink('/community/working-groups/auth', 'x', known, o)).toBe('/groups/auth');
    expect(resolveLink('/seps/1686-tasks', 'x', known, o)).toBe('/proposals/SEP-1686');
    expect(resolveLink('/seps/2663-tasks-extension', 'x', known, o)).toBe(
      'https://docs.example/seps/2663-tasks-extension',
    );
    expect(resolveLink('/specification/draft#tools', 'x', known, o)).toBe(
      'https://docs.example/specification/draft#tools',
    );
    expect(resolveLink('/community/antitrust', 'x', known, none)).toBeNull();
  });

  it('#n is an issue or pull request of the repository, or the SEP it numbers', () => {
    expect(resolveLink('/proposals/P-234', '#234', known, o)).toBe('https://github.com/org/spec/issues/234');
    expect(resolveLink('/proposals/P-1686', '#1686', known, o)).toBe('/proposals/SEP-1686');
    expect(resolveLink('/proposals/P-1', 'P-1', known, o)).toBe('/proposals/P-1');
    expect(resolveLink('/proposals/P-9', 'P-9', known, o)).toBeNull();
  });

  it('a SEP not here leads to its pull request; without a repository it is text', () => {
    expect(resolveLink('/proposals/SEP-2643', 'SEP-2643', known, o)).toBe('https://github.com/org/spec/pull/2643');
    expect(resolveLink('/proposals/SEP-2643', 'SEP-2643', known, none)).toBeNull();
  });

  it('a person not here leads to their public profile, or is text', () => {
    expect(resolveLink('/people/Priya', '@Priya', known, o)).toBe('/people/priya');
    expect(resolveLink('/people/jerome3o-anthropic', '@jerome3o-anthropic', known, o)).toBe(
      'https://github.com/jerome3o-anthropic',
    );
    expect(resolveLink('/people/someone', '@someone', known, none)).toBeNull();
  });

  it('a relative link follows the file it was written in', () => {
    const base = 'community-wg-repo/wg/hosting/README.md';
    expect(resolveLink('glossary.md', 'Glossary', known, o, base)).toBe(
      '/artifacts/community-wg-repo/wg/hosting/glossary.md',
    );
    expect(resolveLink('../../README.md#why', 'guide', known, o, base)).toBe(
      'https://github.com/org/wg/blob/main/README.md#why',
    );
    expect(resolveLink('../../../../x.md', 'x', known, o, base)).toBeNull();
    expect(resolveLink('glossary.md', 'Glossary', known, o)).toBeNull();
    expect(resolveLink('./1686-tasks.md', 'SEP-1686', known, o, 'seps/2663-x.md')).toBe('/proposals/SEP-1686');
    expect(resolveLink('./2000-x.md', 'SEP-2000', known, o, 'seps/2663-x.md')).toBe(
      'https://github.com/org/spec/pull/2000',
    );
  });

  it('leaves web addresses, anchors and the hub’s own pages alone', () => {
    expect(resolveLink('https://example.org/a', 'a', known, o)).toBe('https://example.org/a');
    expect(resolveLink('#motivation', 'a', known, o)).toBe('#motivation');
    expect(resolveLink('/meetings/M-3', 'M-3', known, o)).toBe('/meetings/M-3');
    expect(resolveLink('/groups/nope', 'nope', known, o)).toBeNull();
  });
});
