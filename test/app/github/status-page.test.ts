// The operator's page says whether mirroring works: after a sync, what it brought (a second run
// that found nothing changed says so, not "0 pull requests"); after a failed run, when it failed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncRepository } from '../../../src/app/github/sync.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import type { WebConfig } from '../../../src/http/web/config.ts';
import { databases } from '../../support/databases.ts';
import { mirrorRepo, standinClient } from '../../support/github.ts';
import { type GithubStandin, MCP_REPO, mcpRepository } from '../../support/github-standin.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';
import { WebClient } from '../../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('the GitHub page after each sync on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    mirrorRepo(hub, MCP_REPO);
    await person(hub, 'mara', { role: 'maintainer' });
    standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207) standin.pulls.delete(n);
    await standin.start();
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  const stateCell = async () => {
    const w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
    await w.get('/sign-in');
    await w.post('/sign-in/demo', { handle: 'mara' });
    const row =
      /<tr><th scope="row"><a href="[^"]*">modelcontextprotocol\/modelcontextprotocol<\/a><\/th>([\s\S]*?)<\/tr>/.exec(
        (await w.get('/github')).html,
      )?.[1];
    const cells = [...(row ?? '').matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    return cells[5];
  };

  it('says what the last run brought, that a run finding nothing changed is in sync, and when a run failed', async () => {
    await syncRepository(hub, await standinClient(standin, 0), MCP_REPO);
    expect(await stateCell()).toBe('in sync (last run: 1 SEP new, 0 updated; 3 comments new, 0 edited)');
    hub.clock.advance(60 * 60_000);
    await syncRepository(hub, await standinClient(standin, 0), MCP_REPO);
    expect(await stateCell()).toBe('in sync (last run: nothing new on GitHub)');
    hub.clock.advance(60 * 60_000);
    standin.down = true;
    await expect(syncRepository(hub, await standinClient(standin, 0), MCP_REPO)).rejects.toThrow();
    expect(await stateCell()).toMatch(/^failed \(the run just now, .*\): GitHub failed GET \/repos\/.*\/pulls \(503\)/);
  });
});
