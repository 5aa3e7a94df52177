import { beforeAll, describe, expect, it } from 'vitest';
import {
  demoteHeadings,
  findMentions,
  githubMarkdown,
  renderMarkdown,
  renderWithMentions,
} from '../../src/domain/markdown.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { renderedOf, storedRendering } from '../../src/domain/comment-rendering.ts';
import { loadShippedModel } from '../../src/domain/hints/shipped.ts';

// the shipped hints model loads on first use: these call the judgement directly
beforeAll(() => loadShippedModel());

// A list of well-known XSS payloads (in the style of the OWASP filter-evasion cheat sheet).
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '[click](javascript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '![x](javascript:alert(1))',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<body onload=alert(1)>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel=stylesheet href="javascript:alert(1)">',
  '"><script>alert(1)</script>',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<p title="</p><script>alert(1)</script>">',
  '<a href=" javascript:alert(1)">x</a>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<scr<script>ipt>alert(1)</script>',
  '<video><source onerror="alert(1)"></video>',
];

describe('safe markdown', () => {
  it.each(PAYLOADS)('neutralises %s', (payload) => {
    const html = renderMarkdown(`Hello\n\n${payload}\n\nbye`);
    expect(html).not.toMatch(/<script/i);
    // inside a real tag: escaped text such as &lt;img onerror=…&gt; is harmless
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/(href|src|action|data|xlink:href)\s*=\s*"\s*(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/<(iframe|object|embed|form|meta|base|link|style|svg|math|body|input)\b/i);
    expect(html).toContain('Hello');
  });

  it('links to web pages, mail addresses and the hub only: another scheme is shown as the text written', () => {
    for (const link of [
      '[a](ftp://files.example/f)',
      '[b](ms-settings:display)',
      '[c](tel:+15550100)',
      '<intent://scan/#Intent;scheme=zxing;end>',
      '![d](data:image/png;base64,AAAA)',
      '[e](Data:image/png;base64,AAAA)',
    ]) {
      const html = renderMarkdown(link);
      expect(html, link).not.toContain('<a ');
      expect(html, link).not.toContain('<img');
    }
    expect(renderMarkdown('[w](HTTPS://example.org/x)')).toContain('<a href="HTTPS://example.org/x"');
    expect(renderMarkdown('[m](mailto:wg@example.org)')).toContain('<a href="mailto:wg@example.org"');
    expect(renderMarkdown('[p](/proposals/P-1) and [s](#scope)')).toMatch(/href="\/proposals\/P-1".*href="#scope"/);
  });

  it('a comment rendered and stored by older rules is rendered anew by the rules now', () => {
    const body = 'Files at [the mirror](ftp://files.example/f)';
    const older = {
      v: 1,
      html: '<p>Files at <a href="ftp://files.example/f">the mirror</a></p>',
      mentions: { people: [], items: [] },
      flags: [],
    };
    expect(renderedOf(older, body, 1).html).not.toContain('<a ');
    // one stored by these rules, for this version of the text, is shown as stored
    const current = storedRendering(body, 1);
    expect(renderedOf({ ...current, html: '<p>as stored</p>' }, body, 1).html).toBe('<p>as stored</p>');
    expect(renderedOf(current, body, 2).html).toBe(current.html);
  });

  it('keeps ordinary formatting, tables and code', () => {
    const html = renderMarkdown('**bold** and `code`\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```js\nalert(1)\n```');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<table>');
    expect(html).toContain('<code class="language-js">alert(1)\n</code>');
  });

  it('links mentions of people and items, and lists them', () => {
    const md = 'Thanks @priya, see SEP-2575 and #12 (not `@code` or email a@b.com)';
    expect(findMentions(md)).toEqual({ people: ['priya'], items: ['SEP-2575', 'P-12'] });
    const html = renderMarkdown(md);
    expect(html).toContain('<a href="/people/priya">@priya</a>');
    expect(html).toContain('<a href="/proposals/SEP-2575">SEP-2575</a>');
    expect(html).toContain('<a href="/proposals/P-12">#12</a>');
  });

  it('links decisions and meetings where a text names them, without counting them as items to relate', () => {
    const md = 'Settled in D-4 at M-7 (not in `D-5`, x-M-8, or ID-9)';
    expect(findMentions(md)).toEqual({ people: [], items: [] });
    const html = renderMarkdown(md);
    expect(html).toContain('<a href="/decisions/D-4">D-4</a>');
    expect(html).toContain('<a href="/meetings/M-7">M-7</a>');
    expect(html).not.toMatch(/href="\/(decisions|meetings)\/[DM]-[589]"/);
  });

  it('leaves a mention inside a link as that link text, never nesting links', () => {
    const html = renderMarkdown(
      '| Lead | [@sam-lead](https://github.com/sam-lead) about [SEP-2575](https://example.org/2575) |\n|---|---|\n',
    );
    expect(html).toContain('<a href="https://github.com/sam-lead" rel="nofollow ugc noopener">@sam-lead</a>');
    expect(html).toContain('<a href="https://example.org/2575" rel="nofollow ugc noopener">SEP-2575</a>');
    expect(html).not.toContain('/people/sam-lead');
  });

  // A mention is what the page links: a character reference or an escape is text, never a mention
  // that notifies someone or ties the comment to a proposal.
  it.each([
    ['a character reference', 'a&#58;b and &#x3A;', ':'],
    ['an @ written as a reference', '&#64;alice', '@alice'],
    ['an escaped #', 'see \\#12', '#12'],
    ['a mention assembled from references', 'P&#45;12', 'P-12'],
    ['an indented code block', 'text\n\n    @alice and #12\n', '@alice and #12'],
  ])('finds no mention in %s, and links none', (_, md, shown) => {
    expect(findMentions(md)).toEqual({ people: [], items: [] });
    const html = renderMarkdown(md);
    expect(html).toContain(shown);
    expect(html).not.toMatch(/href="\/(people|proposals)\//);
  });

  // Crafted input that took micromark minutes (or overflowed its stack) renders as text, quickly.
  it.each([
    ['nested emphasis', `${'*'.repeat(25_000)}a${'*'.repeat(25_000)}`],
    ['nested quotes', `${'>'.repeat(50_000)} a`],
    ['quotes with spaces', `${'> '.repeat(25_000)}a`],
    ['nested lists on one line', `${'- '.repeat(25_000)}a`],
    ['nested strong and emphasis', `${'*a **a '.repeat(3_500)}b${' a** a*'.repeat(3_500)}`],
    ['unmatched emphasis closers', 'a_ '.repeat(16_000)],
    ['unclosed links', '[a](b'.repeat(10_000)],
  ])('renders %s (50,000 characters) without failing, escaped', (_, text) => {
    const html = renderMarkdown(`${text}<script>x</script>`);
    expect(html).not.toMatch(/<script/i);
    expect(html.length).toBeGreaterThan(0);
  });

  // Pathological input renders to what it means: every address linked, every delimiter kept.
  it('links an address written many times every time, and each address of a long list', () => {
    const same = renderMarkdown('mail x@y.org '.repeat(1_500));
    expect(same.match(/<a href="mailto:x@y.org" rel="nofollow ugc noopener">x@y.org<\/a>/g)).toHaveLength(1_500);
    const many = renderMarkdown(Array.from({ length: 1_500 }, (_, i) => `https://h${i}.example/p`).join(' '));
    expect(many).toContain('<a href="https://h1499.example/p" rel="nofollow ugc noopener">https://h1499.example/p</a>');
    expect(many.match(/<a /g)).toHaveLength(1_500);
  });

  it('links at most so many bare addresses a text, then shows them as written', () => {
    for (const address of ['x@y.org', 'https://a.example/p']) {
      const html = renderMarkdown(`${address} `.repeat(LIMITS.markdown.autolinks + 300));
      expect(html.match(/<a /g)).toHaveLength(LIMITS.markdown.autolinks);
      expect(html).toContain(`</a> ${`${address} `.repeat(299)}${address}</p>`);
    }
    // a written link is not a bare address: it links past the bound
    const written = renderMarkdown(`${'x@y.org '.repeat(LIMITS.markdown.autolinks)}[docs](https://a.example/d)`);
    expect(written).toContain('<a href="https://a.example/d" rel="nofollow ugc noopener">docs</a>');
  });

  it('renders runs of emphasis, link and heading markers as the text they are', () => {
    expect(renderMarkdown('*['.repeat(10_000)) === `<p>${'<em>[</em>['.repeat(5_000)}</p>\n`).toBe(true);
    expect(renderMarkdown('!['.repeat(10_000)) === `<p>${'!['.repeat(10_000)}</p>\n`).toBe(true);
    expect(renderMarkdown('# a\n'.repeat(5_000)) === '<h1>a</h1>\n'.repeat(5_000)).toBe(true);
  });

  it('shows the paragraphs past its markup budget as written, escaped', () => {
    const lines = LIMITS.markdown.markup;
    const text = `Intro *one*\n\n${'*a*\n\n'.repeat(lines)}**after** <b>x</b>`;
    const html = renderMarkdown(text);
    expect(html.startsWith('<p>Intro <em>one</em></p>\n<p><em>a</em></p>\n<p><em>a</em></p>\n')).toBe(true);
    expect(html.endsWith('<p>*a*</p>\n<p>**after** &lt;b&gt;x&lt;/b&gt;</p>\n')).toBe(true);
    expect(html).not.toContain('<strong>');
    // within the budget, the same paragraphs are markup
    const short = renderMarkdown(`${'*a*\n\n'.repeat(100)}**after**`);
    expect(short.endsWith('<p><em>a</em></p>\n<p><strong>after</strong></p>\n')).toBe(true);
  });

  it('names at most so many people and items a text, and links at most so many mentions', () => {
    const people = Array.from({ length: LIMITS.markdown.mentions + 50 }, (_, i) => `@p${i}`).join(' ');
    const found = findMentions(`${people} ${'#1 '.repeat(LIMITS.markdown.mentionLinks + 500)}`);
    expect(found.people).toHaveLength(LIMITS.markdown.mentions);
    expect(found.people).toContain('p0');
    expect(found.people).not.toContain(`p${LIMITS.markdown.mentions}`);
    expect(found.items).toEqual(['P-1']);
    const html = renderMarkdown('#1 '.repeat(LIMITS.markdown.mentionLinks + 500));
    expect(html.match(/<a href="\/proposals\/P-1">#1<\/a>/g)).toHaveLength(LIMITS.markdown.mentionLinks);
    expect(html).toContain(`${' #1'.repeat(499)}</p>`);
  });

  it('gives the same HTML and mentions from one parse as from rendering and finding apart', () => {
    const text = 'Thanks @priya, see SEP-2575 and [#12](/proposals/P-12) *with* `@code`\n\n| a |\n|---|\n| @sam |';
    expect(renderWithMentions(text)).toEqual({ html: renderMarkdown(`${text}`), mentions: findMentions(text) });
  });

  it("keeps images from this hub, and shows other sites' images as links so they cannot track readers", () => {
    const html = renderMarkdown('![logo](/assets/logo.png) ![pixel](https://tracker.example/p.gif)');
    expect(html).toContain('<img src="/assets/logo.png" alt="logo">');
    expect(html).not.toContain('<img src="https://tracker.example');
    expect(html).toContain('<a href="https://tracker.example/p.gif" rel="nofollow ugc noopener">pixel (image)</a>');
  });

  it("puts member-written headings under the page's own, never below h6, and leaves escaped tags alone", () => {
    const out = demoteHeadings(renderMarkdown('# Notes\n\n## Decisions\n\n###### Deep\n\n`<h1>` and <h1>typed</h1>'));
    expect(out).toContain('<h3>Notes</h3>');
    expect(out).toContain('<h4>Decisions</h4>');
    expect(out).toContain('<h6>Deep</h6>');
    expect(out).not.toMatch(/<h[12][\s>]/);
    expect(out).toContain('&lt;h1&gt;');
  });

  it('counts from the highest heading the text has, so notes whose sections start at "##" skip no level under the section', () => {
    const out = demoteHeadings(renderMarkdown('## Attendance\n\nJonas\n\n### Late\n\n## Outcome'));
    expect(out).toContain('<h3>Attendance</h3>');
    expect(out).toContain('<h4>Late</h4>');
    expect(out).toContain('<h3>Outcome</h3>');
    expect(demoteHeadings(renderMarkdown('no heading at all'))).toBe(renderMarkdown('no heading at all'));
  });

  it('as pasted on GitHub, raw HTML is text outside code blocks whatever the line endings or escapes, and code blocks are kept as written (round 11)', () => {
    // a lone CR ends a line for markdown: the fence closes there, and the <img> after it is not code
    expect(githubMarkdown('```\ra\r```\r<img src=x>')).toBe('```\na\n```\n\\<img src=x>');
    // a backslash already there escapes nothing more; a code span is escaped too (one may begin a line above)
    expect(githubMarkdown('\\<i> and \\\\<b>')).toBe('\\<i> and \\\\\\<b>');
    expect(githubMarkdown('a `\nb` <img src=x> `')).toBe('a `\nb` \\<img src=x> `');
    // a fence inside a list item ends with it: what follows at the margin is prose
    expect(githubMarkdown('- a\n  ```\n  <kept>\nb\n<img src=x>')).toBe('- a\n  ```\n  <kept>\nb\n\\<img src=x>');
    expect(githubMarkdown('    <kept> @x\n\ncc @octocat')).toBe('    <kept> @x\n\ncc @\u2060octocat');
  });
  it('as pasted on GitHub, a fence left open is closed where the text ends, and no @ or #12 outside an address tells anyone', () => {
    // another field follows it in a description: left open, it would swallow it, and the next fence reopen prose
    expect(githubMarkdown('A problem\n```')).toBe('A problem\n```\n```');
    expect(githubMarkdown('~~~~\ncode\n~~~')).toBe('~~~~\ncode\n~~~\n~~~~');
    expect(githubMarkdown('```js\ncode\n```\nafter')).toBe('```js\ncode\n```\nafter');
    const inert = githubMarkdown('cc:@alice x-@bob a.@carol 1/@erin owner/repo#12 see #12');
    expect(inert).toBe('cc:@\u2060alice x-@\u2060bob a.@\u2060carol 1/@\u2060erin owner/repo#\u206012 see #\u206012');
    // inside an address or a mail address they are the address's own
    expect(githubMarkdown('mail a@b.example or https://x.example/@user#12')).toBe(
      'mail a@b.example or https://x.example/@user#12',
    );
  });
  it('as pasted on GitHub, an @ or #12 in what only looks like an address is inert: GitHub links none of these (round 20)', () => {
    // a member's problem text, in the pull request the hub opens: each of these pinged the login or
    // team after it (GitHub links no scheme with a letter before it or none after, no www. inside a
    // word, no host with an underscore at its end, and mailto: only before a mail address)
    const written =
      'mailto:@alice https://@bob xhttps://x.example/@carol a.www.x.example/@dave www.x_y.z_w/@erin https://#12 mailto:@org/team';
    expect(githubMarkdown(written)).toBe(
      'mailto:@\u2060alice https://@\u2060bob xhttps://x.example/@\u2060carol a.www.x.example/@\u2060dave www.x_y.z_w/@\u2060erin https://#\u206012 mailto:@\u2060org/team',
    );
    // what GitHub does link keeps its @ and #12 whole
    const linked =
      '(www.x.example/@user) 1https://x.example/@u#12 ftp://x.example/@u *www.x.example/@v mailto:a@b.example';
    expect(githubMarkdown(linked)).toBe(linked);
  });
});
