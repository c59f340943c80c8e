import { beforeAll, describe, expect, it } from "vitest";
import { buildLocalDaySlots } from "../time/local-wall-time";
import { BatteryPlanError, planBatterySchedule, warmBatteryPlanner, type BatteryPlanInput, type BatteryPlanSlotInput } from "./plan-battery-schedule";

beforeAll(async () => {
  await warmBatteryPlanner(20);
}, 60_000);

// A winter day: cheap nights (7 p), a 35 p evening peak from 16:00 to 19:00, 20 p otherwise; export 5 p.
const slots: BatteryPlanSlotInput[] = buildLocalDaySlots("2026-01-14").map((slot, i) => ({
  start: slot.start,
  end: slot.end,
  importPencePerKwh: i < 14 ? 7 : i >= 32 && i < 38 ? 35 : 20,
  exportPencePerKwh: 5,
  loadKwh: 0.4,
}));
const battery = { capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5, roundTripEfficiency: 0.9, socMinPct: 5, socMaxPct: 100, dischargeFloorPct: 10, startSocPct: 20 };
const base: BatteryPlanInput = { battery, slots };
const socAt = (plan: Awaited<ReturnType<typeof planBatterySchedule>>, instant: string): number | undefined => plan.slots.find((slot) => Date.parse(slot.end) === Date.parse(instant))?.socEndPct;

describe("state-of-charge targets", () => {
  it("keeps at least 70 % at 18:00 when the peak would otherwise empty the battery, and says so", async () => {
    const free = await planBatterySchedule(base);
    expect(socAt(free, "2026-01-14T18:00:00Z")).toBeLessThan(70);
    expect(free.boundTargets).toEqual([]);
    const label = "at least 70 % by 18:00";
    const held = await planBatterySchedule({ ...base, socTargets: [{ kind: "min", pct: 70, from: "2026-01-14T18:00:00Z", until: "2026-01-14T18:00:00Z", label }] });
    expect(socAt(held, "2026-01-14T18:00:00Z")).toBeGreaterThanOrEqual(70 - 1e-4);
    expect(held.boundTargets).toEqual([label]);
    expect(held.totalCostPence).toBeGreaterThanOrEqual(free.totalCostPence);
  });

  it("never goes above 80 % overnight, where cheap import would fill it", async () => {
    const label = "never above 80 % overnight";
    const plan = await planBatterySchedule({ ...base, socTargets: [{ kind: "max", pct: 80, from: "2026-01-14T00:00:00Z", until: "2026-01-14T07:00:00Z", label }] });
    const overnight = plan.slots.filter((slot) => Date.parse(slot.end) <= Date.parse("2026-01-14T07:00:00Z"));
    for (const slot of overnight) expect(slot.socEndPct).toBeLessThanOrEqual(80 + 1e-4);
    expect(plan.boundTargets).toEqual([label]);
  });

  it("holds a target inside a half hour at both of that slot's boundaries", async () => {
    const plan = await planBatterySchedule({ ...base, socTargets: [{ kind: "min", pct: 60, from: "2026-01-14T17:10:00Z", until: "2026-01-14T17:10:00Z", label: "60 % at 17:10" }] });
    expect(socAt(plan, "2026-01-14T17:00:00Z")).toBeGreaterThanOrEqual(60 - 1e-4);
    expect(socAt(plan, "2026-01-14T17:30:00Z")).toBeGreaterThanOrEqual(60 - 1e-4);
  });

  it("refuses targets that contradict each other, naming the time", async () => {
    const at = "2026-01-14T12:00:00Z";
    await expect(
      planBatterySchedule({ ...base, socTargets: [{ kind: "min", pct: 70, from: at, until: at, label: "a" }, { kind: "max", pct: 50, from: at, until: at, label: "b" }] }),
    ).rejects.toSatisfy((error: unknown) => error instanceof BatteryPlanError && error.code === "infeasible" && error.message.includes(at.slice(0, 16)));
  });
});
