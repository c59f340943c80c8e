/**
 * Display formatting shared by tables, timelines and charts. Everything is rendered in
 * Europe/London with an explicit time zone so the server render and the browser agree
 * (no hydration mismatch) and operators read UK settlement time wherever they sit.
 */
export const displayTimeZone = "Europe/London";

export type Instant = Date | string | number;

export function toDate(value: Instant): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toEpochMs(value: Instant): number {
  return toDate(value).getTime();
}

const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: displayTimeZone,
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const shortDateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: displayTimeZone,
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: displayTimeZone,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const dayFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: displayTimeZone,
  weekday: "short",
  day: "numeric",
  month: "short",
});
const dateFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: displayTimeZone,
  day: "numeric",
  month: "short",
  year: "numeric",
});
const zoneNameFormat = new Intl.DateTimeFormat("en-GB", { timeZone: displayTimeZone, timeZoneName: "short" });

function valid(value: Instant): Date | null {
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * "12 Jan 2026, 14:30 GMT": the one format for an instant anywhere in the interface, with the
 * zone in force (GMT or BST) so nobody wonders whose clock it is.
 */
export function formatDateTime(value: Instant): string {
  const date = valid(value);
  return date ? `${dateTimeFormat.format(date)} ${londonZoneName(date)}` : "—";
}

/** "Mon 12 Jan, 14:30" in UK time: for tooltips where the year is obvious. */
export function formatShortDateTime(value: Instant): string {
  const date = valid(value);
  return date ? shortDateTimeFormat.format(date) : "—";
}

/** "14:30" in UK time. */
export function formatTime(value: Instant): string {
  const date = valid(value);
  return date ? timeFormat.format(date) : "—";
}

/** "12 Jan 2026" in UK time. */
export function formatDate(value: Instant): string {
  const date = valid(value);
  return date ? dateFormat.format(date) : "—";
}

/** "GMT" or "BST", whichever is in force at that instant. */
export function londonZoneName(value: Instant): string {
  const date = valid(value);
  if (!date) return "";
  return zoneNameFormat.formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? "";
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Axis tick labels for a time axis spanning `spanMs`: clock times for about a day; over a few
 * days the day name at each midnight and clock times between; beyond that, dates.
 */
export function timeAxisTickFormatter(spanMs: number): (epochMs: number) => string {
  if (spanMs <= 1.5 * dayMs) return (epochMs) => timeFormat.format(new Date(epochMs));
  if (spanMs <= 8 * dayMs) {
    return (epochMs) => {
      const date = new Date(epochMs);
      const time = timeFormat.format(date);
      return time === "00:00" ? dayFormat.format(date) : time;
    };
  }
  return (epochMs) => dateFormat.format(new Date(epochMs)).replace(/ \d{4}$/, "");
}

const numberFormats = new Map<number, Intl.NumberFormat>();

/** Grouped number with at most `maximumFractionDigits` decimals ("1,234.5"). */
export function formatNumber(value: number | null | undefined, maximumFractionDigits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  let format = numberFormats.get(maximumFractionDigits);
  if (!format) {
    format = new Intl.NumberFormat("en-GB", { maximumFractionDigits });
    numberFormats.set(maximumFractionDigits, format);
  }
  return format.format(value);
}

/** A value with its unit, e.g. "3.7 kW" or "142.5 £/MWh"; unit "" gives the bare number. */
export function formatQuantity(
  value: number | null | undefined,
  unit: string,
  maximumFractionDigits = 1,
): string {
  const number = formatNumber(value, maximumFractionDigits);
  return unit && number !== "—" ? `${number} ${unit}` : number;
}

/** Power is shown with at most two decimals everywhere ("3.68 kW", "120 kW"). */
export const KW_FRACTION_DIGITS = 2;

/** "3.68 kW". */
export function formatKw(value: number | null | undefined): string {
  return formatQuantity(value, "kW", KW_FRACTION_DIGITS);
}

/** How signed power reads wherever it is shown: the sign follows the energy into the battery or home. */
export const BATTERY_POWER_SIGN = "+ charging / − discharging";
export const GRID_POWER_SIGN = "+ importing / − exporting";

/** "+3.68 kW", "−1.2 kW" (a true minus sign), "0 kW": power whose sign carries meaning. */
export function formatSignedKw(value: number | null | undefined): string {
  const magnitude = formatKw(value === null || value === undefined ? value : Math.abs(value));
  if (magnitude === "—" || value === 0 || magnitude.startsWith("0 ")) return magnitude;
  return `${(value ?? 0) > 0 ? "+" : "−"}${magnitude}`;
}

const penceFormat = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

/** Integer pence as "£12.34" (money is never held in floats; this is display only). */
export function formatPence(pence: number | null | undefined): string {
  if (pence === null || pence === undefined || !Number.isFinite(pence)) return "—";
  return penceFormat.format(pence / 100);
}
