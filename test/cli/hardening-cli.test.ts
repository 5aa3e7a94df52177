// The CLI and hostile files (issue 12, finding 10): a clear message and an exit code, never a
// stack trace; a folder named like a file, a SEP without a number and an oversized charter are
// skipped with a warning; stored control characters reach the terminal escaped.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/process.ts';

vi.setConfig({ testTimeout: 120_000 });

describe('the CLI with hostile files', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-cli-hard-'));
    env = { WGHUB_DATABASE_URL: `sqlite:${path.join(dir, 'hub.sqlite')}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says what is wrong with a folder argument, without a stack trace', async () => {
    const missing = await runCli(['import', 'charters', path.join(dir, 'nowhere')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    writeFileSync(path.join(dir, 'a-file.md'), '# not a folder\n');
    const file = await runCli(['import', 'seps', path.join(dir, 'a-file.md')], env);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('is a file, not a folder');
    for (const r of [missing, file]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('skips a folder named like a charter and a SEP without a number, with warnings', async () => {
    const charters = path.join(dir, 'charters');
    mkdirSync(path.join(charters, 'x.mdx'), { recursive: true });
    const r = await runCli(['import', 'charters', charters], env);
    expect(r.code).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('x.mdx: is a folder, not a file; skipped');
    const seps = path.join(dir, 'seps');
    mkdirSync(seps);
    writeFileSync(path.join(seps, '0001-no-number.md'), '# SEP-{NUMBER}: A draft\n\n- **Status**: Draft\n\nText.\n');
    const s = await runCli(['import', 'seps', seps], env);
    expect(s.code).toBe(0);
    expect(`${s.stdout}${s.stderr}`).toContain('no SEP number in its title');
    expect(s.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints stored control characters escaped', async () => {
    const seps = path.join(dir, 'seps-esc');
    mkdirSync(seps);
    writeFileSync(
      path.join(seps, '0042-escape.md'),
      '# SEP-42: Title with \u001b]0;owned\u0007 escape\n\n- **Status**: Draft\n- **Authors**: Ada\n\nText.\n',
    );
    expect((await runCli(['import', 'seps', seps], env)).code).toBe(0);
    const shown = await runCli(['proposal', 'show', 'SEP-42'], env);
    expect(shown.stdout).not.toContain('\u001b');
    expect(shown.stdout).not.toContain('\u0007');
  });
});
