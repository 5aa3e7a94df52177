// `wghub proposal move REF pull-request` asks for the pull request's link (--pull-request URL), and
// `proposal show` prints it by repository and number.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-pr-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a walk of many commands; on two busy cores one of them can take a few seconds
const SLOW = 120_000;

describe("a contribution's pull request from the CLI", () => {
  it(
    'the move into the pull request stage is refused without its link, and shows it once given',
    async () => {
      expect((await seedCli(env)).code).toBe(0);
      const created = await runCli(
        [
          '--as',
          'sam-lead',
          'proposal',
          'new',
          '--title',
          'A guide to graceful shutdown',
          '--problem',
          'Hosted MCP servers drop in-flight tool calls when a pod is stopped during a deploy.',
          '--example',
          'A rolling deploy cut a 10-minute export',
          '--layer',
          'working-group-artifact',
          '--group',
          'hosting',
        ],
        env,
      );
      expect(created.code).toBe(0);
      const ref = /^(P-\d+):/m.exec(created.stdout)![1]!;
      for (const to of ['prior-work-checked', 'community-discussion', 'tracked', 'forum-discussion', 'refining'])
        expect((await runCli(['--as', 'sam-lead', 'proposal', 'move', ref, to], env)).code, to).toBe(0);
      const blind = await runCli(['--as', 'sam-lead', 'proposal', 'move', ref, 'pull-request'], env);
      expect(blind.code).toBe(2);
      expect(blind.stderr).toContain("pullRequest: moving to pull-request needs the pull request's link");
      const moved = await runCli(
        [
          '--as',
          'sam-lead',
          'proposal',
          'move',
          ref,
          'pull-request',
          '--pull-request',
          'https://github.com/modelcontextprotocol-community/working-groups/pull/77',
        ],
        env,
      );
      expect(moved.code).toBe(0);
      expect(moved.stdout).toContain(
        '  pull request: https://github.com/modelcontextprotocol-community/working-groups/pull/77 (modelcontextprotocol-community/working-groups#77, not mirrored here)',
      );
    },
    SLOW,
  );
});
