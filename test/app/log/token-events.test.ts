// A person's API tokens and MCP clients (a token's label, a client's name, where it signs in back
// to) are for them and those above them on the contributor ladder: `GET …/mcp-clients` refuses
// anyone else. The event log is public (REST /api/events, the web's /log, MCP's wghub://log/tail),
// so it says that a token was made or an MCP client allowed, and by whom, never what they name
// (authorisation round of 2026-12-05: a signed-out visitor read every person's token labels and MCP clients there).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, record, type Actor } from '../../../src/app/core/hub.ts';
import { eventLogTail, TOKEN_DETAILS, verifyEventLog } from '../../../src/app/log/log.ts';
import { listGrants } from '../../../src/app/people/oauth.ts';
import { createToken, revokeToken } from '../../../src/app/people/tokens.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { exportAll } from '../../../src/app/operations/export-all.ts';
import { PassThrough } from 'node:stream';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('token and MCP client events in the public log on $name', (database) => {
  let hub: TestHub;
  let ana: Actor, bob: Actor;

  beforeEach(async () => {
    hub = await openTestHub(database);
    ana = await person(hub, 'ana');
    bob = await person(hub, 'bob');
  });
  afterEach(async () => hub?.close());

  it("shows that ana made and revoked a token and allowed an MCP client, not the token's label or the client", async () => {
    const made = await createToken(hub, ana, 'ana', { label: 'laptop at Acme skunkworks' });
    await revokeToken(hub, ana, made.id);
    // what the OAuth consent records when ana allows a client (src/app/people/oauth.ts)
    await inTransaction(hub, (trx) =>
      record(trx, hub, ana, 'oauth.granted', { type: 'person', id: 'ana' }, null, {
        grantId: 'g-1',
        client: 'Secret Project Assistant',
        redirectHost: 'build-7.corp.acme.internal',
      }),
    );
    // bob may not list ana's MCP clients…
    await expect(listGrants(hub, 'ana', bob)).rejects.toMatchObject({ kind: 'forbidden' });

    // …nor read them, or her token's label, in the log, signed out or in
    const page = await eventLogTail(hub, { limit: 50 });
    const text = JSON.stringify(page);
    expect(text).not.toContain('skunkworks');
    expect(text).not.toContain('Secret Project Assistant');
    expect(text).not.toContain('acme.internal');
    const about = page.items.filter((e) => e.subject.id === 'ana' && /^(token|oauth)\./.test(e.kind));
    expect(about.map((e) => [e.kind, e.actor, e.after])).toEqual([
      ['oauth.granted', 'ana', { grantId: 'g-1', details: TOKEN_DETAILS }],
      ['token.revoked', 'ana', { tokenId: made.id, details: TOKEN_DETAILS }],
      ['token.created', 'ana', { tokenId: made.id, details: TOKEN_DETAILS }],
    ]);

    const rest = await createHttpApp(hub).request('/api/events?limit=50');
    expect(rest.status).toBe(200);
    const body = await rest.text();
    expect(body).toContain('token.created');
    expect(body).not.toContain('skunkworks');
    expect(body).not.toContain('Secret Project Assistant');

    // the stored facts are unchanged: the chain still verifies
    expect((await verifyEventLog(hub)).ok).toBe(true);
    // and a token made now leaves its label out of the log itself, so the community's open data
    // (a public export carries the log whole, for anyone to verify) does not publish it either
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (d) => lines.push(String(d)));
    await exportAll(hub.store, out, { public: true });
    out.end();
    expect(lines.join('')).toContain('token.created');
    expect(lines.join('')).not.toContain('skunkworks');
  });
  it("says which provider a sign-in was linked through, not the person's account id there", async () => {
    await inTransaction(hub, (trx) =>
      record(
        trx,
        hub,
        { kind: 'system', label: 'sign-in' },
        'person.identity-linked',
        { type: 'person', id: 'ana' },
        null,
        {
          issuer: 'https://accounts.example',
          subject: '108234567890',
          via: 'verified-email',
        },
      ),
    );
    const [linked] = (await eventLogTail(hub, {})).items.filter((e) => e.kind === 'person.identity-linked');
    expect(linked!.after).toEqual({ issuer: 'https://accounts.example', via: 'verified-email' });
    expect((await verifyEventLog(hub)).ok).toBe(true);
  });
});
