// Invitations over REST and the web, on both databases: a lead's "set a member's level" for someone
// not in the group invites them (PUT /api/groups/{slug}/members/{handle}); the person reads it at
// GET /api/me/invitations and accepts or declines; a lead lists and withdraws; each refusal names its
// rule with its status (409 answered or already invited or a member, 410 expired or withdrawn, 422 input).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { getGroup, proposeGroup } from '../../src/app/groups/groups.ts';
import { listMyInvitations } from '../../src/app/groups/invitations.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { asActor, openDemoHub, type TestHub } from '../support/hub.ts';
import { pageText, signInAs } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('invitations over REST and the web on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  const members = async (slug: string) => (await getGroup(hub, slug)).members.map((m) => m.handle).sort();

  it('a lead invites over REST; the person accepts; every rule is refused with its status and words', async () => {
    const token = async (h: string) => (await createToken(hub, SYSTEM, h)).token;
    const [sam, amara, jonas] = [await token('sam-lead'), await token('amara'), await token('jonas')];
    const call = async (method: string, path: string, who: string, body?: unknown) => {
      const r = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${who}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: r.status, json: await r.json() };
    };
    expect(await members('observability')).not.toContain('amara');
    const put = await call('PUT', '/api/groups/observability/members/amara', sam, {
      level: 'participant',
      message: 'We need your gateway traces',
      expiresInDays: 3,
    });
    expect(put.status).toBe(200);
    expect(put.json.invitation).toMatchObject({ handle: 'amara', level: 'participant', state: 'open' });
    expect(put.json.items.map((m: { handle: string }) => m.handle)).not.toContain('amara');
    expect(await members('observability')).not.toContain('amara');
    const id = put.json.invitation.id;
    // PUT is idempotent: the same level and message again answers 200 with that invitation; another level is 409
    const same = await call('PUT', '/api/groups/observability/members/amara', sam, {
      level: 'participant',
      message: 'We need your gateway traces',
      expiresInDays: 3,
    });
    expect([same.status, same.json.invitation.id]).toEqual([200, id]);
    const other = await call('PUT', '/api/groups/observability/members/amara', sam, { level: 'member' });
    expect(other.status).toBe(409);
    expect(other.json.detail).toContain('(the same level and message again answer with it)');

    // the person reads it, with what they may do
    const mine = await call('GET', '/api/me/invitations', amara);
    expect(mine.json.items).toMatchObject([
      { id, group: 'observability', message: 'We need your gateway traces', can: { accept: { allowed: true } } },
    ]);
    expect((await call('GET', '/api/me/invitations', jonas)).json.items).toEqual([]);
    // and it is among what needs them, with its expiry and the id accepting takes
    const needs = await call('GET', '/api/me/needs', amara);
    expect(needs.json.items.filter((n: { kind: string }) => n.kind === 'invitation')).toMatchObject([
      { ref: 'observability', id, dueMeans: 'expires', due: mine.json.items[0].expiresAt },
    ]);
    expect(needs.json.counts.invitation).toEqual({ listed: 1, total: 1 });
    // the lead lists it; someone else sees none
    expect(
      (await call('GET', '/api/groups/observability/invitations', sam)).json.items.map((i: { id: string }) => i.id),
    ).toEqual([id]);
    expect((await call('GET', '/api/groups/observability/invitations', jonas)).json.items).toEqual([]);

    // a second invitation while this one is open: 409, naming the rule
    const again = await call('POST', '/api/groups/observability/invitations', sam, {
      handle: 'amara',
      level: 'member',
    });
    expect(again.status).toBe(409);
    expect(again.json.detail).toContain(
      'one open invitation per person and group; withdraw it first to invite them again',
    );
    // a member is not invited: 409
    const member = await call('POST', '/api/groups/hosting/invitations', sam, { handle: 'jonas', level: 'member' });
    expect(member.status).toBe(409);
    expect(member.json.detail).toContain('a member is not invited; set their level instead');
    // the expiry past its bound: 422 naming the field
    const long = await call('POST', '/api/groups/observability/invitations', sam, {
      handle: 'jonas',
      level: 'member',
      expiresInDays: LIMITS.invitationDays + 1,
    });
    expect(long.status).toBe(422);
    expect(long.json.errors).toMatchObject([{ field: 'expiresInDays' }]);
    // only the person invited accepts: 403
    expect((await call('POST', `/api/me/invitations/${id}/accept`, jonas)).status).toBe(403);

    const accepted = await call('POST', `/api/me/invitations/${id}/accept`, amara);
    expect([accepted.status, accepted.json.state]).toEqual([200, 'accepted']);
    expect(await members('observability')).toContain('amara');
    // answered once: 409
    const twice = await call('POST', `/api/me/invitations/${id}/decline`, amara);
    expect(twice.status).toBe(409);
    expect(twice.json.detail).toBe(
      'The invitation to Observability was already accepted: an invitation is answered once',
    );

    // withdrawn: 410 for the person; expired: 410 too
    const jonasInvited = await call('POST', '/api/groups/observability/invitations', sam, {
      handle: 'jonas',
      level: 'observer',
    });
    expect(jonasInvited.status).toBe(201);
    const withdrawn = await call('POST', `/api/groups/observability/invitations/${jonasInvited.json.id}/withdraw`, sam);
    expect([withdrawn.status, withdrawn.json.state]).toEqual([200, 'withdrawn']);
    const gone = await call('POST', `/api/me/invitations/${jonasInvited.json.id}/accept`, jonas);
    expect(gone.status).toBe(410);
    expect(gone.json.detail).toContain(
      'was withdrawn by sam-lead: a withdrawn invitation cannot be accepted or declined',
    );
    const short = await call('POST', '/api/groups/observability/invitations', sam, {
      handle: 'jonas',
      level: 'observer',
      expiresInDays: 1,
    });
    hub.clock.advance(86_400_000);
    const expired = await call('POST', `/api/me/invitations/${short.json.id}/accept`, jonas);
    expect(expired.status).toBe(410);
    expect(expired.json.detail).toContain('expired at Tue 2026-11-03 10:00 GMT+1');
    expect(await members('observability')).not.toContain('jonas');
  });

  it('an invitation to lead a proposed group says the group is only proposed, on the home, the group page and REST', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/observability');
    expect((await sam.post('/groups/observability/members/level', { handle: 'priya', level: 'lead' })).status).toBe(
      303,
    );
    const token = (await createToken(hub, SYSTEM, 'priya')).token;
    const mine = await (
      await app.request('/api/me/invitations', { headers: { authorization: `Bearer ${token}` } })
    ).json();
    expect(mine.items).toEqual([
      expect.objectContaining({
        group: 'observability',
        groupName: 'Observability',
        groupStatus: 'proposed',
        level: 'lead',
      }),
    ]);
    const proposed =
      'Observability is only proposed: it is not active yet, and becomes active once 2 core maintainers or 1 lead maintainer sponsor it and it is moved to active.';
    const priya = await signInAs(app, 'priya');
    expect(pageText((await priya.get('/')).html)).toContain(proposed);
    expect(pageText((await priya.get('/groups/observability')).html)).toContain(proposed);
    // an active group's invitation says nothing of the kind
    const lena = await signInAs(app, 'lena-core');
    await lena.get('/groups/security');
    expect((await lena.post('/groups/security/members/level', { handle: 'amara', level: 'participant' })).status).toBe(
      303,
    );
    const amaraHome = pageText((await (await signInAs(app, 'amara')).get('/')).html);
    expect(amaraHome).toContain('invites you to Security as a participant');
    expect(amaraHome).not.toContain('is only proposed');
  });

  it('a declined invitation stays on the group page for those who set levels, with who and when, for 30 days', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/observability');
    expect(
      (await sam.post('/groups/observability/members/level', { handle: 'amara', level: 'participant' })).status,
    ).toBe(303);
    const amara = await signInAs(app, 'amara');
    const invited = await amara.get('/groups/observability');
    const decline = /action="(\/groups\/observability\/invitations\/[^/]+\/decline)"/.exec(invited.html)![1]!;
    expect((await amara.post(decline, { back: '/groups/observability' })).status).toBe(303);
    const lead = pageText((await sam.get('/groups/observability')).html);
    expect(lead).toContain('Invitations declined lately Declined in the last 30 days, latest first.');
    expect(lead).toMatch(
      /Amara Diallo \(@amara\) declined the invitation as a participant from Sam Rivera \(@sam-lead\), just now, \w{3} \d+ \w{3} \d{4}, \d{2}:\d{2}/,
    );
    // and when she may be invited again: not before membership.inviteAgainDays have passed
    expect(lead).toMatch(
      /from Sam Rivera \(@sam-lead\), just now, .*? ?: you may invite them again in 4 weeks, \w{3} \d+ \w{3} \d{4}, \d{2}:\d{2} \([^)]+\) \(Amara Diallo \(@amara\) declined an invitation to Observability as a participant on \d{4}-\d{2}-\d{2}: after a decline/,
    );
    // not the invitee's to read, nor anyone's who may not set the group's levels
    expect(pageText((await amara.get('/groups/observability')).html)).not.toContain('declined lately');
    const token = (await createToken(hub, SYSTEM, 'sam-lead')).token;
    const listed = async () =>
      (
        await (
          await app.request('/api/groups/observability/invitations', { headers: { authorization: `Bearer ${token}` } })
        ).json()
      ).recentlyDeclined;
    expect(await listed()).toEqual([
      expect.objectContaining({
        handle: 'amara',
        state: 'declined',
        answeredBy: 'amara',
        answeredAt: expect.any(String),
        inviteAgain: expect.objectContaining({ allowed: false, rule: 'invite-again-after-decline' }),
      }),
    ]);
    hub.clock.advance(31 * 86_400_000);
    expect(await listed()).toEqual([]);
    expect(pageText((await sam.get('/groups/observability')).html)).not.toContain('declined lately');
  });

  it('the person sees the invitation on their home and the group page and accepts it there; the lead withdraws one', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/observability');
    const sent = await sam.post('/groups/observability/members/level', {
      handle: 'amara',
      level: 'participant',
      message: 'Come and help',
    });
    expect(sent.status).toBe(303);
    // the flash says it is an invitation, not a placement
    const flash = pageText((await sam.get('/groups/observability')).html);
    expect(flash).toContain('is not in the group: they are invited as a participant');
    // until a moment, with its zone (the lead's), not a bare UTC day
    expect(flash).toMatch(
      /they are invited as a participant, until \w{3} \d+ \w{3} \d{4}, \d{2}:\d{2} \([^)]+\), and are told/,
    );
    expect(await members('observability')).not.toContain('amara');
    const leadPage = await sam.get('/groups/observability');
    // listed under a heading that holds an expired one too, with when it closes ("closes in 14 days, …",
    // not "open until in 14 days, …")
    expect(pageText(leadPage.html)).toContain('Invitations not answered');
    expect(pageText(leadPage.html)).toMatch(/invited as a participant by Sam Rivera .*; it closes in 14 days, /);
    expect(leadPage.html).toMatch(/action="\/groups\/observability\/invitations\/[^/]+\/withdraw"/);

    const amara = await signInAs(app, 'amara');
    const home = await amara.get('/');
    expect(pageText(home.html)).toContain('Invitations to groups');
    expect(pageText(home.html)).toContain('invites you to Observability as a participant');
    expect(pageText(home.html)).toContain('Come and help');
    expect(pageText(home.html)).toMatch(/; it closes in 14 days, \w{3} \d+ \w{3} \d{4}, \d{2}:\d{2} \([^)]+\) ?\./);
    expect(pageText(home.html)).not.toContain('until in');
    // true whether or not they joined lower already: accepting is what changes anything
    expect(pageText(home.html)).toContain(
      'Nothing changes until you accept: nobody is placed in a group, or moved up in one, but by their own act.',
    );
    const page = await amara.get('/groups/observability');
    expect(pageText(page.html)).toContain('You are invited');
    // beside Join: what accepting gives, and that joining lower first keeps the invitation
    expect(pageText(page.html)).toContain(
      'You are invited as a participant (below): accepting the invitation makes you a participant, and joining at a lower level first keeps it open.',
    );
    const accept = /action="(\/groups\/observability\/invitations\/[^/]+\/accept)"/.exec(page.html)![1]!;
    expect(page.html).toMatch(/action="\/groups\/observability\/invitations\/[^/]+\/decline"/);
    // someone else gets no Accept, and posting it is refused in words
    const jonas = await signInAs(app, 'jonas');
    expect((await jonas.get('/groups/observability')).html).not.toContain('/accept"');
    const refused = await jonas.post(accept, {});
    expect(refused.status).toBe(403);
    expect(pageText(refused.html)).toContain('Only the person invited (amara) may accept this invitation');
    const done = await amara.post(accept, {});
    expect(done.status).toBe(303);
    expect(await members('observability')).toContain('amara');
    // accepted: gone from the home page; accepting again says why
    expect(pageText((await amara.get('/')).html)).not.toContain('Invitations to groups');
    const again = await amara.post(accept, {});
    expect(again.status).toBe(303);
    const told = pageText((await amara.get(again.location!)).html);
    expect(told).toContain('You already accepted');
    expect(told).toContain('it is already so, nothing to do');
    expect(told).not.toContain('There is a problem');

    // a lead withdraws an invitation from the group page; the person's Accept is then gone (410)
    await sam.post('/groups/observability/members/level', { handle: 'jonas', level: 'observer' });
    const withdraw = /action="(\/groups\/observability\/invitations\/[^/]+\/withdraw)"/.exec(
      (await sam.get('/groups/observability')).html,
    )![1]!;
    const jonasAccept = /action="(\/groups\/observability\/invitations\/[^/]+\/accept)"/.exec(
      (await jonas.get('/groups/observability')).html,
    )![1]!;
    expect((await sam.post(withdraw, {})).status).toBe(303);
    expect((await jonas.get('/groups/observability')).html).not.toContain('You are invited');
    const gone = await jonas.post(jonasAccept, {});
    expect(gone.status).toBe(410);
    expect(pageText(gone.html)).toContain('a withdrawn invitation cannot be accepted or declined');

    // one left unanswered past its day stays listed for the lead, said to be expired, not open
    await sam.get('/groups/observability');
    await sam.post('/groups/observability/members/level', { handle: 'ines-core', level: 'member', expiresInDays: '1' });
    hub.clock.advance(2 * 86_400_000);
    // (a session lasts a day: Sam signs in again)
    const lapsed = pageText((await (await signInAs(app, 'sam-lead')).get('/groups/observability')).html);
    expect(lapsed).toContain('Invitations not answered');
    expect(lapsed).toMatch(
      /Inês Moreira \(@ines-core\), invited as a member by .*; it expired yesterday, .*, unanswered: you may invite them again\./,
    );
    // and the person, whose notice led to the group's page, reads there that it closed, not nothing
    const ines = pageText((await (await signInAs(app, 'ines-core')).get('/groups/observability')).html);
    expect(ines).toContain('Your invitation expired');
    expect(ines).toMatch(
      /Sam Rivera \(@sam-lead\) invited you to Observability as a member; it expired yesterday, .*, unanswered, and can no longer be accepted\. Ask the group's leads to invite you again\./,
    );
    expect(ines).not.toContain('You are invited');
  });
  it('an expired invitation stays said to its person and listed for the leads when someone else is invited', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/observability');
    await sam.post('/groups/observability/members/level', { handle: 'ines-core', level: 'member', expiresInDays: '1' });
    hub.clock.advance(2 * 86_400_000);
    const lead = await signInAs(app, 'sam-lead');
    await lead.get('/groups/observability');
    // another person invited: Inês's lapsed invitation is hers, and is not settled by it
    expect((await lead.post('/groups/observability/members/level', { handle: 'amara', level: 'member' })).status).toBe(
      303,
    );
    const ines = pageText((await (await signInAs(app, 'ines-core')).get('/groups/observability')).html);
    expect(ines).toContain('Your invitation expired');
    const leads = pageText((await lead.get('/groups/observability')).html);
    expect(leads).toMatch(/Inês Moreira \(@ines-core\), invited as a member by .*; it expired .*, unanswered/);
    expect(leads).toMatch(/Amara .*\(@amara\), invited as a member by .*; it closes /);
    // inviting Inês again settles her lapsed one: the notice gives way to the new invitation
    expect(
      (await lead.post('/groups/observability/members/level', { handle: 'ines-core', level: 'member' })).status,
    ).toBe(303);
    const again = pageText((await (await signInAs(app, 'ines-core')).get('/groups/observability')).html);
    expect(again).not.toContain('Your invitation expired');
    expect(again).toContain('You are invited');
  });
  it('an invitation to lead a proposed group nobody leads that expired says who may invite again, not its leads', async () => {
    await proposeGroup(hub, await asActor(hub, 'priya'), {
      slug: 'edge',
      name: 'Edge',
      kind: 'working',
      mission: 'Run servers at the edge.',
      scopeIn: ['Edge'],
      leads: ['sam-lead'],
    });
    const sam = await asActor(hub, 'sam-lead');
    const inv = (await listMyInvitations(hub, sam)).items.find((i) => i.group === 'edge')!;
    hub.clock.advance(Date.parse(inv.expiresAt) - hub.clock.now().getTime() + 86_400_000);
    const t = pageText((await (await signInAs(app, 'sam-lead')).get('/groups/edge')).html);
    expect(t).toContain('Your invitation expired');
    expect(t).not.toContain("Ask the group's leads");
    expect(t).toMatch(
      /The group has no active lead now: ask a core maintainer or a lead maintainer to invite you again\./,
    );
  });
});
