import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { randomMpan } from "@/server/api/rest/test-support";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { registerChargePoint } from "@/server/services/ocpp/charge-points";
import { createTestOrg } from "@/test/fixtures";

describe("direct chargers tRPC router", () => {
  it("lets viewers see a charge point and only operators rotate its password, shown once", async () => {
    const org = await createTestOrg("direct-chargers-router");
    const tag = randomUUID().slice(0, 8);
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", email: `h-${tag}@example.test` });
    const asset = await createAsset(org.admin, { siteId: site.id, externalId: `direct-${tag}`, type: "charger", properties: { power_kw: 7.4 } });
    const cp = await registerChargePoint(org.admin, { assetId: asset.id, chargePointId: `cp-${tag}` });
    const viewer = createCaller({ operator: null, service: (await org.addOperator("viewer")).ctx });
    const operator = createCaller({ operator: null, service: (await org.addOperator("operator")).ctx });

    expect((await viewer.directChargers.list()).map((c) => c.chargePointId)).toEqual([`cp-${tag}`]);
    expect(await viewer.directChargers.get({ id: cp.id })).toMatchObject({ passwordSet: false, connectionState: "never_connected" });
    await expect(viewer.directChargers.setPassword({ id: cp.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const { password } = await operator.directChargers.setPassword({ id: cp.id });
    expect(password).toHaveLength(30);
    const after = await viewer.directChargers.get({ id: cp.id });
    expect(after.passwordSet).toBe(true);
    expect(JSON.stringify(after)).not.toContain(password);
    await expect(viewer.directChargers.get({ id: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(viewer.directChargers.messages({ id: cp.id, limit: 500 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
