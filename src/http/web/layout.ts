import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { ASSETS } from './assets.ts';
import type { WebContext } from './context.ts';
import { csrfField } from './csrf.ts';
import { githubCan } from '../../app/github/operate.ts';
import { inboxLink } from './pages/notifications.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The sections of the main navigation; a page names its own so the link is marked current. */
export type NavKey =
  | 'home'
  | 'welcome'
  | 'groups'
  | 'proposals'
  | 'decisions'
  | 'meetings'
  | 'search'
  | 'how'
  | 'log'
  | 'people'
  | 'github'
  | 'inbox'
  | 'sign-in';

const NAV: { key: NavKey; href: string; label: string }[] = [
  { key: 'groups', href: '/groups', label: 'Groups' },
  { key: 'proposals', href: '/proposals', label: 'Proposals' },
  { key: 'decisions', href: '/decisions', label: 'Decisions' },
  { key: 'meetings', href: '/meetings', label: 'Meetings' },
  { key: 'people', href: '/people', label: 'People' },
  { key: 'search', href: '/search', label: 'Search' },
  { key: 'how', href: '/how-we-work', label: 'How we work' },
  { key: 'log', href: '/log', label: 'Log' },
];

export type PageOptions = { title: string; nav?: NavKey; body: Html; status?: number };

/**
 * The header's sign-in link, coming back to the page it was followed from: a visitor reading a group
 * or a proposal who signs in lands there again, not on their home page, to do what they came for.
 */
function signInHere(c: WebContext): string {
  const url = new URL(c.req.url);
  const here = url.pathname + url.search;
  const start = url.pathname === '/' || url.pathname.startsWith('/sign-in') || url.pathname.startsWith('/welcome');
  return c.req.method !== 'GET' || start ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`;
}

/** The whole document around a page's main content: skip link, header and navigation, flash. */
export function layout(c: WebContext, p: PageOptions): Html {
  const person = c.var.session?.person ?? null;
  const first = person
    ? { key: 'home' as const, href: '/', label: 'Home' }
    : { key: 'welcome' as const, href: '/welcome', label: 'Welcome' };
  const items = [first, ...NAV];
  // operators see the GitHub bridge's page in the menu, and only when the policy lets them open it
  if (person && c.var.hub.governance.github && githubCan(c.var.hub, { kind: 'person', person }).viewStatus.allowed)
    items.push({ key: 'github', href: '/github', label: 'GitHub' });
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${c.var.hub.governance.community.name}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS.css.path}">
<script src="${ASSETS.js.path}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="site">
<a class="brand" href="/">${c.var.hub.governance.community.name}</a>
<details class="menu"><summary>Menu</summary><div class="menu-body">
<nav class="main" aria-label="Main">
<ul>${items.map((i) => html`<li><a href="${i.href}"${i.key === p.nav ? html` aria-current="page"` : ''}>${i.label}</a></li>`)}</ul>
</nav>
<div class="who">${
    person
      ? html`${inboxLink(c, p.nav === 'inbox')} <span>Signed in as <a href="/people/${person.handle}">${person.name}</a></span>
<form method="post" action="/sign-out">${csrfField(c)}<button type="submit">Sign out</button></form>`
      : html`<a href="${signInHere(c)}"${p.nav === 'sign-in' ? html` aria-current="page"` : ''}>Sign in</a>`
  }</div>
</div></details>
</header>
<main id="main" tabindex="-1">
${c.var.flash ? html`<p class="flash" role="status">${c.var.flash}</p>` : ''}
${p.body}
</main>
<footer class="site">Runs on wghub · <a href="/developers">REST API, MCP and the command line</a> · <a href="/api/openapi.json">OpenAPI</a></footer>
</body>
</html>`;
}
