// Test helpers: a site with one simulated battery, its credential and (optionally) dispatch consent.
import type { CreatedDevice, SimulatorHandle } from "@/simulator/index";
import type { Oem, OemGateway } from "@/server/oem";
import { createOemGateway } from "@/server/oem";
import type { ServiceContext } from "../context";
import { recordConsent } from "../consent/consent-ledger";
import { submitOemCredential } from "../credentials/credentials";
import { createAsset } from "../inventory/assets";
import { createSite } from "../inventory/sites";

const MPAN_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** A random MPAN core with a valid check digit. */
export function randomMpan(): string {
  const digits = Array.from({ length: 12 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10)));
  const sum = digits.reduce((acc, d, i) => acc + d * (MPAN_WEIGHTS[i] ?? 0), 0);
  return `${digits.join("")}${(sum % 11) % 10}`;
}

export function simulatorGateway(sim: SimulatorHandle, timeoutMs = 5000): OemGateway {
  const config = (baseUrl: string) => ({ baseUrl, timeoutMs, maxAttempts: 2, backoffBaseMs: 20, rateLimit: null });
  return createOemGateway({
    foxess: config(sim.baseUrls.foxess),
    givenergy: config(sim.baseUrls.givenergy),
    sigenergy: config(sim.baseUrls.sigenergy),
    solis: config(sim.baseUrls.solis),
  });
}

/** The dialect's access_token for a simulator credential. */
export function accessTokenOf(device: CreatedDevice): string {
  const c = device.credential;
  switch (c.oem) {
    case "foxess":
    case "givenergy":
      return c.apiKey;
    case "solis":
      return `${c.keyId}:${c.keySecret}`;
    case "sigenergy":
      return `${c.appKey}:${c.appSecret}`;
  }
}

/** A site holding one simulator device as a battery asset, with the device's OEM credential submitted. */
export async function addSimulatedBatterySite(
  ctx: ServiceContext,
  gateway: OemGateway,
  device: CreatedDevice,
  site: { postcode?: string; email?: string } = {},
): Promise<{ siteId: string; assetId: string; externalId: string }> {
  const created = await createSite(ctx, { mpan: randomMpan(), postcode: site.postcode ?? "SW1A 1AA", ...(site.email ? { email: site.email } : {}) });
  const asset = await createAsset(ctx, {
    siteId: created.id,
    externalId: `battery-${device.deviceId}`,
    type: "battery",
    properties: { power_kw: device.ratedPowerKw, capacity_kwh: device.capacityKwh },
    oem: device.oem,
    oemDeviceId: device.deviceId,
  });
  await submitOemCredential(ctx, { siteId: created.id, oem: device.oem, tokenType: "API_KEY", accessToken: accessTokenOf(device) }, { gateway });
  return { siteId: created.id, assetId: asset.id, externalId: asset.externalId };
}

export async function createSimulatedBattery(
  ctx: ServiceContext,
  sim: SimulatorHandle,
  gateway: OemGateway,
  options: { oem?: Oem; socPct?: number; consent?: boolean } = {},
): Promise<{ siteId: string; assetId: string; device: CreatedDevice }> {
  const device = sim.createDevice({ oem: options.oem ?? "givenergy", socPct: options.socPct ?? 50 });
  const { siteId, assetId } = await addSimulatedBatterySite(ctx, gateway, device);
  if (options.consent ?? true) await recordConsent(ctx, { siteId, changes: [{ kind: "full_asset_control", action: "granted" }] });
  return { siteId, assetId, device };
}
