// Commands for direct charge points, and how they reach the process that holds the charger's socket.
//
// A command is a row in ocpp_commands (the outbox). Whoever queues it (a web request, a worker's
// re-plan, another gateway) also issues `NOTIFY ocpp_command_due, '<gateway id>:<charge point id>'`,
// addressed through the registry (ocpp_connections) to the gateway that holds the connection;
// Postgres delivers it at commit, so a rolled-back command is never sent. A charge point that is not
// connected keeps its commands pending, and its gateway sends them when it connects (and sweeps every
// few seconds for anything a lost notice left behind).
//
// Charging profiles are "latest wins": a new plan supersedes a profile still waiting, and the request
// is built when it is sent (from the plan and the transaction running then), so a charger that was
// offline or had no transaction yet gets the latest plan with its real transaction id.
import { and, asc, eq, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import { assets, chargingPlans, chargingSessions, ocppChargePoints, ocppCommands, ocppConnections, type OcppCommandRow } from "@/db/schema";
import {
  buildClearChargingProfile,
  buildGetCompositeSchedule,
  compareAppliedSchedule,
  isOcppSubprotocol,
  validateOcppMessage,
  versionOfSubprotocol,
  type OcppVersion,
} from "@/server/ocpp";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { invalid, notFound, precondition } from "../errors";
import { isUuid } from "../inventory/records";
import { buildScheduleBody, chargingProfileIdForSession } from "../schedule-delivery/schedule-body";

/** NOTIFY channel; the payload is `<gateway id>:<charge point row id>`. */
export const OCPP_COMMAND_CHANNEL = "ocpp_command_due";

/** A command still unanswered after this many sends (lost connections) is failed. */
const MAX_SEND_ATTEMPTS = 5;

/** Wakes the gateway holding the charge point, if any. Inside a transaction, the notice goes out at commit. */
async function notifyHoldingGateway(ctx: ServiceContext, chargePointRowId: string): Promise<void> {
  await ctx.db.execute(sql`
    select pg_notify(${OCPP_COMMAND_CHANNEL}, gateway_id || ':' || charge_point_id::text)
    from ${ocppConnections} where charge_point_id = ${chargePointRowId}`);
}

export interface SendChargePointCommandInput {
  /** The charge point's row id. */
  id: string;
  /** An OCPP action the central system may send (e.g. TriggerMessage, Reset, GetConfiguration / GetVariables). */
  action: string;
  payload: Record<string, unknown>;
}

/**
 * Queues any command for a charge point, checked against the official schema of the protocol it
 * connected with. It is delivered by the gateway process holding the charger's connection, whichever
 * process that is, or when the charger next connects. Returns the command id (see getChargePointCommand).
 */
export async function sendChargePointCommand(ctx: ServiceContext, input: SendChargePointCommandInput): Promise<{ commandId: string }> {
  authorize(ctx, "ocpp:manage");
  if (!isUuid(input.id)) throw notFound("Charge point");
  const [cp] = await ctx.db
    .select({ id: ocppChargePoints.id, protocol: ocppChargePoints.protocol })
    .from(ocppChargePoints)
    .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, input.id)));
  if (!cp) throw notFound("Charge point");
  if (!isOcppSubprotocol(cp.protocol)) throw precondition("The charge point has never connected, so its OCPP version is unknown. Connect it once, then send the command.");
  const check = validateOcppMessage(versionOfSubprotocol(cp.protocol), input.action, "Request", input.payload);
  if (!check.ok) throw invalid(`The ${input.action} request does not match the OCPP schema: ${check.errors.join("; ")}`, [{ path: ["payload"], message: check.errors.join("; ") }]);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(ocppCommands)
      .values({ organisationId: ctx.orgId, chargePointId: cp.id, kind: "command", action: input.action, payload: input.payload })
      .returning({ id: ocppCommands.id });
    if (!row) throw new Error("command insert returned nothing");
    await notifyHoldingGateway({ ...ctx, db: tx }, cp.id);
    return { commandId: row.id };
  });
}

export async function getChargePointCommand(ctx: ServiceContext, commandId: string): Promise<OcppCommandRow> {
  authorize(ctx, "ocpp:read");
  if (!isUuid(commandId)) throw notFound("Command");
  const [row] = await ctx.db.select().from(ocppCommands).where(and(eq(ocppCommands.organisationId, ctx.orgId), eq(ocppCommands.id, commandId)));
  if (!row) throw notFound("Command");
  return row;
}

/**
 * The direct-charger route of schedule delivery: when the plan's charger is an OCPP charge point, its
 * profile is queued here (superseding any profile still waiting) instead of being posted to a partner.
 * Returns null when the charger is not a direct charge point. Call inside the plan's transaction.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: queued by an authorized charging plan (queueScheduleDelivery)
export async function queueDirectChargerProfile(ctx: ServiceContext, plan: { id: string; sessionId: string; assetId: string; version: number }): Promise<{ commandId: string } | null> {
  const [cp] = await ctx.db
    .select({ id: ocppChargePoints.id })
    .from(ocppChargePoints)
    .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.assetId, plan.assetId)));
  if (!cp) return null;
  return ctx.db.transaction(async (tx) => {
    // Latest wins: an older plan (or another session's) still waiting is never sent.
    await tx
      .update(ocppCommands)
      .set({ status: "superseded", error: "a newer plan was queued" })
      .where(
        and(
          eq(ocppCommands.chargePointId, cp.id),
          eq(ocppCommands.kind, "profile"),
          eq(ocppCommands.status, "pending"),
          or(ne(ocppCommands.sessionId, plan.sessionId), lt(ocppCommands.planVersion, plan.version)),
        ),
      );
    const [row] = await tx
      .insert(ocppCommands)
      .values({
        organisationId: ctx.orgId,
        chargePointId: cp.id,
        kind: "profile",
        action: "SetChargingProfile",
        // Built when sent: the transaction id is often known only after the plan was made.
        payload: {},
        sessionId: plan.sessionId,
        planId: plan.id,
        planVersion: plan.version,
      })
      .returning({ id: ocppCommands.id });
    if (!row) throw new Error("profile command insert returned nothing");
    await notifyHoldingGateway({ ...ctx, db: tx }, cp.id);
    return { commandId: row.id };
  });
}

/** After plug-out: profiles still waiting are cancelled and the session's profile is cleared from the charger. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: stopped by an authorized plug-out (stopSessionDeliveries)
export async function stopDirectChargerProfiles(ctx: ServiceContext, sessionId: string): Promise<{ clearCommandId: string } | null> {
  const [found] = await ctx.db
    .select({ cpId: ocppChargePoints.id })
    .from(chargingSessions)
    .innerJoin(ocppChargePoints, eq(ocppChargePoints.assetId, chargingSessions.assetId))
    .where(and(eq(chargingSessions.organisationId, ctx.orgId), eq(chargingSessions.id, sessionId)));
  if (!found) return null;
  return ctx.db.transaction(async (tx) => {
    await tx
      .update(ocppCommands)
      .set({ status: "cancelled", error: "the vehicle was unplugged" })
      .where(and(eq(ocppCommands.sessionId, sessionId), eq(ocppCommands.kind, "profile"), eq(ocppCommands.status, "pending")));
    const [row] = await tx
      .insert(ocppCommands)
      .values({
        organisationId: ctx.orgId,
        chargePointId: found.cpId,
        kind: "clear_profile",
        action: "ClearChargingProfile",
        payload: { chargingProfileId: chargingProfileIdForSession(sessionId) },
        sessionId,
      })
      .returning({ id: ocppCommands.id });
    if (!row) throw new Error("clear command insert returned nothing");
    await notifyHoldingGateway({ ...ctx, db: tx }, found.cpId);
    return { clearCommandId: row.id };
  });
}

/** A command as the gateway sends it. */
export interface OutgoingCommand {
  commandId: string;
  kind: string;
  action: string;
  payload: Record<string, unknown>;
}

type Built = { ok: true; payload: Record<string, unknown> } | { ok: false; status: "pending" | "cancelled" | "failed"; reason: string };

async function buildProfilePayload(ctx: ServiceContext, command: OcppCommandRow, version: OcppVersion, currentTransactionId: string | null): Promise<Built> {
  if (command.planId === null) return { ok: false, status: "failed", reason: "the profile has no plan" };
  const [found] = await ctx.db
    .select({ plan: chargingPlans, session: chargingSessions, properties: assets.properties })
    .from(chargingPlans)
    .innerJoin(chargingSessions, eq(chargingSessions.id, chargingPlans.sessionId))
    .innerJoin(assets, eq(assets.id, chargingPlans.assetId))
    .where(and(eq(chargingPlans.organisationId, ctx.orgId), eq(chargingPlans.id, command.planId)));
  if (!found) return { ok: false, status: "cancelled", reason: "the plan no longer exists" };
  if (found.session.pluggedOutAt !== null) return { ok: false, status: "cancelled", reason: "the vehicle was unplugged" };
  // A TxProfile needs the running transaction: wait for StartTransaction / TransactionEvent Started.
  const transactionId = version === "1.6" ? found.session.transactionId : currentTransactionId;
  if (transactionId === null) return { ok: false, status: "pending", reason: "waiting for the charger to start a transaction" };
  const built = buildScheduleBody({
    ocppVersion: version,
    sessionId: found.session.id,
    planVersion: found.plan.version,
    slots: found.plan.slots,
    chargerPowerKw: found.session.chargerPowerKw,
    transactionId,
    assetProperties: found.properties,
  });
  return built.ok ? { ok: true, payload: built.body } : { ok: false, status: "failed", reason: built.reason };
}

/**
 * The gateway holding the connection takes the charge point's pending commands to send, oldest first,
 * each built and checked against the official schema now. A profile that cannot be sent yet (no
 * transaction) stays pending; one for a finished session is cancelled.
 */
export async function takeChargePointCommands(ctx: ServiceContext, input: { chargePointRowId: string; now: Date }): Promise<OutgoingCommand[]> {
  authorize(ctx, "ocpp:gateway");
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const [cp] = await tx
      .select({ protocol: ocppChargePoints.protocol, currentTransactionId: ocppChargePoints.currentTransactionId })
      .from(ocppChargePoints)
      .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, input.chargePointRowId)));
    if (!cp || !isOcppSubprotocol(cp.protocol)) return [];
    const version = versionOfSubprotocol(cp.protocol);
    const pending = await tx
      .select()
      .from(ocppCommands)
      .where(and(eq(ocppCommands.chargePointId, input.chargePointRowId), eq(ocppCommands.status, "pending")))
      .orderBy(asc(ocppCommands.createdAt))
      .limit(20)
      .for("update", { skipLocked: true });
    const out: OutgoingCommand[] = [];
    for (const command of pending) {
      let built: Built;
      if (command.kind === "profile") built = await buildProfilePayload(txCtx, command, version, cp.currentTransactionId);
      else if (command.kind === "clear_profile") built = { ok: true, payload: buildClearChargingProfile(version, Number(command.payload.chargingProfileId)) };
      else built = { ok: true, payload: command.payload };
      if (built.ok) {
        const check = validateOcppMessage(version, command.action, "Request", built.payload);
        if (!check.ok) built = { ok: false, status: "failed", reason: `the request fails the OCPP ${version} schema: ${check.errors.join("; ")}` };
      }
      if (!built.ok) {
        if (built.status !== "pending") await tx.update(ocppCommands).set({ status: built.status, error: built.reason }).where(eq(ocppCommands.id, command.id));
        continue;
      }
      await tx
        .update(ocppCommands)
        .set({ status: "sending", payload: built.payload, attempts: command.attempts + 1, sentAt: input.now, error: null })
        .where(eq(ocppCommands.id, command.id));
      out.push({ commandId: command.id, kind: command.kind, action: command.action, payload: built.payload });
    }
    return out;
  });
}

export type CommandAnswer = { response: Record<string, unknown> } | { error: string; connectionLost: boolean };

/**
 * Records the charge point's answer. A profile or clear is `answered` when the charger accepted it and
 * `rejected` otherwise. A command whose connection dropped before the answer goes back to pending (sent
 * again at the next connection) unless it was tried too often; a newer plan still wins.
 */
export async function recordCommandAnswer(ctx: ServiceContext, input: { commandId: string; answer: CommandAnswer; now: Date }): Promise<void> {
  authorize(ctx, "ocpp:gateway");
  const [command] = await ctx.db
    .select()
    .from(ocppCommands)
    .where(and(eq(ocppCommands.organisationId, ctx.orgId), eq(ocppCommands.id, input.commandId)));
  if (!command) return;
  if ("response" in input.answer) {
    const accepted = command.kind === "command" || input.answer.response.status === "Accepted";
    await ctx.db
      .update(ocppCommands)
      .set({ status: accepted ? "answered" : "rejected", response: input.answer.response, answeredAt: input.now, error: accepted ? null : `the charger answered ${String(input.answer.response.status)}` })
      .where(eq(ocppCommands.id, command.id));
    return;
  }
  const retry = input.answer.connectionLost && command.attempts < MAX_SEND_ATTEMPTS;
  await ctx.db
    .update(ocppCommands)
    .set({ status: retry ? "pending" : "failed", error: input.answer.error, answeredAt: retry ? null : input.now })
    .where(and(eq(ocppCommands.id, command.id), eq(ocppCommands.status, "sending")));
}

/** What to ask after an accepted profile: the composite schedule over the profile's span, or null when nothing to compare. */
export function compositeScheduleRequestFor(version: OcppVersion, profileRequest: Record<string, unknown>): Record<string, unknown> | null {
  if (version === "1.6") {
    const profile = profileRequest.csChargingProfiles as { chargingSchedule?: { duration?: number } } | undefined;
    const connectorId = profileRequest.connectorId;
    if (typeof connectorId !== "number" || typeof profile?.chargingSchedule?.duration !== "number") return null;
    return buildGetCompositeSchedule(version, connectorId, profile.chargingSchedule.duration);
  }
  const profile = profileRequest.chargingProfile as { chargingSchedule?: { duration?: number }[] } | undefined;
  const evseId = profileRequest.evseId;
  const duration = profile?.chargingSchedule?.[0]?.duration;
  if (typeof evseId !== "number" || typeof duration !== "number") return null;
  return buildGetCompositeSchedule(version, evseId, duration);
}

/** Stores the schedule the charger reports it applies, and whether it matches the plan sent. */
export async function recordAppliedSchedule(ctx: ServiceContext, input: { commandId: string; version: OcppVersion; composite: Record<string, unknown> }): Promise<{ matches: boolean; summary: string }> {
  authorize(ctx, "ocpp:gateway");
  const [command] = await ctx.db
    .select({ payload: ocppCommands.payload })
    .from(ocppCommands)
    .where(and(eq(ocppCommands.organisationId, ctx.orgId), eq(ocppCommands.id, input.commandId)));
  if (!command) throw notFound("Command");
  const comparison = compareAppliedSchedule(input.version, command.payload, input.composite);
  await ctx.db
    .update(ocppCommands)
    .set({ appliedSchedule: input.composite, appliedMatchesPlan: comparison.matches, appliedComparison: comparison.summary })
    .where(eq(ocppCommands.id, input.commandId));
  return comparison;
}

/** Commands left `sending` by a gateway that died are pending again (its charge points reconnect elsewhere). */
// eslint-disable-next-line flexfleet/authorize-first -- internal: run by the gateway's registry sweep (ocpp:gateway)
export async function requeueOrphanedCommands(ctx: Pick<ServiceContext, "db">, chargePointRowIds: readonly string[]): Promise<void> {
  if (chargePointRowIds.length === 0) return;
  await ctx.db
    .update(ocppCommands)
    .set({ status: "pending" })
    .where(and(inArray(ocppCommands.chargePointId, [...chargePointRowIds]), eq(ocppCommands.status, "sending"), isNull(ocppCommands.answeredAt)));
}
