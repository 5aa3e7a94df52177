// Where a link in imported or written content leads. Imported files link the way their own site
// does (/community/working-groups/auth, /seps/2663-tasks-extension, ../README.md), and `#n`,
// SEP-n and @handle name things that may not be in this hub. Each link goes to the hub page it
// means, else to its public original (the governance file's `publicOriginals`), else it is shown
// as plain text: a reader never follows a link to a page that is not there.
import type { PublicOriginals } from './governance/schema.ts';

/** What this hub holds, to tell a page that exists from one that does not. */
export type KnownPages = {
  /** Proposal references, upper case: P-12, SEP-1686. */
  proposals: ReadonlySet<string>;
  /** People's handles, lower case, mapped to the handle as stored. */
  people: ReadonlyMap<string, string>;
  groups: ReadonlySet<string>;
  /** Imported artifacts by their path (as under the imported folder). */
  artifacts: ReadonlySet<string>;
};

/** First path segments the hub itself answers; anything else local is a path on the docs site. */
const HUB_PATHS = new Set([
  '',
  'artifacts',
  'auth',
  'api',
  'decisions',
  'groups',
  'how-we-work',
  'log',
  'meetings',
  'people',
  'proposals',
  'search',
  'sign-in',
  'welcome',
  'assets',
  'mcp',
  'healthz',
]);

const join = (base: string, rest: string) => `${base.replace(/\/+$/, '')}/${rest.replace(/^\/+/, '')}`;

/** A path inside an imported folder ("spec-repo/seps/1686-x.md") as the hub page or public original it is. */
function sourceFile(path: string, known: KnownPages, o: PublicOriginals): string | null {
  if (known.artifacts.has(path)) return `/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`;
  const sep = /(?:^|\/)seps\/(\d+)-[^/]*\.md$/.exec(path);
  if (sep && known.proposals.has(`SEP-${Number(sep[1])}`)) return `/proposals/SEP-${Number(sep[1])}`;
  // a SEP is numbered by its pull request
  if (sep && o.repository) return join(o.repository, `pull/${Number(sep[1])}`);
  const charter = /(?:^|\/)docs\/community\/(?:working|interest)-groups\/([^/]+)\.mdx?$/.exec(path);
  if (charter && known.groups.has(charter[1]!)) return `/groups/${charter[1]}`;
  const [folder, ...rest] = path.split('/');
  const origin = folder ? o.sources[folder] : undefined;
  return origin && rest.length ? join(origin, rest.join('/')) : null;
}

/** A site path from the docs (/community/working-groups/auth, /seps/2663-tasks) as a hub page or the docs site. */
function docsPath(path: string, known: KnownPages, o: PublicOriginals): string | null {
  const group = /^\/community\/(?:working|interest)-groups\/([^/#?]+)\/?$/.exec(path);
  if (group && known.groups.has(group[1]!)) return `/groups/${group[1]}`;
  const sep = /^\/seps\/(\d+)(?:-[^/]*)?\/?$/.exec(path);
  if (sep && known.proposals.has(`SEP-${Number(sep[1])}`)) return `/proposals/SEP-${Number(sep[1])}`;
  return o.docsSite ? join(o.docsSite, path) : null;
}

/** A page of this hub's own, if what it names is here; otherwise its public original or null. */
function hubPath(path: string, text: string, known: KnownPages, o: PublicOriginals): string | null {
  const [, first = '', second, ...more] = path.split('/');
  const id = second ? decodeURIComponent(second) : '';
  if (first === 'proposals' && id && !more.length && id !== 'new') {
    const ref = id.toUpperCase();
    const issue = /^#(\d+)$/.exec(text.trim());
    // `#n` is an issue or pull request of the community's repository; a SEP is numbered by its pull request
    if (issue && o.repository) {
      const n = Number(issue[1]);
      return known.proposals.has(`SEP-${n}`) ? `/proposals/SEP-${n}` : join(o.repository, `issues/${n}`);
    }
    if (known.proposals.has(ref)) return path;
    const sep = /^SEP-(\d+)$/.exec(ref);
    return sep && o.repository ? join(o.repository, `pull/${Number(sep[1])}`) : null;
  }
  if (first === 'people' && id && !more.length) {
    const handle = known.people.get(id.toLowerCase());
    if (handle) return `/people/${handle}`;
    return o.people && /^[A-Za-z0-9-]+$/.test(id) ? `${o.people.replace(/\/?$/, '/')}${id}` : null;
  }
  if (first === 'groups' && id && !more.length) return known.groups.has(id) ? path : null;
  if (first === 'artifacts' && id) {
    const p = path.slice('/artifacts/'.length).split('/').map(decodeURIComponent).join('/');
    return known.artifacts.has(p) ? path : null;
  }
  return path;
}

/**
 * Where a link should lead: a hub path, an absolute public address, or null for plain text.
 * `base` is the imported file the link was written in (its path under the imported folder), so
 * relative links can be followed; without it a relative link has nowhere to lead.
 */
export function resolveLink(
  href: string,
  text: string,
  known: KnownPages,
  originals: PublicOriginals,
  base: string | null = null,
): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('//')) return href;
  const hashAt = href.search(/[?#]/);
  const path = hashAt < 0 ? href : href.slice(0, hashAt);
  const tail = hashAt < 0 ? '' : href.slice(hashAt);
  if (!path.startsWith('/')) {
    if (!base || !path) return null;
    const parts = base.split('/').slice(0, -1);
    for (const seg of path.split('/')) {
      if (seg === '..') {
        if (!parts.length) return null;
        parts.pop();
      } else if (seg && seg !== '.') parts.push(seg);
    }
    const to = sourceFile(parts.join('/'), known, originals);
    return to ? to + (to.startsWith('/') ? '' : tail) : null;
  }
  const first = path.split('/')[1] ?? '';
  if (!HUB_PATHS.has(first)) {
    const to = docsPath(path, known, originals);
    return to ? to + (to.startsWith('/') ? '' : tail) : null;
  }
  const to = hubPath(path, text, known, originals);
  return to === path ? href : to;
}
