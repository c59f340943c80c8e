import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { mpanCheckDigit } from "@/server/domain/inventory";
import type { Reading } from "@/server/domain/readings";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { initialiseSite } from "../inventory/initialise";
import { ingestReadings, listAssetReadings } from "./ingest-readings";

function randomMpan(): string {
  const prefix = `1${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
  return `${prefix}${mpanCheckDigit(prefix)}`;
}

async function siteWithAssets(org: TestOrg) {
  const mpan = randomMpan();
  const result = await initialiseSite(org.admin, {
    site: { mpan, postcode: "SW1A 1AA" },
    assets: [
      { externalId: `charger-${mpan}`, type: "charger", properties: { power_kw: 7.4 } },
      { externalId: `battery-${mpan}`, type: "battery", properties: { power_kw: 5, capacity_kwh: 9.5 } },
    ],
  });
  const [charger, battery] = result.assets;
  if (!charger || !battery) throw new Error("assets not created");
  return { siteId: result.site.siteId, chargerId: charger.assetId, batteryId: battery.assetId };
}

const HALF_HOUR = 1_800_000;
const BASE = Date.parse("2026-01-05T00:00:00Z");
const NOW = new Date("2026-03-01T00:00:00Z");

function consumption(assetId: string, slot: number, value: number): Reading {
  return {
    asset_id: assetId,
    start_timestamp: new Date(BASE + slot * HALF_HOUR).toISOString(),
    end_timestamp: new Date(BASE + (slot + 1) * HALF_HOUR).toISOString(),
    value,
    label: "charger_consumption_energy_kwh",
  };
}

describe("ingestReadings", () => {
  let org: TestOrg;
  let ids: Awaited<ReturnType<typeof siteWithAssets>>;
  beforeAll(async () => {
    org = await createTestOrg("readings-service");
    ids = await siteWithAssets(org);
  });

  it("accepts good readings, stores them, and answers each in order", async () => {
    const readings: Reading[] = [
      consumption(ids.chargerId, 0, 1.5),
      { asset_id: ids.batteryId, start_timestamp: "2026-01-05T00:07:00Z", end_timestamp: "2026-01-05T00:07:00Z", value: -3.2, label: "battery_inverter_import_kw" },
      { asset_id: ids.batteryId, start_timestamp: "2026-01-05T00:07:00Z", end_timestamp: "2026-01-05T00:07:00Z", value: 64, label: "battery_state_of_charge_pct" },
    ];
    const result = await ingestReadings(org.admin, readings, { now: NOW });
    expect(result.responses.map((r) => r.accepted)).toEqual([true, true, true]);
    expect(result.responses[1]).toMatchObject({ asset_id: ids.batteryId, label: "battery_inverter_import_kw", start_timestamp: "2026-01-05T00:07:00Z" });
    const stored = await listAssetReadings(org.admin, { assetId: ids.chargerId, from: new Date(BASE), to: new Date(BASE + HALF_HOUR) });
    expect(stored).toEqual([expect.objectContaining({ label: "charger_consumption_energy_kwh", value: 1.5, startAt: new Date(BASE), endAt: new Date(BASE + HALF_HOUR) })]);
  });

  it("refuses each bad reading with its reason: misaligned, too long, wrong sign, implausible, wrong label, end before start, future, unknown asset", async () => {
    const bad: Reading[] = [
      { ...consumption(ids.chargerId, 10, 1), start_timestamp: "2026-01-05T05:10:00Z", end_timestamp: "2026-01-05T05:40:00Z" },
      { ...consumption(ids.chargerId, 10, 1), end_timestamp: new Date(BASE + 12 * HALF_HOUR).toISOString() },
      consumption(ids.chargerId, 11, -0.5),
      consumption(ids.chargerId, 12, 9),
      { ...consumption(ids.chargerId, 13, 50), label: "battery_state_of_charge_pct" },
      { asset_id: ids.batteryId, start_timestamp: "2026-01-05T01:00:00Z", end_timestamp: "2026-01-05T00:59:00Z", value: 1, label: "battery_inverter_import_kw" },
      { ...consumption(ids.chargerId, 0, 1), start_timestamp: "2026-03-02T00:00:00Z", end_timestamp: "2026-03-02T00:30:00Z" },
      consumption("00000000-0000-4000-8000-000000000000", 14, 1),
    ];
    const result = await ingestReadings(org.admin, bad, { now: NOW });
    expect(result.acceptedCount).toBe(0);
    const errors = result.responses.map((r) => r.error ?? "");
    expect(errors[0]).toMatch(/half-hour boundary/);
    expect(errors[1]).toMatch(/exactly 30 minutes/);
    expect(errors[2]).toMatch(/must be >= 0/);
    expect(errors[3]).toMatch(/more than the asset's 7.4 kW/);
    expect(errors[4]).toMatch(/cannot be reported for a charger asset/);
    expect(errors[5]).toMatch(/must not be before start_timestamp/);
    expect(errors[6]).toMatch(/in the future/);
    expect(errors[7]).toBe("Unknown asset 00000000-0000-4000-8000-000000000000");
    const stored = await listAssetReadings(org.admin, { assetId: ids.chargerId, from: new Date(BASE + 10 * HALF_HOUR), to: new Date(BASE + 20 * HALF_HOUR) });
    expect(stored).toEqual([]);
  });

  it("is idempotent on (asset, label, start): a re-post overwrites, never duplicates, and the last duplicate in a batch wins", async () => {
    await ingestReadings(org.admin, [consumption(ids.chargerId, 100, 1)], { now: NOW });
    await ingestReadings(org.admin, [consumption(ids.chargerId, 100, 2)], { now: NOW });
    const result = await ingestReadings(org.admin, [consumption(ids.chargerId, 101, 1), consumption(ids.chargerId, 101, 3)], { now: NOW });
    expect(result.responses.every((r) => r.accepted)).toBe(true);
    const stored = await listAssetReadings(org.admin, { assetId: ids.chargerId, from: new Date(BASE + 100 * HALF_HOUR), to: new Date(BASE + 102 * HALF_HOUR) });
    expect(stored.map((r) => r.value)).toEqual([2, 3]);
  });

  it("writes only the good readings of a mixed batch", async () => {
    const result = await ingestReadings(org.admin, [consumption(ids.chargerId, 200, 1), consumption(ids.chargerId, 201, 99), consumption(ids.chargerId, 202, 2)], { now: NOW });
    expect(result.responses.map((r) => r.accepted)).toEqual([true, false, true]);
    const stored = await listAssetReadings(org.admin, { assetId: ids.chargerId, from: new Date(BASE + 200 * HALF_HOUR), to: new Date(BASE + 203 * HALF_HOUR) });
    expect(stored.map((r) => r.value)).toEqual([1, 2]);
  });

  it("refuses a lifetime register that goes backwards against stored values and within the batch", async () => {
    const register = (minute: number, value: number): Reading => {
      const at = new Date(BASE + 300 * HALF_HOUR + minute * 60_000).toISOString();
      return { asset_id: ids.chargerId, start_timestamp: at, end_timestamp: at, value, label: "charger_lifetime_consumption_energy_kwh" };
    };
    await ingestReadings(org.admin, [register(0, 1000)], { now: NOW });
    const result = await ingestReadings(org.admin, [register(10, 1001), register(20, 1000.5), register(30, 1002)], { now: NOW });
    expect(result.responses.map((r) => r.accepted)).toEqual([true, false, true]);
    expect(result.responses[1]?.error).toMatch(/must never decrease/);
  });

  it("takes a batch of 10,000 readings in one call", async () => {
    const readings = Array.from({ length: 10_000 }, (_, i) => consumption(ids.chargerId, -20_000 + i, (i % 30) / 10));
    const started = performance.now();
    const result = await ingestReadings(org.admin, readings, { now: NOW });
    const elapsed = performance.now() - started;
    expect(result.acceptedCount).toBe(10_000);
    const stored = await listAssetReadings(org.admin, { assetId: ids.chargerId, from: new Date(BASE - 20_000 * HALF_HOUR), to: new Date(BASE - 10_000 * HALF_HOUR), limit: 20_000 });
    expect(stored).toHaveLength(10_000);
    expect(elapsed).toBeLessThan(10_000);
  });

  it("does not let another organisation write to or read this organisation's assets", async () => {
    const other = await createTestOrg("readings-service-other");
    const result = await ingestReadings(other.admin, [consumption(ids.chargerId, 5000, 1)], { now: NOW });
    expect(result.responses[0]).toMatchObject({ accepted: false, error: `Unknown asset ${ids.chargerId}` });
    expect(await listAssetReadings(other.admin, { assetId: ids.chargerId, from: new Date(BASE), to: new Date(BASE + 20_000 * HALF_HOUR) })).toEqual([]);
  });

  it("deletes an asset's readings with the asset", async () => {
    const doomed = await createTestOrg("readings-service-doomed");
    const first = await siteWithAssets(doomed);
    const second = await siteWithAssets(doomed);
    const batch = [first.chargerId, first.batteryId, second.chargerId].map((assetId) => ({ ...consumption(assetId, 0, 1), label: "provisional_consumption_kwh" as const }));
    expect((await ingestReadings(doomed.admin, batch, { now: NOW })).acceptedCount).toBe(3);
    const count = async (assetId: string) =>
      Number((await getDb().execute<{ n: string }>(sql`select count(*) as n from asset_readings where asset_id = ${assetId}::uuid`))[0]?.n);
    // Readings have no foreign key (see db/schema/charging.ts): a statement trigger on assets cascades instead.
    await getDb().execute(sql`delete from assets where site_id = ${first.siteId}::uuid`);
    expect([await count(first.chargerId), await count(first.batteryId), await count(second.chargerId)]).toEqual([0, 0, 1]);
  });

  it("refuses viewers", async () => {
    const viewer = await org.addOperator("viewer");
    await expect(ingestReadings(viewer.ctx, [consumption(ids.chargerId, 6000, 1)], { now: NOW })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
