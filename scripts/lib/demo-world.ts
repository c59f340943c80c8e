// The outside world of the demo: the OEM cloud simulator with a live fleet of
// batteries across the four OEMs (see docs/simulator.md). The fleet is
// deterministic (seeded), so a restart recreates the same devices and credentials,
// and the demo organisation's sites, batteries and credentials seeded against it stay valid.
import { randomBytes } from "node:crypto";
import type { Config } from "@/server/config";
import { createOemGateway } from "@/server/oem";
import { pollSiteBatteries } from "@/server/services/batteries/batteries";
import { systemContext } from "@/server/services/context";
import { recordConsent } from "@/server/services/consent/consent-ledger";
import { getOemCredentialSummary, submitOemCredential } from "@/server/services/credentials/credentials";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { createAsset, getAssetByExternalId } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { createApiClient, listApiClients, revokeApiClient } from "@/server/services/api-clients/api-clients";
import { enrolSite } from "@/server/services/enrolment/enrolment";
import { startSimulator, type ChargerSpec, type CreatedDevice, type SimulatorHandle } from "@/simulator/index";

export interface DemoWorld {
  url: string;
  stop(): Promise<void>;
}

export const DEMO_FLEET = { count: 36, seed: 1 };
/** The last demo battery is left without credentials, for adding them in the dashboard. */
export const DEMO_BATTERY_WITHOUT_CREDENTIALS = DEMO_FLEET.count;

export function demoBatteryExternalId(index: number): string {
  return `demo-battery-${String(index + 1).padStart(2, "0")}`;
}

export function demoAccessToken(device: Pick<CreatedDevice, "credential">): string {
  const c = device.credential;
  return c.oem === "solis" ? `${c.keyId}:${c.keySecret}` : c.oem === "sigenergy" ? `${c.appKey}:${c.appSecret}` : c.apiKey;
}

function demoMpan(index: number): string {
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const first12 = `18${String(7_700_000_000 + index).padStart(10, "0")}`;
  const sum = weights.reduce((total, weight, i) => total + Number(first12.charAt(i)) * weight, 0);
  return `${first12}${(sum % 11) % 10}`;
}

/** Idempotent: a battery already seeded (by external id) is left as it is. */
async function seedDemoBatteries(simulator: SimulatorHandle, orgId: string, say: (line: string) => void): Promise<void> {
  const ctx = systemContext(orgId, "demo seed");
  const config = (baseUrl: string) => ({ baseUrl, rateLimit: null });
  setOemGatewayForProcess(
    createOemGateway({ foxess: config(simulator.baseUrls.foxess), givenergy: config(simulator.baseUrls.givenergy), sigenergy: config(simulator.baseUrls.sigenergy), solis: config(simulator.baseUrls.solis) }),
  );
  let created = 0;
  try {
    const devices = simulator.listDevices().slice(0, DEMO_FLEET.count);
    for (const [index, device] of devices.entries()) {
      const externalId = demoBatteryExternalId(index);
      const existing = await getAssetByExternalId(ctx, { externalId }).catch(() => null);
      if (existing) continue;
      const site = await createSite(ctx, { mpan: demoMpan(index), postcode: "SW1A 1AA", streetAddress: `${index + 1} Battery Row, London` });
      await createAsset(ctx, {
        siteId: site.id,
        externalId,
        type: "battery",
        properties: { power_kw: device.ratedPowerKw, capacity_kwh: device.capacityKwh },
        oem: device.oem,
        oemDeviceId: device.deviceId,
      });
      await recordConsent(ctx, { siteId: site.id, changes: [{ kind: "full_asset_control", action: "granted" }] });
      if (index + 1 !== DEMO_BATTERY_WITHOUT_CREDENTIALS && !(await getOemCredentialSummary(ctx, site.id))) {
        await submitOemCredential(ctx, { siteId: site.id, oem: device.oem, tokenType: "API_KEY", accessToken: demoAccessToken(device) });
        await pollSiteBatteries(ctx, site.id).catch(() => []);
      }
      created += 1;
    }
  } finally {
    setOemGatewayForProcess(undefined);
  }
  if (created > 0) say(`seeded ${created} demo battery sites with credentials and dispatch consent`);
}

export const DEMO_CHARGER_COUNT = 12;
/** These chargers plug in at start-up whatever the hour, so the dashboard has live sessions at once; the rest follow the daily pattern. */
export const DEMO_CHARGERS_PLUGGED_AT_START = 3;
const DEMO_CHARGER_CLIENT_NAME = "Demo charger platform (simulator)";
const DEMO_TARIFF = { off_peak_times: "00:30-04:30", timezone: "Europe/London", tariff_type: "dual_rate" } as const;

export function demoChargerExternalId(index: number): string {
  return `demo-charger-${String(index + 1).padStart(2, "0")}`;
}

/** Chargers of the usual home sizes: mostly 7.4 kW single phase, some 3.6 kW and 11 kW three phase. */
function demoChargerProperties(index: number): { power_kw: number; phases: 1 | 3 } {
  if (index % 6 === 5) return { power_kw: 11, phases: 3 };
  if (index % 4 === 3) return { power_kw: 3.6, phases: 1 };
  return { power_kw: 7.4, phases: 1 };
}

/** Idempotent: sites, charger assets, Smart Charging consent and enrolment; answers each charger's platform asset id. */
async function seedDemoChargers(orgId: string, say: (line: string) => void): Promise<ChargerSpec[]> {
  const ctx = systemContext(orgId, "demo seed");
  const specs: ChargerSpec[] = [];
  let created = 0;
  for (let index = 0; index < DEMO_CHARGER_COUNT; index += 1) {
    const externalId = demoChargerExternalId(index);
    const properties = demoChargerProperties(index);
    let asset = await getAssetByExternalId(ctx, { externalId }).catch(() => null);
    if (!asset) {
      const site = await createSite(ctx, {
        mpan: demoMpan(500 + index),
        postcode: "SW1A 1AA",
        streetAddress: `${index + 1} Charger Close, London`,
        gaveBoundaryMeterConsentAt: new Date(),
        isHalfHourlySettled: true,
      });
      asset = await createAsset(ctx, { siteId: site.id, externalId, type: "charger", properties });
      await recordConsent(ctx, { siteId: site.id, changes: [{ kind: "full_asset_schedule_control", action: "granted" }] });
      await enrolSite(ctx, { siteId: site.id, proposition: "full_asset_schedule_control" });
      created += 1;
    }
    specs.push({ id: externalId, assetId: asset.id, powerKw: properties.power_kw, autoPlug: index >= DEMO_CHARGERS_PLUGGED_AT_START, tariff: DEMO_TARIFF });
  }
  if (created > 0) say(`seeded ${created} demo charger sites enrolled in Smart Charging`);
  return specs;
}

/** A fresh API client for the simulated partner on every start (its secret is only known at creation); older ones are revoked. */
async function demoPartnerClient(orgId: string): Promise<{ clientId: string; clientSecret: string }> {
  const ctx = systemContext(orgId, "demo seed");
  for (const client of await listApiClients(ctx)) {
    if (client.name === DEMO_CHARGER_CLIENT_NAME && client.revokedAt === null) await revokeApiClient(ctx, { id: client.id });
  }
  const created = await createApiClient(ctx, { name: DEMO_CHARGER_CLIENT_NAME, scopes: ["entities:read", "entities:write", "events:write", "readings:write"] });
  return { clientId: created.clientId, clientSecret: created.clientSecret };
}

/** A day-ahead-like price curve (GBP/MWh) from the last midnight for two days: cheap nights, an evening peak. */
export function demoPriceCurve(now: Date): Array<{ start: string; priceGbpPerMwh: number }> {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: 96 }, (_, slot) => {
    const start = midnight + slot * 30 * 60_000;
    const hour = new Date(start).getUTCHours() + new Date(start).getUTCMinutes() / 60;
    const evening = Math.exp(-0.5 * ((hour - 18) / 1.5) ** 2);
    const morning = Math.exp(-0.5 * ((hour - 8) / 1.2) ** 2);
    const night = hour < 5 ? -25 : 0;
    const wiggle = Math.sin(slot * 1.7) * 4;
    return { start: new Date(start).toISOString().replace(".000Z", "Z"), priceGbpPerMwh: Math.round((70 + 90 * evening + 35 * morning + night + wiggle) * 100) / 100 };
  });
}

/**
 * Each piece is optional: a step whose service is missing or fails is skipped and said, and the
 * demo still starts. Returns the charger platform's options, or undefined when chargers are skipped.
 */
async function prepareDemoChargers(config: Config, orgId: string, say: (line: string) => void) {
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      say(`${what} skipped: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const chargers = await step("demo chargers", () => seedDemoChargers(orgId, say));
  if (!chargers) return undefined;
  const client = await step("demo charger platform API client", () => demoPartnerClient(orgId));
  await step("demo market price curve", async () => {
    const { storePriceCurve } = await import("@/server/services/market-prices/market-prices");
    const stored = await storePriceCurve(systemContext(orgId, "demo seed"), { points: demoPriceCurve(new Date()) }, "demo");
    say(`stored a demo market price curve (${stored.curve.pointCount} half hours)`);
  });
  return {
    signingSecret: `demo_${randomBytes(24).toString("base64url")}`,
    chargers,
    tariff: DEMO_TARIFF,
    ...(client ? { platformBaseUrl: `${config.appUrl.replace(/\/$/, "")}/api/v1`, clientId: client.clientId, clientSecret: client.clientSecret } : {}),
  };
}

export async function startDemoWorld(config: Config, orgId: string, say: (line: string) => void): Promise<DemoWorld | undefined> {
  const chargerPlatform = await prepareDemoChargers(config, orgId, say);
  const simulator = await startSimulator({ port: config.simulator.port, fleet: DEMO_FLEET, seed: DEMO_FLEET.seed, ...(chargerPlatform ? { chargerPlatform } : {}) });
  say(`OEM simulator at ${simulator.url} with ${DEMO_FLEET.count} demo batteries`);
  try {
    await seedDemoBatteries(simulator, orgId, say);
  } catch (error) {
    // The demo still runs without batteries; say why instead of refusing to start.
    say(`demo batteries not seeded: ${error instanceof Error ? error.message : String(error)}`);
  }
  const platform = simulator.chargerPlatform;
  if (platform && chargerPlatform && simulator.scheduleEndpointUrl) {
    const url = simulator.scheduleEndpointUrl;
    const endpointSet = await (async () => {
      try {
        const { setScheduleEndpoint } = await import("@/server/services/schedule-delivery/schedule-endpoints");
        await setScheduleEndpoint(systemContext(orgId, "demo seed"), { url, ocppVersion: "1.6", secret: chargerPlatform.signingSecret, enabled: true });
        return true;
      } catch (error) {
        say(`demo schedule endpoint skipped: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      }
    })();
    say(`charger platform at ${url} with ${chargerPlatform.chargers.length} chargers${endpointSet ? " (the organisation's schedule endpoint)" : ""}`);
    if (platform.partnerConfigured) {
      // Plug events wait for the app: a failed send is retried on the next tick.
      for (const spec of chargerPlatform.chargers.slice(0, DEMO_CHARGERS_PLUGGED_AT_START)) {
        void platform.plugIn(spec.id, { energyRequiredKwh: 18, readyByLocalTime: "07:30" });
      }
    } else say("the charger platform sends no events: its API client was skipped");
  }
  return { url: simulator.url, stop: () => simulator.stop() };
}
