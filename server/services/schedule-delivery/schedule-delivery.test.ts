import { Writable } from "node:stream";
import { eq, inArray } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createCaller } from "@/server/api/root";
import { auditEvents, chargingSessions, scheduleDeliveries, scheduleDeliveryAttempts, scheduleEndpoints } from "@/db/schema";
import { verifySchedulePush } from "@/server/domain/signatures";
import { getLogger, setLoggerForProcess } from "@/server/log";
import { validateOcppPayload } from "@/server/ocpp";
import { createServiceContext } from "@/server/services/context";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { queueScheduleDelivery, stopSessionDeliveries } from "./schedule-delivery";
import { getScheduleEndpoint, listScheduleDeliveries, sendTestScheduleDelivery, setScheduleEndpoint } from "./schedule-endpoints";
import { deliverDueScheduleDeliveries, deliverScheduleDelivery, startScheduleDeliveryDispatcher } from "./send-schedule-delivery";
import { createChargingSession, halfHourSlots, insertPlan, startReceiver, type Receiver } from "./test-support";

const SECRET = "whsec-test-7f3a9c1e5b2d4f60-abcd";
const captured: string[] = [];
const originalLogger = getLogger();
let receiver: Receiver;
let org: TestOrg;

/** A clock `seconds` ahead of real time, so retries whose backoff has not really passed are due. */
const later = (seconds: number) => () => new Date(Date.now() + seconds * 1000);

async function statusOf(id: string): Promise<string | undefined> {
  const [row] = await getDb().select({ status: scheduleDeliveries.status }).from(scheduleDeliveries).where(eq(scheduleDeliveries.id, id));
  return row?.status;
}

async function queue(planId: string): Promise<string> {
  const queued = await getDb().transaction((tx) => queueScheduleDelivery({ ...org.admin, db: tx }, planId));
  if (!queued) throw new Error("expected a delivery");
  return queued.deliveryId;
}

beforeAll(async () => {
  setLoggerForProcess(pino({ level: "trace" }, new Writable({ write: (chunk: Buffer, _enc, done) => (captured.push(chunk.toString()), done()) })));
  receiver = await startReceiver();
  org = await createTestOrg("sched");
  await setScheduleEndpoint(org.admin, { url: receiver.url, ocppVersion: "1.6", secret: SECRET });
});

afterAll(async () => {
  setLoggerForProcess(originalLogger);
  await receiver.stop();
});

describe("configuring the schedule endpoint", () => {
  it("keeps the secret write-only: sealed at rest, shown as its last four, never in the audit log", async () => {
    const view = await getScheduleEndpoint(org.admin);
    expect(view).toMatchObject({ url: receiver.url, ocppVersion: "1.6", secretLastFour: SECRET.slice(-4), enabled: true });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    const [row] = await getDb().select().from(scheduleEndpoints).where(eq(scheduleEndpoints.organisationId, org.orgId));
    expect(row?.secretCiphertext).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(SECRET);
    const audits = await getDb().select().from(auditEvents).where(eq(auditEvents.organisationId, org.orgId));
    expect(audits.map((a) => a.action)).toContain("schedule_endpoint.created");
    expect(JSON.stringify(audits)).not.toContain(SECRET);
  });

  it("lets only admins change it, needs a secret the first time, and names the bad field", async () => {
    const other = await createTestOrg("sched-cfg");
    const operator = await other.addOperator("operator");
    await expect(setScheduleEndpoint(operator.ctx, { url: receiver.url, ocppVersion: "1.6", secret: SECRET })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setScheduleEndpoint(other.admin, { url: receiver.url, ocppVersion: "1.6" })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["secret"] }] });
    await expect(setScheduleEndpoint(other.admin, { url: "ftp://x.example/a", ocppVersion: "1.6", secret: SECRET })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["url"] }] });
    await expect(setScheduleEndpoint(other.admin, { url: receiver.url, ocppVersion: "1.5" as "1.6", secret: SECRET })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["ocppVersion"] }] });
    await expect(setScheduleEndpoint(other.admin, { url: receiver.url, ocppVersion: "1.6", secret: "short" })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["secret"] }] });
    await setScheduleEndpoint(other.admin, { url: receiver.url, ocppVersion: "2.0.1", secret: "another-secret-1234567" });
    const updated = await setScheduleEndpoint(other.admin, { url: `${receiver.url}?v=2`, ocppVersion: "2.0.1", enabled: false });
    expect(updated).toMatchObject({ secretLastFour: "4567", enabled: false, url: `${receiver.url}?v=2` });
  });

  it("sends a signed, schema-valid test profile and says what the endpoint answered", async () => {
    const before = receiver.received.length;
    const result = await sendTestScheduleDelivery(org.admin);
    expect(result).toMatchObject({ ok: true, httpStatus: 200, error: null });
    const request = receiver.received[before];
    expect(request?.headers["x-flexfleet-test"]).toBe("true");
    expect(validateOcppPayload("1.6", "SetChargingProfile", JSON.parse(request?.rawBody ?? "null"))).toEqual({ ok: true });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});

describe("delivering plans", () => {
  it("pushes a plan as a schema-valid 1.6 body whose signature the receiver can verify, and logs the attempt", async () => {
    const fixture = await createChargingSession(org.orgId, { transactionId: 17 });
    const planId = await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [0, 7.4, 3.7]));
    const deliveryId = await queue(planId);
    const before = receiver.received.length;
    expect(await deliverScheduleDelivery(deliveryId)).toBe("delivered");
    const request = receiver.received[before];
    if (!request) throw new Error("nothing received");
    const check = verifySchedulePush({
      secret: SECRET,
      rawBody: request.rawBody,
      timestampHeader: String(request.headers["x-flexfleet-timestamp"]),
      signatureHeader: String(request.headers["x-flexfleet-signature"]),
      now: new Date(),
    });
    expect(check).toEqual({ ok: true });
    expect(verifySchedulePush({ secret: "wrong-secret-000000", rawBody: request.rawBody, timestampHeader: String(request.headers["x-flexfleet-timestamp"]), signatureHeader: String(request.headers["x-flexfleet-signature"]), now: new Date() })).toEqual({ ok: false, reason: "mismatch" });
    const body: unknown = JSON.parse(request.rawBody);
    expect(validateOcppPayload("1.6", "SetChargingProfile", body)).toEqual({ ok: true });
    expect(body).toMatchObject({ connectorId: 1, csChargingProfiles: { transactionId: 17, stackLevel: 1100, chargingSchedule: { chargingRateUnit: "W" } } });
    expect(request.headers).toMatchObject({
      "x-flexfleet-delivery-id": deliveryId,
      "x-flexfleet-session-id": fixture.sessionId,
      "x-flexfleet-asset-external-id": fixture.externalId,
      "x-flexfleet-plan-version": "1",
      "x-flexfleet-ocpp-version": "1.6",
    });
    const attempts = await getDb().select().from(scheduleDeliveryAttempts).where(eq(scheduleDeliveryAttempts.deliveryId, deliveryId));
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ httpStatus: 200, error: null });
    const [listed] = await listScheduleDeliveries(org.admin, { sessionId: fixture.sessionId });
    expect(listed).toMatchObject({ id: deliveryId, status: "delivered", planVersion: 1, attempts: 1, assetExternalId: fixture.externalId, attemptLog: [{ httpStatus: 200 }] });
  });

  it("endpoint down then back: the latest version is delivered exactly once, the older one superseded and never sent", async () => {
    const fixture = await createChargingSession(org.orgId);
    const v1 = await queue(await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4, 7.4])));
    receiver.respondWith = 503;
    try {
      expect(await deliverScheduleDelivery(v1)).toBe("retrying");
      const v2 = await queue(await insertPlan(org.orgId, fixture, 2, halfHourSlots("2026-03-01T23:30:00Z", [3.7, 7.4])));
      expect(await statusOf(v1)).toBe("superseded");
      expect(await deliverScheduleDelivery(v2)).toBe("retrying");
      // Still down: a network failure this time (socket dropped), retried again.
      receiver.respondWith = "drop";
      expect(await deliverScheduleDelivery(v2, { now: later(5) })).toBe("retrying");
      receiver.respondWith = 200;
      await deliverDueScheduleDeliveries({ now: later(60), organisationIds: [org.orgId] });
      await deliverDueScheduleDeliveries({ now: later(120), organisationIds: [org.orgId] });
      const forSession = receiver.received.filter((r) => r.headers["x-flexfleet-session-id"] === fixture.sessionId);
      const accepted = forSession.filter((r) => r.status === 200);
      expect(accepted.map((r) => r.headers["x-flexfleet-plan-version"])).toEqual(["2"]);
      expect(accepted[0]?.headers["x-flexfleet-delivery-id"]).toBe(v2);
      expect(await statusOf(v2)).toBe("delivered");
      expect(await statusOf(v1)).toBe("superseded");
      const attempts = await getDb().select().from(scheduleDeliveryAttempts).where(eq(scheduleDeliveryAttempts.deliveryId, v2)).orderBy(scheduleDeliveryAttempts.id);
      expect(attempts.map((a) => a.httpStatus)).toEqual([503, null, 200]);
      expect(attempts[1]?.error).toMatch(/network error/);
    } finally {
      receiver.respondWith = 200;
    }
  });

  it("never sends an older version that is somehow still pending once a newer one exists", async () => {
    const fixture = await createChargingSession(org.orgId);
    const v1 = await queue(await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4])));
    const v2 = await queue(await insertPlan(org.orgId, fixture, 2, halfHourSlots("2026-03-01T23:00:00Z", [3.7])));
    // As if v1 had been held by a sender when v2 was queued (the supersede step skips locked rows).
    await getDb().update(scheduleDeliveries).set({ status: "pending" }).where(eq(scheduleDeliveries.id, v1));
    expect(await deliverScheduleDelivery(v1)).toBe("superseded");
    expect(await statusOf(v2)).toBe("delivered");
    const received = receiver.received.filter((r) => r.headers["x-flexfleet-session-id"] === fixture.sessionId);
    expect(received.map((r) => r.headers["x-flexfleet-plan-version"])).toEqual(["2"]);
  });

  it("stops pushing after plug-out: pending deliveries are cancelled and nothing more is sent", async () => {
    const fixture = await createChargingSession(org.orgId);
    receiver.respondWith = 500;
    const v1 = await queue(await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4])));
    expect(await deliverScheduleDelivery(v1)).toBe("retrying");
    receiver.respondWith = 200;
    const cancelled = await getDb().transaction(async (tx) => {
      await tx.update(chargingSessions).set({ pluggedOutAt: new Date() }).where(eq(chargingSessions.id, fixture.sessionId));
      return stopSessionDeliveries({ ...org.admin, db: tx }, fixture.sessionId);
    });
    expect(cancelled).toBe(1);
    await deliverDueScheduleDeliveries({ now: later(600), organisationIds: [org.orgId] });
    expect(await statusOf(v1)).toBe("cancelled");
    // A plan that still arrives after plug-out is recorded as cancelled, never sent.
    const late = await queue(await insertPlan(org.orgId, fixture, 2, halfHourSlots("2026-03-01T23:00:00Z", [7.4])));
    expect(await statusOf(late)).toBe("cancelled");
    await deliverDueScheduleDeliveries({ now: later(600), organisationIds: [org.orgId] });
    const sent = receiver.received.filter((r) => r.headers["x-flexfleet-session-id"] === fixture.sessionId);
    expect(sent.map((r) => r.headers["x-flexfleet-plan-version"])).toEqual(["1"]); // only the 500 before plug-out
  });

  it("cancels at send time when the session was closed without stopSessionDeliveries", async () => {
    const fixture = await createChargingSession(org.orgId);
    const v1 = await queue(await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4])));
    await getDb().update(chargingSessions).set({ pluggedOutAt: new Date() }).where(eq(chargingSessions.id, fixture.sessionId));
    expect(await deliverScheduleDelivery(v1)).toBe("cancelled");
    expect(receiver.received.some((r) => r.headers["x-flexfleet-session-id"] === fixture.sessionId)).toBe(false);
  });

  it("two concurrent delivery runs never send the same delivery twice", async () => {
    const fixture = await createChargingSession(org.orgId);
    const id = await queue(await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4])));
    receiver.delayMs = 150;
    try {
      const [first, second] = await Promise.all([deliverScheduleDelivery(id), deliverScheduleDelivery(id), deliverDueScheduleDeliveries({ organisationIds: [org.orgId] }), deliverDueScheduleDeliveries({ organisationIds: [org.orgId] })]);
      expect([first, second].filter((outcome) => outcome === "delivered").length).toBeLessThanOrEqual(1);
    } finally {
      receiver.delayMs = 0;
    }
    expect(receiver.received.filter((r) => r.headers["x-flexfleet-delivery-id"] === id)).toHaveLength(1);
    expect(await getDb().select().from(scheduleDeliveryAttempts).where(eq(scheduleDeliveryAttempts.deliveryId, id))).toHaveLength(1);
  });

  it("does not retry a 4xx refusal, and gives up only after the retry horizon", async () => {
    const fixture = await createChargingSession(org.orgId);
    receiver.respondWith = 400;
    const refused = await queue(await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4])));
    expect(await deliverScheduleDelivery(refused)).toBe("failed");
    receiver.respondWith = 429;
    const limited = await queue(await insertPlan(org.orgId, fixture, 2, halfHourSlots("2026-03-01T23:00:00Z", [7.4])));
    expect(await deliverScheduleDelivery(limited)).toBe("retrying");
    expect(await deliverScheduleDelivery(limited, { now: later(25 * 3600) })).toBe("retrying");
    expect(await deliverScheduleDelivery(limited, { now: later(26 * 3600 + 600) })).toBe("failed");
    receiver.respondWith = 200;
    const rows = await listScheduleDeliveries(org.admin, { sessionId: fixture.sessionId });
    expect(rows.find((r) => r.id === refused)?.lastError).toMatch(/HTTP 400 \(not retried/);
    expect(rows.find((r) => r.id === limited)).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("outlasts a ten-hour partner outage: the endpoint shows as down, and the latest plan is delivered once it is back", async () => {
    const other = await createTestOrg("sched-outage");
    const outage = await startReceiver();
    try {
      await setScheduleEndpoint(other.admin, { url: outage.url, ocppVersion: "1.6", secret: SECRET });
      const fixture = await createChargingSession(other.orgId);
      const start = Date.now();
      let clock = start;
      const now = () => new Date(clock);
      const sweep = () => deliverDueScheduleDeliveries({ now, organisationIds: [other.orgId] });
      outage.respondWith = 503;
      const queueAt = async (version: number) => {
        const planId = await insertPlan(other.orgId, fixture, version, halfHourSlots("2026-03-01T23:00:00Z", [7.4, version]));
        const queued = await getDb().transaction((tx) => queueScheduleDelivery({ ...other.admin, db: tx }, planId));
        if (!queued) throw new Error("expected a delivery");
        await getDb().update(scheduleDeliveries).set({ createdAt: now(), nextAttemptAt: now() }).where(eq(scheduleDeliveries.id, queued.deliveryId));
        return queued.deliveryId;
      };
      const v1 = await queueAt(1);
      // Ten hours down, swept every five minutes; a re-plan arrives after two hours.
      let v2 = "";
      for (let minute = 0; minute <= 600; minute += 5) {
        clock = start + minute * 60_000;
        if (minute === 120) v2 = await queueAt(2);
        await sweep();
      }
      const down = await getScheduleEndpoint(other.admin);
      expect(down?.failingSince).toBe(new Date(start).toISOString());
      expect(down?.lastFailure).toBe("HTTP 503");
      const during = await getDb().select().from(scheduleDeliveries).where(inArray(scheduleDeliveries.id, [v1, v2]));
      expect(during.find((d) => d.id === v1)?.status).toBe("superseded");
      expect(during.find((d) => d.id === v2)).toMatchObject({ status: "pending" });
      expect(during.find((d) => d.id === v2)?.attempts).toBeGreaterThan(10);

      outage.respondWith = 200;
      for (let minute = 605; minute <= 620; minute += 5) {
        clock = start + minute * 60_000;
        await sweep();
      }
      const accepted = outage.received.filter((r) => r.status === 200);
      expect(accepted.map((r) => r.headers["x-flexfleet-plan-version"])).toEqual(["2"]);
      const [delivered] = await getDb().select().from(scheduleDeliveries).where(eq(scheduleDeliveries.id, v2));
      expect(delivered?.status).toBe("delivered");
      expect(await getScheduleEndpoint(other.admin)).toMatchObject({ failingSince: null, lastFailure: null });
    } finally {
      await outage.stop();
    }
  }, 120_000);

  it("stores a plan that cannot become a valid OCPP body as failed with the reason, and never sends it", async () => {
    const fixture = await createChargingSession(org.orgId);
    const id = await queue(await insertPlan(org.orgId, fixture, 1, []));
    const [row] = await getDb().select().from(scheduleDeliveries).where(eq(scheduleDeliveries.id, id));
    expect(row).toMatchObject({ status: "failed", lastError: "the plan has no slots to deliver" });
    await deliverDueScheduleDeliveries({ organisationIds: [org.orgId] });
    expect(receiver.received.some((r) => r.headers["x-flexfleet-session-id"] === fixture.sessionId)).toBe(false);
  });

  it("pushes the OCPP 2.0.1 shape when the organisation asks for it", async () => {
    const other = await createTestOrg("sched-201");
    await setScheduleEndpoint(other.admin, { url: receiver.url, ocppVersion: "2.0.1", secret: SECRET });
    const fixture = await createChargingSession(other.orgId, { transactionId: 5 });
    const planId = await insertPlan(other.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4, 2]));
    const queued = await queueScheduleDelivery(other.admin, planId);
    if (!queued) throw new Error("expected a delivery");
    expect(await deliverScheduleDelivery(queued.deliveryId)).toBe("delivered");
    const request = receiver.received.find((r) => r.headers["x-flexfleet-delivery-id"] === queued.deliveryId);
    const body: unknown = JSON.parse(request?.rawBody ?? "null");
    expect(validateOcppPayload("2.0.1", "SetChargingProfile", body)).toEqual({ ok: true });
    expect(body).toMatchObject({ evseId: 1, chargingProfile: { transactionId: "5", chargingSchedule: [{ chargingRateUnit: "W" }] } });
  });

  it("returns null and queues nothing when the organisation has no enabled endpoint", async () => {
    const other = await createTestOrg("sched-none");
    const fixture = await createChargingSession(other.orgId);
    const planId = await insertPlan(other.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4]));
    expect(await queueScheduleDelivery(other.admin, planId)).toBeNull();
    expect(await getDb().select().from(scheduleDeliveries).where(eq(scheduleDeliveries.sessionId, fixture.sessionId))).toHaveLength(0);
  });

  it("the dispatcher sends a committed plan within moments and never one whose transaction rolled back", async () => {
    const dispatcher = await startScheduleDeliveryDispatcher({ sweepIntervalMs: 60_000, organisationIds: [org.orgId] });
    try {
      const fixture = await createChargingSession(org.orgId);
      const planId = await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4]));
      const rolledBack = await createChargingSession(org.orgId);
      const rolledBackPlan = await insertPlan(org.orgId, rolledBack, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4]));
      await getDb()
        .transaction(async (tx) => {
          await queueScheduleDelivery({ ...org.admin, db: tx }, rolledBackPlan);
          throw new Error("roll back");
        })
        .catch(() => undefined);
      const received = new Promise<number>((resolve) => {
        receiver.onRequest = (request) => {
          if (request.headers["x-flexfleet-session-id"] === fixture.sessionId) resolve(request.receivedAt);
        };
      });
      const queuedAt = performance.now();
      await queue(planId);
      const latencyMs = (await Promise.race([received, new Promise<number>((_, reject) => setTimeout(() => reject(new Error("not received in 3 s")), 3000))])) - queuedAt;
      expect(latencyMs).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.received.some((r) => r.headers["x-flexfleet-session-id"] === rolledBack.sessionId)).toBe(false);
      expect(await getDb().select().from(scheduleDeliveries).where(eq(scheduleDeliveries.sessionId, rolledBack.sessionId))).toHaveLength(0);
    } finally {
      receiver.onRequest = undefined;
      await dispatcher.stop();
    }
  });
});

describe("secrets and organisations", () => {
  it("never puts the signing secret in responses, attempt rows or logs", async () => {
    const deliveries = await listScheduleDeliveries(org.admin, { limit: 200 });
    expect(deliveries.length).toBeGreaterThan(3);
    expect(JSON.stringify(deliveries)).not.toContain(SECRET);
    const attempts = await getDb().select().from(scheduleDeliveryAttempts).where(eq(scheduleDeliveryAttempts.organisationId, org.orgId));
    expect(attempts.length).toBeGreaterThan(3);
    expect(JSON.stringify(attempts)).not.toContain(SECRET);
    const rows = await getDb().select().from(scheduleDeliveries).where(eq(scheduleDeliveries.organisationId, org.orgId));
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    expect(captured.length).toBeGreaterThan(0);
    expect(captured.join("\n")).not.toContain(SECRET);
  });

  it("another organisation sees nothing of this one and cannot queue or stop its deliveries", async () => {
    const other = await createTestOrg("sched-other");
    expect(await getScheduleEndpoint(other.admin)).toBeNull();
    expect(await listScheduleDeliveries(other.admin)).toEqual([]);
    const fixture = await createChargingSession(org.orgId);
    const planId = await insertPlan(org.orgId, fixture, 1, halfHourSlots("2026-03-01T23:00:00Z", [7.4]));
    await expect(queueScheduleDelivery(other.admin, planId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const id = await queue(planId);
    const viewer = createServiceContext(other.orgId, { type: "system", label: "test" });
    expect(await stopSessionDeliveries(viewer, fixture.sessionId)).toBe(0);
    expect(await statusOf(id)).toBe("pending");
    await expect(sendTestScheduleDelivery(other.admin)).rejects.toMatchObject({ code: "PRECONDITION" });
    await getDb().update(scheduleDeliveries).set({ status: "cancelled" }).where(inArray(scheduleDeliveries.id, [id]));
  });
});

describe("the scheduleEndpoints tRPC router", () => {
  it("lets a viewer read but not change the endpoint, refuses a bad URL with BAD_REQUEST, and never answers the secret", async () => {
    const viewer = await org.addOperator("viewer");
    const viewerCaller = createCaller({ operator: null, service: viewer.ctx });
    const view = await viewerCaller.scheduleEndpoints.get();
    expect(view?.secretLastFour).toBe(SECRET.slice(-4));
    expect(JSON.stringify(view)).not.toContain(SECRET);
    await expect(viewerCaller.scheduleEndpoints.set({ url: receiver.url, ocppVersion: "1.6" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewerCaller.scheduleEndpoints.sendTest()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const recent = await viewerCaller.scheduleEndpoints.recentDeliveries({ limit: 5 });
    expect(recent.length).toBeGreaterThan(0);
    const adminCaller = createCaller({ operator: null, service: org.admin });
    await expect(adminCaller.scheduleEndpoints.set({ url: "not a url", ocppVersion: "1.6" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const updated = await adminCaller.scheduleEndpoints.set({ url: receiver.url, ocppVersion: "1.6", enabled: true });
    expect(updated.secretLastFour).toBe(SECRET.slice(-4));
  });
});
