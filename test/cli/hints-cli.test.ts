// `wghub hints`: the guide's hints on a text, or one verdict per line of a file, from the same
// judgement that proposals, comments and decision responses show on the web, REST and MCP.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkText } from '../../src/domain/interests.ts';
import { loadShippedModel } from '../../src/domain/hints/shipped.ts';
import { runCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-hints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// the test's own checkText reads the model: loaded here, not by whichever command ran before in this process
beforeAll(() => loadShippedModel());

type Verdict = { kind: 'position' | 'marketing' | null; cue: string | null; suggestion: string | null };

describe('wghub hints', () => {
  it('--text --json prints the flags of a text, each pointing at its sentence, with what triggered it', async () => {
    const text = 'We need resumable tasks for long jobs. nah, batching goes, end of. DM me for early access!';
    const r = await runCli(['hints', '--text', text, '--json']);
    expect(r.code).toBe(0);
    const flags = JSON.parse(r.stdout) as {
      kind: string;
      sentence: string;
      start: number;
      end: number;
      cue: string;
      suggestion: string;
    }[];
    expect(flags.map((f) => [f.kind, text.slice(f.start, f.end)])).toEqual([
      ['position', 'nah, batching goes, end of.'],
      ['marketing', 'DM me for early access!'],
    ]);
    expect(flags[1]!.cue).toMatch(/"dm"|"early"|"access"/);
    expect(flags[1]!.suggestion.length).toBeGreaterThan(20);
    // the same judgement as the one every edge shows on proposals, comments and decisions
    expect(flags).toEqual(JSON.parse(JSON.stringify(checkText(text))));
  });

  it('--lines FILE --json prints one verdict per line, in order, blank lines included', async () => {
    const file = path.join(dir, 'lines.txt');
    writeFileSync(
      file,
      [
        'Shameless plug: our gateway does this out of the box, first month free',
        'Clients MUST include the protocol version header on every request.',
        '',
        'Transport Y is the only acceptable solution for high-performance scenarios',
      ].join('\r\n') + '\r\n',
    );
    const r = await runCli(['hints', '--lines', file, '--json']);
    expect(r.code).toBe(0);
    const verdicts = JSON.parse(r.stdout) as Verdict[];
    expect(verdicts.map((v) => v.kind)).toEqual(['marketing', null, null, 'position']);
    expect(Object.keys(verdicts[0]!)).toEqual(['kind', 'cue', 'suggestion']);
    expect(verdicts[1]).toEqual({ kind: null, cue: null, suggestion: null });
    expect(verdicts[3]!.suggestion).toMatch(/requirement|need/);
  });

  it('refuses a missing file, or both or neither of --text and --lines, naming the option', async () => {
    const missing = await runCli(['hints', '--lines', path.join(dir, 'nope.txt'), '--json']);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('--lines: cannot read') });
    const neither = await runCli(['hints']);
    expect(neither).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--text, --lines: give exactly one of them'),
    });
    const both = await runCli(['hints', '--text', 'x', '--lines', 'y']);
    expect(both.code).toBe(2);
  });

  it('a text with a control character is refused, naming the field and the rule', async () => {
    const r = await runCli(['hints', '--text', 'fine\u0007bell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/text: .*control/);
  });
});
