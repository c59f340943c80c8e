// Pure helpers for daily schedules in Europe/London wall time, shared by the OEM transforms.
import type { BatterySchedule, Oem, ScheduleSlot } from "./types";
import { OemUnsupportedError } from "./errors";

export interface MinuteWindow {
  startMinute: number;
  /** Exclusive, up to 1440. */
  endMinute: number;
}

/** "HH:MM" to minutes after midnight; "23:59" and "24:00" both mean the end of the day. */
export function wallTimeToMinutes(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  const total = hours * 60 + minutes;
  return total === 1439 ? 1440 : total;
}

export function minutesToWallTime(minutes: number): string {
  const clamped = Math.min(Math.max(0, Math.round(minutes)), 1439);
  return `${String(Math.floor(clamped / 60)).padStart(2, "0")}:${String(clamped % 60).padStart(2, "0")}`;
}

export interface NormalisedSlot extends MinuteWindow {
  slot: ScheduleSlot;
}

/** Validates a schedule and splits slots that wrap past midnight; throws OemUnsupportedError when invalid. */
export function normaliseSchedule(oem: Oem, schedule: BatterySchedule): NormalisedSlot[] {
  const pieces: NormalisedSlot[] = [];
  for (const slot of schedule.slots) {
    const start = wallTimeToMinutes(slot.start);
    const end = wallTimeToMinutes(slot.end);
    if (start === null || end === null) throw new OemUnsupportedError(oem, `slot times must be HH:MM, got ${slot.start}-${slot.end}`);
    if (start === end || (start === 1440 && end === 0)) throw new OemUnsupportedError(oem, `slot ${slot.start}-${slot.end} is empty`);
    if (slot.powerKw !== undefined && !(slot.powerKw > 0)) throw new OemUnsupportedError(oem, "slot power must be positive");
    if (slot.targetSocPct !== undefined && !(slot.targetSocPct >= 0 && slot.targetSocPct <= 100)) {
      throw new OemUnsupportedError(oem, "slot target SoC must be 0..100");
    }
    if (start < end) pieces.push({ slot, startMinute: start, endMinute: end });
    else {
      pieces.push({ slot, startMinute: start, endMinute: 1440 });
      if (end > 0) pieces.push({ slot, startMinute: 0, endMinute: end });
    }
  }
  pieces.sort((a, b) => a.startMinute - b.startMinute);
  for (let i = 1; i < pieces.length; i += 1) {
    const previous = pieces[i - 1];
    const current = pieces[i];
    if (previous && current && current.startMinute < previous.endMinute) throw new OemUnsupportedError(oem, "schedule slots overlap");
  }
  return pieces;
}

/** Whether the window spans the whole day. */
export function coversWholeDay(window: MinuteWindow): boolean {
  return window.startMinute === 0 && window.endMinute >= 1440;
}

/** The off-peak plan used for TIME_OF_USE when the caller gives none: charge overnight, self-consume otherwise. */
export const DEFAULT_TIME_OF_USE_SCHEDULE: BatterySchedule = {
  slots: [{ start: "00:30", end: "04:30", action: "charge" }],
};
