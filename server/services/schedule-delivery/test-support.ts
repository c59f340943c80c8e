// Test helpers for schedule delivery: a real local HTTP receiver and directly inserted charging
// rows (the charging services are developed separately, so tests do not depend on them).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getDb, type DbOrTx } from "@/db/client";
import { assets, chargingPlans, chargingSessions, sites, type StoredPlanSlot } from "@/db/schema";
import { randomMpan } from "../batteries/test-support";

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
  receivedAt: number;
  /** The status the receiver answered with. */
  status: number;
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Status to answer with (default 200); "drop" closes the socket without answering. */
  respondWith: number | "drop";
  delayMs: number;
  onRequest?: (request: ReceivedRequest) => void;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    received: [],
    respondWith: 200,
    delayMs: 0,
    stop: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const answer = () => {
        if (receiver.respondWith === "drop") {
          req.socket.destroy();
          return;
        }
        const request: ReceivedRequest = { headers: req.headers, rawBody, receivedAt: performance.now(), status: receiver.respondWith };
        receiver.received.push(request);
        receiver.onRequest?.(request);
        res.writeHead(receiver.respondWith, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: receiver.respondWith < 300 ? "Accepted" : "Rejected" }));
      };
      if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${address.port}/ocpp/schedules`;
  receiver.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export interface ChargingFixture {
  siteId: string;
  assetId: string;
  externalId: string;
  sessionId: string;
}

export async function createChargingSession(orgId: string, options: { connectorId?: number; transactionId?: number; chargerPowerKw?: number } = {}): Promise<ChargingFixture> {
  const db = getDb();
  const [site] = await db.insert(sites).values({ organisationId: orgId, mpan: randomMpan(), mpanCheckDigitValid: true, postcode: "SW1A 1AA" }).returning({ id: sites.id });
  if (!site) throw new Error("site insert failed");
  const externalId = `charger-${randomUUID().slice(0, 8)}`;
  const [asset] = await db
    .insert(assets)
    .values({ organisationId: orgId, siteId: site.id, externalId, type: "charger", properties: { power_kw: 7.4, ...(options.connectorId ? { connector_id: options.connectorId } : {}) } })
    .returning({ id: assets.id });
  if (!asset) throw new Error("asset insert failed");
  const [session] = await db
    .insert(chargingSessions)
    .values({
      organisationId: orgId,
      assetId: asset.id,
      siteId: site.id,
      pluggedInAt: new Date("2026-03-01T18:00:00Z"),
      chargerPowerKw: options.chargerPowerKw ?? 7.4,
      transactionId: options.transactionId ?? null,
    })
    .returning({ id: chargingSessions.id });
  if (!session) throw new Error("session insert failed");
  return { siteId: site.id, assetId: asset.id, externalId, sessionId: session.id };
}

/** Half-hour slots from `start` with the given kW each. */
export function halfHourSlots(start: string, kws: readonly number[]): StoredPlanSlot[] {
  const first = Date.parse(start);
  return kws.map((kw, index) => ({
    start: new Date(first + index * 1_800_000).toISOString(),
    end: new Date(first + (index + 1) * 1_800_000).toISOString(),
    kw,
    kwh: kw / 2,
    pencePerKwh: 7,
  }));
}

export async function insertPlan(orgId: string, fixture: ChargingFixture, version: number, slots: StoredPlanSlot[], db: DbOrTx = getDb()): Promise<string> {
  const [plan] = await db
    .insert(chargingPlans)
    .values({
      organisationId: orgId,
      sessionId: fixture.sessionId,
      assetId: fixture.assetId,
      version,
      trigger: version === 1 ? "plug_in" : "tariff_update",
      windowStart: new Date(slots[0]?.start ?? "2026-03-01T18:00:00Z"),
      windowEnd: new Date(slots[slots.length - 1]?.end ?? "2026-03-02T07:00:00Z"),
      slots,
      energyKwh: slots.reduce((sum, slot) => sum + slot.kwh, 0),
      costPence: 100,
      baselineCostPence: 200,
      savingPence: 100,
      met: true,
    })
    .returning({ id: chargingPlans.id });
  if (!plan) throw new Error("plan insert failed");
  return plan.id;
}
