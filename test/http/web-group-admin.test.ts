// Running a group from the browser without JavaScript, on both databases: the group page offers
// only what the viewer may do and says why not otherwise; forms call the same use cases as REST.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getGroup, moveGroup } from '../../src/app/groups/groups.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { getTopicArea } from '../../src/app/groups/topic-areas.ts';
import { createToken } from '../../src/app/people/tokens.ts';
import { createHttpApp } from '../../src/http/server.ts';
import type { WebConfig } from '../../src/http/web/config.ts';
import { databases } from '../support/databases.ts';
import { openDemoHub, person, type TestHub } from '../support/hub.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';

const demo: WebConfig = { oidc: null, publicUrl: null, secureCookies: true, sessionHours: 24 };

describe.each(databases)('group pages for facilitators on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  beforeEach(async () => {
    hub = await openDemoHub(database);
    app = createHttpApp(hub, undefined, { web: demo });
  });
  afterEach(async () => hub?.close());

  it("a lead sets a member's level; someone else sees no form and is told why in words", async () => {
    const jonas = await signInAs(app, 'jonas');
    const seen = await jonas.get('/groups/hosting');
    expect(seen.html).not.toContain('action="/groups/hosting/members/level"');
    // a member is told who may, in words
    expect(pageText(seen.html)).toMatch(/Only .* may change a member's level in the group/);
    const refused = await jonas.post('/groups/hosting/members/level', { handle: 'jonas', level: 'lead' });
    expect(refused.status).toBe(403);
    expect(pageText(refused.html)).toMatch(/Only .* may change a member's level in the group/);
    expect(refused.html).not.toContain('group.setMemberLevel');

    const sam = await signInAs(app, 'sam-lead');
    expect((await sam.get('/groups/hosting')).html).toContain('action="/groups/hosting/members/level"');
    const bad = await sam.post('/groups/hosting/members/level', { handle: 'jonas', level: 'chief' });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('Level: must be one of');
    expect(bad.html).toContain('value="jonas"');
    // the person is the form's field: nobody typed, or a handle nobody has, is said beside it
    const empty = await sam.post('/groups/hosting/members/level', { handle: '', level: 'member' });
    expect(empty.status).toBe(422);
    expect(pageText(empty.html)).toContain('Person (handle): is required');
    const typo = await sam.post('/groups/hosting/members/level', { handle: '@jonsa', level: 'member' });
    expect(typo.status).toBe(422);
    expect(pageText(typo.html)).toContain("Person (handle): nobody here has the handle 'jonsa'");
    // and what to do about it: someone not in the hub yet becomes a person by signing in once
    expect(pageText(typo.html)).toContain(
      'check its spelling on the People page, or ask them to sign in once, which makes them a person here',
    );
    expect(typo.html).toContain('value="@jonsa"');
    const ok = await sam.post('/groups/hosting/members/level', { handle: 'jonas', level: 'member' });
    expect(ok.status).toBe(303);
    expect((await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'jonas')?.level).toBe('member');
  });

  it("a page refused by its address leads back to the thing's own page and to who may do what, not only to the start", async () => {
    // the charter's edit page, reached from a link a lead shared: it said who may, then "Back to the start"
    const jonas = await signInAs(app, 'jonas');
    const refused = await jonas.get('/groups/hosting/charter/edit');
    expect(refused.status).toBe(403);
    expect(pageText(refused.html)).toMatch(/Only .* may edit the group's charter/);
    expect(pageText(refused.html)).toContain('Back to its page : it shows what is yours to do there.');
    expect(refused.html).toContain('<a href="/groups/hosting">Back to its page</a>');
    expect(refused.html).toContain('<a href="/how-we-work#who-may-do-what">Who may do what</a>');
  });

  it('a lead removes someone set by mistake, choosing them from the members; the only lead is refused in words', async () => {
    const sam = await signInAs(app, 'sam-lead');
    // a slip: jonas made a member when amara was meant
    await sam.get('/groups/hosting');
    expect((await sam.post('/groups/hosting/members/level', { handle: 'jonas', level: 'member' })).status).toBe(303);
    const page = await sam.get('/groups/hosting');
    expect(page.html).toContain('action="/groups/hosting/members/remove"');
    expect(pageText(page.html)).toContain('Remove someone from the group');
    // the choice lists the others in the group, not the lead choosing
    expect(page.html).toMatch(/<option value="jonas"[^>]*>Jonas Berg \(@jonas\), member<\/option>/);
    expect(page.html).not.toContain('<option value="sam-lead"');
    const none = await sam.post('/groups/hosting/members/remove', { handle: '' });
    expect(none.status).toBe(422);
    expect(pageText(none.html)).toContain('Person: is required: choose whom to remove');
    const lead = await sam.post('/groups/hosting/members/remove', { handle: 'sam-lead' });
    // refused as leaving is (403, the reason in words), not as a mistake in the field
    expect(lead.status).toBe(403);
    expect(pageText(lead.html)).toContain("sam-lead is the group's only active lead: make someone else a lead first");
    const ok = await sam.post('/groups/hosting/members/remove', { handle: 'jonas' });
    expect(ok.status).toBe(303);
    expect(pageText((await sam.get('/groups/hosting')).html)).toContain(
      'jonas is no longer in the group, and is told so.',
    );
    expect((await getGroup(hub, 'hosting')).members.map((m) => m.handle)).not.toContain('jonas');
    // one who does not run the group is refused in the policy's words, and offered no form
    const priya = await signInAs(app, 'priya');
    expect((await priya.get('/groups/hosting')).html).not.toContain('action="/groups/hosting/members/remove"');
    await priya.get('/groups/hosting');
    const refused = await priya.post('/groups/hosting/members/remove', { handle: 'amara' });
    expect(refused.status).toBe(403);
    expect(pageText(refused.html)).toMatch(/Only .* may change a member's level in the group/);
    // REST removes through the same use case
    const token = (await createToken(hub, SYSTEM, 'sam-lead')).token;
    const rest = await app.request('/api/groups/hosting/members/amara', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { items: { handle: string }[] }).items.map((m) => m.handle)).not.toContain('amara');
  });

  it('removing by a handle of nobody, or of someone not in the group: 404 on the REST path, 422 beside the web field', async () => {
    const token = (await createToken(hub, SYSTEM, 'sam-lead')).token;
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/hosting');
    // a person here who is not in the group
    await person(hub, 'lee');
    const inGroup = (await getGroup(hub, 'hosting')).members.map((m) => m.handle);
    expect(inGroup).not.toContain('lee');
    for (const [handle, rule] of [
      ['kai', "nobody here has the handle 'kai'"],
      ['lee', 'lee is not in the group'],
    ] as const) {
      // REST: the path names a membership that does not exist
      const rest = await app.request(`/api/groups/hosting/members/${handle}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(rest.status).toBe(404);
      expect(rest.headers.get('content-type')).toContain('application/problem+json');
      // the web: the handle is a field of the form, and the problem is told beside it
      const web = await sam.post('/groups/hosting/members/remove', { handle });
      expect(web.status).toBe(422);
      expect(pageText(web.html)).toContain(`Person: ${rule}`);
    }
    expect((await getGroup(hub, 'hosting')).members.map((m) => m.handle)).toEqual(inGroup);
  });

  it('a lead adds a topic area (bad input names the field and keeps the text), a facilitator edits it', async () => {
    const sam = await signInAs(app, 'sam-lead');
    expect((await sam.get('/groups/hosting')).html).toContain('href="/groups/hosting/topics/new"');
    expect((await sam.get('/groups/hosting/topics/new')).html).toContain(
      '<a href="/groups/hosting">Hosting</a> › <a href="/groups/hosting#topics">Topic areas</a>',
    );
    // whoever may not add one is told why, not offered a form every send of which is refused
    const jonas = await signInAs(app, 'jonas');
    const refused = await jonas.get('/groups/hosting/topics/new');
    expect(refused.status).toBe(403);
    expect(refused.html).not.toContain('action="/groups/hosting/topics/new"');
    const bad = await sam.post('/groups/hosting/topics/new', {
      slug: 'Session Resumption',
      name: 'Session resumption',
      goal: 'both',
      facilitators: 'priya',
    });
    expect(bad.status).toBe(422);
    expect(pageText(bad.html)).toContain('Short name: must be lowercase letters');
    expect(bad.html).toContain('value="Session resumption"');
    const ok = await sam.post('/groups/hosting/topics/new', {
      slug: 'session-resumption',
      name: 'Session resumption',
      goal: 'specification-change',
      description: 'Resuming a stream on another server.',
      facilitators: 'priya',
    });
    expect(ok.status).toBe(303);

    const priya = await signInAs(app, 'priya');
    const form = await priya.get('/groups/hosting/topics/session-resumption/edit');
    expect(form.status).toBe(200);
    // who facilitates it is the leads' choice: she reads so where she would change it, and is refused
    // she facilitates it alone, and a topic area keeps one: the hint says how she may still step down
    expect(pageText(form.html)).toContain(
      "The group's leads choose who facilitates it. You are its only facilitator and a topic area keeps at least one: to step down, ask the leads to name another, then take your handle (priya) off the list and save.",
    );
    const emptied = await priya.post('/groups/hosting/topics/session-resumption/edit', {
      version: String((await getTopicArea(hub, 'hosting', 'session-resumption')).version),
      name: 'Session resumption',
      goal: 'both',
      facilitators: '',
    });
    expect(emptied.status).toBe(422);
    expect(pageText(emptied.html)).toContain('Facilitators (handles): must name at least one facilitator');
    const added = await priya.post('/groups/hosting/topics/session-resumption/edit', {
      version: String((await getTopicArea(hub, 'hosting', 'session-resumption')).version),
      name: 'Session resumption',
      goal: 'both',
      facilitators: 'priya sam-lead',
    });
    expect(added.status).toBe(403);
    expect(pageText(added.html)).toMatch(/Only .* may choose this topic area's facilitators/);
    const version = String((await getTopicArea(hub, 'hosting', 'session-resumption')).version);
    const saved = await priya.post('/groups/hosting/topics/session-resumption/edit', {
      version,
      name: 'Session resumption',
      goal: 'both',
      description: 'Resuming a stream on another server.',
      cadence: 'every two weeks',
      facilitators: 'priya',
    });
    expect(saved.status).toBe(303);
    expect((await getTopicArea(hub, 'hosting', 'session-resumption')).cadence).toBe('every two weeks');
    // the same old form again: refused as stale, nothing overwritten
    const stale = await priya.post('/groups/hosting/topics/session-resumption/edit', {
      version,
      name: 'Overwritten',
      goal: 'both',
      facilitators: 'priya',
    });
    expect(stale.status).toBe(409);
    expect((await getTopicArea(hub, 'hosting', 'session-resumption')).name).toBe('Session resumption');
    // the refused form shows what is stored now where it differs, beside what was typed, so a second
    // save is a merge and not a blind overwrite of a change never seen
    const shown = pageText(stale.html);
    expect(shown).toContain('The topic area as it is now');
    const storedNow = shown.slice(shown.indexOf('The topic area as it is now'), shown.indexOf('Save the topic area'));
    expect(storedNow).toContain('Session resumption');
    expect(storedNow).toContain('every two weeks');
    expect(stale.html).toMatch(/name="name"[^>]*value="Overwritten"|value="Overwritten"[^>]*name="name"/);

    const amara = await signInAs(app, 'amara');
    const denied = await amara.get('/groups/hosting/topics/session-resumption/edit');
    expect(denied.status).toBe(403);
    expect(denied.html).not.toContain('action="/groups/hosting/topics/session-resumption/edit"');
  });

  it('a facilitator who is no lead steps down from the form: told so, off the list, and no longer offered the form', async () => {
    const priya = await signInAs(app, 'priya');
    const form = pageText((await priya.get('/groups/hosting/topics/horizontal-scaling/edit')).html);
    expect(form).toContain('you then no longer edit this topic area or run its meetings');
    // her handle typed in another case keeps her on: she is not told she stepped down
    const kept = await getTopicArea(hub, 'hosting', 'horizontal-scaling');
    const same = await priya.post('/groups/hosting/topics/horizontal-scaling/edit', {
      version: String(kept.version),
      name: kept.name,
      goal: kept.goal,
      description: kept.description,
      cadence: kept.cadence ?? '',
      facilitators: kept.facilitators.map((f) => f.handle.toUpperCase()).join(' '),
    });
    expect(same.status).toBe(303);
    expect(pageText((await priya.get(same.location!)).html)).not.toContain('You stepped down');
    const t = await getTopicArea(hub, 'hosting', 'horizontal-scaling');
    const saved = await priya.post('/groups/hosting/topics/horizontal-scaling/edit', {
      version: String(t.version),
      name: t.name,
      goal: t.goal,
      description: t.description,
      cadence: t.cadence ?? '',
      facilitators: 'sam-lead',
    });
    expect(saved.status).toBe(303);
    expect(pageText((await priya.get(saved.location!)).html)).toContain(
      'The topic area is saved. You stepped down: you no longer facilitate it',
    );
    expect((await getTopicArea(hub, 'hosting', 'horizontal-scaling')).facilitators.map((f) => f.handle)).toEqual([
      'sam-lead',
    ]);
    expect((await priya.get('/groups/hosting/topics/horizontal-scaling/edit')).status).toBe(403);
    // a lead's save that keeps them on says only that it is saved
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/hosting/topics/horizontal-scaling/edit');
    const again = await sam.post('/groups/hosting/topics/horizontal-scaling/edit', {
      version: String((await getTopicArea(hub, 'hosting', 'horizontal-scaling')).version),
      name: t.name,
      goal: t.goal,
      description: t.description,
      facilitators: 'sam-lead',
    });
    expect(again.status).toBe(303);
    const after = pageText((await sam.get(again.location!)).html);
    expect(after).toContain('The topic area is saved.');
    expect(after).not.toContain('You stepped down');
  });

  it('a new topic area names every mistake at once: each wrong facilitator and the missing goal, in one answer', async () => {
    const sam = await signInAs(app, 'sam-lead');
    await sam.get('/groups/hosting/topics/new');
    // a contributor, a handle nobody has, and no goal chosen: three fixes, not three round trips
    const refused = await sam.post('/groups/hosting/topics/new', {
      slug: 'multi-tenancy',
      name: 'Multi-tenancy',
      description: 'Many tenants on one server.',
      facilitators: 'amara priya nobody-zz',
    });
    expect(refused.status).toBe(422);
    const said = pageText(refused.html);
    expect(said).toContain('What will it produce: choose one of the options');
    expect(said).toContain('Facilitators (handles), entry 1: amara is a contributor');
    expect(said).toContain("Facilitators (handles), entry 3: no person 'nobody-zz'");
    // beside the input too, each wrong entry, not the first alone
    const beside = /<p class="field-error" id="f-facilitators-error">(.*?)<\/p>/s.exec(refused.html)?.[1] ?? '';
    expect(beside).toContain('entry 1: amara is a contributor');
    expect(beside).toContain('entry 3: no person &#39;nobody-zz&#39;');
    expect(refused.html).toContain('value="amara priya nobody-zz"');
    // a short name taken is said with them
    const taken = await sam.post('/groups/hosting/topics/new', {
      slug: 'horizontal-scaling',
      name: 'Multi-tenancy',
      goal: 'both',
      facilitators: 'nobody-zz',
    });
    expect(pageText(taken.html)).toContain("Short name: hosting already has a topic area 'horizontal-scaling'");
    expect(pageText(taken.html)).toContain("Facilitators (handles), entry 1: no person 'nobody-zz'");
    await expect(getTopicArea(hub, 'hosting', 'multi-tenancy')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('a topic area facilitator must hold the role a lead must: a contributor named is refused by entry, the text kept', async () => {
    const sam = await signInAs(app, 'sam-lead');
    expect((await sam.get('/groups/hosting/topics/new')).status).toBe(200);
    // amara is a contributor on the ladder: the rule that refuses her as a lead refuses her as a facilitator
    const typed = {
      slug: 'resumability',
      name: 'Resumable streams',
      goal: 'both',
      description: 'Resuming a dropped stream.',
      facilitators: 'priya amara',
    };
    const refused = await sam.post('/groups/hosting/topics/new', typed);
    expect(refused.status).toBe(422);
    expect(pageText(refused.html)).toContain(
      'Facilitators (handles), entry 2: amara is a contributor; leads and facilitators must hold at least the member role',
    );
    expect(refused.html).toContain('value="priya amara"');
    expect(refused.html).toContain('value="Resumable streams"');
    await expect(getTopicArea(hub, 'hosting', 'resumability')).rejects.toMatchObject({ kind: 'not_found' });
    // the same on an edit: adding her is refused, saving the area with its present facilitators is not
    const ok = await sam.post('/groups/hosting/topics/new', { ...typed, facilitators: 'priya' });
    expect(ok.status).toBe(303);
    const version = String((await getTopicArea(hub, 'hosting', 'resumability')).version);
    const added = await sam.post('/groups/hosting/topics/resumability/edit', { ...typed, version });
    expect(added.status).toBe(422);
    expect(pageText(added.html)).toContain('amara is a contributor');
    expect((await getTopicArea(hub, 'hosting', 'resumability')).facilitators.map((f) => f.handle)).toEqual(['priya']);
    const kept = await sam.post('/groups/hosting/topics/resumability/edit', {
      ...typed,
      version,
      facilitators: 'priya',
      cadence: 'every two weeks',
    });
    expect(kept.status).toBe(303);
  });

  it("the join control is the group's `can.join`: the levels it offers, or why not in words", async () => {
    const visitor = new WebClient(app);
    const seen = pageText((await visitor.get('/groups/hosting')).html);
    expect(seen).toContain('Sign in to join this group.');
    expect((await visitor.get('/groups/hosting')).html).not.toContain('action="/groups/hosting/join"');
    // amara is no member of Security: she is offered exactly the levels anyone may join at
    const amara = await signInAs(app, 'amara');
    const page = (await amara.get('/groups/security')).html;
    const offered = [...page.matchAll(/<option value="(\w+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(expect.arrayContaining([...hub.governance.membership.selfServiceLevels]));
    expect(page).toContain('action="/groups/security/join"');
    // a retired group takes nobody, and says so instead of showing the form
    await moveGroup(hub, SYSTEM, 'security', { to: 'retired' });
    const retired = (await amara.get('/groups/security')).html;
    expect(retired).not.toContain('action="/groups/security/join"');
    expect(pageText(retired)).toContain('The group is retired and takes no new members');
    expect(pageText(retired)).not.toMatch(/group\.join/);
  });

  it('an emeritus member is offered a way back and comes back; an active member is offered no join form', async () => {
    // priya, a member of Hosting, takes no part for longer than the inactivity period
    const days = hub.governance.membership.inactivityDays + 1;
    hub.clock.set(new Date(hub.clock.now().getTime() + days * 86_400_000).toISOString());
    expect((await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'priya')?.emeritus).toBe(true);
    const priya = await signInAs(app, 'priya');
    const away = await priya.get('/groups/hosting');
    expect(pageText(away.html)).toContain('You are an emeritus member of this group');
    expect(away.html).toContain('action="/groups/hosting/join"');
    const back = await priya.post('/groups/hosting/join', { level: 'observer', back: '1' });
    expect(back.status, pageText(back.html)).toBe(303);
    // she comes back at the level she held, not the one the form carries
    expect((await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'priya')).toMatchObject({
      level: 'member',
      emeritus: false,
    });
    const active = await priya.get('/groups/hosting');
    expect(pageText(active.html)).toContain('Welcome back to Hosting');
    expect(pageText(active.html)).toContain('You are a member of this group');
    expect(active.html).not.toContain('action="/groups/hosting/join"');
    // the same post sent again (a double click) changes nothing
    expect((await priya.post('/groups/hosting/join', { level: 'observer', back: '1' })).status).toBe(303);
    expect((await getGroup(hub, 'hosting')).members.find((m) => m.handle === 'priya')?.level).toBe('member');
  });

  it('a member proposes a group, two core maintainers sponsor it and one moves it to active; a member leaves', async () => {
    const priya = await signInAs(app, 'priya');
    expect((await priya.get('/groups')).html).toContain('href="/groups/new"');
    expect((await priya.get('/groups/new')).html).toContain('action="/groups/new"');
    const proposed = await priya.post('/groups/new', {
      name: 'Registry',
      slug: 'registry',
      kind: 'working',
      mission: 'Agree how MCP servers are published to and found in registries.',
      scopeIn: 'Server metadata\nNamespaces',
      leads: 'priya',
    });
    expect(proposed.status, pageText(proposed.html)).toBe(303);
    expect((await getGroup(hub, 'registry')).status).toBe('proposed');
    // its proposer is told whom to ask: the people whose role may sponsor it
    const asking = pageText((await priya.get('/groups/registry')).html);
    expect(asking).toMatch(/Who may sponsor it: .*Kai .*\(@kai-core, core maintainer\)/);
    expect(asking).toContain('Inês Moreira (@ines-core, core maintainer)');
    expect(asking).toContain('Lena Okafor (@lena-core, lead maintainer)');
    // the rule in words, as the form said it, not the governance file's role keys
    expect(asking).toContain('Sponsorship: not met yet (2 core maintainers or 1 lead maintainer; no sponsors yet).');

    const kai = await signInAs(app, 'kai-core');
    const page = pageText((await kai.get('/groups/registry')).html);
    expect(page).toContain('Run this group');
    expect(page).toContain(
      'Sponsoring vouches for the group and its leadership (2 core maintainers or 1 lead maintainer).',
    );
    expect((await kai.post('/groups/registry/sponsor', {})).status).toBe(303);
    // one who sponsored is no longer among those to ask
    expect((await getGroup(hub, 'registry')).sponsorship.whoMay.map((p) => p.handle)).not.toContain('kai-core');
    const early = await kai.post('/groups/registry/move', { to: 'active' });
    expect(early.status).toBe(422);
    expect(pageText(early.html)).toContain('needs sponsorship');
    const ines = await signInAs(app, 'ines-core');
    await ines.get('/groups/registry');
    await ines.post('/groups/registry/sponsor', {});
    expect((await ines.post('/groups/registry/move', { to: 'active' })).status).toBe(303);
    expect((await getGroup(hub, 'registry')).status).toBe('active');

    const amara = await signInAs(app, 'amara');
    await amara.get('/groups/hosting');
    await amara.post('/subscriptions', { subjectType: 'group', subjectRef: 'hosting', level: 'watching' });
    const home = await amara.get('/groups/hosting');
    expect(home.html).toContain('action="/groups/hosting/leave"');
    // what leaving does to what she hears is said before she leaves, and after
    expect(pageText(home.html)).toContain(
      'Leaving ends your membership, and with it what you chose to hear of the group and its topic areas (watching or muted)',
    );
    const watching = () =>
      hub.store.db
        .selectFrom('notification_subscriptions')
        .select('level')
        .where('subject_type', '=', 'group')
        .where('subject_ref', '=', 'hosting')
        .execute();
    expect(await watching()).toEqual([{ level: 'watching' }]);
    const left = await amara.post('/groups/hosting/leave', {});
    expect(left.status).toBe(303);
    expect(pageText((await amara.get(left.location!)).html)).toContain(
      'You have left the group. You no longer watch it or its topic areas: its news stops, except what is about you (your proposals, mentions). Joining again starts from the defaults.',
    );
    expect((await getGroup(hub, 'hosting')).members.some((m) => m.handle === 'amara')).toBe(false);
    expect(await watching()).toEqual([]);
    // the only lead is told to hand over first, in words
    const sam = await signInAs(app, 'sam-lead');
    expect(pageText((await sam.get('/groups/hosting')).html)).toContain("You are the group's only lead");
  });

  it('a group proposed naming others as leads says at each step what it waits for, and on whom', async () => {
    // one who may not propose is told who may, not shown a list with no way in
    expect(pageText((await (await signInAs(app, 'jonas')).get('/groups')).html)).toContain(
      'Only a member or above on the contributor ladder may propose a group.',
    );
    const priya = await signInAs(app, 'priya');
    // the mission's least length is said before the form refuses it
    expect(pageText((await priya.get('/groups/new')).html)).toContain(
      'What problem space the group addresses, in a sentence or more (at least 20 characters).',
    );
    const propose = (slug: string, leads: string) =>
      priya.post('/groups/new', {
        name: slug,
        slug,
        kind: 'working',
        mission: 'Agree how traces cross the hops between MCP servers.',
        scopeIn: 'Trace context',
        leads,
      });
    const proposed = await propose('tracing', 'sam-lead');
    expect(proposed.status).toBe(303);
    const page = pageText((await priya.get(proposed.location!)).html);
    // its proposer does not lead it: the flash names the lead it waits for, not only its sponsors
    expect(page).toContain(
      'The group is proposed. It becomes active once it is sponsored and has a lead: \u2068Sam Rivera\u2069 (@sam-lead) is invited as lead and leads once they accept. Its page lists who may sponsor it.',
    );
    // nobody is in it yet: said, not an empty table
    expect(page).toContain('Nobody is in the group yet.');
    expect(page).not.toContain('By organisation');

    // Sam accepts; as its lead he reads what it still waits for, not "nothing is waiting"
    const sam = await signInAs(app, 'sam-lead');
    const accept = /action="(\/groups\/tracing\/invitations\/[^/]+\/accept)"/.exec(
      (await sam.get('/groups/tracing')).html,
    )![1]!;
    expect((await sam.post(accept, {})).status).toBe(303);
    const lead = pageText((await sam.get('/groups/tracing')).html);
    expect(lead).toContain(
      'Proposed, not active yet : tracing becomes active once it has sponsors (2 core maintainers or 1 lead maintainer; none yet). Members says who may sponsor it and who is invited to lead.',
    );
    expect(lead).not.toContain('Nothing is waiting');
    // sponsored: what is left is the move, which is not his to make; whose it is, is said
    const lena = await signInAs(app, 'lena-core');
    await lena.get('/groups/tracing');
    expect((await lena.post('/groups/tracing/sponsor', {})).status).toBe(303);
    expect(pageText((await sam.get('/groups/tracing')).html)).toContain(
      'Proposed, ready to move to active : its sponsorship is met and it has a lead; a core maintainer or a lead maintainer moves it.',
    );

    // sponsorship met while the one named as lead has not accepted: the flash says the move waits on them
    await propose('logs', 'kai-core');
    await lena.get('/groups/logs');
    const sponsored = await lena.post('/groups/logs/sponsor', {});
    expect(sponsored.status).toBe(303);
    const after = pageText((await lena.get(sponsored.location!)).html);
    expect(after).toContain(
      'You sponsor the group. Its sponsorship is met; it may move to active once it has a lead: \u2068Kai Tanaka\u2069 (@kai-core) is invited as lead and leads once they accept.',
    );
    expect(after).not.toContain('it may now move to active');
  });
});
