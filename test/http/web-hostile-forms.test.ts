// Found by fuzzing a running hub's forms on PostgreSQL: a NUL in the handle of "set a member's
// level" reached the database, which refused it, and the page answered "The server failed" (500).
// Round 8: a body whose Content-Type says multipart but is not was a 500 on every form, signed in
// or not, before its security token was even read.
import { describe, expect, it } from 'vitest';
import { databases } from '../support/databases.ts';
import { pageText, signInAs, WebClient } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

describe.each(databases)('hostile form fields on $name', (database) => {
  const web = webHubPerTest(database);

  it('a NUL in a handle is nobody: the form says so, no server error', async () => {
    const lead = await signInAs(web.app, 'sam-lead');
    await lead.get('/groups/hosting'); // the page the form is on, for its security token
    for (const handle of ['nul\u0000x', '\u0000']) {
      const r = await lead.post('/groups/hosting/members/level', { handle, level: 'member' });
      expect(r.status, JSON.stringify(handle)).toBeGreaterThanOrEqual(400);
      expect(r.status, JSON.stringify(handle)).toBeLessThan(500);
      // said beside the field, the NUL in the message shown as an escape
      expect(r.status, JSON.stringify(handle)).toBe(422);
      expect(pageText(r.html)).toMatch(/Person \(handle\): nobody here has the handle '(nul)?\\u0000x?'/);
    }
  });

  it('a field sent twice is refused naming it and nothing is written (round 16): the last was read and the other dropped without a word', async () => {
    const lead = await signInAs(web.app, 'sam-lead');
    await lead.get('/groups/hosting');
    const csrf = `_csrf=${encodeURIComponent(lead.csrf ?? '')}`;
    const levelOf = async (handle: string) =>
      (
        await web.hub.store.db
          .selectFrom('group_members as m')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .innerJoin('groups as g', 'g.id', 'm.group_id')
          .where('g.slug', '=', 'hosting')
          .where('p.handle', '=', handle)
          .select('m.level')
          .executeTakeFirst()
      )?.level ?? null;
    const before = await levelOf('amara');
    const twice = await lead.post(
      '/groups/hosting/members/level',
      {},
      {
        raw: {
          body: `${csrf}&handle=priya&handle=amara&level=observer&level=lead`,
          contentType: 'application/x-www-form-urlencoded',
        },
      },
    );
    expect(twice.status).toBe(422);
    expect(pageText(twice.html)).toContain('handle: is sent 2 times; this form takes it once');
    expect(pageText(twice.html)).toContain('level: is sent 2 times');
    expect(await levelOf('amara')).toBe(before);
    // the security token given twice is no different
    const token = await lead.post(
      '/groups/hosting/members/level',
      {},
      {
        raw: { body: `${csrf}&${csrf}&handle=amara&level=observer`, contentType: 'application/x-www-form-urlencoded' },
      },
    );
    expect(pageText(token.html)).toContain('_csrf: is sent 2 times');
    // a list the form means to send (notices to mark read) is still one
    const member = await signInAs(web.app, 'priya');
    await member.get('/inbox');
    const read = await member.post(
      '/inbox/read',
      {},
      {
        raw: {
          body: `_csrf=${encodeURIComponent(member.csrf ?? '')}&id=a&id=b`,
          contentType: 'application/x-www-form-urlencoded',
        },
      },
    );
    expect(read.status).toBeLessThan(500);
    expect(pageText(read.html)).not.toContain('is sent 2 times');
  });

  it('a form whose %-escapes are not UTF-8 (sent as Latin-1) is refused naming the body, its text never stored altered', async () => {
    const member = await signInAs(web.app, 'priya');
    await member.get('/groups/hosting');
    const body = `_csrf=${encodeURIComponent(member.csrf ?? '')}&note=caf%E9`;
    const r = await member.post(
      '/groups/hosting/join',
      {},
      {
        raw: { body, contentType: 'application/x-www-form-urlencoded' },
      },
    );
    expect(r.status).toBe(422);
    expect(pageText(r.html)).toContain('(body): must be UTF-8 text');
    // the same form in UTF-8 goes through
    const ok = await member.post(
      '/groups/hosting/join',
      {},
      {
        raw: {
          body: `_csrf=${encodeURIComponent(member.csrf ?? '')}&note=caf%C3%A9`,
          contentType: 'application/x-www-form-urlencoded',
        },
      },
    );
    expect(ok.status).toBe(303);
  });

  it('a form holding bytes that are not UTF-8 unescaped, urlencoded or multipart, is refused naming the body, nothing stored (attack round 21): "Caf" and a Latin-1 é were stored as "Caf\ufffd"', async () => {
    const member = await signInAs(web.app, 'priya');
    await member.get('/groups/hosting');
    const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
    const csrf = member.csrf ?? '';
    for (const raw of [
      {
        body: latin1(`_csrf=${encodeURIComponent(csrf)}&note=Caf\u00e9`),
        contentType: 'application/x-www-form-urlencoded',
      },
      {
        body: latin1(
          `--XyZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nCaf\u00e9\r\n--XyZ--\r\n`,
        ),
        contentType: 'multipart/form-data; boundary=XyZ',
      },
    ]) {
      const r = await member.post('/groups/hosting/join', {}, { raw });
      expect(r.status, raw.contentType).toBe(422);
      expect(pageText(r.html), raw.contentType).toContain('(body): must be UTF-8 text');
    }
    const requests = await web.hub.store.db.selectFrom('membership_requests').select('note').execute();
    expect(requests.map((m) => m.note)).not.toContain('Caf\ufffd');
    // the same bytes in UTF-8 go through
    const ok = await member.post(
      '/groups/hosting/join',
      {},
      {
        raw: {
          body: new TextEncoder().encode(`_csrf=${encodeURIComponent(csrf)}&note=Caf\u00e9`),
          contentType: 'application/x-www-form-urlencoded',
        },
      },
    );
    expect(ok.status).toBe(303);
  });

  it('a multipart body without its boundary, or cut short, is refused naming the body, never a server error (round 8)', async () => {
    const multipart = (fields: Record<string, string>) =>
      `${Object.entries(fields)
        .map(([name, value]) => `--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
        .join('')}--XyZ--\r\n`;
    const member = await signInAs(web.app, 'priya');
    await member.get('/groups/hosting');
    const visitor = new WebClient(web.app);
    await visitor.get('/sign-in');
    for (const [client, path] of [
      [member, '/groups/hosting/join'],
      [visitor, '/sign-in/demo'],
    ] as const) {
      const body = multipart({ _csrf: client.csrf ?? '', handle: 'priya', level: 'participant' });
      for (const raw of [
        { body, contentType: 'multipart/form-data' }, // no boundary
        { body: body.slice(0, body.indexOf('priya')), contentType: 'multipart/form-data; boundary=XyZ' }, // cut short
      ]) {
        const r = await client.post(path, {}, { raw });
        expect(r.status, `${path} ${raw.contentType}`).toBe(422);
        expect(pageText(r.html)).toContain('(body): must be a form as its Content-Type says');
      }
    }
    // a whole multipart form is read as any form: the visitor is signed in
    const whole = multipart({ _csrf: visitor.csrf ?? '', handle: 'priya', next: '/' });
    const signedIn = await visitor.post(
      '/sign-in/demo',
      {},
      {
        raw: { body: whole, contentType: 'multipart/form-data; boundary=XyZ' },
      },
    );
    expect(signedIn.status).toBe(303);
    expect(visitor.cookie('__Host-wghub_session')).toBeTruthy();
  });

  it('a form of more fields than any page has, or a part of endless headers, is refused naming the body before it is parsed (round 12)', async () => {
    const member = await signInAs(web.app, 'priya');
    await member.get('/groups/hosting');
    const visitor = new WebClient(web.app);
    await visitor.get('/sign-in');
    const priyaInHosting = () =>
      web.hub.store.db
        .selectFrom('group_members')
        .innerJoin('people', 'people.id', 'group_members.person_id')
        .innerJoin('groups', 'groups.id', 'group_members.group_id')
        .select('group_members.level')
        .where('people.handle', '=', 'priya')
        .where('groups.slug', '=', 'hosting')
        .executeTakeFirst();
    const before = await priyaInHosting();
    expect(before?.level).toBe('member');
    const part = (name: string, value: string, headers = '') =>
      `--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n${headers}\r\n${value}\r\n`;
    for (const [client, path, fields] of [
      [member, '/groups/hosting/join', { handle: 'priya', level: 'participant' }],
      [visitor, '/sign-in/demo', { handle: 'priya', next: '/' }],
    ] as const) {
      const form = { _csrf: client.csrf ?? '', ...fields };
      const filler = Array.from({ length: 1_000 }, (_, i) => `x${i}=`);
      const urlencoded = [...Object.entries(form).map(([k, v]) => `${k}=${encodeURIComponent(v)}`), ...filler].join(
        '&',
      );
      const parts = Object.entries(form).map(([k, v]) => part(k, v));
      for (const [raw, rule] of [
        [{ body: urlencoded, contentType: 'application/x-www-form-urlencoded' }, 'must have at most 1000 fields'],
        [
          {
            body: `${[...parts, ...filler.map((_, i) => part(`x${i}`, ''))].join('')}--XyZ--\r\n`,
            contentType: 'multipart/form-data; boundary=XyZ',
          },
          'must have at most 1000 fields',
        ],
        [
          {
            body: `${[...parts, part('note', 'hello', 'X-Filler: a\r\n'.repeat(1_000))].join('')}--XyZ--\r\n`,
            contentType: 'multipart/form-data; boundary=XyZ',
          },
          'must have at most 4000 characters in the headers of one part',
        ],
      ] as const) {
        const r = await client.post(path, {}, { raw });
        expect(r.status, `${path} ${raw.contentType}`).toBe(422);
        expect(pageText(r.html)).toContain(`(body): ${rule}`);
      }
    }
    // nothing happened: the visitor is not signed in, priya's standing in the group is as it was
    expect(visitor.cookie('__Host-wghub_session')).toBeFalsy();
    expect(await priyaInHosting()).toEqual(before);
    // the same forms with their own fields go through
    const ok = await member.post(
      '/groups/hosting/join',
      {},
      {
        raw: {
          body: `_csrf=${encodeURIComponent(member.csrf ?? '')}&handle=priya&level=participant`,
          contentType: 'application/x-www-form-urlencoded',
        },
      },
    );
    expect(ok.status).toBe(303);
  });
});

describe.each(databases)('links of anyone making on $name', (database) => {
  const web = webHubPerTest(database);

  it("a confirmation or unsubscribe link naming another page (..%2F) keeps its button on its own page (round 14): it posted, with the reader's security token, wherever the link said", async () => {
    const member = await signInAs(web.app, 'priya');
    const level = () =>
      web.hub.store.db
        .selectFrom('group_members')
        .innerJoin('people', 'people.id', 'group_members.person_id')
        .innerJoin('groups', 'groups.id', 'group_members.group_id')
        .select('group_members.level')
        .where('people.handle', '=', 'priya')
        .where('groups.slug', '=', 'hosting')
        .executeTakeFirst();
    expect((await level())?.level).toBe('member');
    for (const page of ['/confirm-email/', '/unsubscribe/']) {
      const link = `${page}..%2F..%2Fgroups%2Fhosting%2Fleave`;
      const landing = await member.get(link);
      expect(landing.status).toBe(200);
      const action =
        /<form method="post" action="([^"]+)"><(?:input|button)[^>]*>(?:<button[^>]*>)?(?:Confirm my address|Unsubscribe)/.exec(
          landing.html,
        )?.[1];
      expect(action, page).toBeDefined();
      // where a browser sends the button's form: its own page, the link's text one segment of it
      const target = new URL(action!.replace(/&amp;/g, '&'), `http://localhost${link}`);
      expect(target.pathname, page).toBe(`${page}..%2F..%2Fgroups%2Fhosting%2Fleave`);
      const pressed = await member.post(target.pathname, {});
      expect(pressed.status, page).toBe(404);
    }
    expect((await level())?.level).toBe('member');
  });
});
