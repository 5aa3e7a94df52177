import type { Context } from 'hono';
import type { Hub } from '../../app/core/hub.ts';
import type { WebSession } from '../../app/people/web-sessions.ts';
import type { WebConfig } from './config.ts';

/** What every web handler can read from `c.var`. */
export type WebEnv = {
  Variables: {
    hub: Hub;
    config: WebConfig;
    /** The signed-in person's session, or null for a visitor. */
    session: WebSession | null;
    /** The cookie secret that session was found by (under whichever name), to end it on sign-out; null for a visitor. */
    sessionSecret: string | null;
    /** The token forms must carry (session's, or the visitor's pre-session cookie). */
    csrfToken: string;
    /** A one-time message from the previous request (after a redirect). */
    flash: string | null;
    /**
     * An origin this page's form may lead to besides the hub (the OAuth consent page's answer
     * redirects to the client): added to the content policy's form-action, which browsers apply to
     * a form's redirects too.
     */
    formActionAlso?: string;
    /**
     * Spends one of the registrations budget of the address this request came from (the consent
     * page reading a client's metadata document): the refusing rule, or how to give back its slot.
     */
    admitRegistration?: () => Promise<string | (() => void)>;
  };
};

export type WebContext = Context<WebEnv>;
