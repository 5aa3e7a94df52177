// The SEP automation's timers, run as a job. State is computed from the injected clock when
// the job runs; what it does (reminders, moves to dormant) goes into the event log, and a
// reminder is recorded once per quiet spell so nobody is reminded twice for the same wait.
// A timer counts from the later of the stage entry and the last thing the people responsible
// (its authors and sponsor) did on it: their comments (here or mirrored from GitHub), the commits
// they pushed to its pull request, and their own actions. Anyone else's activity, a bot's ping above all, does not reset it: GitHub's
// "last updated" would.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { inTransaction, nowIso, record, type Actor, type Hub } from '../core/hub.ts';
import { authorizeCommunity } from '../people/access.ts';
import { refOf } from './proposals.ts';
import { indexProposal } from '../search/indexing.ts';

const DAY = 86_400_000;

export type DormancyAction = { ref: string; action: 'reminder' | 'moved-to-dormant'; kind: string; days: number };

export function daysSince(from: string, now: Date): number {
  return Math.floor((now.getTime() - new Date(from).getTime()) / DAY);
}

export async function runDormancy(hub: Hub, actor: Actor): Promise<DormancyAction[]> {
  authorizeCommunity(hub, actor, 'runDormancy');
  const d = hub.governance.proposals.dormancy;
  const now = hub.clock.now();
  const job: Actor = { kind: 'system', label: 'dormancy' };
  const candidates = await hub.store.db
    .selectFrom('proposals')
    .selectAll()
    .where('route', '=', 'sep')
    .where('stage', 'in', ['awaiting-sponsor', 'draft', 'accepted'])
    .orderBy('number')
    .execute();
  const actions: DormancyAction[] = [];
  for (const p of candidates) {
    const since = await quietSince(hub.store.db, p);
    const days = daysSince(since, now);
    await inTransaction(hub, async (trx) => {
      const remind = async (kind: string) => {
        const done = await trx
          .selectFrom('reminders')
          .select('kind')
          .where('proposal_id', '=', p.id)
          .where('kind', '=', kind)
          .where('stage_changed_at', '=', since)
          .executeTakeFirst();
        if (done) return;
        await trx
          .insertInto('reminders')
          // the column names the start of the quiet spell this reminder is for
          .values({ proposal_id: p.id, kind, stage_changed_at: since, recorded_at: nowIso(hub) })
          .execute();
        const authors = await trx
          .selectFrom('proposal_authors as a')
          .innerJoin('people as u', 'u.id', 'a.person_id')
          .select('u.handle')
          .where('a.proposal_id', '=', p.id)
          .execute();
        await record(trx, hub, job, 'proposal.reminder', { type: 'proposal', id: refOf(p) }, null, {
          kind,
          days,
          to: authors.map((a) => a.handle),
        });
        actions.push({ ref: refOf(p), action: 'reminder', kind, days });
      };
      if (p.stage === 'awaiting-sponsor' && days >= d.awaitingSponsorDormantDays) {
        const res = await trx
          .updateTable('proposals')
          .set({ stage: 'dormant', stage_changed_at: nowIso(hub), version: p.version + 1, updated_at: nowIso(hub) })
          .where('id', '=', p.id)
          .where('version', '=', p.version)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) {
          await record(
            trx,
            hub,
            job,
            'proposal.stage-changed',
            { type: 'proposal', id: refOf(p) },
            { stage: 'awaiting-sponsor' },
            {
              stage: 'dormant',
              reason: `no sponsor, and nothing from its authors, for ${d.awaitingSponsorDormantDays} days`,
            },
          );
          actions.push({ ref: refOf(p), action: 'moved-to-dormant', kind: 'awaiting-sponsor', days });
          await indexProposal(trx, p.id);
        }
      } else if (p.stage === 'awaiting-sponsor' && days >= d.awaitingSponsorReminderDays)
        await remind('awaiting-sponsor');
      else if (p.stage === 'draft' && days >= d.staleDraftReminderDays) await remind('stale-draft');
      else if (p.stage === 'accepted' && days >= d.acceptedWithoutProgressReminderDays)
        await remind('accepted-without-progress');
    });
  }
  return actions;
}

/**
 * When the proposal's current wait began: its stage entry, or the last comment or action of one
 * of its authors or its sponsor on it, whichever is later.
 */
export async function quietSince(
  db: Kysely<Database>,
  p: { id: string; number: number; sep_number: number | null; sponsor_id: string | null; stage_changed_at: string },
): Promise<string> {
  const authors = await db.selectFrom('proposal_authors').select('person_id').where('proposal_id', '=', p.id).execute();
  const ids = [...authors.map((a) => a.person_id), ...(p.sponsor_id ? [p.sponsor_id] : [])];
  if (!ids.length) return p.stage_changed_at;
  const people = await db.selectFrom('people').select(['handle', 'github']).where('id', 'in', ids).execute();
  const logins = people.flatMap((x) => (x.github ? [x.github.toLowerCase()] : []));
  const [comment, action, commit] = await Promise.all([
    db
      .selectFrom('comments')
      .select((eb) => eb.fn.max<string>('created_at').as('at'))
      .where('proposal_id', '=', p.id)
      .where('author_id', 'in', ids)
      .executeTakeFirst(),
    db
      .selectFrom('events')
      .select((eb) => eb.fn.max<string>('at').as('at'))
      .where('subject_type', '=', 'proposal')
      .where('subject_id', '=', refOf(p))
      .where(
        'actor',
        'in',
        people.map((x) => x.handle),
      )
      .executeTakeFirst(),
    // commits they pushed to its pull request (mirrored from GitHub); a bot's push is nobody's here
    logins.length
      ? db
          .selectFrom('github_commits')
          .select((eb) => eb.fn.max<string>('at').as('at'))
          .where('proposal_id', '=', p.id)
          .where((eb) => eb(eb.fn('lower', ['login']), 'in', logins))
          .executeTakeFirst()
      : undefined,
  ]);
  return [p.stage_changed_at, comment?.at, action?.at, commit?.at]
    .filter((x): x is string => Boolean(x))
    .reduce((a, b) => (new Date(b).getTime() > new Date(a).getTime() ? b : a));
}
