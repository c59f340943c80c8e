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
