import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createTestOrg } from "@/test/fixtures";

describe("energyCoordination tRPC router", () => {
  it("lets an admin switch the partner sandbox on and off; a viewer reads it only; activity of an unknown site is not found", async () => {
    const org = await createTestOrg("ec-router");
    const admin = createCaller({ operator: null, service: org.admin });
    expect(await admin.energyCoordination.simulationEnabled()).toBe(false);
    await admin.energyCoordination.setSimulationEnabled({ enabled: true });
    expect(await admin.energyCoordination.simulationEnabled()).toBe(true);

    const viewer = await org.addOperator("viewer");
    const viewerCaller = createCaller({ operator: null, service: viewer.ctx });
    expect(await viewerCaller.energyCoordination.simulationEnabled()).toBe(true);
    await expect(viewerCaller.energyCoordination.setSimulationEnabled({ enabled: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await admin.energyCoordination.setSimulationEnabled({ enabled: false });
    expect(await viewerCaller.energyCoordination.simulationEnabled()).toBe(false);

    await expect(viewerCaller.energyCoordination.siteActivity({ siteId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await viewerCaller.energyCoordination.gridEventActivity({ eventId: "00000000-0000-4000-8000-000000000000" })).toEqual({ events: [], reports: [] });
  });
});
