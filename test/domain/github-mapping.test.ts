import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { githubConfigFromEnv, redact } from '../../src/app/github/config.ts';
import { sepNumberOfPath, stageOfLabels, validateGovernance } from '../../src/domain/governance/index.ts';

const g = loadGovernance();

describe("the governance file's github section", () => {
  it('maps the MCP labels to SEP stages and finds SEP files by their path', () => {
    const gh = g.github!;
    expect(stageOfLabels(gh, 'sep', ['SEP', 'In-Review'])).toBe('in-review');
    expect(stageOfLabels(gh, 'sep', ['bug'])).toBeNull();
    expect(sepNumberOfPath(gh.sepPath, 'seps/2575-stateless-mcp.md')).toBe(2575);
    expect(sepNumberOfPath(gh.sepPath, 'seps/README.md')).toBeNull();
    expect(sepNumberOfPath(gh.sepPath, 'docs/seps/2575-x.md')).toBeNull();
  });

  it('refuses one label for two stages, and a repository named twice, naming the key', () => {
    const bad = structuredClone(g) as any;
    bad.github.labels.sep.final = 'accepted';
    bad.github.repositories = [{ name: 'a/b' }, { name: 'A/b' }];
    expect(() => validateGovernance(bad, 'x.yaml')).toThrow(
      /github\.labels\.sep\.final: label 'accepted' already stands for stage 'accepted'/,
    );
    expect(() => validateGovernance(bad, 'x.yaml')).toThrow(/github\.repositories: must not name a repository twice/);
    const worse = structuredClone(g) as any;
    worse.github.repositories = [{ name: 'not a repo' }];
    expect(() => validateGovernance(worse, 'x.yaml')).toThrow(/github\.repositories\[0\]\.name: must be owner\/name/);
  });

  it('takes a repository written as a bare owner/name, with the defaults', () => {
    const bare = structuredClone(g) as any;
    bare.github.repositories = ['modelcontextprotocol/modelcontextprotocol', { name: 'a/b', writeBack: true }];
    expect(validateGovernance(bare, 'x.yaml').github!.repositories).toEqual([
      { name: 'modelcontextprotocol/modelcontextprotocol', writeBack: false, issues: true },
      { name: 'a/b', writeBack: true, issues: true },
    ]);
    bare.github.repositories = ['not a repo'];
    expect(() => validateGovernance(bare, 'x.yaml')).toThrow(/github\.repositories\[0\]\.name: must be owner\/name/);
  });
});

describe('GitHub credentials', () => {
  it('are read from the environment and never shown when printed, serialised or in a message', () => {
    const c = githubConfigFromEnv({
      WGHUB_GITHUB_TOKEN: 'ghp_supersecrettoken',
      WGHUB_GITHUB_WEBHOOK_SECRET: 'hook-secret-value',
      WGHUB_GITHUB_API_URL: 'http://127.0.0.1:9/',
    });
    expect(c.apiUrl).toBe('http://127.0.0.1:9');
    const shown = [JSON.stringify(c), inspect(c, { depth: 5 }), String(c.webhookSecret), `${JSON.stringify(c.auth)}`];
    for (const s of shown) {
      expect(s).not.toContain('ghp_supersecrettoken');
      expect(s).not.toContain('hook-secret-value');
    }
    expect(redact(c, 'failed with token ghp_supersecrettoken')).toBe('failed with token [secret]');
    expect(githubConfigFromEnv({}).auth.kind).toBe('none');
  });
});
