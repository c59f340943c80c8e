// Test helpers: sites with a simulated battery (or a partner-controlled one), consented and
// enrolled as a grid event needs, and event windows relative to now.
import { randomUUID } from "node:crypto";
import { getDb } from "@/db/client";
import { enrolments } from "@/db/schema";
import type { OemGateway } from "@/server/oem";
import type { SimOem, SimulatorHandle } from "@/simulator/index";
import { driveAction, type ActionDeps } from "../actions/actions";
import { addSimulatedBatterySite, randomMpan } from "../batteries/test-support";
import { pollSiteBatteries } from "../batteries/batteries";
import type { ServiceContext } from "../context";
import { recordPlugIn } from "../charging/events";
import { recordConsent } from "../consent/consent-ledger";
import { createAsset } from "../inventory/assets";
import { createSite } from "../inventory/sites";

export interface EventBatteryOptions {
  oem?: SimOem;
  socPct?: number;
  capacityKwh?: number;
  ratedPowerKw?: number;
  dischargeFloorPct?: number;
  postcode?: string;
  email?: string;
  /** Dispatch consents to grant; default full_asset_control. */
  consents?: string[];
  /** Propositions the site is enrolled in; default the consents. */
  enrolled?: string[];
  /** Read its live state now (makes it online); default true. */
  poll?: boolean;
}

async function consentAndEnrol(ctx: ServiceContext, siteId: string, consents: readonly string[], enrolled: readonly string[]): Promise<void> {
  if (consents.length > 0) await recordConsent(ctx, { siteId, changes: consents.map((kind) => ({ kind, action: "granted" as const })) });
  if (enrolled.length > 0) {
    await getDb()
      .insert(enrolments)
      .values(enrolled.map((proposition) => ({ organisationId: ctx.orgId, siteId, proposition, state: "enrolled" as const, enrolledAt: new Date() })));
  }
}

export async function createEventBattery(ctx: ServiceContext, sim: SimulatorHandle, gateway: OemGateway, options: EventBatteryOptions = {}) {
  const device = sim.createDevice({
    oem: options.oem ?? "givenergy",
    key: randomUUID(),
    socPct: options.socPct ?? 80,
    capacityKwh: options.capacityKwh ?? 10,
    ratedPowerKw: options.ratedPowerKw ?? 5,
    dischargeFloorPct: options.dischargeFloorPct ?? 10,
    solarKwp: 0,
  });
  const { siteId, assetId, externalId } = await addSimulatedBatterySite(ctx, gateway, device, {
    ...(options.postcode ? { postcode: options.postcode } : {}),
    ...(options.email ? { email: options.email } : {}),
  });
  const consents = options.consents ?? ["full_asset_control"];
  await consentAndEnrol(ctx, siteId, consents, options.enrolled ?? consents);
  if (options.poll ?? true) await pollSiteBatteries(ctx, siteId, { gateway });
  return { siteId, assetId, device, externalId };
}

/** A battery we cannot reach ourselves (no OEM device id, no credential): partner-controlled. */
export async function createPartnerBattery(ctx: ServiceContext, options: { powerKw?: number; consents?: string[]; email?: string; externalId?: string } = {}) {
  const site = await createSite(ctx, { mpan: randomMpan(), postcode: "SW1A 2AA", ...(options.email ? { email: options.email } : {}) });
  const asset = await createAsset(ctx, { siteId: site.id, externalId: options.externalId ?? `partner-battery-${randomUUID().slice(0, 8)}`, type: "battery", properties: { power_kw: options.powerKw ?? 4, capacity_kwh: 10 } });
  const consents = options.consents ?? ["full_asset_control"];
  await consentAndEnrol(ctx, site.id, consents, consents);
  return { siteId: site.id, assetId: asset.id, externalId: asset.externalId };
}

/** A plugged-in charger (7 kW) under full_asset_schedule_control, with the householder's intent. */
export async function createEventCharger(ctx: ServiceContext, intent: { energyRequiredKwh: number; readyByLocalTime: string }) {
  const site = await createSite(ctx, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  const asset = await createAsset(ctx, { siteId: site.id, externalId: `charger-${randomUUID().slice(0, 8)}`, type: "charger", properties: { power_kw: 7 } });
  await consentAndEnrol(ctx, site.id, ["full_asset_schedule_control"], ["full_asset_schedule_control"]);
  await recordPlugIn(ctx, { assetId: asset.id, source: "partner_api", intent: { ...intent, chargingMode: "minimise_charging_time" } });
  return { siteId: site.id, assetId: asset.id };
}

const HALF_HOUR = 30 * 60 * 1000;

/** A half-hour-aligned window starting `hoursAhead` (at least) from now. */
export function futureWindow(hoursAhead = 1, durationMinutes = 30, now = new Date()): { startAt: Date; endAt: Date } {
  const start = Math.ceil((now.getTime() + hoursAhead * 3_600_000) / HALF_HOUR) * HALF_HOUR;
  return { startAt: new Date(start), endAt: new Date(start + durationMinutes * 60_000) };
}

export const at = (base: Date, offsetMs: number): Date => new Date(base.getTime() + offsetMs);

/** Action driving against the simulator, fast: short checks and a one-minute deadline. */
export function eventActionDeps(gateway: OemGateway): ActionDeps {
  return { gateway, scheduleDrive: async () => {}, checkIntervalMs: 20, commandRetryBaseMs: 200, deadlineSeconds: 60 };
}

/** Drives every pending Action of the assets as the drive job would, at the injected instant. */
export async function driveEventActions(ctx: ServiceContext, gateway: OemGateway, actionIds: readonly string[], now: Date, rounds = 80): Promise<void> {
  const deps = { ...eventActionDeps(gateway), now };
  for (let round = 0; round < rounds; round++) {
    let pending = 0;
    for (const id of actionIds) {
      const result = await driveAction(ctx, id, deps);
      if (result.nextCheckAt !== null) pending += 1;
    }
    if (pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}
