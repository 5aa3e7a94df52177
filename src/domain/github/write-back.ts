// What the hub writes back to a mirrored pull request or issue, as pure functions: the labels that
// follow a move (only the labels the governance file maps are touched; everyone else's stay), the
// one status comment (edited in place, found again by its marker if the hub lost its id), and a
// decision's outcome. Markers are HTML comments, invisible on GitHub, so the mirror can tell the
// hub's own comments from people's and never copies them back into a thread.

import { markdownLine } from '../text.ts';

export const STATUS_MARKER = '<!-- wghub:status -->';
export const outcomeMarker = (decision: string) => `<!-- wghub:outcome ${decision} -->`;
export const notesMarker = (meeting: string) => `<!-- wghub:notes ${meeting} -->`;

/** A comment the hub wrote (its status or an outcome): never mirrored into a thread. */
export function isHubComment(body: string | null | undefined): boolean {
  return Boolean(body?.includes('<!-- wghub:'));
}

/**
 * The labels to add and remove so that exactly the label of `stage` (if the route maps it) is on
 * the item among the labels the route maps; GitHub compares label names without case.
 */
export function labelChanges(
  current: string[],
  stageLabels: Record<string, string>,
  stage: string,
): { add: string[]; remove: string[] } {
  const want = stageLabels[stage] ?? null;
  const managed = new Set(Object.values(stageLabels).map((l) => l.toLowerCase()));
  const has = new Set(current.map((l) => l.toLowerCase()));
  const remove = current.filter((l) => managed.has(l.toLowerCase()) && l.toLowerCase() !== want?.toLowerCase());
  const add = want && !has.has(want.toLowerCase()) ? [want] : [];
  return { add, remove };
}

export type StatusFacts = {
  ref: string;
  title: string;
  url: string;
  stage: string;
  stageChangedAt: string;
  sponsor: string | null;
  gate: { layer: string; passed: boolean; conditions: { condition: string; passed: boolean; reason: string }[] };
  decisions: { ref: string; url: string; question: string; deadline: string; phase: string; outcome: string }[];
  priorWork: { ref: string; title: string; reasons: string[] }[];
};

const day = (iso: string) => iso.slice(0, 10);
const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
/** Text from the hub quoted on GitHub: no mention pings, no markup breaking the list. */
const plain = (s: string) => s.replace(/\s+/g, ' ').replace(/@/g, '@\u200b').replace(/<!--/g, '&lt;!--').trim();

/** The one status comment: stage, sponsor, the gate with why, open decisions and deadlines, prior work. */
export function statusCommentBody(f: StatusFacts): string {
  const lines = [
    STATUS_MARKER,
    `**Working-group hub: ${f.ref}** · [see it in the hub](${f.url})`,
    '',
    `- Stage: **${f.stage}** (since ${day(f.stageChangedAt)})`,
    `- Sponsor: ${f.sponsor ? `@${f.sponsor}` : 'none yet (seeking a sponsor)'}`,
    '',
    `**Gate for the ${f.gate.layer} layer: ${f.gate.passed ? 'passes' : 'does not pass yet'}**`,
    ...f.gate.conditions.map((c) => `- ${c.passed ? '✅' : '❌'} ${plain(c.condition)}: ${plain(c.reason)}`),
  ];
  const open = f.decisions.filter((d) => d.outcome === 'pending');
  const closed = f.decisions.filter((d) => d.outcome !== 'pending');
  if (open.length) {
    lines.push('', '**Open decisions**');
    for (const d of open)
      lines.push(`- [${d.ref}](${d.url}) ${plain(d.question)}: ${d.phase}, closes ${minute(d.deadline)}`);
  }
  if (closed.length) {
    lines.push('', '**Decided**');
    for (const d of closed) lines.push(`- [${d.ref}](${d.url}) ${plain(d.question)}: ${d.outcome}`);
  }
  if (f.priorWork.length) {
    lines.push('', '**Prior work found**');
    for (const p of f.priorWork.slice(0, 5))
      lines.push(
        `- ${p.ref} ${markdownLine(plain(p.title))}${p.reasons.length ? ` (${plain(p.reasons.slice(0, 2).join('; '))})` : ''}`,
      );
  }
  lines.push('', '_The hub keeps this one comment up to date; it edits it in place rather than adding new ones._');
  return lines.join('\n');
}

/** A decision's outcome, posted once on the item it decided. */
export function outcomeCommentBody(d: {
  ref: string;
  url: string;
  question: string;
  outcome: string;
  why: string[];
  closedAt: string;
}): string {
  return [
    outcomeMarker(d.ref),
    `**Decision ${d.ref}: ${d.outcome}** (closed ${minute(d.closedAt)}) · [see it in the hub](${d.url})`,
    '',
    `> ${plain(d.question)}`,
    ...(d.why.length ? ['', ...d.why.slice(-3).map((w) => `- ${plain(w)}`)] : []),
  ].join('\n');
}

/** A meeting's published notes as a GitHub Discussion: its title and body (the notes as written). */
export function notesDiscussion(m: {
  ref: string;
  title: string;
  group: string;
  startsAt: string;
  url: string;
  notes: string;
}): { title: string; body: string } {
  return {
    title: `${m.title}: notes of ${day(m.startsAt)}`,
    body: [
      notesMarker(m.ref),
      `Notes of **${markdownLine(plain(m.title))}** (${markdownLine(m.group)}, ${minute(m.startsAt)}) · [the meeting in the hub](${m.url})`,
      '',
      m.notes,
    ].join('\n'),
  };
}
