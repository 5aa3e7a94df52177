// A GitHub stand-in on loopback: the REST endpoints the bridge uses, each answer built and checked
// against GitHub's OpenAPI description (github-openapi.ts), with pagination by Link headers,
// ETags and 304s, and faults on demand (primary and secondary rate limits, 5xx, dropped
// connections, an outage). `mcpRepository()` fills it from the corpus: the 41 SEP files as pull
// requests under their real numbers, with their authors, sponsors (assignees), labels for their
// states, comments and reviews.
import { createHash, createPublicKey, type KeyObject, randomBytes, verify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadGovernance } from '../../src/app/core/governance-file.ts';
import { parseSep, sepFacts } from '../../src/domain/sep/index.ts';
import { CORPUS } from './corpus.ts';
import { type Operation, responseSchemas, shaped, violations } from './github-openapi.ts';

export type StandinComment = { id: number; login: string; body: string; created_at: string; updated_at: string };
export type StandinReviewComment = StandinComment & { path: string; line: number };
export type StandinReview = { id: number; login: string; body: string; state: string; submitted_at: string };
export type StandinPull = {
  number: number;
  title: string;
  body: string;
  login: string;
  state: 'open' | 'closed';
  /** A draft pull request (converted to draft, or opened as one). */
  draft?: boolean;
  /** Closed without merging (a closed pull request is merged unless this says so). */
  unmerged?: boolean;
  labels: string[];
  assignees: string[];
  created_at: string;
  updated_at: string;
  files: { filename: string; status: 'added' | 'modified'; content: string }[];
  comments: StandinComment[];
  reviews: StandinReview[];
  /** Comments on lines of the changed files. */
  reviewComments?: StandinReviewComment[];
  /** Commits pushed to it (by default one, by its author when it was opened). */
  commits?: StandinCommit[];
};

/** A commit on a pull request: who wrote it (a GitHub login, or null for an address GitHub does not know) and when. */
export type StandinCommit = { sha: string; login: string | null; date: string; message?: string };

/** A plain issue (not a pull request). */
export type StandinIssue = {
  number: number;
  title: string;
  body: string;
  login: string;
  state: 'open' | 'closed';
  labels: string[];
  /** Logins it is assigned to. */
  assignees?: string[];
  created_at: string;
  updated_at: string;
  comments: StandinComment[];
};

/** A Discussion comment; top-level ones may have replies. */
export type StandinDiscussionComment = StandinComment & { replies?: StandinComment[] };
export type StandinDiscussion = {
  id: string;
  number: number;
  url: string;
  title: string;
  body: string;
  category: string;
  login?: string;
  created_at?: string;
  updated_at?: string;
  comments?: StandinDiscussionComment[];
};

export type Fault =
  | 'rate-limit'
  | 'secondary-rate-limit'
  /** GitHub's other answer at a secondary rate limit: 403, no `retry-after` ("wait at least a minute"). */
  | 'secondary-rate-limit-403'
  | '502'
  | 'drop'
  | 'forbidden'
  /** 404, as GitHub answers what these credentials cannot see. */
  | 'not-found';

export class GithubStandin {
  readonly owner: string;
  readonly name: string;
  readonly pulls = new Map<number, StandinPull>();
  /** Plain issues, numbered in the same sequence as the pull requests. */
  readonly issues = new Map<number, StandinIssue>();
  /**
   * Issues moved away (`transferIssue`): their old address answers 301 to where they are now, as
   * GitHub's does (`/repositories/{id}/issues/{number}`), which answers the issue in its new repository.
   */
  readonly #moved = new Map<number, { repo: string; issue: StandinIssue }>();
  /** Issues deleted on GitHub: their address answers 410. */
  readonly deletedIssues = new Set<number>();
  /** Issues the listing does not show yet (GitHub's lists lag a moment behind an issue just opened). */
  readonly unlisted = new Set<number>();
  /**
   * The name GitHub gives the repository now, once renamed: its old name's addresses still answer
   * (GitHub redirects them), and every answer names it anew (`repository_url`, `html_url`).
   */
  renamedTo: string | null = null;
  /** GitHub's id of the repository (`GET /repos/{owner}/{repo}`); GitHub's Hello-World's by default. */
  repoId = 1_296_269;
  /**
   * Once renamed, the id of another repository made since under the freed old name: `GET
   * /repos/{owner}/{repo}` under the old name answers that one (no redirect); other addresses as before.
   */
  oldNameTakenBy: { id: number; createdAt: string } | null = null;
  /** When GitHub says the repository was created (GitHub's Hello-World's by default; a rename keeps it). */
  repoCreatedAt = '2011-01-26T19:01:12Z';
  readonly teams = new Map<string, string[]>();
  /** Files on the default branch (CODEOWNERS, MAINTAINERS.md), by path. */
  readonly files = new Map<string, string>();
  /** Discussion categories by name, and the Discussions made through GraphQL. */
  readonly discussionCategories = ['Meeting Notes', 'Meeting Agendas', 'Quarterly Updates'];
  readonly discussions: StandinDiscussion[] = [];
  /** Every request answered: method (GRAPHQL for a GraphQL query, POST for a mutation), path with query, status. */
  readonly requests: { method: string; url: string; status: number }[] = [];
  /** Faults to answer with, in order, to requests whose path matches. */
  readonly #faults: { fault: Fault; match: RegExp }[] = [];
  /**
   * A page of Discussions larger than this takes GitHub too long: it answers its timeout error (200,
   * no data, an error without a type), as it does for pages of long Discussions with many comments.
   */
  discussionsTimeoutAbove: number | null = null;
  /** While true every request gets 503 (an outage). */
  down = false;
  /** How long each answer takes (a slow network, a long sync). */
  latencyMs = 0;
  /** Answers that did not match GitHub's description (a test asserts this stays empty). */
  readonly drift: string[] = [];
  /** When set, the stand-in acts as GitHub does for an App (`requireApp`). */
  #app: { id: string; key: KeyObject; installation: number } | null = null;
  /** Installation tokens it issued. */
  readonly #tokens = new Set<string>();
  #server: Server | null = null;
  #nextId = 900_000;
  /** The GitHub App's OAuth client, once registered (`registerOAuthClient`): the web flow answers only it. */
  #oauth: { clientId: string; clientSecret: string } | null = null;
  /** Codes the authorize page gave out, each good once for 10 minutes. */
  readonly #codes = new Map<string, { login: string; redirectUri: string; at: number }>();
  /** User tokens the code exchange gave out, and whose they are. */
  readonly #userTokens = new Map<string, string>();
  /** What GET /user says about a login beyond its id: the name and company its owner typed on GitHub. */
  readonly profiles = new Map<string, { name?: string | null; company?: string | null }>();
  url = '';

  constructor(repo: string) {
    [this.owner, this.name] = repo.split('/') as [string, string];
  }

  get repo(): string {
    return `${this.owner}/${this.name}`;
  }

  nextId(): number {
    return ++this.#nextId;
  }

  /**
   * From now on, as GitHub answers a GitHub App: finding the repository's installation and making
   * an installation token take a JWT signed (RS256) with the App's private key and naming its id;
   * every other request takes a token made that way (401 "Bad credentials" otherwise).
   */
  requireApp(appId: string, publicKeyPem: string, installation = 4242): void {
    this.#app = { id: appId, key: createPublicKey(publicKeyPem), installation };
  }

  /** From now on, the web flow (/login/oauth/authorize and /login/oauth/access_token) knows this client. */
  registerOAuthClient(clientId: string, clientSecret: string): void {
    this.#oauth = { clientId, clientSecret };
  }

  /**
   * What pressing "Authorize" on GitHub's page does, without a browser: the callback URL GitHub
   * sends the person to (with `code` and `state`, or `error=access_denied` when they cancel).
   */
  authorize(authorizeUrl: string, login: string, decision: 'authorize' | 'cancel' = 'authorize'): string {
    const u = new URL(authorizeUrl);
    const redirectUri = u.searchParams.get('redirect_uri') ?? '';
    const state = u.searchParams.get('state') ?? '';
    const back = new URL(redirectUri);
    if (decision === 'cancel') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user has denied your application access.');
      back.searchParams.set(
        'error_uri',
        'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied',
      );
    } else {
      const code = randomBytes(10).toString('hex');
      this.#codes.set(code, { login, redirectUri, at: Date.now() });
      back.searchParams.set('code', code);
    }
    if (state) back.searchParams.set('state', state);
    return back.href;
  }

  /** Whether an `Authorization: Bearer JWT` is the App's, signed with its key and not expired. */
  #appJwt(header: string | undefined): boolean {
    const jwt = /^bearer (.+)$/i.exec(header ?? '')?.[1];
    if (!jwt || !this.#app) return false;
    const [h, p, sig] = jwt.split('.');
    if (!h || !p || !sig) return false;
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.#app.key, Buffer.from(sig, 'base64url'))) return false;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number };
    return String(claims.iss) === this.#app.id && (claims.exp ?? 0) * 1000 > Date.now();
  }

  /**
   * Runs `run` once, before answering the next request whose path matches (what happens on GitHub
   * while a sync waits for that answer; the answer is what the stand-in holds after it).
   */
  beforeAnswering(match: RegExp, run: () => Promise<void>): void {
    this.#before.push({ match, run });
  }
  readonly #before: { match: RegExp; run: () => Promise<void> }[] = [];

  /** The next N requests whose path matches get this fault. */
  fail(fault: Fault, times = 1, match: RegExp = /./): void {
    for (let i = 0; i < times; i++) this.#faults.push({ fault, match });
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((e) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const log = (status: number) => this.requests.push({ method: req.method!, url: url.pathname + url.search, status });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    // the authorize page's form posts as a browser does; the API takes JSON
    const body = !chunks.length
      ? undefined
      : /^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')
        ? Object.fromEntries(new URLSearchParams(raw))
        : JSON.parse(raw);
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const bi = this.#before.findIndex((b) => b.match.test(url.pathname));
    if (bi >= 0) await this.#before.splice(bi, 1)[0]!.run();
    if (this.down) {
      log(503);
      return send(res, 503, { message: 'Service Unavailable' });
    }
    const fi = this.#faults.findIndex((f) => f.match.test(url.pathname));
    if (fi >= 0) {
      const { fault } = this.#faults.splice(fi, 1)[0]!;
      if (fault === 'drop') {
        log(0);
        req.socket.destroy();
        return;
      }
      if (fault === 'not-found') {
        log(404);
        return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      }
      if (fault === '502') {
        log(502);
        return send(res, 502, { message: 'Server Error' });
      }
      if (fault === 'forbidden') {
        // what GitHub answers an App (or a fine-grained token) lacking a permission: no rate limit spent
        log(403);
        return send(
          res,
          403,
          {
            message: 'Resource not accessible by integration',
            documentation_url: 'https://docs.github.com/rest',
          },
          { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4998' },
        );
      }
      if (fault === 'secondary-rate-limit-403') {
        log(403);
        return send(
          res,
          403,
          {
            message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
          },
          { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4990' },
        );
      }
      if (fault === 'rate-limit') {
        log(403);
        return send(
          res,
          403,
          { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest' },
          {
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
          },
        );
      }
      log(429);
      return send(
        res,
        429,
        { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        { 'retry-after': '1' },
      );
    }
    if (url.pathname.startsWith('/login/oauth/')) return this.#webFlow(req.method!, url, body, res, log);
    const userToken = /^(?:token|bearer) (ghu_.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (this.#app && !(userToken && this.#userTokens.has(userToken))) {
      const auth = req.headers.authorization;
      // the App asking for its installation on a repository it was not installed on: GitHub says 404;
      // the installation is the owner's, so a repository renamed or moved since is asked for by its
      // name now (the old owner's installation no longer holds one moved away)
      const current = (this.renamedTo ?? this.repo).toLowerCase();
      const installationOf = /^\/repos\/([^/]+\/[^/]+)\/installation$/.exec(url.pathname)?.[1];
      if (req.method === 'GET' && installationOf && installationOf.toLowerCase() !== current && this.#appJwt(auth)) {
        log(404);
        return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      }
      const asApp =
        (req.method === 'GET' && url.pathname.toLowerCase() === `/repos/${current}/installation`) ||
        (req.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(url.pathname));
      const ok = asApp ? this.#appJwt(auth) : this.#tokens.has(/^(?:token|bearer) (.+)$/i.exec(auth ?? '')?.[1] ?? '');
      if (!ok) {
        log(401);
        return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      }
    }
    if (req.method === 'POST' && url.pathname === '/graphql') {
      // GitHub's GraphQL API has no OpenAPI description: the few operations the bridge sends,
      // answered in GitHub's documented shapes; a read (a query) is logged as a GET would be
      const query = String(body?.query ?? '');
      if (!/^\s*mutation\b/.test(query)) {
        this.requests.push({ method: 'GRAPHQL', url: url.pathname, status: 200 });
        const first = Number((body?.variables as { first?: number } | undefined)?.first);
        if (
          query.includes('query MirrorDiscussions(') &&
          this.discussionsTimeoutAbove !== null &&
          first > this.discussionsTimeoutAbove
        )
          return send(res, 200, {
            data: null,
            errors: [
              {
                message:
                  'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `C0DE:1234` when reporting this issue.',
              },
            ],
          });
        return send(res, 200, { data: this.#graphql(query, body?.variables ?? {}) });
      }
      log(200);
      return send(res, 200, { data: this.#graphql(String(body?.query ?? ''), body?.variables ?? {}) });
    }
    if (req.method === 'GET' && url.pathname === '/user' && !this.#userTokens.has(userToken ?? '')) {
      log(401);
      return send(res, 401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });
    }
    // the repository under its old name, once renamed: GitHub redirects to it by id
    if (
      req.method === 'GET' &&
      this.renamedTo &&
      this.oldNameTakenBy === null &&
      url.pathname.toLowerCase() === `/repos/${this.repo}`.toLowerCase()
    ) {
      log(301);
      const location = `${this.url}/repositories/${this.repoId}`;
      return send(res, 301, { message: 'Moved Permanently', url: location }, { location });
    }
    const moved = req.method === 'GET' ? /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(url.pathname) : null;
    if (moved && url.pathname.startsWith(`/repos/${this.repo}/`) && this.#moved.has(Number(moved[1]))) {
      const to = this.#moved.get(Number(moved[1]))!;
      log(301);
      return send(
        res,
        301,
        { message: 'Moved Permanently', url: `${this.url}/repositories/1/issues/${to.issue.number}` },
        {
          location: `${this.url}/repositories/1/issues/${to.issue.number}`,
        },
      );
    }
    if (moved && this.deletedIssues.has(Number(moved[1]))) {
      log(410);
      return send(res, 410, { message: 'This issue was deleted' });
    }
    const landed = req.method === 'GET' ? /^\/repositories\/1\/issues\/(\d+)$/.exec(url.pathname) : null;
    const there = landed ? [...this.#moved.values()].find((t) => t.issue.number === Number(landed[1])) : undefined;
    if (there) {
      log(200);
      return send(res, 200, this.#issueJson(there.issue, there.repo));
    }
    const routed = this.#route(req.method!, url.pathname, url.searchParams, body, userToken);
    if (!routed) {
      log(404);
      return send(res, 404, { message: 'Not Found' });
    }
    const { op, status, data } = routed;
    const answer = shaped(responseSchemas()[op], data);
    const problems = violations(responseSchemas()[op], answer);
    if (problems.length) this.drift.push(`${op}: ${problems.slice(0, 3).join('; ')}`);
    let headers: Record<string, string> = { 'x-ratelimit-remaining': '4999', 'x-ratelimit-limit': '5000' };
    let items = answer;
    if (req.method === 'GET' && Array.isArray(answer)) {
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      items = answer.slice((page - 1) * perPage, page * perPage);
      if (page * perPage < answer.length) {
        const next = new URL(url);
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next}>; rel="next"`;
      }
    }
    const text = JSON.stringify(items);
    if (req.method === 'GET') {
      const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
      headers = { ...headers, etag };
      if (req.headers['if-none-match'] === etag) {
        log(304);
        res.writeHead(304, headers);
        res.end();
        return;
      }
    }
    log(status);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }

  /**
   * GitHub's web flow (github.com, not the API; outside GitHub's OpenAPI description, so answered
   * as its documentation shows): the authorize page, where the person (typing the login they are
   * signed in to GitHub as) authorises or cancels, and the code exchange, which answers 200 with
   * `{error, error_description, error_uri}` when it refuses, as GitHub does.
   */
  #webFlow(
    method: string,
    url: URL,
    body: Record<string, string> | undefined,
    res: ServerResponse,
    log: (status: number) => void,
  ): void {
    const client = this.#oauth;
    if (url.pathname === '/login/oauth/authorize' && method === 'GET') {
      const q = url.searchParams;
      if (!client || q.get('client_id') !== client.clientId) {
        log(404);
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>Not Found</title><h1>404</h1>');
        return;
      }
      log(200);
      const esc = (v: string | null) => (v ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><title>Authorize application</title><main>
<h1>Authorize wghub</h1>
<form method="post" action="/login/oauth/authorize">
<input type="hidden" name="client_id" value="${esc(q.get('client_id'))}">
<input type="hidden" name="redirect_uri" value="${esc(q.get('redirect_uri'))}">
<input type="hidden" name="state" value="${esc(q.get('state'))}">
<label>Signed in to GitHub as <input name="login" required></label>
<button name="decision" value="authorize">Authorize wghub</button>
<button name="decision" value="cancel" formnovalidate>Cancel</button>
</form></main></html>`);
      return;
    }
    if (url.pathname === '/login/oauth/authorize' && method === 'POST') {
      const f = body ?? {};
      const to = new URL(`${this.url}/login/oauth/authorize`);
      for (const k of ['client_id', 'redirect_uri', 'state']) if (f[k]) to.searchParams.set(k, f[k]);
      const back = this.authorize(to.href, f.login ?? '', f.decision === 'cancel' ? 'cancel' : 'authorize');
      log(302);
      res.writeHead(302, { location: back });
      res.end();
      return;
    }
    if (url.pathname === '/login/oauth/access_token' && method === 'POST') {
      const f = body ?? {};
      const refuse = (error: string, error_description: string) => {
        log(200);
        send(res, 200, {
          error,
          error_description,
          error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error.replace(/_/g, '-')}`,
        });
      };
      if (!client || f.client_id !== client.clientId || f.client_secret !== client.clientSecret) {
        refuse('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
        return;
      }
      const issued = this.#codes.get(f.code ?? '');
      this.#codes.delete(f.code ?? '');
      if (!issued || Date.now() - issued.at > 600_000) {
        refuse('bad_verification_code', 'The code passed is incorrect or expired.');
        return;
      }
      if (f.redirect_uri && f.redirect_uri !== issued.redirectUri) {
        refuse(
          'redirect_uri_mismatch',
          'The redirect_uri MUST match the registered callback URL for this application.',
        );
        return;
      }
      const token = `ghu_${randomBytes(18).toString('hex')}`;
      this.#userTokens.set(token, issued.login);
      log(200);
      // a GitHub App's user token that expires: GitHub adds the refresh token and both lifetimes
      send(res, 200, {
        access_token: token,
        expires_in: 28_800,
        refresh_token: `ghr_${randomBytes(30).toString('hex')}`,
        refresh_token_expires_in: 15_897_600,
        scope: '',
        token_type: 'bearer',
      });
      return;
    }
    log(404);
    send(res, 404, { message: 'Not Found' });
  }

  #route(
    method: string,
    p: string,
    q: URLSearchParams,
    body: any,
    userToken?: string,
  ): { op: Operation; status: number; data: unknown } | null {
    const base = `/repos/${this.owner}/${this.name}`;
    const m = (re: RegExp) => re.exec(p);
    let x: RegExpExecArray | null;
    if (method === 'GET' && p === '/user') {
      const login = this.#userTokens.get(userToken ?? '')!;
      const profile = this.profiles.get(login) ?? {};
      return {
        op: 'get /user',
        status: 200,
        data: {
          ...user(login),
          name: profile.name ?? null,
          company: profile.company ?? null,
          email: null,
          bio: null,
          blog: '',
          location: null,
          hireable: null,
          public_repos: 0,
          public_gists: 0,
          followers: 0,
          following: 0,
          created_at: '2020-01-01T00:00:00Z',
          updated_at: '2026-01-01T00:00:00Z',
        },
      };
    }
    if (
      method === 'GET' &&
      this.renamedTo &&
      this.oldNameTakenBy !== null &&
      p.toLowerCase() === `/repos/${this.repo}`.toLowerCase()
    ) {
      const [login, name] = this.repo.split('/') as [string, string];
      return {
        op: 'get /repos/{owner}/{repo}',
        status: 200,
        data: {
          id: this.oldNameTakenBy.id,
          node_id: `R_${this.oldNameTakenBy.id}`,
          name,
          full_name: this.repo,
          owner: user(login),
          private: false,
          html_url: `https://github.com/${this.repo}`,
          url: `${this.url}/repos/${this.repo}`,
          created_at: this.oldNameTakenBy.createdAt,
          default_branch: 'main',
        },
      };
    }
    if (
      method === 'GET' &&
      (p === `/repositories/${this.repoId}` ||
        p.toLowerCase() === `/repos/${this.renamedTo ?? this.repo}`.toLowerCase())
    ) {
      const fullName = this.renamedTo ?? this.repo;
      const [login, name] = fullName.split('/') as [string, string];
      return {
        op: 'get /repos/{owner}/{repo}',
        status: 200,
        data: {
          id: this.repoId,
          node_id: `R_${this.repoId}`,
          name,
          full_name: fullName,
          owner: user(login),
          private: false,
          html_url: `https://github.com/${fullName}`,
          url: `${this.url}/repos/${fullName}`,
          created_at: this.repoCreatedAt,
          default_branch: 'main',
        },
      };
    }
    if (
      this.#app &&
      method === 'GET' &&
      p.toLowerCase() === `/repos/${this.renamedTo ?? this.repo}/installation`.toLowerCase()
    )
      return {
        op: 'get /repos/{owner}/{repo}/installation',
        status: 200,
        data: {
          id: this.#app.installation,
          app_id: Number(this.#app.id),
          account: { login: (this.renamedTo ?? this.repo).split('/')[0], id: 1, type: 'Organization' },
          target_type: 'Organization',
          repository_selection: 'selected',
          access_tokens_url: `${this.url}/app/installations/${this.#app.installation}/access_tokens`,
          permissions: { contents: 'read', pull_requests: 'read', issues: 'read', metadata: 'read' },
          events: ['issue_comment', 'pull_request'],
        },
      };
    x = this.#app && method === 'POST' ? m(/^\/app\/installations\/(\d+)\/access_tokens$/) : null;
    if (x) {
      if (Number(x[1]) !== this.#app!.installation) return null;
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      this.#tokens.add(token);
      return {
        op: 'post /app/installations/{installation_id}/access_tokens',
        status: 201,
        data: { token, expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z') },
      };
    }
    if (method === 'GET' && p === `${base}/pulls`) {
      const all = [...this.pulls.values()].sort((a, b) => a.number - b.number);
      const state = q.get('state') ?? 'open';
      return {
        op: 'get /repos/{owner}/{repo}/pulls',
        status: 200,
        data: all.filter((pr) => state === 'all' || pr.state === state).map((pr) => this.#pullJson(pr)),
      };
    }
    x = method === 'GET' ? m(new RegExp(`^${base}/pulls/(\\d+)$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      if (!pr) return null;
      return { op: 'get /repos/{owner}/{repo}/pulls/{pull_number}', status: 200, data: this.#pullJson(pr) };
    }
    x = method === 'GET' ? m(new RegExp(`^${base}/pulls/(\\d+)/files$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      if (!pr) return null;
      return {
        op: 'get /repos/{owner}/{repo}/pulls/{pull_number}/files',
        status: 200,
        data: pr.files.map((f) => ({
          sha: sha(f.content),
          filename: f.filename,
          status: f.status,
          additions: f.content.split('\n').length,
          deletions: 0,
          changes: f.content.split('\n').length,
          blob_url: `https://github.com/${this.repo}/blob/${sha(f.content)}/${f.filename}`,
          raw_url: `https://github.com/${this.repo}/raw/${sha(f.content)}/${f.filename}`,
          contents_url: `${this.url}${base}/contents/${f.filename}?ref=${sha(f.content)}`,
        })),
      };
    }
    x = method === 'GET' ? m(new RegExp(`^${base}/contents/(.+)$`)) : null;
    if (x) {
      const file = decodeURIComponent(x[1]!);
      const ref = q.get('ref');
      const onMain = this.files.get(file);
      const found = (content: string) => ({
        op: 'get /repos/{owner}/{repo}/contents/{path}' as const,
        status: 200,
        data: {
          type: 'file',
          encoding: 'base64',
          size: Buffer.byteLength(content),
          name: path.basename(file),
          path: file,
          content: Buffer.from(content).toString('base64'),
          sha: sha(content),
          url: `${this.url}${base}/contents/${file}`,
          git_url: null,
          html_url: `https://github.com/${this.repo}/blob/main/${file}`,
          download_url: null,
          _links: { self: `${this.url}${base}/contents/${file}`, git: null, html: null },
        },
      });
      if (onMain !== undefined && !ref) return found(onMain);
      for (const pr of this.pulls.values())
        for (const f of pr.files)
          if (f.filename === file && (!ref || ref === sha(f.content) || ref === sha(`sep-${pr.number}`)))
            return {
              op: 'get /repos/{owner}/{repo}/contents/{path}',
              status: 200,
              data: {
                type: 'file',
                encoding: 'base64',
                size: Buffer.byteLength(f.content),
                name: path.basename(file),
                path: file,
                content: Buffer.from(f.content).toString('base64'),
                sha: sha(f.content),
                url: `${this.url}${base}/contents/${file}`,
                git_url: null,
                html_url: `https://github.com/${this.repo}/blob/main/${file}`,
                download_url: null,
                _links: { self: `${this.url}${base}/contents/${file}`, git: null, html: null },
              },
            };
      return null;
    }
    if (method === 'GET' && p === `${base}/issues`) {
      // GitHub's issue list shows pull requests too (with a pull_request field)
      const all = [...this.pulls.values(), ...this.issues.values()]
        .filter((i) => !this.unlisted.has(i.number))
        .sort((a, b) => a.number - b.number);
      return { op: 'get /repos/{owner}/{repo}/issues', status: 200, data: all.map((i) => this.#issueJson(i)) };
    }
    x = method === 'GET' ? m(new RegExp(`^${base}/issues/(\\d+)/comments$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1])) ?? this.issues.get(Number(x[1]));
      if (!pr) return null;
      return {
        op: 'get /repos/{owner}/{repo}/issues/{issue_number}/comments',
        status: 200,
        data: pr.comments.map((c) => this.#commentJson(pr, c)),
      };
    }
    x = method === 'GET' ? m(new RegExp(`^${base}/pulls/(\\d+)/commits$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      if (!pr) return null;
      const commits = pr.commits ?? [{ sha: sha(`${pr.number}:first`), login: pr.login, date: pr.created_at }];
      return {
        op: 'get /repos/{owner}/{repo}/pulls/{pull_number}/commits',
        status: 200,
        data: commits.map((c) => ({
          sha: c.sha,
          node_id: `C_${c.sha}`,
          url: `${this.url}${base}/commits/${c.sha}`,
          html_url: `https://github.com/${this.repo}/commit/${c.sha}`,
          comments_url: `${this.url}${base}/commits/${c.sha}/comments`,
          commit: {
            url: `${this.url}${base}/git/commits/${c.sha}`,
            author: { name: c.login ?? 'Someone', email: 'someone@example.org', date: c.date },
            committer: { name: c.login ?? 'Someone', email: 'someone@example.org', date: c.date },
            message: c.message ?? 'Update the SEP',
            comment_count: 0,
            tree: { sha: sha(`${c.sha}:tree`), url: `${this.url}${base}/git/trees/${sha(`${c.sha}:tree`)}` },
          },
          author: c.login ? user(c.login) : null,
          committer: c.login ? user(c.login) : null,
          parents: [],
        })),
      };
    }
    x = method === 'GET' ? m(new RegExp(`^${base}/pulls/(\\d+)/reviews$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      if (!pr) return null;
      return {
        op: 'get /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
        status: 200,
        data: pr.reviews.map((r) => ({
          id: r.id,
          node_id: `PRR_${r.id}`,
          user: user(r.login),
          body: r.body,
          state: r.state,
          html_url: `https://github.com/${this.repo}/pull/${pr.number}#pullrequestreview-${r.id}`,
          pull_request_url: `${this.url}${base}/pulls/${pr.number}`,
          _links: { html: { href: '' }, pull_request: { href: '' } },
          submitted_at: r.submitted_at,
          commit_id: sha(String(pr.number)),
          author_association: 'MEMBER',
        })),
      };
    }
    x = method === 'GET' ? m(new RegExp(`^${base}/pulls/(\\d+)/comments$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      if (!pr) return null;
      return {
        op: 'get /repos/{owner}/{repo}/pulls/{pull_number}/comments',
        status: 200,
        data: (pr.reviewComments ?? []).map((c) => ({
          id: c.id,
          node_id: `PRRC_${c.id}`,
          url: `${this.url}${base}/pulls/comments/${c.id}`,
          pull_request_review_id: null,
          diff_hunk: '@@ -0,0 +1 @@',
          path: c.path,
          line: c.line,
          original_line: c.line,
          position: c.line,
          original_position: c.line,
          commit_id: sha(String(pr.number)),
          original_commit_id: sha(String(pr.number)),
          user: user(c.login),
          body: c.body,
          created_at: c.created_at,
          updated_at: c.updated_at,
          html_url: `https://github.com/${this.repo}/pull/${pr.number}#discussion_r${c.id}`,
          pull_request_url: `${this.url}${base}/pulls/${pr.number}`,
          author_association: 'MEMBER',
          _links: { self: { href: '' }, html: { href: '' }, pull_request: { href: '' } },
        })),
      };
    }
    x = method === 'GET' ? m(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/) : null;
    if (x) {
      const members = this.teams.get(`${x[1]}/${x[2]}`);
      if (!members) return null;
      return { op: 'get /orgs/{org}/teams/{team_slug}/members', status: 200, data: members.map(user) };
    }
    x = method === 'POST' ? m(new RegExp(`^${base}/issues/(\\d+)/comments$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      if (!pr) return null;
      const now = new Date().toISOString();
      const c = {
        id: this.nextId(),
        login: 'wghub[bot]',
        body: String(body?.body ?? ''),
        created_at: now,
        updated_at: now,
      };
      pr.comments.push(c);
      pr.updated_at = now;
      return {
        op: 'post /repos/{owner}/{repo}/issues/{issue_number}/comments',
        status: 201,
        data: this.#commentJson(pr, c),
      };
    }
    x = method === 'PATCH' ? m(new RegExp(`^${base}/issues/comments/(\\d+)$`)) : null;
    if (x) {
      for (const pr of this.pulls.values()) {
        const c = pr.comments.find((cc) => cc.id === Number(x![1]));
        if (c) {
          c.body = String(body?.body ?? '');
          c.updated_at = new Date().toISOString();
          return {
            op: 'patch /repos/{owner}/{repo}/issues/comments/{comment_id}',
            status: 200,
            data: this.#commentJson(pr, c),
          };
        }
      }
      return null;
    }
    x = method === 'GET' ? m(new RegExp(`^${base}/issues/(\\d+)$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1])) ?? this.issues.get(Number(x[1]));
      if (!pr) return null;
      return { op: 'get /repos/{owner}/{repo}/issues/{issue_number}', status: 200, data: this.#issueJson(pr) };
    }
    x = method === 'POST' ? m(new RegExp(`^${base}/issues/(\\d+)/labels$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      if (!pr) return null;
      for (const l of (body?.labels ?? []) as unknown[]) {
        const name = String(typeof l === 'object' ? (l as any).name : l);
        if (!pr.labels.some((have) => have.toLowerCase() === name.toLowerCase())) pr.labels.push(name);
      }
      return {
        op: 'post /repos/{owner}/{repo}/issues/{issue_number}/labels',
        status: 200,
        data: pr.labels.map((l) => label(l)),
      };
    }
    x = method === 'DELETE' ? m(new RegExp(`^${base}/issues/(\\d+)/labels/([^/]+)$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      const name = decodeURIComponent(x[2]!).toLowerCase();
      if (!pr?.labels.some((l) => l.toLowerCase() === name)) return null;
      pr.labels = pr.labels.filter((l) => l.toLowerCase() !== name);
      return {
        op: 'delete /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
        status: 200,
        data: pr.labels.map((l) => label(l)),
      };
    }
    x = method === 'PUT' ? m(new RegExp(`^${base}/issues/(\\d+)/labels$`)) : null;
    if (x) {
      const pr = this.pulls.get(Number(x[1]));
      if (!pr) return null;
      pr.labels = (body?.labels ?? []).map((l: unknown) => String(typeof l === 'object' ? (l as any).name : l));
      return {
        op: 'put /repos/{owner}/{repo}/issues/{issue_number}/labels',
        status: 200,
        data: pr.labels.map((l) => label(l)),
      };
    }
    return null;
  }

  /** Adds a Discussion as someone on GitHub would (numbered after the issues and pull requests). */
  discuss(d: Omit<StandinDiscussion, 'id' | 'url' | 'number'> & { number?: number }): StandinDiscussion {
    const number = d.number ?? 1000 + this.discussions.length + 1;
    const made = { ...d, number, id: `D_${number}`, url: `https://github.com/${this.repo}/discussions/${number}` };
    this.discussions.push(made);
    return made;
  }

  #graphql(query: string, v: Record<string, string>): unknown {
    const catId = (name: string) => `DIC_${sha(name).slice(0, 10)}`;
    const when = (d: StandinDiscussion, k: 'created_at' | 'updated_at') => d[k] ?? '2026-01-01T00:00:00Z';
    const commentNode = (d: StandinDiscussion, c: StandinComment) => ({
      databaseId: c.id,
      body: c.body,
      url: `${d.url}#discussioncomment-${c.id}`,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      author: { login: c.login },
    });
    const commentsPage = (d: StandinDiscussion, after: string | null) => {
      const all = d.comments ?? [];
      const from = after ? Number(after.slice('cursor:'.length)) : 0;
      const slice = all.slice(from, from + 50);
      return {
        pageInfo: { hasNextPage: from + 50 < all.length, endCursor: `cursor:${from + slice.length}` },
        nodes: slice.map((c) => ({
          ...commentNode(d, c),
          replies: { nodes: (c.replies ?? []).slice(0, 50).map((r) => commentNode(d, r)) },
        })),
      };
    };
    if (query.includes('MirrorDiscussionComments')) {
      const d = this.discussions.find((x) => x.id === v.id);
      if (!d) throw new Error('unknown discussion');
      return this.#graphqlChecked('MirrorDiscussionComments', { node: { comments: commentsPage(d, v.after ?? null) } });
    }
    if (query.includes('MirrorDiscussions')) {
      const all = [...this.discussions].sort((a, b) => a.number - b.number);
      const first = Number(v.first ?? 10);
      const from = v.after ? Number(v.after.slice('cursor:'.length)) : 0;
      const slice = all.slice(from, from + first);
      return this.#graphqlChecked('MirrorDiscussions', {
        repository: {
          discussions: {
            pageInfo: { hasNextPage: from + first < all.length, endCursor: `cursor:${from + slice.length}` },
            nodes: slice.map((d) => ({
              id: d.id,
              number: d.number,
              title: d.title,
              body: d.body,
              url: d.url,
              createdAt: when(d, 'created_at'),
              updatedAt: when(d, 'updated_at'),
              author: { login: d.login ?? 'wghub[bot]' },
              category: { name: d.category },
              comments: commentsPage(d, null),
            })),
          },
        },
      });
    }
    if (query.includes('createDiscussion')) {
      const category = this.discussionCategories.find((c) => catId(c) === v.categoryId);
      if (!category) throw new Error('unknown category');
      const number = 1000 + this.discussions.length + 1;
      const d = {
        id: `D_${number}`,
        number,
        url: `https://github.com/${this.repo}/discussions/${number}`,
        title: v.title!,
        body: v.body!,
        category,
      };
      this.discussions.push(d);
      return { createDiscussion: { discussion: { id: d.id, number, url: d.url, body: d.body } } };
    }
    if (query.includes('updateDiscussion')) {
      const d = this.discussions.find((x) => x.id === v.id);
      if (!d) throw new Error('unknown discussion');
      d.title = v.title!;
      d.body = v.body!;
      return { updateDiscussion: { discussion: { id: d.id } } };
    }
    return {
      repository: {
        id: `R_${sha(this.repo).slice(0, 10)}`,
        discussionCategories: { nodes: this.discussionCategories.map((name) => ({ id: catId(name), name })) },
        discussions: {
          nodes: [...this.discussions].reverse().map((d) => ({ id: d.id, number: d.number, url: d.url, body: d.body })),
        },
      },
    };
  }

  /** A GraphQL answer checked against the recorded shape of GitHub's (test/fixtures/github). */
  #graphqlChecked(operation: keyof typeof GRAPHQL_SHAPES, data: unknown): unknown {
    const problems = shapeDrift((GRAPHQL_SHAPES[operation] as { data: unknown }).data, data, operation);
    if (problems.length) this.drift.push(...problems.slice(0, 3));
    return data;
  }

  #pullJson(pr: StandinPull) {
    const base = `${this.url}/repos/${this.repo}`;
    const branch = (ref: string) => ({ label: `${this.owner}:${ref}`, ref, sha: sha(ref), user: user(this.owner) });
    return {
      id: 1_000_000 + pr.number,
      node_id: `PR_${pr.number}`,
      number: pr.number,
      url: `${base}/pulls/${pr.number}`,
      html_url: `https://github.com/${this.repo}/pull/${pr.number}`,
      diff_url: `https://github.com/${this.repo}/pull/${pr.number}.diff`,
      patch_url: `https://github.com/${this.repo}/pull/${pr.number}.patch`,
      issue_url: `${base}/issues/${pr.number}`,
      commits_url: `${base}/pulls/${pr.number}/commits`,
      review_comments_url: `${base}/pulls/${pr.number}/comments`,
      review_comment_url: `${base}/pulls/comments{/number}`,
      comments_url: `${base}/issues/${pr.number}/comments`,
      statuses_url: `${base}/statuses/${sha(String(pr.number))}`,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: user(pr.login),
      body: pr.body,
      labels: pr.labels.map(label),
      milestone: null,
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      closed_at: pr.state === 'closed' ? pr.updated_at : null,
      merged_at: pr.state === 'closed' && !pr.unmerged ? pr.updated_at : null,
      merge_commit_sha: null,
      assignee: pr.assignees[0] ? user(pr.assignees[0]) : null,
      assignees: pr.assignees.map(user),
      requested_reviewers: [],
      requested_teams: [],
      head: branch(`sep-${pr.number}`),
      base: branch('main'),
      _links: {},
      author_association: 'CONTRIBUTOR',
      auto_merge: null,
      draft: pr.draft ?? false,
    };
  }

  /**
   * Moves a plain issue to another repository, as GitHub's "Transfer issue" does, without a
   * delivery: it leaves this repository's listing, and is there under its new number.
   */
  transferIssue(number: number, to: { repo: string; number: number }): void {
    const issue = this.issues.get(number)!;
    this.issues.delete(number);
    this.#moved.set(number, { repo: to.repo, issue: { ...issue, number: to.number } });
  }

  /** An issue, or a pull request as the issues API shows it (every PR is an issue), in `repo`. */
  #issueJson(pr: StandinPull | StandinIssue, repo = this.renamedTo ?? this.repo) {
    const base = `${this.url}/repos/${repo}`;
    const isPull = 'files' in pr;
    const assignees = pr.assignees ?? [];
    return {
      id: 2_000_000 + pr.number,
      node_id: `I_${pr.number}`,
      url: `${base}/issues/${pr.number}`,
      repository_url: base,
      labels_url: `${base}/issues/${pr.number}/labels{/name}`,
      comments_url: `${base}/issues/${pr.number}/comments`,
      events_url: `${base}/issues/${pr.number}/events`,
      html_url: `https://github.com/${repo}/${isPull ? 'pull' : 'issues'}/${pr.number}`,
      number: pr.number,
      state: pr.state,
      title: pr.title,
      body: pr.body,
      user: user(pr.login),
      labels: pr.labels.map(label),
      assignee: assignees[0] ? user(assignees[0]) : null,
      assignees: assignees.map(user),
      milestone: null,
      locked: false,
      comments: pr.comments.length,
      ...(isPull
        ? { pull_request: { url: `${base}/pulls/${pr.number}`, html_url: null, diff_url: null, patch_url: null } }
        : {}),
      closed_at: pr.state === 'closed' ? pr.updated_at : null,
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      author_association: 'CONTRIBUTOR',
    };
  }

  #commentJson(pr: StandinPull | StandinIssue, c: StandinComment) {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.url}/repos/${this.repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${this.repo}/${'files' in pr ? 'pull' : 'issues'}/${pr.number}#issuecomment-${c.id}`,
      issue_url: `${this.url}/repos/${this.repo}/issues/${pr.number}`,
      body: c.body,
      user: user(c.login),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'CONTRIBUTOR',
    };
  }
}

const GRAPHQL_SHAPES = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../fixtures/github/graphql-discussions.json'), 'utf8'),
) as { MirrorDiscussions: unknown; MirrorDiscussionComments: unknown };

/** Where an answer's shape differs from the recorded one: a missing or extra field, or another type. */
export function shapeDrift(recorded: unknown, answer: unknown, at: string): string[] {
  if (recorded === null || answer === null) return [];
  if (Array.isArray(recorded)) {
    if (!Array.isArray(answer)) return [`${at}: expected a list`];
    return recorded.length ? answer.flatMap((a, i) => shapeDrift(recorded[0], a, `${at}[${i}]`)) : [];
  }
  if (typeof recorded === 'object') {
    if (typeof answer !== 'object' || Array.isArray(answer)) return [`${at}: expected an object`];
    const r = recorded as Record<string, unknown>;
    const a = answer as Record<string, unknown>;
    return [
      ...Object.keys(r).flatMap((k) => (k in a ? shapeDrift(r[k], a[k], `${at}.${k}`) : [`${at}.${k}: missing`])),
      ...Object.keys(a)
        .filter((k) => !(k in r))
        .map((k) => `${at}.${k}: not in GitHub's answer`),
    ];
  }
  return typeof recorded === typeof answer ? [] : [`${at}: ${typeof answer}, GitHub sends ${typeof recorded}`];
}

function sha(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

let userIds = 0;
const knownIds = new Map<string, number>();

/** The GitHub account behind LOGIN has this id (in /user, and in every payload naming LOGIN) from now on. */
export function accountOnGithub(login: string, id: number): void {
  knownIds.set(login, id);
}

/** A login renamed on GitHub: the account (its id) answers to the new login from now on. */
export function renameOnGithub(from: string, to: string): void {
  knownIds.set(to, user(from).id);
  knownIds.delete(from);
}
function user(login: string) {
  let id = knownIds.get(login);
  if (!id) {
    id = ++userIds;
    knownIds.set(login, id);
  }
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}`,
    gravatar_id: null,
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  };
}

function label(name: string) {
  const id = Number.parseInt(sha(name).slice(0, 8), 16);
  return { id, node_id: `LA_${id}`, url: '', name, description: '', color: 'ededed', default: false };
}

export const MCP_REPO = 'modelcontextprotocol/modelcontextprotocol';

/**
 * The MCP repository as the stand-in serves it: each SEP file in the corpus as the pull request
 * that added it, under its real number, opened by its first author, assigned to its sponsor,
 * labelled with its state, with a sponsor's comment, the author's reply and the sponsor's review.
 */
export function mcpRepository(standin = new GithubStandin(MCP_REPO)): GithubStandin {
  const labels = loadGovernance().github!.labels.sep;
  const dir = path.join(CORPUS, 'spec-repo/seps');
  for (const f of readdirSync(dir).filter((x) => /^\d+-.*\.md$/.test(x))) {
    const content = readFileSync(path.join(dir, f), 'utf8');
    const facts = sepFacts(parseSep(content));
    const number = Number.parseInt(f, 10);
    const author = facts.authors.find((a) => a.handle)?.handle ?? 'mcp-community';
    const sponsor = facts.sponsor?.handle ?? null;
    const created = facts.created && !Number.isNaN(Date.parse(facts.created)) ? facts.created : '2025-06-01';
    const at = (days: number) => new Date(Date.parse(created) + days * 86_400_000).toISOString().replace('.000', '');
    const reviewer = sponsor ?? 'mcp-reviewer';
    standin.pulls.set(number, {
      number,
      title: facts.title,
      body: `This PR adds SEP-${number}.`,
      login: author,
      state: ['final', 'rejected', 'withdrawn', 'superseded'].includes(facts.status.stage ?? '') ? 'closed' : 'open',
      labels: ['SEP', ...(facts.status.stage && labels[facts.status.stage] ? [labels[facts.status.stage]!] : [])],
      assignees: sponsor ? [sponsor] : [],
      created_at: at(0),
      updated_at: at(3),
      files: [{ filename: `seps/${f}`, status: 'added', content }],
      comments: [
        {
          id: number * 100 + 1,
          login: reviewer,
          body: `Thanks for writing up SEP-${number}. How does this interact with existing clients?`,
          created_at: at(1),
          updated_at: at(1),
        },
        {
          id: number * 100 + 2,
          login: author,
          body: 'Existing clients keep working: the change is additive.',
          created_at: at(2),
          updated_at: at(2),
        },
      ],
      reviews: [
        {
          id: number * 100 + 50,
          login: reviewer,
          body: 'The motivation is clear; approving the direction.',
          state: 'APPROVED',
          submitted_at: at(3),
        },
      ],
    });
  }
  for (const f of ['.github/CODEOWNERS', 'MAINTAINERS.md'])
    standin.files.set(f, readFileSync(path.join(CORPUS, 'spec-repo', f), 'utf8'));
  standin.teams.set('modelcontextprotocol/core-maintainers', ['dsp-ant', 'jspahrsummers']);
  standin.teams.set('modelcontextprotocol/maintainers', ['pcarleton', 'kurtisvg']);
  return standin;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Adds a comment as someone on GitHub would (the PR's updated_at moves), without any webhook. */
export function commentOnGithub(standin: GithubStandin, number: number, login: string, body: string): StandinComment {
  const pr = standin.pulls.get(number)!;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const c = { id: standin.nextId(), login, body, created_at: now, updated_at: now };
  pr.comments.push(c);
  pr.updated_at = now;
  return c;
}
