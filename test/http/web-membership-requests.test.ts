// Asking to become a member from the group page, without JavaScript, on both databases over the
// demo community (Amara observes Hosting; Sam leads it).
import { describe, expect, it } from 'vitest';
import { getGroupFor } from '../../src/app/groups/groups.ts';
import { notificationsReaction } from '../../src/app/notifications/notify.ts';
import { databases } from '../support/databases.ts';
import { pageText as text, signInAs } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

describe.each(databases)('asking to become a member on the group page, on $name', (database) => {
  const web = webHubPerTest(database);

  it('an answer from a page read before another answer is a conflict, said at the top of the page', async () => {
    const amara = await signInAs(web.app, 'amara');
    await amara.get('/groups/hosting');
    const asked = await amara.post('/groups/hosting/membership-requests', { note: 'I run envoy in Lagos' });
    expect(asked.status).toBe(303);
    // the lead has the group page open in two tabs (two sessions): one accepts, the other then declines
    const tab = await signInAs(web.app, 'sam-lead');
    const page = (await tab.get('/groups/hosting')).html;
    const id = /action="\/groups\/hosting\/membership-requests\/([^/]+)\/answer"/.exec(page)![1]!;
    const other = await signInAs(web.app, 'sam-lead');
    await other.get('/groups/hosting');
    const first = await other.post(`/groups/hosting/membership-requests/${id}/answer`, { answer: 'accepted' });
    expect(first.status).toBe(303);
    const late = await tab.post(`/groups/hosting/membership-requests/${id}/answer`, {
      answer: 'declined',
      reason: 'Take part for a month first',
    });
    expect(late.status).toBe(409);
    expect(text(late.html)).toContain(
      'The request of Amara Diallo (@amara) was already accepted by Sam Rivera (@sam-lead)',
    );
  });

  it('the asker withdraws their open request from the group page, and may ask again at once', async () => {
    const amara = await signInAs(web.app, 'amara');
    await amara.get('/groups/hosting');
    await amara.post('/groups/hosting/membership-requests', { note: '' });
    const page = (await amara.get('/groups/hosting')).html;
    expect(page).toContain('action="/groups/hosting/membership-requests/mine/withdraw"');
    const withdrawn = await amara.post('/groups/hosting/membership-requests/mine/withdraw', {});
    expect([withdrawn.status, withdrawn.location]).toEqual([303, '/groups/hosting']);
    const after = (await amara.get('/groups/hosting')).html;
    expect(text(after)).toContain('Your request to become a member is withdrawn. You may ask again whenever you like.');
    expect(after).not.toContain('/membership-requests/mine/withdraw"');
    expect(after).toContain('action="/groups/hosting/membership-requests"');
    // the lead has nothing left to answer
    const sam = await signInAs(web.app, 'sam-lead');
    expect(text((await sam.get('/groups/hosting')).html)).not.toContain('Asks to become a member');
  });

  it('withdrawing a request a lead answered meanwhile is a conflict, said on the page', async () => {
    const amara = await signInAs(web.app, 'amara');
    await amara.get('/groups/hosting');
    await amara.post('/groups/hosting/membership-requests', { note: '' });
    await amara.get('/groups/hosting');
    const sam = await signInAs(web.app, 'sam-lead');
    const id = /action="\/groups\/hosting\/membership-requests\/([^/]+)\/answer"/.exec(
      (await sam.get('/groups/hosting')).html,
    )![1]!;
    await sam.post(`/groups/hosting/membership-requests/${id}/answer`, { answer: 'accepted' });
    const late = await amara.post('/groups/hosting/membership-requests/mine/withdraw', {});
    expect(late.status).toBe(403);
    expect(text(late.html)).toContain('You have no open request to become a member of this group');
  });

  it("a decline by the hub's operator reads so on the asker's group page, not 'the system'", async () => {
    const amara = await signInAs(web.app, 'amara');
    await amara.get('/groups/hosting');
    expect((await amara.post('/groups/hosting/membership-requests', { note: '' })).status).toBe(303);
    const { answerMembershipRequest } = await import('../../src/app/groups/membership-requests.ts');
    const { SYSTEM } = await import('../../src/app/core/hub.ts');
    const asked = await web.hub.store.db
      .selectFrom('membership_requests')
      .select('id')
      .where('answered_at', 'is', null)
      .executeTakeFirstOrThrow();
    await answerMembershipRequest(web.hub, SYSTEM, 'hosting', asked!.id, {
      answer: 'declined',
      reason: 'Not this quarter',
    });
    expect(text((await amara.get('/groups/hosting')).html)).toMatch(
      /Your request to become a member was declined by the hub's operator .*: “Not this quarter”/,
    );
  });

  it('a group without an active lead says up front who answers, and again once asked', async () => {
    await web.hub.store.db.updateTable('group_members').set({ emeritus: 1 }).where('level', '=', 'lead').execute();
    const amara = await signInAs(web.app, 'amara');
    expect(text((await amara.get('/groups/hosting')).html)).toContain(
      'The group has no active lead now, so a core maintainer or a lead maintainer answers your request.',
    );
    await amara.post('/groups/hosting/membership-requests', { note: '' });
    const asked = text((await amara.get('/groups/hosting')).html);
    // the confirmation says who answers, not "the group's leads", who are gone
    expect(asked).toContain(
      'You have asked to become a member. The group has no active lead, so a core maintainer or a lead maintainer answers.',
    );
    expect(asked).toMatch(
      /You asked to become a member .*; nobody has answered yet\. The group has no active lead, so a core maintainer or a lead maintainer answers\./,
    );
  });

  it('an observer asks; the lead sees it on their home and the group page, and declines with a reason', async () => {
    web.hub.reactions.push(notificationsReaction({ mail: false }));
    const amara = await signInAs(web.app, 'amara');
    expect((await amara.get('/groups/hosting')).html).toContain('action="/groups/hosting/membership-requests"');
    const asked = await amara.post('/groups/hosting/membership-requests', { note: 'I run envoy in Lagos' });
    expect([asked.status, asked.location]).toEqual([303, '/groups/hosting']);
    const after = text((await amara.get('/groups/hosting')).html);
    expect(after).toContain("You have asked to become a member. The group's leads will answer.");
    expect(after).toMatch(/You asked to become a member .*; the group's leads have not answered yet\./);

    const sam = await signInAs(web.app, 'sam-lead');
    const home = text((await sam.get('/')).html);
    expect(home).toContain('Asking to become members of your groups');
    // a lead reads who asks by name, as the members list names people, with the handle beside it
    expect(home).toContain('Amara Diallo (@amara) asks to become a member of Hosting');
    // the inbox says what the notice is: a request to answer, not a level that changed
    const inbox = text((await sam.get('/inbox')).html);
    expect(inbox).toMatch(
      /asks to become a member of Hosting\s*[^·]*· membership request · told because you lead this group/,
    );
    const page = (await sam.get('/groups/hosting')).html;
    expect(text(page)).toMatch(/Asks to become a member\s*:\s*Amara Diallo \(@amara\) — waiting for your answer/);
    // the request itself names her, and its buttons say whom they answer
    expect(text(page)).toMatch(/Amara Diallo \(@amara; now an observer\) asked/);
    expect(page).toContain('Accept <bdi>Amara Diallo</bdi> as a member</button>');
    expect(page).toContain("Decline <bdi>Amara Diallo</bdi>'s request</button>");
    expect(text(page)).toContain('“I run envoy in Lagos”');
    const id = /action="\/groups\/hosting\/membership-requests\/([^/]+)\/answer"/.exec(page)![1]!;

    // a decline without a reason is refused beside its field, nothing answered
    const bare = await sam.post(`/groups/hosting/membership-requests/${id}/answer`, { answer: 'declined', reason: '' });
    expect(bare.status).toBe(422);
    expect(text(bare.html)).toContain('must say why the request is declined');
    const declined = await sam.post(`/groups/hosting/membership-requests/${id}/answer`, {
      answer: 'declined',
      reason: 'Take part in a meeting or two first',
    });
    expect([declined.status, declined.location]).toEqual([303, '/groups/hosting#members']);
    expect(text((await sam.get('/groups/hosting')).html)).toContain(
      'The request of \u2068Amara Diallo\u2069 (@amara) is declined; they are told why.',
    );
    // amara reads the answer and its reason on the group page, and may ask again later
    const answer = text((await amara.get('/groups/hosting')).html);
    expect(answer).toMatch(
      /Your request to become a member was declined by Sam Rivera \(@sam-lead\) .*: “Take part in a meeting or two first”/,
    );
    expect(answer).toMatch(/you may ask again from \d{4}-\d{2}-\d{2}/);
    const g = await getGroupFor(web.hub, 'hosting', null);
    expect(g.members.find((m) => m.handle === 'amara')?.level).toBe('observer');
  });
});
