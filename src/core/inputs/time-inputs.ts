// expires-in, expires-on and not-before: durations and ISO 8601 instants, parsed strictly (pure).

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `12h`, `90d`, `2w` (and `45s` where `units` has s). Lower-case units only: `M` could be read as months. */
export function parseDuration(text: string, units = 'mhdw'): number | undefined {
  const match = /^([0-9]{1,12})\s*([smhdw])$/.exec(text);
  if (!match || !units.includes(match[2] ?? '')) return undefined;
  const count = Number(match[1]);
  const unit = UNIT_MS[match[2] ?? ''];
  return count > 0 && unit !== undefined ? count * unit : undefined;
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/**
 * An ISO 8601 date (midnight UTC) or date-time with a time zone. A date-time without one is refused rather than
 * guessed: a runner's local time is UTC, a developer's is not, and an expiry hours off is a silent failure.
 */
export function parseIsoInstant(text: string): Date | string {
  const m = ISO_INSTANT.exec(text);
  if (!m) return 'is not an ISO 8601 date (2030-12-31) or date-time (2030-12-31T18:00:00Z)';
  const [, y, mo, d, hh, mi, ss, frac, zulu, sign, oh, om] = m;
  const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  const [year, month, day] = [num(y), num(mo), num(d)];
  if (hh !== undefined && zulu === undefined && sign === undefined) {
    return 'has no time zone; add Z for UTC or an offset such as +02:00';
  }
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // year 2000 is a leap year
  const leapDay = month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth || leapDay) {
    return 'is not a valid calendar date (years 1970–9999)';
  }
  if (num(hh) > 23 || num(mi) > 59 || num(ss) > 59 || num(oh) > 23 || num(om) > 59) return 'is not a valid time of day';
  const ms = Math.floor(Number(`0.${frac ?? '0'}`) * 1000);
  const offsetMinutes = (sign === '-' ? -1 : 1) * (num(oh) * 60 + num(om));
  return new Date(Date.UTC(year, month - 1, day, num(hh), num(mi), num(ss), ms) - offsetMinutes * 60_000);
}
