// seeds/002 end to end, over real HTTP both ways: the partner's charger platform (the simulator)
// onboards a charger, sends tariff and intent, plugs in; the platform plans, and the in-process
// delivery dispatcher pushes a signed OCPP profile to the charger platform's schedule endpoint; a
// tariff change brings a new profile, plug-out stops pushes, and half-hourly readings go back.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateOcppPayload } from "@/server/ocpp";
import { createApiClient } from "@/server/services/api-clients/api-clients";
import { listScheduleDeliveries, setScheduleEndpoint } from "@/server/services/schedule-delivery/schedule-endpoints";
import { startScheduleDeliveryDispatcher, type ScheduleDeliveryDispatcher } from "@/server/services/schedule-delivery/send-schedule-delivery";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import type { ChargerPlatform } from "@/simulator/index";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { startPlatformHttpServer, type PlatformHttpServer } from "./platform-http";

const SIGNING_SECRET = `flow-signing-secret-${randomUUID()}`;
const CHARGER = "flow-charger-01";
const HALF_HOUR_MS = 30 * 60_000;

function mpanWithCheckDigit(first12: string): string {
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = weights.reduce((total, weight, i) => total + Number(first12.charAt(i)) * weight, 0);
  return `${first12}${(sum % 11) % 10}`;
}

async function partnerToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function partnerCall(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let org: TestOrg;
let other: TestOrg;
let api: PlatformHttpServer;
let sim: SimulatorHandle;
let platform: ChargerPlatform;
let token: string;
let assetId = "";
let firstBoundaryMs = 0;
let dispatcher: ScheduleDeliveryDispatcher | undefined;

beforeAll(async () => {
  org = await createTestOrg("smart-charging-flow");
  other = await createTestOrg("smart-charging-flow-other");
  api = await startPlatformHttpServer();
  const client = await createApiClient(org.admin, { name: "simulated charger platform", scopes: ["entities:read", "entities:write", "events:write", "readings:write"] });
  // The simulated clock starts 30 s before a half-hour boundary, behind the real one, so the charger
  // plugs in before the boundary even on a busy machine, and soon after it there is a completed half
  // hour (in the past for the platform too) to report.
  const boundary = Math.floor(Date.now() / HALF_HOUR_MS) * HALF_HOUR_MS;
  firstBoundaryMs = boundary;
  sim = await startSimulator({
    port: 0,
    startAt: new Date(boundary - 30_000),
    chargerPlatform: {
      platformBaseUrl: api.baseUrl,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      signingSecret: SIGNING_SECRET,
      tickMs: 0,
      autoPlug: false,
      chargers: [{ id: CHARGER, powerKw: 7.4 }],
    },
  });
  if (!sim.chargerPlatform || !sim.scheduleEndpointUrl) throw new Error("the charger platform did not start");
  platform = sim.chargerPlatform;
  await setScheduleEndpoint(org.admin, { url: sim.scheduleEndpointUrl, ocppVersion: "1.6", secret: SIGNING_SECRET });
  // The worker's dispatcher (LISTEN for queued deliveries, send at once, sweep for retries), kept to
  // this file's organisation so it never sends another test file's deliveries.
  dispatcher = await startScheduleDeliveryDispatcher({ organisationIds: [org.orgId] });
  token = await partnerToken(api.baseUrl, client.clientId, client.clientSecret);
});

afterAll(async () => {
  await dispatcher?.stop();
  await sim?.stop();
  await api?.stop();
});

describe("Smart Charging (seeds/002) against the simulated charger platform", () => {
  it("enrols the charger in full_asset_schedule_control", async () => {
    const mpan = mpanWithCheckDigit(`19${String(Date.now()).slice(-10)}`);
    const initialised = await partnerCall(api.baseUrl, token, "POST", "/entities/site/initialise", {
      site: { mpan, postcode: "SW1A 1AA", street_address: "2 Charger Lane", email: "ev@example.com", gave_boundary_meter_consent_at: "2026-01-01T00:00:00Z", is_half_hourly_settled: true },
      assets: [{ external_id: CHARGER, type: "charger", properties: { power_kw: 7.4 } }],
    });
    expect(initialised.status).toBe(200);
    const body = initialised.body as { site: { site_id: string }; assets: Array<{ asset_id: string }> };
    assetId = body.assets[0]?.asset_id ?? "";
    expect(assetId).toMatch(/^[0-9a-f-]{36}$/);
    const siteId = body.site.site_id;
    expect((await partnerCall(api.baseUrl, token, "POST", `/entities/site/${siteId}/dispatch-consent`, { dispatch_methods: ["full_asset_schedule_control"] })).status).toBe(200);
    const enrolled = await partnerCall(api.baseUrl, token, "POST", `/entities/site/${siteId}/enrol`, { proposition: "full_asset_schedule_control" });
    expect(enrolled).toMatchObject({ status: 200, body: { status: "enrolled" } });
    platform.setAssetId(CHARGER, assetId);
  });

  it("sends the tariff and the intent", async () => {
    const tariff = await platform.sendTariff(CHARGER, { off_peak_times: "00:30-04:30", timezone: "Europe/London", tariff_type: "dual_rate" });
    expect(tariff.status).toBe(200);
    const intent = await platform.sendIntent(CHARGER, { energyRequiredKwh: 24, readyByLocalTime: "07:30" });
    expect(intent.status).toBe(200);
    const latest = await partnerCall(api.baseUrl, token, "GET", `/entities/asset/${assetId}/intent`);
    expect(latest).toMatchObject({ status: 200, body: { intent: { energy_required_kwh: 24 } } });
  });

  it("plug-in: a signed, schema-valid OCPP 1.6 profile reaches the charger platform and is applied", async () => {
    const before = platform.lastSeq;
    const plugIn = await platform.plugIn(CHARGER, { energyRequiredKwh: 24, readyByLocalTime: "07:30" });
    expect(plugIn?.status).toBe(200);
    const received = await platform.waitForProfile(CHARGER, { sinceSeq: before, timeoutMs: 15_000 });
    expect(received).toMatchObject({ outcome: "applied", httpStatus: 200, ocppVersion: "1.6", assetId });
    expect(validateOcppPayload("1.6", "SetChargingProfile", received.body)).toEqual({ ok: true });
    expect(received.body).toMatchObject({ csChargingProfiles: { chargingProfilePurpose: "TxProfile", chargingProfileKind: "Absolute", stackLevel: 1100, chargingSchedule: { chargingRateUnit: "W" } } });
    expect(platform.getCharger(CHARGER)?.activeProfile).toMatchObject({ ocppVersion: "1.6" });
  });

  it("tariff change: a new profile follows", async () => {
    const before = platform.lastSeq;
    const firstVersion = platform.receivedProfiles({ chargerId: CHARGER }).at(-1)?.planVersion ?? Number.POSITIVE_INFINITY;
    const tariff = await platform.sendTariff(CHARGER, { off_peak_times: "23:30-05:30", timezone: "Europe/London", tariff_type: "dual_rate" });
    expect(tariff.status).toBe(200);
    const received = await platform.waitForProfile(CHARGER, { sinceSeq: before, timeoutMs: 15_000 });
    expect(received.outcome).toBe("applied");
    expect(validateOcppPayload("1.6", "SetChargingProfile", received.body)).toEqual({ ok: true });
    expect(received.planVersion).toBeGreaterThan(firstVersion);
  });

  it("plug-out: nothing more is pushed, even when the tariff changes again", async () => {
    const plugOut = await platform.plugOut(CHARGER);
    expect(plugOut?.status).toBe(200);
    const after = platform.lastSeq;
    const tariff = await platform.sendTariff(CHARGER, { off_peak_times: "01:00-06:00", timezone: "Europe/London", tariff_type: "dual_rate" });
    expect(tariff.status).toBe(200);
    await sleep(2000);
    expect(platform.receivedProfiles({ chargerId: CHARGER, sinceSeq: after })).toEqual([]);
    const deliveries = await listScheduleDeliveries(org.admin, {});
    expect(deliveries.filter((d) => d.status === "pending")).toEqual([]);
  });

  it("readings: the half hour's charger_consumption_energy_kwh is posted back and accepted", async () => {
    // The simulated clock passes the half-hour boundary 30 s after start.
    while (sim.simNow().getTime() <= firstBoundaryMs) await sleep(200);
    // The platform's own timer may already have posted them (a busy machine runs the earlier steps
    // past the boundary): flush whatever is left, then count everything it posted.
    await platform.flushReadings();
    expect(platform.getStats()).toMatchObject({ readingsRejected: 0, lastReadingsError: null });
    expect(platform.getStats().readingsAccepted).toBeGreaterThanOrEqual(1);
    // Waits out what is left of the 30 s before the boundary: on a fast machine nearly all of it,
    // so the default 30 s test timeout would race the simulated clock.
  }, 60_000);

  it("another organisation sees nothing of it", async () => {
    const client = await createApiClient(other.admin, { name: "other partner", scopes: ["entities:read", "events:write", "readings:write"] });
    const otherToken = await partnerToken(api.baseUrl, client.clientId, client.clientSecret);
    expect((await partnerCall(api.baseUrl, otherToken, "GET", `/entities/asset/${assetId}/intent`)).status).toBe(404);
    expect((await partnerCall(api.baseUrl, otherToken, "POST", `/entities/asset/${assetId}/event/plug-in`, {})).status).toBe(404);
    expect(await listScheduleDeliveries(other.admin, {})).toEqual([]);
  });

  it("every response matched the published OpenAPI document, and no push was refused for its signature", () => {
    expect(api.contractViolations).toEqual([]);
    expect(platform.receivedProfiles().filter((p) => p.httpStatus === 401)).toEqual([]);
  });
});
