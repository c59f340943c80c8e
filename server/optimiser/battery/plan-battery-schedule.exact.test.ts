// The battery planner against an independent exact model on thousands of random full days:
// a MILP written out in CPLEX LP text with a binary in EVERY slot for charge/discharge and for
// import/export, so no slot can run both ways, solved by HiGHS's text interface (not the planner's
// model builder). The planner must never be cheaper than that optimum (it would be using a
// physically impossible flow), never dearer beyond its tie-breaking penalties and rounding, and
// never charge and discharge in one slot.
import { spawn, type ChildProcess } from "node:child_process";
import loadHighs, { type Highs } from "highs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLocalDaySlots } from "../time/local-wall-time";
import { planBatterySchedule, warmBatteryPlanner, type BatteryPlan, type BatteryPlanInput, type BatteryPlanSlotInput } from "./plan-battery-schedule";

/** Small seeded generator (mulberry32): the same days on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A 46-slot day (clocks go forward), a 50-slot day (clocks go back) and ordinary days.
const DAYS = ["2026-03-29", "2026-10-25", "2026-06-10", "2026-01-14"];

function randomDay(rand: () => number): BatteryPlanInput {
  const pick = <T,>(values: readonly T[]): T => values[Math.floor(rand() * values.length)] as T;
  const round = (value: number, step: number): number => Math.round(value / step) * step;
  const localDate = pick(DAYS);
  const priceStyle = pick(["ordinary", "ordinary", "negative_import", "negative_import", "inverted", "negative_export", "wild"] as const);
  // Exotic prices come in runs, as they do in real markets (a windy night, a sunny afternoon).
  const runStart = Math.floor(rand() * 40);
  const runLength = 2 + Math.floor(rand() * 8);
  const slots: BatteryPlanSlotInput[] = buildLocalDaySlots(localDate).map((slot, i, all) => {
    const phase = (i / all.length) * 2 * Math.PI;
    const inRun = i >= runStart && i < runStart + runLength;
    let importPence = round(15 + 12 * Math.sin(phase - 1) + 6 * (rand() - 0.5), 0.01);
    let exportPence = round(importPence * (0.3 + 0.5 * rand()), 0.01);
    if (priceStyle === "negative_import" && inRun) importPence = round(-10 * rand(), 0.01);
    if (priceStyle === "inverted" && inRun) exportPence = round(importPence + 10 * rand(), 0.01);
    if (priceStyle === "negative_export" && inRun) exportPence = round(-8 * rand(), 0.01);
    if (priceStyle === "wild" && inRun) {
      importPence = round(60 * rand() - 20, 0.01);
      exportPence = round(60 * rand() - 25, 0.01);
    }
    const solarKwh = rand() < 0.5 && i > all.length * 0.3 && i < all.length * 0.7 ? round(2 * rand(), 0.01) : 0;
    return { start: slot.start, end: slot.end, importPencePerKwh: importPence, exportPencePerKwh: exportPence, loadKwh: round(0.1 + 0.9 * rand(), 0.01), solarKwh };
  });
  const capacityKwh = pick([5, 9.5, 13.5]);
  const socMaxPct = pick([100, 95, 90]);
  const floor = pick([5, 10, 20]);
  const startSocPct = Math.round(floor + rand() * (socMaxPct - floor));
  return {
    battery: {
      capacityKwh,
      maxChargeKw: pick([2.5, 3.6, 5]),
      maxDischargeKw: pick([2.5, 3.6, 5]),
      roundTripEfficiency: pick([0.81, 0.9, 0.95]),
      socMinPct: 0,
      socMaxPct,
      dischargeFloorPct: floor,
      startSocPct,
      ...(rand() < 0.3 ? { exportLimitKw: pick([0, 1, 3.68]) } : {}),
      ...(rand() < 0.2 ? { importLimitKw: pick([6, 10]) } : {}),
      ...(rand() < 0.3 ? { endSocMinPct: Math.min(socMaxPct, floor + 20) } : {}),
    },
    slots,
  };
}

/** The exclusive model's optimum (pence), from an LP-text MILP with binaries in every slot. */
function exclusiveOptimumPence(highs: Highs, input: BatteryPlanInput): number {
  const b = input.battery;
  const eta = Math.sqrt(b.roundTripEfficiency);
  const cap = b.capacityKwh;
  const start = (b.startSocPct / 100) * cap;
  const lower = Math.min((Math.max(b.socMinPct, b.dischargeFloorPct) / 100) * cap, start);
  const upper = Math.max((b.socMaxPct / 100) * cap, start);
  const endMin = b.endSocMinPct === undefined ? lower : Math.max(lower, (b.endSocMinPct / 100) * cap);
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const binaries: string[] = [];
  const n = input.slots.length;
  const term = (coefficient: number, variable: string): string => `${coefficient >= 0 ? "+" : "-"} ${Math.abs(coefficient)} ${variable}`;
  input.slots.forEach((slot, t) => {
    const h = (Date.parse(slot.end) - Date.parse(slot.start)) / 3_600_000;
    const solar = slot.solarKwh ?? 0;
    // Energies (kWh) in the slot: charge c (AC in), discharge d (AC out), import i, export e, curtailed solar k.
    objective.push(term(slot.importPencePerKwh, `i${t}`), term(-slot.exportPencePerKwh, `e${t}`));
    rows.push(`bal${t}: i${t} - e${t} - c${t} + d${t} - k${t} = ${slot.loadKwh - solar}`);
    rows.push(`soc${t}: s${t} ${t === 0 ? "" : `- s${t - 1}`} ${term(-eta, `c${t}`)} ${term(1 / eta, `d${t}`)} = ${t === 0 ? start : 0}`);
    rows.push(`cx${t}: c${t} - ${b.maxChargeKw * h} zb${t} <= 0`, `dx${t}: d${t} + ${b.maxDischargeKw * h} zb${t} <= ${b.maxDischargeKw * h}`);
    // Big-M values: the most the meter can physically carry each way in the slot.
    const importMax = Math.min(b.importLimitKw === undefined ? Infinity : b.importLimitKw * h, slot.loadKwh + b.maxChargeKw * h);
    const exportMax = Math.min(b.exportLimitKw === undefined ? Infinity : b.exportLimitKw * h, b.allowBatteryExport === false ? Math.max(0, solar - slot.loadKwh) : solar + b.maxDischargeKw * h);
    rows.push(`ix${t}: i${t} - ${importMax} zg${t} <= 0`, `ex${t}: e${t} + ${exportMax} zg${t} <= ${exportMax}`);
    bounds.push(`0 <= k${t} <= ${solar}`, `${t === n - 1 ? endMin : lower} <= s${t} <= ${upper}`, `0 <= zb${t} <= 1`, `0 <= zg${t} <= 1`);
    binaries.push(`zb${t}`, `zg${t}`);
  });
  const text = ["Minimize", ` obj: ${objective.join(" ")}`, "Subject To", ...rows.map((r) => ` ${r}`), "Bounds", ...bounds.map((r) => ` ${r}`), "Binary", ` ${binaries.join(" ")}`, "End"].join("\n");
  const solution = highs.solve(text, { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-9 });
  if (solution.Status !== "Optimal") throw new Error(`reference MILP: ${solution.Status}`);
  return solution.ObjectiveValue;
}

function planCostPence(plan: BatteryPlan, input: BatteryPlanInput): { cost: number; roundingTolerance: number; penaltyAllowance: number } {
  let cost = 0;
  let roundingTolerance = 0;
  let penaltyAllowance = 0;
  plan.slots.forEach((slot, t) => {
    const given = input.slots[t] as BatteryPlanSlotInput;
    const h = (Date.parse(slot.end) - Date.parse(slot.start)) / 3_600_000;
    cost += h * (slot.gridImportKw * given.importPencePerKwh - slot.gridExportKw * given.exportPencePerKwh);
    // Flows are reported to 4 decimals of a kW.
    roundingTolerance += 0.5e-4 * h * (Math.abs(given.importPencePerKwh) + Math.abs(given.exportPencePerKwh));
    // The planner's tie-breakers (1e-4 p/kWh cycled, less for curtailment and grid flow) can
    // cost at most this much against the pure-cost optimum.
    penaltyAllowance += h * 1e-4 * (input.battery.maxChargeKw + input.battery.maxDischargeKw) + 1e-5 * (given.solarKwh ?? 0) + h * 1e-6 * 40;
  });
  return { cost, roundingTolerance, penaltyAllowance };
}

// A thousand days keep the file near a minute on this machine; EXACT_DAYS=5000 for a deeper run.
const DAY_COUNT = Number(process.env.EXACT_DAYS ?? 1000);
let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
  await warmBatteryPlanner(50);
}, 60_000);

describe("battery plans against the exclusive model", () => {
  it("are never cheaper than its optimum, never dearer beyond tie-breaking, and never charge and discharge at once, on a thousand random days (EXACT_DAYS for more)", async () => {
    const rand = random(20261203);
    let milpDays = 0;
    for (let day = 0; day < DAY_COUNT; day++) {
      const input = randomDay(rand);
      const plan = await planBatterySchedule(input);
      const optimum = exclusiveOptimumPence(highs, input);
      const { cost, roundingTolerance, penaltyAllowance } = planCostPence(plan, input);
      const context = `day ${day}: plan ${cost}, optimum ${optimum}`;
      expect(plan.provenOptimal, context).toBe(true);
      expect(cost, context).toBeGreaterThanOrEqual(optimum - roundingTolerance - 1e-6);
      expect(cost, context).toBeLessThanOrEqual(optimum + penaltyAllowance + roundingTolerance + 1e-6);
      for (const slot of plan.slots) {
        expect(Math.min(slot.chargeKw, slot.dischargeKw), `${context}, ${slot.start}`).toBe(0);
        expect(Math.min(slot.gridImportKw, slot.gridExportKw), `${context}, ${slot.start}`).toBe(0);
      }
      if (plan.solver === "milp") milpDays += 1;
    }
    // The generator makes days on which exclusivity binds: the integer step is exercised.
    expect(milpDays).toBeGreaterThan(DAY_COUNT / 10);
  }, 900_000);
});

describe("battery plans under CPU load", () => {
  const spinners: ChildProcess[] = [];
  afterAll(() => {
    for (const spinner of spinners) spinner.kill("SIGKILL");
  });

  it("are the same with both cores busy as on a quiet machine", async () => {
    const rand = random(7);
    const inputs = Array.from({ length: 150 }, () => randomDay(rand));
    const quiet = [];
    for (const input of inputs) quiet.push(await planBatterySchedule(input));
    for (let i = 0; i < 2; i++) spinners.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
    const busy = [];
    for (const input of inputs) busy.push(await planBatterySchedule(input));
    expect(busy).toEqual(quiet);
    // What is asserted is the plans, not the time: on a shared machine the busy half alone has taken 100 s.
  }, 400_000);
});
