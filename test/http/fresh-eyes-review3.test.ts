// Faults a reviewer and a fresh-eyes walk found (third round), held at the HTTP level on both
// databases: what a reader of the pages, the API and the chat would notice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { respondToDecision } from '../../src/app/decisions/decisions.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 60 };

describe.each(databases)('fresh-eyes review, third round, on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;

  beforeEach(async () => {
    hub = await openDemoHub(database, { work: true });
    hub.reactions.push(notificationsReaction({ mail: false }));
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('the Leave form names only answers that count: an advisory block never held the decision up', async () => {
    const block = { kind: 'block', reason: 'The examples name one gateway only.', alternative: 'Name two.' };
    // Jonas is a participant of Hosting: his block on D-1 is advisory; Priya is a member: hers counts
    await respondToDecision(hub, await asActor(hub, 'jonas'), 'D-1', block);
    await respondToDecision(hub, await asActor(hub, 'priya'), 'D-1', block);
    const jonas = pageText((await (await signInAs(app, 'jonas')).get('/groups/hosting')).html);
    expect(jonas).toContain('Leave');
    expect(jonas).not.toMatch(/Your block on D-1/);
    const priya = pageText((await (await signInAs(app, 'priya')).get('/groups/hosting')).html);
    expect(priya).toMatch(
      /Your block on D-1: .* stops counting: it stays on the decision, shown but not counted, and no longer holds it up\./,
    );
  });
});
