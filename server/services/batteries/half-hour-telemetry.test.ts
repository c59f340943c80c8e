import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { batteryReadings } from "@/db/schema";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { createAsset } from "../inventory/assets";
import { createSite } from "../inventory/sites";
import { loadHalfHourTelemetry } from "./half-hour-telemetry";
import { randomMpan } from "./test-support";

const MINUTE = 60_000;
const START = new Date("2026-06-01T10:00:00Z");
let org: TestOrg;
let assetId: string;

beforeAll(async () => {
  org = await createTestOrg("half-hour-telemetry");
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  assetId = (await createAsset(org.admin, { siteId: site.id, externalId: "telemetry-battery", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 } })).id;
  // Three hours of readings every 7 minutes (not aligned to half hours), written in two batches and
  // then partly re-written, as re-polls replace an observation.
  const rows = Array.from({ length: 26 }, (_, i) => ({
    organisationId: org.orgId,
    assetId,
    observedAt: new Date(START.getTime() + i * 7 * MINUTE),
    socPct: 40 + i,
    batteryPowerKw: Math.sin(i) * 3,
    gridPowerKw: Math.cos(i),
    solarPowerKw: (i % 5) / 2,
    loadPowerKw: 0.3 + (i % 3) / 10,
    oemMode: "SelfUse",
    dischargeFloorPct: 10,
  }));
  await getDb().insert(batteryReadings).values(rows.slice(0, 13));
  await getDb().insert(batteryReadings).values(rows.slice(13));
  await getDb()
    .insert(batteryReadings)
    .values(rows.slice(8, 16).map((row) => ({ ...row, batteryPowerKw: row.batteryPowerKw + 1, loadPowerKw: 2 })))
    .onConflictDoUpdate({ target: [batteryReadings.assetId, batteryReadings.observedAt], set: { batteryPowerKw: sql`excluded.battery_power_kw`, loadPowerKw: sql`excluded.load_power_kw` } });
});

/** The same means straight from the raw rows. */
async function rawMeans(from: Date, to: Date) {
  const rows = await getDb().execute<{ slot: string; readings: number; battery: number; load: number; soc: number }>(sql`
    select date_bin('30 minutes', observed_at, timestamptz '2000-01-01T00:00:00Z') as slot, count(*)::int as readings,
      avg(battery_power_kw) as battery, avg(load_power_kw) as load, avg(soc_pct) as soc
    from battery_readings where asset_id = ${assetId} and observed_at >= ${from.toISOString()}::timestamptz and observed_at < ${to.toISOString()}::timestamptz
    group by 1 order by 1`);
  return rows.map((row) => ({ slot: new Date(row.slot).toISOString(), readings: Number(row.readings), battery: Number(row.battery), load: Number(row.load), soc: Number(row.soc) }));
}

describe("loadHalfHourTelemetry", () => {
  it.each([
    ["aligned to half hours", START, new Date(START.getTime() + 180 * MINUTE)],
    ["cut inside its first and last half hours", new Date(START.getTime() + 12 * MINUTE), new Date(START.getTime() + 137 * MINUTE)],
    ["inside one half hour", new Date(START.getTime() + 33 * MINUTE), new Date(START.getTime() + 55 * MINUTE)],
  ])("gives the raw rows' half-hourly means for a window %s", async (_name, from, to) => {
    const expected = await rawMeans(from, to);
    expect(expected.length).toBeGreaterThan(0);
    const actual = await loadHalfHourTelemetry(org.admin, assetId, from, to);
    expect(actual.map((row) => [row.slot.toISOString(), row.readings])).toEqual(expected.map((row) => [row.slot, row.readings]));
    actual.forEach((row, i) => {
      expect(row.meanBatteryPowerKw).toBeCloseTo(expected[i]?.battery ?? NaN, 9);
      expect(row.meanLoadPowerKw).toBeCloseTo(expected[i]?.load ?? NaN, 9);
      expect(row.meanSocPct).toBeCloseTo(expected[i]?.soc ?? NaN, 9);
    });
  });

  it("reads whole half hours from the rollup, which outlives the raw rows", async () => {
    const from = START;
    const to = new Date(START.getTime() + 60 * MINUTE);
    const before = await loadHalfHourTelemetry(org.admin, assetId, from, to);
    // As when a raw partition is dropped by retention: the rollup still answers.
    await getDb().execute(sql`delete from battery_readings where asset_id = ${assetId} and observed_at < ${to.toISOString()}::timestamptz`);
    expect(await loadHalfHourTelemetry(org.admin, assetId, from, to)).toEqual(before);
  });

  it("shows another organisation nothing", async () => {
    const other = await createTestOrg("half-hour-telemetry-other");
    expect(await loadHalfHourTelemetry(other.admin, assetId, START, new Date(START.getTime() + 180 * MINUTE))).toEqual([]);
  });
});
