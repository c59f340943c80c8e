// Wall-clock helpers for UK settlement half-hours. Pure: instants come in as arguments.
// Duplicated from battery/ on purpose: each optimiser module stays self-contained.

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

