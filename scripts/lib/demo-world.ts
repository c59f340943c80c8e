// The outside world of the demo: the OEM cloud simulator with a live fleet of batteries across
// the four OEMs and a partner's charger platform (see docs/simulator.md), and the demo
// organisation's households, consents, enrolments, history and grid events seeded against it.
// The fleet is deterministic (seeded), so a restart recreates the same devices and credentials,
// and what was seeded against them stays valid; every step is idempotent.
import { randomBytes } from "node:crypto";
import type { Config } from "@/server/config";
import { createOemGateway } from "@/server/oem";
import { pollBattery } from "@/server/services/batteries/batteries";
import { planDailyBatterySchedules } from "@/server/services/battery-schedules/battery-schedules";
import { systemContext } from "@/server/services/context";
import { BOUNDARY_METER_KIND, recordConsent } from "@/server/services/consent/consent-ledger";
import { getOemCredentialSummary, submitOemCredential } from "@/server/services/credentials/credentials";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { createAsset, getAssetByExternalId } from "@/server/services/inventory/assets";
import { createApiClient, listApiClients, revokeApiClient } from "@/server/services/api-clients/api-clients";
import { enrolSite } from "@/server/services/enrolment/enrolment";
import { storePriceCurve } from "@/server/services/market-prices/market-prices";
import { setScheduleEndpoint } from "@/server/services/schedule-delivery/schedule-endpoints";
import { startSimulator, type ChargePointSnapshot, type ChargerSpec, type CreatedDevice, type SimulatorHandle } from "@/simulator/index";
import { pastEventMissing, pastEventWindow, seedPastGridEvent, seedUpcomingGridEvent } from "./demo-grid-events";
import { demoDirectChargersPluggedAtStart, seedDemoDirectChargers } from "./demo-direct-chargers";
import { backfillBatteryHistory, backfillChargerHistory, HISTORY_DAYS, type HistoryCharger } from "./demo-history";
import { createDemoHouseholdSite } from "./demo-sites";

export interface DemoWorld {
  url: string;
  stop(): Promise<void>;
  /** The simulator's direct chargers as they see themselves (connected, transaction, profiles, last error). */
  directChargers(): ChargePointSnapshot[];
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

/**
 * Fully Optimised for even batteries, Grid Event Mode for odd ones: both battery propositions have
 * members. The battery waiting for its credential agreed to Fully Optimised, so once the operator
 * adds the credential they can set its mode by hand.
 */
export function demoBatteryProposition(index: number): "full_asset_control" | "vpp_limited_control" {
  return index % 2 === 0 || index + 1 === DEMO_BATTERY_WITHOUT_CREDENTIALS ? "full_asset_control" : "vpp_limited_control";
}

/** When the demo households agreed (a month before the first seed). */
const CONSENT_AGE_MS = 30 * 86_400_000;

export interface DemoBattery {
  assetId: string;
  siteId: string;
  deviceId: string;
  ratedPowerKw: number;
  hasCredential: boolean;
}

/**
 * Idempotent: a site and battery per simulated device (skipped when its external id exists), the
 * household's boundary-meter and dispatch consents through the consent ledger, the OEM credential
 * (all but one) and enrolment in its proposition. Polling waits until the history is in.
 */
async function seedDemoBatteries(simulator: SimulatorHandle, orgId: string, say: (line: string) => void, now: Date): Promise<DemoBattery[]> {
  const ctx = systemContext(orgId, "demo seed");
  const consentAt = new Date(now.getTime() - CONSENT_AGE_MS);
  let created = 0;
  let enrolled = 0;
  const seeded: DemoBattery[] = [];
  const devices = simulator.listDevices().slice(0, DEMO_FLEET.count);
  for (const [index, device] of devices.entries()) {
    const externalId = demoBatteryExternalId(index);
    let asset = await getAssetByExternalId(ctx, { externalId }).catch(() => null);
    if (!asset) {
      const site = await createDemoHouseholdSite(ctx, index, consentAt);
      asset = await createAsset(ctx, {
        siteId: site.id,
        externalId,
        type: "battery",
        properties: { power_kw: device.ratedPowerKw, capacity_kwh: device.capacityKwh },
        oem: device.oem,
        oemDeviceId: device.deviceId,
      });
      created += 1;
    }
    const proposition = demoBatteryProposition(index);
    await recordConsent(ctx, {
      siteId: asset.siteId,
      changes: [
        { kind: BOUNDARY_METER_KIND, action: "granted" },
        { kind: proposition, action: "granted" },
      ],
      occurredAt: consentAt,
      reason: "Agreed when the battery was installed (demo)",
    });
    const withCredential = index + 1 !== DEMO_BATTERY_WITHOUT_CREDENTIALS;
    if (withCredential && !(await getOemCredentialSummary(ctx, asset.siteId))) {
      await submitOemCredential(ctx, { siteId: asset.siteId, oem: device.oem, tokenType: "API_KEY", accessToken: demoAccessToken(device) });
    }
    if (withCredential) {
      const outcome = await enrolSite(ctx, { siteId: asset.siteId, proposition }).catch((error: unknown) => {
        say(`${externalId} not enrolled: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      if (outcome?.status === "enrolled") enrolled += 1;
    }
    seeded.push({ assetId: asset.id, siteId: asset.siteId, deviceId: device.deviceId, ratedPowerKw: device.ratedPowerKw, hasCredential: withCredential });
  }
  if (created > 0 || enrolled > 0) say(`seeded ${created} demo battery sites with consents and credentials; ${enrolled} enrolled`);
  return seeded;
}

export const DEMO_CHARGER_COUNT = 12;
/** These chargers plug in at start-up whatever the hour, so the dashboard has live sessions at once; the rest follow the daily pattern. */
export const DEMO_CHARGERS_PLUGGED_AT_START = 3;
/** The last chargers are on Flex Lite (one inserted pause), the others on Smart Charging. */
const DEMO_FLEX_LITE_CHARGERS = 2;
const DEMO_CHARGER_CLIENT_NAME = "Demo charger platform (simulator)";

/** Households' tariffs: an Economy 7 style night, EV tariffs with longer windows, a short late window. */
const DEMO_TARIFFS = [
  { off_peak_times: "00:30-04:30", timezone: "Europe/London", tariff_type: "dual_rate" },
  { off_peak_times: "23:30-05:30", timezone: "Europe/London", tariff_type: "dual_rate" },
  { off_peak_times: "00:00-07:00", timezone: "Europe/London", tariff_type: "dual_rate" },
  { off_peak_times: "02:00-05:00", timezone: "Europe/London", tariff_type: "dual_rate" },
] as const;

/** What the householders of the chargers plugged in at start ask for: different cars, different mornings. */
const DEMO_START_INTENTS = [
  { energyRequiredKwh: 18, readyByLocalTime: "07:30" },
  { energyRequiredKwh: 34, readyByLocalTime: "06:30" },
  { energyRequiredKwh: 9, readyByLocalTime: "08:45" },
] as const;

export function demoChargerExternalId(index: number): string {
  return `demo-charger-${String(index + 1).padStart(2, "0")}`;
}

function demoChargerTariff(index: number) {
  return DEMO_TARIFFS[index % DEMO_TARIFFS.length] ?? DEMO_TARIFFS[0];
}

function demoChargerProposition(index: number): "full_asset_schedule_control" | "limited_pause" {
  return index >= DEMO_CHARGER_COUNT - DEMO_FLEX_LITE_CHARGERS ? "limited_pause" : "full_asset_schedule_control";
}

/** Chargers of the usual home sizes: mostly 7.4 kW single phase, some 3.6 kW and 11 kW three phase. */
function demoChargerProperties(index: number): { power_kw: number; phases: 1 | 3 } {
  if (index % 6 === 5) return { power_kw: 11, phases: 3 };
  if (index % 4 === 3) return { power_kw: 3.6, phases: 1 };
  return { power_kw: 7.4, phases: 1 };
}

/**
 * Idempotent: sites, charger assets, consent and enrolment (Smart Charging, the last two Flex
 * Lite), and a week of consumption for chargers created now; answers each charger's platform spec.
 */
async function seedDemoChargers(orgId: string, say: (line: string) => void, now: Date): Promise<ChargerSpec[]> {
  const ctx = systemContext(orgId, "demo seed");
  const specs: ChargerSpec[] = [];
  const fresh: HistoryCharger[] = [];
  for (let index = 0; index < DEMO_CHARGER_COUNT; index += 1) {
    const externalId = demoChargerExternalId(index);
    const properties = demoChargerProperties(index);
    const tariff = demoChargerTariff(index);
    let asset = await getAssetByExternalId(ctx, { externalId }).catch(() => null);
    if (!asset) {
      const site = await createDemoHouseholdSite(ctx, DEMO_FLEET.count + index, new Date(now.getTime() - CONSENT_AGE_MS));
      asset = await createAsset(ctx, { siteId: site.id, externalId, type: "charger", properties });
      const proposition = demoChargerProposition(index);
      await recordConsent(ctx, { siteId: site.id, changes: [{ kind: proposition, action: "granted" }], occurredAt: new Date(now.getTime() - CONSENT_AGE_MS) });
      await enrolSite(ctx, { siteId: site.id, proposition });
      fresh.push({ assetId: asset.id, powerKw: properties.power_kw, offPeak: tariff.off_peak_times, arrivesAtMinute: 17 * 60 + ((index * 37) % 180), dailyKwh: 8 + ((index * 5) % 20) });
    }
    specs.push({ id: externalId, assetId: asset.id, powerKw: properties.power_kw, autoPlug: index >= DEMO_CHARGERS_PLUGGED_AT_START, tariff });
  }
  if (fresh.length > 0) {
    const readings = await backfillChargerHistory(ctx, fresh, now);
    say(`seeded ${fresh.length} demo charger sites (Smart Charging and Flex Lite) with ${readings} half-hours of consumption`);
  }
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

/** Runs one optional piece of the demo: a failure is said and the demo carries on without it. */
function stepRunner(say: (line: string) => void) {
  return async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      say(`${what} skipped: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
}

/** Returns the charger platform's options, or undefined when chargers are skipped. */
async function prepareDemoChargers(config: Config, orgId: string, say: (line: string) => void, now: Date) {
  const step = stepRunner(say);
  const chargers = await step("demo chargers", () => seedDemoChargers(orgId, say, now));
  if (!chargers) return undefined;
  const client = await step("demo charger platform API client", () => demoPartnerClient(orgId));
  return {
    signingSecret: `demo_${randomBytes(24).toString("base64url")}`,
    chargers,
    ...(client ? { platformBaseUrl: `${config.appUrl.replace(/\/$/, "")}/api/v1`, clientId: client.clientId, clientSecret: client.clientSecret } : {}),
  };
}

/** The simulator's direct chargers, pointed at the launcher's OCPP-J gateway; undefined when the gateway is off or seeding failed. */
async function prepareDemoDirectChargers(config: Config, orgId: string, say: (line: string) => void, now: Date) {
  if (config.ocpp.port === 0) return undefined;
  const chargePoints = await stepRunner(say)("demo direct chargers", () => seedDemoDirectChargers(orgId, DEMO_FLEET.count + DEMO_CHARGER_COUNT, say, now));
  if (!chargePoints) return undefined;
  return { centralSystemUrl: `ws://127.0.0.1:${config.ocpp.port}/ocpp`, chargePoints, reconnectDelayMs: 3000 };
}

/**
 * Batteries, their week of history, prices and optimised schedules, and the grid events, in the
 * order each needs the one before: history before the polls (so it continues into live state),
 * history before prices (storing a curve re-plans today's schedules from the load history), the
 * fleet before the events (the dispatch planner picks from it).
 */
async function prepareDemoBatteries(simulator: SimulatorHandle, orgId: string, say: (line: string) => void, now: Date): Promise<void> {
  const ctx = systemContext(orgId, "demo seed");
  const step = stepRunner(say);
  const config = (baseUrl: string) => ({ baseUrl, rateLimit: null });
  setOemGatewayForProcess(
    createOemGateway({ foxess: config(simulator.baseUrls.foxess), givenergy: config(simulator.baseUrls.givenergy), sigenergy: config(simulator.baseUrls.sigenergy), solis: config(simulator.baseUrls.solis) }),
  );
  try {
    const batteries = (await step("demo batteries", () => seedDemoBatteries(simulator, orgId, say, now))) ?? [];
    const controlled = batteries.filter((b) => b.hasCredential);
    const fleetKw = controlled.reduce((sum, b) => sum + b.ratedPowerKw, 0);
    const withPastEvent = await step("yesterday's grid event", () => pastEventMissing(ctx));
    const commanded = withPastEvent ? { ...pastEventWindow(now), assetIds: new Set(controlled.map((b) => b.assetId)) } : null;
    const rows = await step("battery history", () => backfillBatteryHistory(ctx, simulator, controlled, now, commanded));
    if (rows) say(`replayed ${rows} battery observations (up to ${HISTORY_DAYS} days) from the simulator's physics`);
    await step("first battery readings", async () => {
      // A few at a time: each poll waits on its simulated cloud, not on this process.
      const queue = [...controlled];
      const lane = async () => {
        for (let battery = queue.shift(); battery; battery = queue.shift()) await pollBattery(ctx, battery.assetId);
      };
      await Promise.all(Array.from({ length: 6 }, lane));
      say(`read ${controlled.length} batteries live`);
    });
    await step("demo market price curve", async () => {
      const stored = await storePriceCurve(ctx, { points: demoPriceCurve(now) }, "demo");
      say(`stored a demo market price curve (${stored.curve.pointCount} half hours); today's optimised schedules planned`);
    });
    await step("tomorrow's optimised schedules", async () => {
      const run = await planDailyBatterySchedules(ctx, { now });
      say(`planned ${run.planned} Fully Optimised schedules for ${run.localDate}${run.skipped.length > 0 ? ` (${run.skipped.length} skipped)` : ""}`);
    });
    await step("yesterday's grid event", async () => {
      const past = await seedPastGridEvent(ctx, now, fleetKw);
      if (past) say(`yesterday's grid event: ${past.participants} batteries, ${past.deliveredKwh.toFixed(1)} kWh delivered, £${(past.creditedPence / 100).toFixed(2)} credited`);
    });
    await step("today's grid event", async () => {
      const startAt = await seedUpcomingGridEvent(ctx, now, fleetKw);
      if (startAt) say(`a grid event is scheduled for ${startAt.toISOString().slice(11, 16)} UTC`);
    });
  } finally {
    setOemGatewayForProcess(undefined);
  }
}

export async function startDemoWorld(config: Config, orgId: string, say: (line: string) => void, now = new Date()): Promise<DemoWorld | undefined> {
  const chargerPlatform = await prepareDemoChargers(config, orgId, say, now);
  const chargePoints = await prepareDemoDirectChargers(config, orgId, say, now);
  const simulator = await startSimulator({
    port: config.simulator.port,
    fleet: DEMO_FLEET,
    seed: DEMO_FLEET.seed,
    ...(chargerPlatform ? { chargerPlatform } : {}),
    ...(chargePoints ? { chargePoints } : {}),
  });
  say(`OEM simulator at ${simulator.url} with ${DEMO_FLEET.count} demo batteries`);
  if (simulator.chargePoints && chargePoints) {
    say(`${chargePoints.chargePoints.length} direct chargers connect to ${chargePoints.centralSystemUrl}/{id} (retrying until the gateway is up)`);
    for (const { id, energyRequiredKwh } of demoDirectChargersPluggedAtStart(orgId)) void simulator.chargePoints.plugIn(id, { energyRequiredKwh });
  }
  await prepareDemoBatteries(simulator, orgId, say, now);
  const platform = simulator.chargerPlatform;
  if (platform && chargerPlatform && simulator.scheduleEndpointUrl) {
    const url = simulator.scheduleEndpointUrl;
    const endpointSet = await stepRunner(say)("demo schedule endpoint", async () => {
      await setScheduleEndpoint(systemContext(orgId, "demo seed"), { url, ocppVersion: "1.6", secret: chargerPlatform.signingSecret, enabled: true });
      return true;
    });
    say(`charger platform at ${url} with ${chargerPlatform.chargers.length} chargers${endpointSet ? " (the organisation's schedule endpoint)" : ""}`);
    if (platform.partnerConfigured) {
      // Plug events wait for the app: a failed send is retried on the next tick.
      for (const [i, spec] of chargerPlatform.chargers.slice(0, DEMO_CHARGERS_PLUGGED_AT_START).entries()) {
        void platform.plugIn(spec.id, DEMO_START_INTENTS[i % DEMO_START_INTENTS.length] ?? DEMO_START_INTENTS[0]);
      }
    } else say("the charger platform sends no events: its API client was skipped");
  }
  return { url: simulator.url, stop: () => simulator.stop(), directChargers: () => simulator.chargePoints?.list() ?? [] };
}
