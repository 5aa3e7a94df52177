// Running a group and moderating from the command line, on the demo community: the same use cases
// and the same refusals, in words, as the web, REST and MCP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-run-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('running a group from the CLI', () => {
  it('a lead sets a level; others are refused in words; a member leaves; a comment is hidden with a reason', async () => {
    expect((await seedCli(env)).code).toBe(0);
    const refused = await runCli(['--as', 'jonas', 'group', 'level', 'hosting', 'jonas', 'lead'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Only .* may change a member's level in the group/);
    const set = await runCli(['--as', 'sam-lead', 'group', 'level', 'hosting', 'amara', 'participant'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/amara\s+participant/);
    // amara asks to become a member; the lead lists the request and accepts it
    const asked = await runCli(['--as', 'amara', 'group', 'ask', 'hosting', '--note', 'I run envoy in Lagos'], env);
    expect(asked.code, asked.stderr).toBe(0);
    const withdrawn = await runCli(['--as', 'amara', 'group', 'withdraw', 'hosting'], env);
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(withdrawn.stdout).toMatch(/^your request to become a member of hosting: withdrawn on \d{4}-\d{2}-\d{2}$/m);
    const refusedWithdraw = await runCli(['group', 'withdraw', 'hosting'], env);
    expect(refusedWithdraw.stderr).toMatch(/done by the person who asked: act as one with --as HANDLE/);
    const askedAgain = await runCli(
      ['--as', 'amara', 'group', 'ask', 'hosting', '--note', 'I run envoy in Lagos'],
      env,
    );
    expect(askedAgain.code, askedAgain.stderr).toBe(0);
    const requestId = /^(\S+)\s+amara\s+waiting {2}"I run envoy in Lagos"$/m.exec(askedAgain.stdout)![1]!;
    const list = await runCli(['--as', 'amara', 'group', 'requests', 'hosting'], env);
    expect(list.stdout).toMatch(/^not shown: Only .* may answer requests to become a member of the group/);
    expect(list.stdout).toMatch(/^your request: asked on \d{4}-\d{2}-\d{2}; the group's leads have not answered yet$/m);
    expect((await runCli(['--as', 'amara', 'group', 'show', 'hosting'], env)).stdout).toMatch(
      /^your request to become a member: asked on \d{4}-\d{2}-\d{2}; the group's leads have not answered yet$/m,
    );
    expect((await runCli(['--as', 'sam-lead', 'group', 'requests', 'hosting'], env)).stdout).toContain(requestId);
    const accepted = await runCli(['--as', 'sam-lead', 'group', 'answer', 'hosting', requestId, 'accepted'], env);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/amara\s+accepted/);
    const left = await runCli(['--as', 'jonas', 'group', 'leave', 'hosting'], env);
    expect(left.code, left.stderr).toBe(0);
    expect(left.stdout).not.toContain('jonas');
    expect(left.stdout).toContain('left hosting: you no longer watch it or its topic areas');
    // a lead removes someone; the removed one cannot remove anyone
    const removed = await runCli(['--as', 'sam-lead', 'group', 'remove', 'hosting', 'amara'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/^removed amara from hosting$/m);
    expect(removed.stdout).not.toMatch(/amara\s+(member|participant)/);
    const notLead = await runCli(['--as', 'amara', 'group', 'remove', 'hosting', 'sam-lead'], env);
    expect(notLead.code).toBe(4);

    await runCli(
      [
        '--as',
        'sam-lead',
        'proposal',
        'new',
        '--title',
        'Resumable streams',
        '--problem',
        'Streams die on deploy.',
        '--layer',
        'working-group-artifact',
        '--group',
        'hosting',
      ],
      env,
    );
    const c = await runCli(['--json', '--as', 'amara', 'proposal', 'comment', 'P-1', 'Zorblax fixes this!'], env);
    const id = JSON.parse(c.stdout).id as string;
    const noReason = await runCli(['--as', 'sam-lead', 'comment', 'hide', id], env);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain('reason');
    const hidden = await runCli(['--as', 'sam-lead', 'comment', 'hide', id, '--reason', 'Advertising'], env);
    expect(hidden.code, hidden.stderr).toBe(0);
    expect(hidden.stdout).toContain('hidden: Advertising');
    // shown again; once more, or hidden twice, is no refusal of who may (4) but a comment already
    // as asked: the state asked for holds, so it exits 0 (a retrying script stays green) and says on
    // standard error that nothing was done, while one who may not moderate is told 4
    const shown = await runCli(['--as', 'sam-lead', 'comment', 'unhide', id], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`comment ${id} is shown and open`);
    const again = await runCli(['--as', 'sam-lead', 'comment', 'unhide', id], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe('wghub: The comment is not hidden: it is already so, nothing to do\n');
    expect((await runCli(['--as', 'sam-lead', 'comment', 'hide', id, '--reason', 'Advertising'], env)).code).toBe(0);
    const twice = await runCli(['--as', 'sam-lead', 'comment', 'hide', id, '--reason', 'Advertising'], env);
    expect(twice.code).toBe(0);
    expect(twice.stderr).toBe('wghub: The comment is already hidden: it is already so, nothing to do\n');
    // a group sponsored again (kai-core sponsored Hosting in the demo) is as asked: 0, and said so
    const sponsored = await runCli(['--as', 'kai-core', 'group', 'sponsor', 'hosting'], env);
    expect(sponsored.code).toBe(0);
    expect(sponsored.stderr).toBe('wghub: You already sponsor this group: it is already so, nothing to do\n');
    const notMine = await runCli(['--as', 'amara', 'comment', 'hide', id, '--reason', 'Advertising'], env);
    expect(notMine.code).toBe(4);
    expect(notMine.stderr).toContain('Only a group lead or a moderator may');
  }, 120_000);
});
