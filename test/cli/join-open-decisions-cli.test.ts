// Lazy consensus counts silence, so `wghub group join` and `wghub invitation accept` say, as the web's
// flash and the REST and MCP answers do, which of the group's decisions are open and what the joiner's
// silence or answer does on each, with when each closes in their zone (`openDecisions` with --json).
// On the demo community.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-join-open-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADING = 'Open decisions you can now weigh in on:';

describe('open decisions told on joining, from the CLI', () => {
  it('join and accept list the open decisions with their close and what silence does; --json carries openDecisions; none open, nothing said', async () => {
    expect((await seedCli(env)).code).toBe(0);
    // nothing open in Security yet: the join says only who is in it
    const quiet = await runCli(['--as', 'jonas', 'group', 'join', 'security', '--level', 'observer'], env);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toContain('jonas');
    expect(quiet.stdout).not.toContain(HEADING);
    const opened = await runCli(
      [
        '--as',
        'priya',
        'decision',
        'open',
        '--group',
        'security',
        '--question',
        'Publish the threat model?',
        '--significance',
        'minor',
      ],
      env,
    );
    expect(opened.code, opened.stderr).toBe(0);
    // an observer: advisory
    const joined = await runCli(['--as', 'amara', 'group', 'join', 'security', '--level', 'observer'], env);
    expect(joined.code, joined.stderr).toBe(0);
    expect(joined.stdout).toContain(HEADING);
    expect(joined.stdout).toMatch(
      /^ {2}D-1 {2}Publish the threat model\? {2}closes \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+: at your level a response is advisory and silence is not counted$/m,
    );
    const json = await runCli(
      ['--as', 'kai-core', '--json', 'group', 'join', 'security', '--level', 'participant'],
      env,
    );
    expect(json.code, json.stderr).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.items.map((m: { handle: string }) => m.handle)).toContain('kai-core');
    expect(body.openDecisions.map((d: { ref: string; voice: string }) => [d.ref, d.voice])).toEqual([
      ['D-1', 'advisory'],
    ]);
    // invited as a member and accepting: their silence now counts
    const invited = await runCli(['--as', 'priya', 'group', 'level', 'security', 'sam-lead', 'member'], env);
    expect(invited.code, invited.stderr).toBe(0);
    const id = /invited as member \((\S+)\)/.exec(invited.stdout)![1]!;
    const accepted = await runCli(['--as', 'sam-lead', 'invitation', 'accept', id], env);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('accepted: you are in the group at the level offered');
    expect(accepted.stdout).toMatch(
      /^ {2}D-1 {2}Publish the threat model\? {2}closes .+: your silence counts as consent unless you respond$/m,
    );
    // --json: the invitation with openDecisions; declining carries none
    const toLena = await runCli(['--as', 'priya', 'group', 'level', 'security', 'lena-core', 'member'], env);
    const lenaId = /invited as member \((\S+)\)/.exec(toLena.stdout)![1]!;
    const lena = await runCli(['--as', 'lena-core', '--json', 'invitation', 'accept', lenaId], env);
    expect(lena.code, lena.stderr).toBe(0);
    const lenaBody = JSON.parse(lena.stdout);
    expect(lenaBody.state).toBe('accepted');
    expect(lenaBody.openDecisions.map((d: { ref: string; voice: string }) => [d.ref, d.voice])).toEqual([
      ['D-1', 'silence-counts'],
    ]);
    const toKai = await runCli(['--as', 'sam-lead', 'group', 'level', 'hosting', 'kai-core', 'member'], env);
    const kaiId = /invited as member \((\S+)\)/.exec(toKai.stdout)![1]!;
    const declined = await runCli(['--as', 'kai-core', '--json', 'invitation', 'decline', kaiId], env);
    expect(declined.code, declined.stderr).toBe(0);
    expect(JSON.parse(declined.stdout).state).toBe('declined');
    expect(JSON.parse(declined.stdout).openDecisions).toBeUndefined();
  });
});
