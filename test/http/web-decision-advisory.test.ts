import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoCommunity } from '../../src/app/demo/demo.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openTestHub, type TestHub } from '../support/hub.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 * 60 };

// Only members' and leads' responses count (governance decisions.eligibleLevels). An observer or a
// newcomer who joined as participant was offered the respond form with no word of that, and learnt
// it only from the "advisory" badge after blocking.
describe.each(databases)('whose response counts, before responding, on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;

  beforeEach(async () => {
    hub = await openTestHub(database);
    await loadDemoCommunity(hub);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it('an observer, a participant and a non-member are told theirs is advisory; a member is not', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/decisions/new');
    const opened = await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide as a working-group artifact?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    expect(opened.location).toBe('/decisions/D-1');
    const amara = text((await (await signInAs(app, 'amara')).get('/decisions/D-1')).html);
    expect(amara).toContain(
      'Your response will be shown as advisory , not counted: you are an observer of hosting , and only its members and leads count.',
    );
    expect(amara).toContain('Send my response');
    const jonas = text((await (await signInAs(app, 'jonas')).get('/decisions/D-1')).html);
    expect(jonas).toContain('you are a participant of hosting');
    const kai = text((await (await signInAs(app, 'kai-core')).get('/decisions/D-1')).html);
    expect(kai).toContain('you are not an active member of hosting');
    const priya = text((await (await signInAs(app, 'priya')).get('/decisions/D-1')).html);
    expect(priya).toContain('Send my response');
    expect(priya).not.toContain('shown as advisory');
  });
});
