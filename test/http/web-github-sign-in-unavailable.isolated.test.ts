// Sign-in with GitHub when the hub's GitHub client cannot be loaded (a broken or partial install):
// the person who clicked "Sign in with GitHub", or who comes back from GitHub, reads a 503 page
// saying GitHub sign-in is unavailable and that nothing was lost, with the way back, not a bare
// 500; the rest of the hub keeps working.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { secret } from '../../src/app/github/config.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

vi.mock('@octokit/oauth-methods', () => {
  throw new Error("Cannot find package '@octokit/oauth-methods'");
});

describe('sign-in with GitHub whose client does not load', () => {
  let hub: TestHub;
  let web: WebClient;
  beforeEach(async () => {
    hub = await openTestHub(sqliteDatabase);
    const config: WebConfig = {
      oidc: null,
      github: { clientId: 'Iv23liWghubTestClient', clientSecret: secret('not-real'), apiUrl: 'http://127.0.0.1:9' },
      publicUrl: null,
      secureCookies: false,
      sessionHours: 24,
    };
    web = new WebClient(createHttpApp(hub, undefined, { web: config }));
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await hub?.close();
  });

  const saysUnavailable = (page: { status: number; html: string }) => {
    expect(page.status).toBe(503);
    const text = pageText(page.html);
    expect(text).toContain('Sign-in with GitHub is unavailable');
    expect(text).toContain('nobody was signed in. Nothing was lost or changed');
    expect(page.html).toContain('href="/sign-in?next=%2Fproposals%2FP-1"');
    expect(page.html).toContain('href="/proposals/P-1">Back to where you were</a>');
  };

  it('answers "Sign in with GitHub" with a 503 page saying so and nothing lost, and the hub still answers', async () => {
    const start = await web.get('/auth/github/login?next=%2Fproposals%2FP-1');
    saysUnavailable(start);
    expect(web.cookie('wghub_github')).toBeUndefined();
    expect((await web.get('/sign-in')).status).toBe(200);
  });

  it("answers GitHub's redirect back with the same page, the sign-in it started kept nowhere", async () => {
    const kept = { state: 'a'.repeat(32), next: '/proposals/P-1' };
    web.setCookie('wghub_github', Buffer.from(JSON.stringify(kept)).toString('base64url'));
    saysUnavailable(await web.get(`/auth/github/callback?state=${kept.state}&code=abc`));
  });
});
