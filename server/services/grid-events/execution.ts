// Executing committed grid events. One sweep (a job every minute, or a test with an injected
// `now`) moves every event along its lifecycle, each step safe to repeat:
//
//   scheduled --(start - lead)--> dispatching --(start)--> active --(end, or cancel)--> restoring
//     --(every battery back in its previous mode, or given up and flagged)--> completed --> settled
//
// Dispatch: batteries we control get an operation-mode Action (EXPORT_FOCUS for turn-down,
// IMPORT_FOCUS for turn-up); partner-controlled batteries get a signed dispatch webhook; chargers'
// sessions are re-planned (the charging planner reads committed events itself). Participants
// follow their Actions (confirmed / failed). Restore: every battery that was (or may have been)
// switched gets an Action back to previous_mode; a failed restore is retried until
// RESTORE_RETRY_WINDOW after the end, then flagged restore_failed (audited, logged as an error,
// shown on the event page) rather than left in event mode silently.
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import {
  batteryActions,
  gridEventParticipants,
  gridEvents,
  webhookDeliveries,
  webhookEndpoints,
  type GridEventParticipantRow,
  type GridEventRow,
} from "@/db/schema";
import { getConfig } from "@/server/config";
import { signDispatchEvent, signSchedulePush, DISPATCH_SIGNATURE_HEADER } from "@/server/domain/signatures";
import { log } from "@/server/log";
import type { OperationMode } from "@/server/oem";
import { createOperationModeAction, type ActionDeps } from "../actions/actions";
import { recordAuditEvent } from "../audit/record-audit-event";
import { pollBattery } from "../batteries/batteries";
import type { ServiceContext } from "../context";
import { isServiceError } from "../errors";
import type { MailDeps } from "../mail/mail";
import { deliverDueWebhookRows } from "../webhooks/partner-webhooks";
import { buildDispatchEvent } from "./dispatch-event";
import { toGridEvent, type GridEventDirection } from "./events";
import { notifyCancellation, notifyHouseholders } from "./notify";
import { DISPATCH_WEBHOOK_EVENT_TYPE } from "./plan";
import { forEachConcurrently } from "@/server/domain/concurrency";

/** Batteries are commanded this long before the start, so they are in mode when it begins. */
/** Participants commanded at once; each holds a pooled connection while its Action is created (DATABASE_POOL_MAX is 20). */
const DISPATCH_CONCURRENCY = 16;

export const DISPATCH_LEAD_MS = 5 * 60 * 1000;
/** How long after the end a failed restore is retried before it is flagged restore_failed. */
export const RESTORE_RETRY_WINDOW_MS = 30 * 60 * 1000;
/** Readings (ours and partners') trail the event; settlement waits this long after the end. */
export const SETTLE_DELAY_MS = 60 * 60 * 1000;
/** webhook_deliveries status of a pending dispatch webhook: the generic deliverer ignores it (it signs differently). */
export const DISPATCH_PENDING = "dispatch_pending";

export type SettleFn = (ctx: ServiceContext, eventId: string) => Promise<unknown>;
export type ReplanFn = (
  ctx: ServiceContext,
  trigger: "grid_event",
  filter: { assetIds?: readonly string[] },
) => Promise<number>;

export interface ExecutionDeps {
  now?: Date;
  db?: DbOrTx;
  /** Only these organisations' events (tests: one file's sweep never runs another file's events). */
  organisationIds?: readonly string[];
  /** For Actions and battery reads (gateway, drive scheduling, deadlines). When `now` is injected, Actions use it too. */
  actionDeps?: ActionDeps;
  settle?: SettleFn;
  replanCharging?: ReplanFn;
  fetchImpl?: typeof fetch;
  mail?: MailDeps;
  /** Base of the callback URL sent to partners; defaults to NEXTAUTH_URL / the app URL. */
  appUrl?: string;
  dispatchLeadMs?: number;
  restoreRetryWindowMs?: number;
  /** Settle this long after the end, so that partner readings are in first (default SETTLE_DELAY_MS). */
  settleDelayMs?: number;
}

export interface SweepReport {
  events: number;
  dispatched: number;
  confirmed: number;
  failed: number;
  restoresRequested: number;
  restored: number;
  restoreFailed: number;
  completed: number;
  settled: number;
  webhooksDelivered: number;
}

export function eventModeFor(direction: GridEventDirection): OperationMode {
  return direction === "turn_down" ? "EXPORT_FOCUS" : "IMPORT_FOCUS";
}

const RESTORABLE_MODES = new Set(["SELF_RELIANCE", "TIME_OF_USE", "IMPORT_FOCUS", "EXPORT_FOCUS"]);
function restoreModeOf(p: GridEventParticipantRow): OperationMode {
  return p.previousMode && RESTORABLE_MODES.has(p.previousMode)
    ? (p.previousMode as OperationMode)
    : "SELF_RELIANCE";
}

function errorText(e: unknown): string {
  if (isServiceError(e)) return e.message;
  return e instanceof Error ? e.message : "unexpected error";
}

async function defaultSettle(ctx: ServiceContext, eventId: string): Promise<unknown> {
  // Loaded lazily: settlement imports grid-event tables and may import this module's neighbours.
  const { settleGridEvent } = await import("../rewards/settlement");
  return settleGridEvent(ctx, eventId);
}

async function defaultReplan(
  ctx: ServiceContext,
  trigger: "grid_event",
  filter: { assetIds?: readonly string[] },
): Promise<number> {
  const { replanOpenSessions } = await import("../charging/planning");
  return replanOpenSessions(ctx, trigger, filter);
}

class Sweep {
  readonly report: SweepReport = {
    events: 0,
    dispatched: 0,
    confirmed: 0,
    failed: 0,
    restoresRequested: 0,
    restored: 0,
    restoreFailed: 0,
    completed: 0,
    settled: 0,
    webhooksDelivered: 0,
  };
  constructor(
    readonly db: DbOrTx,
    readonly now: Date,
    readonly deps: ExecutionDeps,
  ) {}

  ctxFor(orgId: string): ServiceContext {
    return { db: this.db, orgId, actor: { type: "system", label: "grid event executor" } };
  }

  /**
   * Actions take the injected clock when a test sets one; otherwise each Action reads the real clock
   * when it is created, so one made late in a long sweep (10,000 batteries take minutes) gets its
   * full deadline and an immediate first check, not the times of the sweep's start.
   */
  get actionDeps(): ActionDeps {
    return this.deps.now === undefined ? { ...this.deps.actionDeps } : { ...this.deps.actionDeps, now: this.now };
  }

  async setParticipant(
    id: string,
    fromStatus: string | null,
    set: Partial<GridEventParticipantRow>,
  ): Promise<boolean> {
    const rows = await this.db
      .update(gridEventParticipants)
      .set({ ...set, updatedAt: this.now })
      .where(
        and(
          eq(gridEventParticipants.id, id),
          fromStatus === null ? undefined : eq(gridEventParticipants.status, fromStatus),
        ),
      )
      .returning({ id: gridEventParticipants.id });
    return rows.length > 0;
  }

  async setEventStatus(
    event: GridEventRow,
    from: string,
    set: Partial<GridEventRow>,
  ): Promise<GridEventRow | null> {
    const [row] = await this.db
      .update(gridEvents)
      .set({ ...set, updatedAt: this.now })
      .where(and(eq(gridEvents.id, event.id), eq(gridEvents.status, from)))
      .returning();
    return row ?? null;
  }

  async participants(event: GridEventRow): Promise<GridEventParticipantRow[]> {
    return this.db
      .select()
      .from(gridEventParticipants)
      .where(
        and(
          eq(gridEventParticipants.organisationId, event.organisationId),
          eq(gridEventParticipants.eventId, event.id),
        ),
      );
  }

  async actionStates(ids: readonly string[]): Promise<Map<string, { state: string; detail: string | null }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select({
        id: batteryActions.id,
        state: batteryActions.state,
        failureReason: batteryActions.failureReason,
      })
      .from(batteryActions)
      .where(inArray(batteryActions.id, [...ids]));
    return new Map(
      rows.map((r) => [
        r.id,
        {
          state: r.state,
          detail: r.failureReason ? `${r.failureReason.type}: ${r.failureReason.detail}` : null,
        },
      ]),
    );
  }

  async process(initial: GridEventRow): Promise<void> {
    this.report.events += 1;
    const ctx = this.ctxFor(initial.organisationId);
    const lead = this.deps.dispatchLeadMs ?? DISPATCH_LEAD_MS;
    let event = initial;
    const t = this.now.getTime();
    if (event.status === "scheduled") {
      if (t < event.startAt.getTime() - lead) return;
      const claimed = await this.setEventStatus(event, "scheduled", { status: "dispatching" });
      if (!claimed) return;
      event = claimed;
      await recordAuditEvent(ctx, {
        action: "grid_event.dispatching",
        targetType: "grid_event",
        targetId: event.id,
      });
      await notifyHouseholders(ctx, toGridEvent(event), this.deps.mail).catch((e: unknown) =>
        log.warn({ eventId: event.id, err: errorText(e) }, "grid event notices failed"),
      );
    }
    if (event.status === "dispatching" || event.status === "active") {
      if (t < event.endAt.getTime()) await this.dispatchPlanned(ctx, event);
      await this.trackDispatch(event);
      if (event.status === "dispatching" && t >= event.startAt.getTime())
        event = (await this.setEventStatus(event, "dispatching", { status: "active" })) ?? event;
      if (t >= event.endAt.getTime()) {
        const restoring = await this.setEventStatus(event, event.status, { status: "restoring" });
        if (!restoring) return;
        event = restoring;
      }
    }
    if (event.status === "restoring") {
      const done = await this.restore(ctx, event);
      if (!done) return;
      const cancelled = event.cancelledAt !== null;
      const finished = await this.setEventStatus(
        event,
        "restoring",
        cancelled ? { status: "cancelled" } : { status: "completed", completedAt: this.now },
      );
      if (!finished) return;
      event = finished;
      const summary = await this.participants(event);
      const counts: Record<string, number> = {};
      for (const p of summary) counts[p.status] = (counts[p.status] ?? 0) + 1;
      await recordAuditEvent(ctx, {
        action: cancelled ? "grid_event.cancel_restored" : "grid_event.completed",
        targetType: "grid_event",
        targetId: event.id,
        details: { participants: counts },
      });
      if (cancelled) await notifyCancellation(ctx, toGridEvent(event), this.deps.mail).catch(() => 0);
      else this.report.completed += 1;
    }
    const settleDue = t >= event.endAt.getTime() + (this.deps.settleDelayMs ?? SETTLE_DELAY_MS);
    if (event.status === "completed" && event.settledAt === null && settleDue) await this.settle(ctx, event);
  }

  /** Sends the command for every participant still `planned`; each is claimed first, so a repeat sends nothing twice. */
  async dispatchPlanned(ctx: ServiceContext, event: GridEventRow): Promise<void> {
    const planned = (await this.participants(event)).filter((p) => p.status === "planned");
    const mode = eventModeFor(event.direction === "turn_up" ? "turn_up" : "turn_down");
    const chargers: GridEventParticipantRow[] = [];
    // Commands go out a few at a time: one by one, a 10,000-battery event took minutes to
    // dispatch (bench/grid-event-dispatch.ts). Each participant is claimed before it is sent.
    await forEachConcurrently(planned, DISPATCH_CONCURRENCY, async (p) => {
      if (p.control === "charging_replan") {
        if (await this.setParticipant(p.id, "planned", { status: "dispatched" })) chargers.push(p);
        return;
      }
      if (!(await this.setParticipant(p.id, "planned", { status: "dispatched" }))) return;
      if (p.control === "oem_action") {
        try {
          const action = await createOperationModeAction(
            ctx,
            { assetId: p.assetId, operationMode: mode, proposition: p.proposition },
            this.actionDeps,
          );
          await this.setParticipant(p.id, null, { dispatchActionId: action.id });
          this.report.dispatched += 1;
        } catch (e) {
          await this.setParticipant(p.id, null, {
            status: "failed",
            failureReason: `Could not command the battery: ${errorText(e)}`,
          });
          this.report.failed += 1;
        }
      } else if (p.control === "partner_webhook") {
        const queued = await this.queueDispatchWebhook(event, p);
        if (queued === 0) {
          await this.setParticipant(p.id, null, {
            status: "failed",
            failureReason: "No active webhook endpoint takes grid_event.dispatch.",
          });
          this.report.failed += 1;
        } else this.report.dispatched += 1;
      }
    });
    if (chargers.length > 0) {
      try {
        await (this.deps.replanCharging ?? defaultReplan)(ctx, "grid_event", {
          assetIds: chargers.map((c) => c.assetId),
        });
        this.report.dispatched += chargers.length;
      } catch (e) {
        for (const c of chargers)
          await this.setParticipant(c.id, null, {
            status: "failed",
            failureReason: `Charging re-plan failed: ${errorText(e)}`,
          });
        this.report.failed += chargers.length;
        log.warn({ eventId: event.id, err: errorText(e) }, "charging re-plan for grid event failed");
      }
    }
  }

  async queueDispatchWebhook(event: GridEventRow, p: GridEventParticipantRow): Promise<number> {
    const endpoints = (
      await this.db
        .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
        .from(webhookEndpoints)
        .where(
          and(eq(webhookEndpoints.organisationId, event.organisationId), isNull(webhookEndpoints.disabledAt)),
        )
    ).filter((e) => e.eventTypes.length === 0 || e.eventTypes.includes(DISPATCH_WEBHOOK_EVENT_TYPE));
    if (endpoints.length === 0) return 0;
    const payload = buildDispatchEvent({
      assetId: p.assetId,
      eventId: event.id,
      issuedAt: this.now,
      region: event.region,
      direction: event.direction,
      plannedKw: p.plannedKw,
      startAt: event.startAt,
      endAt: event.endAt,
      appUrl: this.deps.appUrl ?? getConfig().appUrl,
    });
    await this.db
      .insert(webhookDeliveries)
      .values(
        endpoints.map((e) => ({
          organisationId: event.organisationId,
          endpointId: e.id,
          eventType: DISPATCH_WEBHOOK_EVENT_TYPE,
          payload,
          status: DISPATCH_PENDING,
          createdAt: this.now,
        })),
      );
    return endpoints.length;
  }

  /** Moves dispatched battery participants to confirmed / failed as their Actions finish. */
  async trackDispatch(event: GridEventRow): Promise<void> {
    const dispatched = (await this.participants(event)).filter(
      (p) => p.control === "oem_action" && p.status === "dispatched",
    );
    const states = await this.actionStates(
      dispatched.flatMap((p) => (p.dispatchActionId ? [p.dispatchActionId] : [])),
    );
    for (const p of dispatched) {
      if (!p.dispatchActionId) {
        // Claimed by a sweep that died before the Action was created: send it again.
        if (this.now.getTime() - p.updatedAt.getTime() > 60_000)
          await this.setParticipant(p.id, "dispatched", { status: "planned" });
        continue;
      }
      const action = states.get(p.dispatchActionId);
      if (action?.state === "CONFIRMED") {
        if (await this.setParticipant(p.id, "dispatched", { status: "confirmed" }))
          this.report.confirmed += 1;
      } else if (action && (action.state === "FAILED" || action.state === "CANCELLED")) {
        if (
          await this.setParticipant(p.id, "dispatched", {
            status: "failed",
            failureReason: `The battery did not switch to event mode (${action.detail ?? action.state}).`,
          })
        )
          this.report.failed += 1;
      }
    }
  }

  async requestRestore(ctx: ServiceContext, p: GridEventParticipantRow): Promise<boolean> {
    try {
      const action = await createOperationModeAction(
        ctx,
        { assetId: p.assetId, operationMode: restoreModeOf(p), proposition: p.proposition },
        this.actionDeps,
      );
      await this.setParticipant(p.id, null, { restoreActionId: action.id });
      this.report.restoresRequested += 1;
      return true;
    } catch (e) {
      await this.flagRestoreFailed(
        ctx,
        p,
        `Could not request the restore to ${restoreModeOf(p)}: ${errorText(e)}`,
      );
      return false;
    }
  }

  async flagRestoreFailed(ctx: ServiceContext, p: GridEventParticipantRow, reason: string): Promise<void> {
    if (!(await this.setParticipant(p.id, p.status, { status: "restore_failed", failureReason: reason })))
      return;
    this.report.restoreFailed += 1;
    log.error({ eventId: p.eventId, assetId: p.assetId, reason }, "battery not restored after grid event");
    await recordAuditEvent(ctx, {
      action: "grid_event.restore_failed",
      targetType: "asset",
      targetId: p.assetId,
      details: { eventId: p.eventId, reason, previousMode: p.previousMode },
    });
  }

  /** One restore pass; true once every battery is back (or flagged). */
  async restore(ctx: ServiceContext, event: GridEventRow): Promise<boolean> {
    const eventMode = eventModeFor(event.direction === "turn_up" ? "turn_up" : "turn_down");
    const all = await this.participants(event);
    const states = await this.actionStates(
      all.flatMap((p) => [p.dispatchActionId, p.restoreActionId].filter((id): id is string => id !== null)),
    );
    const giveUpAt = event.endAt.getTime() + (this.deps.restoreRetryWindowMs ?? RESTORE_RETRY_WINDOW_MS);
    let done = true;
    for (const initial of all) {
      let p = initial;
      if (p.control !== "oem_action") {
        // Never sent (cancelled before dispatch, or dispatch ran out of time): nothing to undo.
        if (p.status === "planned")
          await this.setParticipant(p.id, "planned", {
            status: "failed",
            failureReason: event.cancelledAt
              ? "The event was cancelled before dispatch."
              : "Not dispatched before the window ended.",
          });
        continue;
      }
      if (p.status === "planned" || (p.status === "dispatched" && !p.dispatchActionId)) {
        await this.setParticipant(p.id, p.status, {
          status: "failed",
          failureReason: event.cancelledAt
            ? "The event was cancelled before dispatch."
            : "Not dispatched before the window ended.",
        });
        continue;
      }
      if (p.status === "dispatched" && p.dispatchActionId) {
        const state = states.get(p.dispatchActionId)?.state;
        const next =
          state === "CONFIRMED"
            ? { status: "confirmed" }
            : {
                status: "failed",
                failureReason:
                  state === "PENDING"
                    ? "The battery did not confirm event mode before the window ended."
                    : "The battery did not switch to event mode.",
              };
        if (await this.setParticipant(p.id, "dispatched", next)) p = { ...p, ...next };
        if (next.status === "failed") this.report.failed += 1;
      }
      if (p.status === "restored" || p.status === "restore_failed") continue;
      if (p.restoreActionId === null) {
        const needsRestore =
          p.status === "confirmed" ||
          (p.status === "failed" &&
            p.dispatchActionId !== null &&
            (await this.mayBeInMode(ctx, p.assetId, eventMode)));
        if (!needsRestore) continue;
        done = false;
        await this.requestRestore(ctx, p);
        continue;
      }
      const restore = states.get(p.restoreActionId);
      if (restore?.state === "CONFIRMED") {
        if (
          p.status === "confirmed" &&
          (await this.setParticipant(p.id, "confirmed", { status: "restored" }))
        )
          this.report.restored += 1;
        continue;
      }
      if (restore?.state === "PENDING" || restore === undefined) {
        done = false;
        continue;
      }
      // The restore Action failed or was cancelled: try again, or give up loudly.
      if (this.now.getTime() < giveUpAt) {
        done = false;
        log.warn(
          { eventId: event.id, assetId: p.assetId, detail: restore.detail },
          "restore after grid event failed; retrying",
        );
        await this.requestRestore(ctx, p);
      } else {
        await this.flagRestoreFailed(
          ctx,
          p,
          `The battery was not restored to ${restoreModeOf(p)} (${restore.detail ?? restore.state}); check it, it may still be in ${eventMode}.`,
        );
      }
    }
    return done;
  }

  /** Whether a battery whose event command failed may have switched late; unknown counts as yes. */
  async mayBeInMode(ctx: ServiceContext, assetId: string, mode: OperationMode): Promise<boolean> {
    try {
      const poll = await pollBattery(ctx, assetId, this.actionDeps);
      return !poll.ok || poll.reading.operationMode === mode;
    } catch {
      return true;
    }
  }

  async settle(ctx: ServiceContext, event: GridEventRow): Promise<void> {
    try {
      await (this.deps.settle ?? defaultSettle)(ctx, event.id);
    } catch (e) {
      // Left completed and unsettled: the next sweep tries again.
      log.warn({ eventId: event.id, err: errorText(e) }, "grid event settlement failed; will retry");
      return;
    }
    // settleGridEvent marks the event settled itself; this covers a settle function that does not.
    await this.db
      .update(gridEvents)
      .set({ status: "settled", settledAt: this.now, updatedAt: this.now })
      .where(
        and(eq(gridEvents.id, event.id), eq(gridEvents.status, "completed"), isNull(gridEvents.settledAt)),
      );
    this.report.settled += 1;
  }

  /** Delivers due dispatch webhooks (all organisations), signed with X-Axle-Signature over the event id. */
  async deliverDispatchWebhooks(limit = 200): Promise<void> {
    const outcomes = await deliverDueWebhookRows({
      status: DISPATCH_PENDING,
      db: this.db,
      now: this.now,
      limit,
      ...(this.deps.fetchImpl ? { fetchImpl: this.deps.fetchImpl } : {}),
      request: (delivery, secret, now) => {
        const body = JSON.stringify(delivery.payload);
        const headers = {
          "content-type": "application/json",
          [DISPATCH_SIGNATURE_HEADER]: signDispatchEvent(secret, String(delivery.payload.event_id ?? "")),
          ...signSchedulePush(secret, body, now),
        };
        return { body, headers };
      },
    });
    for (const { delivery, status, attempts, error } of outcomes) {
      if (status === "delivered") this.report.webhooksDelivered += 1;
      if (status !== "failed") continue;
      await this.db
        .update(gridEventParticipants)
        .set({
          status: "failed",
          failureReason: `The dispatch webhook could not be delivered (${error ?? "error"}, ${attempts} attempts).`,
          updatedAt: this.now,
        })
        .where(
          and(
            eq(gridEventParticipants.eventId, String(delivery.payload.event_id ?? "")),
            eq(gridEventParticipants.assetId, String(delivery.payload.asset_id ?? "")),
            eq(gridEventParticipants.status, "dispatched"),
          ),
        );
    }
  }
}

/** Runs one pass over every live grid event of every organisation. Safe to run again at any time. */
export async function runGridEventSweep(deps: ExecutionDeps = {}): Promise<SweepReport> {
  const sweep = new Sweep(deps.db ?? getDb(), deps.now ?? new Date(), deps);
  const live = await sweep.db
    .select()
    .from(gridEvents)
    .where(
      and(
        or(inArray(gridEvents.status, ["scheduled", "dispatching", "active", "restoring"]), and(eq(gridEvents.status, "completed"), isNull(gridEvents.settledAt))),
        deps.organisationIds ? inArray(gridEvents.organisationId, [...deps.organisationIds]) : undefined,
      ),
    )
    .orderBy(gridEvents.startAt);
  for (const event of live) {
    try {
      await sweep.process(event);
    } catch (e) {
      // One broken event must not hold up the others.
      log.error({ eventId: event.id, err: errorText(e) }, "grid event sweep step failed");
    }
  }
  await sweep.deliverDispatchWebhooks();
  return sweep.report;
}
