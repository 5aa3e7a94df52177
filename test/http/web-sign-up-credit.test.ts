// A newcomer's "Join as a newcomer" on the demo hub was logged as the operator's doing: the event
// log (the web's /log, REST /api/events, MCP's wghub://log/tail, all read through eventLogTail)
// credited "an operator (command line or import)" with making her, and so did a first sign-in
// through the hub's identity provider. The operator did nothing: she signed herself up. The event is
// now recorded with her as its actor, and /log says so in the community's words. An operator's own
// `person add` is still the operator's. On both databases.
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/core/hub.ts';
import { eventLogTail } from '../../src/app/log/log.ts';
import { createPerson } from '../../src/app/people/people.ts';
import { personForIdentity } from '../../src/app/people/web-sessions.ts';
import { databases } from '../support/databases.ts';
import { pageText, WebClient } from '../support/web-client.ts';
import { webHubPerTest } from '../support/web-hub.ts';

/** The /log rows about this person's record, as their Who, What and Subject cells read. */
function logRows(html: string, handle: string): string[][] {
  const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => pageText(c[1]!).replace(/\s+/g, ' ').trim()),
  );
  return rows.filter((cells) => cells[4] === `person ${handle}`).map((cells) => cells.slice(2, 5));
}

describe.each(databases)('who signed a newcomer up, in the log, on $name', (database) => {
  const web = webHubPerTest(database);

  it('"Join as a newcomer" is credited to the newcomer herself on /log and REST, not to the operator', async () => {
    const w = new WebClient(web.app);
    await w.get('/sign-in');
    const joined = await w.post('/sign-in/newcomer', { handle: 'nia', name: 'Nia Okoro', timeZone: 'UTC' });
    expect(joined.status).toBe(303);

    const created = (await eventLogTail(web.hub, { limit: 50 })).items.find(
      (e) => e.kind === 'person.created' && e.subject.id === 'nia',
    );
    expect(created?.actor).toBe('nia');
    expect(created?.after).toMatchObject({ handle: 'nia', role: 'contributor' });

    const rest = (await (await web.app.request('/api/events?limit=50')).json()) as {
      items: { kind: string; actor: string | null; subject: { id: string } }[];
    };
    expect(rest.items.find((e) => e.kind === 'person.created' && e.subject.id === 'nia')?.actor).toBe('nia');

    const log = await new WebClient(web.app).get('/log');
    expect(logRows(log.html, 'nia')).toContainEqual(['Nia Okoro (@nia)', 'Signed up as a contributor', 'person nia']);
    expect(pageText(log.html)).not.toMatch(/operator \(command line or import\)\s+Person created\s+person nia/);
  });

  it("a first sign-in through the hub's provider is the person's own sign-up; the operator's `person add` stays the operator's", async () => {
    const { person } = await personForIdentity(web.hub, {
      issuer: 'https://id.example.org',
      subject: 'ext-1',
      handle: 'rui',
      name: 'Rui Costa',
      timeZone: 'Europe/Lisbon',
      github: null,
    });
    await createPerson(web.hub, SYSTEM, { handle: 'ops-added', name: 'Added By Ops', timeZone: 'UTC' });
    const items = (await eventLogTail(web.hub, { limit: 50 })).items.filter((e) => e.kind === 'person.created');
    expect(items.find((e) => e.subject.id === person.handle)?.actor).toBe(person.handle);
    expect(items.find((e) => e.subject.id === 'ops-added')?.actor).toBe('system:operator');
    const log = (await new WebClient(web.app).get('/log')).html;
    expect(logRows(log, person.handle)).toContainEqual([
      `Rui Costa (@${person.handle})`,
      'Signed up as a contributor',
      `person ${person.handle}`,
    ]);
    expect(logRows(log, 'ops-added')).toEqual([
      ['an operator (command line or import)', 'Person created', 'person ops-added'],
    ]);
  });
});
