// The gateway processes' side of the registry: who may connect (authentication before the WebSocket
// upgrade), which process holds which charge point, and the bounded message log. Gateways act for
// every organisation, so these functions take a gateway context (a system actor, no organisation)
// and check `ocpp:gateway`; per-charge-point work then runs in that charge point's organisation.
import { createHash, timingSafeEqual } from "node:crypto";
import argon2 from "argon2";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { getConnection, getDb, type DbOrTx } from "@/db/client";
import { ocppChargePoints, ocppCommands, ocppConnections, ocppGateways, ocppMessages } from "@/db/schema";
import { authorize } from "../authorize";
import type { Actor, ServiceContext } from "../context";
import { OCPP_COMMAND_CHANNEL, requeueOrphanedCommands } from "./commands";

export interface GatewayContext {
  db: DbOrTx;
  actor: Actor;
}

/** The gateway process's context: the system acting for every organisation. */
export function gatewayContext(): GatewayContext {
  return { db: getDb(), actor: { type: "system", label: "ocpp gateway" } };
}

/** Messages kept per charge point; older ones are pruned as new ones are logged. */
export const OCPP_MESSAGE_LOG_LIMIT = 500;
/** A gateway whose heartbeat is older than this is dead: its connections are dropped from the registry. */
export const GATEWAY_STALE_AFTER_MS = 30_000;

export interface AuthenticatedChargePoint {
  id: string;
  organisationId: string;
  assetId: string;
  chargePointId: string;
}

export type ChargePointAuthentication =
  | { outcome: "accepted"; chargePoint: AuthenticatedChargePoint }
  | { outcome: "unknown" | "disabled" | "no_password" | "wrong_password" };

// Reconnects are frequent (every network blip, thousands after an outage); a password already
// verified against the current hash is remembered as a SHA-256 so argon2 runs once per password.
const verified = new Map<string, Buffer>();
const VERIFIED_CACHE_MAX = 50_000;

async function passwordMatches(chargePointRowId: string, hash: string, password: Buffer): Promise<boolean> {
  const key = `${chargePointRowId}|${hash}`;
  const digest = createHash("sha256").update(password).digest();
  const known = verified.get(key);
  if (known !== undefined) return timingSafeEqual(known, digest);
  let ok = false;
  try {
    ok = await argon2.verify(hash, password);
  } catch {
    ok = false;
  }
  if (ok) {
    if (verified.size >= VERIFIED_CACHE_MAX) verified.clear();
    verified.set(key, digest);
  }
  return ok;
}

/** Decides a connection attempt before the upgrade: an unknown or disabled identity, or a wrong password, is refused. */
export async function authenticateChargePoint(gateway: GatewayContext, input: { identity: string; password: Buffer | undefined }): Promise<ChargePointAuthentication> {
  authorize(gateway, "ocpp:gateway");
  const [cp] = await gateway.db.select().from(ocppChargePoints).where(eq(ocppChargePoints.chargePointId, input.identity));
  if (!cp) return { outcome: "unknown" };
  if (!cp.enabled) return { outcome: "disabled" };
  if (cp.passwordHash === null) return { outcome: "no_password" };
  if (input.password === undefined || !(await passwordMatches(cp.id, cp.passwordHash, input.password))) return { outcome: "wrong_password" };
  return { outcome: "accepted", chargePoint: { id: cp.id, organisationId: cp.organisationId, assetId: cp.assetId, chargePointId: cp.chargePointId } };
}

/** Announces a gateway process (and beats its heartbeat); gateways that stopped beating lose their connections. */
export async function beatGateway(gateway: GatewayContext, input: { gatewayId: string; now: Date }): Promise<void> {
  authorize(gateway, "ocpp:gateway");
  await gateway.db
    .insert(ocppGateways)
    .values({ id: input.gatewayId, startedAt: input.now, heartbeatAt: input.now })
    .onConflictDoUpdate({ target: ocppGateways.id, set: { heartbeatAt: input.now } });
  const stale = new Date(input.now.getTime() - GATEWAY_STALE_AFTER_MS);
  const dead = await gateway.db.select({ id: ocppGateways.id }).from(ocppGateways).where(lt(ocppGateways.heartbeatAt, stale));
  if (dead.length === 0) return;
  const deadIds = dead.map((row) => row.id);
  await gateway.db.transaction(async (tx) => {
    const orphaned = await tx.select({ id: ocppConnections.chargePointId }).from(ocppConnections).where(inArray(ocppConnections.gatewayId, deadIds));
    const ids = orphaned.map((row) => row.id);
    if (ids.length > 0) {
      await tx.update(ocppChargePoints).set({ connectionState: "disconnected", disconnectedAt: input.now }).where(inArray(ocppChargePoints.id, ids));
      await requeueOrphanedCommands({ db: tx }, ids);
    }
    // The cascade removes their ocpp_connections rows.
    await tx.delete(ocppGateways).where(inArray(ocppGateways.id, deadIds));
  });
}

/** A gateway shutting down: its connections are gone and its row with them. */
export async function stopGateway(gateway: GatewayContext, input: { gatewayId: string; now: Date }): Promise<void> {
  authorize(gateway, "ocpp:gateway");
  await gateway.db.transaction(async (tx) => {
    const held = await tx.select({ id: ocppConnections.chargePointId }).from(ocppConnections).where(eq(ocppConnections.gatewayId, input.gatewayId));
    const ids = held.map((row) => row.id);
    if (ids.length > 0) {
      await tx.update(ocppChargePoints).set({ connectionState: "disconnected", disconnectedAt: input.now }).where(inArray(ocppChargePoints.id, ids));
      await requeueOrphanedCommands({ db: tx }, ids);
    }
    await tx.delete(ocppGateways).where(eq(ocppGateways.id, input.gatewayId));
  });
}

/** The charge point's socket now lives in this gateway (a newer connection replaces an older one anywhere). */
export async function recordChargePointConnected(ctx: ServiceContext, input: { chargePointRowId: string; gatewayId: string; protocol: string; now: Date }): Promise<void> {
  authorize(ctx, "ocpp:gateway");
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(ocppConnections)
      .values({ chargePointId: input.chargePointRowId, organisationId: ctx.orgId, gatewayId: input.gatewayId, protocol: input.protocol, connectedAt: input.now })
      .onConflictDoUpdate({ target: ocppConnections.chargePointId, set: { gatewayId: input.gatewayId, protocol: input.protocol, connectedAt: input.now } });
    await tx
      .update(ocppChargePoints)
      .set({ connectionState: "connected", connectedAt: input.now, protocol: input.protocol, updatedAt: input.now })
      .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, input.chargePointRowId)));
    // Whatever an earlier connection left half-sent goes out again on this one.
    await requeueOrphanedCommands({ db: tx }, [input.chargePointRowId]);
  });
}

/** The socket closed. Only this gateway's registration is removed: the charger may already be connected elsewhere. */
export async function recordChargePointDisconnected(ctx: ServiceContext, input: { chargePointRowId: string; gatewayId: string; now: Date }): Promise<void> {
  authorize(ctx, "ocpp:gateway");
  await ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(ocppConnections)
      .where(and(eq(ocppConnections.chargePointId, input.chargePointRowId), eq(ocppConnections.gatewayId, input.gatewayId)))
      .returning({ id: ocppConnections.chargePointId });
    if (removed.length === 0) return;
    await tx
      .update(ocppChargePoints)
      .set({ connectionState: "disconnected", disconnectedAt: input.now, updatedAt: input.now })
      .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, input.chargePointRowId)));
    await requeueOrphanedCommands({ db: tx }, [input.chargePointRowId]);
  });
}

/** The charge points this gateway holds, for its sweep of pending commands. */
export async function listGatewayConnections(gateway: GatewayContext, gatewayId: string): Promise<{ chargePointRowId: string; organisationId: string }[]> {
  authorize(gateway, "ocpp:gateway");
  const rows = await gateway.db
    .select({ chargePointRowId: ocppConnections.chargePointId, organisationId: ocppConnections.organisationId })
    .from(ocppConnections)
    .where(eq(ocppConnections.gatewayId, gatewayId));
  return rows;
}

export interface LoggedMessage {
  organisationId: string;
  chargePointRowId: string;
  direction: "in" | "out";
  messageType: "CALL" | "CALLRESULT" | "CALLERROR" | "INVALID";
  action: string | null;
  messageId: string | null;
  payload: unknown;
  error: string | null;
  at: Date;
}

/** Appends a batch of messages to the log and prunes each charge point touched down to OCPP_MESSAGE_LOG_LIMIT. */
export async function appendOcppMessages(gateway: GatewayContext, messages: readonly LoggedMessage[]): Promise<void> {
  authorize(gateway, "ocpp:gateway");
  if (messages.length === 0) return;
  await gateway.db.insert(ocppMessages).values(
    messages.map((m) => ({
      organisationId: m.organisationId,
      chargePointId: m.chargePointRowId,
      direction: m.direction,
      messageType: m.messageType,
      action: m.action,
      messageId: m.messageId,
      payload: m.payload ?? null,
      error: m.error,
      at: m.at,
    })),
  );
  const touched = [...new Set(messages.map((m) => m.chargePointRowId))];
  // One statement: for each charge point, everything older than its LIMIT-th newest message goes.
  await gateway.db.execute(sql`
    delete from ${ocppMessages} m
    using (
      select cp.id as charge_point_id,
        (select id from ${ocppMessages} where charge_point_id = cp.id order by id desc offset ${OCPP_MESSAGE_LOG_LIMIT - 1} limit 1) as oldest_kept
      from unnest(${`{${touched.join(",")}}`}::uuid[]) as cp(id)
    ) k
    where m.charge_point_id = k.charge_point_id and k.oldest_kept is not null and m.id < k.oldest_kept`);
}

/** Charge points held by this gateway that have commands waiting: the sweep that catches lost notices. */
export async function listChargePointsWithPendingCommands(gateway: GatewayContext, gatewayId: string): Promise<string[]> {
  authorize(gateway, "ocpp:gateway");
  const rows = await gateway.db
    .selectDistinct({ id: ocppCommands.chargePointId })
    .from(ocppCommands)
    .innerJoin(ocppConnections, eq(ocppConnections.chargePointId, ocppCommands.chargePointId))
    .where(and(eq(ocppConnections.gatewayId, gatewayId), eq(ocppCommands.status, "pending")));
  return rows.map((row) => row.id);
}

/**
 * LISTENs for commands addressed to this gateway (see commands.ts) and calls `onChargePoint` with the
 * charge point's row id. Notices for other gateways are ignored.
 */
export async function listenForGatewayCommands(gateway: GatewayContext, gatewayId: string, onChargePoint: (chargePointRowId: string) => void): Promise<{ stop(): Promise<void> }> {
  authorize(gateway, "ocpp:gateway");
  const prefix = `${gatewayId}:`;
  const listener = await getConnection().sql.listen(OCPP_COMMAND_CHANNEL, (payload) => {
    if (payload.startsWith(prefix)) onChargePoint(payload.slice(prefix.length));
  });
  return { stop: () => listener.unlisten() };
}
