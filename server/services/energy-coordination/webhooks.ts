// The energy-coordination dialect's webhooks: endpoints in the one partner outbox
// (webhook_endpoints, delivered and retried by the webhook job) with the dialect's name, types and
// health, and the notification log built from every delivery attempt.
import { randomBytes } from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import {
  coordinationWebhooks,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
} from "@/db/schema";
import { NOTIFICATION_TYPES } from "@/server/domain/energy-coordination-notifications";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { addWebhookEndpoint } from "../webhooks/partner-webhooks";
import { sealWebhookSecret } from "../webhooks/webhook-secrets";

export type WebhookStatus = "New" | "Healthy" | "Unhealthy" | "TimeOut";

export interface CoordinationWebhook {
  webhookId: string;
  webhookUrl: string;
  name: string | null;
  notificationTypes: string[];
  enabled: boolean;
  status: WebhookStatus;
  createdDate: Date;
  modifiedDate: Date;
  lastAnalyzedTimestamp?: Date;
}

export interface WebhookInput {
  webhookUrl?: string | null | undefined;
  webhookSecret?: string | null | undefined;
  name?: string | null | undefined;
  notificationTypes?: readonly string[] | null | undefined;
  enabled?: boolean | null | undefined;
}

/** Empty or absent means every notification type; stored explicitly so no other event type reaches the endpoint. */
const typesOrAll = (types: readonly string[] | null | undefined): string[] =>
  types && types.length > 0 ? [...new Set(types)] : [...NOTIFICATION_TYPES];

async function loadWebhooks(ctx: ServiceContext, webhookId?: string): Promise<CoordinationWebhook[]> {
  const rows = await ctx.db
    .select({
      endpoint: webhookEndpoints,
      name: coordinationWebhooks.name,
      modifiedAt: coordinationWebhooks.modifiedAt,
      // Health from the latest attempt: a timeout, a failure, or fine.
      lastAttempt: sql<{ at: string; ok: boolean; timedOut: boolean } | null>`(
        select json_build_object('at', a.attempted_at, 'ok', a.error is null, 'timedOut', a.timed_out)
        from ${webhookDeliveryAttempts} a where a.endpoint_id = ${webhookEndpoints.id} order by a.attempted_at desc, a.id desc limit 1)`,
    })
    .from(webhookEndpoints)
    .innerJoin(coordinationWebhooks, eq(coordinationWebhooks.endpointId, webhookEndpoints.id))
    .where(
      and(
        eq(webhookEndpoints.organisationId, ctx.orgId),
        webhookId !== undefined ? eq(webhookEndpoints.id, webhookId) : undefined,
      ),
    )
    .orderBy(webhookEndpoints.createdAt);
  return rows.map(({ endpoint, name, modifiedAt, lastAttempt }) => ({
    webhookId: endpoint.id,
    webhookUrl: endpoint.url,
    name,
    notificationTypes: endpoint.eventTypes,
    enabled: endpoint.disabledAt === null,
    status:
      lastAttempt === null
        ? "New"
        : lastAttempt.timedOut
          ? "TimeOut"
          : lastAttempt.ok
            ? "Healthy"
            : "Unhealthy",
    createdDate: endpoint.createdAt,
    modifiedDate: modifiedAt,
    ...(lastAttempt !== null ? { lastAnalyzedTimestamp: new Date(lastAttempt.at) } : {}),
  }));
}

async function requireWebhook(ctx: ServiceContext, webhookId: string): Promise<CoordinationWebhook> {
  if (!isUuid(webhookId)) throw notFound("Webhook");
  const [webhook] = await loadWebhooks(ctx, webhookId);
  if (!webhook) throw notFound("Webhook");
  return webhook;
}

export const listCoordinationWebhooks = (ctx: ServiceContext) => loadWebhooks(ctx);
export const getCoordinationWebhook = (ctx: ServiceContext, webhookId: string) =>
  requireWebhook(ctx, webhookId);

/** Registers a webhook; without a secret one is generated (the partner then cannot verify: send one). */
export async function createCoordinationWebhook(
  ctx: ServiceContext,
  input: WebhookInput & { webhookUrl: string },
): Promise<CoordinationWebhook> {
  authorize(ctx, "coordination_webhooks:manage");
  const id = await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const secret = input.webhookSecret ?? randomBytes(32).toString("base64url");
    const endpoint = await addWebhookEndpoint(txCtx, {
      url: input.webhookUrl,
      secret,
      eventTypes: typesOrAll(input.notificationTypes),
    });
    await tx
      .insert(coordinationWebhooks)
      .values({ endpointId: endpoint.id, organisationId: ctx.orgId, name: input.name ?? null });
    await recordAuditEvent(txCtx, {
      action: "webhook.created",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      details: { url: input.webhookUrl, dialect: "energy-coordination" },
    });
    return endpoint.id;
  });
  return requireWebhook(ctx, id);
}

/** PUT replaces (absent fields reset), PATCH (`partial`) changes only what is sent. A secret is never returned. */
export async function updateCoordinationWebhook(
  ctx: ServiceContext,
  webhookId: string,
  input: WebhookInput,
  partial: boolean,
  now = new Date(),
): Promise<CoordinationWebhook> {
  authorize(ctx, "coordination_webhooks:manage");
  const current = await requireWebhook(ctx, webhookId);
  await ctx.db.transaction(async (tx) => {
    const set: Partial<typeof webhookEndpoints.$inferInsert> = {};
    if (input.webhookUrl != null) set.url = input.webhookUrl;
    if (input.webhookSecret != null) set.secret = sealWebhookSecret(webhookId, input.webhookSecret);
    if (input.notificationTypes != null || !partial) set.eventTypes = typesOrAll(input.notificationTypes);
    if (input.enabled != null) set.disabledAt = input.enabled ? null : current.enabled ? now : undefined;
    else if (!partial && !current.enabled) set.disabledAt = null;
    if (Object.keys(set).length > 0)
      await tx
        .update(webhookEndpoints)
        .set(set)
        .where(and(eq(webhookEndpoints.organisationId, ctx.orgId), eq(webhookEndpoints.id, webhookId)));
    const name = input.name !== undefined ? input.name : partial ? current.name : null;
    await tx
      .update(coordinationWebhooks)
      .set({ name, modifiedAt: now })
      .where(eq(coordinationWebhooks.endpointId, webhookId));
    await recordAuditEvent(
      { ...ctx, db: tx },
      {
        action: "webhook.updated",
        targetType: "webhook_endpoint",
        targetId: webhookId,
        details: { fields: Object.keys(input).filter((k) => k !== "webhookSecret") },
      },
    );
  });
  return requireWebhook(ctx, webhookId);
}

export async function setCoordinationWebhookEnabled(
  ctx: ServiceContext,
  webhookId: string,
  enabled: boolean,
  now = new Date(),
): Promise<void> {
  authorize(ctx, "coordination_webhooks:manage");
  await updateCoordinationWebhook(ctx, webhookId, { enabled }, true, now);
}

/** Removes the endpoint; its deliveries and their log go with it. */
export async function deleteCoordinationWebhook(ctx: ServiceContext, webhookId: string): Promise<void> {
  authorize(ctx, "coordination_webhooks:manage");
  await requireWebhook(ctx, webhookId);
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.organisationId, ctx.orgId), eq(webhookEndpoints.id, webhookId)));
    await recordAuditEvent(
      { ...ctx, db: tx },
      { action: "webhook.deleted", targetType: "webhook_endpoint", targetId: webhookId, details: {} },
    );
  });
}

export interface NotificationLogEntry {
  webhookId: string;
  tenantId: string;
  partnerEventId: string;
  notificationId: string;
  notificationType: string;
  notificationSent: Date;
  sparkSignature: string | null;
  webhookUrl: string;
  requestTimeout: boolean;
  responseStatusCode: number | null;
  requestDurationMs: number | null;
  body: string;
}

const logColumns = {
  webhookId: webhookDeliveryAttempts.endpointId,
  tenantId: webhookDeliveryAttempts.organisationId,
  partnerEventId: sql<string>`${webhookDeliveries.payload}->>'eventId'`,
  notificationId: webhookDeliveries.id,
  notificationType: webhookDeliveries.eventType,
  notificationSent: webhookDeliveryAttempts.attemptedAt,
  sparkSignature: webhookDeliveryAttempts.signature,
  webhookUrl: webhookDeliveryAttempts.url,
  requestTimeout: webhookDeliveryAttempts.timedOut,
  responseStatusCode: webhookDeliveryAttempts.responseStatus,
  requestDurationMs: webhookDeliveryAttempts.durationMs,
  body: webhookDeliveryAttempts.body,
};

const dialectAttempts = (orgId: string) =>
  and(
    eq(webhookDeliveryAttempts.organisationId, orgId),
    sql`${webhookDeliveries.eventType} in (${sql.join(
      NOTIFICATION_TYPES.map((t) => sql`${t}`),
      sql`, `,
    )})`,
  );

/** Every attempt of every notification, newest first, optionally of one webhook. */
export async function listNotificationLog(
  ctx: ServiceContext,
  input: { webhookId?: string | undefined; page: number; pageSize: number },
): Promise<{ items: NotificationLogEntry[]; total: number }> {
  authorize(ctx, "coordination_webhooks:read");
  if (input.webhookId !== undefined && !isUuid(input.webhookId)) return { items: [], total: 0 };
  const where = and(
    dialectAttempts(ctx.orgId),
    input.webhookId !== undefined ? eq(webhookDeliveryAttempts.endpointId, input.webhookId) : undefined,
  );
  const [total] = await ctx.db
    .select({ n: count() })
    .from(webhookDeliveryAttempts)
    .innerJoin(webhookDeliveries, eq(webhookDeliveries.id, webhookDeliveryAttempts.deliveryId))
    .where(where);
  const items = await ctx.db
    .select(logColumns)
    .from(webhookDeliveryAttempts)
    .innerJoin(webhookDeliveries, eq(webhookDeliveries.id, webhookDeliveryAttempts.deliveryId))
    .where(where)
    .orderBy(desc(webhookDeliveryAttempts.attemptedAt), desc(webhookDeliveryAttempts.id))
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
  return { items, total: total?.n ?? 0 };
}

/** A notification's latest attempt and the exact body it sent. */
export async function getNotificationLog(
  ctx: ServiceContext,
  notificationId: string,
): Promise<NotificationLogEntry> {
  authorize(ctx, "coordination_webhooks:read");
  if (!isUuid(notificationId)) throw notFound("Notification");
  const [entry] = await ctx.db
    .select(logColumns)
    .from(webhookDeliveryAttempts)
    .innerJoin(webhookDeliveries, eq(webhookDeliveries.id, webhookDeliveryAttempts.deliveryId))
    .where(and(dialectAttempts(ctx.orgId), eq(webhookDeliveries.id, notificationId)))
    .orderBy(desc(webhookDeliveryAttempts.attemptedAt), desc(webhookDeliveryAttempts.id))
    .limit(1);
  if (!entry) throw notFound("Notification");
  return entry;
}
