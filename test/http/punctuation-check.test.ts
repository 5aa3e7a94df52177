// The crawl's punctuation check finds the slips it is for, and leaves the writer's own ".." and
// "::" in code, paths and ellipses alone (a check that found nothing could not fail otherwise).
import { describe, expect, it } from 'vitest';
import { punctuationSlips } from '../support/punctuation.ts';

describe('the punctuation check', () => {
  it('finds doubled stops and commas, "::" in prose, and a count larger than its whole', () => {
    const slips = punctuationSlips(
      '<main><p>Refused: only a lead may move it..</p><p>Sponsored by <a href="/people/a">@a</a>. .</p>' +
        '<p>Quorum: 2 of 1 needed</p><p>Who:: nobody</p><p>Alice,, Bob</p></main>',
    );
    expect(slips.map((s) => s.split(':')[0])).toEqual([
      'doubled stop',
      'doubled stop',
      'count larger than its whole',
      'doubled colon',
      'doubled comma',
    ]);
  });

  it('leaves ellipses, paths, ranges, code and preformatted text alone', () => {
    expect(
      punctuationSlips(
        '<main><p>Wait...</p><p>See ../README.md and 1..5 and 2 of 3 votes.</p>' +
          '<p>Use <code>std::vector</code>, <code>a..b</code>, or <code>x</code>.</p><pre>a :: b .. c</pre></main>',
      ),
    ).toEqual([]);
  });
});
