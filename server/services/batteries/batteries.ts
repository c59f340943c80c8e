// Live battery state: poll one battery through its OEM, keep readings as a time
// series, and answer the fleet view (totals, table, one battery, its history).
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { assets, batteryActions, batteryPollStates, batteryReadings, oemCredentials, sites, type BatteryReadingRow } from "@/db/schema";
import { getDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { forEachConcurrently } from "@/server/domain/concurrency";
import { OemCredentialRejectedError, OemError, type OemGateway, type OperationMode } from "@/server/oem";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { credentialUseUpdate, openOemCredentialRow, recordCredentialRejected, storedCredentialStatus, type CredentialStatus } from "../credentials/credentials";
import { getOemGateway } from "../credentials/oem-gateway";
import { authorize } from "../authorize";

export interface BatteryDeps {
  gateway?: OemGateway;
  now?: Date;
}

export type PollOutcome = { ok: true; reading: BatteryReadingRow } | { ok: false; errorCode: string; retryInSeconds: number };

/** Backoff for a failing battery: doubles per consecutive failure, capped at one hour. */
export function pollBackoffSeconds(consecutiveFailures: number, intervalSeconds: number): number {
  return Math.min(3600, intervalSeconds * 2 ** Math.max(0, consecutiveFailures - 1));
}

/** Where in the interval a battery's polls fall, from its id: spreads a fleet evenly over time. */
export function pollOffsetSeconds(assetId: string, intervalSeconds: number): number {
  let hash = 0;
  for (const ch of assetId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % intervalSeconds;
}

type PolledBattery = { asset: typeof assets.$inferSelect; credential: typeof oemCredentials.$inferSelect | null };
type ReadOutcome = { ok: true; reading: BatteryReadingRow; credentialId: string } | { ok: false; errorCode: string };

/** Batteries of the organisation with their site's credential, in one round trip: polling is the fleet's hottest path. */
function selectPolledBatteries(ctx: ServiceContext, assetIds: readonly string[]) {
  return ctx.db
    .select({ asset: assets, credential: oemCredentials })
    .from(assets)
    .leftJoin(oemCredentials, and(eq(oemCredentials.organisationId, assets.organisationId), eq(oemCredentials.siteId, assets.siteId)))
    .where(and(eq(assets.organisationId, ctx.orgId), inArray(assets.id, [...assetIds]), eq(assets.type, "battery")));
}

/** Asks the battery's cloud for its state; records a rejected credential. Writes nothing else. */
async function readBattery(ctx: ServiceContext, { asset, credential: credentialRow }: PolledBattery, now: Date, deps: BatteryDeps): Promise<ReadOutcome> {
  if (!asset.oemDeviceId) return { ok: false, errorCode: "NO_DEVICE_ID" };
  const credential = credentialRow && openOemCredentialRow(credentialRow, { now });
  if (!credentialRow || !credential) return { ok: false, errorCode: "NO_CREDENTIAL" };
  if (credential.status === "rejected") return { ok: false, errorCode: "CREDENTIAL_REJECTED" };
  let state;
  try {
    state = await (deps.gateway ?? getOemGateway()).readState(credential.credential, asset.oemDeviceId);
  } catch (e) {
    // Only the cloud's refusal rejects the credential; a time-out or the OEM guard's cooldown is a failed poll.
    if (e instanceof OemCredentialRejectedError) await recordCredentialRejected(ctx, credentialRow, e.reason, now);
    if (e instanceof OemError) return { ok: false, errorCode: e.code };
    throw e;
  }
  const reading = {
    organisationId: ctx.orgId,
    assetId: asset.id,
    observedAt: state.observedAt,
    socPct: state.socPct,
    batteryPowerKw: state.batteryPowerKw,
    gridPowerKw: state.gridPowerKw,
    solarPowerKw: state.solarPowerKw,
    loadPowerKw: state.loadPowerKw,
    operationMode: state.operationMode,
    oemMode: state.oemMode,
    dischargeFloorPct: state.dischargeFloorPct,
    receivedAt: now,
  };
  return { ok: true, reading, credentialId: credential.id };
}

/** Doublings of the poll interval at most: 2^12 intervals is past the one-hour cap for any interval. */
const MAX_BACKOFF_DOUBLINGS = 12;

/**
 * Failed polls: each battery's failure counted and the battery backed off (pollBackoffSeconds,
 * computed in the statement), for any number of batteries in one statement.
 */
async function recordPollFailures(ctx: ServiceContext, failures: readonly { assetId: string; errorCode: string }[], now: Date, interval: number): Promise<Map<string, PollOutcome>> {
  if (failures.length === 0) return new Map();
  const t = batteryPollStates;
  // In SET, the columns are the row before this failure: n failures so far back off interval * 2^n.
  const backoffSeconds = sql`least(3600, ${interval} * power(2, least(${t.consecutiveFailures}, ${MAX_BACKOFF_DOUBLINGS})))`;
  const states = await ctx.db
    .insert(t)
    .values(
      failures.map(({ assetId, errorCode }) => ({
        assetId,
        organisationId: ctx.orgId,
        lastAttemptAt: now,
        consecutiveFailures: 1,
        lastErrorCode: errorCode,
        nextPollAt: new Date(now.getTime() + pollBackoffSeconds(1, interval) * 1000),
      })),
    )
    .onConflictDoUpdate({
      target: t.assetId,
      set: {
        lastAttemptAt: now,
        consecutiveFailures: sql`${t.consecutiveFailures} + 1`,
        lastErrorCode: sql.raw("excluded.last_error_code"),
        nextPollAt: sql`${now.toISOString()}::timestamptz + make_interval(secs => ${backoffSeconds})`,
      },
    })
    .returning({ assetId: t.assetId, consecutiveFailures: t.consecutiveFailures });
  const failed = new Map(states.map((state) => [state.assetId, state.consecutiveFailures]));
  return new Map(
    failures.map(({ assetId, errorCode }) => [assetId, { ok: false, errorCode, retryInSeconds: pollBackoffSeconds(failed.get(assetId) ?? 1, interval) }]),
  );
}

/**
 * Successful reads: the readings, the poll states and the credentials' "last used", for any
 * number of batteries, in one statement (one round trip, one commit). Clouds report with coarse
 * timestamps: a later read of the same instant replaces the earlier one.
 */
async function storeReadings(ctx: ServiceContext, reads: readonly { reading: BatteryReadingRow; credentialId: string }[], now: Date, interval: number): Promise<void> {
  if (reads.length === 0) return;
  const nextPollAt = new Date(now.getTime() + interval * 1000);
  const latest = (column: string) => sql.raw(`excluded.${column}`);
  const storeReading = ctx.db
    .insert(batteryReadings)
    .values(reads.map((r) => r.reading))
    .onConflictDoUpdate({
      target: [batteryReadings.assetId, batteryReadings.observedAt],
      set: {
        socPct: latest("soc_pct"),
        batteryPowerKw: latest("battery_power_kw"),
        gridPowerKw: latest("grid_power_kw"),
        solarPowerKw: latest("solar_power_kw"),
        loadPowerKw: latest("load_power_kw"),
        operationMode: latest("operation_mode"),
        oemMode: latest("oem_mode"),
        dischargeFloorPct: latest("discharge_floor_pct"),
        receivedAt: latest("received_at"),
      },
    });
  const recordSuccess = ctx.db
    .insert(batteryPollStates)
    .values(reads.map((r) => ({ assetId: r.reading.assetId, organisationId: ctx.orgId, lastAttemptAt: now, lastSuccessAt: now, consecutiveFailures: 0, nextPollAt })))
    .onConflictDoUpdate({ target: batteryPollStates.assetId, set: { lastAttemptAt: now, lastSuccessAt: now, consecutiveFailures: 0, lastErrorCode: null, nextPollAt } });
  const credentialIds = [...new Set(reads.map((r) => r.credentialId))];
  await ctx.db.execute(sql`with stored_reading as (${storeReading.getSQL()}), poll_state as (${recordSuccess.getSQL()}) ${credentialUseUpdate(ctx, credentialIds, now).getSQL()}`);
}

// eslint-disable-next-line flexfleet/authorize-first -- internal: the poll job (system), authorized commands, readBatteryNow and pollSiteBatteries
export async function pollBattery(ctx: ServiceContext, assetId: string, deps: BatteryDeps = {}): Promise<PollOutcome> {
  if (!isUuid(assetId)) throw notFound("Battery");
  const now = deps.now ?? new Date();
  const interval = getConfig().batteries.pollIntervalSeconds;
  const [found] = await selectPolledBatteries(ctx, [assetId]).limit(1);
  if (!found) throw notFound("Battery");
  const outcome = await readBattery(ctx, found, now, deps);
  if (!outcome.ok) {
    const failed = await recordPollFailures(ctx, [{ assetId, errorCode: outcome.errorCode }], now, interval);
    return failed.get(assetId) ?? { ok: false, errorCode: outcome.errorCode, retryInSeconds: interval };
  }
  await storeReadings(ctx, [outcome], now, interval);
  return { ok: true, reading: outcome.reading };
}

/** An operator's "read now": the battery's state from its OEM cloud at once, instead of at its next poll. */
export async function readBatteryNow(ctx: ServiceContext, assetId: string, deps: BatteryDeps = {}): Promise<PollOutcome> {
  authorize(ctx, "batteries:control");
  return pollBattery(ctx, assetId, deps);
}

/**
 * Clouds asked at once by one poll job. Several jobs run side by side (JOBS_POLL_CONCURRENCY), so
 * this times that stays under what the OEM guard lets through, and no read fails for want of a slot.
 */
const POLL_READS_PER_JOB = 16;

/**
 * Polls many batteries of the organisation at once (the poll job carries a slot's worth): one
 * read of the batteries, their clouds asked side by side (the OEM guard bounds how many per cloud),
 * and every successful reading written in one statement. Unknown ids are skipped.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: the poll job (system) reads a slot of batteries
export async function pollBatteries(ctx: ServiceContext, assetIds: readonly string[], deps: BatteryDeps = {}): Promise<{ ok: number; failed: number }> {
  const ids = [...new Set(assetIds)].filter(isUuid);
  if (ids.length === 0) return { ok: 0, failed: 0 };
  const now = deps.now ?? new Date();
  const interval = getConfig().batteries.pollIntervalSeconds;
  const found = await selectPolledBatteries(ctx, ids);
  const outcomes: { assetId: string; outcome: ReadOutcome }[] = [];
  await forEachConcurrently(found, POLL_READS_PER_JOB, async (battery) => {
    outcomes.push({ assetId: battery.asset.id, outcome: await readBattery(ctx, battery, now, deps) });
  });
  const reads = outcomes.flatMap(({ outcome }) => (outcome.ok ? [outcome] : []));
  await storeReadings(ctx, reads, now, interval);
  await recordPollFailures(ctx, outcomes.flatMap(({ assetId, outcome }) => (outcome.ok ? [] : [{ assetId, errorCode: outcome.errorCode }])), now, interval);
  return { ok: reads.length, failed: outcomes.length - reads.length };
}

/** Every battery with an OEM device id and a credential, across organisations, for the poll scheduler. */
export async function listPollableBatteries(db: ServiceContext["db"] = getDb()): Promise<{ orgId: string; assetId: string; nextPollAt: Date | null }[]> {
  return db
    .select({ orgId: assets.organisationId, assetId: assets.id, nextPollAt: batteryPollStates.nextPollAt })
    .from(assets)
    .innerJoin(oemCredentials, eq(oemCredentials.siteId, assets.siteId))
    .leftJoin(batteryPollStates, eq(batteryPollStates.assetId, assets.id))
    .where(and(eq(assets.type, "battery"), isNotNull(assets.oemDeviceId)));
}

export type ChargeStatus = "CHARGING" | "DISCHARGING" | "IDLE" | "FAULT" | "UNKNOWN";

export interface BatterySummary {
  assetId: string;
  siteId: string;
  externalId: string;
  oem: string | null;
  oemDeviceId: string | null;
  capacityKwh: number | null;
  ratedPowerKw: number | null;
  socPct: number | null;
  batteryPowerKw: number | null;
  gridPowerKw: number | null;
  solarPowerKw: number | null;
  loadPowerKw: number | null;
  operationMode: OperationMode | null;
  oemMode: string | null;
  dischargeFloorPct: number | null;
  lastSeenAt: Date | null;
  /** online: read recently; stale: has a credential but no recent reading; no_credential: nothing to read it with yet. */
  connection: BatteryConnection;
  stale: boolean;
  chargeStatus: ChargeStatus;
  credentialStatus: CredentialStatus | null;
  credentialLastUsedAt: Date | null;
  pendingActionId: string | null;
}

function numberProperty(properties: Record<string, unknown>, key: string): number | null {
  const value = properties[key];
  return typeof value === "number" ? value : null;
}

function chargeStatusOf(power: number | null, stale: boolean): ChargeStatus {
  if (power === null || stale) return "UNKNOWN";
  if (power > 0.05) return "CHARGING";
  if (power < -0.05) return "DISCHARGING";
  return "IDLE";
}

const OPERATION_MODE_VALUES = new Set<string>(["SELF_RELIANCE", "TIME_OF_USE", "IMPORT_FOCUS", "EXPORT_FOCUS"]);
const asMode = (value: string | null): OperationMode | null => (value !== null && OPERATION_MODE_VALUES.has(value) ? (value as OperationMode) : null);

export const BATTERY_CONNECTIONS = ["online", "stale", "no_credential"] as const;
export type BatteryConnection = (typeof BATTERY_CONNECTIONS)[number];

export interface ListBatteriesInput {
  oem?: string;
  status?: BatteryConnection;
  mode?: OperationMode;
  search?: string;
}

async function loadSummaries(ctx: ServiceContext, assetFilter: ReturnType<typeof eq> | undefined, now: Date): Promise<BatterySummary[]> {
  const staleMs = getConfig().batteries.staleAfterSeconds * 1000;
  const rows = await ctx.db
    .select({ asset: assets, credential: oemCredentials, poll: batteryPollStates })
    .from(assets)
    .leftJoin(oemCredentials, eq(oemCredentials.siteId, assets.siteId))
    .leftJoin(batteryPollStates, eq(batteryPollStates.assetId, assets.id))
    // An offboarded site's batteries are no longer part of the fleet: not listed, not found.
    .where(
      and(
        eq(assets.organisationId, ctx.orgId),
        eq(assets.type, "battery"),
        assetFilter,
        sql`exists (select 1 from ${sites} where ${sites.id} = ${assets.siteId} and ${sites.status} = 'active')`,
      ),
    )
    .orderBy(asc(assets.externalId));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.asset.id);
  // Latest reading per battery: one index probe each via DISTINCT ON over (asset_id, observed_at desc).
  const latest = await ctx.db
    .selectDistinctOn([batteryReadings.assetId])
    .from(batteryReadings)
    .where(inArray(batteryReadings.assetId, ids))
    .orderBy(batteryReadings.assetId, desc(batteryReadings.observedAt));
  const latestByAsset = new Map(latest.map((r) => [r.assetId, r]));
  const pending = await ctx.db
    .select({ id: batteryActions.id, assetId: batteryActions.assetId })
    .from(batteryActions)
    .where(and(inArray(batteryActions.assetId, ids), eq(batteryActions.state, "PENDING")));
  const pendingByAsset = new Map(pending.map((p) => [p.assetId, p.id]));
  return rows.map(({ asset, credential, poll }) => {
    const reading = latestByAsset.get(asset.id);
    const lastSeenAt = poll?.lastSuccessAt ?? reading?.receivedAt ?? null;
    // Without a credential nothing can read the battery: that is its own state, not staleness.
    const connection: BatteryConnection = !credential ? "no_credential" : lastSeenAt === null || now.getTime() - lastSeenAt.getTime() > staleMs ? "stale" : "online";
    const stale = connection === "stale";
    return {
      assetId: asset.id,
      siteId: asset.siteId,
      externalId: asset.externalId,
      oem: asset.oem,
      oemDeviceId: asset.oemDeviceId,
      capacityKwh: numberProperty(asset.properties, "capacity_kwh"),
      ratedPowerKw: numberProperty(asset.properties, "power_kw"),
      socPct: reading?.socPct ?? null,
      batteryPowerKw: reading?.batteryPowerKw ?? null,
      gridPowerKw: reading?.gridPowerKw ?? null,
      solarPowerKw: reading?.solarPowerKw ?? null,
      loadPowerKw: reading?.loadPowerKw ?? null,
      operationMode: asMode(reading?.operationMode ?? null),
      oemMode: reading?.oemMode ?? null,
      dischargeFloorPct: reading?.dischargeFloorPct ?? null,
      lastSeenAt,
      connection,
      stale,
      chargeStatus: chargeStatusOf(reading?.batteryPowerKw ?? null, stale),
      credentialStatus: credential ? storedCredentialStatus(credential, now) : null,
      credentialLastUsedAt: credential?.lastUsedAt ?? null,
      pendingActionId: pendingByAsset.get(asset.id) ?? null,
    };
  });
}

function filterBatteries(all: readonly BatterySummary[], input: ListBatteriesInput): BatterySummary[] {
  const search = input.search?.trim().toLowerCase();
  return all.filter(
    (b) =>
      (input.oem === undefined || b.oem === input.oem) &&
      (input.status === undefined || input.status === b.connection) &&
      (input.mode === undefined || b.operationMode === input.mode) &&
      (!search || b.externalId.toLowerCase().includes(search) || (b.oemDeviceId ?? "").toLowerCase().includes(search)),
  );
}

export async function listBatteries(ctx: ServiceContext, input: ListBatteriesInput = {}, now = new Date()): Promise<BatterySummary[]> {
  authorize(ctx, "sites:read");
  return filterBatteries(await loadSummaries(ctx, undefined, now), input);
}

export const BATTERY_SORTS = ["name", "soc", "power", "last_seen"] as const;
export type BatterySort = (typeof BATTERY_SORTS)[number];

export interface BatteryPageInput extends ListBatteriesInput {
  sort?: BatterySort;
  direction?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

export interface BatteryFleetView {
  fleet: FleetSummary;
  batteries: BatterySummary[];
  /** How many batteries the filter keeps, over all pages. */
  total: number;
}

/**
 * The fleet's batteries as SQL columns: each with its newest reading (one index probe per battery,
 * through a lateral join), when it was last seen and its connection state. Filtering, sorting,
 * paging and the fleet totals all run on it in the database, so the batteries page reads one page
 * of rows and a single totals row however large the fleet is.
 */
function fleetRows(ctx: ServiceContext, now: Date) {
  // A raw-SQL parameter goes to the driver as is: an ISO string, cast in the statement.
  const staleCutoff = sql`${new Date(now.getTime() - getConfig().batteries.staleAfterSeconds * 1000).toISOString()}::timestamptz`;
  const latest = ctx.db
    .select({
      socPct: batteryReadings.socPct,
      batteryPowerKw: batteryReadings.batteryPowerKw,
      operationMode: batteryReadings.operationMode,
      dischargeFloorPct: batteryReadings.dischargeFloorPct,
      receivedAt: batteryReadings.receivedAt,
    })
    .from(batteryReadings)
    .where(sql`${batteryReadings.assetId} = ${assets.id}`)
    .orderBy(desc(batteryReadings.observedAt))
    .limit(1)
    .as("latest");
  const lastSeen = sql<Date | null>`coalesce(${batteryPollStates.lastSuccessAt}, ${latest.receivedAt})`;
  // Keys are our own constants, written into the SQL (a bound parameter makes `->` ambiguous).
  const numberIn = (key: "power_kw" | "capacity_kwh") => {
    const k = sql.raw(`'${key}'`);
    return sql<number | null>`case when jsonb_typeof(${assets.properties} -> ${k}) = 'number' then (${assets.properties} ->> ${k})::float8 end`;
  };
  return ctx.db.$with("fleet").as(
    ctx.db
      .select({
        id: assets.id,
        externalId: assets.externalId,
        oem: assets.oem,
        oemDeviceId: assets.oemDeviceId,
        hasCredential: sql<boolean>`${oemCredentials.id} is not null`.as("has_credential"),
        socPct: latest.socPct,
        batteryPowerKw: latest.batteryPowerKw,
        operationMode: latest.operationMode,
        dischargeFloorPct: latest.dischargeFloorPct,
        lastSeenAt: lastSeen.as("last_seen_at"),
        connection: sql<BatteryConnection>`case when ${oemCredentials.id} is null then 'no_credential' when ${lastSeen} is null or ${lastSeen} < ${staleCutoff} then 'stale' else 'online' end`.as(
          "connection",
        ),
        ratedPowerKw: numberIn("power_kw").as("rated_power_kw"),
        capacityKwh: numberIn("capacity_kwh").as("capacity_kwh"),
      })
      .from(assets)
      .leftJoin(oemCredentials, eq(oemCredentials.siteId, assets.siteId))
      .leftJoin(batteryPollStates, eq(batteryPollStates.assetId, assets.id))
      .leftJoinLateral(latest, sql`true`)
      .where(
        and(
          eq(assets.organisationId, ctx.orgId),
          eq(assets.type, "battery"),
          // An offboarded site's batteries are no longer part of the fleet.
          sql`exists (select 1 from ${sites} where ${sites.id} = ${assets.siteId} and ${sites.status} = 'active')`,
        ),
      ),
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One page of the fleet table, filtered and sorted in the database, with totals for the whole fleet. */
export async function getBatteryFleetView(ctx: ServiceContext, input: BatteryPageInput = {}, now = new Date()): Promise<BatteryFleetView> {
  authorize(ctx, "sites:read");
  const fleet = fleetRows(ctx, now);
  const search = input.search?.trim().toLowerCase();
  const pattern = search ? `%${escapeLike(search)}%` : null;
  const where = and(
    input.oem !== undefined ? eq(fleet.oem, input.oem) : undefined,
    input.mode !== undefined ? eq(fleet.operationMode, input.mode) : undefined,
    input.status !== undefined ? eq(fleet.connection, input.status) : undefined,
    pattern ? sql`(lower(${fleet.externalId}) like ${pattern} or lower(coalesce(${fleet.oemDeviceId}, '')) like ${pattern})` : undefined,
  );
  const sortColumn = { name: sql`lower(${fleet.externalId})`, soc: sql`${fleet.socPct}`, power: sql`${fleet.batteryPowerKw}`, last_seen: sql`${fleet.lastSeenAt}` }[input.sort ?? "name"];
  // Batteries never read sort last either way: they have nothing to compare.
  const order = input.direction === "desc" ? sql`${sortColumn} desc nulls last` : sql`${sortColumn} asc nulls last`;
  const [page, [count], totals] = await Promise.all([
    ctx.db
      .with(fleet)
      .select({ id: fleet.id })
      .from(fleet)
      .where(where)
      .orderBy(order, asc(fleet.externalId), asc(fleet.id))
      .limit(Math.min(Math.max(input.limit ?? 50, 1), 200))
      .offset(Math.max(input.offset ?? 0, 0)),
    ctx.db.with(fleet).select({ total: sql<number>`count(*)`.mapWith(Number) }).from(fleet).where(where),
    fleetTotals(ctx, now),
  ]);
  const ids = page.map((row) => row.id);
  const summaries = ids.length === 0 ? [] : await loadSummaries(ctx, inArray(assets.id, ids), now);
  const byId = new Map(summaries.map((b) => [b.assetId, b]));
  return { fleet: totals, batteries: ids.flatMap((id) => byId.get(id) ?? []), total: count?.total ?? 0 };
}

/** Totals over every battery in the fleet, in one aggregate row. */
async function fleetTotals(ctx: ServiceContext, now: Date): Promise<FleetSummary> {
  const fleet = fleetRows(ctx, now);
  const online = sql`${fleet.connection} = 'online' and ${fleet.socPct} is not null`;
  const rated = sql`coalesce(${fleet.ratedPowerKw}, 0)`;
  const [totals] = await ctx.db
    .with(fleet)
    .select({
      batteries: sql<number>`count(*)`.mapWith(Number),
      online: sql<number>`count(*) filter (where ${online})`.mapWith(Number),
      noCredential: sql<number>`count(*) filter (where not ${fleet.hasCredential})`.mapWith(Number),
      energyStoredKwh: sql<number>`coalesce(sum(coalesce(${fleet.capacityKwh}, 0) * ${fleet.socPct} / 100) filter (where ${online}), 0)`.mapWith(Number),
      availableChargeKw: sql<number>`coalesce(sum(${rated}) filter (where ${online} and ${fleet.socPct} < 99.5), 0)`.mapWith(Number),
      availableDischargeKw: sql<number>`coalesce(sum(${rated}) filter (where ${online} and ${fleet.socPct} > coalesce(${fleet.dischargeFloorPct}, 0) + 0.5), 0)`.mapWith(Number),
    })
    .from(fleet);
  const t = totals ?? { batteries: 0, online: 0, noCredential: 0, energyStoredKwh: 0, availableChargeKw: 0, availableDischargeKw: 0 };
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    batteries: t.batteries,
    online: t.online,
    stale: t.batteries - t.online - t.noCredential,
    noCredential: t.noCredential,
    energyStoredKwh: round(t.energyStoredKwh),
    availableChargeKw: round(t.availableChargeKw),
    availableDischargeKw: round(t.availableDischargeKw),
  };
}

export async function getBattery(ctx: ServiceContext, assetId: string, now = new Date()): Promise<BatterySummary> {
  authorize(ctx, "sites:read");
  if (!isUuid(assetId)) throw notFound("Battery");
  const [battery] = await loadSummaries(ctx, eq(assets.id, assetId), now);
  if (!battery) throw notFound("Battery");
  return battery;
}

export interface FleetSummary {
  batteries: number;
  online: number;
  stale: number;
  noCredential: number;
  energyStoredKwh: number;
  /** Headroom to charge / discharge now, summed over online batteries, kW. */
  availableChargeKw: number;
  availableDischargeKw: number;
}

export async function getFleetSummary(ctx: ServiceContext, now = new Date()): Promise<FleetSummary> {
  authorize(ctx, "sites:read");
  return fleetTotals(ctx, now);
}

export interface BatteryReadingPoint {
  observedAt: Date;
  socPct: number;
  batteryPowerKw: number;
  gridPowerKw: number;
  solarPowerKw: number;
  loadPowerKw: number;
  operationMode: OperationMode | null;
}

/** Readings in [from, to], oldest first, thinned to at most `maxPoints` for charting. */
export async function getBatteryReadings(ctx: ServiceContext, input: { assetId: string; from: Date; to: Date; maxPoints?: number }): Promise<BatteryReadingPoint[]> {
  authorize(ctx, "sites:read");
  await getBattery(ctx, input.assetId);
  const rows = await ctx.db
    .select()
    .from(batteryReadings)
    .where(and(eq(batteryReadings.organisationId, ctx.orgId), eq(batteryReadings.assetId, input.assetId), gte(batteryReadings.observedAt, input.from), lte(batteryReadings.observedAt, input.to)))
    .orderBy(asc(batteryReadings.observedAt));
  const maxPoints = input.maxPoints ?? 1000;
  const step = Math.max(1, Math.ceil(rows.length / maxPoints));
  // Keep every mode change so the chart can mark it, however thin the rest gets.
  return rows
    .filter((r, i) => i % step === 0 || i === rows.length - 1 || r.operationMode !== rows[i - 1]?.operationMode)
    .map((r) => ({
      observedAt: r.observedAt,
      socPct: r.socPct,
      batteryPowerKw: r.batteryPowerKw,
      gridPowerKw: r.gridPowerKw,
      solarPowerKw: r.solarPowerKw,
      loadPowerKw: r.loadPowerKw,
      operationMode: asMode(r.operationMode),
    }));
}

/** Reads every battery at a site once, e.g. straight after its credential was added, so state shows without waiting for the schedule. */
export async function pollSiteBatteries(ctx: ServiceContext, siteId: string, deps: BatteryDeps = {}): Promise<PollOutcome[]> {
  authorize(ctx, "credentials:write");
  const rows = await ctx.db
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, siteId), eq(assets.type, "battery"), isNotNull(assets.oemDeviceId)));
  return Promise.all(rows.map((r) => pollBattery(ctx, r.id, deps)));
}
