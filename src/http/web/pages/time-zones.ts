// The time-zone choice the profile and meeting forms share: every zone the runtime knows, UTC first.
const ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];

/** Every zone, plus the stored one when ICU lists it under another name (Asia/Kolkata as Asia/Calcutta). */
export function zoneOptions(current: string | undefined): { value: string; label: string }[] {
  const zones = current && !ZONES.includes(current) ? [current, ...ZONES] : ZONES;
  return zones.map((z) => ({ value: z, label: z }));
}
