// `off_peak_times`: the time-range part of the OpenStreetMap opening_hours
// syntax, without weekday or date selectors. Accepted:
//   "00:00-07:00"                      one range
//   "00:00-05:30, 23:30-24:00"         several ranges, comma-separated
//   "23:30-05:30"                      a range that runs past midnight
//   "00:00-24:00"                      all day
// Rejected with a reason: empty text, weekday/date selectors, ";" rule
// separators (in opening_hours a later rule replaces an earlier one, which is
// never what a tariff means), "off"/"24/7" keywords, malformed or out-of-range
// times, and empty ranges (start equal to end).

const MINUTES_PER_DAY = 24 * 60;

/** Half-open range of minutes after local midnight, [startMinute, endMinute), 0 <= start < end <= 1440. */
export interface MinuteRange {
  startMinute: number;
  endMinute: number;
}

export type OffPeakTimesErrorCode =
  "empty" | "unsupported_syntax" | "malformed_range" | "invalid_time" | "empty_range";

export interface OffPeakTimesError {
  code: OffPeakTimesErrorCode;
  message: string;
  /** The offending range as written, when the problem is in one range. */
  range?: string;
  /** 0-based position of the offending range. */
  rangeIndex?: number;
}

export type OffPeakTimesResult =
  { ok: true; ranges: MinuteRange[] } | { ok: false; error: OffPeakTimesError };

const RANGE_PATTERN = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

function fail(error: OffPeakTimesError): OffPeakTimesResult {
  return { ok: false, error };
}

/**
 * Parses `off_peak_times` into sorted, non-overlapping minute ranges of the
 * local day (ranges past midnight are split at midnight; overlapping or
 * touching ranges are merged).
 */
export function parseOffPeakTimes(text: string): OffPeakTimesResult {
  const trimmed = text.trim();
  if (trimmed === "")
    return fail({
      code: "empty",
      message: "off_peak_times is empty: give at least one range such as 00:00-07:00",
    });
  if (trimmed.includes(";")) {
    return fail({
      code: "unsupported_syntax",
      message: 'off_peak_times may not contain ";" rule separators: separate ranges with ","',
    });
  }
  if (/[a-z]/i.test(trimmed)) {
    return fail({
      code: "unsupported_syntax",
      message:
        "off_peak_times takes time ranges only (HH:MM-HH:MM): weekday, date and keyword selectors are not supported",
    });
  }
  const pieces = trimmed.split(",").map((piece) => piece.trim());
  const ranges: MinuteRange[] = [];
  for (const [rangeIndex, piece] of pieces.entries()) {
    if (piece === "") {
      return fail({
        code: "malformed_range",
        message: `range ${rangeIndex + 1} is empty (stray comma)`,
        range: piece,
        rangeIndex,
      });
    }
    const match = RANGE_PATTERN.exec(piece);
    if (match === null) {
      return fail({
        code: "malformed_range",
        message: `range ${rangeIndex + 1} "${piece}" is not of the form HH:MM-HH:MM`,
        range: piece,
        rangeIndex,
      });
    }
    const [startHour, startMinute, endHour, endMinute] = [match[1], match[2], match[3], match[4]].map(
      Number,
    ) as [number, number, number, number];
    if (startHour > 23 || startMinute > 59) {
      return fail({
        code: "invalid_time",
        message: `range ${rangeIndex + 1} "${piece}" starts at an invalid time (00:00 to 23:59)`,
        range: piece,
        rangeIndex,
      });
    }
    if (endMinute > 59 || endHour > 24 || (endHour === 24 && endMinute !== 0)) {
      return fail({
        code: "invalid_time",
        message: `range ${rangeIndex + 1} "${piece}" ends at an invalid time (00:00 to 24:00)`,
        range: piece,
        rangeIndex,
      });
    }
    const start = startHour * 60 + startMinute;
    const end = endHour * 60 + endMinute;
    if (start === end || (start === 0 && end === 0)) {
      return fail({
        code: "empty_range",
        message: `range ${rangeIndex + 1} "${piece}" starts and ends at the same time`,
        range: piece,
        rangeIndex,
      });
    }
    if (end > start) {
      ranges.push({ startMinute: start, endMinute: end });
    } else {
      // Past midnight: e.g. 23:30-05:30 is 23:30-24:00 and 00:00-05:30.
      ranges.push({ startMinute: start, endMinute: MINUTES_PER_DAY });
      if (end > 0) ranges.push({ startMinute: 0, endMinute: end });
    }
  }
  return { ok: true, ranges: mergeRanges(ranges) };
}

function mergeRanges(ranges: MinuteRange[]): MinuteRange[] {
  const sorted = [...ranges].sort((a, b) => a.startMinute - b.startMinute);
  const merged: MinuteRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.startMinute <= last.endMinute) {
      last.endMinute = Math.max(last.endMinute, range.endMinute);
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

/** True when `minuteOfDay` (may be fractional) falls inside one of the ranges. */
export function isMinuteInRanges(minuteOfDay: number, ranges: readonly MinuteRange[]): boolean {
  for (const range of ranges) {
    if (minuteOfDay >= range.startMinute && minuteOfDay < range.endMinute) return true;
  }
  return false;
}
