import { displayTimeZone } from "./format";

const minuteMs = 60_000;
// The last two stand for a month and a quarter (ticks on the 1st); their lengths only choose the step.
const monthStep = 43_200;
const quarterStep = 129_600;
const stepMinutes = [15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, monthStep, quarterStep] as const;

const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: displayTimeZone,
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  weekday: "short",
  hourCycle: "h23",
});

function londonParts(epochMs: number) {
  const parts = partsFormat.formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? "";
  const minutesOfDay = Number(get("hour")) * 60 + Number(get("minute"));
  const dayNumber = Math.round(
    Date.UTC(Number(get("year")), Number(get("month")) - 1, Number(get("day"))) / (1440 * minuteMs),
  );
  return {
    minutesOfDay,
    dayNumber,
    weekday: get("weekday"),
    dayOfMonth: Number(get("day")),
    month: Number(get("month")),
  };
}

/**
 * Tick positions for a time axis, on round UK wall-clock times (every 3 hours from local
 * midnight, each local midnight, each Monday ...), at most about `maxTicks` of them.
 * Recharts' own numeric ticks land on arbitrary instants, and UTC-rounded ticks drift by an hour in BST.
 */
export function londonTimeTicks(startMs: number, endMs: number, maxTicks = 8): number[] {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs)
    return Number.isFinite(startMs) ? [startMs] : [];
  const spanMinutes = (endMs - startMs) / minuteMs;
  const step = stepMinutes.find((candidate) => spanMinutes / candidate <= maxTicks) ?? quarterStep;
  // UK offsets are whole hours, so hourly (or finer) candidates hit every local boundary we want.
  const candidateMs = Math.min(step, 60) * minuteMs;
  const ticks: number[] = [];
  for (let time = Math.ceil(startMs / candidateMs) * candidateMs; time <= endMs; time += candidateMs) {
    const { minutesOfDay, dayNumber, weekday, dayOfMonth, month } = londonParts(time);
    if (step < 1440) {
      if (minutesOfDay % step === 0) ticks.push(time);
    } else if (minutesOfDay === 0) {
      const onTick =
        step === 1440 ||
        (step === 2880 && dayNumber % 2 === 0) ||
        (step === 10080 && weekday === "Mon") ||
        (step === monthStep && dayOfMonth === 1) ||
        (step === quarterStep && dayOfMonth === 1 && month % 3 === 1);
      if (onTick) ticks.push(time);
    }
  }
  return ticks;
}
