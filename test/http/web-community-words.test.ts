// The lists a member and a lead read most (their home, a group's page, the proposals) name stages,
// phases and layers in the community's words, as the proposal and decision pages already do, never
// by the ids the governance file keys them with ("prior-work-checked", "lazy-consensus").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDecision } from '../../src/app/decisions/decisions.ts';
import { setMemberLevel } from '../../src/app/groups/groups.ts';
import { createProposal, moveProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('stages, phases and layers in words on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    const priya = await asActor(hub, 'priya');
    const sam = await asActor(hub, 'sam-lead');
    await createProposal(hub, priya, {
      title: 'Resumable sessions across server restarts',
      problem: 'Hosted servers lose every client session when a process restarts during a deploy.',
      examples: ['A rolling deploy dropped 300 sessions'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    await moveProposal(hub, priya, 'P-1', { to: 'prior-work-checked' });
    await openDecision(hub, sam, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly, alternating time slots?',
      significance: 'minor',
    });
    // a participant: the decision is listed on their home as advisory
    await setMemberLevel(hub, sam, 'hosting', 'jonas', { level: 'participant' });
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it("a member's home, a group's page and the proposals list say 'prior work checked' and 'lazy consensus'", async () => {
    const priya = await signInAs(app, 'priya');
    const home = pageText((await priya.get('/')).html);
    expect(home).toContain('now prior work checked since');
    // "lazy consensus" is not the guide's phrase: where a newcomer looks first it says what it means
    expect(home).toMatch(
      /Meet fortnightly, alternating time slots\? Closes .* Hosting lazy consensus \(silence is consent\)/,
    );
    const group = pageText((await priya.get('/groups/hosting')).html);
    expect(group).toContain('Resumable sessions across server restarts prior work checked');
    expect(group).toContain('lazy consensus (silence is consent), closes in 5 days');
    const list = pageText((await priya.get('/proposals')).html);
    expect(list).toContain('Resumable sessions across server restarts Supporting resource prior work checked');
    for (const t of [home, group, list]) expect(t).not.toMatch(/prior-work-checked|lazy-consensus|supporting-resource/);

    // an advisory decision on a participant's home reads "closes in …", not "until in …"
    const jonas = pageText((await (await signInAs(app, 'jonas')).get('/')).html);
    expect(jonas).toContain('Meet fortnightly, alternating time slots? (Hosting), closes in 5 days');
    expect(jonas).not.toContain('until in');
  });
});
