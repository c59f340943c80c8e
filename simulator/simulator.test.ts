import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepBattery } from "./battery-model";
import { householdLoadKw, londonMinuteOfDay, solarGenerationKw } from "./profiles";
import { startSimulator, type SimulatorHandle } from "./index";

const physics = { capacityKwh: 10, ratedPowerKw: 5, dischargeFloorPct: 20 };

describe("battery physics", () => {
  it("self-consumption covers the house from the battery when solar falls short", () => {
    const step = stepBattery(physics, 50, { kind: "self_use" }, 2, 0.5, 1 / 60);
    expect(step.batteryKw).toBeCloseTo(-1.5);
    expect(step.gridKw).toBeCloseTo(0);
    expect(step.socPct).toBeLessThan(50);
  });

  it("self-consumption stores surplus solar", () => {
    const step = stepBattery(physics, 50, { kind: "self_use" }, 0.5, 3, 1 / 60);
    expect(step.batteryKw).toBeCloseTo(2.5);
    expect(step.socPct).toBeGreaterThan(50);
  });

  it("forced charge runs at rated power and stops at its ceiling", () => {
    expect(stepBattery(physics, 50, { kind: "charge", powerKw: 9, maxSocPct: 100 }, 0.5, 0, 1 / 60).batteryKw).toBe(5);
    let soc = 98;
    for (let i = 0; i < 120; i += 1) soc = stepBattery(physics, soc, { kind: "charge", powerKw: 5, maxSocPct: 100 }, 0.5, 0, 1 / 60).socPct;
    expect(soc).toBeCloseTo(100, 5);
  });

  it("never discharges below the floor, whatever the mode", () => {
    let soc = 25;
    for (let i = 0; i < 600; i += 1) soc = stepBattery(physics, soc, { kind: "discharge", powerKw: 5, minSocPct: 0 }, 1, 0, 1 / 60).socPct;
    expect(soc).toBeGreaterThanOrEqual(20 - 1e-9);
    expect(stepBattery(physics, 20, { kind: "self_use" }, 3, 0, 1 / 60).batteryKw).toBe(0);
  });

  it("SoC follows power over time", () => {
    const step = stepBattery({ ...physics, dischargeFloorPct: 0 }, 50, { kind: "charge", powerKw: 2, maxSocPct: 100 }, 0, 0, 1);
    expect(step.socPct).toBeCloseTo(50 + (2 * 0.96 * 100) / 10, 5);
  });
});

describe("household profiles", () => {
  const profile = { baseLoadKw: 0.3, eveningPeakKw: 2, solarKwp: 4, noiseKey: "house-1" };

  it("follow the Europe/London clock across the clock change", () => {
    expect(londonMinuteOfDay(Date.parse("2025-01-15T18:00:00Z"))).toBe(18 * 60);
    expect(londonMinuteOfDay(Date.parse("2025-07-15T17:00:00Z"))).toBe(18 * 60);
  });

  it("peak in the evening, produce no solar at night and are deterministic", () => {
    const evening = householdLoadKw(profile, Date.parse("2025-01-15T18:30:00Z"));
    const night = householdLoadKw(profile, Date.parse("2025-01-15T03:00:00Z"));
    expect(evening).toBeGreaterThan(night);
    expect(solarGenerationKw(profile, Date.parse("2025-06-15T00:30:00Z"))).toBe(0);
    expect(solarGenerationKw(profile, Date.parse("2025-06-15T12:00:00Z"))).toBeGreaterThan(0.5);
    expect(householdLoadKw(profile, 1_750_000_000_000)).toBe(householdLoadKw(profile, 1_750_000_000_000));
  });
});

describe("simulator admin API", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 3, modeChangeDelayMs: 100, timeScale: 60 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("creates a deterministic demo fleet spread over the four OEMs, idempotently", async () => {
    const post = async () =>
      (await (await fetch(`${sim.url}/_sim/fleet`, { method: "POST", body: JSON.stringify({ count: 8, seed: 42 }) })).json()) as {
        devices: Array<{ oem: string; deviceId: string }>;
      };
    const first = await post();
    const second = await post();
    expect(first.devices.map((d) => d.oem)).toEqual(["foxess", "givenergy", "solis", "sigenergy", "foxess", "givenergy", "solis", "sigenergy"]);
    expect(second.devices).toEqual(first.devices);
    const listed = (await (await fetch(`${sim.url}/_sim/devices`)).json()) as { devices: unknown[] };
    expect(listed.devices).toHaveLength(8);
  });

  it("creates a device with the credential the platform should be given", async () => {
    const response = await fetch(`${sim.url}/_sim/devices`, { method: "POST", body: JSON.stringify({ oem: "solis", socPct: 40 }) });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { deviceId: string; credential: { keyId: string; keySecret: string } };
    expect(created.credential.keyId).toMatch(/^\d{19}$/);
    const truth = (await (await fetch(`${sim.url}/_sim/devices/${created.deviceId}`)).json()) as { socPct: number; behaviour: string };
    expect(truth.socPct).toBeCloseTo(40, 0);
  });

  it("sets and clears faults, validating them", async () => {
    const bad = await fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ errorRate: 2 }) });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ latencyMs: 5, rateLimit: { requestsPerSecond: 1, burst: 1 } }) });
    expect(((await ok.json()) as { faults: unknown }).faults).toEqual({ latencyMs: 5, rateLimit: { requestsPerSecond: 1, burst: 1 } });
    await fetch(`${sim.url}/_sim/faults`, { method: "DELETE" });
    expect(((await (await fetch(`${sim.url}/_sim/health`)).json()) as { ok: boolean }).ok).toBe(true);
  });

  it("advances simulated time by the time scale", async () => {
    const device = sim.createDevice({ oem: "foxess", socPct: 50 });
    const before = sim.getDevice(device.deviceId);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = sim.getDevice(device.deviceId);
    expect(Date.parse(after?.simTime ?? "") - Date.parse(before?.simTime ?? "")).toBeGreaterThanOrEqual(14_000);
  });
});

describe("replaying a device's past", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 5 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("gives a week of samples from its physics, honours a commanded window and joins the live state", () => {
    const device = sim.createDevice({ oem: "givenergy", capacityKwh: 9.5, ratedPowerKw: 5, solarKwp: 4, socPct: 60 });
    const now = Date.parse("2026-06-10T12:00:00Z");
    const eventFrom = Date.parse("2026-06-09T17:00:00Z");
    const history = sim.replayHistory(device.deviceId, {
      fromMs: now - 7 * 86_400_000,
      toMs: now,
      sampleEveryMs: 5 * 60_000,
      startSocPct: 80,
      overrides: [{ fromMs: eventFrom, toMs: eventFrom + 3_600_000, behaviour: { kind: "discharge", powerKw: 5, minSocPct: 0 } }],
      continueLive: true,
    });
    expect(history.length).toBeGreaterThanOrEqual(7 * 288 - 1);
    expect(history.every((s) => s.socPct >= 0 && s.socPct <= 100)).toBe(true);
    // Solar by day, load always: the household profile drives the series.
    expect(Math.max(...history.map((s) => s.solarKw))).toBeGreaterThan(0.5);
    expect(Math.min(...history.map((s) => s.loadKw))).toBeGreaterThan(0);
    const during = history.filter((s) => s.atMs > eventFrom && s.atMs <= eventFrom + 3_600_000);
    expect(during.every((s) => s.behaviour === "discharge")).toBe(true);
    expect(during.some((s) => s.batteryKw <= -4.9)).toBe(true);
    const last = history[history.length - 1];
    expect(sim.getDevice(device.deviceId)?.socPct).toBeCloseTo(last?.socPct ?? -1, 0);
  });
});
