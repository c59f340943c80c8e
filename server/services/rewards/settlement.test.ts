import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { assetReadings, gridEventParticipants, gridEvents, rewardEntries, rewardPaymentEvents } from "@/db/schema";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { randomMpan } from "../batteries/test-support";
import { createAsset } from "../inventory/assets";
import { createSite } from "../inventory/sites";
import { addManualRewardEntry, approveRewardEntries, exportPayoutRun, getFleetRewardSummary, getSiteBalance, listSiteLedger, penceAsPounds, recordPayoutOutcome, updateRewardSettings } from "./ledger";
import { getEventSettlementReport, listSiteFlexEvents, listUnsettledGridEvents, participantDeliverySlots, settleGridEvent } from "./settlement";

// Wednesday 14 January 2026, 17:00-18:00 GMT: a one-hour turn-down event.
const EVENT_START = new Date("2026-01-14T17:00:00.000Z");
const EVENT_END = new Date("2026-01-14T18:00:00.000Z");
const HALF_HOUR = 30 * 60_000;

async function batteryOnNewSite(org: TestOrg, label: string) {
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  const asset = await createAsset(org.admin, { siteId: site.id, externalId: `${label}-${site.id.slice(0, 8)}`, type: "battery", properties: { power_kw: 5, capacity_kwh: 10 } });
  return { siteId: site.id, assetId: asset.id };
}

/** Inverter power readings (kW, positive = charging) for each half-hour of the event window on `days` earlier days, plus the event itself. */
async function insertReadings(org: TestOrg, assetId: string, historyKw: (date: Date) => number, eventKw: number, days = 20) {
  const rows = [];
  for (let day = 1; day <= days; day++) {
    for (let t = EVENT_START.getTime(); t < EVENT_END.getTime(); t += HALF_HOUR) {
      const start = new Date(t - day * 86_400_000);
      rows.push({ organisationId: org.orgId, assetId, label: "battery_inverter_import_kw", startAt: start, endAt: new Date(start.getTime() + HALF_HOUR), value: historyKw(start) });
    }
  }
  for (let t = EVENT_START.getTime(); t < EVENT_END.getTime(); t += HALF_HOUR) {
    rows.push({ organisationId: org.orgId, assetId, label: "battery_inverter_import_kw", startAt: new Date(t), endAt: new Date(t + HALF_HOUR), value: eventKw });
  }
  await getDb().insert(assetReadings).values(rows);
}

async function createCompletedEvent(org: TestOrg, participants: { siteId: string; assetId: string; status: string; plannedKw: number }[], priceGbpPerMwh = 200) {
  const [event] = await getDb()
    .insert(gridEvents)
    .values({ organisationId: org.orgId, name: "Winter peak", direction: "turn_down", startAt: EVENT_START, endAt: EVENT_END, targetKw: 4, priceGbpPerMwh, propositions: ["vpp_limited_control"], status: "completed", createdBy: "test", completedAt: EVENT_END })
    .returning();
  if (!event) throw new Error("no event");
  await getDb()
    .insert(gridEventParticipants)
    .values(participants.map((p) => ({ organisationId: org.orgId, eventId: event.id, assetId: p.assetId, siteId: p.siteId, assetType: "battery", control: "oem_action", proposition: "vpp_limited_control", plannedKw: p.plannedKw, status: p.status })));
  return event.id;
}

describe("grid event settlement", () => {
  let org: TestOrg;
  let other: TestOrg;
  let delivering: { siteId: string; assetId: string };
  let failing: { siteId: string; assetId: string };
  let eventId: string;

  beforeAll(async () => {
    org = await createTestOrg("settlement");
    other = await createTestOrg("settlement-other");
    await updateRewardSettings(org.admin, { operatorSharePct: 50, signUpBonusPence: 0, withdrawalThresholdPence: 20, withdrawalMinWaitDays: 0, scheduleMarket: "wholesale", importMarginPencePerKwh: 15, exportMarginPencePerKwh: 2 });
    delivering = await batteryOnNewSite(org, "delivering");
    failing = await batteryOnNewSite(org, "failing");
    // Usually charging at 1 kW at this time (0.5 kWh per half-hour); during the event exporting at 2 kW (-1 kWh).
    await insertReadings(org, delivering.assetId, () => 1, -2);
    // The failed battery's readings say it exported too, but it reported failure: it earns nothing.
    await insertReadings(org, failing.assetId, () => 1, -2);
    eventId = await createCompletedEvent(org, [
      { ...delivering, status: "confirmed", plannedKw: 2 },
      { ...failing, status: "failed", plannedKw: 2 },
    ]);
  });

  it("lists a completed, unsettled event for the settlement sweep only once it ended before the cutoff", async () => {
    const mine = (rows: { eventId: string }[]) => rows.some((row) => row.eventId === eventId);
    expect(mine(await listUnsettledGridEvents(getDb(), new Date(EVENT_END.getTime() + 1), 100_000))).toBe(true);
    expect(mine(await listUnsettledGridEvents(getDb(), EVENT_END, 100_000))).toBe(false);
  });

  it("uses the mean of the same half-hour over the previous ten non-event weekdays as the baseline", async () => {
    const site = await batteryOnNewSite(org, "baseline");
    // Each day's reading is its day of month in kW, so the mean names the days that were used.
    await insertReadings(org, site.assetId, (date) => date.getUTCDate(), 0);
    const slots = await participantDeliverySlots(org.admin, { id: "00000000-0000-4000-8000-000000000000", startAt: EVENT_START, endAt: EVENT_END }, site.assetId);
    // Weekdays before Wed 14 Jan: 13, 12, 9, 8, 7, 6, 5, 2, 1 Jan and 31 Dec; kWh = kW x 0.5 h.
    const expected = ([13, 12, 9, 8, 7, 6, 5, 2, 1, 31].reduce((a, b) => a + b, 0) / 10) * 0.5;
    expect(slots).toHaveLength(2);
    expect(slots[0]?.baselineKwh).toBeCloseTo(expected, 9);
    expect(slots[1]?.baselineKwh).toBeCloseTo(expected, 9);
    expect(slots[0]?.actualKwh).toBe(0);
  });

  it("credits delivered kWh at the configured share of the event price, in whole pence, exactly once", async () => {
    const first = await settleGridEvent(org.admin, eventId);
    // Per half-hour: baseline 0.5 kWh - actual -1 kWh = 1.5 kWh; two half-hours = 3 kWh.
    // 3 kWh x 200 GBP/MWh = 60 p gross; 50 % share = 30 p.
    expect(first).toMatchObject({ credited: 1, creditedPence: 30, alreadySettled: false });
    expect(first.report.deliveredKwh).toBeCloseTo(6, 9);
    expect(first.report.failedAssetIds).toEqual([failing.assetId]);
    expect(first.report.reachedTarget).toBe(true);

    const second = await settleGridEvent(org.admin, eventId);
    expect(second).toMatchObject({ credited: 0, creditedPence: 0, alreadySettled: true });

    const ledger = await listSiteLedger(org.admin, delivering.siteId);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ entryType: "event_credit", amountPence: 30, flexKwh: 3, paymentStatus: "pending_approval", eventId });
    expect(ledger[0]?.periodStart?.toISOString()).toBe(EVENT_START.toISOString());

    const participants = await getDb().select().from(gridEventParticipants).where(eq(gridEventParticipants.eventId, eventId));
    expect(participants.find((p) => p.assetId === delivering.assetId)?.deliveredKwh).toBeCloseTo(3, 9);
    const [event] = await getDb().select().from(gridEvents).where(eq(gridEvents.id, eventId));
    expect(event?.status).toBe("settled");
  });

  it("gives a failed battery nothing, while measuring what it did", async () => {
    expect(await listSiteLedger(org.admin, failing.siteId)).toEqual([]);
    const report = await getEventSettlementReport(org.admin, eventId);
    expect(report.sites.find((s) => s.siteId === failing.siteId)).toMatchObject({ earns: false, rewardPence: 0 });
    expect(report.targetKwh).toBe(4);
    const flex = await listSiteFlexEvents(org.admin, failing.siteId);
    expect(flex[0]?.finalGrossRevenueGbp).toBe(0);
    const paid = await listSiteFlexEvents(org.admin, delivering.siteId);
    expect(paid[0]).toMatchObject({ estimatedGrossRevenueGbp: 0.6, finalGrossRevenueGbp: 0.6 });
  });

  it("keeps the ledger append-only: amounts cannot change, entries cannot be deleted, statuses only move forward", async () => {
    const [entry] = await listSiteLedger(org.admin, delivering.siteId);
    if (!entry) throw new Error("no entry");
    await expect(getDb().update(rewardEntries).set({ amountPence: 9999 }).where(eq(rewardEntries.id, entry.id))).rejects.toThrow();
    await expect(getDb().delete(rewardEntries).where(eq(rewardEntries.id, entry.id))).rejects.toThrow();
    await expect(getDb().update(rewardEntries).set({ paymentStatus: "posted" }).where(eq(rewardEntries.id, entry.id))).rejects.toThrow();
    const [unchanged] = await listSiteLedger(org.admin, delivering.siteId);
    expect(unchanged?.amountPence).toBe(30);
  });

  it("approves and exports a payment run once, as a CSV in pounds, moving credits to processing", async () => {
    const viewer = await org.addOperator("viewer");
    await expect(exportPayoutRun(viewer.ctx)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await approveRewardEntries(org.admin)).toEqual({ approved: 1, amountPence: 30 });
    const run = await exportPayoutRun(org.admin);
    expect(run).toMatchObject({ entries: 1, sites: 1, totalPence: 30 });
    expect(run.csv).toContain('"0.30"');
    expect(run.csv).toContain(run.reference);
    expect((await exportPayoutRun(org.admin)).entries).toBe(0);
    const [entry] = await listSiteLedger(org.admin, delivering.siteId);
    expect(entry).toMatchObject({ paymentStatus: "processing", paymentReference: run.reference });
    const history = await getDb().select().from(rewardPaymentEvents).where(and(eq(rewardPaymentEvents.entryId, entry?.id ?? ""), eq(rewardPaymentEvents.organisationId, org.orgId)));
    expect(history.map((h) => h.toStatus)).toEqual(["pending_approval", "approved", "processing"]);
    const balance = await getSiteBalance(org.admin, delivering.siteId);
    // In a payment run, not paid out: the provider has not confirmed it.
    expect(balance).toMatchObject({ currentBalancePence: 0, totalEarningsPence: 30, paidOutPence: 0 });
    const summary = await getFleetRewardSummary(org.admin);
    expect(summary.totals).toMatchObject({ earnedPence: 30, processingPence: 30, postedPence: 0 });
    expect(summary.byEvent[0]).toMatchObject({ eventId, earnedPence: 30 });
    expect(summary.byMonth[0]?.earnedPence).toBe(30);
  });

  it("puts a failed payout back on the balance once, and ignores unknown or repeated outcomes", async () => {
    const [entry] = await listSiteLedger(org.admin, delivering.siteId);
    if (!entry) throw new Error("no entry");
    // Another organisation cannot record an outcome for this entry; a malformed id is ignored, not a database error.
    expect(await recordPayoutOutcome(other.admin, { entryIds: [entry.id], outcome: "failed" })).toEqual({ updated: 0 });
    expect(await recordPayoutOutcome(org.admin, { entryIds: ["not-a-uuid"], outcome: "failed" })).toEqual({ updated: 0 });
    expect(await recordPayoutOutcome(org.admin, { entryIds: [entry.id], outcome: "failed" })).toEqual({ updated: 1 });
    expect(await recordPayoutOutcome(org.admin, { entryIds: [entry.id], outcome: "failed" })).toEqual({ updated: 0 });
    expect(await recordPayoutOutcome(org.admin, { entryIds: [entry.id], outcome: "posted" })).toEqual({ updated: 0 });
    expect(await getSiteBalance(org.admin, delivering.siteId)).toMatchObject({ currentBalancePence: 30, totalEarningsPence: 30, paidOutPence: 0 });
    const viewer = await org.addOperator("viewer");
    await expect(recordPayoutOutcome(viewer.ctx, { entryIds: [entry.id], outcome: "posted" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("counts as paid out only what the payment provider confirmed: a second run, recorded as posted", async () => {
    const bonus = await addManualRewardEntry(org.admin, { siteId: delivering.siteId, entryType: "correction", amountPence: 50, note: "Goodwill" });
    expect(await approveRewardEntries(org.admin, { entryIds: [bonus.id] })).toMatchObject({ approved: 1 });
    expect((await exportPayoutRun(org.admin)).entries).toBe(1);
    expect(await getSiteBalance(org.admin, delivering.siteId)).toMatchObject({ paidOutPence: 0 });
    expect(await recordPayoutOutcome(org.admin, { entryIds: [bonus.id], outcome: "posted" })).toEqual({ updated: 1 });
    expect(await getSiteBalance(org.admin, delivering.siteId)).toMatchObject({ paidOutPence: 50 });
    expect((await getFleetRewardSummary(org.admin)).totals).toMatchObject({ processingPence: 0, postedPence: 50 });
  });

  it("formats pence as pounds without floating point", () => {
    expect(penceAsPounds(30)).toBe("0.30");
    expect(penceAsPounds(123_456)).toBe("1234.56");
    expect(penceAsPounds(-5)).toBe("-0.05");
  });

  it("no longer lists a settled event for the settlement sweep", async () => {
    expect((await listUnsettledGridEvents(getDb(), new Date(), 100_000)).some((row) => row.eventId === eventId)).toBe(false);
  });

  it("refuses to settle an event that has not completed", async () => {
    const pending = await createCompletedEvent(org, [{ ...delivering, status: "planned", plannedKw: 1 }]);
    await getDb().update(gridEvents).set({ status: "scheduled" }).where(eq(gridEvents.id, pending));
    await expect(settleGridEvent(org.admin, pending)).rejects.toMatchObject({ code: "PRECONDITION" });
  });

  it("shows another organisation nothing", async () => {
    await expect(settleGridEvent(other.admin, eventId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getSiteBalance(other.admin, delivering.siteId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listSiteLedger(other.admin, delivering.siteId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listSiteFlexEvents(other.admin, delivering.siteId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const summary = await getFleetRewardSummary(other.admin);
    expect(summary.totals.earnedPence).toBe(0);
    expect(summary.sites).toEqual([]);
  });
});
