import type { MeetingView, Occurrence } from '../app/meetings/meetings.ts';
import { localTime } from '../domain/meetings/recurrence.ts';
import type { ProposalView } from '../app/proposals/proposals.ts';
import { nameWithHandle } from '../domain/people.ts';

/** A proposal as markdown for an assistant to read: the sections the route asks for, then its state. */
export function proposalMarkdown(p: ProposalView): string {
  const lines = [
    `# ${p.ref}: ${p.title}`,
    '',
    `- Layer: ${p.layerTitle}`,
    `- Route: ${p.routeTitle}, stage **${p.stage}** (since ${p.stageChangedAt})`,
    `- Group: ${p.group ?? '—'}${p.topicArea ? ` / ${p.topicArea}` : ''}`,
    `- Authors: ${p.authors.map((a) => nameWithHandle(a.handle, a.name, '@handle')).join(', ') || '—'}; sponsor: ${p.sponsor ? nameWithHandle(p.sponsor.handle, p.sponsor.name, '@handle') : '—'}`,
    '',
    '## Problem',
    '',
    p.problem,
    '',
    '## Examples',
    '',
    ...(p.examples.length ? p.examples.map((e) => `- ${e}`) : ['(none yet)']),
  ];
  if (p.interests) lines.push('', '## Interests', '', p.interests);
  lines.push(
    '',
    `## Gate (${p.gate.layer}): ${p.gate.passed ? 'passes' : 'does not pass yet'}`,
    '',
    ...p.gate.conditions.map((c) => `- ${c.passed ? 'PASS' : 'FAIL'} ${c.condition}: ${c.reason}`),
  );
  lines.push(
    '',
    '## Supporters by organisation',
    '',
    ...(p.supportersByOrganisation.length
      ? p.supportersByOrganisation.map(
          (s) => `- ${s.organisation}: ${s.handles.map((h) => nameWithHandle(h, p.names[h], '@handle')).join(', ')}`,
        )
      : ['(none yet)']),
  );
  lines.push(
    '',
    '## Evidence',
    '',
    ...(p.evidence.length
      ? p.evidence.map(
          (e) =>
            `- ${e.kind}: ${e.description}${e.url ? ` (${e.url})` : ''}${e.verification ? ` — ${e.verification.status}${e.verification.reason ? `: ${e.verification.reason}` : e.verification.server ? ` as ${e.verification.server.name} ${e.verification.server.version}` : ''}` : ''}`,
        )
      : ['(none yet)']),
  );
  if (p.relations.length)
    lines.push(
      '',
      '## Related',
      '',
      ...p.relations.map(
        (r) => `- ${r.kind} ${r.direction === 'incoming' ? '(from)' : ''} ${r.ref}: ${r.title} [${r.status}]`,
      ),
    );
  lines.push('', `Allowed moves: ${p.allowedMoves.map((m) => `${m.to} (by ${m.by.join(', ')})`).join('; ') || 'none'}`);
  return lines.join('\n') + '\n';
}

/** A meeting agenda as markdown: items in order, their kind and link, written input under each. */
/**
 * A meeting's agenda as markdown. Asked for at one start of a series (`occurrence`) that has no
 * meeting of its own yet, it says so and lists none: the series' items are its first meeting's.
 */
export function agendaMarkdown(m: MeetingView, occurrence: Occurrence | null = null): string {
  const waiting = occurrence !== null && occurrence.ref === null;
  const lines = [
    waiting ? `# Agenda: ${occurrence.id} ${m.title}` : `# Agenda: ${m.ref} ${m.title}`,
    '',
    `- Group: ${m.group}${m.topic ? ` / ${m.topic}` : ''}; a ${m.kind} meeting`,
    waiting
      ? `- Starts: ${localTime(occurrence.startsAt, m.timeZone)} (${m.timeZone}), ${occurrence.startsAt} UTC${m.cancelled ? ' — CANCELLED' : ''}`
      : `- Starts: ${m.localStart} (${m.timeZone}), ${m.startsAt} UTC${m.cancelled ? ' — CANCELLED' : ''}`,
    // asked for at a later start: which series it belongs to, and the id it was asked by
    ...(occurrence && occurrence.ref !== occurrence.series
      ? [`- One meeting of the series ${occurrence.series} (${occurrence.id})`]
      : []),
    waiting
      ? `- No agenda of its own yet: items are added once the meeting at this start is opened (schedule_meeting with seriesOf ${occurrence.series} and startsAt ${occurrence.startsAt}); the series' first meeting's agenda is wghub://meetings/${occurrence.series}/agenda`
      : `- Agenda ${m.agenda.publishedAt ? `published ${m.agenda.publishedAt}` : 'not published yet'}`,
    // what the reader may do there now, in the words its `can` gives (a lead is told to open it)
    ...(waiting && !m.can.addAgendaItem.allowed ? [`- ${m.can.addAgendaItem.reason}`] : []),
    '',
  ];
  // nothing to list: the items shown would be the first meeting's
  if (waiting) return lines.slice(0, -1).join('\n') + '\n';
  if (!m.agenda.items.length) lines.push('(no items yet)');
  for (const i of m.agenda.items) {
    lines.push(
      `${i.position}. **${i.title}** [${i.kind}]${i.link ? ` — ${i.link.type} ${i.link.ref}` : ''} (added by ${nameWithHandle(i.addedBy, i.addedByName, '@handle')})`,
    );
    if (i.description) lines.push(`   ${i.description.replace(/\n/g, '\n   ')}`);
    if (i.warning) lines.push(`   ⚠ ${i.warning.message}`);
    for (const w of i.writtenInput)
      lines.push(
        `   - written input from ${nameWithHandle(w.author, w.authorName, '@handle')} (${w.submittedAt.slice(0, 10)}${w.editedAt ? `, edited ${w.editedAt.slice(0, 10)}` : ''}${w.recordedBy ? `, recorded for them by @${w.recordedBy.handle}` : ''}): ${w.body.replace(/\s+/g, ' ')}`,
      );
  }
  return lines.join('\n') + '\n';
}
