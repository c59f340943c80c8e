import { beforeAll, describe, expect, it } from "vitest";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { addManualRewardEntry, updateRewardSettings } from "@/server/services/rewards/ledger";
import { insertBatteryScheduleForTest, insertGridEventWithParticipants } from "@/server/services/rewards/test-support";
import { openWithdrawalPage } from "@/server/services/rewards/withdrawals";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { call, randomMpan, tokenFor } from "./test-support";

type Json = Record<string, unknown>;

describe("entities dialect: rewards, flex events and battery schedules", () => {
  let org: TestOrg;
  let token: string;
  let otherToken: string;
  let siteId: string;
  let assetId: string;

  beforeAll(async () => {
    org = await createTestOrg("rest-rewards");
    const other = await createTestOrg("rest-rewards-other");
    token = await tokenFor(org, ["rewards:read", "entities:read"]);
    otherToken = await tokenFor(other, ["rewards:read", "entities:read"]);
    await updateRewardSettings(org.admin, { operatorSharePct: 40, signUpBonusPence: 1000, withdrawalThresholdPence: 1500, withdrawalMinWaitDays: 0, scheduleMarket: "wholesale", importMarginPencePerKwh: 15, exportMarginPencePerKwh: 2 });
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    siteId = site.id;
    assetId = (await createAsset(org.admin, { siteId, externalId: `rest-rewards-${siteId.slice(0, 8)}`, type: "battery", properties: { power_kw: 5, capacity_kwh: 10 } })).id;
    await addManualRewardEntry(org.admin, { siteId, entryType: "sign_up_bonus", note: "Welcome" });
    await addManualRewardEntry(org.admin, { siteId, entryType: "correction", amountPence: -150, note: "Meter data fix" });
  });

  it("answers the balance in pence with the withdrawal threshold", async () => {
    const response = await call("GET", `/rewards/${siteId}/info`, { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ current_balance_pence: 850, total_earnings_pence: 850, minimum_withdrawal_threshold_pence: 1500, withdrawal_min_wait_days: 0, can_withdraw: false });
  });

  it("lists transactions newest first in the dialect's types", async () => {
    const response = await call("GET", `/rewards/${siteId}/transactions`, { token });
    expect(response.status).toBe(200);
    const body = response.body as { site_id: string; transactions: Json[]; is_below_withdrawal_minimum: boolean };
    expect(body.site_id).toBe(siteId);
    expect(body.is_below_withdrawal_minimum).toBe(true);
    expect(body.transactions.map((t) => [t.transaction_type, t.credit_pence, t.payment_status])).toEqual([
      ["correction", -150, "pending_approval"],
      ["signup bonus", 1000, "pending_approval"],
    ]);
  });

  it("lists the site's flex events with gross revenue", async () => {
    await insertGridEventWithParticipants({
      orgId: org.orgId,
      startAt: new Date("2026-01-14T17:00:00Z"),
      endAt: new Date("2026-01-14T18:00:00Z"),
      targetKw: 2,
      priceGbpPerMwh: 250,
      status: "scheduled",
      participants: [{ siteId, assetId, plannedKw: 2 }],
    });
    const response = await call("GET", `/entities/site/${siteId}/flex-events`, { token });
    expect(response.status).toBe(200);
    // Planned 2 kW x 1 h = 2 kWh x 250 GBP/MWh = 0.50 GBP, estimated until measured.
    expect(response.body).toEqual({ site_id: siteId, events: [{ start_at: "2026-01-14T17:00:00.000Z", end_at: "2026-01-14T18:00:00.000Z", estimated_gross_revenue_gbp: 0.5 }] });
  });

  it("answers the battery's active schedule as merged steps, and 404 when it has none", async () => {
    expect((await call("GET", `/entities/asset/${assetId}/battery-schedule`, { token })).status).toBe(404);
    const now = Date.now();
    const slotStart = Math.floor(now / 1_800_000) * 1_800_000;
    const slot = (i: number, mode: string) => ({
      start: new Date(slotStart + i * 1_800_000).toISOString(),
      end: new Date(slotStart + (i + 1) * 1_800_000).toISOString(),
      chargeKw: mode === "IMPORT_FOCUS" ? 5 : 0,
      dischargeKw: 0,
      gridImportKw: 0,
      gridExportKw: 0,
      socStartPct: 50,
      socEndPct: 50,
      mode,
      importPencePerKwh: 20,
      exportPencePerKwh: 5,
      loadKwh: 0.3,
      marketPriceGbpPerMwh: 50,
    });
    await insertBatteryScheduleForTest({ orgId: org.orgId, siteId, assetId, slots: [slot(0, "IMPORT_FOCUS"), slot(1, "IMPORT_FOCUS"), slot(2, "SELF_RELIANCE")] });
    const response = await call("GET", `/entities/asset/${assetId}/battery-schedule`, { token });
    expect(response.status).toBe(200);
    const body = response.body as { schedule_steps: Json[]; schedule_last_updated: string };
    expect(body.schedule_steps).toEqual([
      { start_timestamp: new Date(slotStart).toISOString(), end_timestamp: new Date(slotStart + 2 * 1_800_000).toISOString(), action: "charge_max", allow_deviation: false },
      { start_timestamp: new Date(slotStart + 2 * 1_800_000).toISOString(), end_timestamp: new Date(slotStart + 3 * 1_800_000).toISOString(), action: "avoid_import", allow_deviation: true },
    ]);
  });

  it("signs a one-hour link to the hosted rewards page that opens on the site's balance", async () => {
    const redirect = encodeURIComponent("https://partner.example.com/rewards/done?user=7");
    const before = Date.now();
    const response = await call("GET", `/rewards/${siteId}/url/balance?redirect_uri=${redirect}&enforce_two_factor_auth=true&hide_transactions=false`, { token });
    expect(response.status).toBe(200);
    const body = response.body as { balance_withdrawal_url: string; url_expiry_timestamp: string };
    expect(body.balance_withdrawal_url).toMatch(/^https?:\/\/[^/]+\/rewards\/withdraw\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const expiry = Date.parse(body.url_expiry_timestamp);
    expect(expiry - before).toBeGreaterThanOrEqual(3_599_000);
    expect(expiry - before).toBeLessThanOrEqual(3_601_000);
    const pageToken = body.balance_withdrawal_url.split("/").at(-1) ?? "";
    const page = await openWithdrawalPage(pageToken);
    expect(page).toMatchObject({ ok: true, view: { balancePence: 850, thresholdPence: 1500, redirectUri: "https://partner.example.com/rewards/done?user=7", twoFactor: { required: true }, hideTransactions: false } });
  });

  it("answers 422 naming redirect_uri when it is missing, relative or plain http, and 404 for another organisation's site", async () => {
    for (const query of ["", "?redirect_uri=%2Fdone", `?redirect_uri=${encodeURIComponent("http://partner.example.com/done")}`]) {
      const response = await call("GET", `/rewards/${siteId}/url/balance${query}`, { token });
      expect(response.status).toBe(422);
      expect((response.body as { detail: { loc: string[] }[] }).detail[0]?.loc).toEqual(["query", "redirect_uri"]);
    }
    const flag = await call("GET", `/rewards/${siteId}/url/balance?redirect_uri=${encodeURIComponent("https://p.example.com/")}&hide_transactions=maybe`, { token });
    expect(flag.status).toBe(422);
    const redirect = encodeURIComponent("https://partner.example.com/done");
    expect((await call("GET", `/rewards/${siteId}/url/balance?redirect_uri=${redirect}`, { token: otherToken })).status).toBe(404);
    expect((await call("GET", `/rewards/${siteId}/url/balance?redirect_uri=${redirect}`)).status).toBe(401);
  });

  it("refuses a malformed id with 422, a token without the scope with 403, and another organisation with 404", async () => {
    expect((await call("GET", "/rewards/not-a-uuid/info", { token })).status).toBe(422);
    const noScope = await tokenFor(org, ["entities:read"]);
    expect((await call("GET", `/rewards/${siteId}/info`, { token: noScope })).status).toBe(403);
    expect((await call("GET", `/rewards/${siteId}/info`, { token: otherToken })).status).toBe(404);
    expect((await call("GET", `/rewards/${siteId}/transactions`, { token: otherToken })).status).toBe(404);
    expect((await call("GET", `/entities/site/${siteId}/flex-events`, { token: otherToken })).status).toBe(404);
    expect((await call("GET", `/entities/asset/${assetId}/battery-schedule`, { token: otherToken })).status).toBe(404);
    expect((await call("GET", `/rewards/${siteId}/info`)).status).toBe(401);
  });
});
