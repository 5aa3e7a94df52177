import { describe, expect, it } from 'vitest';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { getDecision, openDecision, requestVote } from '../../src/app/decisions/decisions.ts';
import { answerMembershipRequest, askToBeMember } from '../../src/app/groups/membership-requests.ts';
import { asActor } from '../support/hub.ts';
import { databases } from '../support/databases.ts';
import { webHubPerTest } from '../support/web-hub.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';

// Only members' and leads' responses count (governance decisions.eligibleLevels). An observer or a
// newcomer who joined as participant was offered the respond form with no word of that, and learnt
// it only from the "advisory" badge after blocking.
describe.each(databases)('whose response counts, before responding, on $name', (database) => {
  const web = webHubPerTest(database);

  it('an observer, a participant and a non-member are told theirs is advisory; a member is not', async () => {
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    const opened = await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide as a working-group artifact?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    expect(opened.location).toBe('/decisions/D-1');
    const amara = text((await (await signInAs(web.app, 'amara')).get('/decisions/D-1')).html);
    expect(amara).toContain(
      "Your response will be shown as advisory , not counted: you are an observer of Hosting , and only its members and leads count. The group's leads grant the member level: ask them from the group's page .",
    );
    // the group by its name (as the page's heading line says it), not the slug in its address
    expect(amara).toContain('Send my response');
    // "ask them from the group's page" was words only: it leads to the group page's request form
    const amaraWeb = await signInAs(web.app, 'amara');
    expect((await amaraWeb.get('/decisions/D-1')).html).toContain(
      '<a href="/groups/hosting#ask-member">ask them from the group\'s page</a>',
    );
    expect((await amaraWeb.get('/groups/hosting')).html).toContain(
      '<details id="ask-member"><summary>Ask to become a member</summary>',
    );
    const jonas = text((await (await signInAs(web.app, 'jonas')).get('/decisions/D-1')).html);
    expect(jonas).toContain('you are a participant of Hosting ,');
    const kai = text((await (await signInAs(web.app, 'kai-core')).get('/decisions/D-1')).html);
    expect(kai).toContain('you are not an active member of Hosting ,');
    const priya = text((await (await signInAs(web.app, 'priya')).get('/decisions/D-1')).html);
    expect(priya).toContain('Send my response');
    expect(priya).not.toContain('shown as advisory');
  });

  it('one who cannot ask for the member level now is not sent to ask: who asked already, who was declined', async () => {
    // "ask them from the group's page" led an observer who had asked already to a page with no form
    // to ask (its #ask-member exists only while one may ask): the note now says what they may do
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide as a working-group artifact?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    const request = await askToBeMember(web.hub, await asActor(web.hub, 'amara'), 'hosting', {
      note: 'I run gateways at work.',
    });
    const amara = await signInAs(web.app, 'amara');
    const asked = (await amara.get('/decisions/D-1')).html;
    expect(asked).not.toContain('#ask-member');
    expect(text(asked)).not.toContain("ask them from the group's page");
    expect(text(asked)).toContain(
      "only its members and leads count. You have asked to become a member; your request awaits an answer from the group's leads.",
    );
    expect(asked).toContain('<a href="/groups/hosting#your-request">your request</a>');
    expect((await amara.get('/groups/hosting')).html).toContain('id="your-request"');
    // declined: she may ask again only after the wait, and reads when
    await answerMembershipRequest(web.hub, await asActor(web.hub, 'sam-lead'), 'hosting', request.id, {
      answer: 'declined',
      reason: 'Take part for a month first.',
    });
    const declined = (await amara.get('/decisions/D-1')).html;
    expect(declined).not.toContain('#ask-member');
    expect(text(declined)).toMatch(
      /only its members and leads count\. The group's leads grant the member level\. The group's leads declined your last request; you may ask again from [^.]+\./,
    );
  });

  it('after a block, the flash says whether it stands: advisory for a participant, a coming vote for a member', async () => {
    // a newcomer who blocked read "Your response is recorded." and took the block to stand, while the
    // page went on saying "1 block stands so far" (the lead's): now the flash says it does not count
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide as a working-group artifact?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    const block = { kind: 'block', reason: 'Its examples use one gateway only.', alternative: 'Show two gateways.' };
    const jonas = await signInAs(web.app, 'jonas');
    await jonas.get('/decisions/D-1');
    expect((await jonas.post('/decisions/D-1/respond', block)).status).toBe(303);
    expect(text((await jonas.get('/decisions/D-1')).html)).toContain(
      'Your block is recorded as advisory: the group reads it, but it does not count and does not stop the consensus; only the responses of its members and leads count.',
    );
    const priya = await signInAs(web.app, 'priya');
    await priya.get('/decisions/D-1');
    await priya.post('/decisions/D-1/respond', block);
    expect(text((await priya.get('/decisions/D-1')).html)).toContain(
      'Your block is recorded and stands: if it still stands at the deadline, a formal vote opens. Respond again, or withdraw it, to change it.',
    );
    await priya.post('/decisions/D-1/respond', { kind: 'consent' });
    expect(text((await priya.get('/decisions/D-1')).html)).toContain('Your response is recorded.');
  });

  it('one in no group yet finds on their home the decisions open in the community, each with its deadline', async () => {
    // "None: no open decision is waiting for your voice" was all they read while the community decided
    // things they may answer: lazy consensus counts silence, so what is open must be in sight
    const kai = await signInAs(web.app, 'kai-core');
    expect((await kai.get('/')).html).not.toContain('id="open-elsewhere"');
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide as a working-group artifact?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    const home = (await kai.get('/')).html;
    expect(home).toContain('id="open-elsewhere"');
    expect(text(home)).toMatch(
      /You are in no group yet, so none waits on you; these are open in the community, and your answer is shown to each group as advisory \(only its members and leads count\)\. Join a group to be told of its decisions\. D-1: Adopt the session affinity guide as a working-group artifact\? \(Hosting\), closes in \d days, /,
    );
    expect(home).toContain('<a href="/decisions/D-1">');
    // "Only those waiting for my response" found nothing and said only "No decision matches": a
    // participant whose answer is advisory is told why, and led to every open decision
    const mine = text((await kai.get('/decisions?mine=1')).html);
    expect(mine).toContain(
      'No open decision waits for your response: one waits on the members and leads of its group who have not answered yet. Every open decision still takes your response',
    );
    expect((await kai.get('/decisions?mine=1')).html).toContain(
      '<a href="/decisions?open=true">Every open decision</a>',
    );
    // one in the group reads it under their groups' decisions instead, once
    const jonas = (await (await signInAs(web.app, 'jonas')).get('/')).html;
    expect(jonas).not.toContain('id="open-elsewhere"');
    expect(text(jonas)).toContain('Open in your groups, where your answer is advisory');
  });

  it('one in no group yet is shown the five open decisions that close soonest, not the five numbered lowest', async () => {
    // found in review on 2026-12-07: the home read the five lowest-numbered open decisions and sorted
    // those, so two opened later that close sooner were missed
    const hub = web.hub;
    const sam = await asActor(hub, 'sam-lead');
    const now = new Date(hub.clock.now()).getTime();
    const day = 86_400_000;
    const at = (days: number) => new Date(now + days * day).toISOString();
    for (const [i, days] of [20, 21, 22, 23, 24, 8, 9].entries())
      await openDecision(hub, sam, {
        group: 'hosting',
        subject: { type: 'process' },
        question: `Adopt practice number ${i + 1}?`,
        significance: 'minor',
        deadline: at(days),
      });
    const home = text((await (await signInAs(web.app, 'kai-core')).get('/')).html);
    const listed = [...home.matchAll(/D-(\d+): Adopt practice/g)].map((m) => Number(m[1]));
    expect(listed).toEqual([6, 7, 1, 2, 3]);
    // more are open than are listed: the way to every open decision is there
    expect((await (await signInAs(web.app, 'kai-core')).get('/')).html).toContain(
      '<a href="/decisions?open=true">Every open decision</a>',
    );
  });

  it('one in no group yet, with every open decision escalated, is still led to every open decision', async () => {
    const hub = web.hub;
    const sam = await asActor(hub, 'sam-lead');
    await openDecision(hub, sam, {
      group: 'hosting',
      subject: { type: 'process' },
      question: 'Adopt practice number one?',
      significance: 'minor',
    });
    // a vote that nobody casts does not settle it: escalated once it closes
    await requestVote(hub, sam, 'D-1');
    hub.clock.advance((hub.governance.decisions.vote.durationDays + 1) * 86_400_000);
    expect((await getDecision(hub, 'D-1')).state.phase).toBe('escalated');
    const home = (await (await signInAs(web.app, 'kai-core')).get('/')).html;
    expect(home).not.toContain('id="open-elsewhere"');
    // said in words: a bare "Every open decision" counted the escalated ones the list leaves out
    expect(home).toContain('<a href="/decisions?open=true">every open decision</a> shows them.');
    expect(text(home)).toContain(
      'Decisions escalated to the core maintainers take no answers until they resolve them, so none is listed here',
    );
  });

  it('in a vote, one whose level does not count is told how to get a vote, not only that they have none', async () => {
    // "Only a group member or lead may vote on this decision." was all an observer read: no next step
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Move the coordination meeting to 17:00 UTC?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    await sam.get('/decisions/D-1');
    expect((await sam.post('/decisions/D-1/request-vote', { confirm: 'yes' })).status).toBe(303);
    expect(text((await sam.get('/decisions/D-1')).html)).toContain('Cast my vote');
    const amara = text((await (await signInAs(web.app, 'amara')).get('/decisions/D-1')).html);
    expect(amara).toContain(
      "Only a group member or lead may vote on this decision. You are an observer of Hosting . The group's leads grant the member level: ask them from the group's page .",
    );
    // a member votes, and is told nothing of the kind
    const priya = text((await (await signInAs(web.app, 'priya')).get('/decisions/D-1')).html);
    expect(priya).toContain('Cast my vote');
    expect(priya).not.toContain('grant the member level');
  });

  it("an observer's block reaches the opener's inbox as an advisory objection, not as the decision blocked", async () => {
    // the inbox said "D-1 blocked by Amara Diallo" for an observer's block that does not count, so
    // whoever opened it read the decision as held up when silence still carried it
    web.hub.reactions.push(notificationsReaction({ mail: false }));
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt the session affinity guide?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    const amara = await signInAs(web.app, 'amara');
    await amara.get('/decisions/D-1');
    const blocked = await amara.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'Sticky sessions break our failover.',
      alternative: 'Publish a stateless option first.',
    });
    expect(blocked.status).toBe(303);
    const inbox = text((await sam.get('/inbox')).html);
    expect(inbox).toContain(
      'D-1: Amara Diallo (@amara) objected (advisory, not counted): Adopt the session affinity guide?',
    );
    expect(inbox).not.toContain('D-1 blocked by');
    // a member's block is still news that the decision is blocked
    const priya = await signInAs(web.app, 'priya');
    await priya.get('/decisions/D-1');
    await priya.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'The guide names one vendor.',
      alternative: 'Show two gateways.',
    });
    expect(text((await sam.get('/inbox')).html)).toContain(
      'D-1 blocked by Priya Nair (@priya): Adopt the session affinity guide?',
    );
  });

  it('home lists an open decision where my answer is advisory again once I withdraw my response', async () => {
    // a participant who objected and then withdrew it no longer found the decision on their home
    // page: the list counted any response of theirs, the withdrawal too, as an answer
    const sam = await signInAs(web.app, 'sam-lead');
    await sam.get('/decisions/new');
    await sam.post('/decisions/new', {
      group: 'hosting',
      question: 'Adopt request batching in the transport guide?',
      'subject.type': 'process',
      significance: 'minor',
      matter: 'routine',
    });
    const jonas = await signInAs(web.app, 'jonas');
    const advisory = async () => {
      const home = text((await jonas.get('/')).html);
      return home.includes('where your answer is advisory') && home.includes('D-1: Adopt request batching');
    };
    expect(await advisory()).toBe(true);
    await jonas.get('/decisions/D-1');
    const blocked = await jonas.post('/decisions/D-1/respond', {
      kind: 'block',
      reason: 'Batching breaks ordering for our clients.',
      alternative: 'Make it an opt-in extension.',
    });
    expect(blocked.status).toBe(303);
    expect(await advisory()).toBe(false);
    await jonas.get('/decisions/D-1');
    expect((await jonas.post('/decisions/D-1/response/withdraw', {})).status).toBe(303);
    expect(await advisory()).toBe(true);
  });

  it('who may not open a decision, propose a group or schedule a meeting is told what to do instead, not left at a refusal', async () => {
    const jonas = await signInAs(web.app, 'jonas');
    const decision = text((await jonas.get('/decisions/new')).html);
    expect(decision).toContain('may open a decision');
    expect(decision).toContain('What you can do instead: raise the question in a comment on its proposal');
    const group = await jonas.get('/groups/new');
    expect(group.status).toBe(403);
    expect(text(group.html)).toContain('may propose a group');
    expect(text(group.html)).toContain(
      'What you can do instead: most work starts as a topic area inside an existing group',
    );
    const meeting = await jonas.get('/meetings/new');
    expect(text(meeting.html)).toContain('may schedule a meeting');
    expect(text(meeting.html)).toContain('What you can do instead: add your topic to the agenda of a coming meeting');
    expect(meeting.html).toContain('<a href="/meetings">coming meeting</a>');
    // one who may sees the form, and no such advice
    const sam = text((await (await signInAs(web.app, 'sam-lead')).get('/meetings/new')).html);
    expect(sam).not.toContain('What you can do instead');
  });
});
