import { beforeAll, describe, expect, it } from 'vitest';
import { loadLabelled, score } from '../../bench/interests.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { workOf } from '../../src/domain/work.ts';
import {
  checkText,
  classifySentence,
  JUDGED_SPAN_LIMIT,
  judgeLine,
  splitSentences,
} from '../../src/domain/interests.ts';
import { loadShippedModel } from '../../src/domain/hints/shipped.ts';

// the shipped hints model loads on first use: these call the judgement directly
beforeAll(() => loadShippedModel());

describe('interests, not positions; sharing, not marketing', () => {
  it('flags the guide’s own examples with the right kind, an explanation and a reframing', () => {
    const [flag] = checkText("We must implement vendor X's authentication protocol in the specification.");
    expect(flag).toMatchObject({ kind: 'position', cue: '"We must implement" (must implement / should mandate)' });
    expect(judgeLine('We must use OAuth, period.').cue).toBe('"period" (there is no alternative)');
    expect(flag!.advice).toContain('focus on interests rather than positions');
    expect(flag!.suggestion).toContain('What problem would this solve for you?');
    expect(classifySentence('Transport Y is the only acceptable solution for high-performance scenarios')).toBe(
      'position',
    );
    const [m] = checkText('Our product reduces MCP implementation costs by 50% - contact us for pricing');
    expect(m).toMatchObject({ kind: 'marketing' });
    expect(m!.advice).toContain('share expertise and experience');
  });

  it('leaves interests, experience reports, normative specification language and apologies for absence alone', () => {
    for (const s of [
      // written where people who cannot attend send their input: flagged as a position until writer yp's data
      'I cannot make it.',
      'Sorry, I cannot make it on Tuesday; I will catch up from the notes.',
      'We need a secure authentication method that works well with our existing systems',
      'Our team implemented pattern X and found these specific challenges',
      'Clients MUST include the protocol version header on every request.',
      'The server must respond with an error when the cursor is invalid.',
      'Should the specification require signed manifests, or is a recommendation enough?',
    ])
      expect(classifySentence(s), s).toBeNull();
  });

  it('ignores code and points at the sentence in the original text', () => {
    const text =
      'Intro line.\n\n```\nWe must implement gRPC\n```\n\n- Kafka is the only viable option for events.\nThanks!';
    const flags = checkText(text);
    expect(flags).toHaveLength(1);
    expect(text.slice(flags[0]!.start, flags[0]!.end)).toBe('Kafka is the only viable option for events.');
    expect(splitSentences('One. Two!\nThree').map((s) => s.sentence)).toEqual(['One.', 'Two!', 'Three']);
  });

  it('does not flag words the writer quotes from someone else in a "> " quote', () => {
    // a Markdown quote in a comment: every sentence of a "> " line is the quoted person's
    const reply =
      'Thanks for the summary.\n> Kafka is the only viable option for events. Our gateway is the best, contact sales.\n\nCould we see numbers first?';
    expect(splitSentences(reply).map((s) => s.quoted)).toEqual([false, true, true, false]);
    expect(checkText(reply)).toEqual([]);
    // the same sentences as the writer's own are flagged
    expect(checkText(reply.replaceAll('> ', '')).map((f) => f.kind)).toEqual(['position', 'marketing']);
    // a chat message that opens with a quote quotes up to its first full stop; the reply is the writer's
    const chat = '> Kafka is the only viable option for events. Kafka is the only viable option for events, period.';
    expect(splitSentences(chat).map((s) => s.quoted)).toEqual([true, false]);
    expect(checkText(chat).map((f) => f.sentence)).toEqual(['Kafka is the only viable option for events, period.']);
    expect(
      judgeLine(
        '> Our product reduces MCP costs by 50%. Flagging this per the community guidelines; product pitches belong outside the WG channels.',
      ).kind,
    ).toBeNull();
  });

  it('takes a line that starts with "..." after a quote as the writer\'s own', () => {
    const text =
      '> They asked whether Kafka would do.\n...and Kafka is the only viable option for events, period.\nThanks.';
    expect(splitSentences(text).map((s) => s.quoted)).toEqual([true, false, false]);
    expect(checkText(text).map((f) => f.sentence)).toEqual(['and Kafka is the only viable option for events, period.']);
  });

  it('splits a document of the longest kind with no sentence end in linear time', () => {
    // 'a' x 50,000 then ".b": every letter was tried as a sentence start, each scanning to the
    // end (4 s on an idle core, more on a loaded machine); a run of text is tried once now. Held by
    // the characters the sentence scanner passes over (src/domain/work.ts), not a wall-clock budget:
    // about the text's length, and twice as many for a text twice as long
    const read = (n: number) => workOf('sentences', () => splitSentences(`${'a'.repeat(n)}.b`));
    const once = read(LIMITS.document);
    const twice = read(2 * LIMITS.document);
    expect(once.value).toEqual([]);
    expect(once.read).toBeGreaterThanOrEqual(LIMITS.document);
    expect(once.read).toBeLessThan(3 * LIMITS.document);
    expect(twice.read / once.read).toBeLessThan(2.5);
    expect(checkText(`${'a'.repeat(LIMITS.document)}.b`)).toEqual([]);
    // what is split is as before: a run that ends in "3.5" is not a sentence, what follows is
    expect(splitSentences('Version 3.5 is out. Try it!').map((s) => s.sentence)).toEqual(['5 is out.', 'Try it!']);
  });

  it('judges no stretch longer than the span limit as one, however it repeats', () => {
    // one quoted word repeated 500 times (4,000 characters): judged, its weight grew with the run
    // until it read as marketing
    const run = '"abc" x '.repeat(500);
    expect(run.length).toBeGreaterThan(JUDGED_SPAN_LIMIT);
    expect(checkText(run)).toEqual([]);
    expect(judgeLine(run).kind).toBeNull();
    // a long line is still judged sentence by sentence
    const position = 'Kafka is the only viable option for events.';
    const line = `${'We met on Tuesday and read the notes together. '.repeat(25)}${position}`;
    expect(line.length).toBeGreaterThan(JUDGED_SPAN_LIMIT);
    expect(judgeLine(line).kind).toBe('position');
    expect(checkText(line).map((f) => f.sentence)).toEqual([position]);
  });

  it('meets precision ≥ 0.9 at recall ≥ 0.7 on the labelled set of 200+ sentences', () => {
    const data = loadLabelled();
    expect(data.length).toBeGreaterThanOrEqual(200);
    const rows = data.map((d) => ({ label: d.label, predicted: classifySentence(d.sentence) ?? 'none' }));
    for (const kind of ['position', 'marketing']) {
      const s = score(rows, kind);
      expect(s.precision, kind).toBeGreaterThanOrEqual(0.9);
      expect(s.recall, kind).toBeGreaterThanOrEqual(0.7);
    }
  });
});
