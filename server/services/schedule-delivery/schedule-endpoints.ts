// The organisation's schedule endpoint: where plans are pushed, in which OCPP version, signed
// with which secret. The secret is write-only: sealed with AES-256-GCM, shown back only as its
// last four characters.
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { assets, chargingPlans, scheduleDeliveries, scheduleDeliveryAttempts, scheduleEndpoints } from "@/db/schema";
import { buildSetChargingProfile16, buildSetChargingProfile201, validateOcppPayload } from "@/server/ocpp";
import { checkPartnerUrl, partnerUrlPolicy, assertPartnerUrlAllowed } from "../partner-urls/partner-url-policy";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { openSecret, sealSecret } from "../credentials/credential-crypto";
import { invalid, precondition } from "../errors";
import { currentScheduleSecretKey, scheduleSecretContext, scheduleSecretKeyring, type SecretKeys } from "./endpoint-secret";
import { OCPP_VERSIONS } from "./schedule-body";
import { postSignedSchedule, type PostOutcome } from "./send-schedule-delivery";

export const scheduleEndpointUrlSchema = z
  .string()
  .trim()
  .max(2048, "The URL is too long (at most 2048 characters).")
  .url("Enter a full URL, e.g. https://partner.example/ocpp/schedules.")
  .refine((value) => /^https?:\/\//i.test(value), "The URL must start with http:// or https://.")
  .refine((value) => {
    const url = new URL(value);
    return url.username === "" && url.password === "";
  }, "Put no credentials in the URL: requests are signed with the secret instead.");

export const scheduleEndpointSecretSchema = z
  .string()
  .min(16, "The signing secret must be at least 16 characters.")
  .max(256, "The signing secret must be at most 256 characters.")
  .refine((value) => value.trim() === value, "The signing secret must not start or end with spaces.");

export const setScheduleEndpointSchema = z.object({
  url: scheduleEndpointUrlSchema,
  ocppVersion: z.enum(OCPP_VERSIONS),
  /** Required the first time; leave out to keep the stored secret. */
  secret: scheduleEndpointSecretSchema.optional(),
  enabled: z.boolean().default(true),
});
export type SetScheduleEndpointInput = z.input<typeof setScheduleEndpointSchema>;

export const listScheduleDeliveriesSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  status: z.enum(["pending", "delivered", "superseded", "failed", "cancelled"]).optional(),
  sessionId: z.string().uuid().optional(),
});
export type ListScheduleDeliveriesInput = z.input<typeof listScheduleDeliveriesSchema>;

export interface ScheduleEndpointView {
  url: string;
  ocppVersion: string;
  secretLastFour: string;
  enabled: boolean;
  updatedAt: string;
  updatedBy: string;
  /** Set while pushes fail: since when (ISO), and the last failure in a few words. */
  failingSince: string | null;
  lastFailure: string | null;
}

export async function getScheduleEndpoint(ctx: ServiceContext): Promise<ScheduleEndpointView | null> {
  authorize(ctx, "schedule_endpoint:read");
  const [row] = await ctx.db.select().from(scheduleEndpoints).where(eq(scheduleEndpoints.organisationId, ctx.orgId));
  if (!row) return null;
  return {
    url: row.url,
    ocppVersion: row.ocppVersion,
    secretLastFour: row.secretLastFour,
    enabled: row.enabled,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
    failingSince: row.failingSince?.toISOString() ?? null,
    lastFailure: row.lastFailure,
  };
}

/** Admins only. Creating needs a secret; updating without one keeps the stored secret. */
export async function setScheduleEndpoint(ctx: ServiceContext, rawInput: SetScheduleEndpointInput, keys: SecretKeys = {}): Promise<ScheduleEndpointView> {
  authorize(ctx, "schedule_endpoint:manage");
  const parsed = setScheduleEndpointSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw invalid(
      "The schedule endpoint is not valid.",
      parsed.error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: issue.message })),
    );
  }
  const input = parsed.data;
  await assertPartnerUrlAllowed(ctx, input.url);
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const [existing] = await tx.select({ organisationId: scheduleEndpoints.organisationId }).from(scheduleEndpoints).where(eq(scheduleEndpoints.organisationId, ctx.orgId)).for("update");
    if (!existing && input.secret === undefined) {
      throw invalid("A signing secret is needed to set up the schedule endpoint.", [{ path: ["secret"], message: "Enter a signing secret of at least 16 characters." }]);
    }
    const sealed = input.secret === undefined ? undefined : sealSecret(input.secret, currentScheduleSecretKey(keys), scheduleSecretContext(ctx.orgId));
    const values = {
      url: input.url,
      ocppVersion: input.ocppVersion,
      enabled: input.enabled,
      updatedAt: new Date(),
      updatedBy: ctx.actor.label,
      ...(sealed === undefined || input.secret === undefined
        ? {}
        : { secretKeyId: sealed.keyId, secretCiphertext: sealed.ciphertext, secretLastFour: input.secret.slice(-4) }),
    };
    if (existing) {
      await tx.update(scheduleEndpoints).set(values).where(eq(scheduleEndpoints.organisationId, ctx.orgId));
    } else if (sealed !== undefined && input.secret !== undefined) {
      await tx.insert(scheduleEndpoints).values({
        ...values,
        organisationId: ctx.orgId,
        secretKeyId: sealed.keyId,
        secretCiphertext: sealed.ciphertext,
        secretLastFour: input.secret.slice(-4),
      });
    }
    await recordAuditEvent(txCtx, {
      action: existing ? "schedule_endpoint.updated" : "schedule_endpoint.created",
      targetType: "schedule_endpoint",
      targetId: ctx.orgId,
      details: { url: input.url, ocppVersion: input.ocppVersion, enabled: input.enabled, secretChanged: input.secret !== undefined },
    });
    const view = await getScheduleEndpoint(txCtx);
    if (!view) throw new Error("schedule endpoint vanished after it was written");
    return view;
  });
}

export interface ScheduleTestResult extends PostOutcome {
  url: string;
  ocppVersion: string;
}

/**
 * Sends a signed sample profile (one hour at 7.4 kW starting now) to the endpoint, marked with
 * `X-Flexfleet-Test: true`, and answers what happened. Not stored as a delivery (it has no plan);
 * the audit log records it.
 */
export async function sendTestScheduleDelivery(
  ctx: ServiceContext,
  deps: SecretKeys & { now?: Date; fetchImpl?: typeof fetch; timeoutMs?: number } = {},
): Promise<ScheduleTestResult> {
  authorize(ctx, "schedule_endpoint:test");
  const [endpoint] = await ctx.db.select().from(scheduleEndpoints).where(eq(scheduleEndpoints.organisationId, ctx.orgId));
  if (!endpoint) throw precondition("Set up the schedule endpoint before sending a test.");
  // Refused before any request: the answer must not tell what listens at an address we may not reach.
  const allowed = await checkPartnerUrl(endpoint.url, { ...(await partnerUrlPolicy(ctx)), unresolvable: "refuse" });
  if (!allowed.ok) throw precondition(`Nothing was sent: the endpoint URL is not allowed (${allowed.reason}). Change the URL, or ask an admin to allow local partner URLs.`);
  const now = deps.now ?? new Date();
  const start = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const schedule = { periods: [{ start, kw: 7.4 }], startSchedule: start, endSchedule: new Date(start.getTime() + 3_600_000), unit: "W" as const };
  const body: Record<string, unknown> =
    endpoint.ocppVersion === "2.0.1"
      ? { ...buildSetChargingProfile201({ ...schedule, evseId: 1, profileId: 1, scheduleId: 1 }) }
      : { ...buildSetChargingProfile16({ ...schedule, connectorId: 1, chargingProfileId: 1 }) };
  const version = endpoint.ocppVersion === "2.0.1" ? "2.0.1" : "1.6";
  const validation = validateOcppPayload(version, "SetChargingProfile", body);
  if (!validation.ok) throw new Error(`sample profile fails its own schema: ${validation.errors.join("; ")}`);
  const secret = openSecret({ keyId: endpoint.secretKeyId, ciphertext: endpoint.secretCiphertext }, scheduleSecretKeyring(deps), scheduleSecretContext(ctx.orgId));
  const outcome = await postSignedSchedule({
    url: endpoint.url,
    secret,
    body,
    now,
    headers: { "X-Flexfleet-Test": "true", "X-Flexfleet-Ocpp-Version": version },
    fetchImpl: deps.fetchImpl,
    timeoutMs: deps.timeoutMs,
  });
  await recordAuditEvent(ctx, {
    action: "schedule_endpoint.test_sent",
    targetType: "schedule_endpoint",
    targetId: ctx.orgId,
    details: { url: endpoint.url, httpStatus: outcome.httpStatus, error: outcome.error, durationMs: outcome.durationMs },
  });
  return { ...outcome, url: endpoint.url, ocppVersion: version };
}

export interface ScheduleDeliveryView {
  id: string;
  sessionId: string;
  planId: string;
  planVersion: number;
  assetId: string;
  assetExternalId: string;
  status: string;
  ocppVersion: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  deliveredAt: string | null;
  createdAt: string;
  attemptLog: { attemptedAt: string; httpStatus: number | null; error: string | null; durationMs: number }[];
}

/** The organisation's most recent deliveries, newest first, each with its HTTP attempts. */
export async function listScheduleDeliveries(ctx: ServiceContext, rawInput: ListScheduleDeliveriesInput = {}): Promise<ScheduleDeliveryView[]> {
  authorize(ctx, "schedule_endpoint:read");
  const input = listScheduleDeliveriesSchema.parse(rawInput);
  const filters = [eq(scheduleDeliveries.organisationId, ctx.orgId)];
  if (input.status) filters.push(eq(scheduleDeliveries.status, input.status));
  if (input.sessionId) filters.push(eq(scheduleDeliveries.sessionId, input.sessionId));
  const rows = await ctx.db
    .select({ delivery: scheduleDeliveries, planVersion: chargingPlans.version, assetExternalId: assets.externalId })
    .from(scheduleDeliveries)
    .innerJoin(chargingPlans, eq(chargingPlans.id, scheduleDeliveries.planId))
    .innerJoin(assets, eq(assets.id, scheduleDeliveries.assetId))
    .where(and(...filters))
    .orderBy(desc(scheduleDeliveries.createdAt), desc(scheduleDeliveries.id))
    .limit(input.limit);
  const ids = rows.map((row) => row.delivery.id);
  const attempts =
    ids.length === 0
      ? []
      : await ctx.db
          .select()
          .from(scheduleDeliveryAttempts)
          .where(and(eq(scheduleDeliveryAttempts.organisationId, ctx.orgId), inArray(scheduleDeliveryAttempts.deliveryId, ids)))
          .orderBy(scheduleDeliveryAttempts.attemptedAt, scheduleDeliveryAttempts.id);
  const byDelivery = new Map<string, ScheduleDeliveryView["attemptLog"]>();
  for (const attempt of attempts) {
    const list = byDelivery.get(attempt.deliveryId) ?? [];
    list.push({ attemptedAt: attempt.attemptedAt.toISOString(), httpStatus: attempt.httpStatus, error: attempt.error, durationMs: attempt.durationMs });
    byDelivery.set(attempt.deliveryId, list);
  }
  return rows.map(({ delivery, planVersion, assetExternalId }) => ({
    id: delivery.id,
    sessionId: delivery.sessionId,
    planId: delivery.planId,
    planVersion,
    assetId: delivery.assetId,
    assetExternalId,
    status: delivery.status,
    ocppVersion: delivery.ocppVersion,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    attemptLog: byDelivery.get(delivery.id) ?? [],
  }));
}
