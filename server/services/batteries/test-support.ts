// Test helpers: a site with one simulated battery, its credential and (optionally) dispatch consent.
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { assets, consentRecords, enrolments, oemCredentials, sites } from "@/db/schema";
import { getConfig } from "@/server/config";
import type { CreatedDevice, SimulatorHandle } from "@/simulator/index";
import type { Oem, OemGateway } from "@/server/oem";
import { createOemGateway } from "@/server/oem";
import type { ServiceContext } from "../context";
import { recordConsent } from "../consent/consent-ledger";
import { currentConsentText } from "../consent/consent-texts";
import { sealSecret } from "../credentials/credential-crypto";
import { sealContext } from "../credentials/credentials";
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

/**
 * Many simulated batteries at once (tests and benchmarks at fleet scale): one site, battery
 * asset, sealed credential, dispatch consent and enrolment per device, inserted in batches of
 * 1,000 rows. Per-battery services would take far longer than what a fleet test measures; the
 * rows are the ones those services write. Returns the asset ids in device order.
 */
export async function insertSimulatedFleet(
  ctx: ServiceContext,
  devices: readonly CreatedDevice[],
  options: { proposition?: string } = {},
): Promise<string[]> {
  const proposition = options.proposition ?? "full_asset_control";
  const db = getDb();
  const consentVersion = currentConsentText(proposition).version;
  const encryption = getConfig().encryption;
  const mpans = new Set<string>();
  while (mpans.size < devices.length) mpans.add(randomMpan());
  const mpanList = [...mpans];
  const assetIds: string[] = [];
  for (let from = 0; from < devices.length; from += 1000) {
    const chunk = devices.slice(from, from + 1000);
    const now = new Date();
    await db.transaction(async (tx) => {
      const siteRows = await tx
        .insert(sites)
        .values(chunk.map((_, j) => ({ organisationId: ctx.orgId, mpan: mpanList[from + j] ?? "", mpanCheckDigitValid: true, postcode: "SW1A 1AA", isHalfHourlySettled: true })))
        .returning({ id: sites.id });
      const siteIds = siteRows.map((r) => r.id);
      const assetRows = await tx
        .insert(assets)
        .values(
          chunk.map((device, j) => ({
            organisationId: ctx.orgId,
            siteId: siteIds[j] ?? "",
            externalId: `battery-${device.deviceId}`,
            type: "battery" as const,
            properties: { power_kw: device.ratedPowerKw, capacity_kwh: device.capacityKwh },
            oem: device.oem,
            oemDeviceId: device.deviceId,
          })),
        )
        .returning({ id: assets.id });
      assetIds.push(...assetRows.map((r) => r.id));
      await tx.insert(oemCredentials).values(
        chunk.map((device, j) => {
          const siteId = siteIds[j] ?? "";
          const accessToken = accessTokenOf(device);
          const sealed = sealSecret(JSON.stringify({ accessToken }), encryption, sealContext(siteId));
          return {
            organisationId: ctx.orgId,
            siteId,
            oem: device.oem,
            tokenType: "API_KEY",
            keyId: sealed.keyId,
            ciphertext: sealed.ciphertext,
            lastFour: accessToken.slice(-4),
            status: "valid" as const,
            lastVerifiedAt: now,
            lastUsedAt: now,
          };
        }),
      );
      await tx.insert(consentRecords).values(
        siteIds.map((siteId) => ({
          organisationId: ctx.orgId,
          siteId,
          kind: proposition,
          action: "granted" as const,
          channel: "operator" as const,
          actorType: ctx.actor.type,
          actorId: "operatorId" in ctx.actor ? ctx.actor.operatorId : null,
          actorLabel: ctx.actor.label,
          consentTextVersion: consentVersion,
          occurredAt: now,
        })),
      );
      await tx.insert(enrolments).values(siteIds.map((siteId) => ({ organisationId: ctx.orgId, siteId, proposition, state: "enrolled" as const, enrolledAt: now })));
    });
  }
  await db.execute(sql`analyze sites; analyze assets; analyze oem_credentials; analyze consent_records; analyze enrolments`);
  return assetIds;
}
