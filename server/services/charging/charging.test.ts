import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { chargingEvents, chargingPlans, chargingSessions, chargingTariffs, gridEvents } from "@/db/schema";
import { randomMpan } from "@/server/api/rest/test-support";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { recordAssetEvent, recordChargeNow, recordChargeNowDeleted, recordIntent, recordPlugIn, recordPlugOut, recordTariffUpdate } from "./events";
import { getLatestIntent, setChargingIntent } from "./intents";
import { replanDueOpenSessions, replanOpenSessions, replanSession } from "./planning";

const HOUR = 3_600_000;
const source = "partner_api" as const;
const economy7 = { off_peak_times: "00:30-07:30", timezone: "Europe/London", tariff_type: "dual_rate" as const };
const intent = { energyRequiredKwh: 20, readyByLocalTime: "07:00", chargingMode: "minimise_charging_time" as const };

async function newCharger(org: TestOrg, properties: Record<string, unknown> = { power_kw: 7 }, siteId?: string) {
  const site = siteId ?? (await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" })).id;
  const asset = await createAsset(org.admin, { siteId: site, externalId: `charger-${Math.random().toString(36).slice(2)}`, type: "charger", properties });
  return { siteId: site, assetId: asset.id };
}

async function sessionsOf(assetId: string) {
  return getDb().select().from(chargingSessions).where(eq(chargingSessions.assetId, assetId)).orderBy(asc(chargingSessions.pluggedInAt));
}
async function plansOf(sessionId: string) {
  return getDb().select().from(chargingPlans).where(eq(chargingPlans.sessionId, sessionId)).orderBy(asc(chargingPlans.version));
}

describe("charging events, versions and re-planning", () => {
  let org: TestOrg;
  let other: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg("charging");
    other = await createTestOrg("charging-other");
  });

  it("opens one session on plug-in, plans it with the tariff version, and treats repeats as no-ops", async () => {
    const { assetId } = await newCharger(org);
    const at = new Date(Date.now() - HOUR);
    const first = await recordPlugIn(org.admin, { assetId, source, occurredAt: at, tariff: economy7, intent });
    expect(first.effect).toBe("session_opened");
    expect(first.planIds).toHaveLength(1);
    const repeat = await recordPlugIn(org.admin, { assetId, source, occurredAt: at, tariff: economy7, intent });
    expect(repeat).toMatchObject({ effect: "duplicate", eventId: null, planIds: [] });
    const later = await recordPlugIn(org.admin, { assetId, source, occurredAt: new Date(at.getTime() + 60_000) });
    expect(later.effect).toBe("already_plugged_in");

    const sessions = await sessionsOf(assetId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.chargerPowerKw).toBe(7);
    const [tariff] = await getDb().select().from(chargingTariffs).where(eq(chargingTariffs.assetId, assetId));
    const plans = await plansOf(sessions[0]?.id ?? "");
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ version: 1, trigger: "plug_in", tariffId: tariff?.id, met: true });
    expect(plans[0]?.energyKwh).toBeCloseTo(20, 6);
    // Minimise mode on Economy 7: every kWh planned off-peak.
    for (const slot of plans[0]?.slots ?? []) if (slot.kwh > 0) expect(slot.pencePerKwh).toBe(7.5);
    const events = await getDb().select().from(chargingEvents).where(eq(chargingEvents.assetId, assetId));
    expect(events.map((event) => event.eventType).sort()).toEqual(["plug_in", "plug_in"]);
  });

  it("uses the charging rate from the plug-in, else the asset's rated power", async () => {
    const { assetId } = await newCharger(org, { power_kw: 11 });
    await recordPlugIn(org.admin, { assetId, source, chargingRateKw: 3.6 });
    expect((await sessionsOf(assetId))[0]?.chargerPowerKw).toBe(3.6);
    const second = await newCharger(org, { power_kw: 11 });
    await recordPlugIn(org.admin, { assetId: second.assetId, source });
    expect((await sessionsOf(second.assetId))[0]?.chargerPowerKw).toBe(11);
  });

  it("a tariff change makes a new plan version that records the new tariff; a late older tariff changes nothing", async () => {
    const { assetId } = await newCharger(org);
    const at = new Date(Date.now() - 2 * HOUR);
    await recordPlugIn(org.admin, { assetId, source, occurredAt: at, tariff: economy7, intent });
    const change = await recordTariffUpdate(org.admin, { assetId, source, occurredAt: new Date(at.getTime() + HOUR), tariff: { off_peak_times: "23:30-05:30", timezone: "Europe/London", tariff_type: "dual_rate" } });
    expect(change).toMatchObject({ effect: "version_stored" });
    expect(change.planIds).toHaveLength(1);
    const late = await recordTariffUpdate(org.admin, { assetId, source, occurredAt: new Date(at.getTime() + 30 * 60_000), tariff: { off_peak_times: "01:00-02:00", timezone: "Europe/London" } });
    expect(late).toMatchObject({ effect: "older_version_stored", planIds: [] });

    const [session] = await sessionsOf(assetId);
    const plans = await plansOf(session?.id ?? "");
    const tariffs = await getDb().select().from(chargingTariffs).where(eq(chargingTariffs.assetId, assetId)).orderBy(asc(chargingTariffs.version));
    expect(tariffs.map((tariff) => tariff.version)).toEqual([1, 2, 3]);
    expect(plans.map((plan) => [plan.version, plan.trigger, plan.tariffId])).toEqual([
      [1, "plug_in", tariffs[0]?.id],
      [2, "tariff_update", tariffs[1]?.id],
    ]);
    // An operator re-plan still uses version 2, the latest by event time.
    const replanned = await replanSession(org.admin, session?.id ?? "", "operator");
    expect(replanned).toMatchObject({ version: 3, tariffId: tariffs[1]?.id });
  });

  it("refuses bad tariffs and intents with the field and reason, storing nothing", async () => {
    const { assetId } = await newCharger(org);
    await expect(recordTariffUpdate(org.admin, { assetId, source, tariff: { off_peak_times: "25:00-07:00", timezone: "Europe/London" } })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("tariff.off_peak_times"),
    });
    await expect(recordTariffUpdate(org.admin, { assetId, source, tariff: { off_peak_times: "00:00-07:00", timezone: "Mars/Olympus" } })).rejects.toMatchObject({
      message: expect.stringContaining("tariff.timezone"),
    });
    await expect(recordPlugIn(org.admin, { assetId, source, tariff: { off_peak_times: "Mo-Fr 00:00-07:00", timezone: "Europe/London" } })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(recordIntent(org.admin, { assetId, source, intent: { energyRequiredKwh: 10, readyByLocalTime: "7am" } })).rejects.toMatchObject({
      message: expect.stringContaining("intent.ready_by_local_time"),
    });
    expect(await sessionsOf(assetId)).toHaveLength(0);
    expect(await getDb().select().from(chargingEvents).where(eq(chargingEvents.assetId, assetId))).toHaveLength(0);
  });

  it("applies plug-out by time: an older plug-out leaves the session open, a newer one closes it and stops planning", async () => {
    const { assetId } = await newCharger(org);
    const at = new Date(Date.now() - HOUR);
    const opened = await recordPlugIn(org.admin, { assetId, source, occurredAt: at, intent });
    const older = await recordPlugOut(org.admin, { assetId, source, occurredAt: new Date(at.getTime() - 60_000) });
    expect(older.effect).toBe("plug_out_before_plug_in");
    expect((await sessionsOf(assetId))[0]?.pluggedOutAt).toBeNull();

    const closed = await recordPlugOut(org.admin, { assetId, source, occurredAt: new Date(at.getTime() + 30 * 60_000) });
    expect(closed).toMatchObject({ effect: "session_closed", sessionId: opened.sessionId });
    const sessionId = opened.sessionId ?? "";
    const before = (await plansOf(sessionId)).length;
    expect(await replanSession(org.admin, sessionId, "operator")).toBeNull();
    const tariff = await recordTariffUpdate(org.admin, { assetId, source, tariff: economy7 });
    const intentChange = await recordIntent(org.admin, { assetId, source, intent: { ...intent, energyRequiredKwh: 5 } });
    expect(tariff.planIds).toEqual([]);
    expect(intentChange.planIds).toEqual([]);
    expect(await plansOf(sessionId)).toHaveLength(before);
  });

  it("a plug-in that arrives after its own plug-out records a closed session and plans nothing", async () => {
    const { assetId } = await newCharger(org);
    const plugIn = new Date(Date.now() - 3 * HOUR);
    await recordPlugOut(org.admin, { assetId, source, occurredAt: new Date(plugIn.getTime() + HOUR) });
    const late = await recordPlugIn(org.admin, { assetId, source, occurredAt: plugIn });
    expect(late.effect).toBe("closed_session_recorded");
    const [session] = await sessionsOf(assetId);
    expect(session?.pluggedOutAt?.toISOString()).toBe(new Date(plugIn.getTime() + HOUR).toISOString());
    expect(await plansOf(session?.id ?? "")).toHaveLength(0);
    // And a plug-in older than a known session is stale.
    expect((await recordPlugIn(org.admin, { assetId, source, occurredAt: new Date(plugIn.getTime() - HOUR) })).effect).toBe("stale");
  });

  it("keeps the newest intent when an older one arrives late, and re-plans on intent changes", async () => {
    const { assetId } = await newCharger(org);
    const at = new Date(Date.now() - HOUR);
    const opened = await recordPlugIn(org.admin, { assetId, source, occurredAt: at, tariff: economy7 });
    await setChargingIntent(org.admin, { assetId, energyRequiredKwh: 30, readyByLocalTime: "08:00", source: "householder_page", occurredAt: new Date(at.getTime() + 20 * 60_000) });
    const late = await recordIntent(org.admin, { assetId, source, occurredAt: new Date(at.getTime() + 10 * 60_000), intent: { energyRequiredKwh: 5, readyByLocalTime: "06:00" } });
    expect(late.effect).toBe("older_version_stored");
    expect(late.planIds).toEqual([]);
    const latest = await getLatestIntent(org.admin, assetId);
    expect(latest).toMatchObject({ energyRequiredKwh: 30, readyByLocalTime: "08:00", source: "householder_page", version: 1 });
    const plans = await plansOf(opened.sessionId ?? "");
    expect(plans.map((plan) => [plan.trigger, plan.intentId])).toEqual([
      ["plug_in", null],
      ["intent", latest?.id],
    ]);
  });

  it("charge-now forces charging from now; a late older 'deleted' does not cancel it, a newer one does", async () => {
    const { assetId } = await newCharger(org);
    const at = new Date(Date.now() - HOUR);
    const opened = await recordPlugIn(org.admin, { assetId, source, occurredAt: at, tariff: economy7, intent });
    const sessionId = opened.sessionId ?? "";
    const endAt = new Date(Date.now() + 2 * HOUR);
    const chargeNowAt = new Date(at.getTime() + 20 * 60_000);
    const chargeNow = await recordChargeNow(org.admin, { assetId, source, occurredAt: chargeNowAt, endAt });
    expect(chargeNow.effect).toBe("charge_now_changed");
    const plans = await plansOf(sessionId);
    expect(plans.at(-1)?.trigger).toBe("charge_now");
    expect(plans.at(-1)?.slots[0]?.kw).toBeCloseTo(7, 6);
    expect((await sessionsOf(assetId))[0]?.chargeNowUntil?.toISOString()).toBe(endAt.toISOString());

    const stale = await recordChargeNowDeleted(org.admin, { assetId, source, occurredAt: new Date(chargeNowAt.getTime() - 60_000) });
    expect(stale.effect).toBe("stale");
    expect((await sessionsOf(assetId))[0]?.chargeNowUntil).not.toBeNull();
    const cancelled = await recordAssetEvent(org.admin, { assetId, source, eventType: "charge_now_deleted", occurredAt: new Date(chargeNowAt.getTime() + 60_000) });
    expect(cancelled.effect).toBe("charge_now_changed");
    expect((await sessionsOf(assetId))[0]?.chargeNowUntil).toBeNull();
    expect((await plansOf(sessionId)).at(-1)?.trigger).toBe("charge_now_deleted");
  });

  it("flags a session whose energy cannot be met by ready-by", async () => {
    const { assetId } = await newCharger(org, { power_kw: 3 });
    const opened = await recordPlugIn(org.admin, { assetId, source, tariff: economy7, intent: { energyRequiredKwh: 400, readyByLocalTime: "07:00" } });
    const [plan] = await plansOf(opened.sessionId ?? "");
    expect(plan?.met).toBe(false);
    expect(plan?.shortfallKwh).toBeGreaterThan(0);
    expect((await sessionsOf(assetId))[0]?.flagged).toBe(true);
  });

  it("plans the chargers of a site with an import limit jointly, within the limit", async () => {
    // The limit is a charger property, set through the inventory like any other.
    const first = await newCharger(org, { power_kw: 7, site_import_limit_kw: 10 });
    const second = await newCharger(org, { power_kw: 7 }, first.siteId);
    const tariff = { off_peak_times: "00:00-24:00", timezone: "Europe/London", tariff_type: "single_rate" as const };
    await recordPlugIn(org.admin, { assetId: first.assetId, source, tariff, intent: { energyRequiredKwh: 10, readyByLocalTime: "07:00" } });
    const opened = await recordPlugIn(org.admin, { assetId: second.assetId, source, tariff, intent: { energyRequiredKwh: 10, readyByLocalTime: "07:00" } });
    expect(opened.planIds).toHaveLength(2);
    const latest = await Promise.all(
      (await getDb().select().from(chargingSessions).where(eq(chargingSessions.siteId, first.siteId))).map(async (session) => (await plansOf(session.id)).at(-1)),
    );
    const kwByStart = new Map<string, number>();
    for (const plan of latest) for (const slot of plan?.slots ?? []) kwByStart.set(slot.start, (kwByStart.get(slot.start) ?? 0) + slot.kw);
    for (const kw of kwByStart.values()) expect(kw).toBeLessThanOrEqual(10 + 1e-6);
    expect(latest.every((plan) => plan?.met === true)).toBe(true);
    expect(await replanOpenSessions(org.admin, "prices", { assetIds: [first.assetId] })).toBe(2);
  });

  it("keeps charging out of committed turn-down events when cost allows", async () => {
    const { assetId } = await newCharger(org);
    const start = new Date(Math.ceil(Date.now() / (30 * 60_000)) * 30 * 60_000);
    await getDb().insert(gridEvents).values({ organisationId: org.orgId, name: "evening peak", direction: "turn_down", startAt: start, endAt: new Date(start.getTime() + 2 * HOUR), targetKw: 100, priceGbpPerMwh: 300, status: "scheduled", createdBy: "test" });
    const tariff = { off_peak_times: "00:00-24:00", timezone: "Europe/London", tariff_type: "single_rate" as const };
    const opened = await recordPlugIn(org.admin, { assetId, source, tariff, intent: { energyRequiredKwh: 7, readyByLocalTime: "07:00", chargingMode: "minimise_charging_time" } });
    const [plan] = await plansOf(opened.sessionId ?? "");
    for (const slot of plan?.slots ?? []) {
      const inEvent = Date.parse(slot.start) >= start.getTime() && Date.parse(slot.start) < start.getTime() + 2 * HOUR;
      if (inEvent) expect(slot.kw).toBe(0);
    }
    expect(plan?.met).toBe(true);
  });

  it("the periodic re-plan takes only sessions whose latest plan is old enough", async () => {
    const { assetId } = await newCharger(org);
    const opened = await recordPlugIn(org.admin, { assetId, source, intent });
    const sessionId = opened.sessionId ?? "";
    const now = new Date(Date.now() + 5 * 60_000);
    await replanDueOpenSessions(30, { now, orgId: org.orgId });
    expect(await plansOf(sessionId)).toHaveLength(1);
    await replanDueOpenSessions(30, { now: new Date(Date.now() + 31 * 60_000), orgId: org.orgId });
    const plans = await plansOf(sessionId);
    expect(plans.at(-1)?.trigger).toBe("periodic");
  });

  it("only chargers (and vehicles) of the caller's organisation: other organisations and other assets are not found", async () => {
    const { assetId, siteId } = await newCharger(org);
    const opened = await recordPlugIn(org.admin, { assetId, source, intent });
    await expect(recordPlugIn(other.admin, { assetId, source })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(recordPlugOut(other.admin, { assetId, source })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getLatestIntent(other.admin, assetId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await replanSession(other.admin, opened.sessionId ?? "", "operator")).toBeNull();
    expect(await replanOpenSessions(other.admin, "prices")).toBe(0);
    const battery = await createAsset(org.admin, { siteId, externalId: `battery-${Math.random()}`, type: "battery" });
    await expect(recordPlugIn(org.admin, { assetId: battery.id, source })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(recordPlugIn(org.admin, { assetId: "not-a-uuid", source })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = await org.addOperator("viewer");
    await expect(recordPlugOut(viewer.ctx, { assetId, source: "operator" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stillOpen = await getDb().select().from(chargingSessions).where(and(eq(chargingSessions.assetId, assetId)));
    expect(stillOpen[0]?.pluggedOutAt).toBeNull();
  });
});
