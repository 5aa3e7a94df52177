// Proposal, decision and meeting numbers are gap-free and never repeat. Each kind has one counter
// row, bumped inside the creating transaction: concurrent creates wait for each other on that
// row (PostgreSQL) or on the database lock (SQLite) instead of both reading the same max(number)
// and one of them failing on the unique index; a rolled-back create gives its number back.
import type { Tx } from './hub.ts';

export type NumberedKind = 'proposals' | 'decisions' | 'meetings';

export async function nextNumber(trx: Tx, kind: NumberedKind): Promise<number> {
  const bumped = await trx
    .updateTable('number_counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('kind', '=', kind)
    .returning('value')
    .executeTakeFirst();
  if (bumped) return Number(bumped.value);
  // a database whose counter row is missing starts it from what is stored
  const max = await trx
    .selectFrom(kind)
    .select((eb) => eb.fn.max('number').as('n'))
    .executeTakeFirst();
  const value = Number(max?.n ?? 0) + 1;
  await trx.insertInto('number_counters').values({ kind, value }).execute();
  return value;
}
