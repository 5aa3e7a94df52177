// Sign-in with GitHub, the whole OAuth round trip against the GitHub stand-in on loopback (its
// /login/oauth/authorize, /login/oauth/access_token and GET /user, the last checked against
// GitHub's OpenAPI description): a person the mirror made from a login signs in and owns what
// the mirror attributed to them; an unknown login becomes a new person; a forged, cancelled or
// failed round trip is refused with a page saying why.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secret } from '../../src/app/github/config.ts';
import { syncRepository } from '../../src/app/github/sync.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { type WebConfig, webConfigFromEnv } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { mirrorRepo, standinClient } from '../support/github.ts';
import {
  accountOnGithub,
  commentOnGithub,
  type GithubStandin,
  MCP_REPO,
  mcpRepository,
  renameOnGithub,
} from '../support/github-standin.ts';
import { registerClient } from '../../src/app/people/oauth.ts';
import { issueClaim } from '../../src/app/people/web-sessions.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { proposeGroup } from '../../src/app/groups/groups.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const CLIENT_ID = 'Iv23liWghubTestClient';
const CLIENT_SECRET = 'test-client-secret-not-real-0123456789';

describe.each(databases)('sign-in with GitHub on $name', { timeout: 120_000 }, (database) => {
  let hub: TestHub;
  let standin: GithubStandin;
  let web: WebClient;

  beforeEach(async () => {
    hub = await openTestHub(database);
    standin = mcpRepository();
    for (const n of [...standin.pulls.keys()]) if (n !== 2207) standin.pulls.delete(n);
    await standin.start();
    standin.registerOAuthClient(CLIENT_ID, CLIENT_SECRET);
    const config: WebConfig = {
      oidc: null,
      github: { clientId: CLIENT_ID, clientSecret: secret(CLIENT_SECRET), apiUrl: standin.url },
      publicUrl: null,
      secureCookies: false,
      sessionHours: 24,
    };
    web = new WebClient(createHttpApp(hub, undefined, { web: config }));
  });
  afterEach(async () => {
    await hub?.close();
    await standin?.stop();
  });

  /** Clicks "Sign in with GitHub", and on GitHub's page authorises (or cancels) as LOGIN; returns the callback path. */
  async function toGithubAndBack(login: string, decision: 'authorize' | 'cancel' = 'authorize'): Promise<string> {
    const page = await web.get('/sign-in');
    expect(page.html).toContain('href="/auth/github/login?next=%2F"');
    const start = await web.get('/auth/github/login?next=%2F');
    expect(start.status).toBe(303);
    const authorize = new URL(start.location!);
    expect(authorize.origin + authorize.pathname).toBe(`${standin.url}/login/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://localhost/auth/github/callback');
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{32}$/);
    const back = new URL(standin.authorize(authorize.href, login, decision));
    return back.pathname + back.search;
  }

  /** Signs out as the button does (with the session's CSRF token, read from a page). */
  async function signOut() {
    await web.get('/');
    expect((await web.post('/sign-out', {})).status).toBe(303);
    expect(web.cookie('wghub_session')).toBeUndefined();
  }

  const personByGithub = (login: string) =>
    hub.store.db.selectFrom('people').selectAll().where('github', '=', login).execute();

  it("a person the mirror made from a login signs in as that person and owns their mirrored comment; affiliation stays the hub's", async () => {
    mirrorRepo(hub, MCP_REPO);
    commentOnGithub(standin, 2207, 'mira-codes', 'I tried this in the Go SDK; the cancellation path needs a test.');
    standin.profiles.set('mira-codes', { name: 'Mira Okafor', company: '@AcmeCorp' });
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    const [mirrored] = await personByGithub('mira-codes');
    expect(mirrored).toBeTruthy();
    const before = await hub.store.db.selectFrom('people').select('id').execute();

    const callback = await toGithubAndBack('mira-codes');
    const done = await web.get(callback);
    expect(done.status).toBe(303);
    // they have not accepted the Code of Conduct yet: the welcome page walks them through it
    expect(done.location).toBe('/welcome');
    expect(web.cookie('wghub_session')).toBeTruthy();
    const session = await hub.store.db
      .selectFrom('web_sessions')
      .select(['person_id', 'via'])
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({ person_id: mirrored!.id, via: 'github' });
    expect((await hub.store.db.selectFrom('people').select('id').execute()).length).toBe(before.length);

    // the proposal page shows their mirrored comment, by them, and them signed in
    const proposal = await web.get('/proposals/SEP-2207');
    const text = pageText(proposal.html);
    expect(text).toContain('Signed in as');
    expect(text).toContain('I tried this in the Go SDK');
    const authored = await hub.store.db
      .selectFrom('comments')
      .select('author_id')
      .where('body', 'like', 'I tried this in the Go SDK%')
      .executeTakeFirstOrThrow();
    expect(authored.author_id).toBe(mirrored!.id);
    // GitHub's "company" is not an affiliation
    const affs = await hub.store.db
      .selectFrom('affiliations')
      .selectAll()
      .where('person_id', '=', mirrored!.id)
      .execute();
    expect(affs).toEqual([]);

    const linked = await hub.store.db
      .selectFrom('person_identities')
      .selectAll()
      .where('person_id', '=', mirrored!.id)
      .execute();
    expect(linked).toEqual([expect.objectContaining({ issuer: standin.url, subject: expect.stringMatching(/^\d+$/) })]);
    const event = await hub.store.db
      .selectFrom('events')
      .select(['kind', 'subject_id', 'after'])
      .where('kind', '=', 'person.identity-linked')
      .executeTakeFirstOrThrow();
    expect(event.subject_id).toBe(mirrored!.handle);
    const after = typeof event.after === 'string' ? JSON.parse(event.after) : event.after;
    expect(after).toMatchObject({ issuer: standin.url, via: 'github-login', login: 'mira-codes' });
    expect(JSON.stringify(after)).not.toContain(CLIENT_SECRET);
    expect(standin.drift).toEqual([]);
    expect(standin.requests.filter((r) => r.url === '/user')).toEqual([{ method: 'GET', url: '/user', status: 200 }]);

    // the next sign-in finds them by their GitHub account, not anew
    await signOut();
    const again = await web.get(await toGithubAndBack('mira-codes'));
    expect(again.status).toBe(303);
    const sessions = await hub.store.db.selectFrom('web_sessions').select('person_id').execute();
    expect(new Set(sessions.map((s) => s.person_id))).toEqual(new Set([mirrored!.id]));
  });

  it('a login nobody here knows becomes a new person (handle and name from GitHub, no affiliation) who lands on the welcome page', async () => {
    await person(hub, 'ada-l', { role: 'member', org: 'Nebula Tools' });
    standin.profiles.set('ada-l', { name: 'Ada Lindqvist', company: 'Nebula Tools' });
    const done = await web.get(await toGithubAndBack('ada-l'));
    expect(done.status).toBe(303);
    expect(done.location).toBe('/welcome');
    // the hub's @ada-l has no GitHub login on record: a handle alone never links an account
    const [created] = await personByGithub('ada-l');
    expect(created).toMatchObject({ handle: 'ada-l-2', name: 'Ada Lindqvist', github: 'ada-l', role: 'contributor' });
    const affs = await hub.store.db
      .selectFrom('affiliations')
      .selectAll()
      .where('person_id', '=', created!.id)
      .execute();
    expect(affs).toEqual([]);
    const welcome = await web.get('/welcome');
    expect(pageText(welcome.html)).toContain('Ada Lindqvist');
  });

  it("a newcomer who signed in from an MCP client's consent page is welcomed, then taken back to it, not made to start over", async () => {
    const client = await registerClient(hub, { client_name: 'Editor', redirect_uris: ['http://127.0.0.1:47300/cb'] });
    const authorize = `/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: 'http://127.0.0.1:47300/cb',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 's-1',
    })}`;
    // the consent page sends the visitor to sign in with it as `next`, and the sign-in page on to GitHub
    const asked = await web.get(authorize);
    expect(asked.location).toBe(`/sign-in?next=${encodeURIComponent(authorize)}`);
    const start = await web.get(`/auth/github/login?next=${encodeURIComponent(authorize)}`);
    const back = new URL(standin.authorize(start.location!, 'newcomer-nia', 'authorize'));
    const done = await web.get(back.pathname + back.search);
    // first sign-in: the welcome page, carrying where they were going
    expect(done.location).toBe(`/welcome?next=${encodeURIComponent(authorize)}`);
    const welcome = await web.get(done.location!);
    expect(welcome.html).toContain('an application asked to connect to this hub as you');
    expect(welcome.html).toContain(`href="${authorize.replace(/&/g, '&amp;')}">continue where you were going</a>`);
    // accepting the agreements takes them on to the consent page
    const g = hub.governance.agreements;
    const accepted = await web.post('/welcome/agreements', {
      codeOfConduct: g.codeOfConduct.version,
      contributionTerms: g.contributionTerms.version,
      next: authorize,
    });
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe(authorize);
    expect((await web.get(authorize)).html).toContain('Allow Editor to act as you?');
    // an address elsewhere is never followed from the welcome page
    const elsewhere = await web.get(`/welcome?next=${encodeURIComponent('//evil.example/x')}`);
    expect(elsewhere.html).not.toContain('evil.example');
  });

  it("over https the round trip's cookie is a __Host- one: a round trip a sibling subdomain planted under the bare name signs nobody in", async () => {
    const config: WebConfig = {
      oidc: null,
      github: { clientId: CLIENT_ID, clientSecret: secret(CLIENT_SECRET), apiUrl: standin.url },
      publicUrl: 'https://hub.example.org',
      secureCookies: true,
      sessionHours: 24,
    };
    const app = createHttpApp(hub, undefined, { web: config });
    const victim = new WebClient(app, 'https://hub.example.org');
    const started = await app.request('https://hub.example.org/auth/github/login?next=%2F', {
      headers: { Accept: 'text/html' },
    });
    const kept = started.headers.getSetCookie().find((line) => line.includes('wghub_github='))!;
    expect(kept).toMatch(/^__Host-wghub_github=[^;]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/);

    // the attacker starts a round trip of their own and authorises it as themselves on GitHub
    const attacker = new WebClient(app, 'https://hub.example.org');
    const theirs = await attacker.get('/auth/github/login?next=%2F');
    const theirCookie = attacker.cookie('__Host-wghub_github') ?? attacker.cookie('wghub_github');
    const back = new URL(standin.authorize(theirs.location!, 'mallory-gh', 'authorize'));
    // from evil.example.org they plant it on the victim under the bare name, and lead them to the callback
    victim.setCookie('wghub_github', theirCookie!);
    const done = await victim.get(back.pathname + back.search);
    expect(pageText(done.html)).toContain('This sign-in took too long or was started in another browser');
    expect(victim.cookie('__Host-wghub_session')).toBeUndefined();
    expect(await personByGithub('mallory-gh')).toEqual([]);

    // the victim's own round trip, kept under __Host-, signs them in
    const own = await victim.get('/auth/github/login?next=%2F');
    expect(victim.cookie('__Host-wghub_github')).toBeTruthy();
    const ownBack = new URL(standin.authorize(own.location!, 'ada-gh', 'authorize'));
    const signedIn = await victim.get(ownBack.pathname + ownBack.search);
    expect(signedIn.location).toBe('/welcome');
    expect(victim.cookie('__Host-wghub_session')).toBeTruthy();
    expect(victim.cookie('__Host-wghub_github')).toBeUndefined();
  });

  it('refuses a callback whose state does not match, one not started here, a cancelled consent, and GitHub being down, signing nobody in', async () => {
    const callback = new URL(await toGithubAndBack('mira-codes'), 'http://localhost');
    callback.searchParams.set('state', 'forged-state-forged-state-forged-state');
    const forged = await web.get(callback.pathname + callback.search);
    expect(forged.status).toBe(400);
    expect(pageText(forged.html)).toContain('Sign-in failed');
    expect(pageText(forged.html)).toContain('its state does not match');
    expect(web.cookie('wghub_session')).toBeUndefined();
    // the code was not even tried
    expect(standin.requests.some((r) => r.url.startsWith('/login/oauth/access_token'))).toBe(false);

    const stray = await new WebClient(createHttpApp(hub, undefined, { web: webConfig(standin) })).get(
      '/auth/github/callback?code=abc&state=def',
    );
    expect(stray.status).toBe(400);
    expect(pageText(stray.html)).toContain('started in another browser');

    const denied = await web.get(await toGithubAndBack('mira-codes', 'cancel'));
    expect(denied.status).toBe(403);
    expect(pageText(denied.html)).toContain('You did not authorise this hub on GitHub');

    const path = await toGithubAndBack('mira-codes');
    standin.down = true;
    const down = await web.get(path);
    expect(down.status).toBe(502);
    expect(pageText(down.html)).toContain('GitHub did not answer while exchanging the sign-in code');
    expect(down.html).not.toContain(CLIENT_SECRET);
    expect(down.html).not.toMatch(/at .*\.ts:\d+/);
    expect(web.cookie('wghub_session')).toBeUndefined();
    expect(await hub.store.db.selectFrom('person_identities').selectAll().execute()).toEqual([]);
  });

  it('a code used twice, or a hub whose client secret GitHub does not accept, is told so without the secret', async () => {
    const path = await toGithubAndBack('mira-codes');
    expect((await web.get(path)).status).toBe(303);
    await signOut();
    // replaying the same callback: its state cookie is gone
    expect((await web.get(path)).status).toBe(400);

    const wrong = new WebClient(
      createHttpApp(hub, undefined, {
        web: {
          ...webConfig(standin),
          github: { ...webConfig(standin).github!, clientSecret: secret('not-the-secret') },
        },
      }),
    );
    await wrong.get('/sign-in');
    const start = await wrong.get('/auth/github/login');
    const back = new URL(standin.authorize(start.location!, 'mira-codes'));
    const refused = await wrong.get(back.pathname + back.search);
    expect(refused.status).toBe(400);
    expect(pageText(refused.html)).toContain(
      "GitHub refused this hub's sign-in settings (incorrect_client_credentials)",
    );
    expect(refused.html).not.toContain('not-the-secret');
  });

  it('a login renamed on GitHub still signs in as its person and becomes their login here; whoever takes the old login is not them', async () => {
    const first = await web.get(await toGithubAndBack('sol-renames'));
    expect(first.status).toBe(303);
    const [sol] = await personByGithub('sol-renames');
    await signOut();

    renameOnGithub('sol-renames', 'sol-r');
    expect((await web.get(await toGithubAndBack('sol-r'))).status).toBe(303);
    const session = await hub.store.db
      .selectFrom('web_sessions')
      .select('person_id')
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(session.person_id).toBe(sol!.id);
    expect((await personByGithub('sol-r')).map((p) => p.id)).toEqual([sol!.id]);
    await signOut();

    // someone else registers the freed login: a newcomer, not Sol
    expect((await web.get(await toGithubAndBack('sol-renames'))).status).toBe(303);
    const [squatter] = await personByGithub('sol-renames');
    expect(squatter!.id).not.toBe(sol!.id);
  });

  it('a freed login someone else took is refused while the hub still records it for the person who had it', async () => {
    expect((await web.get(await toGithubAndBack('kai-old'))).status).toBe(303);
    await signOut();
    // renamed on GitHub, but Kai has not signed in since: the hub still knows them as kai-old
    renameOnGithub('kai-old', 'kai-new');
    const refused = await web.get(await toGithubAndBack('kai-old'));
    expect(refused.status).toBe(403);
    expect(pageText(refused.html)).toContain('already signs in with another GitHub account that was called kai-old');
    expect(web.cookie('wghub_session')).toBeUndefined();
  });

  it('a login GitHub freed and a stranger registered is refused: the mirror recorded the account that had it', async () => {
    mirrorRepo(hub, MCP_REPO);
    accountOnGithub('rhea-old', 7_100_001);
    commentOnGithub(standin, 2207, 'rhea-old', 'The schema needs a version field.');
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    const [rhea] = await personByGithub('rhea-old');
    expect(rhea!.github_account_id).toBe('7100001');
    // Rhea renames on GitHub; a stranger registers the freed login
    renameOnGithub('rhea-old', 'rhea-new');
    accountOnGithub('rhea-old', 7_100_002);
    const refused = await web.get(await toGithubAndBack('rhea-old'));
    expect(refused.status).toBe(403);
    expect(pageText(refused.html)).toContain(
      'The GitHub login rhea-old belonged to someone else here (@rhea-old); if you are them, ask a moderator for a claim link',
    );
    expect(web.cookie('wghub_session')).toBeUndefined();
    expect(await hub.store.db.selectFrom('person_identities').selectAll().execute()).toEqual([]);
    expect((await personByGithub('rhea-old')).map((p) => p.id)).toEqual([rhea!.id]);
  });

  it('the account the mirror recorded signs in as its person, and so does a plain member with none recorded', async () => {
    mirrorRepo(hub, MCP_REPO);
    accountOnGithub('omar-gh', 7_200_001);
    commentOnGithub(standin, 2207, 'omar-gh', 'Looks right to me.');
    await syncRepository(hub, await standinClient(standin), MCP_REPO);
    const [omar] = await personByGithub('omar-gh');
    expect(omar!.github_account_id).toBe('7200001');
    expect((await web.get(await toGithubAndBack('omar-gh'))).status).toBe(303);
    const signedIn = () =>
      hub.store.db
        .selectFrom('web_sessions')
        .select('person_id')
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow();
    expect((await signedIn()).person_id).toBe(omar!.id);
    await signOut();

    await person(hub, 'noor', { role: 'member' });
    await hub.store.db.updateTable('people').set({ github: 'noor-gh' }).where('handle', '=', 'noor').execute();
    accountOnGithub('noor-gh', 7_200_002);
    expect((await web.get(await toGithubAndBack('noor-gh'))).status).toBe(303);
    const [noor] = await personByGithub('noor-gh');
    expect(noor!.handle).toBe('noor');
    expect((await signedIn()).person_id).toBe(noor!.id);
    // from now on the login is checked against this account
    expect(noor!.github_account_id).toBe('7200002');
  });

  it("a group's lead or a moderator with no GitHub account recorded is not taken over by login: a claim link does it", async () => {
    const lead = await person(hub, 'lia', { role: 'member' });
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lia'],
    });
    await person(hub, 'mo', { role: 'moderator' });
    await hub.store.db.updateTable('people').set({ github: 'lia-gh' }).where('handle', '=', 'lia').execute();
    await hub.store.db.updateTable('people').set({ github: 'mo-gh' }).where('handle', '=', 'mo').execute();
    for (const [handle, login] of [
      ['lia', 'lia-gh'],
      ['mo', 'mo-gh'],
    ] as const) {
      const refused = await web.get(await toGithubAndBack(login));
      expect(refused.status).toBe(403);
      expect(pageText(refused.html)).toContain(
        `@${handle}, who has the GitHub login ${login} here, has a role in the community, so signing in by login alone cannot take it over; ask a moderator for a claim link`,
      );
      expect(web.cookie('wghub_session')).toBeUndefined();
    }
    expect(await hub.store.db.selectFrom('person_identities').selectAll().execute()).toEqual([]);

    // the claim link a moderator issues does it
    const { code } = await issueClaim(hub, SYSTEM, 'lia');
    await web.get(`/claim/${code}`);
    const start = await web.get(`/auth/github/login?claim=${code}`);
    const back = new URL(standin.authorize(start.location!, 'lia-gh'));
    expect((await web.get(back.pathname + back.search)).status).toBe(303);
    const session = await hub.store.db
      .selectFrom('web_sessions as s')
      .innerJoin('people as p', 'p.id', 's.person_id')
      .select('p.handle')
      .executeTakeFirstOrThrow();
    expect(session.handle).toBe('lia');
  });

  it("a moderator's claim link signs a GitHub account in as the person it names", async () => {
    await person(hub, 'sam-imported');
    const { code } = await issueClaim(hub, SYSTEM, 'sam-imported');
    const claim = await web.get(`/claim/${code}`);
    expect(claim.html).toContain(`href="/auth/github/login?claim=${code}"`);
    const start = await web.get(`/auth/github/login?claim=${code}`);
    const back = new URL(standin.authorize(start.location!, 'sam-on-github'));
    const done = await web.get(back.pathname + back.search);
    expect(done.status).toBe(303);
    const session = await hub.store.db
      .selectFrom('web_sessions as s')
      .innerJoin('people as p', 'p.id', 's.person_id')
      .select('p.handle')
      .executeTakeFirstOrThrow();
    expect(session.handle).toBe('sam-imported');
  });

  it('a login whose person already signs in another way is refused, not taken over; demo sign-in is off', async () => {
    await person(hub, 'lena', { role: 'member' });
    await hub.store.db.updateTable('people').set({ github: 'lena-gh' }).where('handle', '=', 'lena').execute();
    const lena = (await personByGithub('lena-gh'))[0]!;
    await hub.store.db
      .insertInto('person_identities')
      .values({
        issuer: 'https://idp.example',
        subject: 'lena-1',
        person_id: lena.id,
        linked_at: '2026-11-01T00:00:00Z',
      })
      .execute();
    const refused = await web.get(await toGithubAndBack('lena-gh'));
    expect(refused.status).toBe(403);
    expect(pageText(refused.html)).toContain(
      '@lena, who has the GitHub login lena-gh here, signs in with another provider',
    );
    expect(web.cookie('wghub_session')).toBeUndefined();

    const page = await web.get('/sign-in');
    expect(page.html).not.toContain('/sign-in/demo');
    const demo = await web.post('/sign-in/demo', { handle: 'lena' }, { csrf: web.cookie('wghub_csrf') });
    expect(demo.status).toBe(404);
    expect(web.cookie('wghub_session')).toBeUndefined();
  });
});

function webConfig(standin: GithubStandin): WebConfig {
  return {
    oidc: null,
    github: { clientId: CLIENT_ID, clientSecret: secret(CLIENT_SECRET), apiUrl: standin.url },
    publicUrl: null,
    secureCookies: false,
    sessionHours: 24,
  };
}

describe('sign-in with GitHub settings', () => {
  it('needs both the client id and the secret, names the one missing, and never shows the secret', () => {
    expect(() => webConfigFromEnv({ WGHUB_GITHUB_CLIENT_ID: CLIENT_ID })).toThrow(
      /WGHUB_GITHUB_CLIENT_SECRET must be set when WGHUB_GITHUB_CLIENT_ID is/,
    );
    expect(() => webConfigFromEnv({ WGHUB_GITHUB_CLIENT_SECRET: CLIENT_SECRET })).toThrow(
      /WGHUB_GITHUB_CLIENT_ID must be set when WGHUB_GITHUB_CLIENT_SECRET is/,
    );
    const config = webConfigFromEnv({ WGHUB_GITHUB_CLIENT_ID: CLIENT_ID, WGHUB_GITHUB_CLIENT_SECRET: CLIENT_SECRET });
    expect(config.github).toMatchObject({ clientId: CLIENT_ID, apiUrl: 'https://api.github.com' });
    expect(JSON.stringify(config)).not.toContain(CLIENT_SECRET);
    expect(String(config.github!.clientSecret)).toBe('[secret]');
    expect(webConfigFromEnv({}).github).toBeNull();
  });

  it('without them the sign-in page has no GitHub button (demo mode)', async () => {
    const hub = await openTestHub(databases[0]!);
    try {
      const web = new WebClient(
        createHttpApp(hub, undefined, { web: { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 } }),
      );
      const page = await web.get('/sign-in');
      expect(page.html).not.toContain('Sign in with GitHub');
      expect((await web.get('/auth/github/login')).location).toBe('/sign-in');
    } finally {
      await hub.close();
    }
  });
});
