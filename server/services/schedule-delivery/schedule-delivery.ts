// Pushes charging plans to the organisation's schedule endpoint as signed OCPP
// SetChargingProfile bodies, or, for a direct charge point, queues the profile for its own OCPP
// connection (server/services/ocpp/commands.ts). This file is the outbox side: the charging services call it inside
// the transaction that stores a plan or closes a session; send-schedule-delivery.ts sends.
import { and, eq, inArray, sql } from "drizzle-orm";
import { assets, chargingPlans, chargingSessions, scheduleDeliveries, scheduleEndpoints } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { queueDirectChargerProfile, stopDirectChargerProfiles } from "../ocpp/commands";
import { buildScheduleBody, isOcppVersion } from "./schedule-body";

/** NOTIFY channel: the payload is a delivery id. Postgres sends it only when the transaction commits. */
export const SCHEDULE_DELIVERY_CHANNEL = "schedule_delivery_due";

/**
 * Queues the plan for delivery: supersedes the session's undelivered older deliveries
 * (latest wins) and stores a pending delivery. Returns null when the organisation has no
 * enabled schedule endpoint. Call inside the transaction that stored the plan.
 *
 * The body is built and checked against the official OCPP schema here; a body that fails is a
 * bug, stored as `failed` with the reason and never sent. The dispatcher is woken by a NOTIFY that
 * Postgres only delivers at commit, so a rolled-back plan is never pushed.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: queued by an authorized charging plan
export async function queueScheduleDelivery(ctx: ServiceContext, planId: string): Promise<{ deliveryId: string } | null> {
  const [found] = await ctx.db
    .select({ plan: chargingPlans, session: chargingSessions, assetProperties: assets.properties })
    .from(chargingPlans)
    .innerJoin(chargingSessions, eq(chargingSessions.id, chargingPlans.sessionId))
    .innerJoin(assets, eq(assets.id, chargingPlans.assetId))
    .where(and(eq(chargingPlans.id, planId), eq(chargingPlans.organisationId, ctx.orgId)));
  if (!found) throw notFound("Charging plan");
  const { plan, session } = found;

  // A savepoint when the caller already holds a transaction: our writes land or vanish together.
  return ctx.db.transaction(async (tx) => {
    // Older undelivered versions lose, whether or not this one can be sent. A row a sender holds
    // right now is skipped (not waited for): the sender re-checks for newer plans before any retry.
    await tx.execute(sql`
      update ${scheduleDeliveries} set status = 'superseded', updated_at = now()
      where id in (
        select d.id from ${scheduleDeliveries} d
        join ${chargingPlans} p on p.id = d.plan_id
        where d.organisation_id = ${ctx.orgId} and d.session_id = ${session.id}
          and d.status = 'pending' and p.version < ${plan.version}
        for update of d skip locked
      )`);

    // A direct charge point (OCPP-J to us) gets the profile over its own connection, not via a partner.
    const direct = await queueDirectChargerProfile({ ...ctx, db: tx }, { id: plan.id, sessionId: session.id, assetId: plan.assetId, version: plan.version });
    if (direct !== null) return null;

    const [endpoint] = await tx
      .select({ ocppVersion: scheduleEndpoints.ocppVersion, enabled: scheduleEndpoints.enabled })
      .from(scheduleEndpoints)
      .where(eq(scheduleEndpoints.organisationId, ctx.orgId));
    if (!endpoint?.enabled || !isOcppVersion(endpoint.ocppVersion)) return null;

    const base = {
      organisationId: ctx.orgId,
      planId: plan.id,
      sessionId: session.id,
      assetId: plan.assetId,
      ocppVersion: endpoint.ocppVersion,
    };
    if (session.pluggedOutAt !== null) {
      const [row] = await tx
        .insert(scheduleDeliveries)
        .values({ ...base, status: "cancelled", body: {}, lastError: "the session was already plugged out" })
        .returning({ id: scheduleDeliveries.id });
      return row ? { deliveryId: row.id } : null;
    }

    const built = buildScheduleBody({
      ocppVersion: endpoint.ocppVersion,
      sessionId: session.id,
      planVersion: plan.version,
      slots: plan.slots,
      chargerPowerKw: session.chargerPowerKw,
      transactionId: session.transactionId,
      assetProperties: found.assetProperties,
    });
    const [row] = await tx
      .insert(scheduleDeliveries)
      .values(built.ok ? { ...base, status: "pending", body: built.body } : { ...base, status: "failed", body: {}, lastError: built.reason })
      .returning({ id: scheduleDeliveries.id });
    if (!row) throw new Error("schedule delivery insert returned nothing");
    if (built.ok) await tx.execute(sql`select pg_notify(${SCHEDULE_DELIVERY_CHANNEL}, ${row.id})`);
    return { deliveryId: row.id };
  });
}

/** After plug-out: nothing more is pushed for the session; pending deliveries are cancelled. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: stopped by an authorized plug-out
export async function stopSessionDeliveries(ctx: ServiceContext, sessionId: string): Promise<number> {
  // A delivery being sent at this very moment is locked and skipped rather than waited for; its
  // sender sees the plug-out before any retry and cancels it then.
  const cancelled = await ctx.db
    .update(scheduleDeliveries)
    .set({ status: "cancelled", lastError: "the session was plugged out", updatedAt: new Date() })
    .where(
      inArray(
        scheduleDeliveries.id,
        sql`(select id from ${scheduleDeliveries} where organisation_id = ${ctx.orgId} and session_id = ${sessionId} and status = 'pending' for update skip locked)`,
      ),
    )
    .returning({ id: scheduleDeliveries.id });
  // A direct charge point is told to drop the session's profile.
  await stopDirectChargerProfiles(ctx, sessionId);
  return cancelled.length;
}
