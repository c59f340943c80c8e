import { describe, expect, it } from "vitest";
import { getConfig } from "@/server/config";
import { listBatteries } from "@/server/services/batteries/batteries";
import { createTestOrg } from "@/test/fixtures";
import { listApiClients } from "@/server/services/api-clients/api-clients";
import { siteEnrolments } from "@/server/services/enrolment/enrolment";
import { listAssets } from "@/server/services/inventory/assets";
import { listPriceCurves } from "@/server/services/market-prices/market-prices";
import { getScheduleEndpoint } from "@/server/services/schedule-delivery/schedule-endpoints";
import { deliverSchedulesJob } from "@/server/jobs/handlers/deliver-schedules";
import { stopScheduleDeliveryDispatcher } from "@/server/services/schedule-delivery/send-schedule-delivery";
import { startPlatformHttpServer } from "@/test/flows/platform-http";
import { DEMO_CHARGER_COUNT, DEMO_CHARGERS_PLUGGED_AT_START, DEMO_FLEET, demoChargerExternalId, startDemoWorld } from "./demo-world";

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

  it("plugs the first chargers in at start and they receive schedule profiles from the platform end to end", async () => {
    const org = await createTestOrg("demo-world-live");
    const api = await startPlatformHttpServer();
    const config = { ...getConfig(), appUrl: api.baseUrl.replace(/\/api\/v1$/, ""), simulator: { port: 0, url: "http://127.0.0.1:0" } };
    await deliverSchedulesJob.handler({}, { id: "demo-world-test", retryCount: 0 });
    const world = await startDemoWorld(config, org.orgId, () => undefined);
    try {
      const deadline = Date.now() + 20_000;
      // The other chargers follow the daily pattern, so in the evening they may be plugged in too.
      const firstChargers = Array.from({ length: DEMO_CHARGERS_PLUGGED_AT_START }, (_, i) => demoChargerExternalId(i));
      let applied: string[] = [];
      while (Date.now() < deadline && !firstChargers.every((id) => applied.includes(id))) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const listed = (await (await fetch(`${world?.url ?? ""}/charger-platform/_sim/profiles`)).json()) as { profiles: Array<{ chargerId: string | null; outcome: string }> };
        applied = [...new Set(listed.profiles.filter((p) => p.outcome === "applied").flatMap((p) => (p.chargerId ? [p.chargerId] : [])))];
      }
      expect(applied).toEqual(expect.arrayContaining(firstChargers));
      expect(api.contractViolations).toEqual([]);
    } finally {
      await world?.stop();
      await stopScheduleDeliveryDispatcher();
      await api.stop();
    }
  }, 90_000);
});
