// `wghub meeting agenda kind REF ITEM KIND` corrects an agenda item's kind in place (it could only be
// taken off and added again, losing its written input), with --if-version as `show` prints it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-kind-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a walk of many commands; on two busy cores one of them can take a few seconds
const SLOW = 90_000;

describe("an agenda item's kind from the CLI", () => {
  it(
    'the lead changes it keeping its written input; a stale version, another participant and a bad kind are refused',
    async () => {
      expect((await seedCli(env)).code).toBe(0);
      const at = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 13) + ':00:00Z';
      const scheduled = await runCli(
        [
          '--as',
          'sam-lead',
          'meeting',
          'schedule',
          '--group',
          'hosting',
          '--kind',
          'process',
          '--title',
          'Kinds',
          '--at',
          at,
        ],
        env,
      );
      expect(scheduled.code).toBe(0);
      const ref = /^(M-\d+):/m.exec(scheduled.stdout)![1]!;
      const add = [
        '--as',
        'sam-lead',
        'meeting',
        'agenda',
        'add',
        ref,
        '--title',
        'Transport deep-dive',
        '--kind',
        'content',
      ];
      expect((await runCli(add, env)).code).toBe(0);
      expect(
        (
          await runCli(
            ['--as', 'amara', 'meeting', 'input', ref, '--item', '1', '--text', 'I cannot come; go ahead.'],
            env,
          )
        ).code,
      ).toBe(0);
      const version = Number(/version: (\d+)/.exec((await runCli(['meeting', 'show', ref], env)).stdout)![1]);

      const changed = await runCli(
        ['--as', 'sam-lead', 'meeting', 'agenda', 'kind', ref, '1', 'process', '--if-version', String(version)],
        env,
      );
      expect(changed.code).toBe(0);
      expect(changed.stdout).toContain('1. [process] Transport deep-dive');
      expect(changed.stdout).toContain('I cannot come; go ahead.');
      expect(changed.stdout).toContain(`version: ${version + 1}`);

      const stale = await runCli(
        ['--as', 'sam-lead', 'meeting', 'agenda', 'kind', ref, '1', 'content', '--if-version', String(version)],
        env,
      );
      expect(stale.code).toBe(5);
      expect(stale.stderr).toContain('was changed by someone else');
      const other = await runCli(['--as', 'amara', 'meeting', 'agenda', 'kind', ref, '1', 'content'], env);
      expect(other.code).toBe(4);
      expect(other.stderr).toMatch(/may change this item's kind/);
      const bad = await runCli(['--as', 'sam-lead', 'meeting', 'agenda', 'kind', ref, '1', 'sideways'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/kind: /);
      expect((await runCli(['meeting', 'show', ref], env)).stdout).toContain('1. [process] Transport deep-dive');
    },
    SLOW,
  );
});
