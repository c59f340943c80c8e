// Battery physics, free of I/O: one step integrates power over a short interval.
// Power sign: positive is charging (battery) and import (grid).

/** What the inverter is doing, whatever the OEM calls it. */
export type Behaviour =
  | { kind: "self_use" }
  | { kind: "feed_in" }
  | { kind: "backup" }
  | { kind: "charge"; powerKw: number; maxSocPct: number }
  | { kind: "discharge"; powerKw: number; minSocPct: number }
  | { kind: "idle" };

export interface BatteryPhysics {
  capacityKwh: number;
  ratedPowerKw: number;
  /** The battery never discharges below this. */
  dischargeFloorPct: number;
}

export interface StepResult {
  socPct: number;
  batteryKw: number;
  gridKw: number;
}

/** Round-trip losses split evenly between charging and discharging. */
const ONE_WAY_EFFICIENCY = 0.96;

export function stepBattery(
  physics: BatteryPhysics,
  socPct: number,
  behaviour: Behaviour,
  loadKw: number,
  solarKw: number,
  dtHours: number,
): StepResult {
  const surplusKw = solarKw - loadKw;
  let desiredKw: number;
  let ceilingPct = 100;
  let floorPct = physics.dischargeFloorPct;
  switch (behaviour.kind) {
    case "self_use":
      desiredKw = surplusKw;
      break;
    case "feed_in":
      // Solar goes to the grid first; the battery only covers the house when solar falls short.
      desiredKw = surplusKw < 0 ? surplusKw : 0;
      break;
    case "backup":
      desiredKw = surplusKw > 0 ? surplusKw : 0;
      break;
    case "charge":
      desiredKw = behaviour.powerKw;
      ceilingPct = Math.min(100, behaviour.maxSocPct);
      break;
    case "discharge":
      desiredKw = -behaviour.powerKw;
      floorPct = Math.max(floorPct, behaviour.minSocPct);
      break;
    case "idle":
      desiredKw = 0;
      break;
  }
  let batteryKw = clamp(desiredKw, -physics.ratedPowerKw, physics.ratedPowerKw);
  const storedKwh = (socPct / 100) * physics.capacityKwh;
  if (dtHours > 0) {
    if (batteryKw > 0) {
      const roomKwh = Math.max(0, (ceilingPct / 100) * physics.capacityKwh - storedKwh);
      batteryKw = Math.min(batteryKw, roomKwh / ONE_WAY_EFFICIENCY / dtHours);
    } else if (batteryKw < 0) {
      const availableKwh = Math.max(0, storedKwh - (floorPct / 100) * physics.capacityKwh);
      batteryKw = Math.max(batteryKw, (-availableKwh * ONE_WAY_EFFICIENCY) / dtHours);
    }
  }
  const energyKwh = batteryKw > 0 ? batteryKw * dtHours * ONE_WAY_EFFICIENCY : (batteryKw * dtHours) / ONE_WAY_EFFICIENCY;
  const nextSoc = clamp(((storedKwh + energyKwh) / physics.capacityKwh) * 100, 0, 100);
  return {
    socPct: nextSoc,
    batteryKw: round3(batteryKw),
    gridKw: round3(loadKw - solarKw + batteryKw),
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000 || 0;
}

/** Whether a wall-clock minute falls in [start, end); an end before the start wraps past midnight. */
export function minuteInWindow(minuteOfDay: number, startMinute: number, endMinute: number): boolean {
  if (startMinute === endMinute) return false;
  if (startMinute < endMinute) return minuteOfDay >= startMinute && minuteOfDay < endMinute;
  return minuteOfDay >= startMinute || minuteOfDay < endMinute;
}

/** "HH:MM" to minutes since midnight; "23:59" counts as the end of the day. */
export function parseWallTime(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 24 || minutes > 59) return null;
  const total = hours * 60 + minutes;
  return total === 23 * 60 + 59 ? 1440 : Math.min(total, 1440);
}
