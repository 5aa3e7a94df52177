// Proof that silence was informed: for one decision, who was told, when, how far their mail got,
// and whether they opened it; and which members whose voice counts were never reached (no row,
// no address and never opened the inbox row, or mail that failed).
import type { Hub } from '../core/hub.ts';
import { decisionRow } from '../decisions/decisions.ts';

export type ToldRow = { handle: string; kind: string; at: string; mail: string | null; openedAt: string | null };

export async function whoWasTold(hub: Hub, ref: string): Promise<{ told: ToldRow[]; neverReached: string[] }> {
  const db = hub.store.db;
  const d = await decisionRow(db, ref);
  const decisionRef = `D-${d.number}`;
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('people as p', 'p.id', 'n.person_id')
    .select(['p.handle', 'n.kind', 'n.created_at', 'n.mail_state', 'n.read_at', 'n.mailed_at'])
    .where('n.subject_type', '=', 'decision')
    .where('n.subject_ref', '=', decisionRef)
    .orderBy('p.handle')
    .orderBy('n.created_at')
    .execute();
  const members = await db
    .selectFrom('group_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select('p.handle')
    .where('m.group_id', '=', d.group_id)
    .where('m.emeritus', '=', 0)
    .where('m.level', 'in', hub.governance.decisions.eligibleLevels)
    .execute();
  const reached = new Set(
    rows.filter((r) => r.read_at || r.mail_state === 'sent' || r.mail_state === 'digest-sent').map((r) => r.handle),
  );
  const openerHandle = d.opened_by;
  return {
    told: rows.map((r) => ({
      handle: r.handle,
      kind: r.kind,
      at: r.created_at,
      mail: r.mail_state,
      openedAt: r.read_at,
    })),
    neverReached: members.map((m) => m.handle).filter((h) => !reached.has(h) && h !== openerHandle),
  };
}
