import { describe, expect, it } from "vitest";
import { getConfig } from "@/server/config";
import { listBatteries } from "@/server/services/batteries/batteries";
import { createTestOrg } from "@/test/fixtures";
import { listApiClients } from "@/server/services/api-clients/api-clients";
import { siteEnrolments } from "@/server/services/enrolment/enrolment";
import { listAssets } from "@/server/services/inventory/assets";
import { listPriceCurves } from "@/server/services/market-prices/market-prices";
import { getScheduleEndpoint } from "@/server/services/schedule-delivery/schedule-endpoints";
import { DEMO_CHARGER_COUNT, DEMO_FLEET, demoChargerExternalId, startDemoWorld } from "./demo-world";

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
    expect(lines.filter((l) => l.startsWith("seeded") && l.includes("battery"))).toHaveLength(1);
  }, 60_000);

  it("seeds a dozen enrolled chargers, the partner's API client, the schedule endpoint and a price curve, idempotently", async () => {
    const org = await createTestOrg("demo-world-chargers");
    const config = { ...getConfig(), appUrl: "http://127.0.0.1:9", simulator: { port: 0, url: "http://127.0.0.1:0" } };
    const lines: string[] = [];
    const world = await startDemoWorld(config, org.orgId, (l) => lines.push(l));
    await world?.stop();
    const again = await startDemoWorld(config, org.orgId, (l) => lines.push(l));
    await again?.stop();
    expect(lines.filter((l) => l.includes("skipped"))).toEqual([]);
    expect(lines.filter((l) => l.startsWith("seeded") && l.includes("charger"))).toEqual([`seeded ${DEMO_CHARGER_COUNT} demo charger sites enrolled in Smart Charging`]);
    const chargers = (await listAssets(org.admin, { limit: 100, offset: 0 })).items.filter((a) => a.type === "charger");
    expect(chargers.map((c) => c.externalId).sort()).toEqual(Array.from({ length: DEMO_CHARGER_COUNT }, (_, i) => demoChargerExternalId(i)));
    const enrolments = await siteEnrolments(org.admin, { siteId: chargers[0]?.siteId ?? "" });
    expect(enrolments.find((e) => e.proposition === "full_asset_schedule_control")).toMatchObject({ state: "enrolled", dispatchConsent: true });
    const clients = (await listApiClients(org.admin)).filter((c) => c.name.startsWith("Demo charger platform"));
    expect(clients.filter((c) => c.revokedAt === null)).toHaveLength(1);
    expect(clients).toHaveLength(2);
    expect(await getScheduleEndpoint(org.admin)).toMatchObject({ ocppVersion: "1.6", enabled: true });
    expect((await listPriceCurves(org.admin)).length).toBeGreaterThanOrEqual(1);
    const other = await createTestOrg("demo-world-other");
    expect(await getScheduleEndpoint(other.admin)).toBeNull();
    expect((await listAssets(other.admin, { limit: 100, offset: 0 })).total).toBe(0);
  }, 90_000);
});
