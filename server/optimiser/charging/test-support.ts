// Builders and an independent brute-force reference for the planner tests.
import fc from "fast-check";
import type { ChargingPlan, ChargingSessionInput, PlanningSlot } from "./types";

export const HALF_HOUR_MS = 30 * 60_000;
const MS_PER_HOUR = 3_600_000;

export function halfHourSlots(
  startIso: string,
  prices: readonly number[],
  extra: (index: number) => Partial<PlanningSlot> = () => ({}),
): PlanningSlot[] {
  const base = Date.parse(startIso);
  return prices.map((pencePerKwh, index) => ({
    start: new Date(base + index * HALF_HOUR_MS),
    end: new Date(base + (index + 1) * HALF_HOUR_MS),
    pencePerKwh,
    ...extra(index),
  }));
}

/** Lexicographic objective of a plan: peak energy, cost, turn-down energy, market-weighted energy. */
export type ObjectiveVector = [number, number, number, number];

export interface SlotGeometry {
  hours: number;
  forced: number;
  free: number;
  slot: PlanningSlot;
}

/** Clipped hours, charge-now and free capacity per slot, written independently of the planner. */
export function geometry(input: ChargingSessionInput): SlotGeometry[] {
  const windowStart = input.windowStart.getTime();
  const windowEnd = input.windowEnd.getTime();
  const chargeNowUntil = input.chargeNowUntil?.getTime() ?? -Infinity;
  const out: SlotGeometry[] = [];
  for (const slot of [...input.slots].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    const start = Math.max(windowStart, slot.start.getTime());
    const end = Math.min(windowEnd, slot.end.getTime());
    if (end <= start) continue;
    const hours = (end - start) / MS_PER_HOUR;
    const forcedHours = Math.max(0, Math.min(end, chargeNowUntil) - start) / MS_PER_HOUR;
    const allowed = slot.peak !== true || input.mayChargePeak;
    out.push({
      hours,
      forced: input.chargerMaxKw * forcedHours,
      free: allowed ? input.chargerMaxKw * (hours - forcedHours) : 0,
      slot,
    });
  }
  return out;
}

function vectorOf(geo: SlotGeometry[], energy: number[]): ObjectiveVector {
  const vector: ObjectiveVector = [0, 0, 0, 0];
  geo.forEach((g, i) => {
    const e = energy[i] ?? 0;
    if (g.slot.peak === true) vector[0] += e;
    vector[1] += e * g.slot.pencePerKwh;
    if (g.slot.turnDownEvent === true) vector[2] += e;
    vector[3] += e * (g.slot.marketPriceGbpPerMwh ?? 0);
  });
  return vector;
}

/** Vector of the free (optimised) part of a plan. */
export function planFreeVector(
  input: ChargingSessionInput,
  plan: ChargingPlan,
): { vector: ObjectiveVector; forced: number[] } {
  const geo = geometry(input);
  const forced = forcedEnergy(input, geo);
  return {
    vector: vectorOf(
      geo,
      plan.slots.map((slot, i) => slot.kwh - (forced[i] ?? 0)),
    ),
    forced,
  };
}

export function forcedEnergy(input: ChargingSessionInput, geo: SlotGeometry[]): number[] {
  let cap = input.chargingMode === "minimise_charging_time" ? input.energyRequiredKwh : Infinity;
  return geo.map((g) => {
    const take = Math.max(0, Math.min(g.forced, cap));
    cap -= take;
    return take;
  });
}

/**
 * Brute force over the vertices of the single-session polytope: every slot
 * empty or full except at most one, which takes what is left. Returns the
 * lexicographically smallest objective of the free part and the energy.
 */
export function bruteForceSession(input: ChargingSessionInput): { vector: ObjectiveVector; energy: number } {
  const geo = geometry(input);
  const forced = forcedEnergy(input, geo);
  const forcedTotal = forced.reduce((a, b) => a + b, 0);
  const maximise = input.chargingMode === "maximise_charging_time";
  const fixed = geo.map((g) => (maximise && g.slot.peak !== true ? g.free : 0));
  const fixedTotal = fixed.reduce((a, b) => a + b, 0);
  const flexible = geo.map((g, i) => (fixed[i] === 0 ? g.free : 0));
  const flexibleTotal = flexible.reduce((a, b) => a + b, 0);
  const target = Math.min(Math.max(0, input.energyRequiredKwh - forcedTotal - fixedTotal), flexibleTotal);
  const n = geo.length;
  let best: ObjectiveVector | null = null;
  // Each slot: 0 empty, 1 full; plus an optional "partial" slot index.
  for (let mask = 0; mask < 1 << n; mask += 1) {
    for (let partial = -1; partial < n; partial += 1) {
      if (partial >= 0 && (mask & (1 << partial)) !== 0) continue;
      const energy = flexible.map((cap, i) => ((mask & (1 << i)) !== 0 ? cap : 0));
      const sum = energy.reduce((a, b) => a + b, 0);
      const rest = target - sum;
      if (partial >= 0) {
        if (rest < -1e-9 || rest > (flexible[partial] ?? 0) + 1e-9) continue;
        energy[partial] = rest;
      } else if (Math.abs(rest) > 1e-9) continue;
      const vector = vectorOf(
        geo,
        energy.map((e, i) => e + (fixed[i] ?? 0)),
      );
      if (best === null || lexCompare(vector, best, 1e-9) < 0) best = vector;
    }
  }
  return { vector: best ?? [0, 0, 0, 0], energy: forcedTotal + fixedTotal + target };
}

/** Lexicographic comparison with an absolute (plus optional relative) tolerance per level. */
export function lexCompare(
  a: readonly number[],
  b: readonly number[],
  absoluteTolerance: number,
  relativeTolerance = 0,
): number {
  for (let i = 0; i < a.length; i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    const tolerance = absoluteTolerance + relativeTolerance * Math.abs(b[i] ?? 0);
    if (diff > tolerance) return 1;
    if (diff < -tolerance) return -1;
  }
  return 0;
}

const BASE_MS = Date.UTC(2026, 0, 10, 22, 0);

/** Random small sessions: up to `maxSlots` half-hour slots, partial edges, ties, negative prices. */
export function sessionArbitrary(
  maxSlots: number,
  options: { chargeNow?: boolean } = {},
): fc.Arbitrary<ChargingSessionInput> {
  return fc
    .record({
      slots: fc.array(
        fc.record({
          price: fc.integer({ min: -5, max: 30 }),
          peak: fc.boolean(),
          market: fc.constantFrom(0, 10, 50, 80),
          turnDown: fc.boolean(),
        }),
        { minLength: 1, maxLength: maxSlots },
      ),
      startTrim: fc.integer({ min: 0, max: 29 }),
      endTrim: fc.integer({ min: 0, max: 29 }),
      energy: fc.integer({ min: 0, max: 200 }).map((tenths) => tenths / 10),
      kw: fc.constantFrom(2.3, 3.7, 7, 11),
      mayChargePeak: fc.boolean(),
      maximise: fc.boolean(),
      chargeNowMinutes:
        options.chargeNow === false
          ? fc.constant(0)
          : fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 })),
    })
    .map((r) => {
      const slots = halfHourSlots(
        new Date(BASE_MS).toISOString(),
        r.slots.map((s) => s.price),
        (i) => ({
          peak: r.slots[i]?.peak,
          marketPriceGbpPerMwh: r.slots[i]?.market,
          turnDownEvent: r.slots[i]?.turnDown,
        }),
      );
      const windowStart = new Date(BASE_MS + r.startTrim * 60_000);
      const endMs = BASE_MS + slots.length * HALF_HOUR_MS - r.endTrim * 60_000;
      return {
        windowStart,
        windowEnd: new Date(Math.max(endMs, windowStart.getTime() + 60_000)),
        energyRequiredKwh: r.energy,
        chargerMaxKw: r.kw,
        slots,
        mayChargePeak: r.mayChargePeak,
        chargeNowUntil:
          r.chargeNowMinutes > 0 ? new Date(windowStart.getTime() + r.chargeNowMinutes * 60_000) : null,
        chargingMode: r.maximise ? "maximise_charging_time" : "minimise_charging_time",
      } satisfies ChargingSessionInput;
    });
}
