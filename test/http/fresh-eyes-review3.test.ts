// Faults a reviewer and a fresh-eyes walk found (third round), held at the HTTP level on both
// databases: what a reader of the pages, the API and the chat would notice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDecision, respondToDecision } from '../../src/app/decisions/decisions.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';
import { LIMITS } from '../../src/domain/limits.ts';

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

  it('"Decided on it" keeps a proposal\'s decided decisions when more than ten newer ones are open, and links the rest', async () => {
    const sam = await asActor(hub, 'sam-lead');
    const open = (question: string) =>
      openDecision(hub, sam, {
        group: 'hosting',
        subject: { type: 'proposal', ref: 'P-1' },
        question,
        significance: 'minor',
      });
    const decided = [];
    for (let i = 1; i <= LIMITS.decidedOnProposal + 1; i++) decided.push((await open(`Adopt part ${i} of P-1?`)).ref);
    hub.clock.advanceDays(30); // no block: each is adopted by lazy consensus at its deadline
    for (let i = 1; i <= LIMITS.decidedOnProposal; i++) await open(`Revisit part ${i} of P-1?`);
    const page = pageText((await (await signInAs(app, 'sam-lead')).get('/proposals/P-1')).html);
    const part = page.slice(page.indexOf('Decided on it'));
    expect(part).toContain(`${decided.at(-1)}: Adopt part ${LIMITS.decidedOnProposal + 1} of P-1?`);
    expect(part).toContain(`${decided[1]}: Adopt part 2 of P-1?`);
    expect(part).not.toContain(`${decided[0]}: Adopt part 1 of P-1?`);
    expect(part).toContain(`The ${LIMITS.decidedOnProposal} latest are shown: every closed decision on it .`);
    expect((await (await signInAs(app, 'sam-lead')).get('/proposals/P-1')).html).toContain(
      'href="/decisions?open=false&amp;subject=P-1"',
    );
  });
});
