// Operation-mode Actions (battery-control dialect). An Action is PENDING while the
// command is sent and the battery watched, CONFIRMED when the observed mode matches,
// FAILED when the deadline passes first, CANCELLED when a newer one replaces it or a
// caller cancels it. One PENDING per battery (also a partial unique index).
import { and, desc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import { assets, batteryActions, batteryWebhookEvents, type ActionFailureReason, type BatteryActionRow } from "@/db/schema";
import { getDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { signBatteryControlWebhook } from "@/server/domain/signatures";
import { OPERATION_MODES, OemCredentialRejectedError, OemError, type OemGateway, type OperationMode } from "@/server/oem";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { assertDispatchConsent } from "../consent/assert-dispatch-consent";
import { conflict, invalid, notFound, precondition } from "../errors";
import { isUuid } from "../inventory/records";
import { pollBattery } from "../batteries/batteries";
import { openOemCredentialForSite } from "../credentials/credentials";
import { getOemGateway } from "../credentials/oem-gateway";

/** The dispatch consent an operation-mode change needs. */
export const OPERATION_MODE_PROPOSITION = "full_asset_control";
export const VENDOR_ACTION_UPDATED = "user:vendor-action:updated";

export type ActionState = BatteryActionRow["state"];

export interface BatteryAction {
  id: string;
  assetId: string;
  siteId: string;
  kind: string;
  targetMode: OperationMode;
  state: ActionState;
  failureReason: ActionFailureReason | null;
  deadlineAt: Date;
  commandAttempts: number;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export interface ActionDeps {
  gateway?: OemGateway;
  now?: Date;
  deadlineSeconds?: number;
  /** How the drive loop is started; defaults to the queue. Tests drive by hand. */
  scheduleDrive?: (action: { orgId: string; actionId: string; at: Date }) => Promise<void>;
  /** Time between state checks while pending. Default 2 s. */
  checkIntervalMs?: number;
  /** First command resend delay; doubles per attempt. Default 30 s. */
  commandRetryBaseMs?: number;
}

async function defaultScheduleDrive(action: { orgId: string; actionId: string; at: Date }): Promise<void> {
  // Loaded lazily: the job module imports this service.
  const { enqueueDriveAction } = await import("@/server/jobs/handlers/drive-action");
  await enqueueDriveAction(action);
}

function toAction(row: BatteryActionRow, siteId: string): BatteryAction {
  return {
    id: row.id,
    assetId: row.assetId,
    siteId,
    kind: row.kind,
    targetMode: (OPERATION_MODES as readonly string[]).includes(row.targetMode) ? (row.targetMode as OperationMode) : "SELF_RELIANCE",
    state: row.state,
    failureReason: row.failureReason,
    deadlineAt: row.deadlineAt,
    commandAttempts: row.commandAttempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    completedAt: row.completedAt,
  };
}

/** The dialect's Action shape, as REST answers it and webhooks carry it. */
export function actionToWire(action: BatteryAction) {
  return {
    id: action.id,
    userId: action.siteId,
    vendor: null as string | null,
    state: action.state,
    createdAt: action.createdAt.toISOString(),
    updatedAt: action.updatedAt.toISOString(),
    completedAt: action.completedAt?.toISOString() ?? null,
    targetId: action.assetId,
    targetType: "battery" as const,
    kind: "SET_OPERATION_MODE" as const,
    targetState: { operationMode: action.targetMode },
    failureReason: action.failureReason,
  };
}

async function writeEvent(db: ServiceContext["db"], orgId: string, action: BatteryAction, now: Date): Promise<void> {
  await db.insert(batteryWebhookEvents).values({
    organisationId: orgId,
    // clock_timestamp, not the transaction's now(): a supersede writes CANCELLED then the new
    // PENDING in one transaction, and delivery orders by this column.
    createdAt: sql`clock_timestamp()`,
    event: VENDOR_ACTION_UPDATED,
    payload: { event: VENDOR_ACTION_UPDATED, version: "2024-10-01", createdAt: now.toISOString(), user: { id: action.siteId }, pendingAction: actionToWire(action) },
  });
}

/** A signed delivery body for a batch of events (at most 100), as the dialect's receivers verify it. */
export function signedVendorActionDelivery(events: readonly Record<string, unknown>[], secret: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(events.slice(0, 100));
  return { body, headers: { "content-type": "application/json", "x-enode-signature": signBatteryControlWebhook(secret, body) } };
}

async function loadBattery(ctx: ServiceContext, assetId: string) {
  if (!isUuid(assetId)) throw notFound("Battery");
  const [asset] = await ctx.db
    .select()
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.id, assetId), eq(assets.type, "battery")))
    .limit(1);
  if (!asset) throw notFound("Battery");
  return asset;
}

/**
 * `proposition` is the dispatch consent the command relies on: operators and partners
 * switching modes need full control; a grid event dispatches under its own proposition
 * (Grid Event Mode is `vpp_limited_control`).
 */
export async function createOperationModeAction(
  ctx: ServiceContext,
  input: { assetId: string; operationMode: string; proposition?: string },
  deps: ActionDeps = {},
): Promise<BatteryAction> {
  authorize(ctx, "batteries:control");
  if (!(OPERATION_MODES as readonly string[]).includes(input.operationMode)) {
    throw invalid(`Unknown operation mode ${input.operationMode}.`, [{ path: ["operationMode"], message: `One of ${OPERATION_MODES.join(", ")}.` }]);
  }
  const asset = await loadBattery(ctx, input.assetId);
  await assertDispatchConsent(ctx, { siteId: asset.siteId, proposition: input.proposition ?? OPERATION_MODE_PROPOSITION });
  if (!asset.oemDeviceId || !asset.oem) throw precondition("The battery has no OEM device id; it cannot be controlled.");
  const credential = await openOemCredentialForSite(ctx, asset.siteId, deps);
  if (!credential) throw precondition("The site has no OEM credential; add one before controlling its battery.");
  if (credential.status === "rejected" || credential.status === "expired") throw precondition(`The site's OEM credential is ${credential.status}; replace it first.`);
  const now = deps.now ?? new Date();
  const deadlineAt = new Date(now.getTime() + (deps.deadlineSeconds ?? getConfig().batteries.actionDeadlineSeconds) * 1000);
  const created = await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    // Serialises concurrent creates for one battery: the loser sees the winner's row and cancels it.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${asset.id}))`);
    const superseded = await tx
      .update(batteryActions)
      .set({ state: "CANCELLED", completedAt: now, updatedAt: now, failureReason: { type: "SUPERSEDED", detail: "A newer action for this battery replaced it." } })
      .where(and(eq(batteryActions.assetId, asset.id), eq(batteryActions.state, "PENDING")))
      .returning();
    for (const row of superseded) await writeEvent(tx, ctx.orgId, toAction(row, asset.siteId), now);
    const [row] = await tx
      .insert(batteryActions)
      .values({ organisationId: ctx.orgId, assetId: asset.id, targetMode: input.operationMode, deadlineAt, nextCheckAt: now, createdBy: ctx.actor.label, createdAt: now, updatedAt: now })
      .returning();
    if (!row) throw new Error("action insert returned nothing");
    const action = toAction(row, asset.siteId);
    await writeEvent(tx, ctx.orgId, action, now);
    await recordAuditEvent(txCtx, { action: "battery.operation_mode.requested", targetType: "asset", targetId: asset.id, details: { actionId: row.id, operationMode: input.operationMode } });
    return action;
  });
  await (deps.scheduleDrive ?? defaultScheduleDrive)({ orgId: ctx.orgId, actionId: created.id, at: now });
  return created;
}

async function loadAction(ctx: ServiceContext, actionId: string): Promise<{ row: BatteryActionRow; siteId: string }> {
  if (!isUuid(actionId)) throw notFound("Action");
  const [found] = await ctx.db
    .select({ row: batteryActions, siteId: assets.siteId })
    .from(batteryActions)
    .innerJoin(assets, eq(assets.id, batteryActions.assetId))
    .where(and(eq(batteryActions.organisationId, ctx.orgId), eq(batteryActions.id, actionId)))
    .limit(1);
  if (!found) throw notFound("Action");
  return found;
}

export async function getAction(ctx: ServiceContext, actionId: string): Promise<BatteryAction> {
  authorize(ctx, "sites:read");
  const { row, siteId } = await loadAction(ctx, actionId);
  return toAction(row, siteId);
}

export async function listBatteryActions(ctx: ServiceContext, assetId: string, limit = 20): Promise<BatteryAction[]> {
  authorize(ctx, "sites:read");
  const asset = await loadBattery(ctx, assetId);
  const rows = await ctx.db
    .select()
    .from(batteryActions)
    .where(and(eq(batteryActions.organisationId, ctx.orgId), eq(batteryActions.assetId, assetId)))
    .orderBy(desc(batteryActions.createdAt))
    .limit(limit);
  return rows.map((r) => toAction(r, asset.siteId));
}

/** Moves a PENDING action to a final state; a no-op (returns null) when something else finished it first. */
async function finish(ctx: ServiceContext, actionId: string, siteId: string, state: Exclude<ActionState, "PENDING">, now: Date, failureReason: ActionFailureReason | null): Promise<BatteryAction | null> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(batteryActions)
      .set({ state, failureReason, completedAt: now, updatedAt: now })
      .where(and(eq(batteryActions.organisationId, ctx.orgId), eq(batteryActions.id, actionId), eq(batteryActions.state, "PENDING")))
      .returning();
    if (!row) return null;
    const action = toAction(row, siteId);
    await writeEvent(tx, ctx.orgId, action, now);
    return action;
  });
}

export async function cancelAction(ctx: ServiceContext, input: { assetId: string; actionId: string }, now = new Date()): Promise<BatteryAction> {
  authorize(ctx, "batteries:control");
  const { row, siteId } = await loadAction(ctx, input.actionId);
  if (row.assetId !== input.assetId) throw notFound("Action");
  if (row.state !== "PENDING") throw conflict(`The action is already ${row.state} and cannot be cancelled.`);
  const cancelled = await finish(ctx, row.id, siteId, "CANCELLED", now, { type: "CANCELLED_BY_USER", detail: `Cancelled by ${ctx.actor.label}.` });
  if (!cancelled) throw conflict("The action finished while it was being cancelled.");
  return cancelled;
}

export interface DriveResult {
  state: ActionState;
  /** When to drive again; null once final. */
  nextCheckAt: Date | null;
}

/**
 * One step of the drive loop, safe to run twice: read the battery; confirm if the
 * mode matches; fail if the deadline passed; otherwise (re)send the command when its
 * backoff allows, and say when to look again.
 */
export async function driveAction(ctx: ServiceContext, actionId: string, deps: ActionDeps = {}): Promise<DriveResult> {
  authorize(ctx, "batteries:control");
  const now = deps.now ?? new Date();
  const { row, siteId } = await loadAction(ctx, actionId);
  if (row.state !== "PENDING") return { state: row.state, nextCheckAt: null };
  const done = async (state: Exclude<ActionState, "PENDING">, reason: ActionFailureReason | null): Promise<DriveResult> => {
    const finished = await finish(ctx, row.id, siteId, state, now, reason);
    return { state: finished?.state ?? (await getAction(ctx, row.id)).state, nextCheckAt: null };
  };
  const poll = await pollBattery(ctx, row.assetId, deps);
  if (poll.ok && poll.reading.operationMode === row.targetMode) return done("CONFIRMED", null);
  if (now.getTime() >= row.deadlineAt.getTime()) {
    return done("FAILED", { type: "DEADLINE_EXCEEDED", detail: `The battery did not report ${row.targetMode} before the deadline (${row.commandAttempts} command attempts).` });
  }
  const retryBase = deps.commandRetryBaseMs ?? 30_000;
  const commandDue = row.lastCommandAt === null || now.getTime() - row.lastCommandAt.getTime() >= retryBase * 2 ** Math.max(0, row.commandAttempts - 1);
  if (commandDue) {
    const [asset] = await ctx.db.select().from(assets).where(eq(assets.id, row.assetId)).limit(1);
    const credential = await openOemCredentialForSite(ctx, siteId, deps);
    if (!asset?.oemDeviceId || !credential) return done("FAILED", { type: "NO_CREDENTIAL", detail: "The site's OEM credential or the battery's device id is missing." });
    try {
      await (deps.gateway ?? getOemGateway()).setOperationMode(credential.credential, asset.oemDeviceId, row.targetMode as OperationMode);
    } catch (e) {
      if (e instanceof OemCredentialRejectedError) return done("FAILED", { type: "CREDENTIAL_REJECTED", detail: `The OEM rejected the credential (${e.reason}).` });
      if (!(e instanceof OemError)) throw e;
      // Transient: the backoff below decides when to try again.
    }
    await ctx.db
      .update(batteryActions)
      .set({ commandAttempts: sql`${batteryActions.commandAttempts} + 1`, lastCommandAt: now, updatedAt: now })
      .where(and(eq(batteryActions.id, row.id), eq(batteryActions.state, "PENDING")));
  }
  const nextCheckAt = new Date(Math.min(row.deadlineAt.getTime(), now.getTime() + (deps.checkIntervalMs ?? 2000)));
  await ctx.db.update(batteryActions).set({ nextCheckAt }).where(and(eq(batteryActions.id, row.id), eq(batteryActions.state, "PENDING")));
  return { state: "PENDING", nextCheckAt };
}

/**
 * The safety net for lost drive jobs (a worker killed mid-action): across organisations,
 * fail every PENDING action past its deadline, and list the PENDING ones whose next check
 * is overdue so the caller can re-schedule them.
 */
export async function sweepActions(
  now: Date,
  options: { db?: ServiceContext["db"]; overdueAfterMs?: number; /** Only these organisations (tests, so one file's sweep never fails another's Actions). */ organisationIds?: string[] } = {},
): Promise<{ failed: number; stuck: { orgId: string; actionId: string }[] }> {
  const db = options.db ?? getDb();
  const overdueAfterMs = options.overdueAfterMs ?? 30_000;
  const inScope = options.organisationIds ? inArray(batteryActions.organisationId, options.organisationIds) : undefined;
  const overdue = await db
    .select({ id: batteryActions.id, orgId: batteryActions.organisationId, siteId: assets.siteId })
    .from(batteryActions)
    .innerJoin(assets, eq(assets.id, batteryActions.assetId))
    .where(and(eq(batteryActions.state, "PENDING"), lte(batteryActions.deadlineAt, now), inScope));
  let failed = 0;
  for (const a of overdue) {
    const ctx: ServiceContext = { db, orgId: a.orgId, actor: { type: "system", label: "action sweeper" } };
    const done = await finish(ctx, a.id, a.siteId, "FAILED", now, { type: "DEADLINE_EXCEEDED", detail: "The deadline passed before the battery reported the requested mode." });
    if (done) failed += 1;
  }
  const stuck = await db
    .select({ orgId: batteryActions.organisationId, actionId: batteryActions.id })
    .from(batteryActions)
    .where(and(eq(batteryActions.state, "PENDING"), lt(batteryActions.nextCheckAt, new Date(now.getTime() - overdueAfterMs)), inScope));
  return { failed, stuck };
}
