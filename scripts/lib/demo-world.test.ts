import { describe, expect, it } from "vitest";
import { getConfig } from "@/server/config";
import { listBatteries } from "@/server/services/batteries/batteries";
import { createTestOrg } from "@/test/fixtures";
import { DEMO_FLEET, startDemoWorld } from "./demo-world";

describe("the demo world", () => {
  it("seeds one site per demo battery with dispatch consent and credentials (but one), idempotently", async () => {
    const org = await createTestOrg("demo-world");
    const config = { ...getConfig(), simulator: { port: 0, url: "http://127.0.0.1:0" } };
    const lines: string[] = [];
    const world = await startDemoWorld(config, org.orgId, (l) => lines.push(l));
    await world?.stop();
    const again = await startDemoWorld(config, org.orgId, (l) => lines.push(l));
    await again?.stop();
    const batteries = await listBatteries(org.admin);
    expect(batteries).toHaveLength(DEMO_FLEET.count);
    expect(batteries.filter((b) => b.credentialStatus === "valid")).toHaveLength(DEMO_FLEET.count - 1);
    expect(batteries.filter((b) => b.socPct !== null).length).toBeGreaterThan(DEMO_FLEET.count / 2);
    expect(lines.filter((l) => l.startsWith("seeded"))).toHaveLength(1);
  }, 60_000);
});
