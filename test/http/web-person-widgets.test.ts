// How pages name a person a view names by handle: by name with the handle beside it, the hub's
// operator in words (never a link to a page nobody has), escaped whatever the name holds.
import { describe, expect, it } from 'vitest';
import { personIn } from '../../src/http/web/pages/widgets.ts';

const shown = (h: unknown) => String(h);

describe('a person as a page names them', () => {
  it('by name with the handle beside it, a note inside the brackets', () => {
    expect(shown(personIn({ kai: 'Kai Tanaka' }, 'kai'))).toBe(
      '<a href="/people/kai"><bdi>Kai Tanaka</bdi></a> (@kai)',
    );
    expect(shown(personIn({ kai: 'Kai Tanaka' }, 'kai', 'a party to the disagreement'))).toBe(
      '<a href="/people/kai"><bdi>Kai Tanaka</bdi></a> (@kai, a party to the disagreement)',
    );
  });

  it("the operator in words; a handle the view has no name for, as its link; nobody as 'the system'", () => {
    expect(shown(personIn({}, 'operator'))).toBe("the hub's operator");
    expect(shown(personIn({ operator: 'Operator Jones' }, 'operator'))).toBe(
      '<a href="/people/operator"><bdi>Operator Jones</bdi></a> (@operator)',
    );
    expect(shown(personIn({}, 'ghost'))).toBe('<a href="/people/ghost">@ghost</a>');
    expect(shown(personIn({}, null))).toBe('the system');
  });

  it('a right-to-left name is isolated, so the handle after it keeps its place', () => {
    expect(shown(personIn({ sara: 'שרה לוי' }, 'sara'))).toBe('<a href="/people/sara"><bdi>שרה לוי</bdi></a> (@sara)');
  });

  it('a name is text, never markup', () => {
    expect(shown(personIn({ kai: '<img src=x onerror=alert(1)> & "q"' }, 'kai'))).toBe(
      '<a href="/people/kai"><bdi>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</bdi></a> (@kai)',
    );
  });
});
