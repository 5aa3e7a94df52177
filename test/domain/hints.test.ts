// The hints model: what it reads, that training is repeatable, how thresholds are chosen, and
// that the shipped model was trained on the data in datasets/hints/ and explains what it flags.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHintRows } from '../../scripts/hints-data.ts';
import { featureHash, features, forEachHashed } from '../../src/domain/hints/features.ts';
import { judge } from '../../src/domain/hints/model.ts';
import { model } from '../../src/domain/hints/model-file.ts';
import { chooseThreshold, DEFAULTS, fitWeights, type Row, writerFolds } from '../../src/domain/hints/train.ts';
import { judgeLine } from '../../src/domain/interests.ts';
import { loadShippedModel } from '../../src/domain/hints/shipped.ts';

// the shipped hints model loads on first use: these call the judgement directly
beforeAll(() => loadShippedModel());

describe('the hints model', () => {
  it('judges by the same features it was trained on, without building their names', () => {
    const s = "Nah, batching goes — we won't accept anything else!";
    const named = features(s).map((f) => featureHash(f.name));
    const hashed: number[] = [];
    forEachHashed(s, (h) => hashed.push(h));
    expect(hashed).toEqual(named);
    expect(features(s).map((f) => f.name)).toEqual(
      expect.arrayContaining(["w:won't", 'b:<s> nah', 'b:else !', 'c: bat', 'r:we will not accept']),
    );
  });

  it('reads words someone is quoted as saying apart from the speaker’s own', () => {
    const names = (s: string) => features(s).map((f) => f.name);
    const quoted = names(`When you say 'the registry must be npm-based', what would that solve?`);
    expect(quoted).toEqual(expect.arrayContaining(['q:must', 'q:registry', 'w:must', 'r:quoted']));
    expect(quoted).not.toContain('q:solve');
    expect(names('Alex wrote “we must ship mTLS or nothing.” Is the need client identity?')).toContain('q:mtls');
    const reply = names('> Transport Y is the only acceptable solution. Can we unpack the numbers?');
    expect(reply).toEqual(expect.arrayContaining(['q:transport', 'q:acceptable']));
    expect(reply).not.toContain('q:unpack');
    // apostrophes are not quotation marks
    expect(names("We won't accept anything but OAuth, it's final").some((n) => n.startsWith('q:'))).toBe(false);
    expect(names("We won't accept anything but OAuth, it's final")).not.toContain('r:quoted');
    // a hand-written cue that fires inside the quote is a cue of its own, not the speaker's
    expect(reply).toContain('rq:the only acceptable solution');
    expect(reply).not.toContain('r:the only acceptable solution');
    expect(names('Transport Y is the only acceptable solution.')).toContain('r:the only acceptable solution');
  });

  it('trains the same model from the same rows', () => {
    const rows = loadHintRows().filter((_, i) => i % 10 === 0);
    const o = { ...DEFAULTS, epochs: 3 };
    expect(JSON.stringify(fitWeights(rows, o))).toBe(JSON.stringify(fitWeights(rows, o)));
  });

  it('keeps each writer in one fold and deals the corpus round them', () => {
    const row = (writer: string): Row => ({ label: 'neither', sentence: writer, writer });
    const folds = writerFolds(['a', 'b', 'a', 'corpus', 'corpus', 'c'].map(row));
    expect(folds.map((f) => f.map((r) => r.writer))).toEqual([['a', 'a', 'corpus'], ['b', 'corpus'], ['c']]);
  });

  it('chooses the lowest threshold at which precision reaches the aim, never under the floor', () => {
    const scored = [0.99, 0.95, 0.9, 0.8, 0.7].map((p, i) => ({ p, yes: i !== 2 }));
    expect(chooseThreshold(scored, 0.95, 0.5)).toBe(0.95);
    expect(chooseThreshold(scored, 0.75, 0.5)).toBe(0.7);
    expect(chooseThreshold(scored, 0.75, 0.85)).toBe(0.85);
  });

  it('ships a model trained on the labelled data as it is now', () => {
    const rows = loadHintRows();
    expect(rows.length).toBeGreaterThanOrEqual(1500);
    const digest = createHash('sha256')
      .update(rows.map((r) => `${r.label}\t${r.writer}\t${r.sentence}`).join('\n'))
      .digest('hex')
      .slice(0, 16);
    expect(model.trained.data, 'run npm run train:hints after changing datasets/hints/').toBe(digest);
  });

  it('flags phrasings no rule was written for, naming the words that triggered it', () => {
    expect(judgeLine('nah, batching goes, end of').kind).toBe('position');
    expect(judgeLine('Shameless plug: our gateway does this out of the box, first month free').kind).toBe('marketing');
    const dm = judge(model, 'DM me for early access');
    expect(dm.kind).toBe('marketing');
    expect(dm.words.length).toBeGreaterThan(0);
    expect(dm.words.join(' ')).toMatch(/dm|early|access/);
    expect(judgeLine('DM me for early access').cue).toMatch(/^the words "/);
  });
});
