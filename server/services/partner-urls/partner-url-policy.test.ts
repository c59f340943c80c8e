import { describe, expect, it } from "vitest";
import { getScheduleEndpoint, sendTestScheduleDelivery, setScheduleEndpoint } from "@/server/services/schedule-delivery/schedule-endpoints";
import { startReceiver } from "@/server/services/schedule-delivery/test-support";
import { createWebhookEndpoint } from "@/server/services/webhooks/webhook-endpoints";
import { createTestOrg } from "@/test/fixtures";
import { checkPartnerUrl, isInternalAddress, setPrivatePartnerUrlsAllowed } from "./partner-url-policy";

const publicDns = async () => ["93.184.216.34"];

describe("partner URL policy", () => {
  it("knows loopback, link-local, private and mapped addresses from public ones", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1"]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700::1111"]) expect(isInternalAddress(address), address).toBe(false);
  });

  it("wants https in production and public addresses, unless the organisation allows local partners", async () => {
    expect(await checkPartnerUrl("http://partner.example/hook", { allowPrivate: false, production: true, resolve: publicDns })).toEqual({ ok: false, reason: "it must use https" });
    expect(await checkPartnerUrl("https://partner.example/hook", { allowPrivate: false, production: true, resolve: publicDns })).toEqual({ ok: true });
    expect(await checkPartnerUrl("http://partner.example/hook", { allowPrivate: false, production: false, resolve: publicDns })).toEqual({ ok: true });
    // A public-looking name that resolves inside is refused too (the check is on addresses).
    expect((await checkPartnerUrl("https://sneaky.example/", { allowPrivate: false, production: true, resolve: async () => ["93.184.216.34", "127.0.0.1"] })).ok).toBe(false);
    expect((await checkPartnerUrl("https://[::1]:5432/", { allowPrivate: false, production: true })).ok).toBe(false);
    expect((await checkPartnerUrl("https://unknown.invalid/", { allowPrivate: false, production: true, unresolvable: "refuse", resolve: () => Promise.reject(new Error("ENOTFOUND")) })).ok).toBe(false);
    expect(await checkPartnerUrl("http://127.0.0.1:5432/", { allowPrivate: true, production: true })).toEqual({ ok: true });
  });

  it("refuses to register loopback endpoints, and never reports what answered there on Send test", async () => {
    const org = await createTestOrg("urls", { allowPrivatePartnerUrls: false });
    const receiver = await startReceiver();
    try {
      await expect(setScheduleEndpoint(org.admin, { url: receiver.url, ocppVersion: "1.6", secret: "a-secret-of-sixteen+" })).rejects.toMatchObject({
        code: "VALIDATION",
        issues: [{ path: ["url"], message: expect.stringMatching(/loopback, link-local or private/) }],
      });
      await expect(createWebhookEndpoint(org.admin, { url: "http://169.254.169.254/latest/meta-data", eventTypes: [] })).rejects.toMatchObject({ code: "VALIDATION" });

      // Allowed while the setting is on; switched off again, Send test refuses before any request.
      await setPrivatePartnerUrlsAllowed(org.admin, true);
      await setScheduleEndpoint(org.admin, { url: receiver.url, ocppVersion: "1.6", secret: "a-secret-of-sixteen+" });
      expect(await getScheduleEndpoint(org.admin)).toMatchObject({ url: receiver.url });
      await setPrivatePartnerUrlsAllowed(org.admin, false);
      const error = await sendTestScheduleDelivery(org.admin).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "PRECONDITION", message: expect.stringMatching(/Nothing was sent/) });
      expect(JSON.stringify(error)).not.toMatch(/HTTP \d{3}|Accepted|timed out/);
      expect(receiver.received).toHaveLength(0);
      const viewer = await org.addOperator("viewer");
      await expect(setPrivatePartnerUrlsAllowed(viewer.ctx, true)).rejects.toMatchObject({ code: "FORBIDDEN" });
    } finally {
      await receiver.stop();
    }
  });
});
