import type { Governance } from './governance/index.ts';

/** How long a claim link stays valid; help and messages read it from here. */
export const CLAIM_DAYS = 7;

/**
 * Confirmation mail: how long its link works, and how often one is sent. To one person, at most one
 * every `minutesBetween` and `perDay` in any 24 hours; to one address, `perDay` in any 24 hours
 * whoever asks (so nobody can fill a stranger's mailbox by giving their address to many records).
 */
export const EMAIL_CONFIRMATION = { validHours: 48, minutesBetween: 5, perDay: 5 } as const;

/**
 * Whether another confirmation mail may be sent now, given when the earlier ones to this person and
 * to this address were asked for (ISO times, any order); if not, why and from when it may.
 */
export function confirmationMayBeSent(
  now: Date,
  toPerson: string[],
  toAddress: string[],
): { allowed: true } | { allowed: false; why: string; retryAt: string } {
  const { minutesBetween, perDay } = EMAIL_CONFIRMATION;
  const day = 86_400_000;
  const recent = (times: string[]) =>
    times.filter((t) => now.getTime() - new Date(t).getTime() < day).sort((a, b) => a.localeCompare(b));
  const mine = recent(toPerson);
  const last = mine.at(-1);
  if (last && now.getTime() - new Date(last).getTime() < minutesBetween * 60_000)
    return {
      allowed: false,
      why: `a confirmation mail was sent less than ${minutesBetween} minutes ago`,
      retryAt: new Date(new Date(last).getTime() + minutesBetween * 60_000).toISOString(),
    };
  const full = (times: string[]) => new Date(new Date(times[times.length - perDay]!).getTime() + day).toISOString();
  if (mine.length >= perDay)
    return { allowed: false, why: `${perDay} confirmation mails were sent in the last 24 hours`, retryAt: full(mine) };
  const theirs = recent(toAddress);
  if (theirs.length >= perDay)
    return {
      allowed: false,
      why: `${perDay} confirmation mails went to this address in the last 24 hours`,
      retryAt: full(theirs),
    };
  return { allowed: true };
}

/** A person's address on record and the confirmed one notices go to (addresses are kept in lower case). */
export type AddressOnRecord = { email?: string | null; confirmed_email?: string | null };

/** Whether the address on record is the confirmed one (addresses are kept in lower case). */
export const emailConfirmed = (p: AddressOnRecord): boolean =>
  !!p.email && p.email.toLowerCase() === p.confirmed_email?.toLowerCase();

/**
 * Whether notices can be mailed to this person, and if not why, in words: the proof of who was
 * told and the list of who will be mailed read it.
 */
export function mailReach(p: AddressOnRecord): 'mailable' | 'unconfirmed' | 'no-address' {
  if (p.confirmed_email) return 'mailable';
  return p.email ? 'unconfirmed' : 'no-address';
}

/**
 * Zones already asked about. Building a formatter to ask takes 50–300 µs, and one list of fair-times
 * participants names up to 5,000 zones: checking them took 0.7–1.7 s of the event loop per request.
 * The zones the runtime lists are known without asking; other names (aliases such as US/Pacific,
 * other spellings, nonsense) are remembered, at most 1,000, forgetting the oldest, so one request
 * of made-up names cannot fill the memory and leave real zones to be asked again.
 */
/**
 * Zones ICU lists under names the IANA database has since replaced (Asia/Calcutta, Europe/Kiev), with
 * today's names, which people look for (the web's choice of zone offers these; both are accepted).
 */
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

let canonicalZones: Set<string> | undefined;
/** Every zone name the hub offers, by its lower case: "europe/berlin" finds Europe/Berlin. */
let zonesByLowerCase: Map<string, string> | undefined;
const zoneAnswers = new Map<string, string | null>();
const REMEMBERED = 1_000;

/**
 * The IANA name of a zone, or null when it names none. A listed name is kept as written (Asia/Calcutta
 * and Asia/Kolkata alike); one in other capitals is spelt as listed ("europe/berlin" is Europe/Berlin,
 * "utc" UTC); an alias the runtime knows is its zone under today's name (US/Pacific is
 * America/Los_Angeles). A fixed offset ("+02:00", "-0530") is no IANA zone, though Node 24 takes one.
 * Stored as typed, such names went into the iCalendar feeds as `DTSTART;TZID=+02:00:…`, a line calendars
 * split at the offset's colon, and `TZID=europe/berlin`, a zone calendars do not know (attack round 26).
 */
export function ianaZone(zone: string): string | null {
  canonicalZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', ...Object.values(RENAMED)]);
  if (canonicalZones.has(zone)) return zone;
  const known = zoneAnswers.get(zone);
  if (known !== undefined) return known;
  zonesByLowerCase ??= new Map([...canonicalZones].map((z) => [z.toLowerCase(), z]));
  let name: string | null = zonesByLowerCase.get(zone.toLowerCase()) ?? null;
  if (name === null) {
    try {
      name = zone.length > 0 ? new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone : null;
    } catch {
      name = null;
    }
    // an offset resolves to itself (+02:00): no region, so no IANA zone
    if (name !== null && !/^[A-Za-z]/.test(name)) name = null;
    if (name !== null) name = RENAMED[name] ?? name;
  }
  if (zone.length <= 64) {
    if (zoneAnswers.size >= REMEMBERED) zoneAnswers.delete(zoneAnswers.keys().next().value!);
    zoneAnswers.set(zone, name);
  }
  return name;
}

export function isTimeZone(zone: string): boolean {
  return ianaZone(zone) !== null;
}

export type AgreementState = {
  cocVersion: string | null;
  termsVersion: string | null;
};

export type MissingAgreement = {
  agreement: 'codeOfConduct' | 'contributionTerms';
  title: string;
  version: string;
  url: string;
};

/** Which texts the person still has to accept (in their current versions) before contributing. */
export function missingAgreements(g: Governance, p: AgreementState): MissingAgreement[] {
  const out: MissingAgreement[] = [];
  const { codeOfConduct, contributionTerms } = g.agreements;
  if (p.cocVersion !== codeOfConduct.version) out.push({ agreement: 'codeOfConduct', ...codeOfConduct });
  if (p.termsVersion !== contributionTerms.version) out.push({ agreement: 'contributionTerms', ...contributionTerms });
  return out;
}

export type Affiliation = { organisation: string; from: string | null; to: string | null };

/** The organisation a person spoke for on a date (YYYY-MM-DD or ISO); open ends are unbounded. */
export function affiliationOn<T extends Affiliation>(affiliations: T[], at: string): T | null {
  const day = at.slice(0, 10);
  return affiliations.find((a) => (a.from === null || a.from <= day) && (a.to === null || day <= a.to)) ?? null;
}

/**
 * A person's affiliations once they name the organisation they are with now (a profile's one
 * field): null when it is one they are with already (or none, and they name none); otherwise
 * those open today end today and the named one starts today (an empty name only ends them).
 */
export function withOrganisationNow(
  affiliations: readonly Affiliation[],
  name: string,
  today: string,
): Affiliation[] | null {
  const named = name.trim();
  const open = affiliations.filter((a) => a.to === null);
  if (named ? open.some((a) => a.organisation.toLowerCase() === named.toLowerCase()) : !open.length) return null;
  return [
    ...affiliations.map((a) => (a.to === null ? { ...a, to: a.from && a.from > today ? a.from : today } : a)),
    ...(named ? [{ organisation: named, from: today, to: null }] : []),
  ];
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A person as plain text shows them: "Ana Lima (@ana)" when the name is known, else the handle as
 * `bare` (what the CLI printed before names were carried: "ana"; markdown: "@ana"); the operator, who
 * acts as 'operator' (a handle no person may take), in words.
 */
/**
 * A name and handle as plain text (a flash, a label, a string a page escapes) with the name set
 * apart by Unicode's first-strong isolate and its pop (U+2068, U+2069): a right-to-left name does not
 * pull " (@handle)" into its own order, as `<bdi>` keeps it on a page.
 */
export const isolatedName = (name: string): string => `\u2068${name}\u2069`;

export function nameWithHandle(
  handle: string,
  name: string | undefined,
  bare: 'handle' | '@handle' = 'handle',
): string {
  if (name !== undefined && name !== '') return `${name} (@${handle})`;
  if (handle === 'operator') return "the hub's operator";
  return bare === '@handle' ? `@${handle}` : handle;
}
