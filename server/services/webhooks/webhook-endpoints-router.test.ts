import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createTestOrg } from "@/test/fixtures";

describe("webhookEndpoints tRPC router", () => {
  it("lets an admin register (secret shown once), list and disable; viewers read only", async () => {
    const org = await createTestOrg("webhook-router");
    const admin = createCaller({ operator: null, service: org.admin });
    const created = await admin.webhookEndpoints.create({ url: "https://partner.example/hooks", eventTypes: ["user:vendor-action:updated"] });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.endpoint).toMatchObject({ url: "https://partner.example/hooks", eventTypes: ["user:vendor-action:updated"], disabledAt: null });
    const listed = await admin.webhookEndpoints.list();
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(await admin.webhookEndpoints.eventTypes()).toContain("user:vendor-action:updated");

    const viewer = await org.addOperator("viewer");
    const viewerCaller = createCaller({ operator: null, service: viewer.ctx });
    expect(await viewerCaller.webhookEndpoints.list()).toHaveLength(1);
    expect(await viewerCaller.webhookEndpoints.deliveries({})).toEqual([]);
    await expect(viewerCaller.webhookEndpoints.create({ url: "https://partner.example/x", eventTypes: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewerCaller.webhookEndpoints.disable({ endpointId: created.endpoint.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await admin.webhookEndpoints.disable({ endpointId: created.endpoint.id });
    expect((await admin.webhookEndpoints.list())[0]?.disabledAt).toBeInstanceOf(Date);
    await expect(admin.webhookEndpoints.disable({ endpointId: created.endpoint.id })).rejects.toMatchObject({ code: "CONFLICT" });

    // Enabled again by an admin only; deliveries then resume.
    await expect(viewerCaller.webhookEndpoints.enable({ endpointId: created.endpoint.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await admin.webhookEndpoints.enable({ endpointId: created.endpoint.id });
    expect((await admin.webhookEndpoints.list())[0]?.disabledAt).toBeNull();
    await expect(admin.webhookEndpoints.enable({ endpointId: created.endpoint.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses malformed input naming the field, and shows another organisation nothing", async () => {
    const org = await createTestOrg("webhook-router-bad");
    const other = await createTestOrg("webhook-router-other");
    const admin = createCaller({ operator: null, service: org.admin });
    await expect(admin.webhookEndpoints.create({ url: "https://partner.example", eventTypes: ["not.an.event" as "site.offboarded"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.webhookEndpoints.create({ url: "not a url", eventTypes: [] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/URL/) });
    await expect(admin.webhookEndpoints.disable({ endpointId: "nope" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { endpoint } = await admin.webhookEndpoints.create({ url: "https://partner.example/mine", eventTypes: [] });
    const otherCaller = createCaller({ operator: null, service: other.admin });
    expect(await otherCaller.webhookEndpoints.list()).toEqual([]);
    await expect(otherCaller.webhookEndpoints.disable({ endpointId: endpoint.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await otherCaller.webhookEndpoints.deliveries({ endpointId: endpoint.id })).toEqual([]);
  });
});
