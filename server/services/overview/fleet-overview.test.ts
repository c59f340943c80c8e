import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { getConfig } from "@/server/config";
import { pollBattery } from "../batteries/batteries";
import { createSimulatedBattery, simulatorGateway } from "../batteries/test-support";
import { recordConsent } from "../consent/consent-ledger";
import { createAsset } from "../inventory/assets";
import { createSite } from "../inventory/sites";
import { storePriceCurve } from "../market-prices/market-prices";
import { createEventCharger } from "../grid-events/test-support";
import { getFleetOverview } from "./fleet-overview";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11 });
});
afterAll(async () => {
  await sim.stop();
});

describe("the fleet overview", () => {
  let org: TestOrg;
  let batteries: { siteId: string; assetId: string }[];

  beforeAll(async () => {
    org = await createTestOrg("fleet-overview");
    const gateway = simulatorGateway(sim);
    batteries = [];
    for (const socPct of [40, 80]) {
      const battery = await createSimulatedBattery(org.admin, sim, gateway, { socPct });
      await pollBattery(org.admin, battery.assetId, { gateway });
      batteries.push(battery);
    }
    // A battery nobody can read yet: no credential.
    const site = await createSite(org.admin, { mpan: "1200000000011", postcode: "BS6 7ET", streetAddress: "1 Test Street, Bristol" });
    await createAsset(org.admin, { siteId: site.id, externalId: "overview-uncredentialled", type: "battery", properties: { power_kw: 3, capacity_kwh: 5 } });
  });

  it("counts sites and batteries by connection, with the fleet's stored energy, state of charge and power", async () => {
    const overview = await getFleetOverview(org.admin);
    expect(overview.sites.active).toBe(3);
    expect(overview.batteries).toMatchObject({ total: 3, online: 2, stale: 0, noCredential: 1 });
    expect(overview.batteries.storedKwh).toBeGreaterThan(0);
    expect(overview.batteries.socPct).toBeGreaterThan(30);
    expect(overview.batteries.socPct).toBeLessThan(90);
    expect(overview.chargers.slots).toHaveLength(48);
    expect(overview.attention.items.filter((i) => i.kind === "stale_battery")).toEqual([]);
  });

  it("lists a battery that stops reporting as needing attention, linked to it, and drops it when it reports again", async () => {
    const later = new Date(Date.now() + (getConfig().batteries.staleAfterSeconds + 60) * 1000);
    const stale = await getFleetOverview(org.admin, later);
    expect(stale.batteries).toMatchObject({ online: 0, stale: 2, noCredential: 1 });
    const items = stale.attention.items.filter((i) => i.kind === "stale_battery");
    expect(items.map((i) => i.href).sort()).toEqual(batteries.map((b) => `/batteries/${b.assetId}`).sort());
    expect(items[0]?.title).toMatch(/^Battery .+ is not reporting$/);
    for (const b of batteries) await pollBattery(org.admin, b.assetId, { gateway: simulatorGateway(sim), now: later });
    const recovered = await getFleetOverview(org.admin, new Date(later.getTime() + 1000));
    expect(recovered.attention.items.filter((i) => i.kind === "stale_battery")).toEqual([]);
  });

  it("lists a household's recent withdrawal in words, linked to the site", async () => {
    const site = batteries[0]?.siteId ?? "";
    await recordConsent(org.admin, { siteId: site, changes: [{ kind: "full_asset_control", action: "withdrawn" }] });
    const overview = await getFleetOverview(org.admin);
    const item = overview.attention.items.find((i) => i.kind === "consent_withdrawn");
    expect(item).toMatchObject({ href: `/sites/${site}`, detail: "For Fully Optimised" });
    expect(item?.title).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it("shows another organisation nothing of this one", async () => {
    const other = await createTestOrg("fleet-overview-other");
    const overview = await getFleetOverview(other.admin);
    expect(overview.sites.active).toBe(0);
    expect(overview.batteries.total).toBe(0);
    expect(overview.attention.total).toBe(0);
  });
});

describe("the fleet overview's charging figures", () => {
  it("counts plugged-in chargers and spreads their newest plans over the next 24 h against the market price", async () => {
    const org = await createTestOrg("fleet-overview-charging");
    const HALF_HOUR = 30 * 60_000;
    const firstSlot = Math.floor(Date.now() / HALF_HOUR) * HALF_HOUR;
    // Cheap for two hours starting three hours ahead, dear otherwise: the plan charges there.
    const cheap = (start: number) => start >= firstSlot + 6 * HALF_HOUR && start < firstSlot + 10 * HALF_HOUR;
    const points = Array.from({ length: 48 }, (_, i) => {
      const start = firstSlot + i * HALF_HOUR;
      return { start: new Date(start).toISOString(), priceGbpPerMwh: cheap(start) ? 20 : 150 };
    });
    await storePriceCurve(org.admin, { market: "WHOLESALE", points });
    const readyBy = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(firstSlot + 16 * HALF_HOUR);
    await createEventCharger(org.admin, { energyRequiredKwh: 7, readyByLocalTime: readyBy });

    const { chargers } = await getFleetOverview(org.admin);
    expect(chargers).toMatchObject({ total: 1, pluggedIn: 1, market: "WHOLESALE" });
    expect(chargers.plannedKwhNext24h).toBeCloseTo(7, 1);
    expect(chargers.slots.reduce((sum, slot) => sum + slot.kwh, 0)).toBeCloseTo(7, 1);
    const charging = chargers.slots.filter((slot) => slot.kwh > 0);
    expect(charging.length).toBeGreaterThan(0);
    for (const slot of charging) expect(slot.priceGbpPerMwh).toBe(20);
    expect(chargers.slots[0]?.priceGbpPerMwh).toBe(150);
  });
});
