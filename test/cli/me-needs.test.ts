// `wghub me needs` as a member uses it: the decision they have not answered with its deadline,
// gone once they answer; the notes they owe (theirs only); JSON for scripts; the operator, who is
// nobody in particular, told to act as a person.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onWallClock } from '../../src/domain/notifications/timing.ts';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-needs-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wghub me needs', () => {
  it('lists what waits on me, with deadlines, and forgets what I answered', async () => {
    await seedCli(env);
    const opened = await runCli(
      [
        '--as',
        'sam-lead',
        '--json',
        'decision',
        'open',
        '--group',
        'hosting',
        '--significance',
        'minor',
        '--question',
        'Meet fortnightly, alternating time slots?',
      ],
      env,
    );
    expect(opened.code).toBe(0);
    const deadline: string = JSON.parse(opened.stdout).deadline;

    const text = await runCli(['--as', 'priya', 'me', 'needs'], env);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    // the demo's priya lives in Asia/Kolkata: times are on her wall clock, as her home shows them
    expect(lines[0]).toBe('What needs priya (times in Asia/Kolkata)');
    const row = lines.findIndex((l) => /^decision +D-1 \(hosting\)/.test(l));
    expect(lines[row]).toContain(
      `deadline ${onWallClock(deadline, 'Asia/Kolkata').replace(' (Asia/Kolkata)', '')}  Meet fortnightly, alternating time slots?`,
    );
    expect(lines[row + 1]).toMatch(/silence by then counts as consent {2}\/decisions\/D-1#respond$/);
    // the demo's priya takes the notes of a security meeting that has ended: hers, not sam's
    expect(text.stdout).toMatch(/\nnotes +M-\d+ \(security\) +notes due .+ Tool poisoning patterns review/);
    const sam = JSON.parse((await runCli(['--as', 'sam-lead', '--json', 'me', 'needs'], env)).stdout);
    expect(sam.handle).toBe('sam-lead');
    expect(sam.items.filter((n: { kind: string }) => n.kind === 'notes')).toEqual([]);

    expect((await runCli(['--as', 'priya', 'decision', 'respond', 'D-1', 'consent'], env)).code).toBe(0);
    const json = JSON.parse((await runCli(['--as', 'priya', '--json', 'me', 'needs'], env)).stdout);
    expect(json.handle).toBe('priya');
    expect(json.items.filter((n: { kind: string }) => n.kind === 'decision')).toEqual([]);
    expect(json.counts.decision).toEqual({ listed: 0, total: 0 });
    expect(json.counts.notes.listed).toBe(1);

    // the demo's Observability group is proposed and unsponsored: a core maintainer is asked to sponsor it
    const kai = await runCli(['--as', 'kai-core', 'me', 'needs'], env);
    expect(kai.stdout).toMatch(
      /\nsponsor-group +observability \(observability\) +Observability, a working group proposed on /,
    );
    expect(kai.stdout).toContain(
      'it has no sponsors yet  /groups/observability#manage  (wghub group sponsor observability)',
    );

    const operator = await runCli(['me', 'needs'], env);
    expect(operator.code).not.toBe(0);
    expect(operator.stderr).toContain('act as one with --as HANDLE');
  });
});
