import { describe, expect, it } from 'vitest';
import { withFieldLabels } from '../../src/http/web/forms.ts';

// A facilitator's first refused form read "startsAt: must be in the future": the summary named
// fields by the keys the use cases report. It now names them as the form does.
describe('the error summary in the words of the form', () => {
  const page = (summary: string, form: string) =>
    `<main><div class="error-summary" role="alert"><h2>There is a problem</h2><ul>${summary}</ul></div>${form}</main>`;

  it("names each field by its input's label, or a fieldset's legend, and keeps a key nothing labels", () => {
    const out = withFieldLabels(
      page(
        '<li><a href="#f-startsAt">startsAt: must be in the future</a></li>' +
          '<li><a href="#f-choice">choice: must be one of: yes, no</a></li>' +
          '<li><a href="#f-version">version: must be the version the form was loaded with</a></li>',
        '<label for="f-startsAt">Starts at <span class="hint">(your time)</span>:</label><input id="f-startsAt">' +
          '<fieldset id="f-choice"><legend>Your vote</legend></fieldset>',
      ),
    );
    expect(out).toContain('<a href="#f-startsAt">Starts at (your time): must be in the future</a>');
    // its options are words on the page: the values the form sends are not named
    expect(out).toContain('<a href="#f-choice">Your vote: choose one of the options</a>');
    expect(out).toContain('<a href="#f-version">version: must be the version');
  });

  it('leaves a page without a summary, and text outside the summary, as they are', () => {
    const plain = '<main><a href="#f-x">x: y</a><label for="f-x">Ex</label></main>';
    expect(withFieldLabels(plain)).toBe(plain);
    const out = withFieldLabels(
      page('<li><a href="#f-x">x: y</a></li>', '<p><a href="#f-x">x: y</a></p><label for="f-x">Ex</label>'),
    );
    expect(out).toContain('<li><a href="#f-x">Ex: y</a></li>');
    expect(out).toContain('<p><a href="#f-x">x: y</a></p>');
  });
});

describe('the error summary in the order of the form', () => {
  const page = (summary: string, form: string) =>
    `<main><div class="error-summary" role="alert"><h2>There is a problem</h2><ul>${summary}</ul></div>${form}</main>`;

  it('lists each mistake where its field stands, top to bottom, and keeps an entry that names no field', () => {
    const out = withFieldLabels(
      page(
        '<li><a href="#f-b">b: second</a></li><li><a href="#f-a">a: first</a></li>',
        '<label for="f-a">A</label><input id="f-a"><label for="f-b">B</label><input id="f-b">',
      ),
    );
    expect(out).toContain('<ul><li><a href="#f-a">A: first</a></li><li><a href="#f-b">B: second</a></li></ul>');
    const message = page('<li>This comment was changed by someone else $&</li>', '');
    expect(withFieldLabels(message)).toBe(message);
  });
});
