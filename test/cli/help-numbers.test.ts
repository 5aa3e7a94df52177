// CLI help states the governance file's numbers, not numbers written into the code: a community
// that asks four members to call a vote and gives minor items a week reads that in `--help`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_PATH } from '../../src/app/core/governance-path.ts';
import { runCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-help-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decision help', () => {
  it('takes its numbers from the governance file in use', async () => {
    const file = path.join(dir, 'rules.yaml');
    writeFileSync(
      file,
      readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8')
        .replace('memberRequests: 3', 'memberRequests: 4')
        .replace('minimumDays: { minor: 5, significant: 10 }', 'minimumDays: { minor: 7, significant: 14 }'),
    );
    const shipped = await runCli(['decision', '--help'], {});
    expect(shipped.stdout.replace(/\s+/g, ' ')).toContain('a lead, or 3 members asking together');
    const own = await runCli(['--governance', file, 'decision', '--help'], {});
    expect(own.stdout.replace(/\s+/g, ' ')).toContain('a lead, or 4 members asking together');
    const open = await runCli(['--governance', file, 'decision', 'open', '--help'], {});
    expect(open.stdout.replace(/\s+/g, ' ')).toContain('7 days for minor, 14 for significant');
    expect(open.stdout.replace(/\s+/g, ' ')).toContain('at least 2/3 of the yes and no votes');
  }, 60_000);
});

describe('proposal and search help', () => {
  it("name the community's own kind of document, from the governance file in use", async () => {
    const file = path.join(dir, 'relay.yaml');
    writeFileSync(
      file,
      readFileSync(DEFAULT_GOVERNANCE_PATH, 'utf8')
        .replace('title: The SEP lifecycle', 'title: The REP lifecycle')
        .replace('shortName: SEP', 'shortName: REP'),
    );
    const shipped = await runCli(['proposal', '--help'], {});
    expect(shipped.stdout.replace(/\s+/g, ' ')).toContain('the guide’s route and the SEP lifecycle');
    const own = await runCli(['--governance', file, 'proposal', 'new', '--help'], {});
    expect(own.stdout.replace(/\s+/g, ' ')).toContain('or sep (the REP lifecycle)');
    const search = await runCli(['--governance', file, 'search', '--help'], {});
    expect(search.stdout.replace(/\s+/g, ' ')).toContain('search proposals, REPs, artifacts');
    expect(search.stdout).not.toMatch(/\bSEPs?\b/);
  }, 60_000);
});
