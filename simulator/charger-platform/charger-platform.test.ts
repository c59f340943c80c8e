import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatorHandle } from "../index";
import { parseSetChargingProfile, profileLimitKwAt } from "./ocpp-profile";
import { visitAt, visitForEvening } from "./patterns";
import { nextLondonWallTime } from "./platform";
import { signSchedulePush, verifySchedulePush } from "./signature";

const SECRET = "whsec_test_charger_platform";
const START = Date.parse("2026-01-14T18:00:00Z");

function profile16(startSchedule: string, periods: Array<{ startPeriod: number; limit: number }>, duration = 7200) {
  return {
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 42,
      transactionId: 7,
      stackLevel: 1100,
      chargingProfilePurpose: "TxProfile",
      chargingProfileKind: "Absolute",
      chargingSchedule: { duration, startSchedule, chargingRateUnit: "W", chargingSchedulePeriod: periods },
    },
  };
}

function profile201(startSchedule: string) {
  return {
    evseId: 1,
    chargingProfile: {
      id: 9,
      stackLevel: 1100,
      chargingProfilePurpose: "TxProfile",
      chargingProfileKind: "Absolute",
      transactionId: "tx-1",
      chargingSchedule: [{ id: 1, startSchedule, duration: 3600, chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 2000 }] }],
    },
  };
}

async function push(sim: SimulatorHandle, body: unknown, options: { secret?: string; query?: string; headers?: Record<string, string>; timestamp?: number } = {}) {
  const raw = JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${sim.scheduleEndpointUrl ?? ""}${options.query ?? ""}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-flexfleet-timestamp": String(timestamp),
      "x-flexfleet-signature": signSchedulePush(options.secret ?? SECRET, raw, timestamp),
      ...options.headers,
    },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("schedule push signatures", () => {
  const now = Date.parse("2026-01-14T18:00:00Z");
  const body = '{"connectorId":1}';
  const ts = Math.floor(now / 1000);

  it("accepts the platform's scheme: sha256 over timestamp and raw body, any of several secrets", () => {
    const signature = signSchedulePush("new", body, ts);
    expect(verifySchedulePush({ secrets: ["old", "new"], rawBody: body, signature, timestamp: String(ts), nowMs: now, toleranceSeconds: 300 })).toEqual({ ok: true });
  });

  it("refuses a wrong secret, a changed body, a stale timestamp and a missing header", () => {
    const signature = signSchedulePush(SECRET, body, ts);
    const base = { secrets: [SECRET], rawBody: body, signature, timestamp: String(ts), nowMs: now, toleranceSeconds: 300 };
    expect(verifySchedulePush({ ...base, secrets: ["other"] }).ok).toBe(false);
    expect(verifySchedulePush({ ...base, rawBody: '{"connectorId":2}' }).ok).toBe(false);
    expect(verifySchedulePush({ ...base, nowMs: now + 301_000 })).toEqual({ ok: false, reason: "timestamp outside the tolerance window" });
    expect(verifySchedulePush({ ...base, signature: undefined })).toEqual({ ok: false, reason: "missing signature header" });
  });
});

describe("SetChargingProfile parsing", () => {
  it("reads 1.6 and 2.0.1 bodies into the same shape", () => {
    const a = parseSetChargingProfile(profile16("2026-01-14T18:00:00Z", [{ startPeriod: 0, limit: 3600 }]));
    const b = parseSetChargingProfile(profile201("2026-01-14T18:00:00Z"));
    expect(a.ok && a.profile.ocppVersion).toBe("1.6");
    expect(a.ok && a.profile.transactionId).toBe("7");
    expect(b.ok && b.profile.ocppVersion).toBe("2.0.1");
    expect(b.ok && b.profile.periods).toEqual([{ startPeriod: 0, limit: 2000 }]);
  });

  it("names the field and the reason for a bad body", () => {
    expect(parseSetChargingProfile({ connectorId: 1, csChargingProfiles: { chargingProfileId: null } })).toEqual({
      ok: false,
      field: "csChargingProfiles.chargingProfileId",
      reason: "must be an integer",
    });
    const unordered = profile16("2026-01-14T18:00:00Z", [{ startPeriod: 0, limit: 1 }, { startPeriod: 0, limit: 2 }]);
    expect(parseSetChargingProfile(unordered)).toMatchObject({ ok: false, field: "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[1].startPeriod" });
    expect(parseSetChargingProfile({ hello: 1 })).toMatchObject({ ok: false, field: "body" });
  });

  it("turns limits into kW: W, A with phases, the 99999 full-power convention, nothing outside the schedule", () => {
    const parsed = parseSetChargingProfile(profile16("2026-01-14T18:00:00Z", [{ startPeriod: 0, limit: 3600 }, { startPeriod: 1800, limit: 99999 }], 3600));
    if (!parsed.ok) throw new Error("expected a valid profile");
    expect(profileLimitKwAt(parsed.profile, START + 60_000, 7.4)).toBeCloseTo(3.6);
    expect(profileLimitKwAt(parsed.profile, START + 1_900_000, 7.4)).toBe(7.4);
    expect(profileLimitKwAt(parsed.profile, START - 1, 7.4)).toBeNull();
    expect(profileLimitKwAt(parsed.profile, START + 3_600_000, 7.4)).toBeNull();
    const amps = { ...parsed.profile, unit: "A" as const, periods: [{ startPeriod: 0, limit: 16, numberPhases: 1 }] };
    expect(profileLimitKwAt(amps, START, 22)).toBeCloseTo(3.68);
  });
});

describe("daily plug patterns", () => {
  it("plug in in the evening and out the next morning, deterministically, with some evenings off", () => {
    const day = Math.floor(START / 86_400_000);
    let sessions = 0;
    for (let d = 0; d < 200; d += 1) {
      const visit = visitForEvening("charger-a", day + d);
      if (!visit) continue;
      sessions += 1;
      const inHour = new Date(visit.pluggedInAtMs).getUTCHours();
      const outHour = new Date(visit.pluggedOutAtMs).getUTCHours();
      expect(inHour).toBeGreaterThanOrEqual(16);
      expect(inHour).toBeLessThanOrEqual(21);
      expect(outHour).toBeGreaterThanOrEqual(5);
      expect(outHour).toBeLessThanOrEqual(9);
      expect(visit.energyRequiredKwh).toBeGreaterThanOrEqual(6);
      expect(visit.energyRequiredKwh).toBeLessThanOrEqual(40);
      expect(visitForEvening("charger-a", day + d)).toEqual(visit);
    }
    expect(sessions).toBeGreaterThan(140);
    expect(sessions).toBeLessThan(200);
    expect(visitAt("charger-a", Date.parse("2026-01-15T13:00:00Z"))).toBeNull();
  });

  it("finds the next ready-by instant on the London clock, across midnight, in summer time and over both clock changes", () => {
    expect(nextLondonWallTime(Date.parse("2026-01-14T18:00:00Z"), "07:00")).toBe("2026-01-15T07:00:00.000Z");
    expect(nextLondonWallTime(Date.parse("2026-07-14T18:00:00Z"), "07:30")).toBe("2026-07-15T06:30:00.000Z");
    expect(nextLondonWallTime(Date.parse("2026-07-14T05:00:00Z"), "07:30")).toBe("2026-07-14T06:30:00.000Z");
    expect(nextLondonWallTime(Date.parse("2026-03-28T18:00:00Z"), "07:00")).toBe("2026-03-29T06:00:00.000Z");
    expect(nextLondonWallTime(Date.parse("2026-10-24T18:00:00Z"), "07:00")).toBe("2026-10-25T07:00:00.000Z");
  });
});

describe("the schedule endpoint", () => {
  let sim: SimulatorHandle;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      startAt: new Date(START),
      chargerPlatform: {
        signingSecret: SECRET,
        tickMs: 0,
        chargers: [
          { id: "cp-1", assetId: "11111111-1111-4111-8111-111111111111", powerKw: 7.4, autoPlug: false },
          { id: "cp-2", powerKw: 11, autoPlug: false },
        ],
      },
    });
  });
  afterAll(() => sim.stop());
  afterEach(() => sim.chargerPlatform?.clearReceivedProfiles());

  it("refuses a bad signature with 401 and records the attempt as rejected", async () => {
    const result = await push(sim, profile16(new Date().toISOString(), [{ startPeriod: 0, limit: 3000 }]), { secret: "wrong", query: "?asset_id=cp-1" });
    expect(result.status).toBe(401);
    expect(sim.chargerPlatform?.receivedProfiles()).toMatchObject([{ outcome: "rejected", httpStatus: 401, reason: "signature does not match" }]);
  });

  it("refuses a body that is not a SetChargingProfile with 400 naming the field", async () => {
    const result = await push(sim, { connectorId: 1, csChargingProfiles: { chargingProfileId: null } }, { query: "?asset_id=cp-1" });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ field: "csChargingProfiles.chargingProfileId" });
  });

  it("finds the charger by path, query, header, platform asset id or wrapper field", async () => {
    const platform = sim.chargerPlatform;
    if (!platform) throw new Error("charger platform missing");
    await platform.plugIn("cp-1");
    await platform.plugIn("cp-2");
    const body = profile16(new Date().toISOString(), [{ startPeriod: 0, limit: 3000 }]);
    expect((await push(sim, body, { query: "?asset_id=11111111-1111-4111-8111-111111111111" })).status).toBe(200);
    expect((await push(sim, body, { headers: { "x-flexfleet-asset-id": "cp-2" } })).status).toBe(200);
    expect((await push(sim, { asset_id: "cp-2", set_charging_profile: body })).status).toBe(200);
    const byPath = await fetch(`${sim.scheduleEndpointUrl ?? ""}/cp-1`, {
      method: "POST",
      headers: { "x-flexfleet-signature": signSchedulePush(SECRET, JSON.stringify(body)) },
      body: JSON.stringify(body),
    });
    expect(byPath.status).toBe(200);
    expect((await push(sim, body)).status).toBe(404);
    expect(platform.receivedProfiles().map((p) => [p.chargerId, p.outcome])).toEqual([
      ["cp-1", "applied"],
      ["cp-2", "applied"],
      ["cp-2", "applied"],
      ["cp-1", "applied"],
      [null, "rejected"],
    ]);
    await platform.plugOut("cp-1");
    await platform.plugOut("cp-2");
  });

  it("applies a profile: charges at the limit, capped at charger power and the EV's remaining need", async () => {
    const platform = sim.chargerPlatform;
    if (!platform) throw new Error("charger platform missing");
    await platform.plugIn("cp-1", { energyRequiredKwh: 0.5 });
    const now = sim.simNow();
    const result = await push(sim, profile16(now.toISOString(), [{ startPeriod: 0, limit: 3000 }]), { query: "?asset_id=cp-1" });
    expect(result).toEqual({ status: 200, body: { status: "Accepted" } });
    expect(platform.getCharger("cp-1")?.chargingKw).toBeCloseTo(3);
    await push(sim, profile16(now.toISOString(), [{ startPeriod: 0, limit: 99999 }]), { query: "?asset_id=cp-1" });
    expect(platform.getCharger("cp-1")?.chargingKw).toBeCloseTo(7.4);
    await push(sim, profile16(now.toISOString(), [{ startPeriod: 0, limit: 0 }]), { query: "?asset_id=cp-1" });
    expect(platform.getCharger("cp-1")?.chargingKw).toBe(0);
    expect(platform.getCharger("cp-1")?.activeProfile).toMatchObject({ ocppVersion: "1.6", profileId: 42 });
    const v201 = await push(sim, profile201(now.toISOString()), { query: "?asset_id=cp-1" });
    expect(v201.status).toBe(200);
    expect(platform.getCharger("cp-1")?.chargingKw).toBeCloseTo(2);
    await platform.plugOut("cp-1");
  });

  it("answers Rejected for a push to a charger with no vehicle, and lists every push in the admin API", async () => {
    const result = await push(sim, profile16(new Date().toISOString(), [{ startPeriod: 0, limit: 3000 }]), { query: "?asset_id=cp-2" });
    expect(result).toEqual({ status: 200, body: { status: "Rejected", reason: "no vehicle plugged in" } });
    const listed = (await (await fetch(`${sim.url}/charger-platform/_sim/profiles?chargerId=cp-2`)).json()) as { profiles: Array<{ outcome: string; ocppVersion: string }> };
    expect(listed.profiles).toMatchObject([{ outcome: "rejected", ocppVersion: "1.6" }]);
    const chargers = (await (await fetch(`${sim.url}/charger-platform/_sim/chargers`)).json()) as { chargers: unknown[] };
    expect(chargers.chargers).toHaveLength(2);
  });
});

describe("a simulator without the charger platform", () => {
  it("still starts, and answers 404 under /charger-platform/", async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      expect(sim.chargerPlatform).toBeNull();
      expect(sim.scheduleEndpointUrl).toBeNull();
      expect((await fetch(`${sim.url}/charger-platform/schedules`, { method: "POST", body: "{}" })).status).toBe(404);
      expect((await fetch(`${sim.url}/_sim/health`)).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });
});

describe("the partner client", () => {
  interface Seen {
    method: string;
    path: string;
    auth: string | undefined;
    body: unknown;
  }
  const seen: Seen[] = [];
  let fake: Server;
  let baseUrl = "";
  let refuseNextEvent = false;

  const readAll = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });

  beforeAll(async () => {
    // A stand-in for the platform's REST API: issues a token, accepts events and readings.
    fake = createServer((req, res) => {
      void readAll(req).then((raw) => {
        const path = (req.url ?? "").replace("/api/v1", "");
        const body: unknown = req.headers["content-type"]?.includes("json") ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
        seen.push({ method: req.method ?? "", path, auth: req.headers.authorization, body });
        res.setHeader("content-type", "application/json");
        if (path === "/auth/token") return res.end(JSON.stringify({ access_token: "tok-1", token_type: "bearer", expires_in: 1800, scope: "" }));
        if (path === "/data/readings") {
          const readings = (body as { readings: unknown[] }).readings;
          return res.end(JSON.stringify({ responses: readings.map(() => ({ accepted: true })) }));
        }
        if (refuseNextEvent) {
          refuseNextEvent = false;
          res.statusCode = 503;
          return res.end("{}");
        }
        return res.end(JSON.stringify({ status: "accepted" }));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

  it("sends plug-in with intent and tariff, plug-out, and posts each half hour's energy as a reading", async () => {
    seen.length = 0;
    const assetId = "22222222-2222-4222-8222-222222222222";
    // One real second is one simulated hour.
    const sim = await startSimulator({
      port: 0,
      startAt: new Date("2026-01-14T18:10:00Z"),
      timeScale: 3600,
      chargerPlatform: {
        platformBaseUrl: baseUrl,
        clientId: "client-1",
        clientSecret: "secret-1",
        signingSecret: SECRET,
        tickMs: 0,
        tariff: { off_peak_times: "00:30-04:30", timezone: "Europe/London", tariff_type: "dual_rate" },
        chargers: [{ id: "cp-r", assetId, powerKw: 7, autoPlug: false }],
      },
    });
    try {
      const platform = sim.chargerPlatform;
      if (!platform) throw new Error("charger platform missing");
      const plugIn = await platform.plugIn("cp-r", { energyRequiredKwh: 30, readyByLocalTime: "07:00" });
      expect(plugIn?.status).toBe(200);
      expect(seen[0]).toMatchObject({ path: "/auth/token", body: { grant_type: "client_credentials", client_id: "client-1", client_secret: "secret-1" } });
      expect(seen[1]).toMatchObject({
        path: `/entities/asset/${assetId}/event/plug-in`,
        auth: "Bearer tok-1",
        body: {
          intent: { energy_required_kwh: 30, ready_by_local_time: "07:00", ready_by: "2026-01-15T07:00:00.000Z", charging_mode: "maximise_charging_time" },
          tariff: { off_peak_times: "00:30-04:30", timezone: "Europe/London" },
          vehicle: { charging_rate_kw: 7 },
        },
      });
      // Without a profile the charger runs at full power; wait past the 18:30 and 19:00 boundaries.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await platform.flushReadings()).toBeGreaterThanOrEqual(2);
      const readings = seen.filter((s) => s.path === "/data/readings").flatMap((s) => (s.body as { readings: Array<{ start_timestamp: string; value: number; label: string }> }).readings);
      expect(readings[0]).toMatchObject({ start_timestamp: "2026-01-14T18:00:00.000Z", label: "charger_consumption_energy_kwh" });
      expect(readings[0]?.value).toBeCloseTo(7 * (20 / 60), 1);
      expect(readings[1]).toMatchObject({ start_timestamp: "2026-01-14T18:30:00.000Z", value: 3.5 });
      expect(platform.getStats().readingsAccepted).toBe(readings.length);

      // A failed plug-out is sent again on the next tick.
      refuseNextEvent = true;
      expect((await platform.plugOut("cp-r"))?.status).toBe(503);
      expect(platform.getCharger("cp-r")?.reportedPlugged).toBe(true);
      await platform.tick();
      expect(platform.getCharger("cp-r")?.reportedPlugged).toBe(false);
      expect(seen.filter((s) => s.path.endsWith("/plug-out"))).toHaveLength(2);
    } finally {
      await sim.stop();
    }
  });

  it("follows the daily pattern: plugs in on an evening visit and tells the platform", async () => {
    seen.length = 0;
    const assetId = "33333333-3333-4333-8333-333333333333";
    const day = Math.floor(START / 86_400_000);
    const visit = [0, 1, 2, 3, 4, 5].map((d) => visitForEvening("cp-pattern", day + d)).find((v) => v !== null);
    if (!visit) throw new Error("no visit in six evenings");
    const sim = await startSimulator({
      port: 0,
      startAt: new Date(visit.pluggedInAtMs + 60_000),
      chargerPlatform: { platformBaseUrl: baseUrl, clientId: "c", clientSecret: "s", signingSecret: SECRET, tickMs: 0, chargers: [{ id: "cp-pattern", assetId }] },
    });
    try {
      await sim.chargerPlatform?.tick();
      expect(sim.chargerPlatform?.getCharger("cp-pattern")).toMatchObject({ pluggedIn: true, reportedPlugged: true, session: { requiredKwh: visit.energyRequiredKwh } });
      expect(seen.some((s) => s.path === `/entities/asset/${assetId}/event/plug-in`)).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
