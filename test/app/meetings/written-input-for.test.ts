// Written input its sender mailed to a facilitator: one who prepares the agenda (a lead, a topic's
// facilitator) records it for them. It stands under the sender's name, saying who recorded it; the
// sender is told and keeps it as their own (change, withdraw); the log names both. Nobody else may
// record for another, nobody may record for one who could not send it, and each mistake is named.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/app/core/hub.ts';
import { joinGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { eventLogTail } from '../../../src/app/log/log.ts';
import { addAgendaItem, submitWrittenInput } from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting } from '../../../src/app/meetings/meetings.ts';
import { editWrittenInput } from '../../../src/app/meetings/written-input-edits.ts';
import { listInbox } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { noticesFor } from '../../../src/app/notifications/recipients.ts';
import { readJson } from '../../../src/store/schema.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('written input recorded for its sender on $name', (database) => {
  let hub: TestHub;
  let sam: Actor;
  let amara: Actor;
  let jonas: Actor;
  beforeEach(async () => {
    hub = await openTestHub(database, '2026-03-02T12:00:00Z');
    hub.reactions.push(notificationsReaction({ mail: false }));
    sam = await person(hub, 'sam', { role: 'member' });
    amara = await person(hub, 'amara');
    jonas = await person(hub, 'jonas');
    await person(hub, 'kai', { accepted: false });
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await joinGroup(hub, amara, 'hosting');
    await joinGroup(hub, jonas, 'hosting');
    await scheduleMeeting(hub, sam, {
      group: 'hosting',
      kind: 'content',
      title: 'Sticky sessions',
      startsAt: '2026-03-16T16:00:00Z',
      timeZone: 'Europe/Berlin',
    });
    await addAgendaItem(hub, sam, 'M-1', { title: 'Affinity behind load balancers' });
  });
  afterEach(async () => hub?.close());

  const BODY = 'Our balancer cannot pin sessions; mailed as I am travelling.';

  it("a lead records it: the sender's, saying who recorded it, told to them, theirs to change, in the log", async () => {
    const view = await submitWrittenInput(hub, sam, 'M-1', { item: 1, body: BODY, for: 'amara' });
    expect(view.can.recordWrittenInputFor.allowed).toBe(true);
    const w = view.agenda.items[0]!.writtenInput[0]!;
    expect(w).toMatchObject({ author: 'amara', body: BODY, recordedBy: { handle: 'sam' } });
    const told = (await listInbox(hub, amara)).items.filter((n) => n.kind === 'written-input');
    expect(told.map((n) => n.title)).toEqual([
      expect.stringMatching(
        /^Sam .*\(@sam\) recorded written input .*\(@amara\) sent by other means, to present at M-1/,
      ),
    ]);
    const mine = (await getMeeting(hub, 'M-1', amara)).agenda.items[0]!.writtenInput[0]!;
    expect(mine.can.edit.allowed).toBe(true);
    await editWrittenInput(hub, amara, 'M-1', w.id, 1, { body: `${BODY} Thanks.` });
    const e = (await eventLogTail(hub, {})).items.find((x) => x.kind === 'meeting.written-input');
    expect(e).toMatchObject({ actor: 'sam', after: { author: 'amara', recordedBy: 'sam' } });
    // one's own input is still one's own, and its sender alone is not told of it
    await submitWrittenInput(hub, amara, 'M-1', { item: 1, body: 'And one more thing I forgot.' });
    expect((await getMeeting(hub, 'M-1', null)).agenda.items[0]!.writtenInput[1]!.recordedBy).toBeNull();
  });

  it('a recorder who changed handle before the notices were worked out is still named, and the sender still told', async () => {
    hub.reactions.splice(0); // the notices are worked out below, from the event as the log keeps it
    await submitWrittenInput(hub, sam, 'M-1', { item: 1, body: BODY, for: 'amara' });
    const row = await hub.store.db
      .selectFrom('events')
      .selectAll()
      .where('kind', '=', 'meeting.written-input')
      .executeTakeFirstOrThrow();
    // an event from before the recorder's id was kept names them by handle, as it was then
    const { recordedById, ...old } = readJson(row.after) ?? {};
    expect(recordedById).toBeTypeOf('string');
    const fromOld = await noticesFor(hub.store.db, hub, {
      seq: Number(row.seq),
      at: row.at,
      actor: sam,
      kind: row.kind,
      subject: { type: row.subject_type, id: row.subject_id },
      before: null,
      after: old,
    });
    expect(fromOld.filter((n) => amara.kind === 'person' && n.personId === amara.person.id)).toMatchObject([
      { title: expect.stringMatching(/^Sam .*\(@sam\) recorded written input/) },
    ]);
    await hub.store.db.updateTable('people').set({ handle: 'sam-renamed' }).where('handle', '=', 'sam').execute();
    const renamed = await hub.store.db
      .selectFrom('people')
      .selectAll()
      .where('handle', '=', 'sam-renamed')
      .executeTakeFirstOrThrow();
    const notices = await noticesFor(hub.store.db, hub, {
      seq: Number(row.seq),
      at: row.at,
      actor: { kind: 'person', person: renamed },
      kind: row.kind,
      subject: { type: row.subject_type, id: row.subject_id },
      before: null,
      after: readJson(row.after),
    });
    const toAmara = notices.filter((n) => amara.kind === 'person' && n.personId === amara.person.id);
    expect(toAmara.map((n) => n.title)).toEqual([
      expect.stringMatching(/^Sam .*\(@sam-renamed\) recorded written input .*\(@amara\) sent by other means/),
    ]);
  });

  it('a participant may not record for another, whatever they send; their own input they may', async () => {
    await expect(submitWrittenInput(hub, jonas, 'M-1', { item: 1, body: BODY, for: 'amara' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('record written input someone sent another way'),
    });
    await expect(submitWrittenInput(hub, jonas, 'M-1', { item: 9, body: 'x', for: 'amara' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    expect((await getMeeting(hub, 'M-1', null)).agenda.items[0]!.writtenInput).toEqual([]);
  });

  it('a mistyped `for` is named as the mistake to one who may record for others, even once they may send no more of their own', async () => {
    for (let i = 0; i < LIMITS.writtenInputsPerPerson; i++)
      await submitWrittenInput(hub, sam, 'M-1', { item: 1, body: `${BODY} (${i + 1})` });
    const can = (await getMeeting(hub, 'M-1', sam)).can;
    expect(can).toMatchObject({ writtenInput: { allowed: false }, recordWrittenInputFor: { allowed: true } });
    await expect(
      submitWrittenInput(hub, sam, 'M-1', { item: 1, body: 'short', for: 'amara smith' }),
    ).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: expect.arrayContaining([
        { field: 'for', rule: expect.stringContaining('must be a GitHub-style handle') },
        { field: 'body', rule: expect.stringContaining('at least 10 characters') },
      ]),
    });
    // spelled right, it stands
    await submitWrittenInput(hub, sam, 'M-1', { item: 1, body: BODY, for: 'amara' });
    const inputs = (await getMeeting(hub, 'M-1', null)).agenda.items[0]!.writtenInput;
    expect(inputs.filter((w) => w.author === 'amara')).toMatchObject([{ recordedBy: { handle: 'sam' } }]);
  });

  it('names every mistake at once: a person not in the hub, one who may not send, an unknown item', async () => {
    await expect(submitWrittenInput(hub, sam, 'M-1', { item: 7, body: 'short', for: 'nobody' })).rejects.toMatchObject({
      kind: 'invalid_input',
      issues: expect.arrayContaining([
        { field: 'for', rule: "no person 'nobody' in this hub" },
        { field: 'item', rule: expect.stringContaining('has no agenda item #7') },
        { field: 'body', rule: expect.stringContaining('at least 10 characters') },
      ]),
    });
    // Kai has not accepted the contribution terms: he may not send it himself, so nobody sends it for him
    await expect(submitWrittenInput(hub, sam, 'M-1', { item: 1, body: BODY, for: 'kai' })).rejects.toMatchObject({
      issues: [
        { field: 'for', rule: expect.stringMatching(/\(@kai\) may not send written input here: Accept the .* first$/) },
      ],
    });
    expect((await getMeeting(hub, 'M-1', null)).agenda.items[0]!.writtenInput).toEqual([]);
  });
});
