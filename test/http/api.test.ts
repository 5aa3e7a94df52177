import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createToken } from '../../src/app/people/tokens.ts';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { databases } from '../support/databases.ts';
import { asActor, openTestHub, person, type TestHub } from '../support/hub.ts';

describe.each(databases)('REST API on $name', (database) => {
  let hub: TestHub;
  let app: ReturnType<typeof createHttpApp>;
  let sam: string;
  let kai: string;
  let ines: string;
  let jonas: string;

  const call = (method: string, path: string, opts: { token?: string; body?: unknown; ifMatch?: string } = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(opts.ifMatch ? { 'If-Match': opts.ifMatch } : {}),
      },
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });

  beforeEach(async () => {
    hub = await openTestHub(database);
    app = createHttpApp(hub);
    await person(hub, 'sam', { role: 'member', org: 'Galactic Hosting Corporation' });
    await person(hub, 'kai', { role: 'core-maintainer', org: 'Nebula Tools' });
    await person(hub, 'ines', { role: 'core-maintainer', org: 'Lisbon Labs' });
    await person(hub, 'jonas', { role: 'contributor', org: 'Galactic Hosting Corporation', accepted: false });
    sam = (await createToken(hub, SYSTEM, 'sam')).token;
    kai = (await createToken(hub, SYSTEM, 'kai')).token;
    ines = (await createToken(hub, SYSTEM, 'ines')).token;
    jonas = (await createToken(hub, SYSTEM, 'jonas')).token;
  });
  afterEach(async () => hub?.close());

  const proposal = {
    slug: 'hosting',
    name: 'Hosting',
    kind: 'working',
    mission: 'Share practices for hosting MCP servers at scale and propose changes where hosting hits limits.',
    scopeIn: ['Transport behaviour behind load balancers'],
    leads: ['sam'],
  };

  it('a group goes proposed → active only once two core maintainers sponsor it', async () => {
    const created = await call('POST', '/api/groups', { token: sam, body: proposal });
    expect(created.status).toBe(201);
    const g = await created.json();
    expect(g).toMatchObject({ slug: 'hosting', status: 'proposed', sponsorship: { met: false } });
    expect(g.members).toEqual([
      expect.objectContaining({ handle: 'sam', level: 'lead', organisation: 'Galactic Hosting Corporation' }),
    ]);
    expect(g.charter.leadership).toEqual([expect.objectContaining({ role: 'Lead', name: 'Sam', github: 'sam' })]);

    await call('POST', '/api/groups/hosting/sponsors', { token: kai });
    const early = await call('POST', '/api/groups/hosting/status', { token: kai, body: { to: 'active' } });
    expect(early.status).toBe(422);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    expect((await early.json()).errors[0]).toMatchObject({
      field: 'to',
      rule: expect.stringContaining('2 core maintainers or 1 lead maintainer'),
    });

    await call('POST', '/api/groups/hosting/sponsors', { token: ines });
    const bySam = await call('POST', '/api/groups/hosting/status', { token: sam, body: { to: 'active' } });
    expect(bySam.status).toBe(403);
    const ok = await call('POST', '/api/groups/hosting/status', { token: kai, body: { to: 'active' } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).status).toBe('active');
    const listed = await (await call('GET', '/api/groups?status=active')).json();
    expect(listed.items.map((x: { slug: string }) => x.slug)).toEqual(['hosting']);
  });

  it('writes need a token: 401 with WWW-Authenticate that says how to get one', async () => {
    const r = await call('POST', '/api/groups', { body: proposal });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="wghub"');
    expect((await r.json()).detail).toContain('wghub token create --person HANDLE');
    const bad = await call('POST', '/api/groups', { token: 'wgh_forged', body: proposal });
    expect(bad.status).toBe(401);
  });

  it('a moderator adds a person with an organisation nobody has named yet, and /api/me says they may', async () => {
    await person(hub, 'mo', { role: 'moderator' });
    const mo = (await createToken(hub, SYSTEM, 'mo')).token;
    const me = await (await call('GET', '/api/me', { token: mo })).json();
    expect(me.can.addOrganisation).toEqual({ allowed: true });
    const r = await call('POST', '/api/people', {
      token: mo,
      body: {
        handle: 'ada',
        name: 'Ada',
        timeZone: 'UTC',
        email: 'ada@example.org',
        affiliations: [{ organisation: 'Analytical Engines' }],
      },
    });
    expect(r.status).toBe(201);
    const body = (await r.clone().json()) as { invitation: unknown };
    // whether the address given was mailed an invitation, in words (this hub sends no mail)
    expect(body.invitation).toEqual({ mailed: false, status: expect.stringContaining('this hub sends no mail') });
    expect((await r.json()).affiliations.map((a: { organisation: { name: string } }) => a.organisation.name)).toEqual([
      'Analytical Engines',
    ]);
    const anonymous = await (await call('GET', '/api/people/ada')).json();
    expect(anonymous.can.addOrganisation).toEqual({ allowed: false, reason: 'Sign in first', remedy: 'sign-in' });
  });

  it('someone who has not accepted the Code of Conduct is refused with links to the texts', async () => {
    await call('POST', '/api/groups', { token: sam, body: proposal });
    const r = await call('POST', '/api/groups/hosting/members', { token: jonas, body: { level: 'participant' } });
    expect(r.status).toBe(403);
    const p = await r.json();
    expect(p.detail).toBe('Accept the MCP Code of Conduct and the contribution terms first');
    expect(p.remedy).toBe('accept-agreements');
    const accept = await call('POST', '/api/people/jonas/agreements', {
      token: jonas,
      body: { codeOfConduct: '2025-05', contributionTerms: 'MIT' },
    });
    expect(accept.status).toBe(200);
    const member = await call('POST', '/api/groups/hosting/members', { token: jonas, body: { level: 'member' } });
    expect(member.status).toBe(422);
    const again = await call('POST', '/api/groups/hosting/members', { token: jonas, body: { level: 'participant' } });
    expect(again.status).toBe(200);
  });

  it('bad input answers problem+json naming each field and rule, and stores nothing', async () => {
    const r = await call('POST', '/api/groups', {
      token: sam,
      body: { ...proposal, slug: 'Not A Slug', kind: 'club', scopeIn: [], extra: 1 },
    });
    expect(r.status).toBe(422);
    const p = await r.json();
    const fields = p.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'kind', 'scopeIn', 'extra']));
    expect(p.errors.find((e: { field: string }) => e.field === 'scopeIn').rule).toBe(
      'must list at least one thing in scope',
    );
    // an empty short name is told it is missing, once, not that its characters are wrong
    const empty = await call('POST', '/api/groups', { token: sam, body: { ...proposal, slug: '' } });
    expect((await empty.json()).errors).toEqual([{ field: 'slug', rule: 'must not be empty' }]);
    const notJson = await call('POST', '/api/groups', { token: sam, body: '{nope' });
    expect((await notJson.json()).errors).toEqual([{ field: '(body)', rule: 'must be JSON' }]);
    expect((await (await call('GET', '/api/groups')).json()).items).toEqual([]);
  });

  it('a write that takes no body refuses one that says something, and records nothing', async () => {
    await call('POST', '/api/groups', { token: sam, body: proposal });
    const before = await (await call('GET', '/api/groups/hosting')).text();
    // a sponsor's reason sent along was dropped without a word: the caller believed it recorded
    const said = await call('POST', '/api/groups/hosting/sponsors', { token: kai, body: { reason: 'we host it' } });
    expect(said.status).toBe(422);
    expect((await said.json()).errors).toEqual([
      { field: 'reason', rule: 'is not a field here (POST /api/groups/{slug}/sponsors takes no body)' },
    ]);
    const list = await call('POST', '/api/groups/hosting/sponsors', { token: kai, body: '[1]' });
    expect((await list.json()).errors).toEqual([
      { field: '(body)', rule: 'must be empty: POST /api/groups/{slug}/sponsors takes no body' },
    ]);
    expect(await (await call('GET', '/api/groups/hosting')).text()).toBe(before);
    // nothing, an empty object or null is no body, whatever it is labelled (curl -d '{}' says it is a form)
    const form = await app.request('/api/groups/hosting/sponsors', {
      method: 'POST',
      headers: { Authorization: `Bearer ${kai}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '{}',
    });
    expect(form.status).toBe(200);
    expect((await call('POST', '/api/groups/hosting/sponsors', { token: ines, body: 'null' })).status).toBe(200);
    expect((await (await call('GET', '/api/groups/hosting')).json()).sponsorship.met).toBe(true);
  });

  it('updates need If-Match; a stale ETag gets 409 with the current version and nothing is overwritten', async () => {
    await call('POST', '/api/groups', { token: sam, body: proposal });
    const read = await call('GET', '/api/groups/hosting');
    const tag = read.headers.get('etag')!;
    expect(tag).toMatch(/^"v1-[0-9a-f]{16}"$/);
    const missing = await call('PATCH', '/api/groups/hosting', { token: sam, body: { name: 'Hosting WG' } });
    expect(missing.status).toBe(428);
    const first = await call('PATCH', '/api/groups/hosting', {
      token: sam,
      ifMatch: tag,
      body: {
        sections: [{ heading: 'Mission Statement', markdown: 'A better mission statement for the hosting group.' }],
        changelog: 'Mission clarified',
      },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toMatch(/^"v2-[0-9a-f]{16}"$/);
    const second = await call('PATCH', '/api/groups/hosting', {
      token: sam,
      ifMatch: tag,
      body: { name: 'Overwrite attempt' },
    });
    expect(second.status).toBe(409);
    expect(second.headers.get('etag')).toBe('"v2"');
    const body = await second.json();
    expect(body.currentVersion).toBe(2);
    expect(body.current.charter.mission).toContain('A better mission statement');
    const now = await (await call('GET', '/api/groups/hosting')).json();
    expect(now.name).toBe('Hosting');
    expect(now.charter.changelog[0]).toMatchObject({ change: 'Mission clarified' });
    const md = await (await call('GET', '/api/groups/hosting/charter.md')).text();
    expect(md).toContain('A better mission statement for the hosting group.');
    const typo = await call('PATCH', '/api/groups/hosting', {
      token: sam,
      ifMatch: '"v2"',
      body: { sections: [{ heading: 'Misson', markdown: 'x' }] },
    });
    expect((await typo.json()).errors[0]).toMatchObject({
      field: 'sections[0].heading',
      rule: expect.stringContaining('Mission Statement'),
    });
  });

  it('If-Match compares strongly: a weak ETag never matches (412 naming the header and the rule); * and lists are read as RFC 9110 says', async () => {
    await call('POST', '/api/groups', { token: sam, body: proposal });
    const read = await call('GET', '/api/groups/hosting');
    // the hub's own ETags are strong, so a client sends them back as given
    expect(read.headers.get('etag')).toMatch(/^"v1-[0-9a-f]{16}"$/);
    const rename = (ifMatch: string, token = sam) =>
      call('PATCH', '/api/groups/hosting', { token, ifMatch, body: { name: 'Hosting WG' } });
    const refusedWith = async (r: Response) => ({
      httpStatus: r.status,
      contentType: r.headers.get('content-type'),
      ...(await r.json()),
    });

    // the current version, but weak: it does not match, and nothing is written
    expect(await refusedWith(await rename('W/"v1"'))).toMatchObject({
      httpStatus: 412,
      contentType: 'application/problem+json',
      type: 'urn:wghub:problem:precondition-failed',
      status: 412,
      title: 'The If-Match condition does not hold',
      errors: [
        {
          field: 'If-Match',
          rule: expect.stringMatching(
            /^a weak validator \(W\/"…"\) never matches.*send the ETag as given, e\.g\. "v3" \(a proxy that compresses answers may have weakened it/,
          ),
        },
      ],
    });
    expect((await rename('w/"v1"')).status).toBe(422); // W/ is case-sensitive: w/ is no entity tag at all
    expect((await rename('W/"v1", W/"v2"')).status).toBe(412);
    expect((await (await call('GET', '/api/groups/hosting')).json()).name).toBe('Hosting');
    // a refusal for the condition comes after the token's: without one it is 401
    expect((await call('PATCH', '/api/groups/hosting', { ifMatch: 'W/"v1"', body: { name: 'x' } })).status).toBe(401);

    // * matches any version, so it would overwrite blind: an update must name the version it read
    const star = await rename('*');
    expect(star.status).toBe(422);
    expect((await star.json()).errors).toEqual([
      { field: 'If-Match', rule: expect.stringContaining('* matches any version') },
    ]);
    // a list passes when any tag in it is the current version (RFC 9110 §13.1.1), whichever comes first
    const several = await call('PATCH', '/api/groups/hosting', {
      token: sam,
      ifMatch: '"v9", "v1"',
      body: { name: 'Hosting Group' },
    });
    expect(several.status).toBe(200);
    expect(several.headers.get('etag')).toMatch(/^"v2-[0-9a-f]{16}"$/);
    // none of them current: the 409 with the current version, nothing written
    const noneCurrent = await rename('"v1", "v7"');
    expect(noneCurrent.status).toBe(409);
    expect(noneCurrent.headers.get('etag')).toBe('"v2"');
    // a list past its bound names If-Match
    const many = await rename(Array.from({ length: 21 }, (_, i) => `"v${i + 2}"`).join(', '));
    expect(many.status).toBe(422);
    expect((await many.json()).errors[0]).toMatchObject({ field: 'If-Match', rule: expect.stringContaining('20') });

    // a list with one strong tag: the weak ones never match, the strong one does
    const listed = await rename('W/"v2", "v2"');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('etag')).toMatch(/^"v3-[0-9a-f]{16}"$/);
    // the same version twice is still one version
    const twice = await call('PATCH', '/api/groups/hosting', {
      token: sam,
      ifMatch: '"v3" , "v3"',
      body: { name: 'Hosting Working Group' },
    });
    expect(twice.status).toBe(200);
    // a tag the hub never wrote ("v03" for "v3") names no version of ours
    const padded = await rename('"v03"');
    expect(padded.status).toBe(422);
    expect((await padded.json()).errors[0]).toMatchObject({ field: 'If-Match' });
    // and a strong tag that is stale is still the 409 with the current version
    const stale = await rename('W/"v4", "v1"');
    expect(stale.status).toBe(409);
    expect(stale.headers.get('etag')).toBe('"v4"');
  });

  it('topic areas must state their goal, and are created by group leads', async () => {
    await call('POST', '/api/groups', { token: sam, body: proposal });
    const noGoal = await call('POST', '/api/groups/hosting/topics', {
      token: sam,
      body: { slug: 'scaling', name: 'Scaling', facilitators: ['sam'] },
    });
    expect(noGoal.status).toBe(422);
    expect((await noGoal.json()).errors[0].field).toBe('goal');
    const byOutsider = await call('POST', '/api/groups/hosting/topics', {
      token: ines,
      body: { slug: 'scaling', name: 'Scaling', goal: 'both', facilitators: ['sam'] },
    });
    expect(byOutsider.status).toBe(201); // a core maintainer may
    const t = await (await call('GET', '/api/groups/hosting/topics/scaling')).json();
    expect(t).toMatchObject({
      goal: 'both',
      goalDescription: expect.stringContaining('common patterns and propose specification changes'),
      facilitators: [{ handle: 'sam' }],
    });
    const jonasTry = await call('POST', '/api/groups/hosting/topics', {
      token: jonas,
      body: { slug: 'x', name: 'X', goal: 'both', facilitators: ['sam'] },
    });
    expect(jonasTry.status).toBe(403);
  });

  it('serves an OpenAPI 3.1 document built from the input schemas', async () => {
    const doc = await (await call('GET', '/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const post = doc.paths['/api/groups'].post;
    expect(post.requestBody.content['application/json'].schema.properties.kind.enum).toEqual(['working', 'interest']);
    expect(post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/groups/{slug}'].patch.parameters.map((p: { name: string }) => p.name)).toEqual([
      'slug',
      'If-Match',
    ]);
    expect(doc.paths['/api/people'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['limit', 'cursor']);
    // a client checks a body by the patterns it reads here, which carry no flags: each accepts what the hub
    // accepts (written with /i, they refused a lower-case d-3 and, for a relation, the community's RFC-12)
    const pattern = (path: string, field: string) =>
      new RegExp(doc.paths[path].post.requestBody.content['application/json'].schema.properties[field].pattern, 'u');
    const relatedTo = pattern('/api/proposals/{ref}/relations', 'to');
    for (const to of ['SEP-2575', 'sep-2575', 'RFC-12', 'p-12', '#12', 'proposal:P-12', 'Proposal:p-12'])
      expect(relatedTo.test(to), to).toBe(true);
    expect(relatedTo.test('P-')).toBe(false);
    const decision = pattern('/api/meetings/{ref}/decisions', 'decision');
    expect(['D-3', 'd-3'].map((d) => decision.test(d))).toEqual([true, true]);
  });

  it('paginates lists with a cursor and explains a bad one', async () => {
    for (const slug of ['a-group', 'b-group', 'c-group'])
      await call('POST', '/api/groups', { token: sam, body: { ...proposal, slug, name: `Group ${slug}` } });
    const one = await (await call('GET', '/api/groups?limit=2')).json();
    expect(one.items.map((g: { slug: string }) => g.slug)).toEqual(['a-group', 'b-group']);
    const two = await (await call('GET', `/api/groups?limit=2&cursor=${one.nextCursor}`)).json();
    expect(two).toMatchObject({ items: [{ slug: 'c-group' }], nextCursor: null });
    const bad = await call('GET', '/api/groups?limit=1000');
    expect((await bad.json()).errors).toEqual([{ field: 'limit', rule: 'must be at most 200' }]);
  });

  // Number() reads each of these as a number, so a typo or a probe silently became another page.
  it.each(['0x10', '1e1', '', ' 2', '2.5', 'Infinity'])('refuses limit=%j, naming the field', async (limit) => {
    await call('POST', '/api/groups', { token: sam, body: proposal });
    const bad = await call('GET', `/api/groups?limit=${encodeURIComponent(limit)}`);
    expect(bad.status).toBe(422);
    const [error] = (await bad.json()).errors;
    expect(error.field).toBe('limit');
    expect(error.rule).toMatch(/^must be a whole number/);
    expect((await call('GET', '/api/groups?limit=007')).status).toBe(200);
  });

  it('the event log records every change and verifies over REST', async () => {
    await call('POST', '/api/groups', { token: sam, body: proposal });
    const log = await (await call('GET', '/api/events?limit=3')).json();
    expect(log.items[0]).toMatchObject({
      kind: 'group.proposed',
      actor: 'sam',
      subject: { type: 'group', id: 'hosting' },
    });
    // the log is public on purpose: anyone may read it and check its chain, signed in or not
    const anonymous = await (await call('GET', '/api/events?limit=1')).json();
    expect(anonymous.can).toEqual({ read: { allowed: true }, verify: { allowed: true } });
    expect((await (await call('GET', '/api/events/verify')).json()).ok).toBe(true);
    await hub.store.db.updateTable('events').set({ actor: 'mallory' }).where('kind', '=', 'group.proposed').execute();
    const v = await (await call('GET', '/api/events/verify')).json();
    expect(v.ok).toBe(false);
    expect(v.firstBroken.reason).toContain('this event was edited');
  });

  it('organisations and documents carry can: what the viewer may do, and why not in plain words', async () => {
    const visitor = await (await call('GET', '/api/organisations')).json();
    expect(visitor.can.add).toEqual({ allowed: false, reason: 'Sign in first', remedy: 'sign-in' });
    expect(visitor.items.find((o: { slug: string }) => o.slug === 'nebula-tools').can).toEqual({
      affiliate: { allowed: false, reason: 'Sign in first', remedy: 'sign-in' },
    });
    const mine = await (await call('GET', '/api/organisations', { token: jonas })).json();
    expect(mine.can).toEqual({ add: { allowed: true } });
    const one = await (await call('GET', '/api/organisations/lisbon-labs', { token: jonas })).json();
    expect(one).toMatchObject({
      name: 'Lisbon Labs',
      people: [{ handle: 'ines' }],
      can: { affiliate: { allowed: true } },
    });

    const { importArtifact } = await import('../../src/app/imports/artifacts.ts');
    // documents come from the group's repository: the operator imports them, a person may not
    await expect(importArtifact(hub, await asActor(hub, 'kai'), 'docs/guides/x.md', '# X', null)).rejects.toThrow(
      "Documents are imported from the working group's repository by the hub's operator",
    );
    await importArtifact(hub, SYSTEM, 'docs/guides/session affinity.md', '# Session affinity\n\nKeep sessions.', null);
    const doc = await (
      await call('GET', `/api/artifacts/${encodeURIComponent('docs/guides/session affinity.md')}`, { token: kai })
    ).json();
    expect(doc.title).toBe('Session affinity');
    expect(doc.can.edit).toEqual({
      allowed: false,
      reason:
        "This document is kept in the working group's repository: change it there, and the next import brings the change",
    });
    expect(JSON.stringify(doc.can)).not.toMatch(/\/api\/|artifact\.import|POST /);
  });

  it('unknown things are 404 problems', async () => {
    const r = await call('GET', '/api/groups/nope');
    expect(r.status).toBe(404);
    expect((await r.json()).detail).toBe("group 'nope' does not exist");
    expect((await call('GET', '/api/nothing-here')).status).toBe(404);
  });
});
