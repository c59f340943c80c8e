// Operators' side of direct charge points: register a charger asset as an OCPP charge point, set or
// rotate its password, enable or disable it, and see its state, messages and commands.
import { randomBytes } from "node:crypto";
import argon2 from "argon2";
import { and, asc, desc, eq } from "drizzle-orm";
import { assets, ocppChargePoints, ocppCommands, ocppConnections, type OcppChargePointRow, type OcppConnectorStatus } from "@/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { conflict, invalid, notFound } from "../errors";
import { isUuid } from "../inventory/records";

/** OCPP's identity rules (1.6: CiString20 in practice up to 48; 2.0.1: identifier up to 48), URL-safe only. */
export const CHARGE_POINT_ID_PATTERN = /^[A-Za-z0-9._~:-]{1,48}$/;
/** OCPP 2.0.1 security profile passwords: 16 to 40 characters. 1.6 (whitepaper) agrees. */
export const CHARGE_POINT_PASSWORD_MIN = 16;
export const CHARGE_POINT_PASSWORD_MAX = 40;

// argon2id at OWASP's second recommended setting (19 MiB, t=2): the password is machine-generated
// and long, so the hash guards against a leaked table, and thousands of chargers reconnecting after
// an outage must not need 64 MiB each at once.
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashChargePointPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export interface ChargePointView {
  id: string;
  assetId: string;
  assetExternalId: string;
  chargePointId: string;
  enabled: boolean;
  passwordSet: boolean;
  passwordSetAt: Date | null;
  protocol: string | null;
  vendor: string | null;
  model: string | null;
  firmwareVersion: string | null;
  serialNumber: string | null;
  lastBootAt: Date | null;
  lastHeartbeatAt: Date | null;
  connectionState: string;
  connectedAt: Date | null;
  disconnectedAt: Date | null;
  /** The gateway process holding the connection now, if any. */
  gatewayId: string | null;
  connectorStatus: Record<string, OcppConnectorStatus>;
  currentTransactionId: string | null;
}

function toView(row: OcppChargePointRow, assetExternalId: string, gatewayId: string | null): ChargePointView {
  return {
    id: row.id,
    assetId: row.assetId,
    assetExternalId,
    chargePointId: row.chargePointId,
    enabled: row.enabled,
    passwordSet: row.passwordHash !== null,
    passwordSetAt: row.passwordSetAt,
    protocol: row.protocol,
    vendor: row.vendor,
    model: row.model,
    firmwareVersion: row.firmwareVersion,
    serialNumber: row.serialNumber,
    lastBootAt: row.lastBootAt,
    lastHeartbeatAt: row.lastHeartbeatAt,
    connectionState: row.connectionState,
    connectedAt: row.connectedAt,
    disconnectedAt: row.disconnectedAt,
    gatewayId,
    connectorStatus: row.connectorStatus,
    currentTransactionId: row.currentTransactionId,
  };
}

function selectViews(ctx: ServiceContext) {
  return ctx.db
    .select({ cp: ocppChargePoints, externalId: assets.externalId, gatewayId: ocppConnections.gatewayId })
    .from(ocppChargePoints)
    .innerJoin(assets, eq(assets.id, ocppChargePoints.assetId))
    .leftJoin(ocppConnections, eq(ocppConnections.chargePointId, ocppChargePoints.id));
}

async function findChargePointRow(ctx: ServiceContext, id: string): Promise<OcppChargePointRow> {
  if (!isUuid(id)) throw notFound("Charge point");
  const [row] = await ctx.db
    .select()
    .from(ocppChargePoints)
    .where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, id)));
  if (!row) throw notFound("Charge point");
  return row;
}

export interface RegisterChargePointInput {
  assetId: string;
  /** The identity the charger uses in its URL and as its Basic-auth user name. */
  chargePointId: string;
  /** Set now, or later with setChargePointPassword; without one every connection is refused. */
  password?: string | undefined;
  enabled?: boolean | undefined;
}

function validatePassword(password: string): void {
  if (password.length < CHARGE_POINT_PASSWORD_MIN || password.length > CHARGE_POINT_PASSWORD_MAX) {
    throw invalid(`The password must be ${CHARGE_POINT_PASSWORD_MIN} to ${CHARGE_POINT_PASSWORD_MAX} characters long.`, [
      { path: ["password"], message: `must be ${CHARGE_POINT_PASSWORD_MIN} to ${CHARGE_POINT_PASSWORD_MAX} characters` },
    ]);
  }
  // 1.6 and 2.0.1 both restrict the password to printable ASCII (passwordString).
  if (!/^[\x21-\x7e]+$/.test(password)) {
    throw invalid("The password may only use printable characters without spaces.", [{ path: ["password"], message: "must be printable ASCII without spaces" }]);
  }
}

/** Makes a charger asset of the organisation reachable over OCPP-J as `/ocpp/{chargePointId}`. */
export async function registerChargePoint(ctx: ServiceContext, input: RegisterChargePointInput): Promise<ChargePointView> {
  authorize(ctx, "ocpp:manage");
  if (!CHARGE_POINT_ID_PATTERN.test(input.chargePointId)) {
    throw invalid("The charge point id may use letters, digits and . _ ~ : - only, up to 48 characters.", [
      { path: ["chargePointId"], message: "must be 1 to 48 letters, digits or . _ ~ : -" },
    ]);
  }
  if (input.password !== undefined) validatePassword(input.password);
  if (!isUuid(input.assetId)) throw notFound("Charger");
  const passwordHash = input.password === undefined ? null : await hashChargePointPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const [asset] = await tx
      .select({ id: assets.id, type: assets.type, externalId: assets.externalId })
      .from(assets)
      .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.id, input.assetId)));
    if (!asset || asset.type !== "charger") throw notFound("Charger");
    const [row] = await tx
      .insert(ocppChargePoints)
      .values({
        organisationId: ctx.orgId,
        assetId: asset.id,
        chargePointId: input.chargePointId,
        passwordHash,
        passwordSetAt: passwordHash === null ? null : new Date(),
        enabled: input.enabled ?? true,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict("That charger, or that charge point id, is already registered. Choose another id or edit the existing charge point.");
    await recordAuditEvent(txCtx, {
      action: "ocpp_charge_point.registered",
      targetType: "ocpp_charge_point",
      targetId: row.id,
      details: { chargePointId: row.chargePointId, assetId: asset.id, passwordSet: passwordHash !== null },
    });
    return toView(row, asset.externalId, null);
  });
}

/**
 * Sets or rotates the charge point's Basic-auth password. Without one a strong password is generated.
 * The password is returned this once and never shown again; the charger must be given it (for
 * example with ChangeConfiguration AuthorizationKey / SetVariables BasicAuthPassword) before its next
 * connection, which the old password no longer opens.
 */
export async function setChargePointPassword(ctx: ServiceContext, input: { id: string; password?: string | undefined }): Promise<{ password: string }> {
  authorize(ctx, "ocpp:manage");
  // 30 characters of base64url: 180 bits, inside the 16..40 the protocol allows.
  const password = input.password ?? randomBytes(23).toString("base64url").slice(0, 30);
  validatePassword(password);
  const passwordHash = await hashChargePointPassword(password);
  await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const row = await findChargePointRow(txCtx, input.id);
    await tx.update(ocppChargePoints).set({ passwordHash, passwordSetAt: new Date(), updatedAt: new Date() }).where(eq(ocppChargePoints.id, row.id));
    await recordAuditEvent(txCtx, {
      action: row.passwordHash === null ? "ocpp_charge_point.password_set" : "ocpp_charge_point.password_rotated",
      targetType: "ocpp_charge_point",
      targetId: row.id,
      details: { chargePointId: row.chargePointId, generated: input.password === undefined },
    });
  });
  return { password };
}

/** A disabled charge point is refused at its next connection attempt; a live connection runs until it drops. */
export async function setChargePointEnabled(ctx: ServiceContext, input: { id: string; enabled: boolean }): Promise<ChargePointView> {
  authorize(ctx, "ocpp:manage");
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const row = await findChargePointRow(txCtx, input.id);
    await tx.update(ocppChargePoints).set({ enabled: input.enabled, updatedAt: new Date() }).where(eq(ocppChargePoints.id, row.id));
    await recordAuditEvent(txCtx, {
      action: input.enabled ? "ocpp_charge_point.enabled" : "ocpp_charge_point.disabled",
      targetType: "ocpp_charge_point",
      targetId: row.id,
      details: { chargePointId: row.chargePointId },
    });
    const [found] = await selectViews(txCtx).where(eq(ocppChargePoints.id, row.id));
    if (!found) throw notFound("Charge point");
    return toView(found.cp, found.externalId, found.gatewayId ?? null);
  });
}

export async function listChargePoints(ctx: ServiceContext): Promise<ChargePointView[]> {
  authorize(ctx, "ocpp:read");
  const rows = await selectViews(ctx).where(eq(ocppChargePoints.organisationId, ctx.orgId)).orderBy(asc(ocppChargePoints.chargePointId));
  return rows.map((row) => toView(row.cp, row.externalId, row.gatewayId ?? null));
}

export async function getChargePoint(ctx: ServiceContext, id: string): Promise<ChargePointView> {
  authorize(ctx, "ocpp:read");
  if (!isUuid(id)) throw notFound("Charge point");
  const [row] = await selectViews(ctx).where(and(eq(ocppChargePoints.organisationId, ctx.orgId), eq(ocppChargePoints.id, id)));
  if (!row) throw notFound("Charge point");
  return toView(row.cp, row.externalId, row.gatewayId ?? null);
}

/** Commands sent (or waiting) for the charge point, newest first: profiles with their acceptance and the read-back comparison. */
export async function listChargePointCommands(ctx: ServiceContext, input: { id: string; limit?: number }) {
  authorize(ctx, "ocpp:read");
  const row = await findChargePointRow(ctx, input.id);
  const limit = Math.min(Math.max(1, input.limit ?? 50), 500);
  return ctx.db
    .select()
    .from(ocppCommands)
    .where(and(eq(ocppCommands.organisationId, ctx.orgId), eq(ocppCommands.chargePointId, row.id)))
    .orderBy(desc(ocppCommands.createdAt))
    .limit(limit);
}
