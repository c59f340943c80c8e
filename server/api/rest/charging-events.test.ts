import { beforeAll, describe, expect, it } from "vitest";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { call, randomMpan, tokenFor } from "./test-support";

type Json = Record<string, unknown>;
const HOUR = 3_600_000;
const tariff = { off_peak_times: "00:00-05:30, 23:30-24:00", timezone: "Europe/London", tariff_type: "dual_rate" };
const intent = { energy_required_kwh: 20, ready_by: "2026-01-01T07:30:00Z", ready_by_local_time: "07:30", charging_mode: "minimise_charging_time" };

async function newCharger(org: TestOrg, type: "charger" | "battery" = "charger") {
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  const asset = await createAsset(org.admin, { siteId: site.id, externalId: `${type}-${Math.random().toString(36).slice(2)}`, type, properties: { power_kw: 7.4 } });
  return asset.id;
}

describe("partner charging events (entities dialect)", () => {
  let org: TestOrg;
  let token: string;
  let otherToken: string;
  beforeAll(async () => {
    org = await createTestOrg("rest-charging");
    token = await tokenFor(org, ["events:write", "entities:read"]);
    otherToken = await tokenFor(await createTestOrg("rest-charging-other"), ["events:write", "entities:read"]);
  });

  it("accepts every event endpoint with good input, and GET intent returns the latest", async () => {
    const assetId = await newCharger(org);
    const base = `/entities/asset/${assetId}`;
    const at = Date.now() - HOUR;
    const iso = (offsetMs: number) => new Date(at + offsetMs).toISOString();
    expect((await call("POST", `${base}/event/tariff-update`, { token, body: { tariff, occurred_at: iso(-60_000) } })).body).toEqual({ status: "accepted" });
    expect((await call("POST", `${base}/event/plug-in`, { token, body: { intent, vehicle: { charging_rate_kw: 7 }, occurred_at: iso(0) } })).status).toBe(200);
    expect((await call("POST", `${base}/event/intent`, { token, body: { intent: { ...intent, energy_required_kwh: 15 }, occurred_at: iso(60_000) } })).status).toBe(200);
    expect((await call("POST", `${base}/event/charge-now`, { token, body: { end_at: new Date(Date.now() + HOUR).toISOString(), occurred_at: iso(120_000) } })).status).toBe(200);
    expect((await call("POST", `${base}/event/charge-now-deleted`, { token, body: { occurred_at: iso(180_000) } })).status).toBe(200);
    expect((await call("POST", `${base}/event`, { token, body: { event_type: "intent_update", intent: { ...intent, energy_required_kwh: 12 }, occurred_at: iso(240_000) } })).status).toBe(200);

    const latest = await call("GET", `${base}/intent`, { token });
    expect(latest.status).toBe(200);
    expect((latest.body as Json).intent).toMatchObject({ energy_required_kwh: 12, ready_by_local_time: "07:30", charging_mode: "minimise_charging_time", may_charge_peak: false });

    expect((await call("POST", `${base}/event/plug-out`, { token, body: { occurred_at: iso(300_000) } })).status).toBe(200);
    expect((await call("POST", `${base}/event`, { token, body: { event_type: "plug_in" } })).status).toBe(200);
    expect((await call("POST", `${base}/event`, { token, body: { event_type: "plug_out" } })).status).toBe(200);
  });

  it("takes the wall time of the deprecated ready_by when ready_by_local_time is absent", async () => {
    const assetId = await newCharger(org);
    // 06:45Z in July is 07:45 in London.
    await call("POST", `/entities/asset/${assetId}/event/intent`, { token, body: { intent: { energy_required_kwh: 8, ready_by: "2026-07-01T06:45:00Z" } } });
    const latest = await call("GET", `/entities/asset/${assetId}/intent`, { token });
    expect((latest.body as Json).intent).toMatchObject({ ready_by_local_time: "07:45", charging_mode: "maximise_charging_time" });
  });

  it.each([
    ["an hour past 24", { off_peak_times: "00:00-25:00", timezone: "Europe/London" }, "off_peak_times"],
    ["weekday selectors", { off_peak_times: "Mo-Fr 00:00-07:00", timezone: "Europe/London" }, "off_peak_times"],
    ["rule separators", { off_peak_times: "00:00-07:00; 23:00-24:00", timezone: "Europe/London" }, "off_peak_times"],
    ["an empty range", { off_peak_times: "07:00-07:00", timezone: "Europe/London" }, "off_peak_times"],
    ["an empty string", { off_peak_times: "", timezone: "Europe/London" }, "off_peak_times"],
    ["an unknown time zone", { off_peak_times: "00:00-07:00", timezone: "Europe/Atlantis" }, "timezone"],
    ["a bad dynamic rate", { off_peak_times: "00:00-07:00", timezone: "Europe/London", unit_rates: [{ start_timestamp: "yesterday", pence_per_kwh: 5 }] }, "unit_rates"],
  ])("refuses a tariff with %s with a 400 naming the problem", async (_name, badTariff, field) => {
    const assetId = await newCharger(org);
    for (const [path, body] of [
      [`/entities/asset/${assetId}/event/tariff-update`, { tariff: badTariff }],
      [`/entities/asset/${assetId}/event/plug-in`, { tariff: badTariff }],
      [`/entities/asset/${assetId}/event`, { event_type: "plug_in", tariff: badTariff }],
    ] as const) {
      const response = await call("POST", path, { token, body });
      expect(response.status, path).toBe(400);
      expect(String((response.body as Json).detail)).toContain(`tariff.${field}`);
    }
    // Nothing was stored: the refused plug-in opened no session, so a plug-out finds none and is simply recorded.
    expect((await call("POST", `/entities/asset/${assetId}/event/plug-out`, { token, body: {} })).status).toBe(200);
  });

  it("accepts dynamic unit rates beyond the dialect", async () => {
    const assetId = await newCharger(org);
    const start = new Date(Math.floor(Date.now() / (30 * 60_000)) * 30 * 60_000);
    const unit_rates = [0, 1, 2, 3].map((i) => ({ start_timestamp: new Date(start.getTime() + i * 30 * 60_000).toISOString(), pence_per_kwh: i === 2 ? -3 : 20 }));
    const response = await call("POST", `/entities/asset/${assetId}/event/plug-in`, { token, body: { tariff: { off_peak_times: "00:00-24:00", timezone: "Europe/London", tariff_type: "dynamic", unit_rates } } });
    expect(response.status).toBe(200);
  });

  it("answers 422 for malformed bodies and 400 for event types missing their field", async () => {
    const assetId = await newCharger(org);
    const base = `/entities/asset/${assetId}`;
    expect((await call("POST", `${base}/event/charge-now`, { token, body: {} })).status).toBe(422);
    expect((await call("POST", `${base}/event/charge-now`, { token, body: { end_at: "tomorrow" } })).status).toBe(422);
    expect((await call("POST", `${base}/event/intent`, { token, body: { intent: { energy_required_kwh: -1, ready_by: "2026-01-01T07:00:00Z" } } })).status).toBe(422);
    expect((await call("POST", `${base}/event`, { token, body: { event_type: "teleport" } })).status).toBe(422);
    expect((await call("POST", `${base}/event/plug-in`, { token, body: { occurred_at: "soon" } })).status).toBe(422);
    const missingEnd = await call("POST", `${base}/event`, { token, body: { event_type: "charge_now" } });
    expect(missingEnd.status).toBe(400);
    expect(String((missingEnd.body as Json).detail)).toContain("end_at");
    expect((await call("POST", `${base}/event`, { token, body: { event_type: "intent_update" } })).status).toBe(400);
  });

  it("refuses with a 400 naming the field an occurred_at far in the future or past and a charge-now beyond 48 hours", async () => {
    const assetId = await newCharger(org);
    const base = `/entities/asset/${assetId}`;
    const future = await call("POST", `${base}/event/plug-in`, { token, body: { occurred_at: "9999-12-31T23:59:59Z" } });
    expect(future.status).toBe(400);
    expect(String((future.body as Json).detail)).toContain("occurred_at");
    const ancient = await call("POST", `${base}/event/plug-in`, { token, body: { occurred_at: "0001-01-01T00:00:00Z" } });
    expect(ancient.status).toBe(400);
    expect(String((ancient.body as Json).detail)).toContain("occurred_at");
    // A charge-now to the year 9999 once had the planner span every half hour until then.
    expect((await call("POST", `${base}/event/plug-in`, { token, body: { intent } })).status).toBe(200);
    const endless = await call("POST", `${base}/event/charge-now`, { token, body: { end_at: "9999-12-31T23:59:59Z" } });
    expect(endless.status).toBe(400);
    expect(String((endless.body as Json).detail)).toContain("end_at");
    const viaGeneric = await call("POST", `${base}/event`, { token, body: { event_type: "charge_now", end_at: new Date(Date.now() + 49 * HOUR).toISOString() } });
    expect(viaGeneric.status).toBe(400);
    expect((await call("POST", `${base}/event/charge-now`, { token, body: { end_at: new Date(Date.now() + 47 * HOUR).toISOString() } })).status).toBe(200);
  });

  it("is idempotent: the same event twice is stored once and a repeated plug-in is accepted", async () => {
    const assetId = await newCharger(org);
    const body = { intent, occurred_at: new Date(Date.now() - HOUR).toISOString() };
    expect((await call("POST", `/entities/asset/${assetId}/event/plug-in`, { token, body })).status).toBe(200);
    expect((await call("POST", `/entities/asset/${assetId}/event/plug-in`, { token, body })).status).toBe(200);
    expect((await call("POST", `/entities/asset/${assetId}/event/plug-in`, { token, body: {} })).status).toBe(200);
  });

  it("answers 404 for unknown assets, non-chargers, other organisations' chargers, and an intent never sent", async () => {
    const assetId = await newCharger(org);
    const battery = await newCharger(org, "battery");
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const id of [unknown, battery]) {
      expect((await call("POST", `/entities/asset/${id}/event/plug-in`, { token, body: {} })).status).toBe(404);
      expect((await call("GET", `/entities/asset/${id}/intent`, { token })).status).toBe(404);
    }
    expect((await call("GET", `/entities/asset/${assetId}/intent`, { token })).status).toBe(404);
    await call("POST", `/entities/asset/${assetId}/event/intent`, { token, body: { intent } });
    for (const [method, path, body] of [
      ["POST", "event/plug-in", {}],
      ["POST", "event/plug-out", {}],
      ["POST", "event/intent", { intent }],
      ["POST", "event/tariff-update", { tariff }],
      ["POST", "event/charge-now", { end_at: new Date().toISOString() }],
      ["POST", "event/charge-now-deleted", {}],
      ["POST", "event", { event_type: "plug_out" }],
      ["GET", "intent", undefined],
    ] as const) {
      const response = await call(method, `/entities/asset/${assetId}/${path}`, { token: otherToken, ...(body === undefined ? {} : { body }) });
      expect(response.status, path).toBe(404);
    }
    expect((await call("GET", `/entities/asset/not-a-uuid/intent`, { token })).status).toBe(422);
  });

  it("needs a token with events:write", async () => {
    const assetId = await newCharger(org);
    const readOnly = await tokenFor(org, ["entities:read"]);
    expect((await call("POST", `/entities/asset/${assetId}/event/plug-in`, { token: readOnly, body: {} })).status).toBe(403);
    expect((await call("POST", `/entities/asset/${assetId}/event/plug-in`, { body: {} })).status).toBe(401);
  });
});
