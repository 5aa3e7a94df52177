// Sign-in with GitHub: the OAuth web flow of a GitHub App (or an OAuth App) through Octokit's
// @octokit/oauth-methods (the authorize URL, the code exchange), then `GET /user` for who it is.
// The web flow's host (github.com, a GitHub Enterprise host, the stand-in in tests) follows from
// the API URL the way Octokit derives it. No retries: a person is waiting on the page, and GitHub
// being down is told to them at once.
import { randomBytes } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { onFirstUse } from '../../domain/first-use.ts';
import type { GithubSignInConfig } from './config.ts';

/** How long a call to GitHub may take before the person is told it did not answer. */
const TIMEOUT_MS = 10_000;

/** The GitHub account a sign-in proved: its id never changes, its login may be renamed. */
export type GithubUser = { id: number; login: string; name: string | null };

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

// Octokit (about 60 modules with the bridge's) loads with the first sign-in with GitHub, not with every `serve`
const octokit = onFirstUse(async () => {
  const [{ Octokit }, methods] = await Promise.all([import('@octokit/rest'), import('@octokit/oauth-methods')]);
  return { Octokit, ...methods };
});

/**
 * The GitHub client could not be loaded (a broken or partial install): sign-in with GitHub is
 * unavailable until an operator mends it, and nothing else is; the person is told so (503), not
 * shown a bare error.
 */
export class GithubSignInUnavailable extends Error {}

/** The client's modules, or GithubSignInUnavailable (the cause logged for the operator, never shown). */
async function loaded(): Promise<Awaited<ReturnType<typeof octokit>>> {
  try {
    return await octokit();
  } catch (e) {
    console.error(`Sign-in with GitHub is unavailable: its client did not load (${(e as Error)?.message ?? e})`);
    throw new GithubSignInUnavailable('the GitHub client did not load');
  }
}

async function client(config: GithubSignInConfig, auth?: string): Promise<Octokit> {
  const { Octokit } = await loaded();
  return new Octokit({
    baseUrl: config.apiUrl,
    userAgent: 'wghub-sign-in',
    log: quiet,
    request: { signal: AbortSignal.timeout(TIMEOUT_MS) },
    ...(auth ? { auth } : {}),
  });
}

/** The web flow's root (https://github.com for api.github.com): also the `issuer` its accounts are linked under. */
export function githubWebRoot(config: GithubSignInConfig): string {
  // the same derivation @octokit/oauth-methods applies to the request it is given
  const api = config.apiUrl;
  if (/^https:\/\/(api\.)?github\.com$/.test(api)) return 'https://github.com';
  if (/^https:\/\/api\..*\.ghe\.com$/.test(api)) return api.replace('api.', '');
  return api.replace('/api/v3', '');
}

/** Where to send the browser, and the `state` to keep (in a cookie) and check when it comes back. */
export async function startGithubLogin(
  config: GithubSignInConfig,
  redirectUrl: string,
): Promise<{ url: string; state: string }> {
  const state = randomBytes(24).toString('base64url');
  const { getWebFlowAuthorizationUrl } = await loaded();
  const { url } = getWebFlowAuthorizationUrl({
    clientType: 'github-app',
    clientId: config.clientId,
    redirectUrl,
    state,
    request: (await client(config)).request,
  });
  return { url, state };
}

/** Why a finished sign-in did not work, in words a person can act on (never a secret or a stack). */
export class GithubSignInRefused extends Error {
  /** 502 when GitHub did not answer (the hub's gateway failed), 400 when it answered no. */
  readonly status: 400 | 502;
  constructor(message: string, status: 400 | 502 = 400) {
    super(message);
    this.status = status;
  }
}

/** Exchanges the code GitHub sent back for a user token (used once, then dropped) and reads the account. */
export async function finishGithubLogin(
  config: GithubSignInConfig,
  code: string,
  redirectUrl: string,
): Promise<GithubUser> {
  let token: string;
  const { exchangeWebFlowCode } = await loaded();
  try {
    const { authentication } = await exchangeWebFlowCode({
      clientType: 'github-app',
      clientId: config.clientId,
      clientSecret: config.clientSecret.reveal(),
      code,
      redirectUrl,
      request: (await client(config)).request,
    });
    token = authentication.token;
  } catch (e) {
    throw refusal(e, 'exchanging the sign-in code');
  }
  try {
    const { data } = await (await client(config, token)).request('GET /user');
    return { id: Number(data.id), login: data.login, name: data.name?.trim() || null };
  } catch (e) {
    throw refusal(e, 'reading your GitHub account');
  }
}

/**
 * GitHub's answer to a code it does not accept comes as `{error, error_description}`, which
 * Octokit raises with that description; an unreachable GitHub as a network error or a 5xx. The
 * message says which, and never carries the request (it holds the client secret).
 */
function refusal(e: unknown, step: string): GithubSignInRefused {
  const err = e as { status?: number; response?: { data?: { error?: string } }; name?: string };
  const oauthError = err.response?.data?.error;
  if (oauthError === 'bad_verification_code')
    return new GithubSignInRefused('GitHub did not accept the sign-in code: it was used already or has expired.');
  if (oauthError === 'incorrect_client_credentials' || oauthError === 'redirect_uri_mismatch')
    return new GithubSignInRefused(
      `GitHub refused this hub's sign-in settings (${oauthError}); an operator must check the GitHub App's client id, secret and callback URL.`,
    );
  if (oauthError) return new GithubSignInRefused(`GitHub refused the sign-in (${oauthError}).`);
  if (err.status && err.status < 500)
    return new GithubSignInRefused(`GitHub answered ${err.status} while ${step}; please start again.`);
  return new GithubSignInRefused(`GitHub did not answer while ${step}; please try again later.`, 502);
}
