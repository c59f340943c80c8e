import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createTestOrg } from "@/test/fixtures";
import { initialiseSite } from "../inventory/initialise";
import { recordDispatchConsent } from "./site-consents";

describe("consents overview and the consent router", () => {
  it("counts enrolments and current consents, lists withdrawals, and refuses viewers' changes", async () => {
    const org = await createTestOrg("consents-overview");
    const { site } = await initialiseSite(org.admin, {
      site: { mpan: "1234567890126", postcode: "SW1A 1AA", isHalfHourlySettled: true, gaveBoundaryMeterConsentAt: new Date() },
      assets: [{ externalId: "overview-battery", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
    });
    const admin = createCaller({ operator: null, service: org.admin });
    expect(await admin.consent.enrol({ siteId: site.siteId, proposition: "full_asset_control" })).toEqual({ status: "enrolled" });
    await recordDispatchConsent(org.admin, { siteId: site.siteId, methods: ["full_asset_control", "limited_pause"], action: "granted" });
    await recordDispatchConsent(org.admin, { siteId: site.siteId, methods: ["limited_pause"], action: "withdrawn" });

    const overview = await admin.consent.overview();
    expect(overview.enrolmentCounts).toEqual([{ proposition: "full_asset_control", state: "enrolled", count: 1 }]);
    expect(overview.consentCounts).toEqual([{ kind: "full_asset_control", granted: 1 }]);
    expect(overview.recentWithdrawals).toEqual([expect.objectContaining({ kind: "limited_pause", mpan: "1234567890126", channel: "operator" })]);
    expect((await admin.consent.enrolments({ siteId: site.siteId })).find((row) => row.proposition === "full_asset_control")).toMatchObject({ state: "enrolled", dispatchConsent: true });
    const link = await admin.consent.createLink({ siteId: site.siteId });
    expect(link.url).toMatch(/\/consent\/[\w-]+\.[\w-]+$/);

    const viewer = await org.addOperator("viewer");
    const asViewer = createCaller({ operator: null, service: viewer.ctx });
    expect(await asViewer.consent.timeline({ siteId: site.siteId })).toHaveLength(3);
    await expect(asViewer.consent.offboard({ siteId: site.siteId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.consent.unenrol({ siteId: site.siteId, proposition: "full_asset_control" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
