// A checkout runs src/ through Node's type stripping. Once V8's compile cache holds every module of
// a start, the next start of the same sources strips nothing and never loads the stripper (about
// 17 MB of a process's memory): bin/wghub turns the cache on before the first TypeScript module
// (bin/start.mjs). A probe loaded ahead of wghub reports, as the process exits, whether the
// stripper was loaded.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { WGHUB } from '../support/process.ts';

const run = promisify(execFile);

describe('starting from a checkout', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a second start of the same sources loads no TypeScript stripper', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-compile-cache-'));
    const probe = path.join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write('stripper loaded: ' + process.moduleLoadList.some((m) => m.includes('amaro')) + '\\n'));\n",
    );
    // its own compile cache (the OS temp folder is where Node keeps it), so this test sees a first start
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dir, NODE_OPTIONS: `--import=${probe}` };
    delete env.NODE_COMPILE_CACHE;
    const first = await run(WGHUB, ['--version'], { env });
    expect(first.stderr).toContain('stripper loaded: true');
    const second = await run(WGHUB, ['--version'], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toContain('stripper loaded: false');
  });
});
