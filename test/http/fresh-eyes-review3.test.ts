// Faults a reviewer and a fresh-eyes walk found (third round), held at the HTTP level on both
// databases: what a reader of the pages, the API and the chat would notice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { openDecision, respondToDecision } from '../../src/app/decisions/decisions.ts';
import { setMemberLevel } from '../../src/app/groups/groups.ts';
import { weeklySummary } from '../../src/app/notifications/chat.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { createProposal, getProposal, moveProposal } from '../../src/app/proposals/proposals.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';
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

  it("the group's weekly chat summary says a proposal filed that week was filed, not that it moved to idea", async () => {
    const ana = await asActor(hub, 'amara');
    const filed = await createProposal(hub, ana, {
      title: 'Backoff headers for gateways',
      problem: 'Clients cannot tell how long to wait when a gateway sheds load.',
      examples: ['A 503 with no Retry-After'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    const moved = await createProposal(hub, ana, {
      title: 'Readiness probes for hosted servers',
      problem: 'Operators behind load balancers cannot tell whether a server is ready.',
      examples: ['Kubernetes readiness probes hit / and get 405'],
      layer: 'supporting-resource',
      group: 'hosting',
    });
    hub.clock.advance(60_000);
    await moveProposal(hub, ana, moved.ref, { to: 'prior-work-checked' });
    const group = await hub.store.db
      .selectFrom('groups')
      .select('id')
      .where('slug', '=', 'hosting')
      .executeTakeFirstOrThrow();
    const week = (await weeklySummary(hub, group.id, 'https://hub.example'))!.lines;
    expect(week).not.toContain(`- ${filed.ref} moved to idea: Backoff headers for gateways`);
    expect(week).toContain(`- ${filed.ref} filed: Backoff headers for gateways`);
    expect(week).toContain(`- ${moved.ref} moved to prior work checked: Readiness probes for hosted servers`);
  });

  it('a decision no one\'s answer counts in says so, not "everyone whose answer counts has answered", on the page and in REST', async () => {
    // a community whose leads lapse too, after a day without taking part: the whole group lapses
    hub.governance = {
      ...hub.governance,
      membership: { ...hub.governance.membership, decayingLevels: ['member', 'lead'], inactivityDays: 1 },
    };
    const { ref } = await openDecision(hub, await asActor(hub, 'sam-lead'), {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from January?',
      significance: 'minor',
    });
    hub.clock.advanceDays(2);
    const page = pageText((await new WebClient(app).get(`/decisions/${ref}`)).html);
    expect(page).not.toContain('Everyone whose answer counts has answered.');
    expect(page).toContain(
      "No one's answer counts now: the group has no active members or leads (they left or lapsed), so an answer given now is advisory and does not hold it up. Lazy consensus counts only an objection that counts: at the deadline it is adopted, with no one's consent counted, unless it is withdrawn first or someone made member or lead blocks it.",
    );
    const rest = await app.request(`http://localhost/api/decisions/${ref}`);
    expect((await rest.json()).notified.nobodyCounts).toMatch(/^No one's answer counts now: /);
  });

  it('the home page says beside a one-click Consent that a block stands on the decision, from the tally its page shows', async () => {
    const sam = await asActor(hub, 'sam-lead');
    await setMemberLevel(hub, sam, 'hosting', 'jonas', { level: 'member' });
    const { ref } = await openDecision(hub, sam, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Meet fortnightly from January?',
      significance: 'minor',
    });
    const priya = await signInAs(app, 'priya');
    const before = pageText((await priya.get('/')).html);
    const row = (page: string) =>
      page.slice(page.indexOf('Decisions awaiting your response'), page.indexOf('Concern or block'));
    expect(row(before)).toContain(`Consent to ${ref}`);
    expect(row(before)).not.toMatch(/block stands/);
    await respondToDecision(hub, await asActor(hub, 'jonas'), ref, {
      kind: 'block',
      reason: 'The examples name one gateway only.',
      alternative: 'Name two.',
    });
    const after = pageText((await priya.get('/')).html);
    expect(row(after)).toContain(`1 block stands on it Consent to ${ref}`);
    // the same counts over REST, from what needs her
    const { token } = await createToken(hub, SYSTEM, 'priya');
    const list = await app.request('http://localhost/api/decisions?needing=priya&open=true', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect((await list.json()).items).toEqual([
      expect.objectContaining({ ref, responses: { consent: 0, concern: 0, block: 1 } }),
    ]);
  });

  it('the new-proposal form keeps its Group hint after a refused send', async () => {
    const draft = {
      title: 'Backoff headers for gateways',
      problem: 'short',
      examples: 'A 503 with no Retry-After',
      interests: '',
      layer: 'supporting-resource',
      route: 'contribution',
    };
    // Jonas belongs to Hosting alone: it is chosen for him, and said why, before and after a refusal
    const jonas = await signInAs(app, 'jonas');
    expect(pageText((await jonas.get('/proposals/new')).html)).toContain(
      'Hosting is chosen: the one group you belong to.',
    );
    const refused = await jonas.post('/proposals/new', { ...draft, group: 'hosting', intent: 'file' });
    expect(refused.status).toBe(422);
    expect(pageText(refused.html)).toContain('Hosting is chosen: the one group you belong to.');
    // he chose another: no hint then
    const other = await jonas.post('/proposals/new', { ...draft, group: 'security', intent: 'file' });
    expect(pageText(other.html)).not.toContain('is chosen');
    // from a group's page: the form is sent back to where it came from, so the hint says so again
    const priya = await signInAs(app, 'priya');
    const fromGroup = await priya.get('/proposals/new?group=hosting');
    expect(fromGroup.html).toContain('action="/proposals/new?group=hosting"');
    const again = await priya.post('/proposals/new?group=hosting', { ...draft, group: 'hosting', intent: 'file' });
    expect(pageText(again.html)).toContain('Hosting is chosen: the group you came from.');
  });

  it('the open-a-decision form opened from a proposal starts with a question about it, to edit', async () => {
    const p1 = await getProposal(hub, 'P-1');
    const form = await (await signInAs(app, 'sam-lead')).get('/decisions/new?group=hosting&proposal=P-1');
    expect(form.html).toMatch(
      new RegExp(`name="question"[^>]*value="Adopt P-1: ${p1.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?"`),
    );
  });
});
