// `wghub mcp` reuses the rules it validated before (src/app/core/governance-cache.ts): the rules must
// be the file's, an edit must be validated again, and a folder others may write is never trusted.
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGovernanceCached } from '../../../src/app/core/governance-cache.ts';
import { DEFAULT_GOVERNANCE_PATH, loadGovernance } from '../../../src/app/core/governance-file.ts';

describe('the governance cache of wghub mcp', () => {
  let dir: string;
  let file: string;
  let oldTmp: string | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wghub-gov-cache-test-'));
    oldTmp = process.env.TMPDIR;
    process.env.TMPDIR = dir; // os.tmpdir() follows it: this test's cache is its own
    file = path.join(dir, 'governance.yaml');
    copyFileSync(DEFAULT_GOVERNANCE_PATH, file);
  });
  afterEach(() => {
    if (oldTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = oldTmp;
    rmSync(dir, { recursive: true, force: true });
  });

  const cacheFolder = () => path.join(dir, readdirSync(dir).find((n) => n.startsWith('wghub-governance-cache'))!);
  const cachedEntry = () => path.join(cacheFolder(), readdirSync(cacheFolder()).find((n) => n.endsWith('.json'))!);
  const setInactivityDays = (days: number) =>
    writeFileSync(file, readFileSync(file, 'utf8').replace(/inactivityDays: \d+/, `inactivityDays: ${days}`));

  it('gives the same rules as reading the file, at the first start and from the cache, kept private', async () => {
    const fresh = loadGovernance(file);
    expect(await loadGovernanceCached(file, 'build-1')).toStrictEqual(fresh);
    expect(await loadGovernanceCached(file, 'build-1')).toStrictEqual(fresh);
    expect(statSync(cacheFolder()).mode & 0o777).toBe(0o700);
    expect(statSync(cachedEntry()).mode & 0o777).toBe(0o600);
  });

  it('validates an edited file again: a mistake is reported, never the rules cached before', async () => {
    await loadGovernanceCached(file, 'build-1');
    setInactivityDays(0);
    await expect(loadGovernanceCached(file, 'build-1')).rejects.toThrow(
      /membership\.inactivityDays: must be at least 1 day/,
    );
    setInactivityDays(45);
    expect((await loadGovernanceCached(file, 'build-1')).membership.inactivityDays).toBe(45);
  });

  it('reuses what one build validated, and a new build validates again', async () => {
    await loadGovernanceCached(file, 'build-1');
    const entry = cachedEntry();
    const cached = JSON.parse(readFileSync(entry, 'utf8'));
    cached.membership.inactivityDays = 7;
    writeFileSync(entry, JSON.stringify(cached));
    expect((await loadGovernanceCached(file, 'build-1')).membership.inactivityDays).toBe(7);
    expect((await loadGovernanceCached(file, 'build-2')).membership.inactivityDays).toBe(90);
  });

  it('does not trust a cache folder that others may write', async () => {
    await loadGovernanceCached(file, 'build-1');
    const entry = cachedEntry();
    const planted = JSON.parse(readFileSync(entry, 'utf8'));
    planted.membership.inactivityDays = 7;
    writeFileSync(entry, JSON.stringify(planted));
    chmodSync(cacheFolder(), 0o777);
    expect((await loadGovernanceCached(file, 'build-1')).membership.inactivityDays).toBe(90);
  });

  it('names the file when it cannot be read', async () => {
    await expect(loadGovernanceCached(path.join(dir, 'missing.yaml'), 'build-1')).rejects.toThrow(
      /governance file .*missing\.yaml.*cannot be read/s,
    );
  });
});
