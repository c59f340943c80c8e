// Time-zone arithmetic with Intl only (no date library). Offsets are read from
// Intl.DateTimeFormat, whose formatter is cached per zone because building one
// costs far more than using it.

export interface LocalDateTime {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number; // 0..23
  minute: number;
  second: number;
}

/** A local calendar date, "YYYY-MM-DD". */
export type LocalDate = string;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows `timeZone` as an IANA zone (or an alias such as "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === "" || timeZone !== timeZone.trim()) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock reading of `instant` in `timeZone`. */
export function localDateTime(instant: Date | number, timeZone: string): LocalDateTime {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const out: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of parts) {
    switch (part.type) {
      case "year":
        out.year = Number(part.value);
        break;
      case "month":
        out.month = Number(part.value);
        break;
      case "day":
        out.day = Number(part.value);
        break;
      case "hour":
        out.hour = Number(part.value);
        break;
      case "minute":
        out.minute = Number(part.value);
        break;
      case "second":
        out.second = Number(part.value);
        break;
      default:
        break;
    }
  }
  return out;
}

function wallClockAsUtcMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (Europe/London in summer: 60). */
export function zoneOffsetMinutes(instant: Date | number, timeZone: string): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const wholeSecondMs = Math.floor(ms / 1000) * 1000;
  return Math.round((wallClockAsUtcMs(localDateTime(wholeSecondMs, timeZone)) - wholeSecondMs) / MINUTE_MS);
}

/** The local calendar date of `instant` in `timeZone`. */
export function localDateOf(instant: Date | number, timeZone: string): LocalDate {
  const local = localDateTime(instant, timeZone);
  return formatLocalDate(local.year, local.month, local.day);
}

export function formatLocalDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) throw new RangeError(`not a local date (YYYY-MM-DD): ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** The local date `days` after `date` (calendar arithmetic, independent of any zone). */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  const shifted = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS);
  return formatLocalDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** Parses a wall time "HH:MM" (or "HH:MM:SS", seconds must be 00) into minutes after midnight. */
export function parseLocalTime(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/.exec(text);
  if (match === null) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * All instants at which the wall clock in `timeZone` reads `date` at
 * `minuteOfDay`, earliest first.
 *
 * - Ordinary time: one instant.
 * - Overlap (clocks go back, the wall time happens twice): two instants.
 * - Gap (clocks go forward, the wall time never happens): one instant, read
 *   with the offset in force before the jump, i.e. the wall time shifted
 *   forward by the length of the gap (Europe/London 2026-03-29 01:30 becomes
 *   01:30Z = 02:30 BST).
 *
 * Assumes at most one offset change within a day either side, which holds
 * for every zone in the IANA database.
 */
export function instantsOfLocalTime(date: LocalDate, minuteOfDay: number, timeZone: string): number[] {
  const { year, month, day } = parseLocalDate(date);
  const wallMs = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const offsetBefore = zoneOffsetMinutes(wallMs - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetMinutes(wallMs + DAY_MS, timeZone);
  const found: number[] = [];
  for (const offset of offsetBefore === offsetAfter ? [offsetBefore] : [offsetBefore, offsetAfter]) {
    const candidate = wallMs - offset * MINUTE_MS;
    if (zoneOffsetMinutes(candidate, timeZone) === offset) found.push(candidate);
  }
  if (found.length === 0) found.push(wallMs - offsetBefore * MINUTE_MS);
  return found.sort((a, b) => a - b);
}

/**
 * The first instant strictly after `after` at which the wall clock in
 * `timeZone` reads `localTime` ("HH:MM"). This is how a ready-by wall time
 * becomes an instant: plugged in at 18:00 with ready-by 07:30 gives tomorrow's
 * 07:30; plugged in at 07:30 exactly gives tomorrow's too.
 *
 * Clock changes, deterministically: a wall time that happens twice (clocks go
 * back) is taken at its first occurrence after `after`; a wall time that never
 * happens (clocks go forward) is shifted forward by the gap, as in
 * `instantsOfLocalTime`.
 */
export function nextOccurrenceOfLocalTime(after: Date, localTime: string, timeZone: string): Date {
  const minuteOfDay = parseLocalTime(localTime);
  if (minuteOfDay === null) throw new RangeError(`not a wall time (HH:MM): ${localTime}`);
  const afterMs = after.getTime();
  const startDate = addLocalDays(localDateOf(afterMs, timeZone), -1);
  for (let dayOffset = 0; dayOffset <= 3; dayOffset += 1) {
    const date = addLocalDays(startDate, dayOffset);
    for (const candidate of instantsOfLocalTime(date, minuteOfDay, timeZone)) {
      if (candidate > afterMs) return new Date(candidate);
    }
  }
  throw new RangeError(`no occurrence of ${localTime} in ${timeZone} after ${after.toISOString()}`);
}

/** The instant local `date` begins in `timeZone` (its first midnight, or the jump past a skipped midnight). */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  const instants = instantsOfLocalTime(date, 0, timeZone);
  const first = instants[0];
  if (first === undefined) throw new RangeError(`no start of ${date} in ${timeZone}`);
  return first;
}
