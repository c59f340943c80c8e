// The simulated OCPP-J charge points against a strict-schema central system (ocpp-rpc's RPCServer in
// strict mode): every message either way is validated against the official 1.6 and 2.0.1 schemas, so
// a malformed message fails the call and the test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ChargePointFleet, type ChargePointSpec } from "./fleet";
import { startFakeCentralSystem, type FakeCentralSystem, type ReceivedCall } from "./fake-central-system";

const START = Date.parse("2026-01-14T18:00:00Z");
let simNow = START;
const passwords = { "cp-16": "pw-16-secret", "cp-201": "pw-201-secret", "cp-rejects": "pw-rejects", "cp-drops": "pw-drops", "cp-wrong": "the-right-one" };

let central: FakeCentralSystem;
let fleet: ChargePointFleet | null = null;

beforeAll(async () => {
  central = await startFakeCentralSystem({ passwords, heartbeatIntervalSeconds: 300 });
});
afterAll(async () => {
  await central.close();
});
afterEach(async () => {
  await fleet?.stop();
  fleet = null;
});

async function startFleet(specs: ChargePointSpec[], extra: { reconnectDelayMs?: number } = {}): Promise<ChargePointFleet> {
  simNow = START;
  fleet = new ChargePointFleet(
    { centralSystemUrl: central.url, chargePoints: specs, autoPlug: false, tickMs: 0, meterValueIntervalMs: 60_000, heartbeatIntervalMs: 40, reconnectDelayMs: extra.reconnectDelayMs ?? 50 },
    () => simNow,
  );
  await fleet.start();
  return fleet;
}

const callsOf = (id: string, method: string): ReceivedCall[] => central.calls.filter((c) => c.chargePointId === id && c.method === method);
const sinceIndex = (index: number) => (call: ReceivedCall) => central.calls.indexOf(call) >= index;

function txProfile16(transactionId: number, startSchedule: string, periods: Array<{ startPeriod: number; limit: number }>) {
  return {
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 501,
      transactionId,
      stackLevel: 1,
      chargingProfilePurpose: "TxProfile",
      chargingProfileKind: "Absolute",
      chargingSchedule: { duration: 7200, startSchedule, chargingRateUnit: "W", chargingSchedulePeriod: periods },
    },
  };
}

describe("OCPP 1.6 charge point", () => {
  it("boots, sends heartbeats and follows a TxProfile for its transaction until plug-out", async () => {
    const cps = await startFleet([{ id: "cp-16", password: passwords["cp-16"], ocppVersion: "1.6", powerKw: 7.4, firmwareVersion: "2.3.1" }]);
    const boot = await central.waitForCall((c) => c.chargePointId === "cp-16" && c.method === "BootNotification");
    expect(boot.params).toMatchObject({ chargePointVendor: "Flexfleet Simulated", firmwareVersion: "2.3.1" });
    await central.waitForCall((c) => c.chargePointId === "cp-16" && c.method === "Heartbeat");
    expect(callsOf("cp-16", "StatusNotification").at(-1)?.params).toMatchObject({ connectorId: 1, status: "Available", errorCode: "NoError" });

    const beforePlugIn = central.calls.length;
    await cps.plugIn("cp-16", { energyRequiredKwh: 10 });
    // Cable in (Preparing), then the transaction, then what the connector does.
    expect(central.calls.slice(beforePlugIn).filter((c) => c.chargePointId === "cp-16" && c.method !== "Heartbeat").map((c) => `${c.method} ${String(c.params.status ?? "")}`.trim())).toEqual([
      "StatusNotification Preparing",
      "StartTransaction",
      "StatusNotification Charging",
    ]);
    const start = callsOf("cp-16", "StartTransaction")[0];
    expect(start?.params).toMatchObject({ connectorId: 1, meterStart: 0, timestamp: new Date(START).toISOString() });
    const transactionId = Number(cps.get("cp-16")?.transactionId);
    expect(transactionId).toBeGreaterThan(0);
    expect(callsOf("cp-16", "StatusNotification").at(-1)?.params.status).toBe("Charging");

    // 3 kW for the first hour, then nothing: the car charges at 3 kW, then the connector is suspended.
    const profile = txProfile16(transactionId, new Date(START).toISOString(), [
      { startPeriod: 0, limit: 3000 },
      { startPeriod: 3600, limit: 0 },
    ]);
    expect(await central.send("cp-16", "SetChargingProfile", profile)).toEqual({ status: "Accepted" });
    expect(await central.send("cp-16", "SetChargingProfile", txProfile16(transactionId + 1000, new Date(START).toISOString(), [{ startPeriod: 0, limit: 1000 }]))).toEqual({
      status: "Rejected",
    });
    simNow = START + 30 * 60_000;
    expect(cps.get("cp-16")?.chargingKw).toBe(3);
    expect(cps.get("cp-16")?.session?.deliveredKwh).toBeCloseTo(1.5, 6);

    const composite = await central.send("cp-16", "GetCompositeSchedule", { connectorId: 1, duration: 3600, chargingRateUnit: "W" });
    expect(composite).toMatchObject({
      status: "Accepted",
      connectorId: 1,
      chargingSchedule: { chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 3000 }, { startPeriod: 1800, limit: 0 }] },
    });

    const before = central.calls.length;
    expect(await central.send("cp-16", "TriggerMessage", { requestedMessage: "MeterValues", connectorId: 1 })).toEqual({ status: "Accepted" });
    const meter = await central.waitForCall((c) => c.chargePointId === "cp-16" && c.method === "MeterValues" && sinceIndex(before)(c));
    expect(meter.params).toMatchObject({
      connectorId: 1,
      transactionId,
      meterValue: [{ sampledValue: [{ measurand: "Energy.Active.Import.Register", unit: "Wh", value: "1500" }, { measurand: "Power.Active.Import", unit: "W", value: "3000" }] }],
    });

    simNow = START + 90 * 60_000;
    await cps.tick();
    expect(cps.get("cp-16")?.chargingKw).toBe(0);
    expect(callsOf("cp-16", "StatusNotification").at(-1)?.params.status).toBe("SuspendedEVSE");

    await cps.plugOut("cp-16");
    expect(callsOf("cp-16", "StopTransaction").at(-1)?.params).toMatchObject({ transactionId, meterStop: 3000, reason: "EVDisconnected" });
    expect(callsOf("cp-16", "StatusNotification").at(-1)?.params.status).toBe("Available");
    // The transaction's profile ended with it.
    expect(await central.send("cp-16", "ClearChargingProfile", { chargingProfilePurpose: "TxProfile" })).toEqual({ status: "Unknown" });
    expect(await central.send("cp-16", "GetCompositeSchedule", { connectorId: 1, duration: 600 })).toEqual({ status: "Rejected" });
  });

  it("refuses a TxProfile while no transaction runs", async () => {
    await startFleet([{ id: "cp-16", password: passwords["cp-16"], ocppVersion: "1.6" }]);
    await central.waitForCall((c) => c.chargePointId === "cp-16" && c.method === "StatusNotification");
    expect(await central.send("cp-16", "SetChargingProfile", txProfile16(1, new Date(START).toISOString(), [{ startPeriod: 0, limit: 2000 }]))).toEqual({ status: "Rejected" });
  });
});

describe("OCPP 2.0.1 charging station", () => {
  it("reports its transaction with TransactionEvents and follows a TxProfile for it", async () => {
    const cps = await startFleet([{ id: "cp-201", password: passwords["cp-201"], ocppVersion: "2.0.1", powerKw: 11 }]);
    const boot = await central.waitForCall((c) => c.chargePointId === "cp-201" && c.method === "BootNotification");
    expect(boot.params).toMatchObject({ reason: "PowerUp", chargingStation: { vendorName: "Flexfleet Simulated" } });
    await cps.plugIn("cp-201", { energyRequiredKwh: 30 });
    const started = callsOf("cp-201", "TransactionEvent").find((c) => c.params.eventType === "Started");
    expect(started?.params).toMatchObject({ triggerReason: "CablePluggedIn", seqNo: 0, evse: { id: 1, connectorId: 1 }, transactionInfo: { chargingState: "Charging" } });
    const transactionId = cps.get("cp-201")?.transactionId;
    expect(started?.params.transactionInfo).toMatchObject({ transactionId });
    expect(callsOf("cp-201", "StatusNotification").at(-1)?.params).toMatchObject({ connectorStatus: "Occupied", evseId: 1 });

    const answer = await central.send("cp-201", "SetChargingProfile", {
      evseId: 1,
      chargingProfile: {
        id: 77,
        stackLevel: 1,
        chargingProfilePurpose: "TxProfile",
        chargingProfileKind: "Absolute",
        transactionId,
        chargingSchedule: [{ id: 1, startSchedule: new Date(START).toISOString(), duration: 7200, chargingRateUnit: "A", chargingSchedulePeriod: [{ startPeriod: 0, limit: 8, numberPhases: 1 }] }],
      },
    });
    expect(answer).toEqual({ status: "Accepted" });
    simNow = START + 60 * 60_000;
    // 8 A on one phase at 230 V.
    expect(cps.get("cp-201")?.chargingKw).toBeCloseTo(1.84, 6);
    expect(cps.get("cp-201")?.session?.deliveredKwh).toBeCloseTo(1.84, 6);
    const composite = await central.send("cp-201", "GetCompositeSchedule", { evseId: 1, duration: 1800, chargingRateUnit: "W" });
    expect(composite).toMatchObject({ status: "Accepted", schedule: { evseId: 1, duration: 1800, chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 1840 }] } });

    await cps.plugOut("cp-201");
    const ended = callsOf("cp-201", "TransactionEvent").find((c) => c.params.eventType === "Ended");
    expect(ended?.params).toMatchObject({ transactionInfo: { transactionId, stoppedReason: "EVDisconnected" }, meterValue: [{ sampledValue: [{ value: 1840 }, { value: 0 }] }] });
    expect(callsOf("cp-201", "StatusNotification").at(-1)?.params.connectorStatus).toBe("Available");
  });
});

describe("behaviours", () => {
  it("a charger that takes no profiles answers Rejected and keeps full power", async () => {
    const cps = await startFleet([{ id: "cp-rejects", password: passwords["cp-rejects"], ocppVersion: "2.0.1", acceptsProfiles: false, powerKw: 7.4 }]);
    await cps.plugIn("cp-rejects");
    const transactionId = cps.get("cp-rejects")?.transactionId;
    const answer = await central.send("cp-rejects", "SetChargingProfile", {
      evseId: 1,
      chargingProfile: {
        id: 5,
        stackLevel: 1,
        chargingProfilePurpose: "TxProfile",
        chargingProfileKind: "Absolute",
        transactionId,
        chargingSchedule: [{ id: 1, startSchedule: new Date(START).toISOString(), chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 1000 }] }],
      },
    });
    expect(answer).toMatchObject({ status: "Rejected", statusInfo: { reasonCode: "InvalidProfile" } });
    expect(cps.get("cp-rejects")?.chargingKw).toBe(7.4);
  });

  it("a charger that drops its connection reconnects without booting again and reports what changed while offline", async () => {
    const cps = await startFleet([{ id: "cp-drops", password: passwords["cp-drops"], ocppVersion: "1.6", dropConnectionEveryMs: 300 }], { reconnectDelayMs: 400 });
    await cps.plugIn("cp-drops");
    const transactionId = Number(cps.get("cp-drops")?.transactionId);
    const connectionsBefore = cps.get("cp-drops")?.counts.connections ?? 0;
    await expect.poll(() => cps.get("cp-drops")?.connected, { timeout: 2000 }).toBe(false);
    await cps.plugOut("cp-drops");
    expect(callsOf("cp-drops", "StopTransaction")).toHaveLength(0);
    await expect.poll(() => callsOf("cp-drops", "StopTransaction").length, { timeout: 3000 }).toBe(1);
    expect(callsOf("cp-drops", "StopTransaction")[0]?.params.transactionId).toBe(transactionId);
    expect(cps.get("cp-drops")?.counts.connections).toBeGreaterThan(connectionsBefore);
    expect(cps.get("cp-drops")?.counts.drops).toBeGreaterThanOrEqual(1);
    expect(callsOf("cp-drops", "BootNotification")).toHaveLength(1);
  });

  it("a wrong password is refused before the upgrade and the charge point keeps trying", async () => {
    const cps = await startFleet([{ id: "cp-wrong", password: "not-the-password", ocppVersion: "1.6" }], { reconnectDelayMs: 50 });
    const snapshot = cps.get("cp-wrong");
    expect(snapshot?.connected).toBe(false);
    expect(snapshot?.lastError).toMatch(/connection refused/);
    expect(snapshot?.lastError).not.toContain("not-the-password");
    expect(callsOf("cp-wrong", "BootNotification")).toHaveLength(0);
  });
});
