// Wall-clock helpers for UK settlement half-hours. Pure: instants come in as arguments.

export const DEFAULT_TIME_ZONE = "Europe/London";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
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

export interface LocalWallTime {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  year: number;
  month: number;
  day: number;
  /** Minutes since local midnight (0..1439); the repeated hour on a clock-change day maps to the same values. */
  minuteOfDay: number;
  second: number;
  /** 0 = Sunday .. 6 = Saturday, of the local date. */
  weekday: number;
}

export function localWallTime(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): LocalWallTime {
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") values[part.type] = Number(part.value);
  }
  const year = values.year ?? 1970;
  const month = values.month ?? 1;
  const day = values.day ?? 1;
  const hour = values.hour ?? 0;
  const minute = values.minute ?? 0;
  const second = values.second ?? 0;
  const date = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return { date, year, month, day, minuteOfDay: hour * 60 + minute, second, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** Offset of local time from UTC at that instant, in minutes (Europe/London: 0 in winter, 60 in summer). */
export function utcOffsetMinutes(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): number {
  const local = localWallTime(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, Math.floor(local.minuteOfDay / 60), local.minuteOfDay % 60, local.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

function parseLocalDate(localDate: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!match) throw new RangeError(`Expected a local date as YYYY-MM-DD, got "${localDate}"`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** The UTC instant of local midnight starting that local date. */
export function localMidnightUtc(localDate: string, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const { year, month, day } = parseLocalDate(localDate);
  const naive = Date.UTC(year, month - 1, day);
  const firstGuess = naive - utcOffsetMinutes(new Date(naive), timeZone) * 60_000;
  // A second pass settles the case where the offset at the guess differs from the offset at midnight itself.
  return new Date(naive - utcOffsetMinutes(new Date(firstGuess), timeZone) * 60_000);
}

export function nextLocalDate(localDate: string): string {
  const { year, month, day } = parseLocalDate(localDate);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

export interface TimeSlot {
  start: string;
  end: string;
}

/** Settlement half-hours of one local day: 48 normally, 46 when clocks go forward, 50 when they go back. */
export function buildLocalDaySlots(localDate: string, timeZone: string = DEFAULT_TIME_ZONE): TimeSlot[] {
  const start = localMidnightUtc(localDate, timeZone).getTime();
  const end = localMidnightUtc(nextLocalDate(localDate), timeZone).getTime();
  const slots: TimeSlot[] = [];
  for (let t = start; t < end; t += 30 * 60_000) {
    slots.push({ start: new Date(t).toISOString(), end: new Date(Math.min(t + 30 * 60_000, end)).toISOString() });
  }
  return slots;
}
