// The demo's grid events: one that ran yesterday evening (planned by the dispatch planner,
// replayed in the batteries' history, verified against their baselines and settled into the
// reward ledger) and one committed for later today, which the worker dispatches live.
import { addLocalDays, ceilToHalfHour, localDateOf } from "@/server/optimiser/time";
import { localMidnightUtc } from "@/server/optimiser/time/local-wall-time";
import type { ServiceContext } from "@/server/services/context";
import { findGridEventsByName, recordGridEventRun } from "@/server/services/demo/demo-history";
import { commitDispatchPlan, createGridEvent } from "@/server/services/grid-events";
import { settleGridEvent } from "@/server/services/rewards/settlement";

export const PAST_EVENT_NAME = "Evening peak turn-down";
export const UPCOMING_EVENT_NAME = "Teatime turn-down";
const HOUR_MS = 3_600_000;
const BATTERY_PROPOSITIONS = ["vpp_limited_control", "full_asset_control"] as const;

/** Yesterday 17:00-18:00 in London: the evening peak a week of history surrounds. */
export function pastEventWindow(now: Date): { fromMs: number; toMs: number } {
  const yesterday = addLocalDays(localDateOf(now, "Europe/London"), -1);
  const fromMs = localMidnightUtc(yesterday).getTime() + 17 * HOUR_MS;
  return { fromMs, toMs: fromMs + HOUR_MS };
}

/** Whether yesterday's event still has to be created (so the history replay must include it). */
export async function pastEventMissing(ctx: ServiceContext): Promise<boolean> {
  return (await findGridEventsByName(ctx, PAST_EVENT_NAME)).length === 0;
}

/** Creates, plans, records as run and settles yesterday's event; answers what was credited, or null when it already exists. */
export async function seedPastGridEvent(ctx: ServiceContext, now: Date, fleetKw: number): Promise<{ participants: number; creditedPence: number; deliveredKwh: number } | null> {
  if (!(await pastEventMissing(ctx))) return null;
  const window = pastEventWindow(now);
  const plannedAt = new Date(window.fromMs - 3 * HOUR_MS);
  const event = await createGridEvent(
    ctx,
    {
      name: PAST_EVENT_NAME,
      direction: "turn_down",
      startAt: new Date(window.fromMs),
      endAt: new Date(window.toMs),
      targetKw: Math.max(1, Math.round(fleetKw * 0.6)),
      region: null,
      priceGbpPerMwh: 350,
      propositions: [...BATTERY_PROPOSITIONS],
    },
    plannedAt,
  );
  const plan = await commitDispatchPlan(ctx, event.id, { now: plannedAt });
  await recordGridEventRun(ctx, event.id);
  const settled = await settleGridEvent(ctx, event.id);
  return { participants: plan.participants.length, creditedPence: settled.creditedPence, deliveredKwh: settled.deliveredKwh };
}

/** Commits a turn-down two hours from now unless one of that name is still to come; answers its start, or null. */
export async function seedUpcomingGridEvent(ctx: ServiceContext, now: Date, fleetKw: number): Promise<Date | null> {
  const existing = await findGridEventsByName(ctx, UPCOMING_EVENT_NAME);
  if (existing.some((e) => e.endAt.getTime() > now.getTime() && e.status !== "cancelled")) return null;
  const startAt = new Date(ceilToHalfHour(now.getTime() + 2 * HOUR_MS));
  const event = await createGridEvent(
    ctx,
    {
      name: UPCOMING_EVENT_NAME,
      direction: "turn_down",
      startAt,
      endAt: new Date(startAt.getTime() + HOUR_MS),
      targetKw: Math.max(1, Math.round(fleetKw * 0.5)),
      region: null,
      priceGbpPerMwh: 280,
      propositions: [...BATTERY_PROPOSITIONS, "full_asset_schedule_control"],
    },
    now,
  );
  await commitDispatchPlan(ctx, event.id, { now });
  return startAt;
}
