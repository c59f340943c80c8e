import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import { verifySchedulePush } from "@/server/domain/signatures";
import { createTestOrg } from "@/test/fixtures";
import { enrolSite } from "../enrolment/enrolment";
import { initialiseSite } from "../inventory/initialise";
import { addWebhookEndpoint, deliverPendingWebhooks } from "./partner-webhooks";
import { listWebhookEndpoints } from "./webhook-endpoints";

describe("partner webhooks", () => {
  it("queues an enrolment event in the same transaction and delivers it signed, retrying after a failure", async () => {
    const org = await createTestOrg("webhooks");
    const endpoint = await addWebhookEndpoint(org.admin, { url: "https://partner.example/hooks", secret: "whsec-test", eventTypes: ["enrolment.enrolled"] });
    const { site } = await initialiseSite(org.admin, {
      site: { mpan: "1234567890126", postcode: "SW1A 1AA", isHalfHourlySettled: true, gaveBoundaryMeterConsentAt: new Date() },
      assets: [{ externalId: "webhook-battery", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
    });
    await enrolSite(org.admin, { siteId: site.siteId, proposition: "vpp_limited_control" });
    const [queued] = await org.admin.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(queued).toMatchObject({ eventType: "enrolment.enrolled", status: "pending", attempts: 0 });
    if (!queued) throw new Error("no delivery queued");

    const calls: { body: string; headers: Record<string, string> }[] = [];
    let fail = true;
    const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
      calls.push({ body: String(init?.body), headers: init?.headers as Record<string, string> });
      return new Response(null, { status: fail ? 503 : 204 });
    }) as typeof fetch;

    const mine = async (now: Date) => {
      await deliverPendingWebhooks({ now, fetchImpl, orgId: org.orgId });
      const [row] = await org.admin.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, queued.id));
      return row;
    };
    expect(await mine(new Date(queued.createdAt.getTime() + 1000))).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 503" });
    // Not due again until the backoff has passed.
    const before = calls.length;
    await mine(new Date(queued.createdAt.getTime() + 5000));
    expect(calls.filter((call) => call.body.includes(site.siteId))).toHaveLength(1);
    fail = false;
    const at = new Date(queued.createdAt.getTime() + 20_000);
    expect(await mine(at)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(calls.length).toBeGreaterThan(before);
    const delivered = calls.filter((call) => call.body.includes(site.siteId)).at(-1);
    expect(JSON.parse(delivered?.body ?? "{}")).toMatchObject({ type: "enrolment.enrolled", data: { site_id: site.siteId, proposition: "vpp_limited_control" } });
    expect(
      verifySchedulePush({
        secret: "whsec-test",
        rawBody: delivered?.body ?? "",
        timestampHeader: delivered?.headers["X-Flexfleet-Timestamp"],
        signatureHeader: delivered?.headers["X-Flexfleet-Signature"],
        now: at,
      }),
    ).toEqual({ ok: true });
  });

  it("outlasts a day-long outage: retries with backoff, marks the endpoint failing, delivers once it is back, and gives up only after 26 hours", async () => {
    const org = await createTestOrg("webhooks-outage");
    const endpoint = await addWebhookEndpoint(org.admin, { url: "https://partner.example/down", secret: "whsec-outage" });
    const start = new Date("2026-06-01T00:00:00Z");
    const queue = async (eventType: string, createdAt: Date) => {
      const [row] = await org.admin.db.insert(webhookDeliveries).values({ organisationId: org.orgId, endpointId: endpoint.id, eventType, payload: { type: eventType }, createdAt }).returning();
      if (!row) throw new Error("no row");
      return row.id;
    };
    const kept = await queue("enrolment.enrolled", start);
    let up = false;
    const attemptsSeen: Date[] = [];
    let clock = start;
    const fetchImpl = (async () => {
      attemptsSeen.push(clock);
      return new Response(null, { status: up ? 204 : 503 });
    }) as typeof fetch;
    const sweep = async (at: Date) => {
      clock = at;
      await deliverPendingWebhooks({ now: at, fetchImpl, orgId: org.orgId });
    };
    // 20 hours down, swept every ten minutes.
    for (let minute = 0; minute <= 20 * 60; minute += 10) await sweep(new Date(start.getTime() + minute * 60_000));
    const [during] = await org.admin.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, kept));
    expect(during).toMatchObject({ status: "pending", lastError: "HTTP 503" });
    // Backoff: far fewer attempts than sweeps, at most an hour apart once it has grown.
    expect(attemptsSeen.length).toBeLessThan(40);
    expect(attemptsSeen.length).toBeGreaterThan(15);
    const [down] = (await listWebhookEndpoints(org.admin)).filter((e) => e.id === endpoint.id);
    expect(down).toMatchObject({ failingSince: start, lastFailure: "HTTP 503" });

    up = true;
    for (let minute = 20 * 60 + 10; minute <= 21 * 60 + 10; minute += 10) await sweep(new Date(start.getTime() + minute * 60_000));
    const [after] = await org.admin.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, kept));
    expect(after?.status).toBe("delivered");
    expect((await listWebhookEndpoints(org.admin)).find((e) => e.id === endpoint.id)).toMatchObject({ failingSince: null, lastFailure: null });

    // An endpoint that stays down: failed only after 26 hours, with the reason, never silently dropped.
    up = false;
    const lost = await queue("enrolment.enrolled", new Date(start.getTime() + 22 * 3_600_000));
    for (let minute = 22 * 60; minute <= 49 * 60; minute += 30) await sweep(new Date(start.getTime() + minute * 60_000));
    const [gaveUp] = await org.admin.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, lost));
    expect(gaveUp?.status).toBe("failed");
    expect(gaveUp?.lastError).toMatch(/gave up after \d+ attempts over 26 hours/);
    expect((await listWebhookEndpoints(org.admin)).find((e) => e.id === endpoint.id)?.failingSince).toEqual(new Date(start.getTime() + 22 * 3_600_000));
  }, 120_000);
});
