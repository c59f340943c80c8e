import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { recordDispatchConsent } from "@/server/services/consent/site-consents";
import { initialiseSite } from "@/server/services/inventory/initialise";
import { storePriceCurve } from "@/server/services/market-prices/market-prices";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { call, randomMpan, tokenFor } from "./test-support";

type Json = Record<string, unknown>;
const HALF_HOUR = 1_800_000;
const PAST = Date.UTC(2025, 0, 6);

async function chargerSite(org: TestOrg) {
  const mpan = randomMpan();
  const result = await initialiseSite(org.admin, {
    site: { mpan, postcode: "SW1A 1AA" },
    assets: [{ externalId: `charger-${mpan}`, type: "charger", properties: { power_kw: 7.4 } }],
  });
  const assetId = result.assets[0]?.assetId;
  if (assetId === undefined) throw new Error("no asset");
  return { siteId: result.site.siteId, assetId };
}

function consumption(assetId: string, slot: number, value: number) {
  return {
    asset_id: assetId,
    start_timestamp: new Date(PAST + slot * HALF_HOUR).toISOString(),
    end_timestamp: new Date(PAST + (slot + 1) * HALF_HOUR).toISOString(),
    value,
    label: "charger_consumption_energy_kwh",
  };
}

type Outcome = { asset_id: string; accepted: boolean; error?: string };
const outcomes = (body: unknown) => (body as { responses: Outcome[] }).responses;

describe("POST /data/readings", () => {
  let org: TestOrg;
  let token: string;
  let charger: Awaited<ReturnType<typeof chargerSite>>;
  beforeAll(async () => {
    org = await createTestOrg("rest-readings");
    token = await tokenFor(org, ["readings:write", "entities:read"]);
    charger = await chargerSite(org);
  });

  it("answers each reading accepted or with its error, in order", async () => {
    const response = await call("POST", "/data/readings", {
      token,
      body: {
        readings: [
          consumption(charger.assetId, 0, 2.1),
          { ...consumption(charger.assetId, 1, 1), start_timestamp: "2025-01-06T00:31:00Z", end_timestamp: "2025-01-06T01:01:00Z" },
          consumption(charger.assetId, 2, -1),
          consumption(charger.assetId, 3, 50),
        ],
      },
    });
    expect(response.status).toBe(200);
    const answers = outcomes(response.body);
    expect(answers.map((a) => a.accepted)).toEqual([true, false, false, false]);
    expect(answers[1]?.error).toMatch(/half-hour boundary/);
    expect(answers[2]?.error).toMatch(/>= 0/);
    expect(answers[3]?.error).toMatch(/7.4 kW/);
    expect(answers[0]).toMatchObject({ asset_id: charger.assetId, start_timestamp: "2025-01-06T00:00:00.000Z", label: "charger_consumption_energy_kwh" });
  });

  it("accepts a gzip body", async () => {
    const body = gzipSync(JSON.stringify({ readings: [consumption(charger.assetId, 10, 1), consumption(charger.assetId, 11, 1.5)] }));
    const response = await call("POST", "/data/readings", { token, rawBody: body, headers: { "content-type": "application/json", "content-encoding": "gzip" } });
    expect(response.status).toBe(200);
    expect(outcomes(response.body).every((a) => a.accepted)).toBe(true);
  });

  it("refuses a body that is not gzip though it says so", async () => {
    const response = await call("POST", "/data/readings", { token, rawBody: "not gzip", headers: { "content-type": "application/json", "content-encoding": "gzip" } });
    expect(response.status).toBe(400);
  });

  it("takes 10,000 readings in one request (beyond the 1 MB default body limit), gzipped too, and a re-post is idempotent", async () => {
    const readings = Array.from({ length: 10_000 }, (_, i) => consumption(charger.assetId, 1000 + i, 1));
    const plain = JSON.stringify({ readings });
    expect(plain.length).toBeGreaterThan(1024 * 1024);
    const first = await call("POST", "/data/readings", { token, rawBody: plain, headers: { "content-type": "application/json" } });
    expect(first.status).toBe(200);
    expect(outcomes(first.body).filter((a) => a.accepted)).toHaveLength(10_000);
    const again = await call("POST", "/data/readings", { token, rawBody: gzipSync(JSON.stringify({ readings: readings.map((r) => ({ ...r, value: 2 })) })), headers: { "content-type": "application/json", "content-encoding": "gzip" } });
    expect(outcomes(again.body).filter((a) => a.accepted)).toHaveLength(10_000);
  });

  it("refuses more than 10,000 readings, unknown labels and a missing body as a whole with 422", async () => {
    const tooMany = await call("POST", "/data/readings", { token, body: { readings: Array.from({ length: 10_001 }, (_, i) => consumption(charger.assetId, i, 1)) } });
    expect(tooMany.status).toBe(422);
    const badLabel = await call("POST", "/data/readings", { token, body: { readings: [{ ...consumption(charger.assetId, 0, 1), label: "charger_energy" }] } });
    expect(badLabel.status).toBe(422);
    expect(JSON.stringify(badLabel.body)).toContain("label");
    expect((await call("POST", "/data/readings", { token, body: {} })).status).toBe(422);
  });

  it("needs the readings:write scope", async () => {
    const readOnly = await tokenFor(org, ["entities:read"]);
    expect((await call("POST", "/data/readings", { token: readOnly, body: { readings: [consumption(charger.assetId, 0, 1)] } })).status).toBe(403);
  });

  it("refuses another organisation's asset as unknown", async () => {
    const other = await createTestOrg("rest-readings-other");
    const otherToken = await tokenFor(other, ["readings:write"]);
    const response = await call("POST", "/data/readings", { token: otherToken, body: { readings: [consumption(charger.assetId, 20_000, 1)] } });
    expect(outcomes(response.body)[0]).toMatchObject({ accepted: false, error: `Unknown asset ${charger.assetId}` });
  });
});

describe("price curves and Flex Lite", () => {
  let org: TestOrg;
  let token: string;
  let charger: Awaited<ReturnType<typeof chargerSite>>;
  const tomorrow = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000;
  beforeAll(async () => {
    org = await createTestOrg("rest-prices");
    token = await tokenFor(org, ["entities:read", "events:write"]);
    charger = await chargerSite(org);
    const nowSlot = Math.floor(Date.now() / HALF_HOUR) * HALF_HOUR;
    // From an hour ago for three days: flat 50.123, with 300 at 02:00-02:30 UTC tomorrow.
    const points = Array.from({ length: 150 }, (_, i) => {
      const start = nowSlot - 2 * HALF_HOUR + i * HALF_HOUR;
      return { start: new Date(start).toISOString(), priceGbpPerMwh: start === tomorrow + 4 * HALF_HOUR ? 300 : 50.123 };
    });
    await storePriceCurve(org.admin, { points });
  });

  it("GET price-curve answers from the current settlement period to 23:00 UK time, for an asset and for its site", async () => {
    const asset = await call("GET", `/entities/asset/${charger.assetId}/price-curve`, { token });
    expect(asset.status).toBe(200);
    const prices = (asset.body as { half_hourly_traded_prices: { start_timestamp: string; price_gbp_per_mwh: number }[] }).half_hourly_traded_prices;
    expect(prices[0]?.start_timestamp).toBe(new Date(Math.floor(Date.now() / HALF_HOUR) * HALF_HOUR).toISOString());
    expect(prices.length).toBeGreaterThan(0);
    expect(prices.length).toBeLessThanOrEqual(96);
    expect(prices.some((p) => p.price_gbp_per_mwh === 50.12)).toBe(true);
    const site = await call("GET", `/entities/site/${charger.siteId}/price-curve`, { token });
    expect(site.body).toEqual(asset.body);
  });

  it("GET price-curve is 404 for another organisation and 422 for a malformed id", async () => {
    const other = await createTestOrg("rest-prices-other");
    const otherToken = await tokenFor(other, ["entities:read"]);
    expect((await call("GET", `/entities/asset/${charger.assetId}/price-curve`, { token: otherToken })).status).toBe(404);
    expect((await call("GET", `/entities/site/${charger.siteId}/price-curve`, { token: otherToken })).status).toBe(404);
    expect((await call("GET", "/entities/asset/not-a-uuid/price-curve", { token })).status).toBe(422);
  });

  const schedule = () => ({ charging_schedule: [{ start_timestamp: new Date(tomorrow).toISOString(), end_timestamp: new Date(tomorrow + 8 * HALF_HOUR).toISOString() }] });

  it("plug-in-schedule without the limited_pause consent is refused with a clear 422", async () => {
    const response = await call("POST", `/entities/asset/${charger.assetId}/event/plug-in-schedule`, { token, body: schedule() });
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body)).toContain("limited_pause");
  });

  it("plug-in-schedule with consent inserts one 30-minute pause at the dearest half hour and keeps the energy", async () => {
    await recordDispatchConsent(org.admin, { siteId: charger.siteId, methods: ["limited_pause"], action: "granted" });
    const response = await call("POST", `/entities/asset/${charger.assetId}/event/plug-in-schedule`, { token, body: schedule() });
    expect(response.status).toBe(200);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect((response.body as Json).modified_charging_schedule).toEqual([
      { start_timestamp: iso(tomorrow), end_timestamp: iso(tomorrow + 4 * HALF_HOUR) },
      { start_timestamp: iso(tomorrow + 5 * HALF_HOUR), end_timestamp: iso(tomorrow + 9 * HALF_HOUR) },
    ]);
  });

  it("plug-in-schedule is 404 for another organisation's asset and 422 for a schedule that ends before it starts", async () => {
    const other = await createTestOrg("rest-flex-lite-other");
    const otherToken = await tokenFor(other, ["events:write"]);
    expect((await call("POST", `/entities/asset/${charger.assetId}/event/plug-in-schedule`, { token: otherToken, body: schedule() })).status).toBe(404);
    const backwards = { charging_schedule: [{ start_timestamp: new Date(tomorrow + HALF_HOUR).toISOString(), end_timestamp: new Date(tomorrow).toISOString() }] };
    expect((await call("POST", `/entities/asset/${charger.assetId}/event/plug-in-schedule`, { token, body: backwards })).status).toBe(422);
  });
});
