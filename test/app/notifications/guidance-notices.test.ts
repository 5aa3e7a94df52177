// Who hears a resolver's guidance on an escalated decision, and what they are asked (fresh eyes 5 and
// its review): guidance asking for more information is told at once to those who answered it, voted
// on it or opened it (once each, whatever they did), never to its resolver or a member who did
// nothing, with where to answer; for a decision on the process, which has no discussion here, that is
// where the group works, not a page nobody can write on. Guidance asking for the core maintainers'
// deliberation asks nothing of them; binding guidance is told as the close it is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import {
  castVote,
  closeDueDecisions,
  designateEscalation,
  getDecision,
  openDecision,
  recordGuidance,
  respondToDecision,
} from '../../../src/app/decisions/decisions.ts';
import { placeInGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { whatNeedsMe } from '../../../src/app/home/what-needs-me.ts';
import { listInbox, markRead } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import type { WebConfig } from '../../../src/http/web/config.ts';
import { databases } from '../../support/databases.ts';
import { pageText, signInAs } from '../../support/web-client.ts';

const DEMO_WEB: WebConfig = { oidc: null, publicUrl: null, secureCookies: false, sessionHours: 24 };
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('notices of guidance on an escalated decision on $name', (database) => {
  let hub: TestHub;
  const who: Record<string, Actor> = {};
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    who.lead = await person(hub, 'lead', { role: 'member', org: 'Galactic Hosting' });
    who.ana = await person(hub, 'ana', { org: 'Nebula Tools' });
    who.bo = await person(hub, 'bo', { org: 'Orbit Labs' });
    who.cy = await person(hub, 'cy', { org: 'Comet Co' });
    who.kc = await person(hub, 'kc', { role: 'core-maintainer', org: 'Independent Research' });
    await proposeGroup(hub, who.lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
    for (const h of ['ana', 'bo', 'cy']) await placeInGroup(hub, SYSTEM, 'hosting', h, { level: 'member' });
    await openDecision(hub, who.lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly meetings?',
      significance: 'minor',
    });
    await respondToDecision(hub, who.ana!, 'D-1', {
      kind: 'block',
      reason: 'Fortnightly is too rare for the content we have.',
      alternative: 'Weekly content meetings.',
    });
    hub.clock.set('2026-03-07T12:00:01Z');
    await closeDueDecisions(hub);
    await castVote(hub, who.ana!, 'D-1', { choice: 'no' });
    await castVote(hub, who.bo!, 'D-1', { choice: 'no' });
    hub.clock.set('2026-03-14T12:00:01Z');
    await closeDueDecisions(hub);
    expect((await getDecision(hub, 'D-1')).state.phase).toBe('escalated');
    await designateEscalation(hub, who.kc!, 'D-1', { designee: 'kc' });
    // what was told so far is read: what follows is the guidance's
    for (const h of Object.keys(who)) await markRead(hub, who[h]!);
  });
  afterEach(async () => hub?.close());

  const unread = async (h: string) =>
    (await listInbox(hub, who[h]!, { unread: 'true' })).items.filter((n) => n.subject.ref === 'D-1');

  it('more information: the opener, the blocker who voted (once) and the voter hear where to answer; the resolver and a silent member do not', async () => {
    await recordGuidance(hub, who.kc!, 'D-1', {
      kind: 'more-information',
      guidance: 'How many content items did the group carry over last quarter?',
    });
    for (const h of ['lead', 'ana', 'bo']) {
      const told = await unread(h);
      expect(told, h).toHaveLength(1);
      expect(told[0]!.title).toContain('who resolves its escalation, says more information is needed');
      expect(told[0]!.detail).toContain('“How many content items did the group carry over last quarter?”');
      // a process decision has no discussion here: they are sent where the group works, with no promise a mention tells anyone
      expect(told[0]!.detail).toContain(
        "Answer @kc where the group works (its charter's Operations names its channels",
      );
      expect(told[0]!.detail).not.toMatch(/mentioning|group's page/);
    }
    expect(await unread('cy')).toEqual([]);
    expect(await unread('kc')).toEqual([]);
    // the resolver is still asked, for the binding word now, with no initial response due (it was met)
    const kc = (await whatNeedsMe(hub, who.kc!)).items.filter((i) => i.ref === 'D-1');
    expect(kc).toEqual([
      expect.objectContaining({
        kind: 'escalation',
        asked:
          'Escalated to you to resolve: your guidance so far says more information is needed; give binding guidance once you have what you asked for',
        due: null,
        dueMeans: null,
      }),
    ]);
    // and their home says the same: the guidance so far, no initial response due
    const kcHome = pageText(
      (await (await signInAs(createHttpApp(hub, undefined, { web: DEMO_WEB }), 'kc')).get('/')).html,
    );
    expect(kcHome).toContain('your guidance so far: more information is needed');
    expect(kcHome).not.toContain('initial response due');
    // the decision's page says the same to them
    const ana = await signInAs(createHttpApp(hub, undefined, { web: DEMO_WEB }), 'ana');
    const page = pageText((await ana.get('/decisions/D-1')).html);
    expect(page).toContain('Answer Kc where the group works');
    expect(page).not.toContain("the group's page");
  });

  it('full deliberation asks nothing of the parties; binding guidance tells no guidance notice', async () => {
    await recordGuidance(hub, who.kc!, 'D-1', {
      kind: 'full-deliberation',
      guidance: 'The core maintainers will take this up at their next meeting.',
    });
    const told = await unread('ana');
    expect(told).toHaveLength(1);
    expect(told[0]!.detail).toContain('nothing is asked of you until they give their guidance');
    expect(told[0]!.detail).not.toContain('Answer');
    await markRead(hub, who.ana!);
    await recordGuidance(hub, who.kc!, 'D-1', { kind: 'binding', guidance: 'Keep weekly content meetings.' });
    expect((await unread('ana')).filter((n) => n.title.includes('says'))).toEqual([]);
  });
});
