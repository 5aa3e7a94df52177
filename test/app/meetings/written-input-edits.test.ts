// Written input is its sender's to change or withdraw until the meeting starts (or the input is
// marked presented or not): a typo fixed or a mind changed does not stay on the agenda for everyone.
// Nobody else may touch it; an edit from an older read is refused, never overwritten; each change is
// in the log, and the facilitators told of the input are not left reading the old words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '../../../src/app/core/hub.ts';
import { joinGroup, proposeGroup } from '../../../src/app/groups/groups.ts';
import { eventLogTail } from '../../../src/app/log/log.ts';
import {
  addAgendaItem,
  markWrittenInput,
  removeAgendaItem,
  submitWrittenInput,
} from '../../../src/app/meetings/agenda.ts';
import { getMeeting, scheduleMeeting, updateMeeting } from '../../../src/app/meetings/meetings.ts';
import { editWrittenInput, withdrawWrittenInput } from '../../../src/app/meetings/written-input-edits.ts';
import { listInbox, markRead } from '../../../src/app/notifications/inbox.ts';
import { notificationsReaction } from '../../../src/app/notifications/notify.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, person, type TestHub } from '../../support/hub.ts';

describe.each(databases)('changing or withdrawing written input on $name', (database) => {
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
    await proposeGroup(hub, sam, {
      slug: 'hosting',
      name: 'Hosting',
      kind: 'working',
      mission: 'Share practices for hosting MCP servers at scale.',
      scopeIn: ['Scaling'],
      leads: ['sam'],
    });
    await joinGroup(hub, amara, 'hosting');
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

  const inputOf = async (who: Actor | null) => (await getMeeting(hub, 'M-1', who)).agenda.items[0]!.writtenInput;
  const send = async (body = 'Our balancer cannot pin sesions.') => {
    await submitWrittenInput(hub, amara, 'M-1', { item: 1, body });
    return (await inputOf(amara))[0]!;
  };
  const written = async (who: Actor) => (await listInbox(hub, who)).items.filter((n) => n.kind === 'written-input');

  it('its sender changes it from the version read; the agenda shows the new text, marked edited, and the log says so', async () => {
    const w = await send();
    expect(w).toMatchObject({
      version: 1,
      editedAt: null,
      can: { edit: { allowed: true }, withdraw: { allowed: true } },
    });
    hub.clock.advance(60_000);
    await editWrittenInput(hub, amara, 'M-1', w.id, 1, { body: 'Our balancer cannot pin sessions.' });
    expect((await inputOf(amara))[0]).toMatchObject({
      id: w.id,
      body: 'Our balancer cannot pin sessions.',
      version: 2,
      editedAt: '2026-03-02T12:01:00.000Z',
      submittedAt: w.submittedAt,
    });
    const log = (await eventLogTail(hub, {})).items.find((e) => e.kind === 'meeting.written-input-edited');
    expect(log).toMatchObject({
      subject: { type: 'meeting', id: 'M-1' },
      before: { version: 1 },
      after: { id: w.id, item: 1, author: 'amara', version: 2 },
    });
  });

  it('an edit from an older read is refused with the text as it is now; without a version it asks for one; bad text names body and keeps what was stored', async () => {
    const w = await send();
    await editWrittenInput(hub, amara, 'M-1', w.id, 1, { body: 'First correction of the text.' });
    await expect(
      editWrittenInput(hub, amara, 'M-1', w.id, 1, { body: 'Second tab, older read.' }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      details: { currentVersion: 2, current: { body: 'First correction of the text.', version: 2 } },
    });
    await expect(
      editWrittenInput(hub, amara, 'M-1', w.id, undefined, { body: 'No version sent.' }),
    ).rejects.toMatchObject({
      kind: 'precondition_required',
    });
    await expect(editWrittenInput(hub, amara, 'M-1', w.id, 2, { body: 'short' })).rejects.toMatchObject({
      issues: [{ field: 'body', rule: expect.stringContaining('at least 10 characters') }],
    });
    await expect(
      editWrittenInput(hub, amara, 'M-1', 'nope', 2, { body: 'Nothing is called so.' }),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect((await inputOf(amara))[0]).toMatchObject({ body: 'First correction of the text.', version: 2 });
  });

  it('nobody else may change or withdraw it, not even a lead; the view says why to each', async () => {
    const w = await send();
    const forSam = (await inputOf(sam))[0]!;
    expect(forSam.can.edit).toEqual({
      allowed: false,
      reason: 'Only the person who sent this written input may change it',
    });
    expect(forSam.can.withdraw).toEqual({
      allowed: false,
      reason: 'Only the person who sent this written input may withdraw it',
    });
    expect((await inputOf(null))[0]!.can.edit).toMatchObject({ allowed: false, remedy: 'sign-in' });
    await expect(editWrittenInput(hub, sam, 'M-1', w.id, 1, { body: 'A lead rewrites it.' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('Only the person who sent this written input may change it'),
    });
    await expect(withdrawWrittenInput(hub, jonas, 'M-1', w.id)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(withdrawWrittenInput(hub, SYSTEM, 'M-1', w.id)).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('--as HANDLE'),
    });
    expect((await inputOf(amara))[0]).toMatchObject({ body: w.body, version: 1 });
  });

  it('once the meeting starts the input stays as it was, for its sender too', async () => {
    const w = await send();
    hub.clock.set('2026-03-16T16:00:00Z');
    const mine = (await inputOf(amara))[0]!;
    expect(mine.can.edit).toEqual({
      allowed: false,
      reason: 'The meeting has started, so its written input can no longer be changed',
    });
    expect(mine.can.withdraw.allowed).toBe(false);
    await expect(
      editWrittenInput(hub, amara, 'M-1', w.id, 1, { body: 'Too late to change this.' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(withdrawWrittenInput(hub, amara, 'M-1', w.id, 1)).rejects.toMatchObject({ kind: 'forbidden' });
    // marked presented: the reason says so
    await markWrittenInput(hub, sam, 'M-1', w.id, { presented: true });
    expect((await inputOf(amara))[0]!.can.withdraw).toEqual({
      allowed: false,
      reason: 'It was marked as presented or not at the meeting, so it can no longer be withdrawn',
    });
  });

  it('two marks from the same read: the second is refused with the mark as it stands, not written over it; a repeat of the first is done', async () => {
    const w = await send();
    hub.clock.set('2026-03-16T16:30:00Z');
    const read = (await inputOf(sam))[0]!;
    // on the laptop: presented; on the phone, from the same read: not presented
    await markWrittenInput(hub, sam, 'M-1', w.id, { presented: true }, read.version);
    await expect(
      markWrittenInput(hub, sam, 'M-1', w.id, { presented: false, note: 'ran out of time' }, read.version),
    ).rejects.toMatchObject({
      kind: 'conflict',
      details: { current: { id: w.id, presented: true, note: null, version: read.version + 1 } },
    });
    expect((await inputOf(sam))[0]).toMatchObject({ presented: true, note: null, version: read.version + 1 });
    // the first sent again (a retry) is done: it asks for what stands
    await markWrittenInput(hub, sam, 'M-1', w.id, { presented: true }, read.version);
    // from the mark as read now, it changes
    await markWrittenInput(hub, sam, 'M-1', w.id, { presented: false, note: 'ran out of time' }, read.version + 1);
    expect((await inputOf(sam))[0]).toMatchObject({ presented: false, note: 'ran out of time' });
  });

  it('a cancelled meeting: its input may be withdrawn but not changed', async () => {
    const w = await send();
    await updateMeeting(hub, sam, 'M-1', (await getMeeting(hub, 'M-1')).version, { cancelled: true });
    const mine = (await inputOf(amara))[0]!;
    expect(mine.can.edit).toEqual({ allowed: false, reason: 'The meeting was cancelled: its agenda takes no change' });
    expect(mine.can.withdraw).toEqual({ allowed: true });
    await withdrawWrittenInput(hub, amara, 'M-1', w.id);
    expect(await inputOf(amara)).toEqual([]);
  });

  it('withdrawn, it leaves the agenda (its item may go again); an older version is refused; the log keeps that it was, not its words', async () => {
    const w = await send('Please do not decide on cookies yet.');
    await editWrittenInput(hub, amara, 'M-1', w.id, 1, { body: 'Please do not decide on cookies yet!' });
    await expect(withdrawWrittenInput(hub, amara, 'M-1', w.id, 1)).rejects.toMatchObject({ kind: 'conflict' });
    const view = await withdrawWrittenInput(hub, amara, 'M-1', w.id, 2);
    expect(view.agenda.items[0]!.writtenInput).toEqual([]);
    // the item no longer carries input, so it may be taken off again
    expect((await removeAgendaItem(hub, sam, 'M-1', 1)).agenda.items).toEqual([]);
    const log = (await eventLogTail(hub, {})).items.find((e) => e.kind === 'meeting.written-input-withdrawn');
    expect(log).toMatchObject({ before: { version: 2 }, after: { id: w.id, item: 1, author: 'amara' } });
    expect(JSON.stringify(log)).not.toContain('cookies');
    await expect(withdrawWrittenInput(hub, amara, 'M-1', w.id)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it("the lead's notice shows the latest text, unread or read, and a withdrawal says it was withdrawn", async () => {
    const w = await send('Our balancer cannot pin sesions.');
    expect((await written(sam)).map((n) => n.detail)).toEqual([
      expect.stringMatching(/^“Our balancer cannot pin sesions\.” · Meets/),
    ]);
    // unread: the notice folds into the change
    await editWrittenInput(hub, amara, 'M-1', w.id, 1, { body: 'Our balancer cannot pin sessions.' });
    const [folded, ...more] = await written(sam);
    expect(more).toEqual([]);
    expect(folded).toMatchObject({
      events: 2,
      title: expect.stringContaining(
        'Amara (@amara) changed their written input to present at M-1 (Sticky sessions), item 1',
      ),
      detail: expect.stringMatching(/^“Our balancer cannot pin sessions\.” · Meets/),
    });
    // read: it is brought up to date too, and the change is a new notice
    await markRead(hub, sam);
    await editWrittenInput(hub, amara, 'M-1', w.id, 2, { body: 'Our balancer pins by cookie only.' });
    const both = await written(sam);
    expect(both.map((n) => n.detail)).toEqual([
      expect.stringMatching(/^“Our balancer pins by cookie only\.” · Meets/),
      expect.stringMatching(/^“Our balancer pins by cookie only\.” · Meets/),
    ]);
    await withdrawWrittenInput(hub, amara, 'M-1', w.id);
    const after = await written(sam);
    expect(after[0]).toMatchObject({
      title: expect.stringContaining('Amara (@amara) withdrew their written input to M-1 (Sticky sessions), item 1'),
      detail: expect.stringMatching(/^Withdrawn by its sender: nothing to present · Meets/),
    });
    expect(after.map((n) => n.detail).join('\n')).not.toContain('cookie');
    // the sender is never told of their own change
    expect(await written(amara)).toEqual([]);
  });
  it('saved unchanged, input and meeting keep their versions and nobody is told again', async () => {
    const w = await send();
    const m = await getMeeting(hub, 'M-1', sam);
    const events = (await eventLogTail(hub, { limit: 1 })).items[0]!.seq;
    await editWrittenInput(hub, amara, 'M-1', w.id, w.version, { body: w.body });
    expect(await inputOf(amara)).toEqual([expect.objectContaining({ version: 1, editedAt: null })]);
    // the meeting's edit form sent back as it was shown
    const same = await updateMeeting(hub, sam, 'M-1', m.version, {
      title: m.title,
      description: m.description,
      startsAt: m.startsAt,
      timeZone: m.timeZone,
      durationMinutes: m.durationMinutes,
      location: m.location,
    });
    expect(same.version).toBe(m.version);
    expect((await eventLogTail(hub, { limit: 1 })).items[0]!.seq).toBe(events);
    // a real change still lands from the same read
    const moved = await updateMeeting(hub, sam, 'M-1', m.version, { title: 'Sticky sessions, again' });
    expect(moved.version).toBe(m.version + 1);
    // cancelling a meeting already cancelled keeps when it was called off, and records nothing more
    const off = await updateMeeting(hub, sam, 'M-1', moved.version, { cancelled: true });
    const offSeq = (await eventLogTail(hub, { limit: 1 })).items[0]!.seq;
    hub.clock.advance(60_000);
    const again = await updateMeeting(hub, sam, 'M-1', off.version, { cancelled: true });
    expect(again.version).toBe(off.version);
    expect((await eventLogTail(hub, { limit: 1 })).items[0]!.seq).toBe(offSeq);
  });
});
