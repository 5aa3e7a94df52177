// From the command line, on the demo community: `wghub meeting show` says where each decision the
// meeting links stands (the web page's use case), and `wghub proposal sponsors` names whom to ask
// to sponsor a proposal, never the one asking, who is told whether they may themself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, seedCli } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wghub-standing-'));
const env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('where decisions stand and who may sponsor, from the CLI', () => {
  it('meeting show gives each linked decision its standing; proposal sponsors leaves out the reader', async () => {
    expect((await seedCli(env)).code).toBe(0);
    const recorded = await runCli(
      [
        '--as',
        'sam-lead',
        'meeting',
        'decision',
        'M-1',
        '--summary',
        'We agreed to draft the guide',
        '--open-question',
        'Adopt the draining guide for hosting?',
      ],
      env,
    );
    expect(recorded.code).toBe(0);
    const shown = await runCli(['meeting', 'show', 'M-1'], env);
    expect(shown.stdout).toMatch(/decision: We agreed to draft the guide \(D-1, open: silence is consent until \S+\)/);
    const json = JSON.parse((await runCli(['--json', 'meeting', 'show', 'M-1'], env)).stdout);
    expect(json.decisionStanding).toMatchObject({
      items: [{ ref: 'D-1', phase: 'lazy-consensus', outcome: 'pending' }],
      leftOut: 0,
    });

    expect(
      (
        await runCli(
          [
            '--as',
            'priya',
            'proposal',
            'new',
            '--title',
            'Draining sessions on deploy',
            '--problem',
            'A deploy drops every open session on a hosted server.',
            '--example',
            'Rolling deploys',
            '--layer',
            'working-group-artifact',
            '--group',
            'hosting',
          ],
          env,
        )
      ).code,
    ).toBe(0);
    const author = await runCli(['--as', 'priya', 'proposal', 'sponsors', 'P-1'], env);
    expect(author.code).toBe(0);
    expect(author.stdout).toContain('ask Lena Okafor (@lena-core), lead maintainer');
    expect(author.stdout).toContain('you may not sponsor it: Only a maintainer');
    const lena = await runCli(['--as', 'lena-core', 'proposal', 'sponsors', 'P-1'], env);
    expect(lena.stdout).not.toContain('@lena-core');
    expect(lena.stdout).toContain('you may sponsor it yourself: proposal sponsor P-1');
    const asJson = JSON.parse(
      (await runCli(['--as', 'lena-core', '--json', 'proposal', 'sponsors', 'P-1'], env)).stdout,
    );
    expect(asJson).toMatchObject({ ref: 'P-1', wanted: true, can: { sponsor: { allowed: true } } });
    expect(asJson.people.map((p: { handle: string }) => p.handle)).not.toContain('lena-core');
  }, 120_000);
});
