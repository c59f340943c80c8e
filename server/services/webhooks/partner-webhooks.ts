// Partner webhooks as an outbox: events are written in the same transaction as the
// change they describe (so a rolled-back enrolment never notifies anyone), and a job
// delivers pending rows as signed POSTs, retrying with backoff.
import { randomUUID } from "node:crypto";
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { signSchedulePush } from "@/server/domain/signatures";
import type { ServiceContext } from "../context";

export type PartnerEventType = "enrolment.enrolled" | "enrolment.unenrolled" | "enrolment.withdrawn" | "site.offboarded";

export const MAX_DELIVERY_ATTEMPTS = 8;

/** Queues the event for every active endpoint of the organisation that wants it. */
export async function emitPartnerEvent(ctx: ServiceContext, type: PartnerEventType, data: Record<string, unknown>): Promise<number> {
  const endpoints = await ctx.db
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organisationId, ctx.orgId), isNull(webhookEndpoints.disabledAt)));
  const wanted = endpoints.filter((endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type));
  if (wanted.length === 0) return 0;
  const event = { id: randomUUID(), type, created_at: new Date().toISOString(), data };
  await ctx.db.insert(webhookDeliveries).values(
    wanted.map((endpoint) => ({ organisationId: ctx.orgId, endpointId: endpoint.id, eventType: type, payload: event })),
  );
  return wanted.length;
}

export async function addWebhookEndpoint(ctx: ServiceContext, input: { url: string; secret: string; eventTypes?: string[] }): Promise<{ id: string }> {
  const [row] = await ctx.db
    .insert(webhookEndpoints)
    .values({ organisationId: ctx.orgId, url: input.url, secret: input.secret, eventTypes: input.eventTypes ?? [] })
    .returning({ id: webhookEndpoints.id });
  if (!row) throw new Error("webhook endpoint insert returned nothing");
  return row;
}

export interface DeliveryRunResult {
  delivered: number;
  failed: number;
  retrying: number;
}

/**
 * Delivers due webhook rows (all organisations: this is the worker's sweep). A row is
 * due when pending and its cumulative backoff since creation (15 s doubling, capped at
 * an hour) has passed.
 */
export async function deliverPendingWebhooks(
  options: { db?: DbOrTx; now?: Date; limit?: number; fetchImpl?: typeof fetch } = {},
): Promise<DeliveryRunResult> {
  const db = options.db ?? getDb();
  const now = options.now ?? new Date();
  const doFetch = options.fetchImpl ?? fetch;
  const rows = await db
    .select({ delivery: webhookDeliveries, url: webhookEndpoints.url, secret: webhookEndpoints.secret })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        or(
          eq(webhookDeliveries.attempts, 0),
          sql`${webhookDeliveries.createdAt} + make_interval(secs => least(3600, 15 * power(2, greatest(0, ${webhookDeliveries.attempts} - 1)))) < ${now.toISOString()}::timestamptz`,
        ),
      ),
    )
    .orderBy(asc(webhookDeliveries.createdAt))
    .limit(options.limit ?? 100);
  const result: DeliveryRunResult = { delivered: 0, failed: 0, retrying: 0 };
  for (const { delivery, url, secret } of rows) {
    const body = JSON.stringify(delivery.payload);
    let error: string | null = null;
    try {
      const response = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signSchedulePush(secret, body, now) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : "request failed";
    }
    const attempts = delivery.attempts + 1;
    const status = error === null ? "delivered" : attempts >= MAX_DELIVERY_ATTEMPTS ? "failed" : "pending";
    await db
      .update(webhookDeliveries)
      .set({ attempts, status, lastError: error, deliveredAt: error === null ? now : null })
      .where(eq(webhookDeliveries.id, delivery.id));
    if (status === "delivered") result.delivered += 1;
    else if (status === "failed") result.failed += 1;
    else result.retrying += 1;
  }
  return result;
}
