// `wghub` reads a group's or topic area's short name through the one resolver every edge uses
// (`slugAsStored`): an argument or --group/--topic with capitals names the group stored in lowercase, as
// REST and MCP do (test/http/slug-case.test.ts). Before, `wghub group show Hosting` said there was no such
// group. A new group's short name is still given as it will be stored.
import { describe, expect, it } from 'vitest';
import { databaseForProcess, databases } from '../support/databases.ts';
import { runCli, seedCli } from '../support/process.ts';

describe.each(databases)('short names with capitals from the CLI on $name', (database) => {
  it('an argument and --group read Hosting as hosting; propose refuses capitals in a new short name', async () => {
    const db = await databaseForProcess(database);
    const env = { WGHUB_DATABASE_URL: db.url };
    try {
      expect((await seedCli(env)).code).toBe(0);
      const shown = await runCli(['--json', 'group', 'show', 'Hosting'], env);
      expect(shown.code, shown.stderr).toBe(0);
      expect(JSON.parse(shown.stdout).slug).toBe('hosting');
      const listed = await runCli(['--json', 'decision', 'list', '--group', 'HOSTING'], env);
      expect(listed.code, listed.stderr).toBe(0);
      const proposed = await runCli(
        [
          '--as',
          'priya',
          'group',
          'propose',
          'Registry',
          '--name',
          'Registry',
          '--kind',
          'working',
          '--mission',
          'Run the registry.',
        ],
        env,
      );
      expect(proposed.code).toBe(2);
      expect(proposed.stderr).toContain('slug');
    } finally {
      db.cleanup();
    }
  });
});
