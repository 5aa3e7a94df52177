// Levels in a group by the community's names for them (Sensorium's `levelNames`: follower, voting
// member, chair; test/support/sensorium.ts) in every sentence the hub builds around one: notices of a
// level set and of a request to become a member, refusals, the rules as "How we work" says them, the
// quarterly update and the pages' forms and flashes. The keys (observer, member, lead) stay the API's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../../src/app/core/hub.ts';
import { castVote, openDecision, requestVote } from '../../../src/app/decisions/decisions.ts';
import { getGroupFor, joinGroup, proposeGroup, setMemberLevel } from '../../../src/app/groups/groups.ts';
import {
  answerMembershipRequest,
  askToBeMember,
  listMembershipRequests,
} from '../../../src/app/groups/membership-requests.ts';
import { draftQuarterlyUpdate } from '../../../src/app/meetings/quarterly.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { describeGovernance } from '../../../src/domain/governance/index.ts';
import { whyTold } from '../../../src/domain/notifications/why.ts';
import { createToken } from '../../../src/app/people/tokens.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { httpClient, serveMcpOverHttp } from '../../mcp/support.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';
import { sensoriumGovernance } from '../../support/sensorium.ts';
import { pageText, signInAs } from '../../support/web-client.ts';

describe.each(databases)('levels by the community’s names on $name', (database) => {
  let hub: TestHub;
  let lead: Actor, ana: Actor, bo: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.governance = sensoriumGovernance();
    hub.reactions.push(notificationsReaction({ mail: false }));
    lead = await person(hub, 'lead', { role: 'member' });
    ana = await person(hub, 'ana');
    bo = await person(hub, 'bo');
    await proposeGroup(hub, lead, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting Sensorium servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['lead'],
    });
  });
  afterEach(async () => hub?.close());

  const titles = async (handle: string) =>
    (
      await hub.store.db
        .selectFrom('notifications as n')
        .innerJoin('people as p', 'p.id', 'n.person_id')
        .select('n.title')
        .where('p.handle', '=', handle)
        .orderBy('n.updated_at')
        .execute()
    ).map((n) => n.title);

  it('notices, refusals, the rules and the quarterly update name levels as the community does', async () => {
    await joinGroup(hub, ana, 'hosting', { level: 'observer' });
    await expect(joinGroup(hub, ana, 'hosting', { level: 'participant' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'You are already in this group, as a follower',
    });
    await expect(joinGroup(hub, bo, 'hosting', { level: 'member' })).rejects.toMatchObject({
      issues: [
        {
          field: 'level',
          rule: "anyone may join as follower or participant; voting member is granted by the group's leads",
        },
      ],
    });
    await setMemberLevel(hub, lead, 'hosting', 'ana', { level: 'participant' });
    expect(await titles('ana')).toEqual([
      'Your level in Hosting is now participant (was follower), set by Lead (@lead)',
    ]);

    // a request to become a member: the leads hear it, the asker hears the answer
    await askToBeMember(hub, ana, 'hosting', { note: 'I run the Berlin deployment.' });
    expect(await titles('lead')).toEqual(['Ana (@ana) asks to become a voting member of Hosting']);
    const [request] = (await listMembershipRequests(hub, lead, 'hosting')).items;
    await answerMembershipRequest(hub, lead, 'hosting', request!.id, {
      answer: 'declined',
      reason: 'Take part a while first.',
    });
    expect(await titles('ana')).toContain(
      'Your request to become a voting member of Hosting was declined by Lead (@lead): Take part a while first.',
    );
    await setMemberLevel(hub, lead, 'hosting', 'ana', { level: 'member' });
    // folded into the unread notice of the level set before, whose title it takes
    expect(await titles('ana')).toContain(
      'Your level in Hosting is now voting member (was participant), set by Lead (@lead)',
    );
    const group = await getGroupFor(hub, 'hosting', ana);
    expect(group.can.askToBeMember).toEqual({
      allowed: false,
      reason: 'You are already a voting member of this group',
    });

    // a vote is cast by those whose level counts, named as the community names them
    await joinGroup(hub, bo, 'hosting', { level: 'participant' });
    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly meetings?',
      significance: 'minor',
    });
    await requestVote(hub, lead, 'D-1');
    await expect(castVote(hub, bo, 'D-1', { choice: 'yes' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Only a group voting member or chair may vote on this decision',
    });

    const rules = describeGovernance(hub.governance).flatMap((s) => s.rules);
    expect(rules).toContain('Participation levels, lowest first: follower, participant, voting member, chair.');
    expect(rules).toContain('Anyone may join a group as follower or participant; other levels are granted.');
    expect(rules).toContain('The responses of a group voting member or chair count; others are shown as advisory.');
    expect(rules.join('\n')).not.toMatch(/\b(?:observer|a group member or lead)\b/);
    expect(rules.join('\n')).toMatch(/^Special interest groups post a quarterly update/m);

    // an assistant reads who may respond, and whose responses count, in the same words
    const served = await serveMcpOverHttp(hub);
    try {
      const client = await httpClient(served.url, 'modern', (await createToken(hub, SYSTEM, 'ana')).token);
      const respond = (await client.listTools()).tools.find((t) => t.name === 'respond_to_decision')!;
      expect(respond.description).toContain('the responses of a group voting member or chair count');
      await client.close();
    } finally {
      served.server.close();
    }

    // why one who answers a leaderless group's requests was told, as the inbox and the mail say it
    expect(whyTold('answers-leaderless', 'membership-request', hub.governance)).toBe(
      'your role answers requests to become a voting member of a group with no active lead',
    );

    const update = await draftQuarterlyUpdate(hub, 'hosting', { due: '2026-04' });
    expect(update.markdown).toContain('joined as follower');
    expect(update.markdown).toContain('moved from participant to voting member');
    expect(update.markdown).not.toMatch(/\bobserver\b|moved from participant to member\b/);
  });

  it('the welcome page, the join and set-level forms and the decision page say the level’s name', async () => {
    const app = createHttpApp(hub, undefined, {
      web: { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 },
    });
    const web = await signInAs(app, 'ana');
    const welcome = pageText((await web.get('/welcome')).html);
    expect(welcome).toContain('Anyone may join as follower or participant');
    expect(welcome).toMatch(/follower\s*: you follow the group from its pages/);
    // how the community works names its groups as it does
    expect(welcome).toContain('Special interest groups and topic areas. A special interest group keeps continuity');
    expect(welcome).toContain("Only the answers of a group's voting members and chairs count in its decisions");
    expect(welcome).not.toMatch(/\bobservers?\b/);
    const joined = await web.post('/groups/hosting/join', { level: 'observer', next: '/welcome' });
    expect(joined.status).toBe(303);
    expect(pageText((await web.get('/welcome')).html)).toContain('You joined Hosting as follower.');

    const leadWeb = await signInAs(app, 'lead');
    await leadWeb.get('/groups/hosting');
    const set = await leadWeb.post('/groups/hosting/members/level', { handle: 'ana', level: 'participant' });
    expect(set.status).toBe(303);
    expect(pageText((await leadWeb.get('/groups/hosting')).html)).toContain('ana is now a participant.');

    await openDecision(hub, lead, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt fortnightly meetings?',
      significance: 'minor',
    });
    const decision = pageText((await web.get('/decisions/D-1')).html);
    expect(decision).toContain('you are a participant of Hosting');
    expect(decision).toContain(
      "only its voting members and chairs count. The group's leads grant the voting member level",
    );
    await setMemberLevel(hub, SYSTEM, 'hosting', 'ana', { level: 'observer' });
    expect(pageText((await web.get('/decisions/D-1')).html)).toContain('you are a follower of Hosting');
  });
});
