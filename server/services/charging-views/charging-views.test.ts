import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import {
  assetReadings,
  chargingEvents,
  chargingIntents,
  chargingPlans,
  chargingSessions,
  marketPriceCurves,
  marketPrices,
  scheduleDeliveries,
  scheduleDeliveryAttempts,
  type StoredPlanSlot,
} from "@/db/schema";
import { createCaller } from "@/server/api/root";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { initialiseSite } from "../inventory/initialise";
import { getChargingOverview, getChargingSessionTimeline, listChargingSessions, plannedEnergyBetween } from "./charging-views";

const HALF_HOUR = 30 * 60_000;
const NOW = new Date("2026-03-10T18:10:00Z");
const SLOT0 = new Date("2026-03-10T18:00:00Z").getTime();

function mpanWithCheckDigit(first12: string): string {
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = weights.reduce((total, weight, i) => total + weight * Number(first12[i]), 0);
  return `${first12}${(sum % 11) % 10}`;
}

async function chargerSite(org: TestOrg, externalId: string, mpan12: string, postcode = "SW1A 1AA") {
  const result = await initialiseSite(org.admin, {
    site: { mpan: mpanWithCheckDigit(mpan12), postcode },
    assets: [{ externalId, type: "charger", properties: { power_kw: 7.4 } }],
  });
  const asset = result.assets[0];
  if (!asset) throw new Error("no asset");
  return { siteId: result.site.siteId, assetId: asset.assetId };
}

function slots(fromMs: number, kws: number[]): StoredPlanSlot[] {
  return kws.map((kw, i) => ({
    start: new Date(fromMs + i * HALF_HOUR).toISOString(),
    end: new Date(fromMs + (i + 1) * HALF_HOUR).toISOString(),
    kw,
    kwh: kw / 2,
    pencePerKwh: 10,
  }));
}

async function session(org: TestOrg, charger: { siteId: string; assetId: string }, fields: { pluggedInAt: Date; pluggedOutAt?: Date; flagged?: boolean }) {
  const [row] = await getDb()
    .insert(chargingSessions)
    .values({ organisationId: org.orgId, assetId: charger.assetId, siteId: charger.siteId, pluggedInAt: fields.pluggedInAt, pluggedOutAt: fields.pluggedOutAt ?? null, chargerPowerKw: 7.4, flagged: fields.flagged ?? false })
    .returning();
  if (!row) throw new Error("no session");
  return row;
}

async function plan(org: TestOrg, sessionRow: { id: string; assetId: string }, version: number, planSlots: StoredPlanSlot[], createdAt: Date, extra: { costPence?: number; baselineCostPence?: number } = {}) {
  const energy = planSlots.reduce((sum, s) => sum + s.kwh, 0);
  const cost = extra.costPence ?? 100 * version;
  const baseline = extra.baselineCostPence ?? 300;
  const [row] = await getDb()
    .insert(chargingPlans)
    .values({
      organisationId: org.orgId,
      sessionId: sessionRow.id,
      assetId: sessionRow.assetId,
      version,
      trigger: version === 1 ? "plug_in" : "intent",
      windowStart: new Date(planSlots[0]?.start ?? NOW),
      windowEnd: new Date(planSlots.at(-1)?.end ?? NOW),
      slots: planSlots,
      energyKwh: energy,
      costPence: cost,
      baselineCostPence: baseline,
      savingPence: baseline - cost,
      met: true,
      createdAt,
    })
    .returning();
  if (!row) throw new Error("no plan");
  return row;
}

describe("charging overview", () => {
  it("sums the latest plan of every plugged-in session into a half-hourly load curve beside the market price", async () => {
    const org = await createTestOrg("cv-overview");
    const a = await chargerSite(org, "ov-charger-a", "100000000001");
    const b = await chargerSite(org, "ov-charger-b", "100000000002");
    const c = await chargerSite(org, "ov-charger-c", "100000000003");
    const openA = await session(org, a, { pluggedInAt: new Date(SLOT0 - HALF_HOUR) });
    const openB = await session(org, b, { pluggedInAt: new Date(SLOT0 - 2 * HALF_HOUR), flagged: true });
    const closedC = await session(org, c, { pluggedInAt: new Date(SLOT0 - 4 * HALF_HOUR), pluggedOutAt: new Date(SLOT0 - HALF_HOUR) });
    // A superseded version must not count, only the latest.
    await plan(org, openA, 1, slots(SLOT0, [7, 7, 7]), new Date(SLOT0 - HALF_HOUR));
    await plan(org, openA, 2, slots(SLOT0 + HALF_HOUR, [4, 4]), new Date(SLOT0));
    await plan(org, openB, 1, slots(SLOT0, [2, 0, 6]), new Date(SLOT0));
    await plan(org, closedC, 1, slots(SLOT0, [7, 7]), new Date(SLOT0 - 3 * HALF_HOUR));

    const db = getDb();
    const [curve] = await db
      .insert(marketPriceCurves)
      .values({ organisationId: org.orgId, market: "N2EX_DAY_AHEAD", source: "trpc", uploadedBy: "test", pointCount: 2, firstSlotAt: new Date(SLOT0), lastSlotAt: new Date(SLOT0 + HALF_HOUR) })
      .returning();
    if (!curve) throw new Error("no curve");
    await db.insert(marketPrices).values([
      { organisationId: org.orgId, market: "N2EX_DAY_AHEAD", slotStart: new Date(SLOT0), priceGbpPerMwh: 95.5, curveId: curve.id },
      { organisationId: org.orgId, market: "N2EX_DAY_AHEAD", slotStart: new Date(SLOT0 + HALF_HOUR), priceGbpPerMwh: -3, curveId: curve.id },
    ]);

    const failedPlan = await plan(org, openA, 3, slots(SLOT0 + HALF_HOUR, [4, 4]), new Date(SLOT0 + 60_000));
    await db.insert(scheduleDeliveries).values([
      { organisationId: org.orgId, planId: failedPlan.id, sessionId: openA.id, assetId: a.assetId, status: "failed", ocppVersion: "1.6", body: {}, attempts: 6, lastError: "HTTP 503" },
      { organisationId: org.orgId, planId: failedPlan.id, sessionId: openA.id, assetId: a.assetId, status: "pending", ocppVersion: "1.6", body: {} },
      { organisationId: org.orgId, planId: failedPlan.id, sessionId: openA.id, assetId: a.assetId, status: "delivered", ocppVersion: "1.6", body: {} },
    ]);

    const overview = await getChargingOverview(org.admin, { now: NOW });
    expect(overview.pluggedIn.map((s) => s.assetExternalId)).toEqual(["ov-charger-a", "ov-charger-b"]);
    expect(overview.pluggedIn[0]?.latestPlan?.version).toBe(3);
    expect(overview.flaggedCount).toBe(1);
    expect(overview.loadCurve).toHaveLength(48);
    expect(overview.loadCurve[0]?.start.toISOString()).toBe("2026-03-10T18:00:00.000Z");
    // Slot 0: A plans nothing (v3 starts at 18:30), B 2 kW. Slot 1: A 4 + B 0. Slot 2: A 4 + B 6.
    expect(overview.loadCurve.slice(0, 4).map((p) => p.kw)).toEqual([2, 4, 10, 0]);
    expect(overview.loadCurve.slice(0, 3).map((p) => p.priceGbpPerMwh)).toEqual([95.5, -3, null]);
    expect(overview.market).toBe("N2EX_DAY_AHEAD");
    expect(overview.plannedEnergyKwh).toBe(8);
    expect(overview.deliveries.failed).toBe(1);
    expect(overview.deliveries.pending).toBe(1);
    expect(overview.deliveries.recentFailures).toEqual([expect.objectContaining({ assetExternalId: "ov-charger-a", planVersion: 3, attempts: 6, lastError: "HTTP 503", sessionId: openA.id })]);
  });

  it("splits partial plan slots at the window edges pro rata", () => {
    const partial: StoredPlanSlot[] = [{ start: new Date(SLOT0 + 15 * 60_000).toISOString(), end: new Date(SLOT0 + 45 * 60_000).toISOString(), kw: 6, kwh: 3, pencePerKwh: 10 }];
    expect(plannedEnergyBetween(partial, SLOT0, SLOT0 + HALF_HOUR)).toBeCloseTo(1.5);
    expect(plannedEnergyBetween(partial, SLOT0 + HALF_HOUR, SLOT0 + 2 * HALF_HOUR)).toBeCloseTo(1.5);
  });
});

describe("charging sessions list", () => {
  it("pages newest first, filters plugged-in and flagged, and searches by asset external id, MPAN or postcode", async () => {
    const org = await createTestOrg("cv-list");
    const home = await chargerSite(org, "list-zappi-1", "200000000001", "EH1 1YZ");
    const other = await chargerSite(org, "list-wallbox-2", "200000000002", "SW1A 1AA");
    for (let day = 0; day < 5; day++) {
      await session(org, home, { pluggedInAt: new Date(SLOT0 - (10 - day) * 86_400_000), pluggedOutAt: new Date(SLOT0 - (10 - day) * 86_400_000 + 3_600_000), flagged: day === 2 });
    }
    await session(org, home, { pluggedInAt: new Date(SLOT0 - HALF_HOUR) });
    await session(org, other, { pluggedInAt: new Date(SLOT0 - 2 * HALF_HOUR) });

    const first = await listChargingSessions(org.admin, { limit: 3, offset: 0 });
    expect(first.total).toBe(7);
    expect(first.rows.map((r) => r.pluggedInAt.getTime())).toEqual([SLOT0 - HALF_HOUR, SLOT0 - 2 * HALF_HOUR, SLOT0 - 6 * 86_400_000]);
    const last = await listChargingSessions(org.admin, { limit: 3, offset: 6 });
    expect(last.rows).toHaveLength(1);
    expect(last.rows[0]?.pluggedInAt.getTime()).toBe(SLOT0 - 10 * 86_400_000);
    // An offset past Postgres' bigint once failed as a server error; now it is just an empty page.
    expect((await listChargingSessions(org.admin, { limit: 3, offset: 1e20 })).rows).toEqual([]);

    expect((await listChargingSessions(org.admin, { filter: "plugged_in" })).rows.map((r) => r.assetExternalId)).toEqual(["list-zappi-1", "list-wallbox-2"]);
    expect((await listChargingSessions(org.admin, { filter: "flagged" })).total).toBe(1);
    expect((await listChargingSessions(org.admin, { search: "WALLBOX" })).rows.map((r) => r.assetExternalId)).toEqual(["list-wallbox-2"]);
    expect((await listChargingSessions(org.admin, { search: "eh11yz" })).total).toBe(6);
    expect((await listChargingSessions(org.admin, { search: "200000000002" })).total).toBe(1);
    expect((await listChargingSessions(org.admin, { search: "100%" })).total).toBe(0);
  });
});

describe("session timeline", () => {
  it("orders plug-in, events, intents, plan versions, deliveries with attempts and plug-out by time, with readings against the latest plan", async () => {
    const org = await createTestOrg("cv-timeline");
    const charger = await chargerSite(org, "tl-charger", "300000000001");
    const pluggedInAt = new Date(SLOT0 - HALF_HOUR);
    const pluggedOutAt = new Date(SLOT0 + 4 * HALF_HOUR);
    const row = await session(org, charger, { pluggedInAt, pluggedOutAt });
    const db = getDb();
    await db.insert(chargingIntents).values([
      { organisationId: org.orgId, assetId: charger.assetId, version: 1, energyRequiredKwh: 20, readyByLocalTime: "07:00", source: "partner_api", effectiveAt: new Date(SLOT0 - 86_400_000) },
      { organisationId: org.orgId, assetId: charger.assetId, version: 2, energyRequiredKwh: 8, readyByLocalTime: "06:30", source: "householder_page", effectiveAt: new Date(SLOT0 + 5 * 60_000) },
    ]);
    // Received out of order: state follows occurred_at.
    await db.insert(chargingEvents).values([
      { organisationId: org.orgId, assetId: charger.assetId, eventType: "plug_out", occurredAt: pluggedOutAt, source: "partner_api", sessionId: row.id },
      { organisationId: org.orgId, assetId: charger.assetId, eventType: "intent", occurredAt: new Date(SLOT0 + 5 * 60_000), source: "householder_page", sessionId: row.id },
      { organisationId: org.orgId, assetId: charger.assetId, eventType: "plug_in", occurredAt: pluggedInAt, source: "partner_api", sessionId: row.id },
    ]);
    const v1 = await plan(org, row, 1, slots(SLOT0 - HALF_HOUR, [7, 7, 0, 0]), pluggedInAt, { costPence: 250, baselineCostPence: 300 });
    const v2 = await plan(org, row, 2, slots(SLOT0, [4, 4, 4, 4]), new Date(SLOT0 + 5 * 60_000), { costPence: 80, baselineCostPence: 200 });
    const [d1] = await db
      .insert(scheduleDeliveries)
      .values({ organisationId: org.orgId, planId: v1.id, sessionId: row.id, assetId: charger.assetId, status: "superseded", ocppVersion: "1.6", body: {}, attempts: 1, createdAt: new Date(pluggedInAt.getTime() + 1000) })
      .returning();
    const [d2] = await db
      .insert(scheduleDeliveries)
      .values({ organisationId: org.orgId, planId: v2.id, sessionId: row.id, assetId: charger.assetId, status: "delivered", ocppVersion: "1.6", body: {}, attempts: 2, createdAt: new Date(SLOT0 + 5 * 60_000 + 1000), deliveredAt: new Date(SLOT0 + 7 * 60_000) })
      .returning();
    if (!d1 || !d2) throw new Error("no delivery");
    await db.insert(scheduleDeliveryAttempts).values([
      { organisationId: org.orgId, deliveryId: d1.id, attemptedAt: new Date(pluggedInAt.getTime() + 2000), httpStatus: 503, error: "HTTP 503", durationMs: 12 },
      { organisationId: org.orgId, deliveryId: d2.id, attemptedAt: new Date(SLOT0 + 6 * 60_000), httpStatus: null, error: "connect ECONNREFUSED", durationMs: 3 },
      { organisationId: org.orgId, deliveryId: d2.id, attemptedAt: new Date(SLOT0 + 7 * 60_000), httpStatus: 200, error: null, durationMs: 9 },
    ]);
    await db.insert(assetReadings).values([
      { organisationId: org.orgId, assetId: charger.assetId, label: "charger_consumption_energy_kwh", startAt: new Date(SLOT0), endAt: new Date(SLOT0 + HALF_HOUR), value: 1.9 },
      { organisationId: org.orgId, assetId: charger.assetId, label: "charger_consumption_energy_kwh", startAt: new Date(SLOT0 + HALF_HOUR), endAt: new Date(SLOT0 + 2 * HALF_HOUR), value: 2.1 },
      { organisationId: org.orgId, assetId: charger.assetId, label: "import_energy_kwh", startAt: new Date(SLOT0), endAt: new Date(SLOT0 + HALF_HOUR), value: 9 },
    ]);

    const timeline = await getChargingSessionTimeline(org.admin, row.id, { now: NOW });
    expect(timeline.entries.map((e) => (e.kind === "event" ? `event:${e.eventType}` : e.kind === "plan" || e.kind === "intent" ? `${e.kind}:v${e.version}` : e.kind))).toEqual([
      "plug_in",
      "intent:v1",
      "plan:v1",
      "delivery",
      "delivery_attempt",
      "event:intent",
      "intent:v2",
      "plan:v2",
      "delivery",
      "delivery_attempt",
      "delivery_attempt",
      "plug_out",
    ]);
    expect(timeline.plans.map((p) => [p.version, p.slots.length])).toEqual([
      [1, 4],
      [2, 4],
    ]);
    expect(timeline.deliveries.map((d) => [d.planVersion, d.status, d.attempts.length])).toEqual([
      [1, "superseded", 1],
      [2, "delivered", 2],
    ]);
    expect(timeline.latestPlan).toMatchObject({ version: 2, costPence: 80, baselineCostPence: 200, savingPence: 120 });
    expect(timeline.readings.map((r) => r.kwh)).toEqual([1.9, 2.1]);
    expect(timeline.actualEnergyKwh).toBe(4);
    expect(timeline.actualVsPlan.map((p) => [p.plannedKwh, p.actualKwh])).toEqual([
      [0, null],
      [2, 1.9],
      [2, 2.1],
      [2, null],
      [2, null],
    ]);
  });

  it("shows the session itself as the plug-in when no event row exists, and answers unknown ids with not found", async () => {
    const org = await createTestOrg("cv-timeline-bare");
    const charger = await chargerSite(org, "bare-charger", "300000000002");
    const row = await session(org, charger, { pluggedInAt: new Date(SLOT0) });
    const timeline = await getChargingSessionTimeline(org.admin, row.id, { now: NOW });
    expect(timeline.entries.map((e) => e.kind)).toEqual(["plug_in"]);
    expect(timeline.latestPlan).toBeNull();
    await expect(getChargingSessionTimeline(org.admin, "not-a-uuid")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getChargingSessionTimeline(org.admin, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("organisation isolation", () => {
  it("shows another organisation none of the sessions, plans, deliveries or prices", async () => {
    const owner = await createTestOrg("cv-owner");
    const outsider = await createTestOrg("cv-outsider");
    const charger = await chargerSite(owner, "iso-charger", "400000000001");
    const row = await session(owner, charger, { pluggedInAt: new Date(SLOT0) });
    const p = await plan(owner, row, 1, slots(SLOT0, [7]), new Date(SLOT0));
    await getDb().insert(scheduleDeliveries).values({ organisationId: owner.orgId, planId: p.id, sessionId: row.id, assetId: charger.assetId, status: "failed", ocppVersion: "1.6", body: {} });

    const overview = await getChargingOverview(outsider.admin, { now: NOW });
    expect(overview.pluggedIn).toEqual([]);
    expect(overview.loadCurve.every((period) => period.kw === 0)).toBe(true);
    expect(overview.deliveries).toEqual({ failed: 0, pending: 0, recentFailures: [] });
    expect(overview.market).toBeNull();
    expect(await listChargingSessions(outsider.admin, { search: "iso-charger" })).toMatchObject({ total: 0, rows: [] });
    await expect(getChargingSessionTimeline(outsider.admin, row.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await getChargingOverview(owner.admin, { now: NOW })).pluggedIn).toHaveLength(1);
  });
});

describe("chargingViews tRPC procedures", () => {
  it("lets viewers read the overview, sessions and timeline but not create intent links, and validates input", async () => {
    const org = await createTestOrg("cv-trpc");
    const charger = await chargerSite(org, "trpc-charger", "500000000001");
    const row = await session(org, charger, { pluggedInAt: new Date(SLOT0) });
    const viewer = await org.addOperator("viewer");
    const asViewer = createCaller({ operator: null, service: viewer.ctx });
    expect((await asViewer.chargingViews.overview()).pluggedIn.map((s) => s.sessionId)).toEqual([row.id]);
    expect((await asViewer.chargingViews.sessions({ filter: "plugged_in" })).total).toBe(1);
    expect((await asViewer.chargingViews.session({ sessionId: row.id })).session.assetExternalId).toBe("trpc-charger");
    await expect(asViewer.chargingViews.createIntentLink({ assetId: charger.assetId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.chargingViews.sessions({ filter: "everything" as "all" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const asOperator = createCaller({ operator: null, service: (await org.addOperator("operator")).ctx });
    const link = await asOperator.chargingViews.createIntentLink({ assetId: charger.assetId, ttlHours: 2 });
    expect((await asOperator.chargingViews.intentLinks({ siteId: charger.siteId })).map((l) => l.linkId)).toEqual([link.linkId]);
    await asOperator.chargingViews.revokeIntentLink({ linkId: link.linkId });
    expect(await asOperator.chargingViews.intentLinks({ siteId: charger.siteId })).toEqual([]);
  });
});
