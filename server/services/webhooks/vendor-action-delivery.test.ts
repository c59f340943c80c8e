import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, batteryWebhookEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { verifyBatteryControlWebhook } from "@/server/domain/signatures";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { createOperationModeAction, type ActionDeps } from "../actions/actions";
import { createSimulatedBattery, simulatorGateway } from "../batteries/test-support";
import { deliverPendingWebhooks, dispatchBatteryWebhookEvents } from "./partner-webhooks";
import { createWebhookEndpoint, disableWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints } from "./webhook-endpoints";

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A local partner receiver; `failures` answers 503 that many times before accepting. */
async function startReceiver(failures = 0): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  let remaining = failures;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      if (remaining > 0) {
        remaining -= 1;
        res.writeHead(503).end();
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

let sim: SimulatorHandle;
let org: TestOrg;
const servers: Server[] = [];
beforeAll(async () => {
  sim = await startSimulator({ port: 0, modeChangeDelayMs: 150, seed: 55 });
});
// Each test its own organisation: endpoints and pending deliveries of one must not leak into the next.
beforeEach(async () => {
  org = await createTestOrg("vendor-action-webhooks");
});
afterAll(async () => {
  await sim.stop();
  for (const server of servers) server.close();
});

const noSchedule: ActionDeps["scheduleDrive"] = async () => {};

describe("user:vendor-action:updated delivery", () => {
  it("delivers action updates as a signed JSON array to the registered endpoint and marks the outbox delivered", async () => {
    const receiver = await startReceiver();
    servers.push(receiver.server);
    const { endpoint, secret } = await createWebhookEndpoint(org.admin, { url: receiver.url, eventTypes: ["user:vendor-action:updated"] });
    expect(secret).toMatch(/^whsec_/);
    const [stored] = await org.admin.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(stored?.secret).not.toContain(secret);

    const gateway = simulatorGateway(sim);
    const { assetId } = await createSimulatedBattery(org.admin, sim, gateway, { oem: "givenergy" });
    const deps: ActionDeps = { gateway, scheduleDrive: noSchedule };
    const first = await createOperationModeAction(org.admin, { assetId, operationMode: "EXPORT_FOCUS" }, deps);
    const second = await createOperationModeAction(org.admin, { assetId, operationMode: "IMPORT_FOCUS" }, deps);

    const dispatched = await dispatchBatteryWebhookEvents({ orgId: org.orgId });
    expect(dispatched).toEqual({ events: 3, batches: 1 });
    const undelivered = await org.admin.db
      .select()
      .from(batteryWebhookEvents)
      .where(and(eq(batteryWebhookEvents.organisationId, org.orgId), isNull(batteryWebhookEvents.deliveredAt)));
    expect(undelivered).toHaveLength(0);

    expect(await deliverPendingWebhooks({ orgId: org.orgId })).toMatchObject({ delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    const [post] = receiver.received;
    if (!post) throw new Error("nothing received");
    expect(verifyBatteryControlWebhook(secret, post.body, String(post.headers["x-enode-signature"]))).toBe(true);
    expect(verifyBatteryControlWebhook("another-secret", post.body, String(post.headers["x-enode-signature"]))).toBe(false);
    const events = JSON.parse(post.body) as { event: string; pendingAction: { id: string; state: string } }[];
    expect(events.map((e) => [e.event, e.pendingAction.id, e.pendingAction.state])).toEqual([
      ["user:vendor-action:updated", first.id, "PENDING"],
      ["user:vendor-action:updated", first.id, "CANCELLED"],
      ["user:vendor-action:updated", second.id, "PENDING"],
    ]);
    const deliveries = await listWebhookDeliveries(org.admin, { endpointId: endpoint.id });
    expect(deliveries).toEqual([expect.objectContaining({ eventType: "user:vendor-action:updated", eventCount: 3, status: "delivered", attempts: 1 })]);
    expect(deliveries[0]?.deliveredAt).toBeInstanceOf(Date);
    await disableWebhookEndpoint(org.admin, { endpointId: endpoint.id });
  });

  it("retries a failing receiver with backoff until it accepts, and splits more than 100 events into batches", async () => {
    const receiver = await startReceiver(1);
    servers.push(receiver.server);
    const { endpoint, secret } = await createWebhookEndpoint(org.admin, { url: receiver.url, eventTypes: [] });
    await org.admin.db.insert(batteryWebhookEvents).values(
      Array.from({ length: 150 }, (_, i) => ({ organisationId: org.orgId, event: "user:vendor-action:updated", payload: { event: "user:vendor-action:updated", sequence: i } })),
    );
    const now = new Date();
    expect(await dispatchBatteryWebhookEvents({ orgId: org.orgId, now })).toEqual({ events: 150, batches: 2 });

    // First run: one POST fails (503) and stays pending; the other is delivered.
    expect(await deliverPendingWebhooks({ orgId: org.orgId, now })).toEqual({ delivered: 1, failed: 0, retrying: 1 });
    // Before the backoff has passed nothing is sent again.
    expect(await deliverPendingWebhooks({ orgId: org.orgId, now: new Date(now.getTime() + 5_000) })).toEqual({ delivered: 0, failed: 0, retrying: 0 });
    expect(await deliverPendingWebhooks({ orgId: org.orgId, now: new Date(now.getTime() + 20_000) })).toEqual({ delivered: 1, failed: 0, retrying: 0 });

    expect(receiver.received).toHaveLength(3);
    // Two batches (100 + 50), one of which was sent twice.
    const sizes = receiver.received.map((r) => (JSON.parse(r.body) as unknown[]).length);
    expect([...new Set(sizes)].sort((a, b) => a - b)).toEqual([50, 100]);
    expect(receiver.received[2]?.body).toBe(receiver.received[0]?.body);
    for (const post of receiver.received) expect(verifyBatteryControlWebhook(secret, post.body, String(post.headers["x-enode-signature"]))).toBe(true);
    const deliveries = await listWebhookDeliveries(org.admin, { endpointId: endpoint.id });
    expect(deliveries.map((d) => [d.status, d.attempts]).sort()).toEqual([
      ["delivered", 1],
      ["delivered", 2],
    ]);
    const [summary] = (await listWebhookEndpoints(org.admin)).filter((e) => e.id === endpoint.id);
    expect(summary).toMatchObject({ pendingDeliveries: 0, failedDeliveries: 0 });
    expect(summary?.lastDeliveredAt).toBeInstanceOf(Date);
  });
});

describe("webhook endpoint registration", () => {
  it("is admin-only for writes, validates input, audits, and stops delivering once disabled", async () => {
    const viewer = await org.addOperator("viewer");
    const operator = await org.addOperator("operator");
    await expect(createWebhookEndpoint(viewer.ctx, { url: "https://partner.example/hooks", eventTypes: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createWebhookEndpoint(operator.ctx, { url: "https://partner.example/hooks", eventTypes: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createWebhookEndpoint(org.admin, { url: "ftp://partner.example", eventTypes: [] })).rejects.toMatchObject({ code: "VALIDATION", issues: [expect.objectContaining({ path: ["url"] })] });
    await expect(createWebhookEndpoint(org.admin, { url: "https://partner.example", eventTypes: ["nope"] })).rejects.toMatchObject({ code: "VALIDATION", issues: [expect.objectContaining({ path: ["eventTypes"] })] });

    const { endpoint } = await createWebhookEndpoint(org.admin, { url: "https://partner.example/hooks?token=abc", eventTypes: ["site.offboarded"] });
    expect((await listWebhookEndpoints(viewer.ctx)).map((e) => e.id)).toContain(endpoint.id);
    await expect(disableWebhookEndpoint(viewer.ctx, { endpointId: endpoint.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await disableWebhookEndpoint(org.admin, { endpointId: endpoint.id });
    await expect(disableWebhookEndpoint(org.admin, { endpointId: endpoint.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const audit = await org.admin.db.select().from(auditEvents).where(and(eq(auditEvents.organisationId, org.orgId), eq(auditEvents.targetId, endpoint.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["webhook_endpoint.created", "webhook_endpoint.disabled"]);
    expect(JSON.stringify(audit)).not.toContain("token=abc");

    // Pending rows of a disabled endpoint are not sent.
    await org.admin.db.insert(webhookDeliveries).values({ organisationId: org.orgId, endpointId: endpoint.id, eventType: "site.offboarded", payload: { type: "site.offboarded" } });
    let calls = 0;
    const fetchImpl = (async () => {
      calls += 1;
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    await deliverPendingWebhooks({ orgId: org.orgId, fetchImpl });
    expect(calls).toBe(0);
  });

  it("shows another organisation none of this organisation's endpoints or deliveries", async () => {
    const other = await createTestOrg("vendor-action-webhooks-other");
    const { endpoint } = await createWebhookEndpoint(org.admin, { url: "https://partner.example/private", eventTypes: [] });
    expect(await listWebhookEndpoints(other.admin)).toEqual([]);
    expect(await listWebhookDeliveries(other.admin)).toEqual([]);
    await expect(disableWebhookEndpoint(other.admin, { endpointId: endpoint.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await dispatchBatteryWebhookEvents({ orgId: other.orgId })).toEqual({ events: 0, batches: 0 });
  });
});
