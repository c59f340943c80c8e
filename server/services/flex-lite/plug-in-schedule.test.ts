import { beforeAll, describe, expect, it } from "vitest";
import { chargingTariffs } from "@/db/schema";
import { mpanCheckDigit } from "@/server/domain/inventory";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { recordDispatchConsent } from "../consent/site-consents";
import { initialiseSite } from "../inventory/initialise";
import { storePriceCurve } from "../market-prices/market-prices";
import { answerFlexLitePlugInSchedule } from "./plug-in-schedule";

const HALF_HOUR = 1_800_000;
const DAY = Date.UTC(2026, 0, 20);
const NOW = new Date(DAY - 3_600_000);
const iso = (ms: number) => new Date(ms).toISOString();

async function consentedCharger(org: TestOrg) {
  const prefix = `1${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
  const result = await initialiseSite(org.admin, {
    site: { mpan: `${prefix}${mpanCheckDigit(prefix)}`, postcode: "SW1A 1AA" },
    assets: [{ externalId: `flex-lite-${prefix}`, type: "charger", properties: { power_kw: 7 } }],
  });
  const assetId = result.assets[0]?.assetId;
  if (assetId === undefined) throw new Error("no asset");
  await recordDispatchConsent(org.admin, { siteId: result.site.siteId, methods: ["limited_pause"], action: "granted" });
  return { siteId: result.site.siteId, assetId };
}

// Four hours of charging from 00:00 UTC.
const schedule = [{ start_timestamp: iso(DAY), end_timestamp: iso(DAY + 8 * HALF_HOUR) }];

describe("answerFlexLitePlugInSchedule", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg("flex-lite");
    // Flat £50/MWh with £80 at 01:00-01:30 and £90 at 03:00-03:30.
    await storePriceCurve(org.admin, {
      points: Array.from({ length: 12 }, (_, i) => ({ start: iso(DAY + i * HALF_HOUR), priceGbpPerMwh: i === 2 ? 80 : i === 6 ? 90 : 50 })),
    });
  });

  it("pauses at the dearest market half hour and extends the end to keep the energy", async () => {
    const { assetId } = await consentedCharger(org);
    const answer = await answerFlexLitePlugInSchedule(org.admin, { assetId, chargingSchedule: schedule, now: NOW });
    expect(answer.modified_charging_schedule).toEqual([
      { start_timestamp: iso(DAY), end_timestamp: iso(DAY + 6 * HALF_HOUR) },
      { start_timestamp: iso(DAY + 7 * HALF_HOUR), end_timestamp: iso(DAY + 9 * HALF_HOUR) },
    ]);
  });

  it("counts the householder's tariff: no pause when extending into their peak rate costs them more than the operator gains", async () => {
    const { assetId } = await consentedCharger(org);
    // Off-peak until 04:00 UTC (winter: UK time = UTC), peak afterwards: extending past 04:00 costs the
    // householder 24.5p - 7.5p = 17p/kWh (£170/MWh), more than any pause is worth to the operator.
    await org.admin.db.insert(chargingTariffs).values({ organisationId: org.orgId, assetId, version: 1, tariffType: "dual_rate", timezone: "Europe/London", offPeakTimes: "00:00-04:00", effectiveAt: NOW });
    const answer = await answerFlexLitePlugInSchedule(org.admin, { assetId, chargingSchedule: schedule, now: NOW });
    expect(answer.modified_charging_schedule).toEqual(schedule);
  });

  it("honours a configured pause length", async () => {
    const { assetId } = await consentedCharger(org);
    const answer = await answerFlexLitePlugInSchedule(org.admin, { assetId, chargingSchedule: schedule, now: NOW, pauseMinutes: 60 });
    const [first, second] = answer.modified_charging_schedule;
    expect(Date.parse(second?.start_timestamp ?? "") - Date.parse(first?.end_timestamp ?? "")).toBe(3_600_000);
    expect(second?.end_timestamp).toBe(iso(DAY + 10 * HALF_HOUR));
  });

  it("refuses without the limited_pause consent, after withdrawal, and for another organisation", async () => {
    const { assetId, siteId } = await consentedCharger(org);
    await recordDispatchConsent(org.admin, { siteId, methods: ["limited_pause"], action: "withdrawn" });
    await expect(answerFlexLitePlugInSchedule(org.admin, { assetId, chargingSchedule: schedule, now: NOW })).rejects.toMatchObject({ code: "PRECONDITION", message: expect.stringContaining("limited_pause") });
    const other = await createTestOrg("flex-lite-other");
    await expect(answerFlexLitePlugInSchedule(other.admin, { assetId, chargingSchedule: schedule, now: NOW })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
