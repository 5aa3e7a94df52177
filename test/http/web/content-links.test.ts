// Links inside rendered content lead somewhere real, even after a table (whose scroll box is a div
// of its own inside the content region).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/domain/limits.ts';
import { renderMarkdown } from '../../../src/domain/markdown.ts';
import { linkContent } from '../../../src/http/web/content-links.ts';
import { sqliteDatabase } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

describe('links inside content', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await openTestHub(sqliteDatabase);
  });
  afterAll(() => hub.close());

  it('a site-relative link leads to its public original, after a table as well as before it', async () => {
    const content = renderMarkdown(
      [
        '[before](/community/nowhere)',
        '',
        '| a | b |',
        '| - | - |',
        '| 1 | 2 |',
        '',
        'Join the [Discord](/community/communication#discord).',
      ].join('\n'),
    );
    expect(content).toContain('<div class="table-wrap">');
    const page = `<main><div class="markdown">${content}</div><a href="/groups">Groups</a></main>`;
    const out = await linkContent(hub, page);
    expect(out).not.toContain('href="/community/');
    expect(out).toContain('href="https://modelcontextprotocol.io/community/nowhere"');
    expect(out).toContain('href="https://modelcontextprotocol.io/community/communication#discord"');
    expect(out).toContain('<table>');
    // the page's own navigation, outside the content, is left as it was
    expect(out).toContain('<a href="/groups">Groups</a>');
  });

  it('checks each different link once, and shows links past the bound as their text', async () => {
    const many = Array.from({ length: LIMITS.markdown.pageLinks + 5 }, (_, i) => `[n${i}](/community/n${i})`);
    const page = `<div class="markdown">${renderMarkdown(`${'[again](/community/n0) '.repeat(50)}${many.join(' ')}`)}</div>`;
    const out = await linkContent(hub, page);
    const last = LIMITS.markdown.pageLinks - 2; // 'again' with its link is one of them
    expect(out).toContain(`<a href="https://modelcontextprotocol.io/community/n${last}" rel="noopener">n${last}</a>`);
    expect(out).toContain(` n${last + 1} n${last + 2} `);
    expect(out).not.toContain(`/community/n${last + 1}`);
    expect(
      out.match(/<a href="https:\/\/modelcontextprotocol.io\/community\/n0" rel="noopener">again<\/a>/g),
    ).toHaveLength(50);
  });
});
