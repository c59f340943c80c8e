import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import { verifySchedulePush } from "@/server/domain/signatures";
import { createTestOrg } from "@/test/fixtures";
import { enrolSite } from "../enrolment/enrolment";
import { initialiseSite } from "../inventory/initialise";
import { addWebhookEndpoint, deliverPendingWebhooks } from "./partner-webhooks";

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
      await deliverPendingWebhooks({ now, fetchImpl });
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
});
