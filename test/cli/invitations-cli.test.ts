// Invitations from the command line, on the demo community: `wghub group level` for someone not in the
// group invites them; they list, accept or decline with `wghub invitation`; a lead lists and withdraws;
// each refusal exits with its code and says the rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/domain/failure.ts';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-invite-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('invitations from the CLI', () => {
  it('a lead invites with `group level`; the person accepts; a second invitation, a second answer and a withdrawn one are refused', async () => {
    expect((await seedCli(env)).code).toBe(0);
    const set = await runCli(
      [
        '--as',
        'sam-lead',
        'group',
        'level',
        'observability',
        'amara',
        'participant',
        '--message',
        'Traces please',
        '--days',
        '5',
      ],
      env,
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(
      /^amara is not in observability: invited as participant \((\S+)\), open until \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+; they are in the group once they accept$/m,
    );
    const id = /invited as participant \((\S+)\)/.exec(set.stdout)![1]!;
    const again = await runCli(['--as', 'sam-lead', 'group', 'invite', 'observability', 'amara', 'member'], env);
    expect(again.code).toBe(EXIT.conflict);
    expect(again.stderr).toContain('one open invitation per person and group; withdraw it first to invite them again');
    const mine = await runCli(['--as', 'amara', 'invitation', 'list'], env);
    expect(mine.stdout).toContain(id);
    expect(mine.stdout).toContain('"Traces please"');
    const lead = await runCli(['--as', 'sam-lead', 'group', 'invitations', 'observability'], env);
    expect(lead.stdout).toContain(id);
    const notTheirs = await runCli(['--as', 'jonas', 'invitation', 'accept', id], env);
    expect(notTheirs.code).toBe(EXIT.forbidden);
    // a group proposed naming another as lead says they are invited, not yet accepted
    const proposed = await runCli(
      [
        '--as',
        'sam-lead',
        'group',
        'propose',
        'far',
        '--name',
        'Far',
        '--kind',
        'working',
        '--mission',
        'Run servers far away.',
        '--scope-in',
        'Far',
        '--lead',
        'priya',
      ],
      env,
    );
    expect(proposed.code, proposed.stderr).toBe(0);
    expect(proposed.stdout).toContain(
      'invited as lead, not yet accepted (the group becomes active with a lead): @priya',
    );
    const accepted = await runCli(['--as', 'amara', 'invitation', 'accept', id], env);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('accepted: you are in the group at the level offered');
    const shown = await runCli(['group', 'show', 'observability'], env);
    expect(shown.stdout).toContain('amara');
    const twice = await runCli(['--as', 'amara', 'invitation', 'decline', id], env);
    expect(twice.code).toBe(EXIT.conflict);
    expect(twice.stderr).toContain('an invitation is answered once');

    const jonas = await runCli(['--as', 'sam-lead', 'group', 'invite', 'observability', 'jonas', 'observer'], env);
    expect(jonas.code, jonas.stderr).toBe(0);
    const jonasId = /^(\S+)\s+observability/m.exec(jonas.stdout)![1]!;
    const withdrawn = await runCli(['--as', 'sam-lead', 'group', 'withdraw-invitation', 'observability', jonasId], env);
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(withdrawn.stdout).toMatch(/withdrawn/);
    // and whether the lead may invite him again, by the rules inviting checks
    expect(withdrawn.stdout).toContain('(you may invite them again)');
    const gone = await runCli(['--as', 'jonas', 'invitation', 'accept', jonasId], env);
    expect(gone.code).toBe(EXIT.conflict);
    expect(gone.stderr).toContain('a withdrawn invitation cannot be accepted or declined');
    // once he declines, the lead reads from when he may be invited again, not that they may now
    const second = await runCli(['--as', 'sam-lead', 'group', 'invite', 'observability', 'jonas', 'observer'], env);
    const secondId = /^(\S+)\s+observability/m.exec(second.stdout)![1]!;
    expect((await runCli(['--as', 'jonas', 'invitation', 'decline', secondId], env)).code).toBe(0);
    const listed = await runCli(['--as', 'sam-lead', 'group', 'invitations', 'observability'], env);
    expect(listed.stdout).toMatch(
      /^declined .*jonas .*\(you may invite them again from \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+: .* declined an invitation to Observability as an observer on /m,
    );
  }, 120_000);

  it('accepting answers with the invitation accepted, never a reason it would be refused', async () => {
    // a core maintainer may set any group's levels: the answer to their acceptance is read as one who may invite
    const invited = await runCli(['--as', 'priya', 'group', 'invite', 'security', 'kai-core', 'member'], env);
    expect(invited.code, invited.stderr).toBe(0);
    const id = /^(\S+)\s+security/m.exec(invited.stdout)![1]!;
    const accepted = await runCli(['--as', 'kai-core', 'invitation', 'accept', id], env);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(
      new RegExp(`^${id}\\s+security\\s+kai-core\\s+member\\s+accepted\\s+from Priya Nair \\(@priya\\)$`, 'm'),
    );
    expect(accepted.stdout).not.toContain('a member is not invited');
  }, 60_000);
});
