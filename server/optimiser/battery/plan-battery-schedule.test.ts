import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildLocalDaySlots } from "../time/local-wall-time";
import {
  apportionPence,
  BatteryPlanError,
  planBatterySchedule,
  warmBatteryPlanner,
  type BatteryPlan,
  type BatteryPlanInput,
  type BatteryPlanSlotInput,
  type BatterySpec,
} from "./plan-battery-schedule";

/**
 * Independent reference: dynamic programming over a SoC grid of step `stepKwh`, with each slot's
 * cost worked out in closed form from the physics (no LP). When every breakpoint of the problem lies
 * on the grid (the generators below make sure of it) the interval structure of the SoC constraints
 * guarantees an optimum on the grid, so this is the exact optimum, convex or not.
 */
function referenceOptimumPence(input: BatteryPlanInput, stepKwh: number): number {
  const b = input.battery;
  const eta = Math.sqrt(b.roundTripEfficiency);
  const cap = b.capacityKwh;
  const units = (kwh: number): number => Math.round(kwh / stepKwh);
  const start = units((b.startSocPct / 100) * cap);
  const lower = Math.min(units((Math.max(b.socMinPct, b.dischargeFloorPct) / 100) * cap), start);
  const upper = Math.max(units((b.socMaxPct / 100) * cap), start);
  const endMin = b.endSocMinPct === undefined ? lower : Math.max(lower, units((b.endSocMinPct / 100) * cap));
  let best = new Float64Array(upper + 1).fill(Infinity);
  best[start] = 0;
  for (const slot of input.slots) {
    const hours = (Date.parse(slot.end) - Date.parse(slot.start)) / 3_600_000;
    const load = slot.loadKwh;
    const solar = slot.solarKwh ?? 0;
    const maxUp = Math.floor((b.maxChargeKw * hours * eta) / stepKwh + 1e-9);
    const maxDown = Math.floor((b.maxDischargeKw * hours) / eta / stepKwh + 1e-9);
    const costOfDelta = new Map<number, number>();
    for (let delta = -maxDown; delta <= maxUp; delta++) {
      const acKwh = delta >= 0 ? (delta * stepKwh) / eta : delta * stepKwh * eta;
      const meterLow = load - solar + acKwh;
      let low = meterLow;
      let high = meterLow + solar;
      if (b.importLimitKw !== undefined) high = Math.min(high, b.importLimitKw * hours);
      if (b.exportLimitKw !== undefined) low = Math.max(low, -b.exportLimitKw * hours);
      if (b.allowBatteryExport === false) low = Math.max(low, -Math.max(0, solar - load));
      if (low > high + 1e-9) continue;
      const cost = (g: number): number => (g >= 0 ? g * slot.importPencePerKwh : g * slot.exportPencePerKwh);
      let cheapest = Math.min(cost(low), cost(high));
      if (low < 0 && high > 0) cheapest = Math.min(cheapest, 0);
      costOfDelta.set(delta, cheapest);
    }
    const next = new Float64Array(upper + 1).fill(Infinity);
    for (let soc = lower; soc <= upper; soc++) {
      const here = best[soc] ?? Infinity;
      if (here === Infinity) continue;
      for (const [delta, cost] of costOfDelta) {
        const to = soc + delta;
        if (to < lower || to > upper) continue;
        if (here + cost < (next[to] ?? Infinity)) next[to] = here + cost;
      }
    }
    best = next;
  }
  let answer = Infinity;
  for (let soc = endMin; soc <= upper; soc++) answer = Math.min(answer, best[soc] ?? Infinity);
  return answer;
}

function exactCostPence(input: BatteryPlanInput, plan: BatteryPlan): number {
  return plan.slots.reduce((sum, slot, t) => {
    const source = input.slots[t];
    if (!source) throw new Error("slot count mismatch");
    const hours = (Date.parse(slot.end) - Date.parse(slot.start)) / 3_600_000;
    return sum + hours * (slot.gridImportKw * source.importPencePerKwh - slot.gridExportKw * source.exportPencePerKwh);
  }, 0);
}

/** Every physical limit and identity the plan must respect, within rounding of the printed figures. */
function expectPhysicallyValid(input: BatteryPlanInput, plan: BatteryPlan): void {
  const b = input.battery;
  const eta = Math.sqrt(b.roundTripEfficiency);
  const startPct = b.startSocPct;
  const lowerPct = Math.min(Math.max(b.socMinPct, b.dischargeFloorPct), startPct);
  const upperPct = Math.max(b.socMaxPct, startPct);
  expect(plan.slots).toHaveLength(input.slots.length);
  let previousEnd = startPct;
  plan.slots.forEach((slot, t) => {
    const source = input.slots[t];
    if (!source) throw new Error("slot count mismatch");
    const hours = (Date.parse(slot.end) - Date.parse(slot.start)) / 3_600_000;
    expect(slot.start).toBe(source.start);
    expect(slot.end).toBe(source.end);
    expect(slot.chargeKw).toBeGreaterThanOrEqual(0);
    expect(slot.dischargeKw).toBeGreaterThanOrEqual(0);
    expect(slot.chargeKw).toBeLessThanOrEqual(b.maxChargeKw);
    expect(slot.dischargeKw).toBeLessThanOrEqual(b.maxDischargeKw);
    expect(slot.gridImportKw).toBeGreaterThanOrEqual(0);
    expect(slot.gridExportKw).toBeGreaterThanOrEqual(0);
    if (b.exportLimitKw !== undefined) expect(slot.gridExportKw).toBeLessThanOrEqual(b.exportLimitKw + 1e-6);
    expect(slot.socStartPct).toBeCloseTo(previousEnd, 3);
    expect(slot.socEndPct).toBeGreaterThanOrEqual(lowerPct);
    expect(slot.socEndPct).toBeLessThanOrEqual(upperPct);
    const storedKwh = (slot.chargeKw * eta - slot.dischargeKw / eta) * hours;
    expect(Math.abs(((slot.socEndPct - slot.socStartPct) / 100) * b.capacityKwh - storedKwh)).toBeLessThan(2e-3);
    const solarKwh = source.solarKwh ?? 0;
    const meterKw = (source.loadKwh - solarKwh) / hours + slot.curtailedSolarKw + slot.chargeKw - slot.dischargeKw;
    expect(Math.abs(slot.gridImportKw - slot.gridExportKw - meterKw)).toBeLessThan(1e-3);
    if (b.allowBatteryExport === false) expect(slot.gridExportKw * hours).toBeLessThanOrEqual(Math.max(0, solarKwh - source.loadKwh) + 1e-6);
    previousEnd = slot.socEndPct;
  });
  if (b.endSocMinPct !== undefined) expect(previousEnd).toBeGreaterThanOrEqual(Math.min(b.endSocMinPct, upperPct) - 1e-6);
  expect(plan.slots.reduce((sum, slot) => sum + slot.costPence, 0)).toBe(plan.totalCostPence);
}

const halfHourSlots = (count: number, startIso = "2026-01-12T00:00:00.000Z"): { start: string; end: string }[] =>
  Array.from({ length: count }, (_, i) => ({
    start: new Date(Date.parse(startIso) + i * 1_800_000).toISOString(),
    end: new Date(Date.parse(startIso) + (i + 1) * 1_800_000).toISOString(),
  }));

// Grid steps on which every breakpoint of the generated instances falls, per one-way efficiency.
const STEP_BY_ROUND_TRIP = new Map<number, number>([
  [1, 0.05],
  [0.64, 0.0025],
  [0.25, 0.025],
]);

const percentStep5 = fc.integer({ min: 0, max: 20 }).map((n) => n * 5);

const alignedInstance = fc
  .record({
    slotCount: fc.integer({ min: 2, max: 6 }),
    roundTripEfficiency: fc.constantFrom(1, 0.64, 0.25),
    capacityKwh: fc.integer({ min: 1, max: 2 }),
    maxChargeKw: fc.constantFrom(0, 1, 2),
    maxDischargeKw: fc.constantFrom(0, 1, 2),
    bounds: fc.tuple(percentStep5, percentStep5, percentStep5),
    startSocPct: percentStep5,
    endSocMinPct: fc.option(percentStep5, { nil: undefined }),
    exportLimitKw: fc.option(fc.constantFrom(0, 0.5, 1), { nil: undefined }),
    importLimitKw: fc.option(fc.constantFrom(2, 4), { nil: undefined }),
    allowBatteryExport: fc.boolean(),
    slotData: fc.array(
      fc.record({
        importPencePerKwh: fc.integer({ min: -8, max: 40 }),
        exportPencePerKwh: fc.integer({ min: -5, max: 30 }),
        loadTenths: fc.integer({ min: 0, max: 12 }),
        solarTenths: fc.integer({ min: 0, max: 12 }),
      }),
      { minLength: 6, maxLength: 6 },
    ),
  })
  .map((raw): BatteryPlanInput => {
    const [a, c, floor] = raw.bounds;
    const socMinPct = Math.min(a, c);
    const socMaxPct = Math.max(a, c);
    const battery: BatterySpec = {
      capacityKwh: raw.capacityKwh,
      maxChargeKw: raw.maxChargeKw,
      maxDischargeKw: raw.maxDischargeKw,
      roundTripEfficiency: raw.roundTripEfficiency,
      socMinPct,
      socMaxPct,
      dischargeFloorPct: Math.min(floor, socMaxPct),
      startSocPct: raw.startSocPct,
      allowBatteryExport: raw.allowBatteryExport,
      ...(raw.exportLimitKw === undefined ? {} : { exportLimitKw: raw.exportLimitKw }),
      ...(raw.importLimitKw === undefined ? {} : { importLimitKw: raw.importLimitKw }),
      ...(raw.endSocMinPct === undefined ? {} : { endSocMinPct: Math.min(raw.endSocMinPct, socMaxPct) }),
    };
    const slots = halfHourSlots(raw.slotCount).map((times, i): BatteryPlanSlotInput => {
      const data = raw.slotData[i] ?? { importPencePerKwh: 10, exportPencePerKwh: 5, loadTenths: 3, solarTenths: 0 };
      return { ...times, importPencePerKwh: data.importPencePerKwh, exportPencePerKwh: data.exportPencePerKwh, loadKwh: data.loadTenths / 10, solarKwh: data.solarTenths / 10 };
    });
    return { battery, slots };
  });

const typicalBattery: BatterySpec = {
  capacityKwh: 9.5,
  maxChargeKw: 3.6,
  maxDischargeKw: 3.6,
  roundTripEfficiency: 0.9,
  socMinPct: 5,
  socMaxPct: 100,
  dischargeFloorPct: 20,
  startSocPct: 40,
};

function agileLikeDay(slots: { start: string; end: string }[]): BatteryPlanSlotInput[] {
  return slots.map((times, i) => ({
    ...times,
    importPencePerKwh: i >= 32 && i < 38 ? 38 : i < 10 ? 9 : 22 + 6 * Math.sin(i / 5),
    exportPencePerKwh: i >= 32 && i < 38 ? 24 : 6,
    loadKwh: 0.25 + (i >= 34 && i < 44 ? 0.35 : 0),
    solarKwh: i > 14 && i < 34 ? 1.1 * Math.sin(((i - 14) / 20) * Math.PI) : 0,
  }));
}

describe("planBatterySchedule", () => {
  beforeAll(async () => {
    await warmBatteryPlanner(20);
  });

  it("matches an independent dynamic-programming optimum on random small instances, negative prices and export-above-import included", async () => {
    await fc.assert(
      fc.asyncProperty(alignedInstance, async (input) => {
        const step = STEP_BY_ROUND_TRIP.get(input.battery.roundTripEfficiency) ?? 0.0025;
        const reference = referenceOptimumPence(input, step);
        if (reference === Infinity) {
          await expect(planBatterySchedule(input)).rejects.toMatchObject({ code: "infeasible" });
          return;
        }
        const plan = await planBatterySchedule(input);
        expectPhysicallyValid(input, plan);
        expect(plan.provenOptimal).toBe(true);
        expect(Math.abs(exactCostPence(input, plan) - reference)).toBeLessThan(0.02);
      }),
      { numRuns: 120, seed: 20260329 },
    );
  });

  it("never breaks SoC, floor or power limits and never costs more than self-consumption on random full days", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          prices: fc.array(fc.tuple(fc.double({ min: -10, max: 60, noNaN: true }), fc.double({ min: 0, max: 30, noNaN: true })), { minLength: 48, maxLength: 48 }),
          loads: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 48, maxLength: 48 }),
          solarPeak: fc.double({ min: 0, max: 2.5, noNaN: true }),
          startSocPct: fc.integer({ min: 0, max: 100 }),
          floorPct: fc.integer({ min: 0, max: 90 }),
          efficiency: fc.double({ min: 0.7, max: 1, noNaN: true }),
        }),
        async ({ prices, loads, solarPeak, startSocPct, floorPct, efficiency }) => {
          const slots = halfHourSlots(48).map((times, i): BatteryPlanSlotInput => {
            const [importPrice, exportPrice] = prices[i] ?? [10, 5];
            // Export at most the import price keeps the problem a pure LP, which is what this property covers.
            return { ...times, importPencePerKwh: importPrice, exportPencePerKwh: Math.min(exportPrice, Math.max(importPrice, 0)), loadKwh: loads[i] ?? 0.3, solarKwh: i > 14 && i < 34 ? solarPeak * Math.sin(((i - 14) / 20) * Math.PI) : 0 };
          });
          const input: BatteryPlanInput = { battery: { ...typicalBattery, startSocPct, dischargeFloorPct: floorPct, roundTripEfficiency: efficiency }, slots };
          const plan = await planBatterySchedule(input);
          expectPhysicallyValid(input, plan);
          expect(plan.totalCostPence).toBeLessThanOrEqual(plan.baselineCostPence + 1);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it("keeps SoC at or above the discharge floor even when every slot pays to discharge", async () => {
    const slots = halfHourSlots(48).map((times) => ({ ...times, importPencePerKwh: 40, exportPencePerKwh: 35, loadKwh: 0.5 }));
    const input: BatteryPlanInput = { battery: { ...typicalBattery, startSocPct: 90, dischargeFloorPct: 40, socMinPct: 10 }, slots };
    const plan = await planBatterySchedule(input);
    expectPhysicallyValid(input, plan);
    const lowest = Math.min(...plan.slots.map((slot) => slot.socEndPct));
    expect(lowest).toBeGreaterThanOrEqual(40);
    expect(lowest).toBeCloseTo(40, 3);
  });

  it("plans the 46 half-hours of the spring clock change", async () => {
    const times = buildLocalDaySlots("2026-03-29");
    expect(times).toHaveLength(46);
    const input: BatteryPlanInput = { battery: typicalBattery, slots: agileLikeDay(times) };
    const plan = await planBatterySchedule(input);
    expect(plan.slots).toHaveLength(46);
    expect(plan.slots[0]?.start).toBe("2026-03-29T00:00:00.000Z");
    expect(plan.slots.at(-1)?.end).toBe("2026-03-29T23:00:00.000Z");
    expectPhysicallyValid(input, plan);
  });

  it("plans the 50 half-hours of the autumn clock change", async () => {
    const times = buildLocalDaySlots("2026-10-25");
    expect(times).toHaveLength(50);
    const input: BatteryPlanInput = { battery: typicalBattery, slots: agileLikeDay(times) };
    const plan = await planBatterySchedule(input);
    expect(plan.slots).toHaveLength(50);
    expect(plan.slots[0]?.start).toBe("2026-10-24T23:00:00.000Z");
    expect(plan.slots.at(-1)?.end).toBe("2026-10-26T00:00:00.000Z");
    expectPhysicallyValid(input, plan);
  });

  it("charges from the grid while it is paid to import, without charging and discharging at once", async () => {
    const slots = halfHourSlots(8).map((times, i) => ({ ...times, importPencePerKwh: i < 4 ? -5 : 30, exportPencePerKwh: i < 4 ? 0 : 5, loadKwh: 0.3 }));
    const input: BatteryPlanInput = { battery: { ...typicalBattery, startSocPct: 20 }, slots };
    const plan = await planBatterySchedule(input);
    expectPhysicallyValid(input, plan);
    // The import ceiling (load + full charge) already stops the LP from cycling here, so its answer
    // is exclusive and no binaries are needed.
    expect(plan.solver).toBe("lp");
    expect(plan.provenOptimal).toBe(true);
    for (const slot of plan.slots) expect(Math.min(slot.chargeKw, slot.dischargeKw)).toBeLessThan(1e-6);
    for (const slot of plan.slots.slice(0, 4)) {
      expect(slot.mode).toBe("IMPORT_FOCUS");
      expect(slot.chargeKw).toBeCloseTo(3.6, 3);
    }
    expect(plan.totalCostPence).toBeLessThan(plan.baselineCostPence);
  });

  it("falls back to the MILP when the LP would burn paid-for energy by charging and discharging at once, and still finds the optimum", async () => {
    // A full battery and a negative import price: the LP would import extra by cycling through losses.
    const slots = halfHourSlots(4).map((times) => ({ ...times, importPencePerKwh: -5, exportPencePerKwh: 0, loadKwh: 0.2 }));
    const battery: BatterySpec = { capacityKwh: 2, maxChargeKw: 1, maxDischargeKw: 1, roundTripEfficiency: 0.64, socMinPct: 0, socMaxPct: 100, dischargeFloorPct: 0, startSocPct: 100 };
    const input: BatteryPlanInput = { battery, slots };
    const plan = await planBatterySchedule(input);
    expectPhysicallyValid(input, plan);
    expect(plan.solver).toBe("milp");
    expect(plan.provenOptimal).toBe(true);
    for (const slot of plan.slots) expect(Math.min(slot.chargeKw, slot.dischargeKw)).toBeLessThan(1e-6);
    expect(Math.abs(exactCostPence(input, plan) - referenceOptimumPence(input, 0.0025))).toBeLessThan(0.02);
  });

  it("falls back to the MILP when the LP would import and export at once because export pays more, and still finds the optimum", async () => {
    const slots = halfHourSlots(4).map((times, i) => ({ ...times, importPencePerKwh: 10, exportPencePerKwh: i < 2 ? 20 : 4, loadKwh: 0.2 }));
    const battery: BatterySpec = { capacityKwh: 2, maxChargeKw: 1, maxDischargeKw: 1, roundTripEfficiency: 0.64, socMinPct: 0, socMaxPct: 100, dischargeFloorPct: 0, startSocPct: 50 };
    const input: BatteryPlanInput = { battery, slots };
    const plan = await planBatterySchedule(input);
    expectPhysicallyValid(input, plan);
    expect(plan.solver).toBe("milp");
    for (const slot of plan.slots) expect(Math.min(slot.gridImportKw, slot.gridExportKw)).toBeLessThan(1e-6);
    expect(Math.abs(exactCostPence(input, plan) - referenceOptimumPence(input, 0.0025))).toBeLessThan(0.02);
  });

  it("gives the same plan for the same input whatever was planned before", async () => {
    const winterDay = agileLikeDay(halfHourSlots(48)).map((slot) => ({ ...slot, solarKwh: 0 }));
    const input: BatteryPlanInput = { battery: typicalBattery, slots: winterDay };
    const first = await planBatterySchedule(input);
    await planBatterySchedule({ battery: { ...typicalBattery, startSocPct: 95, roundTripEfficiency: 0.8 }, slots: agileLikeDay(halfHourSlots(48)) });
    await planBatterySchedule({ battery: typicalBattery, slots: winterDay.slice(0, 20) });
    expect(await planBatterySchedule(input)).toEqual(first);
  });

  it("exports at the evening peak and imports overnight, and names the modes accordingly", async () => {
    const winterDay = agileLikeDay(halfHourSlots(48)).map((slot) => ({ ...slot, solarKwh: 0 }));
    const input: BatteryPlanInput = { battery: typicalBattery, slots: winterDay };
    const plan = await planBatterySchedule(input);
    expectPhysicallyValid(input, plan);
    expect(plan.slots.slice(0, 10).some((slot) => slot.mode === "IMPORT_FOCUS")).toBe(true);
    expect(plan.slots.slice(32, 38).some((slot) => slot.mode === "EXPORT_FOCUS")).toBe(true);
    expect(plan.savingPence).toBeGreaterThan(0);
    expect(plan.savingPence).toBe(plan.baselineCostPence - plan.totalCostPence);
  });

  it("reports an infeasible end-of-day target as a BatteryPlanError", async () => {
    const slots = halfHourSlots(2).map((times) => ({ ...times, importPencePerKwh: 10, exportPencePerKwh: 5, loadKwh: 0.2 }));
    const attempt = planBatterySchedule({ battery: { ...typicalBattery, startSocPct: 10, maxChargeKw: 1, endSocMinPct: 100 }, slots });
    await expect(attempt).rejects.toBeInstanceOf(BatteryPlanError);
    await expect(attempt).rejects.toMatchObject({ code: "infeasible" });
  });

  it("rejects slots that leave a gap", async () => {
    const [first, second] = halfHourSlots(3);
    if (!first || !second) throw new Error("fixture");
    const gapSlots = [first, { ...second, start: "2026-01-12T00:45:00.000Z" }].map((times) => ({ ...times, importPencePerKwh: 10, exportPencePerKwh: 5, loadKwh: 0.2 }));
    await expect(planBatterySchedule({ battery: typicalBattery, slots: gapSlots })).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("apportionPence", () => {
  it("gives whole pence per slot that add up to the rounded total", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -500, max: 500, noNaN: true }), { minLength: 1, maxLength: 60 }), (values) => {
        const { parts, total } = apportionPence(values);
        expect(parts.reduce((sum, part) => sum + part, 0)).toBe(total);
        expect(total).toBe(Math.round(values.reduce((sum, value) => sum + value, 0)) + 0);
        parts.forEach((part, i) => expect(Math.abs(part - (values[i] ?? 0))).toBeLessThan(1 + 1e-9));
      }),
    );
  });
});
