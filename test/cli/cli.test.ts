import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, startHub, stop } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-cli-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the wghub command', () => {
  // the real binary (bin/wghub), as the next test and `exit codes…` below: start-up, help and exit codes
  it('--help lists every command, and each command has its own help', async () => {
    const top = await spawnCli(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['serve', 'migrate', 'seed', 'import', 'export', 'governance', 'log', 'token', 'person', 'group'])
      expect(top.stdout).toContain(c);
    const serve = await spawnCli(['serve', '--help']);
    expect(serve.stdout).toMatch(/--host <host>[\s\S]*--port <port>/);
    const imp = await spawnCli(['import', 'charters', '--help']);
    expect(imp.stdout).toContain('working-groups/');
  });

  it('a usage mistake exits 2 (invalid input), with the usage; a system error names itself without the debug hint', async () => {
    for (const args of [['proposal', 'list', '--bogus'], ['nosuch'], ['proposal', 'show'], ['proposal']]) {
      const r = await spawnCli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('Usage: wghub');
    }
    expect((await spawnCli(['proposal', '--help'], env)).code).toBe(0);
    expect((await spawnCli(['--version'], env)).code).toBe(0);
    const refused = await spawnCli(['--database', 'postgres://127.0.0.1:1/nowhere', 'proposal', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ECONNREFUSED');
    expect(refused.stderr).not.toContain('WGHUB_DEBUG');
    // seven processes in a row: on a loaded machine each start takes seconds
  }, 90_000);

  it('serve prints the URLs it serves, on the port asked, with the demo community loaded', async () => {
    const hub = await startHub(env);
    try {
      expect(hub.output()).toContain(`listening on ${hub.base}`);
      expect(hub.output()).toContain(`${hub.base}/api/openapi.json`);
      expect(hub.output()).toContain('loaded the demo community');
      const groups = await (await fetch(`${hub.base}/api/groups`)).json();
      expect(groups.items.map((g: { slug: string }) => g.slug)).toEqual(['hosting', 'observability', 'security']);
    } finally {
      await stop(hub);
    }
  });

  it('serve --no-demo on an empty database says how its operator adds themselves, until someone is on record', async () => {
    const own = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'own.sqlite')}` };
    const empty = await startHub(own, ['--no-demo']);
    try {
      // the banner is written once start-up has read the database: wait for its last line
      await expect.poll(() => empty.output()).toContain('  jobs      ');
      expect(empty.output()).toContain('sign-in   demo mode: anyone may pick any person on record, no password');
      // where sign-in and OAuth addresses come from, with WGHUB_PUBLIC_URL unset (fuzz round 7)
      expect(empty.output()).toContain(
        'addresses from the Host header, trusted only for the loopback names, the listen address and --mcp-allowed-host (WGHUB_PUBLIC_URL unset',
      );
      expect(empty.output()).toContain('people    nobody yet: add yourself first');
      expect(empty.output()).toContain('wghub person add --handle you --name "Your Name" --role lead-maintainer');
      expect(empty.output()).not.toContain('loaded the demo community');
    } finally {
      await stop(empty);
    }
    expect(
      (await runCli(['person', 'add', '--handle', 'olu', '--name', 'Olu', '--role', 'lead-maintainer'], own)).code,
    ).toBe(0);
    const again = await startHub(own, ['--no-demo']);
    try {
      await expect.poll(() => again.output()).toContain('  jobs      ');
      expect(again.output()).not.toContain('nobody yet');
    } finally {
      await stop(again);
    }
    // the operator's first group, from the command line alone: proposed with its charter, sponsored, active
    const propose = (extra: string[]) =>
      runCli(
        [
          '--as',
          'olu',
          'group',
          'propose',
          'payments',
          '--name',
          'Payments Interop',
          '--kind',
          'working',
          '--mission',
          'Agree how MCP servers take payments for tool calls.',
          '--lead',
          'olu',
          ...extra,
        ],
        own,
      );
    // proposing asks first for the community's agreements, as every edge does
    expect((await propose(['--scope-in', 'Receipts'])).stderr).toContain('Accept the MCP Code of Conduct');
    expect((await runCli(['--as', 'olu', 'person', 'accept', 'olu'], own)).code).toBe(0);
    const noScope = await propose([]);
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toContain('scopeIn: must list at least one thing in scope');
    const proposed = await propose(['--scope-in', 'Payment intents', '--scope-in', 'Receipts']);
    expect(proposed.code, proposed.stderr).toBe(0);
    expect(proposed.stdout).toMatch(/^payments \(Payments Interop\) is proposed; sponsorship: not met/);
    expect((await runCli(['--as', 'olu', 'group', 'sponsor', 'payments'], own)).stdout).toContain('sponsorship: met');
    expect((await runCli(['--as', 'olu', 'group', 'move', 'payments', 'active'], own)).stdout).toContain(
      'payments is active',
    );
  }, 90_000);

  it('governance show prints the rules in force; a bad file stops start-up naming the key', async () => {
    const show = await runCli(['governance', 'show']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('sponsored by at least 2 core maintainers or 1 lead maintainer');
    // the guide's getting started and its ideal topic facilitator, from the file
    expect(show.stdout).toContain('3. Join us on the CWG Discord (https://discord.gg/RkqKnmrp).');
    expect(show.stdout).toMatch(/The ideal topic facilitator[\s\S]*maintain neutrality/);
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nmembership: { inactivityDays: -3 }\n');
    const r = await runCli(['serve', '--port', '1'], { ...env, WGHUB_GOVERNANCE: bad });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(`governance file ${bad} is not valid`);
    expect(r.stderr).toContain('membership.inactivityDays: must be at least 1 day');
    expect(r.stderr).toContain('agreements: is required (object)');
  });

  it('exit codes and messages tell failures apart', async () => {
    const missing = await spawnCli(['group', 'show', 'no-such-group'], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("group 'no-such-group' does not exist");
    const invalid = await spawnCli(['person', 'add', '--handle', 'x y', '--name', 'X', '--tz', 'Nowhere/Land'], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/handle: must be a GitHub login: letters, digits and single hyphens/);
    expect(invalid.stderr).toMatch(/timeZone: must be an IANA time zone/);
    // refused: the reason in the community's words, and the code docs/cli.md gives for "not allowed"
    const forbidden = await spawnCli(['--as', 'jonas', 'person', 'add', '--handle', 'newbie', '--name', 'N'], env);
    const documented = readFileSync(path.join(import.meta.dirname, '../../docs/cli.md'), 'utf8').match(
      /^\| (\d+)\s+\| not allowed/m,
    );
    expect(forbidden.code).toBe(Number(documented?.[1]));
    expect(forbidden.stderr).toMatch(/^wghub: Only .* may add a person\n$/);
    expect(forbidden.stderr).not.toMatch(/person\.create|\/api\//);
  });

  it('a moderator adds a person whose organisation nobody has named yet', async () => {
    expect((await runCli(['person', 'add', '--handle', 'mo', '--name', 'Mo', '--role', 'moderator'], env)).code).toBe(
      0,
    );
    const ada = await runCli(
      ['--as', 'mo', '--json', 'person', 'add', '--handle', 'ada', '--name', 'Ada', '--org', 'Analytical Engines'],
      env,
    );
    expect(ada.stderr).toBe('');
    expect(JSON.parse(ada.stdout).affiliations[0].organisation.name).toBe('Analytical Engines');
  }, 90_000);

  it("person role raises a newcomer on the contributor ladder, so the operator can make them a group's lead", async () => {
    const env2 = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'roles.sqlite')}` };
    expect((await runCli(['person', 'add', '--handle', 'bea', '--name', 'Bea'], env2)).code).toBe(0);
    // a contributor may not raise themselves: the policy's words, exit code 4
    const self = await runCli(['--as', 'bea', 'person', 'role', 'bea', 'moderator'], env2);
    expect(self.code).toBe(4);
    expect(self.stderr).toMatch(/Only .* may change a role on the contributor ladder/);
    const bad = await runCli(['person', 'role', 'bea', 'boss'], env2);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('role: must be one of: contributor, member');
    expect((await runCli(['person', 'role', 'nobody', 'member'], env2)).code).toBe(3);
    const raised = await runCli(['person', 'role', 'bea', 'member'], env2);
    expect(raised).toMatchObject({ code: 0, stdout: 'bea is now member\n' });
    expect(JSON.parse((await runCli(['--json', 'person', 'show', 'bea'], env2)).stdout).role).toBe('member');
  }, 90_000);

  it('person claim prints the link to open: whole with WGHUB_PUBLIC_URL, and what to add without it', async () => {
    const env3 = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'claims.sqlite')}` };
    expect((await runCli(['person', 'add', '--handle', 'cleo', '--name', 'Cleo'], env3)).code).toBe(0);
    // the README says "open the link it prints": it printed a path and "on this hub's public URL"
    const whole = await runCli(['person', 'claim', 'cleo'], { ...env3, WGHUB_PUBLIC_URL: 'https://hub.example.org/' });
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(
      /^claim link for cleo \(once, until [^)]+\): https:\/\/hub\.example\.org\/claim\/\S+\n$/,
    );
    const bare = await runCli(['person', 'claim', 'cleo'], { ...env3, WGHUB_PUBLIC_URL: '' });
    expect(bare.stdout).toMatch(
      /: \/claim\/\S+ on this hub's address \(set WGHUB_PUBLIC_URL to have it printed whole\)\n$/,
    );
  }, 90_000);

  it('resend-confirmation on a hub that sends no mail says no link was mailed, not that one is on its way', async () => {
    const clock = path.join(dir, 'resend-clock');
    const env4 = {
      WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'resend.sqlite')}`,
      WGHUB_TEST_CLOCK_FILE: clock,
      WGHUB_SMTP_URL: '',
    };
    writeFileSync(clock, '2026-12-01T09:00:00Z');
    expect(
      (await runCli(['person', 'add', '--handle', 'dee', '--name', 'Dee', '--email', 'dee@example.org'], env4)).code,
    ).toBe(0);
    writeFileSync(clock, '2026-12-01T09:10:00Z'); // past the 5 minutes between two links
    const again = await runCli(['person', 'resend-confirmation', 'dee'], env4);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No link was mailed: this hub sends no mail (WGHUB_SMTP_URL is not set).');
    expect(again.stdout).not.toContain('on its way');
  }, 90_000);

  it('log tail shows events and log verify reports the first broken link after a hand edit', async () => {
    const tail = await runCli(['log', 'tail', '-n', '5'], env);
    expect(tail.code).toBe(0);
    // the last five events (the demo's, then the person a moderator added above), newest first, each
    // with its number, time, actor and kind
    const [older, ...reversed] = tail.stdout.trim().split('\n').reverse();
    const lines = reversed.reverse();
    expect(lines).toHaveLength(5);
    // the way on to older events, which gives the five before them
    const oldest = Number(lines[4]!.trim().split(/\s+/)[0]);
    expect(older).toBe(`(older events: wghub log tail --before ${oldest} -n 5)`);
    const before = await runCli(['log', 'tail', '--before', String(oldest), '-n', '5'], env);
    expect(before.stdout.trim().split('\n')[0]).toMatch(new RegExp(`^\\s*${oldest - 1}\\s`));
    for (const line of lines)
      expect(line).toMatch(
        /^\s*\d+\s+\d{4}-\d\d-\d\dT\S+\s+.*\b(?:group|topic-area|meeting|decision|proposal|comment|person|organisation)\.[a-z-]+/,
      );
    // a person who acted is named, the handle beside the name, as the web's log names them
    expect(tail.stdout).toMatch(/ [A-Z][a-z]+ [A-Z][a-z]+ \(@[a-z-]+\) +[a-z-]+\.[a-z-]+/);
    // a count is read as REST reads ?limit=: whole numbers in digits, the refusal quoting what was typed
    for (const n of ['abc', '0x2', '1e1']) {
      const bad = await runCli(['log', 'tail', '-n', n], env);
      expect(bad, n).toMatchObject({ code: 2 });
      expect(bad.stderr, n).toContain(`limit: must be a whole number written in digits ("${n}" is not)`);
    }
    const badLimit = await runCli(['prior-work', '--title', 'Sessionless servers', '--limit', '1e1'], env);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('limit: must be a whole number written in digits ("1e1" is not)');
    expect((await runCli(['log', 'verify'], env)).stdout).toMatch(/the log holds: \d+ events verified/);
    const { default: SQLite } = await import('better-sqlite3');
    const db = new SQLite(path.join(dir, 'hub.sqlite'));
    db.prepare('update events set after = \'{"forged":true}\' where seq = 3').run();
    db.close();
    const broken = await runCli(['log', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN at event 3');
  });
});
