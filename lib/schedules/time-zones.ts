/**
 * IANA names that ICU (and so Node and Chromium) still reports as canonical although IANA renamed
 * them long ago: Intl.supportedValuesOf('timeZone') lists "Asia/Calcutta", and resolving
 * "Asia/Kolkata" gives "Asia/Calcutta" back. People look for the current name, so we show and
 * store that one; both resolve to the same rules everywhere. This is the rename list of the TC39
 * time zone canonicalization proposal, checked against tzdata 2025b's backward links.
 */
const RENAMED_ZONES: Readonly<Record<string, string>> = {
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

/** The current IANA name of a zone this runtime resolved (see RENAMED_ZONES); other names unchanged. */
export function currentZoneName(zone: string): string {
  return RENAMED_ZONES[zone] ?? zone;
}

/** Every zone this runtime knows, by current name, UTC first, then alphabetical. */
export function listTimeZones(): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone').map(currentZoneName));
  zones.delete('UTC');
  return ['UTC', ...[...zones].sort()];
}

/** The reader's own zone by its current name; in the browser that is the system setting. */
export function localTimeZone(): string {
  return currentZoneName(Intl.DateTimeFormat().resolvedOptions().timeZone);
}
