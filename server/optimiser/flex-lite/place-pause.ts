// Flex Lite: the partner sends the charging schedule it intends to run at
// plug-in and gets it back with one pause inserted where a pause is worth most
// to the operator.
//
// Modelling choices:
// - The charger runs at `chargerKw` throughout the scheduled blocks, so a
//   pause of d minutes removes chargerKw * d / 60 kWh.
// - To keep the energy the schedule would deliver, the last block is extended
//   by the pause length (the charger stops d minutes later than planned). The
//   extension consumes in whatever slot it falls, so its value counts against
//   the pause: net value = value of the energy not taken during the pause -
//   value of the energy taken during the extension.
// - `slotValues` give, per interval, what one MWh less consumption is worth to
//   the operator (GBP/MWh: e.g. the market price, raised during turn-down
//   events); time without a value is worth 0.
// - The pause lies inside the scheduled blocks (it may straddle two blocks
//   that touch) and starts no earlier than `now`.
// - The net value is piecewise linear in the pause start, so its maximum is at
//   a breakpoint: a block edge, a value-interval edge, each shifted by the
//   pause length, or `now`. All are tried; the best wins, the earliest among
//   equals. If no pause is worth more than zero, the schedule comes back
//   unchanged.

export interface ScheduleBlock {
  start: Date;
  end: Date;
}

export interface PauseSlotValue {
  start: Date;
  end: Date;
  /** Worth to the operator of one MWh not consumed in this interval, GBP/MWh. */
  pauseValueGbpPerMwh: number;
}

export interface FlexLitePauseInput {
  schedule: readonly ScheduleBlock[];
  slotValues: readonly PauseSlotValue[];
  /** Pause length in minutes; 30 by default. */
  pauseMinutes?: number;
  chargerKw: number;
  now: Date;
}

export interface FlexLitePauseResult {
  /** The modified schedule (the original blocks when unchanged). */
  schedule: ScheduleBlock[];
  changed: boolean;
  pause: ScheduleBlock | null;
  /** The time added after the schedule's end to keep its energy. */
  extension: ScheduleBlock | null;
  /** Net worth of the pause to the operator, pence (not rounded). */
  valuePence: number;
}

export const DEFAULT_PAUSE_MINUTES = 30;
const MINUTE_MS = 60_000;
const MS_PER_HOUR = 3_600_000;

// Operator value (pence) of `kw` over [from, to): GBP/MWh * kWh / 10 = pence.
function valueOver(fromMs: number, toMs: number, kw: number, values: readonly PauseSlotValue[]): number {
  let pence = 0;
  for (const value of values) {
    const overlap = Math.min(toMs, value.end.getTime()) - Math.max(fromMs, value.start.getTime());
    if (overlap > 0) pence += ((kw * overlap) / MS_PER_HOUR) * (value.pauseValueGbpPerMwh / 10);
  }
  return pence;
}

// The scheduled blocks merged into disjoint runs, so a pause may straddle touching blocks.
function mergedRuns(blocks: readonly ScheduleBlock[]): { start: number; end: number }[] {
  const sorted = blocks
    .map((block) => ({ start: block.start.getTime(), end: block.end.getTime() }))
    .filter((block) => block.end > block.start)
    .sort((a, b) => a.start - b.start);
  const runs: { start: number; end: number }[] = [];
  for (const block of sorted) {
    const last = runs[runs.length - 1];
    if (last !== undefined && block.start <= last.end) last.end = Math.max(last.end, block.end);
    else runs.push({ ...block });
  }
  return runs;
}

/** Places one pause where it is worth most, or leaves the schedule unchanged. */
export function placeFlexLitePause(input: FlexLitePauseInput): FlexLitePauseResult {
  const unchanged: FlexLitePauseResult = {
    schedule: input.schedule.map((block) => ({ start: block.start, end: block.end })),
    changed: false,
    pause: null,
    extension: null,
    valuePence: 0,
  };
  const pauseMs = Math.round((input.pauseMinutes ?? DEFAULT_PAUSE_MINUTES) * MINUTE_MS);
  const runs = mergedRuns(input.schedule);
  const lastRun = runs[runs.length - 1];
  if (pauseMs <= 0 || input.chargerKw <= 0 || lastRun === undefined) return unchanged;
  const nowMs = input.now.getTime();
  const scheduleEnd = lastRun.end;
  const extensionValue = valueOver(scheduleEnd, scheduleEnd + pauseMs, input.chargerKw, input.slotValues);

  const candidates = new Set<number>([nowMs]);
  for (const run of runs) {
    candidates.add(run.start);
    candidates.add(run.end - pauseMs);
  }
  for (const value of input.slotValues) {
    for (const edge of [value.start.getTime(), value.end.getTime()]) {
      candidates.add(edge);
      candidates.add(edge - pauseMs);
    }
  }
  let bestStart: number | null = null;
  let bestValue = 0;
  for (const start of [...candidates].sort((a, b) => a - b)) {
    if (start < nowMs) continue;
    const end = start + pauseMs;
    if (!runs.some((run) => run.start <= start && end <= run.end)) continue;
    const net = valueOver(start, end, input.chargerKw, input.slotValues) - extensionValue;
    if (net > bestValue + 1e-12) {
      bestValue = net;
      bestStart = start;
    }
  }
  if (bestStart === null) return unchanged;

  const pauseStart = bestStart;
  const pauseEnd = bestStart + pauseMs;
  const schedule: ScheduleBlock[] = [];
  const sorted = [...input.schedule].sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const block of sorted) {
    const start = block.start.getTime();
    const end = block.end.getTime();
    if (end <= pauseStart || start >= pauseEnd) {
      schedule.push({ start: block.start, end: block.end });
      continue;
    }
    if (start < pauseStart) schedule.push({ start: block.start, end: new Date(pauseStart) });
    if (end > pauseEnd) schedule.push({ start: new Date(pauseEnd), end: block.end });
  }
  // Extend whichever block now ends last (or add one if the pause took the whole tail).
  const tail = schedule[schedule.length - 1];
  if (tail !== undefined && tail.end.getTime() === scheduleEnd) tail.end = new Date(scheduleEnd + pauseMs);
  else schedule.push({ start: new Date(scheduleEnd), end: new Date(scheduleEnd + pauseMs) });
  return {
    schedule,
    changed: true,
    pause: { start: new Date(pauseStart), end: new Date(pauseEnd) },
    extension: { start: new Date(scheduleEnd), end: new Date(scheduleEnd + pauseMs) },
    valuePence: bestValue,
  };
}
