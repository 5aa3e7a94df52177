// "/": a member's home (what needs me); a visitor is sent to the welcome page.
import { html } from 'hono/html';
import type { Hono } from 'hono';
import type { WebEnv } from '../context.ts';
import { render } from '../render.ts';
import { currentPerson } from '../session.ts';

export function homeRoutes(web: Hono<WebEnv>): void {
  web.get('/', async (c) => {
    const me = currentPerson(c);
    if (!me) return c.redirect('/welcome', 303);
    return render(c, { title: 'Home', nav: 'home', body: html`<h1>Welcome back, ${me.name}</h1><p>What needs you will be listed here.</p>` });
  });
  web.get('/welcome', (c) =>
    render(c, { title: 'Welcome', nav: 'welcome', body: html`<h1>Welcome to the community</h1><p>How the community works, its groups and how to join them will be listed here.</p><p><a href="/sign-in">Sign in</a> to take part.</p>` }),
  );
}
