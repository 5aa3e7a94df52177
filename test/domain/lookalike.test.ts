// Unicode's confusable skeletons (UTS #39) as the hub reads names with them (attack round 18).
import { describe, expect, it } from 'vitest';
import { lookalikeDetail, looksAlike, nameClash, skeleton } from '../../src/domain/lookalike.ts';

describe('names that look alike', () => {
  it("takes UTS #39's skeleton: decomposed, each confusable character as the one it reads as", () => {
    expect(skeleton('H\u03bfsting')).toBe('Hosting');
    expect(skeleton('\u{1d407}osting')).toBe('Hosting');
    // decomposed before mapping: a Cyrillic "ё" is a Cyrillic "е" with a diaeresis, read as "ë"
    expect(skeleton('\u0451')).toBe('e\u0308');
    expect(skeleton('sam')).toBe('sarn');
  });

  it.each([
    ['H\u03bfsting', 'Hosting', true],
    ['\u041dosting', 'Hosting', true],
    ['\u0397\u039f\u0053\u03a4\u0399\u039d\u0047', 'Hosting', true],
    ['HOSTING', 'hosting', true],
    ['Ｈｏｓｔｉｎｇ', 'Hosting', true],
    ['Host\u200ding', 'Hosting', true],
    // attack round 21: a Hangul filler or the blank Braille pattern is drawn as a blank, not as nothing
    ['Nebula\u3164Tools', 'Nebula Tools', true],
    ['Nebula\u1160Tools', 'Nebula Tools', true],
    ['Nebula\uffa0Tools', 'Nebula Tools', true],
    ['Nebula\u115fTools', 'Nebula Tools', true],
    ['Nebula\u2800Tools', 'Nebula Tools', true],
    ['Nebula\u3164Tools', 'NebulaTools', false],
    ['Ilya', 'llya', true],
    ['Modem', 'Modern', true],
    // letters a reader tells apart stay apart: an accent, an L against an I in capitals
    ['Inês', 'Ines', false],
    ['GILL', 'GILI', false],
    ['Gill', 'Gili', false],
    ['Registry', 'Registries', false],
    ['Φιλοξενία', 'Hosting', false],
  ])('%s and %s: %s', (a, b, alike) => {
    expect(looksAlike(a, b)).toBe(alike);
    expect(looksAlike(b, a)).toBe(alike);
  });

  it('says which characters look alike, from either name', () => {
    expect(lookalikeDetail('H\u03bfsting', 'Hosting')).toBe("'\u03bf' (U+03BF) and 'o' look alike");
    expect(lookalikeDetail('sarn', 'sam')).toBe("'m' and 'rn' look alike");
    expect(lookalikeDetail('Ｈｏｓｔｉｎｇ', 'Hosting')).toBeNull();
    expect(lookalikeDetail('Nebula Tools', 'Nebula\u3164Tools')).toBe(
      "'\u3164' (U+3164) is drawn as a blank, as a space is",
    );
  });

  it('finds the same name before a lookalike', () => {
    const others = [{ name: 'H\u03bfsting' }, { name: 'hosting' }];
    expect(nameClash('Hosting', others)).toEqual({ other: { name: 'hosting' }, same: true, detail: null });
    expect(nameClash('Hosting', [others[0]!])).toMatchObject({
      same: false,
      detail: expect.stringContaining('U+03BF'),
    });
    expect(nameClash('Hosting', [{ name: 'Housing' }])).toBeNull();
  });
});
