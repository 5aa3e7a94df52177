// The SEP automation's timers, run as a job. State is computed from the injected clock when
// the job runs; what it does (reminders, moves to dormant) goes into the event log, and a
// reminder is recorded once per stage entry so nobody is reminded twice for the same wait.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { inTransaction, nowIso, record, type Actor, type Hub } from '../core/hub.ts';
import { requirePermission } from '../people/people.ts';
import { refOf } from './proposals.ts';
import { indexProposal } from '../search/indexing.ts';

const DAY = 86_400_000;

export type DormancyAction = { ref: string; action: 'reminder' | 'moved-to-dormant'; kind: string; days: number };

export function daysSince(from: string, now: Date): number {
  return Math.floor((now.getTime() - new Date(from).getTime()) / DAY);
}

export async function runDormancy(hub: Hub, actor: Actor): Promise<DormancyAction[]> {
  requirePermission(hub, actor, 'proposal.runDormancy');
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
    const days = daysSince(p.stage_changed_at, now);
    await inTransaction(hub, async (trx) => {
      const remind = async (kind: string) => {
        const done = await trx
          .selectFrom('reminders')
          .select('kind')
          .where('proposal_id', '=', p.id)
          .where('kind', '=', kind)
          .where('stage_changed_at', '=', p.stage_changed_at)
          .executeTakeFirst();
        if (done) return;
        await trx
          .insertInto('reminders')
          .values({ proposal_id: p.id, kind, stage_changed_at: p.stage_changed_at, recorded_at: nowIso(hub) })
          .execute();
        const authors = await (trx as Kysely<Database>)
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
            { stage: 'dormant', reason: `no sponsor within ${d.awaitingSponsorDormantDays} days` },
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
