// The GitHub REST client: Octokit with the throttling plugin (waits out primary and secondary
// rate limits as GitHub asks) and the retry plugin (5xx and dropped connections), plus the App's
// installation auth when configured. Conditional requests (ETags) are done by the sync, which
// knows which pages it has already mirrored. A rate limit one client meets holds up every client of
// the hub with the same credentials, in every process (waits.ts).
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { GithubConfig } from './config.ts';
import { githubWaits, waitScope } from './waits.ts';
import type { Store } from '../../store/connect.ts';
import { ownerAndName } from '../../domain/governance/github.ts';
import { storableStrings } from '../../domain/text.ts';

const Bridge = Octokit.plugin(throttling, retry);
export type GithubClient = InstanceType<typeof Bridge>;

export type ClientOptions = {
  /** How many times a rate-limited request is tried again before the sync gives up for now. */
  rateLimitRetries?: number;
  /** Retries of a 5xx or a dropped connection. */
  retries?: number;
  /** Tests shorten the plugin's waits; production keeps GitHub's. */
  retryAfterBaseValue?: number;
  log?: (message: string) => void;
  /**
   * The hub's store: a rate limit GitHub answers is waited out by every client of the hub (on
   * PostgreSQL, of every process; waits.ts), and the App's installation is looked up under the name
   * GitHub gives the repository now (transferred to another owner since it was mirrored). Without it,
   * by this process's clients only, under the name given.
   */
  store?: Pick<Store, 'db' | 'kind'>;
};

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A client acting for REPO ("owner/name"): as the App's installation there, with a token, or anonymously. */
export async function githubClient(
  config: GithubConfig,
  repo: string,
  opts: ClientOptions = {},
): Promise<GithubClient> {
  const maxRate = opts.rateLimitRetries ?? 4;
  const log = opts.log ?? (() => {});
  const waits = githubWaits(opts.store);
  // what the plugin waits, per second GitHub asks for (tests shorten it, as they shorten the plugin's waits)
  const perSecond = opts.retryAfterBaseValue ?? 1000;
  const made = (credentials: string, auth: Record<string, unknown>) => {
    const scope = waitScope(config.apiUrl, credentials);
    // every client of the hub with these credentials waits from now on, as long as GitHub asked this one to
    const noted = (after: number) => waits.note(scope, Date.now() + after * perSecond);
    const client = new Bridge({
      baseUrl: config.apiUrl,
      userAgent: 'wghub-github-bridge',
      log: quiet,
      retry: {
        retries: opts.retries ?? 4,
        ...(opts.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: opts.retryAfterBaseValue } : {}),
      },
      throttle: {
        ...spacedWrites(config.writeSpacingMs),
        ...(opts.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: opts.retryAfterBaseValue } : {}),
        onRateLimit: async (after: number, o: { method: string; url: string }, _k: unknown, count: number) => {
          log(`GitHub rate limit on ${o.method} ${o.url}; waiting ${after}s (try ${count + 1} of ${maxRate})`);
          await noted(after);
          return count < maxRate;
        },
        onSecondaryRateLimit: async (after: number, o: { method: string; url: string }, _k: unknown, count: number) => {
          log(`GitHub secondary rate limit on ${o.method} ${o.url}; waiting ${after}s`);
          await noted(after);
          return count < maxRate;
        },
      },
      ...auth,
    });
    // ahead of the plugins (a hook added last runs first): once per request asked, not per retry
    client.hook.before('request', async (options) => {
      await waits.turn(scope);
      await writeTurns(waits, scope, config.writeSpacingMs, options);
    });
    return storableAnswers(client);
  };
  if (config.auth.kind === 'token') {
    const token = config.auth.token.reveal();
    return made(`token ${token}`, { auth: token });
  }
  if (config.auth.kind === 'none') return made('anonymous', {});
  // An App acts per installation: find the one on this repository (as the App), then act as it.
  const { appId, privateKey } = config.auth;
  const asApp = { authStrategy: createAppAuth, auth: { appId, privateKey: privateKey.reveal() } };
  const app = made(`app ${appId}`, asApp);
  // the installation is the owner's: a repository transferred since it was mirrored is under its new one
  const [owner, name] = ownerAndName((await nameOnGithub(opts.store, repo)) ?? repo);
  const { data } = await app.request('GET /repos/{owner}/{repo}/installation', { owner, repo: name });
  return made(`app ${appId} installation ${data.id}`, {
    authStrategy: createAppAuth,
    auth: { appId, privateKey: privateKey.reveal(), installationId: data.id },
  });
}

/** The name GitHub gives a mirrored repository now, when it renamed or moved it since (github_repos.github_name). */
async function nameOnGithub(store: Pick<Store, 'db'> | undefined, repo: string): Promise<string | null> {
  if (!store) return null;
  const row = await store.db
    .selectFrom('github_repos')
    .select('github_name')
    .where('name', '=', repo)
    .executeTakeFirst();
  return row?.github_name ?? null;
}

/**
 * The plugin's limiters for writes (and GraphQL) and for writes that notify, spaced as configured;
 * none given, the plugin's own (GitHub's advice). They are the plugin's kind: Bottleneck groups.
 */
function spacedWrites(ms: number | undefined) {
  if (ms === undefined) return {};
  const group = () => new Bottleneck.Group({ maxConcurrent: 1, minTime: ms });
  return { write: group(), notifications: group() };
}

/**
 * A write (or GraphQL query) waits for its start in the hub's one line of writes with these
 * credentials, across processes (waits.ts): GitHub asks for one write at a time per token, a second
 * apart, three for those that notify people. The throttling plugin spaces them so too, but in each
 * process alone: N processes sent N writes a second. Spacing 0 (the tests' stand-in): no line.
 */
async function writeTurns(
  waits: ReturnType<typeof githubWaits>,
  scope: string,
  spacingMs: number | undefined,
  options: { method?: string; url?: string },
): Promise<void> {
  if (spacingMs === 0) return;
  const method = (options.method ?? 'GET').toUpperCase();
  const path = new URL(options.url ?? '/', 'http://github.test').pathname;
  const graphql = path.startsWith('/graphql');
  const write = method !== 'GET' && method !== 'HEAD' && !authRequest(method, path);
  if (!write && !graphql) return;
  await waits.writeTurn(scope, 'write', spacingMs ?? 1000);
  if (write && throttling.triggersNotification(path)) await waits.writeTurn(scope, 'notify', spacingMs ?? 3000);
}

/** Requests for tokens, which the plugin leaves out of its write spacing (as it does). */
function authRequest(method: string, path: string): boolean {
  return (
    (method === 'PATCH' && /^\/applications\/[^/]+\/token\/scoped$/.test(path)) ||
    (method === 'POST' &&
      (/^\/applications\/[^/]+\/token$/.test(path) ||
        /^\/app\/installations\/[^/]+\/access_tokens$/.test(path) ||
        path === '/login/oauth/access_token'))
  );
}

/**
 * Every answer's strings (REST pages and GraphQL alike) made storable as they arrive: a NUL or an
 * escape someone wrote in a comment, a title or a body becomes U+FFFD, so it neither fails a
 * whole page of the mirror on PostgreSQL nor is stored on SQLite.
 */
function storableAnswers(client: GithubClient): GithubClient {
  client.hook.after('request', (response) => {
    response.data = storableStrings(response.data);
  });
  return client;
}
