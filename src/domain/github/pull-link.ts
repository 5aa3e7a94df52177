// A proposal's pull request is given as a link; one on GitHub is recognised, so the hub can say which
// repository and number it is and, when its GitHub mirror holds that pull request, what it knows of it.
import { LIMITS } from '../limits.ts';

export type GithubPull = { repo: string; number: number };

// github.com/OWNER/REPO/pull/N, then nothing or a part of its page (/files, /commits, #discussion…, ?…)
const PULL =
  /^https:\/\/(?:www\.)?github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})\/pull\/([1-9]\d{0,9})(?:[/?#].*)?$/i;

/** The repository ("owner/name") and number of a GitHub pull request's link, or null for any other link. */
export function githubPull(url: string): GithubPull | null {
  const m = PULL.exec(url.trim());
  if (!m) return null;
  const number = Number(m[3]);
  if (number > LIMITS.maxNumber) return null;
  return { repo: `${m[1]}/${m[2]!.replace(/\.git$/i, '')}`, number };
}
