// Demo meetings for the demo community: a fortnightly Hosting coordination series whose first
// meeting has happened (agenda, written input from someone who could not attend, notes,
// attendance, a decision and an action item), an upcoming topic deep-dive, and a Security meeting
// whose notes are late. Built with the same use cases, with the clock set back for the parts that
// happened in the past, so the story reads in the right order.
import type { Clock } from '../../domain/clock.ts';
import type { Actor, Hub } from '../core/hub.ts';
import { addAgendaItem, markWrittenInput, publishAgenda, submitWrittenInput } from '../meetings/agenda.ts';
import { addActionItem, recordAttendance, recordMeetingDecision, recordNotes } from '../meetings/outcomes.ts';
import { getMeeting, scheduleMeeting } from '../meetings/meetings.ts';

const DAY = 86_400_000;

/** Whole UTC hour `days` from now, so demo times read cleanly. */
function at(now: Date, days: number, hourUtc: number): string {
  const d = new Date(now.getTime() + days * DAY);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
}

export async function loadDemoMeetings(hub: Hub, as: Record<string, Actor>): Promise<number> {
  const now = hub.clock.now();
  const then = (iso: string): Hub => ({ ...hub, clock: { now: () => new Date(iso) } satisfies Clock });

  // Hosting coordination: fortnightly at 16:00 UTC, the first one 9 days ago, listed 17 days ago
  const first = at(now, -9, 16);
  const listed = then(at(now, -17, 9));
  await scheduleMeeting(listed, as['sam-lead']!, {
    group: 'hosting',
    kind: 'process',
    title: 'Hosting WG coordination',
    description: 'How the group operates: topics, facilitators, timelines.',
    startsAt: first,
    timeZone: 'America/Los_Angeles',
    durationMinutes: 60,
    rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=6',
    location: 'https://meet.example.org/hosting',
  });
  await addAgendaItem(listed, as['priya']!, 'M-1', {
    title: 'Agree timelines and expected outputs for the session affinity guide',
  });
  await addAgendaItem(listed, as['jonas']!, 'M-1', {
    title: 'Deep-dive: designing patterns for session affinity behind load balancers',
    description: 'Walk through the three gateway configurations we run in production.',
  });
  const prep = then(at(now, -12, 10));
  await submitWrittenInput(prep, as['amara']!, 'M-1', {
    item: 1,
    body: 'I cannot make 16:00 UTC this time. I would like the guide to land before the next spec release, and I can review drafts asynchronously.',
  });
  await publishAgenda(prep, as['sam-lead']!, 'M-1');

  const after = then(at(now, -9, 17));
  const input = (await getMeeting(after, 'M-1')).agenda.items[0]!.writtenInput[0]!;
  await recordAttendance(after, as['sam-lead']!, 'M-1', undefined, { attended: ['sam-lead', 'priya', 'jonas'] });
  await markWrittenInput(after, as['sam-lead']!, 'M-1', input.id, { presented: true });
  await recordMeetingDecision(after, as['sam-lead']!, 'M-1', {
    summary: 'Move the load-balancer deep-dive to the horizontal-scaling content meeting.',
  });
  await addActionItem(after, as['sam-lead']!, 'M-1', {
    owner: 'priya',
    description: 'Draft the session affinity guide outline',
    due: at(now, 5, 0).slice(0, 10),
  });
  await recordNotes(then(at(now, -8, 12)), as['priya']!, 'M-1', undefined, {
    notes: [
      '# Hosting WG coordination',
      '',
      '## Timelines for the session affinity guide',
      'Agreed an outline within two weeks and a first draft before the next specification release. ',
      "Amara's written input (review drafts asynchronously, land before the release) was read out and supported.",
      '',
      '## Load-balancer deep-dive',
      'This is content work: moved to the horizontal-scaling content meeting, per the guide.',
      '',
      '## Actions',
      '- @priya drafts the guide outline.',
    ].join('\n'),
  });

  // Horizontal scaling: an upcoming content meeting run by its facilitator
  await scheduleMeeting(hub, as['priya']!, {
    group: 'hosting',
    topic: 'horizontal-scaling',
    kind: 'content',
    title: 'Horizontal scaling deep-dive: sticky sessions',
    startsAt: at(now, 10, 13),
    timeZone: 'Asia/Kolkata',
    durationMinutes: 90,
  });
  await addAgendaItem(hub, as['jonas']!, 'M-2', {
    title: 'Deep-dive: session affinity behind load balancers',
    description: 'Three gateway configurations, with traces.',
  });

  // Security: met five days ago, notes not yet published (late against the 48-hour rule)
  const sec = then(at(now, -14, 9));
  await scheduleMeeting(sec, as['priya']!, {
    group: 'security',
    kind: 'content',
    title: 'Tool poisoning patterns review',
    startsAt: at(now, -5, 14),
    timeZone: 'Asia/Kolkata',
  });
  await addAgendaItem(sec, as['priya']!, 'M-3', {
    title: 'Best practices for detecting malicious tool descriptions',
    kind: 'content',
  });
  return 3;
}
