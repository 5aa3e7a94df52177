import type { Kysely } from 'kysely';
import { ianaZone } from '../../domain/people.ts';

// Time zones saved before they were kept as IANA spells them (attack round 26) stay as typed:
// 'europe/berlin' or '+02:00' went into calendar feeds as TZIDs no calendar reads. Each stored zone
// is rewritten as `ianaZone` names it (people's and meetings'); one it cannot name is left as it is
// and counted on stderr. Running it again changes nothing: a name it gives is one it keeps.
export async function up(db: Kysely<any>): Promise<void> {
  let unmapped = 0;
  for (const table of ['people', 'meetings'] as const) {
    const zones: { time_zone: string }[] = await db.selectFrom(table).select('time_zone').distinct().execute();
    for (const { time_zone: stored } of zones) {
      const named = ianaZone(stored);
      if (named === null) {
        unmapped++;
        continue;
      }
      if (named !== stored)
        await db.updateTable(table).set({ time_zone: named }).where('time_zone', '=', stored).execute();
    }
  }
  if (unmapped > 0)
    process.stderr.write(
      `migration 396: ${unmapped} stored time zone(s) name no IANA zone and were left as they are\n`,
    );
}

export async function down(): Promise<void> {
  throw new Error('wghub migrations only move forward; restore a backup to go back');
}
