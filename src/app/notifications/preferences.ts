// How each person wants to be told. A person who never chose has the governance file's defaults.
import type { DigestChoice } from '../../domain/notifications/kinds.ts';
import type { NotificationPreferencesTable } from '../../store/schema.ts';
import type { Hub, Tx } from '../core/hub.ts';

export type Preferences = {
  immediate: boolean;
  digest: DigestChoice;
  digestHour: number;
  digestWeekday: number;
  quietStart: string | null;
  quietEnd: string | null;
  replyEpoch: number;
};

export function defaultPreferences(hub: Hub): Preferences {
  const d = hub.governance.notifications.defaults;
  return {
    immediate: d.immediate,
    digest: d.digest,
    digestHour: d.digestHour,
    digestWeekday: d.digestWeekday,
    quietStart: null,
    quietEnd: null,
    replyEpoch: 0,
  };
}

export function preferencesOf(hub: Hub, row: NotificationPreferencesTable | undefined): Preferences {
  if (!row) return defaultPreferences(hub);
  return {
    immediate: row.immediate === 1,
    digest: row.digest,
    digestHour: Number(row.digest_hour),
    digestWeekday: Number(row.digest_weekday),
    quietStart: row.quiet_start,
    quietEnd: row.quiet_end,
    replyEpoch: Number(row.reply_epoch),
  };
}

/** Preferences of many people at once (a whole group told of a decision). */
export async function preferencesOfMany(trx: Tx, hub: Hub, personIds: string[]): Promise<Map<string, Preferences>> {
  const out = new Map<string, Preferences>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await trx
      .selectFrom('notification_preferences')
      .selectAll()
      .where('person_id', 'in', personIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.person_id, preferencesOf(hub, r));
  }
  for (const id of personIds) if (!out.has(id)) out.set(id, defaultPreferences(hub));
  return out;
}
