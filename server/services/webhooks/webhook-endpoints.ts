// Partner webhook endpoints as operators manage them: register (the secret is generated
// here and shown once), list, disable and enable again, and see recent deliveries with their status.
import { randomBytes } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { assertPartnerUrlAllowed } from "../partner-urls/partner-url-policy";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { conflict, invalid, notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { addWebhookEndpoint, WEBHOOK_EVENT_TYPES } from "./partner-webhooks";

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpointSummary {
  id: string;
  url: string;
  /** Empty means every event type. */
  eventTypes: string[];
  createdAt: Date;
  disabledAt: Date | null;
  /** Set while deliveries fail: since when, and the last failure in a few words. */
  failingSince: Date | null;
  lastFailure: string | null;
  pendingDeliveries: number;
  failedDeliveries: number;
  lastDeliveredAt: Date | null;
}

export interface WebhookDeliverySummary {
  id: string;
  endpointId: string;
  url: string;
  eventType: string;
  /** Events in the POST: 1, or the batch size for battery-control batches. */
  eventCount: number;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const MAX_URL_LENGTH = 2048;

function checkUrl(raw: string): string {
  const url = raw.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid("The URL is not valid.", [{ path: ["url"], message: "Must be an absolute http(s) URL." }]);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw invalid("The URL must use https.", [{ path: ["url"], message: "Must use https (or http for local testing)." }]);
  if (parsed.username !== "" || parsed.password !== "") throw invalid("The URL must not carry credentials.", [{ path: ["url"], message: "Remove the user name and password from the URL." }]);
  if (url.length > MAX_URL_LENGTH) throw invalid("The URL is too long.", [{ path: ["url"], message: `At most ${MAX_URL_LENGTH} characters.` }]);
  return url;
}

function checkEventTypes(eventTypes: readonly string[]): string[] {
  const unknown = eventTypes.filter((type) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) {
    throw invalid(`Unknown event type ${unknown.join(", ")}.`, [{ path: ["eventTypes"], message: `Each one of ${WEBHOOK_EVENT_TYPES.join(", ")}.` }]);
  }
  return [...new Set(eventTypes)].sort();
}

export async function listWebhookEndpoints(ctx: ServiceContext): Promise<WebhookEndpointSummary[]> {
  authorize(ctx, "webhook_endpoints:read");
  const rows = await ctx.db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      eventTypes: webhookEndpoints.eventTypes,
      createdAt: webhookEndpoints.createdAt,
      disabledAt: webhookEndpoints.disabledAt,
      failingSince: webhookEndpoints.failingSince,
      lastFailure: webhookEndpoints.lastFailure,
      pendingDeliveries: sql<number>`count(${webhookDeliveries.id}) filter (where ${webhookDeliveries.status} = 'pending')`.mapWith(Number),
      failedDeliveries: sql<number>`count(${webhookDeliveries.id}) filter (where ${webhookDeliveries.status} = 'failed')`.mapWith(Number),
      lastDeliveredAt: sql<Date | null>`max(${webhookDeliveries.deliveredAt})`.mapWith((v: string | null) => (v === null ? null : new Date(v))),
    })
    .from(webhookEndpoints)
    .leftJoin(webhookDeliveries, eq(webhookDeliveries.endpointId, webhookEndpoints.id))
    .where(eq(webhookEndpoints.organisationId, ctx.orgId))
    .groupBy(webhookEndpoints.id)
    .orderBy(desc(webhookEndpoints.createdAt));
  return rows;
}

/** Admins only. The secret is returned this once; afterwards only deliveries signed with it show it exists. */
export async function createWebhookEndpoint(ctx: ServiceContext, input: { url: string; eventTypes: readonly string[] }): Promise<{ endpoint: WebhookEndpointSummary; secret: string }> {
  authorize(ctx, "webhook_endpoints:manage");
  const url = checkUrl(input.url);
  await assertPartnerUrlAllowed(ctx, url);
  const eventTypes = checkEventTypes(input.eventTypes);
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  const { id } = await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const created = await addWebhookEndpoint(txCtx, { url, secret, eventTypes });
    // The URL's host only: paths and queries can carry partner tokens.
    await recordAuditEvent(txCtx, { action: "webhook_endpoint.created", targetType: "webhook_endpoint", targetId: created.id, details: { host: new URL(url).host, eventTypes } });
    return created;
  });
  const endpoint = (await listWebhookEndpoints(ctx)).find((e) => e.id === id);
  if (!endpoint) throw new Error("created webhook endpoint not found");
  return { endpoint, secret };
}

/** Admins only. Stops deliveries to the endpoint; rows still pending wait, unsent, until it is enabled again. */
export async function disableWebhookEndpoint(ctx: ServiceContext, input: { endpointId: string }, now = new Date()): Promise<void> {
  authorize(ctx, "webhook_endpoints:manage");
  await setEndpointEnabled(ctx, input.endpointId, false, now);
}

/** Admins only. Deliveries resume, starting with rows still pending from before it was disabled. */
export async function enableWebhookEndpoint(ctx: ServiceContext, input: { endpointId: string }, now = new Date()): Promise<void> {
  authorize(ctx, "webhook_endpoints:manage");
  await setEndpointEnabled(ctx, input.endpointId, true, now);
}

async function setEndpointEnabled(ctx: ServiceContext, endpointId: string, enabled: boolean, now: Date): Promise<void> {
  if (!isUuid(endpointId)) throw notFound("Webhook endpoint");
  await ctx.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: webhookEndpoints.id, disabledAt: webhookEndpoints.disabledAt })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.organisationId, ctx.orgId), eq(webhookEndpoints.id, endpointId)))
      .for("update")
      .limit(1);
    if (!existing) throw notFound("Webhook endpoint");
    if ((existing.disabledAt === null) === enabled) throw conflict(`The webhook endpoint is already ${enabled ? "enabled" : "disabled"}.`);
    await tx.update(webhookEndpoints).set({ disabledAt: enabled ? null : now }).where(eq(webhookEndpoints.id, endpointId));
    await recordAuditEvent({ ...ctx, db: tx }, { action: enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled", targetType: "webhook_endpoint", targetId: endpointId });
  });
}

export async function listWebhookDeliveries(ctx: ServiceContext, input: { endpointId?: string; limit?: number } = {}): Promise<WebhookDeliverySummary[]> {
  authorize(ctx, "webhook_endpoints:read");
  if (input.endpointId !== undefined && !isUuid(input.endpointId)) throw notFound("Webhook endpoint");
  const rows = await ctx.db
    .select({ delivery: webhookDeliveries, url: webhookEndpoints.url })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.organisationId, ctx.orgId), input.endpointId ? eq(webhookDeliveries.endpointId, input.endpointId) : undefined))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(Math.min(200, Math.max(1, input.limit ?? 50)));
  return rows.map(({ delivery, url }) => {
    const batch = delivery.payload.batch;
    return {
      id: delivery.id,
      endpointId: delivery.endpointId,
      url,
      eventType: delivery.eventType,
      eventCount: Array.isArray(batch) ? batch.length : 1,
      status: delivery.status === "delivered" || delivery.status === "failed" ? delivery.status : "pending",
      attempts: delivery.attempts,
      lastError: delivery.lastError,
      createdAt: delivery.createdAt,
      deliveredAt: delivery.deliveredAt,
    };
  });
}
