// Operators set state-of-charge targets as wall times ("at least 70 % by 18:00", "never above 80 %
// from 22:00 to 07:00"), every day or on one date. This turns them into the planner's instants for
// one local day. Pure: the day and the zone come in as arguments.
import { addLocalDays, instantsOfLocalTime, parseLocalTime, type LocalDate } from "../time/zone";
import type { SocTarget } from "./plan-battery-schedule";

export interface DailySocTarget {
  kind: "min" | "max";
  pct: number;
  /** Wall time "HH:MM"; for a "by" target, from = until. */
  from: string;
  until: string;
  /** Only on this local date; every day when omitted. */
  date?: string;
}

export function describeSocTarget(target: DailySocTarget): string {
  const when = target.from === target.until ? (target.kind === "min" ? `by ${target.from}` : `at ${target.from}`) : `from ${target.from} to ${target.until}`;
  const what = target.kind === "min" ? `at least ${target.pct} %` : `never above ${target.pct} %`;
  return `${what} ${when}${target.date ? ` on ${target.date}` : ""}`;
}

/**
 * The day's targets as instants. A window that runs past midnight ("22:00" to "07:00") covers the
 * start of this day up to its end time and this evening from its start time; the wall time of a
 * clock change is taken at its first occurrence.
 */
export function socTargetsForDay(targets: readonly DailySocTarget[], localDate: LocalDate, timeZone: string): SocTarget[] {
  const instant = (date: LocalDate, text: string): string => {
    const minute = parseLocalTime(text) ?? 0;
    return new Date(instantsOfLocalTime(date, minute, timeZone)[0] ?? 0).toISOString();
  };
  const dayEnd = instant(addLocalDays(localDate, 1), "00:00");
  return targets.flatMap((target) => {
    if (target.date !== undefined && target.date !== localDate) return [];
    const label = describeSocTarget(target);
    const base = { kind: target.kind, pct: target.pct, label };
    const from = parseLocalTime(target.from) ?? 0;
    const until = parseLocalTime(target.until) ?? 0;
    if (from <= until) return [{ ...base, from: instant(localDate, target.from), until: instant(localDate, target.until) }];
    return [
      { ...base, from: instant(localDate, "00:00"), until: instant(localDate, target.until) },
      { ...base, from: instant(localDate, target.from), until: dayEnd },
    ];
  });
}
