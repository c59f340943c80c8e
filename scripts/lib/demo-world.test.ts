import { describe, expect, it } from "vitest";
import { getConfig } from "@/server/config";
import { listBatteries } from "@/server/services/batteries/batteries";
import { createTestOrg } from "@/test/fixtures";
import { listApiClients } from "@/server/services/api-clients/api-clients";
import { siteEnrolments } from "@/server/services/enrolment/enrolment";
import { listAssets } from "@/server/services/inventory/assets";
import { listPriceCurves } from "@/server/services/market-prices/market-prices";
import { getScheduleEndpoint } from "@/server/services/schedule-delivery/schedule-endpoints";
import { startScheduleDeliveryDispatcher } from "@/server/services/schedule-delivery/send-schedule-delivery";
import { startPlatformHttpServer } from "@/test/flows/platform-http";
import { getBatteryReadings } from "@/server/services/batteries/batteries";
import { getBatterySchedulePanel } from "@/server/services/battery-schedules/battery-schedules";
import { listGridEvents } from "@/server/services/grid-events";
import { listSites } from "@/server/services/inventory/sites";
import { getEventSettlementReport } from "@/server/services/rewards/settlement";
import { listChargePointCommands, listChargePoints } from "@/server/services/ocpp/charge-points";
import { startOcppGateway } from "@/server/ocpp-gateway/gateway";
import { eventually } from "@/server/ocpp-gateway/test-support";
import { DEMO_DIRECT_CHARGERS, demoChargePointId } from "./demo-direct-chargers";
import { PAST_EVENT_NAME, UPCOMING_EVENT_NAME } from "./demo-grid-events";
import { DEMO_CHARGER_COUNT, DEMO_CHARGERS_PLUGGED_AT_START, DEMO_FLEET, demoBatteryExternalId, demoBatteryProposition, demoChargerExternalId, startDemoWorld } from "./demo-world";

describe("the demo world", () => {
  it("seeds an eligible, consented, enrolled fleet and chargers with a week of history, a settled past event, a scheduled one and optimised schedules, idempotently", async () => {
    const org = await createTestOrg("demo-world");
    const config = { ...getConfig(), appUrl: "http://127.0.0.1:9", simulator: { port: 0, url: "http://127.0.0.1:0" } };
    const lines: string[] = [];
    const world = await startDemoWorld(config, org.orgId, (l) => lines.push(l));
    await world?.stop();
    const again = await startDemoWorld(config, org.orgId, (l) => lines.push(l));
    await again?.stop();
    expect(lines.filter((l) => l.includes("skipped") || l.includes("not enrolled"))).toEqual([]);

    const batteries = await listBatteries(org.admin);
    expect(batteries).toHaveLength(DEMO_FLEET.count);
    expect(batteries.filter((b) => b.credentialStatus === "valid")).toHaveLength(DEMO_FLEET.count - 1);
    // Every battery with a credential is online; the one without says so rather than going stale.
    expect(batteries.map((b) => b.connection).sort()).toEqual([...Array.from({ length: DEMO_FLEET.count - 1 }, () => "online"), "no_credential"].sort());
    expect(lines.filter((l) => l.startsWith("seeded") && l.includes("battery"))).toHaveLength(1);

    // Households at different addresses, every battery site consented and (with a credential) enrolled.
    const sites = await listSites(org.admin, { limit: 100 });
    expect(new Set(sites.items.map((s) => s.postcode)).size).toBeGreaterThan(30);
    const first = batteries[0];
    const enrolments = await siteEnrolments(org.admin, { siteId: first?.siteId ?? "" });
    expect(enrolments.find((e) => e.proposition === demoBatteryProposition(0))).toMatchObject({ state: "enrolled", dispatchConsent: true });

    // A week of history, continuous into the live reading.
    const now = new Date();
    const history = await getBatteryReadings(org.admin, { assetId: first?.assetId ?? "", from: new Date(now.getTime() - 8 * 86_400_000), to: now, maxPoints: 5000 });
    expect(history.length).toBeGreaterThan(6 * 288);
    expect(now.getTime() - (history[0]?.observedAt.getTime() ?? now.getTime())).toBeGreaterThan(6.9 * 86_400_000);

    // Yesterday's event settled with credits; today's committed; schedules planned.
    const events = (await listGridEvents(org.admin)).items;
    const past = events.find((e) => e.name === PAST_EVENT_NAME);
    expect(past?.status).toBe("settled");
    expect(events.filter((e) => e.name === PAST_EVENT_NAME)).toHaveLength(1);
    const upcoming = events.filter((e) => e.name === UPCOMING_EVENT_NAME);
    expect(upcoming.map((e) => e.status)).toEqual(["scheduled"]);
    const report = await getEventSettlementReport(org.admin, past?.id ?? "");
    expect(report.deliveredKwh).toBeGreaterThan(1);
    // How many households earned depends on the hour the demo was seeded at (its past event is
    // yesterday evening on the wall clock); that some did is what every hour must show.
    expect(report.sites.filter((s) => s.rewardPence > 0).length).toBeGreaterThan(0);
    const optimised = batteries.find((b) => b.externalId === demoBatteryExternalId(0));
    const panel = await getBatterySchedulePanel(org.admin, optimised?.assetId ?? "");
    expect(panel.schedules.length).toBeGreaterThanOrEqual(1);

    // A dozen chargers on Smart Charging and Flex Lite, the partner's client (a fresh one per start), its endpoint.
    expect(lines.filter((l) => l.startsWith("seeded") && l.includes("demo charger sites"))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith("seeded") && l.includes("demo charger sites"))).toMatch(new RegExp(`^seeded ${DEMO_CHARGER_COUNT} demo charger sites`));
    const chargers = (await listAssets(org.admin, { limit: 100, offset: 0 })).items.filter((a) => a.type === "charger");
    const directIds = DEMO_DIRECT_CHARGERS.map((c) => c.id);
    expect(chargers.map((c) => c.externalId).sort()).toEqual([...Array.from({ length: DEMO_CHARGER_COUNT }, (_, i) => demoChargerExternalId(i)), ...directIds].sort());
    // The direct chargers: seeded once, registered as charge points with a password (a new one per start).
    expect(lines.filter((l) => l.startsWith("seeded") && l.includes("direct chargers"))).toHaveLength(1);
    const chargePoints = await listChargePoints(org.admin);
    expect(chargePoints.map((c) => c.chargePointId).sort()).toEqual(directIds.map((id) => demoChargePointId(org.orgId, id)));
    expect(chargePoints.every((c) => c.passwordSet)).toBe(true);
    const smart = chargers.find((c) => c.externalId === demoChargerExternalId(0));
    expect((await siteEnrolments(org.admin, { siteId: smart?.siteId ?? "" })).find((e) => e.proposition === "full_asset_schedule_control")).toMatchObject({ state: "enrolled", dispatchConsent: true });
    const flexLite = chargers.find((c) => c.externalId === demoChargerExternalId(DEMO_CHARGER_COUNT - 1));
    expect((await siteEnrolments(org.admin, { siteId: flexLite?.siteId ?? "" })).find((e) => e.proposition === "limited_pause")).toMatchObject({ state: "enrolled", dispatchConsent: true });
    const clients = (await listApiClients(org.admin)).filter((c) => c.name.startsWith("Demo charger platform"));
    expect(clients.filter((c) => c.revokedAt === null)).toHaveLength(1);
    expect(clients).toHaveLength(2);
    expect(await getScheduleEndpoint(org.admin)).toMatchObject({ ocppVersion: "1.6", enabled: true });
    expect((await listPriceCurves(org.admin)).length).toBeGreaterThanOrEqual(1);
    const other = await createTestOrg("demo-world-other");
    expect(await getScheduleEndpoint(other.admin)).toBeNull();
    expect((await listAssets(other.admin, { limit: 100, offset: 0 })).total).toBe(0);
  }, 180_000);

  it("plugs the first chargers in at start and they receive schedule profiles from the platform end to end", async () => {
    const org = await createTestOrg("demo-world-live");
    const api = await startPlatformHttpServer();
    const config = { ...getConfig(), appUrl: api.baseUrl.replace(/\/api\/v1$/, ""), simulator: { port: 0, url: "http://127.0.0.1:0" } };
    // The worker's dispatcher, kept to this organisation so it never sends another test file's deliveries.
    const dispatcher = await startScheduleDeliveryDispatcher({ organisationIds: [org.orgId] });
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
      await dispatcher.stop();
      await api.stop();
    }
  }, 90_000);

  it("starts direct chargers of both OCPP versions that connect to the gateway, and the ones plugged in at start accept their plans", async () => {
    const org = await createTestOrg("demo-world-direct");
    const gateway = await startOcppGateway({ port: 0, host: "127.0.0.1", gatewayId: `demo-${org.slug}`, sweepIntervalMs: 500, heartbeatIntervalSeconds: 60 });
    const config = { ...getConfig(), appUrl: "http://127.0.0.1:9", simulator: { port: 0, url: "http://127.0.0.1:0" }, ocpp: { port: gateway.port, heartbeatIntervalSeconds: 60 } };
    const lines: string[] = [];
    const world = await startDemoWorld(config, org.orgId, (l) => lines.push(l));
    try {
      let last: unknown = null;
      const connected = await eventually(async () => {
        const list = await listChargePoints(org.admin);
        last = list.map((c) => [c.chargePointId, c.connectionState, c.firmwareVersion]);
        return list.length === DEMO_DIRECT_CHARGERS.length && list.every((c) => c.connectionState === "connected" && c.firmwareVersion !== null) ? list : undefined;
      }, 30_000).catch((error: unknown) => {
        throw new Error(`direct chargers not all connected: ${JSON.stringify(last)}; ${lines.join(" | ")}; ${JSON.stringify(world?.directChargers().map((c) => [c.id, c.connected, c.lastError]))}`, { cause: error });
      });
      expect(new Set(connected.map((c) => c.protocol))).toEqual(new Set(["ocpp1.6", "ocpp2.0.1"]));
      const byId = new Map(connected.map((c) => [c.chargePointId, c.id]));
      // The first two plug in at start and accept their plan's profile.
      for (const id of ["demo-direct-01", "demo-direct-02"].map((charger) => demoChargePointId(org.orgId, charger))) {
        const accepted = await eventually(async () => (await listChargePointCommands(org.admin, { id: byId.get(id) ?? "" })).find((c) => c.kind === "profile" && c.status === "answered"), 30_000);
        expect(accepted.response).toEqual({ status: "Accepted" });
      }
    } finally {
      await world?.stop();
      // Let the gateway record the disconnections before it deregisters itself.
      await eventually(async () => (gateway.connectedCount() === 0 ? true : undefined)).catch(() => undefined);
      await gateway.close();
    }
  }, 120_000);
});
