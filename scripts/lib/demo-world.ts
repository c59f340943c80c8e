// The outside world of the demo: the OEM cloud simulator with a live fleet of
// batteries across the four OEMs (see docs/simulator.md). The fleet is
// deterministic (seeded), so a restart recreates the same devices and credentials,
// and the demo organisation's sites, batteries and credentials seeded against it stay valid.
import type { Config } from "@/server/config";
import { createOemGateway } from "@/server/oem";
import { pollSiteBatteries } from "@/server/services/batteries/batteries";
import { systemContext } from "@/server/services/context";
import { recordConsent } from "@/server/services/consent/consent-ledger";
import { getOemCredentialSummary, submitOemCredential } from "@/server/services/credentials/credentials";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { createAsset, getAssetByExternalId } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { startSimulator, type CreatedDevice, type SimulatorHandle } from "@/simulator/index";

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

export async function startDemoWorld(config: Config, orgId: string, say: (line: string) => void): Promise<DemoWorld | undefined> {
  const simulator = await startSimulator({ port: config.simulator.port, fleet: DEMO_FLEET, seed: DEMO_FLEET.seed });
  say(`OEM simulator at ${simulator.url} with ${DEMO_FLEET.count} demo batteries`);
  try {
    await seedDemoBatteries(simulator, orgId, say);
  } catch (error) {
    // The demo still runs without batteries; say why instead of refusing to start.
    say(`demo batteries not seeded: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { url: simulator.url, stop: () => simulator.stop() };
}
