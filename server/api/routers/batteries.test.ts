import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { randomMpan } from "@/server/api/rest/test-support";
import { readBatteryNow } from "@/server/services/batteries/batteries";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { createTestOrg, type TestOrg } from "@/test/fixtures";

async function addBattery(org: TestOrg, externalId: string) {
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", email: `h-${randomUUID().slice(0, 8)}@example.test` });
  return createAsset(org.admin, { siteId: site.id, externalId, type: "battery", properties: { power_kw: 4, capacity_kwh: 10 } });
}

describe("batteries tRPC router", () => {
  it("totals the whole fleet while the table shows only what the filter keeps", async () => {
    const org = await createTestOrg("batteries-router-list");
    const tag = randomUUID().slice(0, 8);
    const kept = await addBattery(org, `kept-${tag}`);
    await addBattery(org, `other-${tag}`);
    const admin = createCaller({ operator: null, service: org.admin });

    const view = await admin.batteries.list({ search: `kept-${tag}` });
    expect(view.batteries.map((b) => b.assetId)).toEqual([kept.id]);
    expect(view.fleet).toMatchObject({ batteries: 2, online: 0, noCredential: 2 });
  });

  it("reads a battery now for operators only, refused in the service as well as the procedure", async () => {
    const org = await createTestOrg("batteries-router-read-now");
    const battery = await addBattery(org, `read-now-${randomUUID().slice(0, 8)}`);
    const viewer = await org.addOperator("viewer");
    const operator = await org.addOperator("operator");

    await expect(createCaller({ operator: null, service: viewer.ctx }).batteries.readNow({ assetId: battery.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(readBatteryNow(viewer.ctx, battery.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    // No OEM device id yet: the read is attempted and reported as failed, not thrown.
    expect(await createCaller({ operator: null, service: operator.ctx }).batteries.readNow({ assetId: battery.id })).toEqual({ ok: false });
    await expect(createCaller({ operator: null, service: operator.ctx }).batteries.readNow({ assetId: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
