// The OCPP gateway against real sockets on loopback and the real database. The charge point is the
// npm library ocpp-rpc's RPCClient in strict mode: it validates everything we send against the
// official OCPP schemas, so a profile it accepts is a schema-valid profile.
import { and, asc, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { getDb } from "@/db/client";
import { assetReadings, chargingPlans, chargingSessions, ocppChargePoints, ocppCommands, ocppConnections, ocppMessages } from "@/db/schema";
import { randomMpan } from "@/server/api/rest/test-support";
import { recordIntent, recordTariffUpdate } from "@/server/services/charging/events";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { getChargePointCommand, getChargePoint, registerChargePoint, sendChargePointCommand, setChargePointEnabled, setChargePointPassword } from "@/server/services/ocpp";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { startOcppGateway, type OcppGateway } from "./gateway";
import { connectTestChargePoint, eventually, type TestChargePoint, type TestProtocol } from "./test-support";

const PASSWORD = "correct-horse-battery-1";
const economy7 = { off_peak_times: "00:30-07:30", timezone: "Europe/London", tariff_type: "dual_rate" as const };

let org: TestOrg;
let gatewayA: OcppGateway;
let gatewayB: OcppGateway;
const open: TestChargePoint[] = [];

async function newDirectCharger(label: string, options: { password?: string } = {}) {
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  const asset = await createAsset(org.admin, { siteId: site.id, externalId: `${label}-${Math.random().toString(36).slice(2)}`, type: "charger", properties: { power_kw: 7.4 } });
  const identity = `CP-${label}-${Math.random().toString(36).slice(2, 8)}`;
  const cp = await registerChargePoint(org.admin, { assetId: asset.id, chargePointId: identity, password: options.password ?? PASSWORD });
  // The driver's tariff and need are known before the car arrives (as from a householder page).
  await recordTariffUpdate(org.admin, { assetId: asset.id, source: "operator", occurredAt: new Date(Date.now() - 3_600_000), tariff: economy7 });
  await recordIntent(org.admin, { assetId: asset.id, source: "operator", occurredAt: new Date(Date.now() - 3_600_000), intent: { energyRequiredKwh: 20, readyByLocalTime: "07:00" } });
  return { assetId: asset.id, identity, cpRowId: cp.id };
}

async function connect(port: number, identity: string, protocol: TestProtocol, password = PASSWORD) {
  const cp = await connectTestChargePoint({ port, identity, password, protocol });
  open.push(cp);
  return cp;
}

async function openSession(assetId: string) {
  const [session] = await getDb().select().from(chargingSessions).where(eq(chargingSessions.assetId, assetId)).orderBy(desc(chargingSessions.pluggedInAt)).limit(1);
  return session;
}

async function latestPlan(sessionId: string) {
  const [plan] = await getDb().select().from(chargingPlans).where(eq(chargingPlans.sessionId, sessionId)).orderBy(desc(chargingPlans.version)).limit(1);
  return plan;
}

async function profileCommands(cpRowId: string) {
  return getDb().select().from(ocppCommands).where(and(eq(ocppCommands.chargePointId, cpRowId), eq(ocppCommands.kind, "profile"))).orderBy(asc(ocppCommands.createdAt));
}

function nowIso() {
  return new Date().toISOString();
}

/** The HTTP status a refused upgrade answered with. */
async function refusedStatus(port: number, identity: string, password: string | null, protocol = "ocpp1.6"): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = password === null ? {} : { authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString("base64")}` };
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/${encodeURIComponent(identity)}`, [protocol], { headers });
    ws.on("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      ws.close();
      reject(new Error("the upgrade was accepted"));
    });
    ws.on("error", () => undefined);
  });
}

beforeAll(async () => {
  org = await createTestOrg("ocpp");
  gatewayA = await startOcppGateway({ port: 0, host: "127.0.0.1", gatewayId: `test-a-${org.slug}`, sweepIntervalMs: 500, heartbeatIntervalSeconds: 60 });
  gatewayB = await startOcppGateway({ port: 0, host: "127.0.0.1", gatewayId: `test-b-${org.slug}`, sweepIntervalMs: 500, heartbeatIntervalSeconds: 60 });
});

afterAll(async () => {
  await Promise.all(open.map((cp) => cp.close().catch(() => undefined)));
  await gatewayA?.close();
  await gatewayB?.close();
});

describe("OCPP 1.6J charge point", () => {
  it("boots, plugs in, gets a TxProfile with its transaction id, reports meter values and is cleared at plug-out", async () => {
    const { assetId, identity, cpRowId } = await newDirectCharger("v16");
    const cp = await connect(gatewayA.port, identity, "ocpp1.6");

    const boot = await cp.call("BootNotification", { chargePointVendor: "Acme", chargePointModel: "Wallbox 7", firmwareVersion: "1.4.2", chargePointSerialNumber: "SN-1" });
    expect(boot.status).toBe("Accepted");
    expect(boot.interval).toBe(60);
    await cp.call("Heartbeat", {});
    const state = await getChargePoint(org.admin, cpRowId);
    expect(state).toMatchObject({ vendor: "Acme", model: "Wallbox 7", firmwareVersion: "1.4.2", serialNumber: "SN-1", connectionState: "connected", protocol: "ocpp1.6", gatewayId: gatewayA.gatewayId });
    expect(state.lastHeartbeatAt).not.toBeNull();

    // Plug in: Preparing opens the session and plans it; the profile waits for the transaction.
    await cp.call("StatusNotification", { connectorId: 1, errorCode: "NoError", status: "Preparing", timestamp: nowIso() });
    const session = await openSession(assetId);
    expect(session?.pluggedOutAt).toBeNull();
    expect(cp.received.filter((c) => c.action === "SetChargingProfile")).toHaveLength(0);

    expect(await cp.call("Authorize", { idTag: "TAG1" })).toEqual({ idTagInfo: { status: "Accepted" } });
    const started = await cp.call("StartTransaction", { connectorId: 1, idTag: "TAG1", meterStart: 1_000_000, timestamp: nowIso() });
    const transactionId = started.transactionId as number;
    expect(Number.isInteger(transactionId)).toBe(true);
    await cp.call("StatusNotification", { connectorId: 1, errorCode: "NoError", status: "Charging", timestamp: nowIso() });

    const push = await cp.waitFor("SetChargingProfile");
    const profile = push.params.csChargingProfiles as Record<string, unknown>;
    expect(push.params.connectorId).toBe(1);
    expect(profile).toMatchObject({ chargingProfilePurpose: "TxProfile", chargingProfileKind: "Absolute", transactionId });
    // Acceptance and the read-back are recorded against the plan.
    const plan = await latestPlan(session?.id ?? "");
    const command = await eventually(async () => {
      const [row] = (await profileCommands(cpRowId)).filter((c) => c.appliedMatchesPlan !== null);
      return row;
    });
    expect(command).toMatchObject({ status: "answered", planId: plan?.id, planVersion: plan?.version, appliedMatchesPlan: true });
    expect(command.response).toEqual({ status: "Accepted" });
    expect(cp.received.some((c) => c.action === "GetCompositeSchedule")).toBe(true);

    // Meter values become readings (the lifetime register, in kWh).
    // After the transaction's start (a register may not be lower than an earlier value).
    await new Promise((resolve) => setTimeout(resolve, 20));
    const at = nowIso();
    await cp.call("MeterValues", { connectorId: 1, transactionId, meterValue: [{ timestamp: at, sampledValue: [{ value: "1002500", measurand: "Energy.Active.Import.Register", unit: "Wh" }] }] });
    const readings = await getDb().select().from(assetReadings).where(eq(assetReadings.assetId, assetId)).orderBy(asc(assetReadings.startAt));
    expect(readings.map((r) => r.value)).toEqual(expect.arrayContaining([1000, 1002.5]));

    // Plug out: the transaction stops, Available closes the session and the profile is cleared.
    await cp.call("StopTransaction", { transactionId, meterStop: 1_003_000, timestamp: nowIso(), reason: "EVDisconnected" });
    await cp.call("StatusNotification", { connectorId: 1, errorCode: "NoError", status: "Available", timestamp: nowIso() });
    const clear = await cp.waitFor("ClearChargingProfile");
    expect(clear.params).toEqual({ id: profile.chargingProfileId });
    expect(cp.profiles.size).toBe(0);
    expect((await openSession(assetId))?.pluggedOutAt).not.toBeNull();

    // Both directions are in the message log.
    await eventually(async () => {
      const logged = await getDb().select().from(ocppMessages).where(eq(ocppMessages.chargePointId, cpRowId));
      return logged.some((m) => m.direction === "out" && m.action === "ClearChargingProfile") && logged.some((m) => m.direction === "in" && m.action === "BootNotification") ? logged : undefined;
    });
  });

  it("answers a malformed frame and a schema-invalid call with a CALLERROR and stays up", async () => {
    const { identity } = await newDirectCharger("bad");
    const replies: unknown[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${gatewayA.port}/ocpp/${identity}`, ["ocpp1.6"], { headers: { authorization: `Basic ${Buffer.from(`${identity}:${PASSWORD}`).toString("base64")}` } });
    await new Promise<void>((resolve, reject) => {
      ws.on("open", () => resolve());
      ws.on("error", reject);
    });
    ws.on("message", (data: Buffer) => replies.push(JSON.parse(data.toString())));
    ws.send("[2, not json");
    ws.send(JSON.stringify([2, "m-1", "BootNotification", { chargePointVendor: 42, chargePointModel: "X" }]));
    ws.send(JSON.stringify([2, "m-2", "BootNotification", { chargePointVendor: "Acme" }]));
    ws.send(JSON.stringify([2, "m-3", "Heartbeat", {}]));
    await eventually(async () => (replies.length >= 4 ? replies : undefined));
    const errors = new Map((replies.filter((r) => Array.isArray(r) && r[0] === 4) as unknown[][]).map((e) => [e[1], e[2]]));
    // 1.6's own codes, with its spelling of "Occurence".
    expect(errors.get("-1")).toBe("FormationViolation");
    expect(errors.get("m-1")).toBe("TypeConstraintViolation");
    expect(errors.get("m-2")).toBe("OccurenceConstraintViolation");
    expect(replies.some((r) => Array.isArray(r) && r[0] === 3 && r[1] === "m-3")).toBe(true);
    ws.close();
  });
});

describe("OCPP 2.0.1 charging station", () => {
  it("boots, plugs in, gets a TxProfile for its transaction, reports meter values and is cleared at plug-out", async () => {
    const { assetId, identity, cpRowId } = await newDirectCharger("v201");
    const cp = await connect(gatewayA.port, identity, "ocpp2.0.1");
    const boot = await cp.call("BootNotification", { reason: "PowerUp", chargingStation: { model: "Station 22", vendorName: "Bolt", firmwareVersion: "2.0.9", serialNumber: "SN-201" } });
    expect(boot.status).toBe("Accepted");
    expect(await getChargePoint(org.admin, cpRowId)).toMatchObject({ vendor: "Bolt", model: "Station 22", firmwareVersion: "2.0.9", protocol: "ocpp2.0.1" });

    await cp.call("StatusNotification", { timestamp: nowIso(), connectorStatus: "Occupied", evseId: 1, connectorId: 1 });
    const session = await openSession(assetId);
    expect(session?.pluggedOutAt).toBeNull();
    await cp.call("TransactionEvent", {
      eventType: "Started",
      timestamp: nowIso(),
      triggerReason: "CablePluggedIn",
      seqNo: 0,
      transactionInfo: { transactionId: "tx-201-a", chargingState: "EVConnected" },
      evse: { id: 1, connectorId: 1 },
      meterValue: [{ timestamp: new Date(Date.now() - 2_000).toISOString(), sampledValue: [{ value: 5000, measurand: "Energy.Active.Import.Register", unitOfMeasure: { unit: "kWh", multiplier: 0 } }] }],
    });
    const push = await cp.waitFor("SetChargingProfile");
    expect(push.params.evseId).toBe(1);
    expect(push.params.chargingProfile).toMatchObject({ chargingProfilePurpose: "TxProfile", transactionId: "tx-201-a" });
    await eventually(async () => {
      const [row] = (await profileCommands(cpRowId)).filter((c) => c.appliedMatchesPlan === true);
      return row;
    });

    await cp.call("MeterValues", { evseId: 1, meterValue: [{ timestamp: nowIso(), sampledValue: [{ value: 5002.25, unitOfMeasure: { unit: "kWh" } }] }] });
    const readings = await getDb().select().from(assetReadings).where(eq(assetReadings.assetId, assetId));
    expect(readings.map((r) => r.value)).toEqual(expect.arrayContaining([5000, 5002.25]));

    // The vehicle's own need becomes the intent and re-plans the session.
    const before = (await latestPlan(session?.id ?? ""))?.version ?? 0;
    const needs = await cp.call("NotifyEVChargingNeeds", { evseId: 1, chargingNeeds: { requestedEnergyTransfer: "AC_single_phase", acChargingParameters: { energyAmount: 12000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 230 } } });
    expect(needs.status).toBe("Accepted");
    expect((await latestPlan(session?.id ?? ""))?.version).toBeGreaterThan(before);
    await cp.waitFor("SetChargingProfile", 2);

    await cp.call("TransactionEvent", { eventType: "Ended", timestamp: nowIso(), triggerReason: "EVDeparted", seqNo: 1, transactionInfo: { transactionId: "tx-201-a", stoppedReason: "EVDisconnected" } });
    const clear = await cp.waitFor("ClearChargingProfile");
    expect(clear.params).toEqual({ chargingProfileId: (push.params.chargingProfile as { id: number }).id });
    expect((await openSession(assetId))?.pluggedOutAt).not.toBeNull();
  });
});

describe("reconnection, refusal and several gateways", () => {
  it("a charger that was offline when plans were made gets only the latest one when it reconnects", async () => {
    const { assetId, identity, cpRowId } = await newDirectCharger("offline");
    const first = await connect(gatewayA.port, identity, "ocpp1.6");
    await first.call("BootNotification", { chargePointVendor: "Acme", chargePointModel: "W" });
    await first.call("StatusNotification", { connectorId: 1, errorCode: "NoError", status: "Preparing", timestamp: nowIso() });
    const started = await first.call("StartTransaction", { connectorId: 1, idTag: "T", meterStart: 0, timestamp: nowIso() });
    await first.waitFor("SetChargingProfile");
    await eventually(async () => ((await profileCommands(cpRowId))[0]?.status === "answered" ? true : undefined));
    await first.close();
    await eventually(async () => ((await getChargePoint(org.admin, cpRowId)).connectionState === "disconnected" ? true : undefined));

    // Two re-plans while it is away: the first of them must never reach it.
    await recordIntent(org.admin, { assetId, source: "operator", intent: { energyRequiredKwh: 30, readyByLocalTime: "07:00" } });
    await recordIntent(org.admin, { assetId, source: "operator", occurredAt: new Date(Date.now() + 1_000), intent: { energyRequiredKwh: 8, readyByLocalTime: "07:00" } });
    const session = await openSession(assetId);
    const latest = await latestPlan(session?.id ?? "");
    const commands = await profileCommands(cpRowId);
    expect(commands.map((c) => c.status)).toEqual(["answered", "superseded", "pending"]);

    const again = await connect(gatewayA.port, identity, "ocpp1.6");
    const push = await again.waitFor("SetChargingProfile");
    const sent = await eventually(async () => (await profileCommands(cpRowId)).find((c) => c.planVersion === latest?.version && c.status === "answered"));
    expect(push.params).toEqual(sent.payload);
    expect((push.params.csChargingProfiles as { transactionId: number }).transactionId).toBe(started.transactionId);
    // Only the latest plan was sent on the new connection.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(again.received.filter((c) => c.action === "SetChargingProfile")).toHaveLength(1);
  });

  it("refuses unknown, disabled and wrongly authenticated charge points before the upgrade", async () => {
    const { identity } = await newDirectCharger("auth");
    expect(await refusedStatus(gatewayA.port, `nobody-${Date.now()}`, PASSWORD)).toBe(404);
    expect(await refusedStatus(gatewayA.port, identity, "wrong-password-123456")).toBe(401);
    expect(await refusedStatus(gatewayA.port, identity, null)).toBe(401);
    await expect(connectTestChargePoint({ port: gatewayA.port, identity, password: "wrong-password-123456", protocol: "ocpp1.6" })).rejects.toMatchObject({ code: 401 });

    // A rotated password opens the door; the old one no longer does.
    const { id } = (await getDb().select({ id: ocppChargePoints.id }).from(ocppChargePoints).where(eq(ocppChargePoints.chargePointId, identity)))[0] ?? { id: "" };
    const { password } = await setChargePointPassword(org.admin, { id });
    expect(await refusedStatus(gatewayA.port, identity, PASSWORD)).toBe(401);
    const cp = await connect(gatewayA.port, identity, "ocpp1.6", password);
    expect(cp.client.protocol).toBe("ocpp1.6");
    await cp.close();

    // Disabled: refused like an unknown charge point, even with the right password.
    await setChargePointEnabled(org.admin, { id, enabled: false });
    expect(await refusedStatus(gatewayA.port, identity, password)).toBe(404);
  });

  it("delivers a command queued in one process to a charger connected to another", async () => {
    const { identity, cpRowId } = await newDirectCharger("routing");
    const cp = await connect(gatewayB.port, identity, "ocpp1.6");
    await cp.call("BootNotification", { chargePointVendor: "Acme", chargePointModel: "W" });
    const [registered] = await eventually(async () => {
      const rows = await getDb().select().from(ocppConnections).where(eq(ocppConnections.chargePointId, cpRowId));
      return rows.length > 0 ? rows : undefined;
    });
    expect(registered?.gatewayId).toBe(gatewayB.gatewayId);

    const { commandId } = await sendChargePointCommand(org.admin, { id: cpRowId, action: "TriggerMessage", payload: { requestedMessage: "Heartbeat", connectorId: 1 } });
    const trigger = await cp.waitFor("TriggerMessage");
    expect(trigger.params).toEqual({ requestedMessage: "Heartbeat", connectorId: 1 });
    const answered = await eventually(async () => {
      const row = await getChargePointCommand(org.admin, commandId);
      return row.status === "answered" ? row : undefined;
    });
    expect(answered.response).toEqual({ status: "Accepted" });
  });
});
