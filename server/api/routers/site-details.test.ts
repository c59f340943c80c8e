import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { randomMpan } from "@/server/api/rest/test-support";
import { createLocation } from "@/server/services/energy-coordination/inventory";
import { addMeter, createCustomer } from "@/server/services/inventory/customers";
import { createSite } from "@/server/services/inventory/sites";
import { createTestOrg } from "@/test/fixtures";

describe("siteDetails tRPC router", () => {
  it("lists a site's household meters: those at the site and those at no site yet, not those at the household's other site", async () => {
    const org = await createTestOrg("site-details-meters");
    const email = () => `h-${randomUUID().slice(0, 8)}@example.test`;
    const here = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", email: email() });
    const elsewhere = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", email: email() });
    const alone = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", email: email() });
    // The household takes both sites through its location, and registers a meter at each and one not yet at a site.
    const household = `household-${randomUUID().slice(0, 8)}`;
    await createCustomer(org.admin, { externalUserId: household });
    await createLocation(org.admin, household, { locationId: `home-${household}`, meterPointIds: [here.mpan, elsewhere.mpan] });
    for (const meterPointId of [here.mpan, elsewhere.mpan, "not-an-mpan-yet"]) await addMeter(org.admin, household, { meterPointId, street: "1 High Street" });

    const admin = createCaller({ operator: null, service: org.admin });
    expect((await admin.siteDetails.meters({ siteId: here.id })).map((m) => m.meterPointId).sort()).toEqual([here.mpan, "not-an-mpan-yet"].sort());
    expect(await admin.siteDetails.meters({ siteId: alone.id })).toEqual([]);
    await expect(admin.siteDetails.meters({ siteId: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Another organisation sees none of them.
    const other = await createTestOrg("site-details-meters-other");
    await expect(createCaller({ operator: null, service: other.admin }).siteDetails.meters({ siteId: here.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("adding an asset by hand on the site page", () => {
  it("adds a battery with its model, OEM, device id, power and capacity, audited, and the site becomes eligible", async () => {
    const org = await createTestOrg("add-asset");
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", isHalfHourlySettled: true, gaveBoundaryMeterConsentAt: new Date() });
    const admin = createCaller({ operator: null, service: org.admin });
    const asset = await admin.siteDetails.addAsset({ siteId: site.id, type: "battery", assetModel: "GIV-HY5.0", oem: "givenergy", oemDeviceId: "CE 2145/G009", powerKw: 5, capacityKwh: 9.5 });
    expect(asset).toMatchObject({ externalId: "givenergy-ce-2145-g009", type: "battery", oem: "givenergy", oemDeviceId: "CE 2145/G009", assetModel: "GIV-HY5.0", properties: { power_kw: 5, capacity_kwh: 9.5 } });
    expect((await admin.sites.get({ siteId: site.id })).assets.map((a) => a.id)).toEqual([asset.id]);
    const audit = (await admin.audit.list({ search: asset.id })).items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "asset.created", details: { externalId: "givenergy-ce-2145-g009", siteId: site.id } });
    // Eligibility is worked out again at once: Grid Event Mode needs only OEM access and power on top of the site's consent.
    expect((await admin.sites.eligibility({ siteId: site.id })).assets[0]?.propositions.vpp_limited_control.issues).not.toContain("asset_power_not_set");
  });

  it("keeps the operator's own asset id, and names the field when the id or a number is wrong", async () => {
    const org = await createTestOrg("add-asset-errors");
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const admin = createCaller({ operator: null, service: org.admin });
    await admin.siteDetails.addAsset({ siteId: site.id, type: "charger", externalId: "zappi-hall", powerKw: 7.4 });
    const duplicate = await admin.siteDetails.addAsset({ siteId: site.id, type: "charger", externalId: "zappi-hall" }).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("zappi-hall") as unknown });
    await expect(admin.siteDetails.addAsset({ siteId: site.id, type: "battery", powerKw: -3 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("above 0 kW") as unknown });
    await expect(admin.siteDetails.addAsset({ siteId: site.id, type: "battery", oem: "tesla" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Nothing half-written: one asset, the first.
    expect((await admin.sites.get({ siteId: site.id })).assets.map((a) => a.externalId)).toEqual(["zappi-hall"]);
  });

  it("is refused to viewers and to another organisation", async () => {
    const org = await createTestOrg("add-asset-permissions");
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const viewer = await org.addOperator("viewer");
    await expect(createCaller({ operator: null, service: viewer.ctx }).siteDetails.addAsset({ siteId: site.id, type: "battery" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = await createTestOrg("add-asset-other");
    await expect(createCaller({ operator: null, service: other.admin }).siteDetails.addAsset({ siteId: site.id, type: "battery" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await createCaller({ operator: null, service: org.admin }).sites.get({ siteId: site.id })).assets).toEqual([]);
  });
});
