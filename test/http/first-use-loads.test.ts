// What `serve` loads on first use rather than at start (docs/performance.md, "The hub over HTTP"):
// the hints model and nodemailer. The first requests that need one, arriving together, are all
// answered in full (run alone, this file's first judgement is the process's first; the core tests
// share one process, so whether the model was loaded before is not asserted here).
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/app/notifications/mail.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { type LoopbackSmtp, startSmtp } from '../support/smtp.ts';
import { pageText, WebClient } from '../support/web-client.ts';

const demo = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe('loaded on first use', () => {
  let hub: TestHub | undefined;
  let smtp: LoopbackSmtp | undefined;
  afterEach(async () => {
    await hub?.close();
    await smtp?.close();
  });

  it('the hints model: the first texts judged at once all get their hints', async () => {
    hub = await openTestHub(sqliteDatabase);
    const app = createHttpApp(hub, undefined, { web: demo });
    const visitor = new WebClient(app);
    expect((await app.request('/api/groups')).status).toBe(200);
    expect((await visitor.get('/groups')).status).toBe(200);
    const said = "We must use vendor X's protocol, end of discussion.";
    const answers = await Promise.all(
      [1, 2, 3].map(() => visitor.get(`/hints?${new URLSearchParams({ text: said })}`)),
    );
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(pageText(a.html)).toContain('Triggered by "end of discussion" (there is no alternative).');
    }
  });

  it("nodemailer: a new mailer's first mails, sent at once, all arrive", async () => {
    smtp = await startSmtp();
    const mailer = createMailer({
      smtpUrl: smtp.url,
      from: 'Hosting hub <hub@wg.example.org>',
      publicUrl: 'https://wg.example.org',
      replyDomain: null,
    });
    await Promise.all(
      ['ana', 'bo', 'cy'].map((who) =>
        mailer.transport.sendMail({
          from: 'hub@wg.example.org',
          to: `${who}@example.org`,
          subject: `Hello ${who}`,
          text: 'Hello',
        }),
      ),
    );
    expect(smtp.received.map((r) => r.to[0]).sort()).toEqual(['ana@example.org', 'bo@example.org', 'cy@example.org']);
    mailer.transport.close();
  });
});
