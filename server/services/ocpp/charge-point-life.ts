// What a connected charge point tells the platform, in the platform's terms: boot details, heartbeats,
// connector status (which opens and closes charging sessions through the same plug-in / plug-out path
// as a partner's events), transactions (whose ids profiles must carry), meter values (readings) and a
// 2.0.1 vehicle's charging needs (an intent). Called by the gateway with the charge point's organisation.
import { and, eq, isNull, sql } from "drizzle-orm";
import { chargingSessions, ocppChargePoints, ocppTransactionIds, type OcppChargePointRow } from "@/db/schema";
import { plugStateOfStatus, type EnergyRegisterReading, type OcppVersion, type TransactionEventMeaning } from "@/server/ocpp";
import { log } from "@/server/log";
import { authorize } from "../authorize";
import { recordIntent, recordPlugIn, recordPlugOut } from "../charging/events";
import { getLatestIntent } from "../charging/intents";
import { DEFAULT_READY_BY_LOCAL_TIME } from "../charging/planning";
import type { ServiceContext } from "../context";
import { isServiceError, notFound } from "../errors";
import { ingestReadings } from "../readings/ingest-readings";

// The charging services refuse events more than 5 minutes ahead of the platform's clock; a charger
// whose clock is off by more than that has its events stamped with the time of receipt instead.
const CHARGER_CLOCK_TRUSTED_MS = 4 * 60_000;

/** The charger's own timestamp when its clock is plausible, otherwise the time of receipt. */
export function eventTime(reported: Date | undefined, now: Date): Date {
  if (reported === undefined || Number.isNaN(reported.getTime())) return now;
  return Math.abs(reported.getTime() - now.getTime()) <= CHARGER_CLOCK_TRUSTED_MS ? reported : now;
}

async function chargePointRow(ctx: ServiceContext, chargePointRowId: string): Promise<OcppChargePointRow> {
  const [row] = await ctx.db
    .select()
    .from(ocppChargePoints)
    .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, chargePointRowId)));
  if (!row) throw notFound("Charge point");
  return row;
}

export interface BootDetails {
  vendor: string;
  model: string;
  firmwareVersion?: string | undefined;
  serialNumber?: string | undefined;
}

/** BootNotification: who the charger is and what it runs. */
export async function recordBootNotification(ctx: ServiceContext, input: { chargePointRowId: string; boot: BootDetails; now: Date }): Promise<void> {
  authorize(ctx, "ocpp:gateway");
  await ctx.db
    .update(ocppChargePoints)
    .set({
      vendor: input.boot.vendor,
      model: input.boot.model,
      firmwareVersion: input.boot.firmwareVersion ?? null,
      serialNumber: input.boot.serialNumber ?? null,
      lastBootAt: input.now,
      lastHeartbeatAt: input.now,
      updatedAt: input.now,
    })
    .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, input.chargePointRowId)));
}

export async function recordHeartbeat(ctx: ServiceContext, input: { chargePointRowId: string; now: Date }): Promise<void> {
  authorize(ctx, "ocpp:gateway");
  await ctx.db
    .update(ocppChargePoints)
    .set({ lastHeartbeatAt: input.now })
    .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, input.chargePointRowId)));
}

async function plugIn(ctx: ServiceContext, cp: OcppChargePointRow, at: Date, now: Date): Promise<void> {
  await recordPlugIn(ctx, { assetId: cp.assetId, occurredAt: at, source: "ocpp" }, { now });
}

async function plugOut(ctx: ServiceContext, cp: OcppChargePointRow, at: Date, now: Date): Promise<void> {
  await recordPlugOut(ctx, { assetId: cp.assetId, occurredAt: at, source: "ocpp" }, { now });
}

export interface ConnectorStatusInput {
  chargePointRowId: string;
  version: OcppVersion;
  /** "1" (1.6 connector) or "1/1" (2.0.1 EVSE/connector); connector 0 (the whole charge point) is stored but moves no session. */
  connector: string;
  status: string;
  errorCode?: string | undefined;
  reportedAt?: Date | undefined;
  now: Date;
}

/**
 * StatusNotification: stores the connector's status and, when the plug state changes (cable in:
 * Preparing / Charging / ... or Occupied; cable out: Available), records a plug-in or plug-out, which
 * opens or closes the charging session, plans it or clears its profile.
 */
export async function recordConnectorStatus(ctx: ServiceContext, input: ConnectorStatusInput): Promise<{ plug: "plugged_in" | "unplugged" | null }> {
  authorize(ctx, "ocpp:gateway");
  const cp = await chargePointRow(ctx, input.chargePointRowId);
  const at = eventTime(input.reportedAt, input.now);
  const previous = cp.connectorStatus[input.connector];
  await ctx.db
    .update(ocppChargePoints)
    .set({
      connectorStatus: sql`${ocppChargePoints.connectorStatus} || ${JSON.stringify({ [input.connector]: { status: input.status, ...(input.errorCode === undefined ? {} : { errorCode: input.errorCode }), at: at.toISOString() } })}::jsonb`,
      updatedAt: input.now,
    })
    .where(eq(ocppChargePoints.id, cp.id));
  if (input.connector === "0") return { plug: null };
  const plug = plugStateOfStatus(input.version, input.status);
  const before = previous === undefined ? null : plugStateOfStatus(input.version, previous.status);
  if (plug === null || plug === before) return { plug: null };
  if (plug === "plugged_in") await plugIn(ctx, cp, at, input.now);
  else await plugOut(ctx, cp, at, input.now);
  return { plug };
}

async function openSessionId(ctx: ServiceContext, assetId: string): Promise<string | null> {
  const [open] = await ctx.db
    .select({ id: chargingSessions.id })
    .from(chargingSessions)
    .where(and(eq(chargingSessions.organisationId, ctx.orgId), eq(chargingSessions.assetId, assetId), isNull(chargingSessions.pluggedOutAt)));
  return open?.id ?? null;
}

/** Stores lifetime-register readings (kWh) for the charger; readings the rules refuse are logged, not fatal. */
export async function recordMeterReadings(ctx: ServiceContext, input: { chargePointRowId: string; readings: readonly EnergyRegisterReading[]; now: Date }): Promise<{ accepted: number }> {
  authorize(ctx, "ocpp:gateway");
  if (input.readings.length === 0) return { accepted: 0 };
  const cp = await chargePointRow(ctx, input.chargePointRowId);
  const result = await ingestReadings(
    ctx,
    input.readings.map((reading) => ({
      asset_id: cp.assetId,
      start_timestamp: reading.at.toISOString(),
      end_timestamp: reading.at.toISOString(),
      label: "charger_lifetime_consumption_energy_kwh" as const,
      // Stored to the watt-hour, like every register.
      value: Math.round(reading.kwh * 1000) / 1000,
    })),
    { now: new Date(input.now.getTime() + CHARGER_CLOCK_TRUSTED_MS) },
  );
  if (result.rejectedCount > 0) {
    log.info({ chargePoint: cp.chargePointId, errors: result.responses.filter((r) => !r.accepted).map((r) => r.error) }, "ocpp meter values refused");
  }
  return { accepted: result.acceptedCount };
}

/**
 * 1.6 StartTransaction: the central system numbers the transaction. The charger's session (opened by
 * its plug-in, or now if the charger skipped Preparing) takes the id, so its profiles can be sent.
 */
export async function startTransaction(
  ctx: ServiceContext,
  input: { chargePointRowId: string; connectorId: number; meterStartWh: number; reportedAt?: Date | undefined; now: Date },
): Promise<{ transactionId: number }> {
  authorize(ctx, "ocpp:gateway");
  const cp = await chargePointRow(ctx, input.chargePointRowId);
  const at = eventTime(input.reportedAt, input.now);
  if ((await openSessionId(ctx, cp.assetId)) === null) await plugIn(ctx, cp, at, input.now);
  const [next] = await ctx.db.execute<{ id: string }>(sql`select nextval(${sql.raw(`'${ocppTransactionIds.seqName}'`)})::text as id`);
  const transactionId = Number(next?.id);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(ocppChargePoints)
      .set({ currentTransactionId: String(transactionId), currentConnectorId: input.connectorId, updatedAt: input.now })
      .where(eq(ocppChargePoints.id, cp.id));
    await tx
      .update(chargingSessions)
      .set({ transactionId, updatedAt: input.now })
      .where(and(eq(chargingSessions.organisationId, ctx.orgId), eq(chargingSessions.assetId, cp.assetId), isNull(chargingSessions.pluggedOutAt)));
  });
  await recordMeterReadings(ctx, { chargePointRowId: cp.id, readings: [{ at, kwh: input.meterStartWh / 1000 }], now: input.now });
  return { transactionId };
}

/** 1.6 StopTransaction: the transaction is over (the cable may still be in; Available unplugs). */
export async function stopTransaction(
  ctx: ServiceContext,
  input: { chargePointRowId: string; transactionId: number; meterStopWh: number; readings: readonly EnergyRegisterReading[]; reportedAt?: Date | undefined; now: Date },
): Promise<void> {
  authorize(ctx, "ocpp:gateway");
  const cp = await chargePointRow(ctx, input.chargePointRowId);
  const at = eventTime(input.reportedAt, input.now);
  if (cp.currentTransactionId === String(input.transactionId)) {
    await ctx.db.update(ocppChargePoints).set({ currentTransactionId: null, currentConnectorId: null, updatedAt: input.now }).where(eq(ocppChargePoints.id, cp.id));
  }
  await recordMeterReadings(ctx, { chargePointRowId: cp.id, readings: [...input.readings, { at, kwh: input.meterStopWh / 1000 }], now: input.now });
}

/** 2.0.1 TransactionEvent: the station numbers its transactions; a cable event in it moves the session like a StatusNotification. */
export async function recordTransactionEvent(ctx: ServiceContext, input: { chargePointRowId: string; event: TransactionEventMeaning; now: Date }): Promise<void> {
  authorize(ctx, "ocpp:gateway");
  const cp = await chargePointRow(ctx, input.chargePointRowId);
  const at = eventTime(input.event.at, input.now);
  const { event } = input;
  if (event.phase !== "ended" && (event.plug === "plugged_in" || event.phase === "started") && (await openSessionId(ctx, cp.assetId)) === null) {
    await plugIn(ctx, cp, at, input.now);
  }
  if (event.phase === "ended") {
    if (cp.currentTransactionId === event.transactionId) {
      await ctx.db.update(ocppChargePoints).set({ currentTransactionId: null, currentConnectorId: null, updatedAt: input.now }).where(eq(ocppChargePoints.id, cp.id));
    }
  } else if (cp.currentTransactionId !== event.transactionId) {
    await ctx.db
      .update(ocppChargePoints)
      .set({ currentTransactionId: event.transactionId, currentConnectorId: event.evseId ?? cp.currentConnectorId, updatedAt: input.now })
      .where(eq(ocppChargePoints.id, cp.id));
  }
  await recordMeterReadings(ctx, { chargePointRowId: cp.id, readings: event.meterReadings, now: input.now });
  if (event.plug === "unplugged") await plugOut(ctx, cp, at, input.now);
}

/**
 * 2.0.1 NotifyEVChargingNeeds: the vehicle's energy need and departure become the session's intent,
 * which re-plans it. Needs the platform cannot use (no energy amount) are acknowledged and ignored.
 */
export async function recordEvChargingNeeds(
  ctx: ServiceContext,
  input: { chargePointRowId: string; energyAmountWh: number | undefined; departureTime: Date | undefined; now: Date },
): Promise<{ status: "Accepted" | "Rejected" }> {
  authorize(ctx, "ocpp:gateway");
  const cp = await chargePointRow(ctx, input.chargePointRowId);
  if (input.energyAmountWh === undefined || !(input.energyAmountWh > 0)) return { status: "Rejected" };
  // Without a departure time the driver's own ready-by stands.
  const readyBy =
    input.departureTime === undefined
      ? { readyByLocalTime: (await getLatestIntent(ctx, cp.assetId))?.readyByLocalTime ?? DEFAULT_READY_BY_LOCAL_TIME }
      : { readyBy: input.departureTime };
  try {
    await recordIntent(
      ctx,
      {
        assetId: cp.assetId,
        occurredAt: input.now,
        source: "ocpp",
        intent: { energyRequiredKwh: input.energyAmountWh / 1000, ...readyBy },
      },
      { now: input.now },
    );
    return { status: "Accepted" };
  } catch (error) {
    // An intent the planner refuses (e.g. more energy than it allows) is the vehicle's problem, not a protocol error.
    if (isServiceError(error)) return { status: "Rejected" };
    throw error;
  }
}
