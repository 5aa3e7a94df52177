// The notices that quote written input keep up with it: a facilitator told of an input that its
// sender then changed or withdrew is not left reading the old words. The new event tells them
// (recipients.ts, folded into an unread notice as any news of the meeting is); this brings every
// earlier notice quoting the old text up to date too, read or not.
import { quotedLine } from '../../domain/text.ts';
import type { Tx } from '../core/hub.ts';

/** A text as one line of at most 280 characters, in quotes: how a notice's detail quotes written input. */
export function quotedInput(text: string): string {
  return `“${quotedLine(text)}”`;
}

export const WITHDRAWN_DETAIL = 'Withdrawn by its sender: nothing to present';

/** Rewrites the quote of `was` in the meeting's written-input notices: the new text, or that it was withdrawn. */
export async function reviseWrittenInputNotices(
  trx: Tx,
  meeting: string,
  was: string,
  now: { body: string } | 'withdrawn',
): Promise<void> {
  const old = quotedInput(was);
  const replacement = now === 'withdrawn' ? WITHDRAWN_DETAIL : quotedInput(now.body);
  // a meeting's facilitators, leads and organiser: a few rows, matched here rather than by a LIKE
  // over text its sender wrote (% and _ in it would match other inputs)
  const rows = await trx
    .selectFrom('notifications')
    .select(['id', 'detail'])
    .where('subject_type', '=', 'meeting')
    .where('subject_ref', '=', meeting)
    .where('kind', '=', 'written-input')
    .execute();
  for (const r of rows)
    if (r.detail.startsWith(old))
      await trx
        .updateTable('notifications')
        .set({ detail: replacement + r.detail.slice(old.length) })
        .where('id', '=', r.id)
        .execute();
}
