import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { assets, batteryActions, batteryReadings, batterySchedules, marketPriceCurves, marketPrices } from "@/db/schema";
import { buildLocalDaySlots } from "@/server/optimiser/battery";
import { localWallTime, nextLocalDate } from "@/server/optimiser/time/local-wall-time";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import type { ActionDeps } from "../actions/actions";
import { pollBattery } from "../batteries/batteries";
import { createSimulatedBattery, simulatorGateway } from "../batteries/test-support";
import { changeEnrolmentState } from "../enrolment/enrolment";
import { executeDueScheduleSlots, getActiveBatterySchedules, listOptimisedBatteries, planDailyBatterySchedules, scheduleSteps } from "./battery-schedules";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, modeChangeDelayMs: 100, seed: 7 });
});
afterAll(async () => {
  await sim.stop();
});

const noDrive: ActionDeps["scheduleDrive"] = async () => {};

/** Cheap nights, an expensive evening peak, mid prices otherwise (GBP/MWh), for every slot of the day. */
/** Stored as storePriceCurve stores them: the upper-case market code the default settings must match. */
async function insertDayPrices(org: TestOrg, localDate: string) {
  const slots = buildLocalDaySlots(localDate);
  const [curve] = await getDb()
    .insert(marketPriceCurves)
    .values({ organisationId: org.orgId, market: "WHOLESALE", source: "trpc", uploadedBy: "test", pointCount: slots.length, firstSlotAt: new Date(slots[0]?.start ?? ""), lastSlotAt: new Date(slots[slots.length - 1]?.start ?? "") })
    .returning();
  if (!curve) throw new Error("no curve");
  await getDb()
    .insert(marketPrices)
    .values(slots.map((slot, i) => ({ organisationId: org.orgId, market: "WHOLESALE", slotStart: new Date(slot.start), priceGbpPerMwh: i < 12 ? 0 : i >= 32 && i < 38 ? 400 : 100, curveId: curve.id })));
  return slots;
}

describe("Fully Optimised battery schedules", () => {
  let org: TestOrg;
  let other: TestOrg;
  let assetId: string;
  let unenrolledAssetId: string;
  const gateway = () => simulatorGateway(sim);
  // The clock is fixed (a February morning, far from the wall clock): readings the poll writes at the
  // real "now" then never fall inside the planning window, whatever hour the suite runs at.
  const now = new Date("2031-02-10T09:00:00Z");
  const tomorrow = nextLocalDate(localWallTime(now).date);

  beforeAll(async () => {
    org = await createTestOrg("battery-schedules");
    other = await createTestOrg("battery-schedules-other");
    const battery = await createSimulatedBattery(org.admin, sim, gateway(), { oem: "givenergy", socPct: 40 });
    assetId = battery.assetId;
    await getDb().transaction((tx) => changeEnrolmentState({ ...org.admin, db: tx }, { siteId: battery.siteId, proposition: "full_asset_control", toState: "enrolled", fromState: null }));
    await pollBattery(org.admin, assetId, { gateway: gateway() });
    // Consent but no enrolment: not Fully Optimised.
    unenrolledAssetId = (await createSimulatedBattery(org.admin, sim, gateway(), { oem: "foxess" })).assetId;
    await insertDayPrices(org, tomorrow);
  });

  it("plans only batteries with full_asset_control consent and enrolment", async () => {
    const batteries = await listOptimisedBatteries(org.admin);
    expect(batteries.map((b) => b.assetId)).toEqual([assetId]);
    expect(batteries.map((b) => b.assetId)).not.toContain(unenrolledAssetId);
  });

  it("stores tomorrow's plan, one slot per settlement period, within the battery's SoC and power bounds", async () => {
    const summary = await planDailyBatterySchedules(org.admin, { localDate: tomorrow, now });
    expect(summary).toMatchObject({ localDate: tomorrow, planned: 1, skipped: [] });
    const [schedule] = await getDb().select().from(batterySchedules).where(and(eq(batterySchedules.assetId, assetId), eq(batterySchedules.status, "active")));
    if (!schedule) throw new Error("no schedule");
    const expectedSlots = buildLocalDaySlots(tomorrow);
    expect(schedule.slots).toHaveLength(expectedSlots.length);
    expect(schedule.slots.map((s) => s.start)).toEqual(expectedSlots.map((s) => s.start));
    const spec = schedule.inputs.battery as { maxChargeKw: number; maxDischargeKw: number; dischargeFloorPct: number; socMaxPct: number; startSocPct: number };
    for (const slot of schedule.slots) {
      expect(slot.chargeKw).toBeLessThanOrEqual(spec.maxChargeKw + 1e-6);
      expect(slot.dischargeKw).toBeLessThanOrEqual(spec.maxDischargeKw + 1e-6);
      expect(slot.socEndPct).toBeGreaterThanOrEqual(Math.min(spec.dischargeFloorPct, spec.startSocPct) - 1e-6);
      expect(slot.socEndPct).toBeLessThanOrEqual(spec.socMaxPct + 1e-6);
    }
    // Cheap night: it charges from the grid; the evening peak: it discharges.
    expect(schedule.slots.slice(0, 12).some((s) => s.mode === "IMPORT_FOCUS")).toBe(true);
    expect(schedule.slots.slice(32, 38).some((s) => s.dischargeKw > 0)).toBe(true);
    expect(schedule.savingPence).toBeGreaterThanOrEqual(0);
    expect(schedule.version).toBe(1);

    // Planning again is a new version; only the newest is active.
    await planDailyBatterySchedules(org.admin, { localDate: tomorrow, trigger: "prices", now });
    const versions = await getDb().select().from(batterySchedules).where(eq(batterySchedules.assetId, assetId));
    expect(versions.map((v) => `${v.version}:${v.status}`).sort()).toEqual(["1:superseded", "2:active"]);
  });

  it("creates the Action for the slot's mode at a slot boundary, once, and none while the mode stays the same", async () => {
    const [schedule] = await getActiveBatterySchedules(org.admin, assetId, new Date(Date.parse(buildLocalDaySlots(tomorrow)[0]?.start ?? "")));
    if (!schedule) throw new Error("no schedule");
    const deps: ActionDeps = { gateway: gateway(), scheduleDrive: noDrive };
    const first = schedule.slots[0];
    if (!first) throw new Error("no slot");
    const atFirst = new Date(Date.parse(first.start) + 60_000);
    expect(await executeDueScheduleSlots(org.admin, { now: atFirst, deps })).toEqual({ created: 1, unchanged: 0, skipped: 0 });
    // Running again at the same boundary does nothing.
    expect(await executeDueScheduleSlots(org.admin, { now: atFirst, deps })).toEqual({ created: 0, unchanged: 0, skipped: 0 });
    const actions = await getDb().select().from(batteryActions).where(eq(batteryActions.assetId, assetId));
    expect(actions).toHaveLength(1);
    expect(actions[0]?.targetMode).toBe(first.mode);

    const index = schedule.slots.findIndex((slot, i) => i > 0 && slot.mode !== schedule.slots[i - 1]?.mode);
    const second = schedule.slots[1];
    if (second && second.mode === first.mode) {
      expect((await executeDueScheduleSlots(org.admin, { now: new Date(Date.parse(second.start) + 1000), deps })).unchanged).toBe(1);
    }
    expect(index).toBeGreaterThan(0);
  });

  it("turns slots into the dialect's schedule steps, merging equal neighbours", () => {
    const slot = (start: string, end: string, mode: string) => ({ start, end, mode, chargeKw: 0, dischargeKw: 0, gridImportKw: 0, gridExportKw: 0, socStartPct: 50, socEndPct: 50, importPencePerKwh: 0, exportPencePerKwh: 0, loadKwh: 0, marketPriceGbpPerMwh: 0 });
    const steps = scheduleSteps([
      slot("2026-01-12T00:00:00.000Z", "2026-01-12T00:30:00.000Z", "IMPORT_FOCUS"),
      slot("2026-01-12T00:30:00.000Z", "2026-01-12T01:00:00.000Z", "IMPORT_FOCUS"),
      slot("2026-01-12T01:00:00.000Z", "2026-01-12T01:30:00.000Z", "SELF_RELIANCE"),
      slot("2026-01-12T01:30:00.000Z", "2026-01-12T02:00:00.000Z", "EXPORT_FOCUS"),
      slot("2026-01-12T02:00:00.000Z", "2026-01-12T02:30:00.000Z", "TIME_OF_USE"),
    ]);
    expect(steps).toEqual([
      { start: "2026-01-12T00:00:00.000Z", end: "2026-01-12T01:00:00.000Z", action: "charge_max", allowDeviation: false },
      { start: "2026-01-12T01:00:00.000Z", end: "2026-01-12T01:30:00.000Z", action: "avoid_import", allowDeviation: true },
      { start: "2026-01-12T01:30:00.000Z", end: "2026-01-12T02:00:00.000Z", action: "discharge_max", allowDeviation: false },
      { start: "2026-01-12T02:00:00.000Z", end: "2026-01-12T02:30:00.000Z", action: "avoid_export", allowDeviation: true },
    ]);
  });

  it("plans with the solar the site generated at the same time of day over the past week", async () => {
    // Three past days of telemetry: 3 kW of solar from local 11:00 to 13:00, nothing otherwise.
    const today = localWallTime(now).date;
    const rows = [];
    for (let back = 1; back <= 3; back += 1) {
      let date = today;
      for (let d = 0; d < back; d += 1) date = new Date(Date.parse(`${date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      for (const [halfHour, slot] of buildLocalDaySlots(date).entries()) {
        const solarKw = halfHour >= 22 && halfHour < 26 ? 3 : 0;
        rows.push({ organisationId: org.orgId, assetId, observedAt: new Date(Date.parse(slot.start) + 60_000), socPct: 50, batteryPowerKw: 0, gridPowerKw: 0.4 - solarKw, solarPowerKw: solarKw, loadPowerKw: 0.4, oemMode: "eco", dischargeFloorPct: 10 });
      }
    }
    await getDb().insert(batteryReadings).values(rows);

    await planDailyBatterySchedules(org.admin, { localDate: tomorrow, trigger: "prices", now });
    const [schedule] = await getDb().select().from(batterySchedules).where(and(eq(batterySchedules.assetId, assetId), eq(batterySchedules.status, "active")));
    if (!schedule) throw new Error("no schedule");
    expect(schedule.inputs).toMatchObject({ solarForecast: "history" });
    const noonIndexes = buildLocalDaySlots(tomorrow).flatMap((slot, i) => (localWallTime(new Date(slot.start)).minuteOfDay >= 11 * 60 && localWallTime(new Date(slot.start)).minuteOfDay < 13 * 60 ? [i] : []));
    expect(noonIndexes).toHaveLength(4);
    for (const i of noonIndexes) expect(schedule.slots[i]?.solarKwh).toBeCloseTo(1.5, 6);
    expect(schedule.slots[0]?.solarKwh).toBe(0);
  });

  it("keeps the battery's state-of-charge targets and says which one shaped the plan", async () => {
    const [asset] = await getDb().select({ properties: assets.properties }).from(assets).where(eq(assets.id, assetId));
    const socTargets = [{ kind: "max", pct: 50, from: "00:00", until: "06:00" }];
    await getDb().update(assets).set({ properties: { ...(asset?.properties ?? {}), soc_targets: socTargets } }).where(eq(assets.id, assetId));
    try {
      await planDailyBatterySchedules(org.admin, { localDate: tomorrow, trigger: "prices", now });
      const [view] = await getActiveBatterySchedules(org.admin, assetId, new Date(Date.parse(buildLocalDaySlots(tomorrow)[0]?.start ?? "")));
      if (!view) throw new Error("no schedule");
      const label = "never above 50 % from 00:00 to 06:00";
      expect(view.socTargets).toEqual([label]);
      // The cheap night would fill it; the target holds it at half.
      expect(view.boundTargets).toEqual([label]);
      const night = view.slots.filter((slot) => localWallTime(new Date(slot.end)).minuteOfDay <= 6 * 60 && localWallTime(new Date(slot.end)).date === tomorrow);
      expect(night.length).toBeGreaterThan(0);
      for (const slot of night) expect(slot.socEndPct).toBeLessThanOrEqual(50 + 1e-4);
    } finally {
      await getDb().update(assets).set({ properties: asset?.properties ?? {} }).where(eq(assets.id, assetId));
    }
  });

  it("skips a battery when prices are missing, saying why", async () => {
    const dayAfter = nextLocalDate(tomorrow);
    const summary = await planDailyBatterySchedules(org.admin, { localDate: dayAfter, now });
    expect(summary.planned).toBe(0);
    expect(summary.skipped[0]?.reason).toMatch(/^missing_prices/);
  });

  it("shows another organisation nothing", async () => {
    await expect(getActiveBatterySchedules(other.admin, assetId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listOptimisedBatteries(other.admin)).toEqual([]);
    const start = buildLocalDaySlots(tomorrow)[0]?.start ?? "";
    expect(await executeDueScheduleSlots(other.admin, { now: new Date(Date.parse(start) + 60_000) })).toEqual({ created: 0, unchanged: 0, skipped: 0 });
  });
});
