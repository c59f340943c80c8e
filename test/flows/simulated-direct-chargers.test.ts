// The simulator's direct charge points (ocpp-rpc strict-schema clients) against the platform's real
// OCPP-J gateway and database: they boot into the charge point's row, a plug-in opens a session
// whose plan reaches the charger as a TxProfile that it follows and reports back as applied, a
// charger that refuses profiles is recorded as refusing, and the dashboard's views show the traffic.
import { and, asc, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { chargingSessions, ocppCommands } from "@/db/schema";
import { startOcppGateway, type OcppGateway } from "@/server/ocpp-gateway/gateway";
import { eventually as eventuallyWithin } from "@/server/ocpp-gateway/test-support";

// Beside the whole suite a plan reaches the charger in seconds, not moments: each wait gets a minute.
const eventually = <T>(check: () => Promise<T | undefined>) => eventuallyWithin(check, 60_000);
import { randomMpan } from "@/server/api/rest/test-support";
import { recordIntent, recordTariffUpdate } from "@/server/services/charging/events";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { chargePointPlanAgainstApplied, pageChargePointMessages } from "@/server/services/ocpp/charge-point-dashboard";
import { getChargePoint, registerChargePoint } from "@/server/services/ocpp/charge-points";
import { ChargePointFleet } from "@/simulator/charge-points/fleet";
import { createTestOrg, type TestOrg } from "@/test/fixtures";

const PASSWORD = "simulated-charger-password-1";
let org: TestOrg;
let gateway: OcppGateway;
let fleet: ChargePointFleet;
const chargers = new Map<string, { assetId: string; rowId: string }>();

async function directCharger(identity: string) {
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  const asset = await createAsset(org.admin, { siteId: site.id, externalId: `${identity}-asset`, type: "charger", properties: { power_kw: 7.4 } });
  const cp = await registerChargePoint(org.admin, { assetId: asset.id, chargePointId: identity, password: PASSWORD });
  const earlier = new Date(Date.now() - 3_600_000);
  await recordTariffUpdate(org.admin, { assetId: asset.id, source: "operator", occurredAt: earlier, tariff: { off_peak_times: "00:30-07:30", timezone: "Europe/London", tariff_type: "dual_rate" } });
  await recordIntent(org.admin, { assetId: asset.id, source: "operator", occurredAt: earlier, intent: { energyRequiredKwh: 20, readyByLocalTime: "07:00" } });
  chargers.set(identity, { assetId: asset.id, rowId: cp.id });
}

async function profileCommand(rowId: string, where: (row: typeof ocppCommands.$inferSelect) => boolean) {
  const rows = await getDb().select().from(ocppCommands).where(and(eq(ocppCommands.chargePointId, rowId), eq(ocppCommands.kind, "profile"))).orderBy(asc(ocppCommands.createdAt));
  return rows.find(where);
}

async function openSession(assetId: string) {
  const [session] = await getDb().select().from(chargingSessions).where(eq(chargingSessions.assetId, assetId)).orderBy(desc(chargingSessions.pluggedInAt)).limit(1);
  return session;
}

const ids = { follows16: "", rejects201: "" };

beforeAll(async () => {
  org = await createTestOrg("simulated-direct");
  ids.follows16 = `SIM16-${org.slug.slice(-8)}`;
  ids.rejects201 = `SIM201-${org.slug.slice(-8)}`;
  await directCharger(ids.follows16);
  await directCharger(ids.rejects201);
  gateway = await startOcppGateway({ port: 0, host: "127.0.0.1", gatewayId: `sim-${org.slug}`, sweepIntervalMs: 500, heartbeatIntervalSeconds: 60 });
  fleet = new ChargePointFleet(
    {
      centralSystemUrl: `ws://127.0.0.1:${gateway.port}/ocpp`,
      autoPlug: false,
      tickMs: 0,
      reconnectDelayMs: 200,
      chargePoints: [
        { id: ids.follows16, password: PASSWORD, ocppVersion: "1.6", powerKw: 7.4, firmwareVersion: "3.1.0" },
        { id: ids.rejects201, password: PASSWORD, ocppVersion: "2.0.1", powerKw: 7.4, acceptsProfiles: false },
      ],
    },
    () => Date.now(),
  );
  await fleet.start();
});

afterAll(async () => {
  await fleet?.stop();
  await gateway?.close();
});

describe("simulated direct chargers against the platform's gateway", () => {
  it("a 1.6 charger boots, plugs in, follows its plan's TxProfile as the read-back confirms, and is cleared at plug-out", async () => {
    const charger = chargers.get(ids.follows16);
    if (!charger) throw new Error("charger not seeded");
    const booted = await eventually(async () => {
      const view = await getChargePoint(org.admin, charger.rowId);
      return view.connectionState === "connected" && view.firmwareVersion !== null && Object.keys(view.connectorStatus).length > 0 ? view : undefined;
    });
    expect(booted).toMatchObject({ protocol: "ocpp1.6", vendor: "Flexfleet Simulated", firmwareVersion: "3.1.0" });

    await fleet.plugIn(ids.follows16, { energyRequiredKwh: 20 });
    const session = await eventually(async () => openSession(charger.assetId));
    expect(session.pluggedOutAt).toBeNull();
    const command = await eventually(async () => profileCommand(charger.rowId, (c) => c.appliedMatchesPlan !== null));
    expect(command).toMatchObject({ status: "answered", appliedMatchesPlan: true });
    const transactionId = fleet.get(ids.follows16)?.transactionId;
    expect((command.payload.csChargingProfiles as { transactionId: number }).transactionId).toBe(Number(transactionId));
    expect(fleet.get(ids.follows16)?.profiles).toEqual([expect.objectContaining({ purpose: "TxProfile" })]);

    const view = await chargePointPlanAgainstApplied(org.admin, { id: charger.rowId });
    expect(view).toMatchObject({ accepted: true, matches: true });
    expect(view?.applied.length).toBeGreaterThan(0);
    // The gateway writes its message log in batches: the last exchanges appear a moment after they happen.
    const logged = ["BootNotification", "StartTransaction", "SetChargingProfile", "GetCompositeSchedule"];
    const actions = await eventually(async () => {
      const log = await pageChargePointMessages(org.admin, { id: charger.rowId, limit: 100 });
      const seen = log.rows.map((m) => m.action);
      return logged.every((action) => seen.includes(action)) ? seen : undefined;
    });
    expect(actions).toEqual(expect.arrayContaining(logged));

    await fleet.plugOut(ids.follows16);
    const closed = await eventually(async () => {
      const row = await openSession(charger.assetId);
      return row?.pluggedOutAt ? row : undefined;
    });
    expect(closed.id).toBe(session.id);
    expect(fleet.get(ids.follows16)?.profiles).toEqual([]);
  }, 240_000);

  it("a 2.0.1 charger that refuses profiles is recorded as refusing and keeps charging at full power", async () => {
    const charger = chargers.get(ids.rejects201);
    if (!charger) throw new Error("charger not seeded");
    await eventually(async () => ((await getChargePoint(org.admin, charger.rowId)).connectionState === "connected" ? true : undefined));
    await fleet.plugIn(ids.rejects201, { energyRequiredKwh: 20 });
    await eventually(async () => openSession(charger.assetId));
    const refused = await eventually(async () => profileCommand(charger.rowId, (c) => c.status === "rejected"));
    expect(refused.response).toMatchObject({ status: "Rejected" });
    expect(fleet.get(ids.rejects201)?.chargingKw).toBe(7.4);
    expect(await chargePointPlanAgainstApplied(org.admin, { id: charger.rowId })).toMatchObject({ accepted: false, status: "rejected" });
  }, 240_000);
});
