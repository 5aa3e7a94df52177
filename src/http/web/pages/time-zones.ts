// The time-zone choice the profile, sign-up and meeting forms share: every zone the runtime knows,
// UTC first. ICU lists some zones under names the IANA database has since replaced (Asia/Calcutta,
// Europe/Kiev); people look for today's names, so those are offered instead (both are accepted).
export const RENAMED: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

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
