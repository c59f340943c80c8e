import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createTestOrg } from "@/test/fixtures";
import { initialiseSite } from "./initialise";
import { listSites } from "./sites";

describe("sites search and filters", () => {
  it("finds sites by MPAN, postcode, address, email and asset external id, in any case and spacing", async () => {
    const org = await createTestOrg("search");
    await initialiseSite(org.admin, {
      site: { mpan: "1234567890126", postcode: "SW1A 1AA", streetAddress: "10 Downing Street", email: "pm@example.com", gaveBoundaryMeterConsentAt: new Date(), isHalfHourlySettled: true },
      assets: [{ externalId: "Battery-ABC-1", type: "battery", properties: { power_kw: 5, capacity_kwh: 10 }, oem: "givenergy" }],
    });
    await initialiseSite(org.admin, { site: { mpan: "2000000000008", postcode: "EH1 1YZ" }, assets: [{ externalId: "zappi-9", type: "charger" }] });
    const mpans = async (input: Parameters<typeof listSites>[1]) => (await listSites(org.admin, input)).items.map((site) => site.mpan);
    expect(await mpans({ search: "12 3456 7890" })).toEqual(["1234567890126"]);
    expect(await mpans({ search: "sw1a1aa" })).toEqual(["1234567890126"]);
    expect(await mpans({ search: "DOWNING" })).toEqual(["1234567890126"]);
    expect(await mpans({ search: "pm@example" })).toEqual(["1234567890126"]);
    expect(await mpans({ search: "abc-1" })).toEqual(["1234567890126"]);
    expect(await mpans({ search: "zappi" })).toEqual(["2000000000008"]);
    expect(await mpans({ search: "100%" })).toEqual([]);
    expect(await mpans({ assetType: "charger" })).toEqual(["2000000000008"]);
    expect(await mpans({ eligibility: "full_asset_control" })).toEqual(["1234567890126"]);
    expect(await mpans({ eligibility: "none" })).toEqual(["2000000000008"]);
    expect((await listSites(org.admin, { limit: 1, offset: 1 })).total).toBe(2);
  });

  it("is served by the tRPC sites router to operators, and viewers cannot create", async () => {
    const org = await createTestOrg("trpc-sites");
    const viewer = await org.addOperator("viewer");
    const admin = createCaller({ operator: null, service: org.admin });
    const created = await admin.sites.create({ mpan: "1234567890126", postcode: "sw1a 1aa" });
    await admin.sites.update({ siteId: created.id, streetAddress: "1 Main Street" });
    expect((await admin.sites.get({ siteId: created.id })).streetAddress).toBe("1 Main Street");
    const asViewer = createCaller({ operator: null, service: viewer.ctx });
    expect((await asViewer.sites.list({ search: "main" })).total).toBe(1);
    await expect(asViewer.sites.create({ mpan: "2000000000008", postcode: "EH1 1YZ" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
