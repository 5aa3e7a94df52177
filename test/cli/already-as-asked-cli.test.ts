// A step asked again from the command line (a retry, a script run twice) finds what it asks for
// already so: it exits 0 and says on standard error that nothing was done, so a script that retries
// stays green (docs/cli.md, exit codes); a refusal of who may keeps 4, a stale read keeps 5.
import { afterEach, describe, expect, it } from 'vitest';
import { databaseForProcess, databases } from '../support/databases.ts';
import { runCli, seedCli, spawnCli } from '../support/process.ts';

describe.each(databases)('already as asked from the CLI on $name', (database) => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('sponsoring or joining again exits 0 with a notice; joining at another level is 4; nothing done twice', async () => {
    const db = await databaseForProcess(database);
    cleanup = db.cleanup;
    const env = { WGHUB_DATABASE_URL: db.url };
    expect((await seedCli(env)).code).toBe(0);
    // kai-core sponsored Hosting when the demo community was made
    const sponsored = await runCli(['--as', 'kai-core', 'group', 'sponsor', 'hosting'], env);
    expect(sponsored).toEqual({
      code: 0,
      stdout: '',
      stderr: 'wghub: You already sponsor this group: it is already so, nothing to do\n',
    });
    // under --json a script parses standard output: it says so as JSON (it printed nothing, and JSON.parse threw)
    // a real process (bin/wghub): JSON on standard output, and exit 0, as the binary ends
    const asJson = await spawnCli(['--json', '--as', 'kai-core', 'group', 'sponsor', 'hosting'], env);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toEqual({
      alreadyAsAsked: true,
      rule: 'already-as-asked',
      detail: 'You already sponsor this group: it is already so, nothing to do',
    });
    const joined = await runCli(['--as', 'amara', 'group', 'join', 'security', '--level', 'observer'], env);
    expect(joined.code, joined.stderr).toBe(0);
    const again = await runCli(['--as', 'amara', 'group', 'join', 'security', '--level', 'observer'], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(
      /^wghub: You are already in this group, as an? .+: it is already so, nothing to do\n$/,
    );
    // another level than the one held is not as asked: refused (4), the leads set levels
    const other = await runCli(['--as', 'amara', 'group', 'join', 'security', '--level', 'participant'], env);
    expect(other.code).toBe(4);
    const log = await runCli(['log', 'tail', '-n', '50'], env);
    expect(log.stdout.match(/@amara\) group\.member-joined +group:security/g)).toHaveLength(1);
  }, 120_000);
});
