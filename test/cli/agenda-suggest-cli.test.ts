// `wghub meeting agenda suggest REF`: what needs the group for a coming meeting's agenda (its open
// decisions, soonest to close first, then its proposals waiting for a sponsor), as the meeting page's
// "What needs the group", REST and MCP list it; one who may not add agenda items is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-suggest-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a walk of many commands; on two busy cores one of them can take a few seconds
const SLOW = 90_000;

describe('agenda suggestions from the CLI', () => {
  it(
    'lists the open decisions, and no proposal of a route that asks no sponsor as waiting for one; refuses one who may not add items',
    async () => {
      expect((await seedCli(env, ['--full'])).code).toBe(0);
      const lead = await runCli(['--as', 'sam-lead', 'meeting', 'agenda', 'suggest', 'M-2'], env);
      expect(lead.code, lead.stderr).toBe(0);
      expect(lead.stdout).toMatch(
        /^D-1: Adopt the session affinity guide.*closes .*, before this meeting\)\nD-2: .*in a vote that closes.*$/m,
      );
      // P-1 (an idea) and P-2 (in community discussion) are on the contribution route, which never asks
      // for a sponsor: neither is said to wait for one; M-2 being a content meeting, both are listed as
      // what the group works on, at their stages
      expect(lead.stdout).not.toContain('waiting for a sponsor');
      expect(lead.stdout).toMatch(/^P-2: Session affinity guide.* \(at community-discussion since .*\)$/m);
      expect(lead.stdout).toMatch(/^P-1: Retry guidance.* \(at idea since .*\)$/m);
      // written input sent again prints that it was already sent (it showed only with --json)
      const input = ['--as', 'amara', 'meeting', 'input', 'M-2', '--item', '1', '--text', 'From afar, sent twice.'];
      expect((await runCli(input, env)).stdout).toMatch(/^Written input sent \(/);
      const resent = await runCli(input, env);
      expect(resent.code, resent.stderr).toBe(0);
      expect(resent.stdout).toMatch(/^Already sent: this input is on this item/);
      const amara = await runCli(['--as', 'amara', 'meeting', 'agenda', 'suggest', 'M-2'], env);
      expect(amara.code).not.toBe(0);
      expect(amara.stderr).toContain('may add an agenda item');
    },
    SLOW,
  );
});
