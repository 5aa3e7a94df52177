// The README's walkthrough: a proposal walks the route from the command line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../support/corpus.ts';
import { runCli, seedCli } from '../support/process.ts';
import { DEFAULT_GOVERNANCE_PATH } from '../../src/app/core/governance-file.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-walk-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a proposal walks the route from the CLI', () => {
  it('idea → prior work checked → … with gates shown, and SEPs import and export', async () => {
    expect((await seedCli(env)).code).toBe(0);
    const created = await runCli(
      [
        '--as',
        'priya',
        'proposal',
        'new',
        '--title',
        'Session affinity guide',
        '--problem',
        'Operators cannot scale stateful MCP servers behind a load balancer.',
        '--example',
        'A gateway loses sessions on every deploy',
        '--layer',
        'working-group-artifact',
        '--group',
        'hosting',
        '--topic',
        'horizontal-scaling',
      ],
      env,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('P-1: Session affinity guide');
    expect(created.stdout).toContain('[idea] → prior-work-checked');
    const moved = await runCli(['--as', 'priya', 'proposal', 'move', 'P-1', 'prior-work-checked'], env);
    expect(moved.stdout).toContain('[prior-work-checked]');
    // what the guide's route asks next, said where the member meets the stage
    expect(moved.stdout).toContain('at prior-work-checked: Nobody covers it yet. Raise it for discussion');
    const refused = await runCli(['--as', 'jonas', 'proposal', 'move', 'P-1', 'community-discussion'], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(
      'Only the author, a lead of the group or a facilitator of its topic area, or the moderator may move it from prior work checked to community discussion',
    );
    // its author records where it lives elsewhere and adds an example, from the version shown
    expect(moved.stdout).toContain('version: 2 (proposal edit --if-version takes it)');
    const edited = await runCli(
      [
        '--as',
        'priya',
        'proposal',
        'edit',
        'P-1',
        '--if-version',
        '2',
        '--forum',
        'https://forum.example.org/t/affinity',
      ],
      env,
    );
    expect([edited.code, edited.stderr]).toEqual([0, '']);
    expect(edited.stdout).toContain('link (forum): https://forum.example.org/t/affinity');
    const stale = await runCli(
      ['--as', 'priya', 'proposal', 'edit', 'P-1', '--if-version', '2', '--title', 'Affinity'],
      env,
    );
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toMatch(/version/);
    const gates = await runCli(['proposal', 'gates', 'P-1'], env);
    expect(gates.stdout).toContain('PASS states the specific problem it solves');
    // the guide's last step: the pull request's description, drafted from the record; what is missing
    // goes to standard error, so standard output is the file to open the pull request with
    const draft = await runCli(['proposal', 'pr-draft', 'P-1'], {
      ...env,
      WGHUB_PUBLIC_URL: 'https://hub.example.org/',
    });
    expect(draft.code).toBe(0);
    expect(draft.stdout).toMatch(/^# Session affinity guide\n/);
    expect(draft.stdout).toContain('[P-1](https://hub.example.org/proposals/P-1) · layer: Working-group artifact');
    expect(draft.stdout).toContain('- Forum or chat thread: https://forum.example.org/t/affinity');
    expect(draft.stdout).toContain('- 20');
    expect(draft.stderr).toBe(
      'before you open it: No tracker link: the guide asks for it on the CWG Project Tracker.\nopen it at: https://github.com/modelcontextprotocol-community/working-groups\n',
    );
    const file = path.join(dir, 'pr.md');
    const unlinked = await runCli(['proposal', 'pr-draft', 'P-1', '--output', file], env);
    expect(unlinked.stdout).toBe('');
    expect(unlinked.stderr).toContain('note: links to this hub are left out: set WGHUB_PUBLIC_URL');
    expect(readFileSync(file, 'utf8')).toContain('P-1 · layer: Working-group artifact');
    const layer = await runCli(
      [
        'proposal',
        'layer',
        '--wire',
        'no',
        '--all-sdks',
        'no',
        '--one-language',
        'no',
        '--guidance',
        'yes',
        '--layer',
        'specification',
      ],
      env,
    );
    expect(layer.stdout).toContain('recommended layer: supporting-resource');
    expect(layer.stdout).toContain('warning: you chose specification');
    const imported = await runCli(['import', 'seps', path.join(CORPUS, 'spec-repo/seps')], env);
    expect(imported.stdout).toContain('41 created, 0 updated, 0 unchanged');
    const sep = await runCli(['export', 'sep', 'SEP-2575'], env);
    expect(sep.stdout).toMatch(/^# SEP-2575: /);
    const dormancy = await runCli(['jobs', 'dormancy'], env);
    expect(dormancy.stdout.trim()).toBe('nothing due');
  }, 120_000); // two dozen processes in a row: on two busy cores this passed the 30 s default

  it("a community whose documents are RFCs is told its rule's example as RFC-2575", async () => {
    const rules = path.join(dir, 'rfc.yaml');
    writeFileSync(rules, readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8').replace('shortName: SEP', 'shortName: RFC'));
    const rfc = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'rfc.sqlite')}`, WGHUB_GOVERNANCE: rules };
    expect((await seedCli(rfc)).code).toBe(0);
    const args = ['--title', 'Unit suffixes', '--problem', 'Metric names mix unit suffixes across vendors.'];
    expect((await runCli(['--as', 'priya', 'proposal', 'new', ...args, '--layer', 'specification'], rfc)).code).toBe(0);
    const refused = await runCli(['--as', 'priya', 'proposal', 'relate', 'P-1', 'builds-on', 'SEP 2575'], rfc);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('to: must be a reference such as RFC-2575, P-12 or #12');
  }, 60_000);
});
