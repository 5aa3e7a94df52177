// As each demo role, every page reachable from `/` is read and every form it shows is sent as the
// page fills it in: no answer is a server error, and no form shown to someone is refused to them
// (403), points nowhere (404) or conflicts with the state the page showed (409) — a page offers only
// what the policies allow, and otherwise says why in words. Each form is sent from the page as it
// reads after the last one, with the rate limits off so that every one really is (a 429 cannot happen).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, asActor, type TestHub } from '../support/hub.ts';
import { createProposal } from '../../src/app/proposals/proposals.ts';
import { addComment } from '../../src/app/proposals/comments.ts';
import { WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** A form as the page fills it in: hidden and prefilled fields, the selected option, the checked choice. */
type Form = { action: string; fields: Record<string, string> };

function formsOf(html: string, page: string): Form[] {
  const out: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = m[1]!;
    if (!/method="post"/i.test(attrs)) continue;
    const action = decode(/action="([^"]*)"/.exec(attrs)?.[1] ?? page);
    const body = m[2]!;
    const fields: Record<string, string> = {};
    for (const i of body.matchAll(/<input\b([^>]*)>/g)) {
      const a = i[1]!;
      const name = /name="([^"]+)"/.exec(a)?.[1];
      if (!name || name === '_csrf') continue;
      const type = /type="([^"]+)"/.exec(a)?.[1] ?? 'text';
      if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/.test(a) && fields[name] !== undefined) continue;
      if (type === 'checkbox' && !/\bchecked\b/.test(a)) continue;
      fields[name] = decode(/value="([^"]*)"/.exec(a)?.[1] ?? '');
    }
    for (const s of body.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const options = [...s[2]!.matchAll(/<option\b[^>]*value="([^"]*)"([^>]*)>/g)];
      const chosen = options.find((o) => /\bselected\b/.test(o[2]!)) ?? options[0];
      if (chosen) fields[s[1]!] = decode(chosen[1]!);
    }
    for (const t of body.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
      fields[t[1]!] = decode(t[2]!) || 'Sent by the form crawl, with enough words to pass.';
    for (const b of body.matchAll(/<button\b[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[b[1]!] ??= decode(b[2]!);
    out.push({ action, fields });
  }
  return out;
}

function linksOf(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
    const href = decode(m[1]!).split('#')[0]!;
    if (href.startsWith('/') && !href.startsWith('//')) out.push(href);
  }
  return out;
}

/** A form's kind: its action with numbers and ids folded, so each kind is sent once per role. */
const kindOf = (action: string) => action.replace(/\?.*$/, '').replace(/\/(id-\d+|[A-Z]+-\d+|\d+)(?=\/|$)/g, '/:id');

describe.each(databases)('every form a role is shown, sent, on $name', (database) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await openDemoHub(database, { work: true, start: '2026-12-02T09:00:00Z' });
    // every form must really be sent: past the per-second write budget most were answered 429, and
    // which ones depended on the machine's speed (the rate limits have their own tests)
    hub.governance.rateLimits = { ...hub.governance.rateLimits, enabled: false };
    // with the demo's work (open decisions, votes, objections), so their forms are in the crawl too:
    // openDemoHub above
    // proposals and a discussion, so their pages and forms are in the crawl too
    const jonas = await asActor(hub, 'jonas');
    await createProposal(hub, jonas, {
      title: 'Session affinity behind load balancers',
      problem: 'Hosted MCP servers lose the session when a request lands on another process.',
      examples: ['Two pods behind an ingress drop the Mcp-Session-Id'],
      layer: 'working-group-artifact',
      group: 'hosting',
    });
    await createProposal(hub, await asActor(hub, 'priya'), {
      title: 'Stateless sessions in the transport',
      problem: 'Servers cannot scale horizontally while sessions are pinned to one process.',
      layer: 'specification',
      route: 'sep',
    });
    await addComment(hub, await asActor(hub, 'priya'), 'P-1', { body: 'Which ingress controllers?' });
  }, 600_000);
  afterAll(async () => hub?.close());

  // 'newcomer' signs in as someone new, who has not accepted the Code of Conduct and terms yet
  for (const handle of ['newcomer', 'amara', 'jonas', 'priya', 'sam-lead', 'kai-core', 'lena-core'])
    it(`signed in as ${handle}: no form shown is refused, none fails`, async () => {
      const w = new WebClient(createHttpApp(hub, undefined, { web: demo }));
      await w.get('/sign-in');
      const signedIn =
        handle === 'newcomer'
          ? await w.post('/sign-in/newcomer', { handle: 'nia', name: 'Nia', timeZone: 'UTC' })
          : await w.post('/sign-in/demo', { handle });
      expect(signedIn.status).toBe(303);
      const seen = new Set<string>(['/']);
      const sent = new Set<string>();
      const queue = ['/'];
      const problems: string[] = [];
      let pages = 0;
      while (queue.length && pages < 400) {
        const url = queue.shift()!;
        const r = await w.get(url);
        pages++;
        if (r.status >= 500) problems.push(`${r.status} GET ${url}`);
        if (r.status !== 200 || url.startsWith('/api/') || url.endsWith('.ics')) continue;
        // a refusal on the page is said in words, never a permission id or a route
        for (const why of r.html.matchAll(/<p class="why-not"[^>]*>([\s\S]*?)<\/p>/g))
          if (/\b[a-z]+\.[a-z][A-Za-z]+\b(?!\.)|\/api\/|POST /.test(why[1]!.replace(/<a [^>]*>.*?<\/a>/g, '')))
            problems.push(`GET ${url} says "${why[1]}"`);
        // one form at a time, each from the page as it reads after the last was sent: sending one
        // may rightly take another away (published notes close the note-taker form), and a form no
        // longer shown is not one the page offers
        const unsent = (html: string) =>
          formsOf(html, url).find((f) => !sent.has(kindOf(f.action)) && !/^\/(sign-out|sign-in|auth\/)/.test(f.action));
        for (let page = r.html, f = unsent(page); f; f = unsent(page)) {
          sent.add(kindOf(f.action));
          const answer = await w.post(f.action, f.fields);
          // refused (403), pointing nowhere (404) or at odds with what the page showed (409): each
          // means the page offered what cannot be done; 422 is the form's own problem, said on it
          if (answer.status >= 500 || [403, 404, 409].includes(answer.status))
            problems.push(`${answer.status} POST ${f.action} (shown on ${url}) ${JSON.stringify(f.fields)}`);
          const again = await w.get(url); // the form's page again, for a fresh CSRF token and what it offers now
          // a page a form took away (a left group's own page stays) is a problem only when it fails
          if (again.status >= 500) problems.push(`${again.status} GET ${url} after POST ${f.action}`);
          page = again.status === 200 ? again.html : '';
        }
        for (const next of linksOf(r.html)) {
          const key = next.replace(/\?(offset|cursor|before)=.*$/, '');
          if (seen.has(key) || /^\/(sign-out|auth\/)/.test(next)) continue;
          seen.add(key);
          queue.push(next);
        }
      }
      expect(pages).toBeGreaterThan(30);
      expect(sent.size).toBeGreaterThan(3);
      expect(problems).toEqual([]);
    }, 600_000);
});
