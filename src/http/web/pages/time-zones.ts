// The time-zone choice the profile, sign-up and meeting forms share: every zone the runtime knows,
// UTC first. ICU lists some zones under names the IANA database has since replaced (Asia/Calcutta,
// Europe/Kiev); people look for today's names, so those are offered instead (both are accepted).
import { ianaZone, RENAMED } from '../../../domain/people.ts';

export { RENAMED };

const ZONES = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone')
    .filter((z) => z !== 'UTC')
    .map((z) => RENAMED[z] ?? z)
    .sort(),
];

/** Every zone, plus the stored one when it is not listed (an older name, or what a failed form sent back). */
export function zoneOptions(current: string | undefined): { value: string; label: string }[] {
  const zones = current && !ZONES.includes(current) ? [current, ...ZONES] : ZONES;
  return zones.map((z) => ({ value: z, label: z }));
}

/**
 * The zone a form shows selected for one stored: as IANA names it ("europe/berlin" is Europe/Berlin),
 * or, when no IANA zone names it ("+02:00", saved before zones were checked), as stored, which the
 * hub takes back unchanged (attack round 28: the profile form refused a new name for it).
 */
export function zoneShown(stored: string): string {
  return ianaZone(stored) ?? stored;
}
