// Confirming a mail address through every edge that exposes it, with the confirmation mail read
// back from a real SMTP server on the loopback: the web settings page (whether the address is
// confirmed, a new link, the link's page that works signed out and confirms only on a press), REST
// (PATCH, GET /api/me, asking again with 429 and Retry-After, confirming by token), MCP (the
// same over the SDK's client), and the request log masking the link's token.
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../src/app/core/hub.ts';
import { Worker } from '../../src/app/core/worker.ts';
import { createMailer, sendConfirmationMail } from '../../src/app/notifications/mail.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { CONFIRM_QUEUE } from '../../src/app/people/email.ts';
import { getPerson, personRow } from '../../src/app/people/people.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { loggedPath } from '../../src/http/observability.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, person, type TestHub } from '../support/hub.ts';
import { type LoopbackSmtp, startSmtp } from '../support/smtp.ts';
import { pageText, WebClient } from '../support/web-client.ts';
import { httpClient, serveMcpOverHttp } from '../mcp/support.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };

describe.each(databases)('mail address confirmation on every edge, $name', (database) => {
  let hub: TestHub;
  let smtp: LoopbackSmtp;
  let worker: Worker;
  let jonas: Actor;

  beforeEach(async () => {
    smtp = await startSmtp();
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: true }));
    jonas = await person(hub, 'jonas');
    const mailer = createMailer({
      smtpUrl: smtp.url,
      from: 'wghub <hub@wg.example.org>',
      publicUrl: 'https://wg.example.org',
      replyDomain: null,
    });
    worker = new Worker(hub, { [CONFIRM_QUEUE]: (h, j) => sendConfirmationMail(h, mailer, j) }, { onError: () => {} });
  });
  afterEach(async () => {
    await hub?.close();
    await smtp?.close();
  });

  const later = (minutes: number) =>
    hub.clock.set(new Date(hub.clock.now().getTime() + minutes * 60_000).toISOString());
  /** The token of the last confirmation link mailed to this address (after the worker sent it). */
  const mailedToken = async (address: string) => {
    await worker.drain();
    const mail = smtp.received.filter((r) => r.to.includes(address)).at(-1);
    return /\/confirm-email\/([A-Za-z0-9_-]{43})/.exec(mail?.mail.text ?? '')?.[1];
  };

  it('web: the settings page says an address is not confirmed and offers a new link; the mailed link confirms it signed out, on a press', async () => {
    const app = createHttpApp(hub, undefined, { web: demo });
    const w = new WebClient(app);
    await w.get('/sign-in');
    await w.post('/sign-in/demo', { handle: 'jonas' });
    await w.get('/people/jonas/edit');
    const version = String((await getPerson(hub, 'jonas')).version);
    const saved = await w.post('/people/jonas/edit', {
      version,
      name: 'Jonas',
      timeZone: 'UTC',
      email: 'Jonas@Example.org',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/people/jonas/edit#mail-status');
    const page = pageText((await w.get('/people/jonas/edit')).html);
    // this hub's settings say it sends no mail (below): saving says so, as asking for a new link does
    expect(page).toContain(
      'No confirmation link was mailed to jonas@example.org: this hub sends no mail (WGHUB_SMTP_URL is not set).',
    );
    expect(page).toContain(
      'jonas@example.org : Not confirmed yet: nothing is mailed to it until you open the link in the confirmation mail. Until then you are not reachable by mail.',
    );
    expect(page).toContain('has not been mailed yet');
    // the moment on the reader's clock, as every other time on the page, never an ISO timestamp
    expect(page).toContain('Another confirmation mail may be asked for after Mon 2 Mar 2026, 12:05 (UTC)');
    expect(page).not.toContain('2026-03-02T12:05');
    const told = pageText((await w.get('/me/notifications')).html);
    expect(told).toContain('Your address jonas@example.org is not confirmed yet');
    expect(told).toContain('you are not reachable by mail, only here in the inbox');

    const first = await mailedToken('jonas@example.org');
    expect(first).toBeTruthy();
    expect(pageText((await w.get('/people/jonas/edit')).html)).toContain('A confirmation link was mailed to it');
    later(5);
    await w.get('/people/jonas/edit');
    const again = await w.post('/people/jonas/email-confirmation', {});
    expect(again.status).toBe(303);
    // this hub's settings say it sends no mail (no WGHUB_SMTP_URL; the test's loopback server gets it
    // all the same): the page says no link was mailed, where it said one was on its way
    expect(pageText((await w.get('/people/jonas/edit')).html)).toContain(
      'No confirmation link was mailed: this hub sends no mail (WGHUB_SMTP_URL is not set).',
    );
    const second = await mailedToken('jonas@example.org');
    expect(second).not.toBe(first);
    // asked again at once: refused on the page with when it may be asked
    const refused = await w.post('/people/jonas/email-confirmation', {});
    expect(refused.status).toBe(429);
    expect(pageText(refused.html)).toContain('a confirmation mail was sent less than 5 minutes ago');

    // the link, opened signed out: a page with a button; a mail scanner's GET confirms nothing
    const stranger = new WebClient(app);
    const landing = await stranger.get(`/confirm-email/${second}`);
    expect(landing.status).toBe(200);
    expect(pageText(landing.html)).toContain('Press the button to confirm');
    expect((await personRow(hub.store.db, 'jonas')).confirmed_email).toBeNull();
    const done = await stranger.post(`/confirm-email/${second}`, {});
    expect(done.status).toBe(200);
    expect(pageText(done.html)).toContain('jonas@example.org is confirmed for @jonas');
    expect((await stranger.post(`/confirm-email/${second}`, {})).status).toBe(404);
    expect(pageText((await w.get('/people/jonas/edit')).html)).toContain('Confirmed: notices are mailed to it.');
    expect(pageText((await w.get('/me/notifications')).html)).toContain(
      'Mail goes to your confirmed address jonas@example.org',
    );
    // a made-up link names no confirmation
    // pressed by the signed-in person it confirms for, the page does not send them to sign in
    later(10);
    await w.post('/people/jonas/edit', {
      version: String((await getPerson(hub, 'jonas')).version),
      name: 'Jonas',
      timeZone: 'UTC',
      email: 'j2@example.org',
    });
    const third = await mailedToken('j2@example.org');
    await w.get(`/confirm-email/${third}`);
    const own = pageText((await w.post(`/confirm-email/${third}`, {})).html);
    expect(own).toContain('j2@example.org is confirmed for @jonas');
    expect(own).not.toContain('after signing in');
    const bad = await stranger.post(`/confirm-email/${'A'.repeat(43)}`, {});
    expect(bad.status).toBe(404);
    expect(pageText(bad.html)).toContain('not one this hub sent');

    // a hub that mails (WGHUB_SMTP_URL set) says a new link is on its way; one that does not, above,
    // said none was mailed
    later(10);
    await w.post('/people/jonas/edit', {
      version: String((await getPerson(hub, 'jonas')).version),
      name: 'Jonas',
      timeZone: 'UTC',
      email: 'j3@example.org',
    });
    later(6);
    hub.settings.mailsOut = true;
    expect((await w.post('/people/jonas/email-confirmation', {})).status).toBe(303);
    const sent = pageText((await w.get('/people/jonas/edit')).html);
    expect(sent).toContain('A new confirmation link is on its way to j3@example.org');
    expect(sent).not.toContain('No confirmation link was mailed');
  });

  it('REST: PATCH keeps the address unconfirmed, GET /api/me says so, asking again too soon is 429 with Retry-After, the token confirms', async () => {
    const app = createHttpApp(hub);
    const token = (await createToken(hub, SYSTEM, 'jonas')).token;
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(`http://localhost${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const me = await call('GET', '/api/me');
    const patched = await call(
      'PATCH',
      '/api/people/jonas',
      { email: 'jonas@example.org' },
      {
        'If-Match': me.headers.get('ETag')!,
      },
    );
    expect(patched.status).toBe(200);
    expect((await patched.json()).mail).toMatchObject({
      address: 'jonas@example.org',
      confirmed: false,
      mailedTo: null,
    });
    // another person's view of the record never carries the address
    const other = await app.request('http://localhost/api/people/jonas');
    expect(JSON.stringify(await other.json())).not.toContain('jonas@example.org');

    const tooSoon = await call('POST', '/api/people/jonas/email-confirmation');
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await tooSoon.json()).toMatchObject({
      type: 'urn:wghub:problem:rate-limited',
      retryAt: '2026-03-02T12:05:00.000Z',
    });
    later(5);
    const resent = await call('POST', '/api/people/jonas/email-confirmation');
    expect(resent.status).toBe(202);
    expect((await resent.json()).confirmation).toMatchObject({ askedAt: '2026-03-02T12:05:00.000Z' });

    const link = await mailedToken('jonas@example.org');
    const bad = await app.request('http://localhost/api/email-confirmations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: 'nope' }),
    });
    expect(bad.status).toBe(403);
    // no API token needed: the link is the proof
    const confirmed = await app.request('http://localhost/api/email-confirmations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: link }),
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toEqual({ handle: 'jonas', address: 'jonas@example.org' });
    expect((await (await call('GET', '/api/me')).json()).mail).toMatchObject({ confirmed: true, confirmedVia: 'link' });
    const missing = await call('POST', '/api/email-confirmations', {});
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors.map((e: { field: string }) => e.field)).toEqual(['token']);
  });

  it('MCP: update_person leaves the address unconfirmed, resend_email_confirmation is limited, confirm_email takes the token', async () => {
    const { url, server } = await serveMcpOverHttp(hub);
    let c: Client | undefined;
    try {
      c = await httpClient(url, 'modern', (await createToken(hub, SYSTEM, 'jonas')).token);
      type R = { isError?: boolean; structuredContent?: Record<string, any>; content: { text?: string }[] };
      const call = async (name: string, args: Record<string, unknown>) =>
        (await c!.callTool({ name, arguments: args })) as R;
      const edited = await call('update_person', { email: 'jonas@example.org' });
      expect(edited.structuredContent!.mail).toMatchObject({ confirmed: false, address: 'jonas@example.org' });
      const tooSoon = await call('resend_email_confirmation', {});
      expect(tooSoon.isError).toBe(true);
      expect(tooSoon.content[0]!.text).toContain('a confirmation mail was sent less than 5 minutes ago');
      later(5);
      const resent = await call('resend_email_confirmation', {});
      expect(resent.structuredContent).toMatchObject({
        confirmed: false,
        status: expect.stringContaining('Not confirmed'),
      });
      const token = await mailedToken('jonas@example.org');
      const done = await call('confirm_email', { token });
      expect(done.structuredContent).toEqual({ handle: 'jonas', address: 'jonas@example.org' });
      expect((await call('get_person', {})).structuredContent!.mail).toMatchObject({ confirmed: true });
      void jonas;
    } finally {
      await c?.close();
      server.close();
    }
  });

  it('the request log masks the token of a confirmation link', () => {
    expect(loggedPath('/confirm-email/:token', `/confirm-email/${'a'.repeat(43)}`)).toBe('/confirm-email/…');
  });
});
