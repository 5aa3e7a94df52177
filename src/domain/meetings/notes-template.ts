// The notes template a note-taker starts from: the agenda in order, each item's written input
// quoted with a box to tick when it is presented, then attendance, decisions and action items.
// Titles and names are written as text (markdownLine): a title cannot add markup to the notes.
import { markdownLine } from '../text.ts';

export type TemplateMeeting = {
  ref: string;
  title: string;
  kind: string;
  group: string;
  groupName: string;
  topic: string | null;
  topicName: string | null;
  startsAt: string;
  localStart: string;
  timeZone: string;
  attendance: string[];
  agenda: {
    items: {
      position: number;
      title: string;
      kind: string;
      link: { type: string; ref: string } | null;
      writtenInput: {
        author: string;
        body: string;
        submittedAt: string;
        presented: boolean | null;
        note: string | null;
      }[];
    }[];
  };
  decisions: { summary: string; decision: string | null }[];
  actions: { owner: string; description: string; due: string; done: boolean }[];
};

const quote = (text: string) =>
  text
    .split('\n')
    .map((l) => `> ${l}`.trimEnd())
    .join('\n');

/** "2026-03-02 12:00 UTC": the notes are published as written, so no raw ISO timestamp goes in them. */
function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function presentedMark(p: boolean | null, note: string | null): string {
  if (p === true) return '[x] presented';
  if (p === false) return `[ ] not presented${note ? `: ${note}` : ''}`;
  return '[ ] presented';
}

export function notesTemplate(m: TemplateMeeting): string {
  const out: string[] = [];
  out.push(`# ${markdownLine(m.title)} (${m.ref})`, '');
  // names, not the slugs of addresses: published notes are read by people
  out.push(`- **Group:** ${markdownLine(m.groupName)}${m.topicName ? ` / ${markdownLine(m.topicName)}` : ''}`);
  out.push(`- **Kind:** ${m.kind} meeting`);
  // a meeting kept in UTC reads its time once, not "14:30 UTC (Sat … 14:30 UTC, UTC)"
  const utc = utcMinute(m.startsAt);
  out.push(`- **When:** ${m.localStart.endsWith(utc) ? m.localStart : `${utc} (${m.localStart}, ${m.timeZone})`}`);
  out.push(
    `- **Attendees:** ${m.attendance.length ? m.attendance.map((h) => `@${h}`).join(', ') : '_(record attendance)_'}`,
    '',
  );
  out.push('## Agenda', '');
  if (!m.agenda.items.length) out.push('_No agenda items._', '');
  for (const i of m.agenda.items) {
    out.push(`### ${i.position}. ${markdownLine(i.title)}${i.kind !== m.kind ? ` _(${i.kind} item)_` : ''}`, '');
    if (i.link) out.push(`Linked ${i.link.type}: ${i.link.ref}`, '');
    for (const w of i.writtenInput) {
      out.push(
        `**Written input from @${w.author}** (sent ${utcMinute(w.submittedAt)}) — ${presentedMark(w.presented, w.note)}`,
        '',
        quote(w.body),
        '',
      );
    }
    out.push('_Discussion:_', '');
  }
  out.push('## Decisions', '');
  out.push(
    ...(m.decisions.length ? m.decisions.map((d) => `- ${d.summary}${d.decision ? ` (${d.decision})` : ''}`) : ['- ']),
    '',
  );
  out.push('## Action items', '');
  out.push(
    ...(m.actions.length
      ? m.actions.map((a) => `- [${a.done ? 'x' : ' '}] @${a.owner}: ${a.description} (due ${a.due})`)
      : // no '@' in the placeholder: left in published notes, '@owner' linked to (and mentioned) a person of that handle
        ['- [ ] who: … (due YYYY-MM-DD)']),
    '',
  );
  return out.join('\n');
}
