// The demo's direct chargers: home chargers that connect to the platform's OCPP-J gateway
// themselves (the simulator's charge points), both protocol versions, so the dashboard's direct
// chargers page has something live out of the box. Each is a charger asset on its own site,
// enrolled in Smart Charging and registered as a charge point with a password; the password is
// generated anew on every start and handed to the simulator only (it is never shown or stored
// readably). Idempotent like the rest of the demo.
import { systemContext } from "@/server/services/context";
import { recordConsent } from "@/server/services/consent/consent-ledger";
import { enrolSite } from "@/server/services/enrolment/enrolment";
import { createAsset, getAssetByExternalId } from "@/server/services/inventory/assets";
import { listChargePoints, registerChargePoint, setChargePointPassword } from "@/server/services/ocpp/charge-points";
import type { ChargePointSpec } from "@/simulator/index";
import { createDemoHouseholdSite } from "./demo-sites";

interface DemoDirectCharger {
  id: string;
  spec: Omit<ChargePointSpec, "id" | "password">;
  /** Plugged in at start-up whatever the hour; the others follow the daily pattern. */
  pluggedAtStart?: { energyRequiredKwh: number };
}

/** Two that follow profiles (one of each version), one that refuses them, one with a flaky link. */
export const DEMO_DIRECT_CHARGERS: readonly DemoDirectCharger[] = [
  { id: "demo-direct-01", spec: { ocppVersion: "1.6", powerKw: 7.4, vendor: "Simulated Wallbox Co", model: "Home 7", autoPlug: false }, pluggedAtStart: { energyRequiredKwh: 22 } },
  { id: "demo-direct-02", spec: { ocppVersion: "2.0.1", powerKw: 11, vendor: "Simulated Wallbox Co", model: "Home 11 Pro", autoPlug: false }, pluggedAtStart: { energyRequiredKwh: 30 } },
  { id: "demo-direct-03", spec: { ocppVersion: "1.6", powerKw: 7.4, vendor: "Legacy Chargers Ltd", model: "Basic 7", acceptsProfiles: false } },
  { id: "demo-direct-04", spec: { ocppVersion: "2.0.1", powerKw: 7.4, vendor: "Simulated Wallbox Co", model: "Home 7 LTE", dropConnectionEveryMs: 7 * 60_000 } },
];

const CONSENT_AGE_MS = 30 * 86_400_000;

/**
 * The charge point id (its URL identity) of a demo direct charger: unique across the installation, as
 * the gateway resolves it before it knows the organisation, so it carries the organisation's first
 * eight hex digits (the asset's external id stays `demo-direct-NN`).
 */
export function demoChargePointId(orgId: string, chargerId: string): string {
  return `${chargerId}-${orgId.slice(0, 8)}`;
}

/** Seeds (or finds) the demo's direct chargers and answers the simulator's charge point specs with fresh passwords. */
export async function seedDemoDirectChargers(orgId: string, householdOffset: number, say: (line: string) => void, now: Date): Promise<ChargePointSpec[]> {
  const ctx = systemContext(orgId, "demo seed");
  const registered = new Map((await listChargePoints(ctx)).map((cp) => [cp.chargePointId, cp]));
  const specs: ChargePointSpec[] = [];
  let created = 0;
  for (const [index, charger] of DEMO_DIRECT_CHARGERS.entries()) {
    let asset = await getAssetByExternalId(ctx, { externalId: charger.id }).catch(() => null);
    if (!asset) {
      const consentAt = new Date(now.getTime() - CONSENT_AGE_MS);
      const site = await createDemoHouseholdSite(ctx, householdOffset + index, consentAt);
      asset = await createAsset(ctx, { siteId: site.id, externalId: charger.id, type: "charger", properties: { power_kw: charger.spec.powerKw ?? 7.4, phases: (charger.spec.powerKw ?? 7.4) > 7.4 ? 3 : 1 } });
      await recordConsent(ctx, { siteId: site.id, changes: [{ kind: "full_asset_schedule_control", action: "granted" }], occurredAt: consentAt });
      await enrolSite(ctx, { siteId: site.id, proposition: "full_asset_schedule_control" });
      created += 1;
    }
    const chargePointId = demoChargePointId(orgId, charger.id);
    const chargePoint = registered.get(chargePointId) ?? (await registerChargePoint(ctx, { assetId: asset.id, chargePointId }));
    const { password } = await setChargePointPassword(ctx, { id: chargePoint.id });
    specs.push({ id: chargePointId, password, ...charger.spec });
  }
  if (created > 0) say(`seeded ${created} demo direct chargers (OCPP 1.6 and 2.0.1) with consent and Smart Charging`);
  return specs;
}

/** The direct chargers that plug in as soon as the simulator runs, with what their cars need. */
export function demoDirectChargersPluggedAtStart(orgId: string): Array<{ id: string; energyRequiredKwh: number }> {
  return DEMO_DIRECT_CHARGERS.flatMap((c) => (c.pluggedAtStart ? [{ id: demoChargePointId(orgId, c.id), energyRequiredKwh: c.pluggedAtStart.energyRequiredKwh }] : []));
}
