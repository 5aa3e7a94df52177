// The README's decision walkthrough, from the command line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-decide-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a decision from the CLI', () => {
  it('opens, takes a concern, refuses a block without an alternative, and shows the outcome at the deadline', async () => {
    await seedCli(env);
    const opened = await runCli(
      [
        '--as',
        'sam-lead',
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
    expect(opened.stdout).toContain('D-1: Meet fortnightly');
    expect(
      (
        await runCli(
          ['--as', 'priya', 'decision', 'respond', 'D-1', 'concern', '--amendment', 'Yes, and publish notes'],
          env,
        )
      ).code,
    ).toBe(0);
    const refused = await runCli(
      ['--as', 'priya', 'decision', 'respond', 'D-1', 'block', '--reason', 'Asia cannot attend'],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'alternative: a block must propose an alternative or clear criteria for resolution',
    );
    const later = await runCli(['decision', 'show', 'D-1', '--at', '2099-01-01T00:00:00Z'], env);
    expect(later.stdout).toContain('state: closed, outcome: adopted');
    // people by name with the handle beside it: who opened it, who responded
    expect(later.stdout).toMatch(/opened by Sam Rivera \(@sam-lead\) /);
    expect(later.stdout).toContain('    Priya Nair (@priya) of Nebula Tools: concern');
    const vote = await runCli(['--as', 'sam-lead', 'decision', 'request-vote', 'D-1'], env);
    expect(vote.stdout).toContain('state: vote');
    expect((await runCli(['--as', 'priya', 'decision', 'vote', 'D-1', 'yes'], env)).stdout).toContain(
      'vote: 1 yes, 0 no',
    );
    expect((await runCli(['--as', 'jonas', 'decision', 'vote', 'D-1', 'yes'], env)).code).toBe(4);
  }, 90_000); // a dozen processes in a row: on two busy cores this nears the 30 s default

  it("one the operator opened (no --as) says so in words, not as a person's handle", async () => {
    const opened = await runCli(
      ['decision', 'open', '--group', 'hosting', '--significance', 'minor', '--question', 'Move the call an hour?'],
      env,
    );
    expect(opened.code).toBe(0);
    const ref = /D-\d+/.exec(opened.stdout)![0];
    const shown = await runCli(['decision', 'show', ref], env);
    expect(shown.stdout).toContain("opened by the hub's operator ");
  }, 30_000);

  it('a decision opened by mistake is withdrawn with a reason by whoever opened it; others are refused in words', async () => {
    const opened = await runCli(
      [
        '--as',
        'priya',
        'decision',
        'open',
        '--group',
        'hosting',
        '--significance',
        'minor',
        '--question',
        'Meet weekly on Mondays instead?',
      ],
      env,
    );
    const ref = /^(D-\d+):/.exec(opened.stdout)![1]!;
    const notHers = await runCli(['--as', 'jonas', 'decision', 'withdraw', ref, '--reason', 'Not needed'], env);
    expect(notHers.code).toBe(4);
    expect(notHers.stderr).toContain('Only whoever opened it or a group lead may withdraw this decision');
    const noReason = await runCli(['--as', 'priya', 'decision', 'withdraw', ref], env);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('reason: must say why it is withdrawn');
    // jonas answers after priya read it (version 1): a withdrawal from that read is refused, naming both versions
    expect((await runCli(['--as', 'jonas', 'decision', 'respond', ref, 'consent'], env)).code).toBe(0);
    const stale = await runCli(
      ['--as', 'priya', 'decision', 'withdraw', ref, '--reason', 'Asked in the wrong words', '--if-version', '1'],
      env,
    );
    expect(stale.code).toBe(5);
    expect(stale.stderr).toContain('was changed by someone else (you read version 1, it is now version 2)');
    const done = await runCli(
      ['--as', 'priya', 'decision', 'withdraw', ref, '--reason', 'Asked in the wrong words'],
      env,
    );
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('state: closed, outcome: withdrawn');
    expect(done.stdout).toMatch(/withdrawn by priya at \S+: Asked in the wrong words/);
    const listed = await runCli(['decision', 'list', '--group', 'hosting'], env);
    expect(listed.stdout).toMatch(
      new RegExp(`${ref}\\s+hosting\\s+closed/withdrawn\\s+Meet weekly on Mondays instead\\?`),
    );
    // the close job has nothing to report for it
    expect((await runCli(['jobs', 'close-decisions'], env)).stdout).not.toContain(ref);
  }, 60_000);

  it('a decision is given more time from the version `decision show` printed; a stale version is refused', async () => {
    const opened = await runCli(
      [
        '--as',
        'sam-lead',
        'decision',
        'open',
        '--group',
        'hosting',
        '--significance',
        'minor',
        '--question',
        'Publish the notes within two days of each meeting?',
      ],
      env,
    );
    const ref = /^(D-\d+):/.exec(opened.stdout)![1]!;
    const deadline = /deadline (\S+); version (\d+)/.exec(opened.stdout)!;
    const later = new Date(Date.parse(deadline[1]!) + 86_400_000).toISOString();
    const extend = (who: string, ...more: string[]) =>
      runCli(['--as', who, 'decision', 'extend', ref, '--until', later, ...more], env);
    const notHis = await extend('jonas', '--reason', 'Members not reached', '--if-version', deadline[2]!);
    expect(notHis.code).toBe(4);
    expect(notHis.stderr).toContain("Only whoever opened it or a group lead may extend this decision's deadline");
    const noVersion = await extend('sam-lead', '--reason', 'Members not reached');
    expect(noVersion.code).not.toBe(0);
    expect(noVersion.stderr).toContain('--if-version');
    const done = await extend('sam-lead', '--reason', 'Members not reached', '--if-version', deadline[2]!);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`deadline ${later}; version ${Number(deadline[2]) + 1}`);
    const stale = await extend('sam-lead', '--reason', 'Again', '--if-version', deadline[2]!);
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toContain('changed by someone else');
    // or a number of hours later: not with --until too, each refusal naming the field
    const v = String(Number(deadline[2]) + 1);
    const by = (...more: string[]) => runCli(['--as', 'sam-lead', 'decision', 'extend', ref, ...more], env);
    const both = await by('--hours', '24', '--until', later, '--reason', 'More time', '--if-version', v);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('hours: give either hours or a new deadline, not both');
    const none = await by('--reason', 'More time', '--if-version', v);
    expect(none.stderr).toContain('hours: is required: how many hours later than the current deadline');
    const dayMore = await by('--hours', '24', '--reason', 'Asked for at the meeting', '--if-version', v);
    expect(dayMore.code).toBe(0);
    expect(dayMore.stdout).toContain(
      `deadline ${new Date(Date.parse(later) + 86_400_000).toISOString()}; version ${Number(v) + 1}`,
    );
  }, 60_000);
});
