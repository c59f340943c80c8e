// Whether a committed grid event is delivering: one rule for the event page and the home page.
// Response is the participants' battery power in the event direction (discharge counts on a
// turn-down, charge on a turn-up). Batteries take a few minutes to ramp after the start, so an
// event only warns once that grace has passed; after the end there is nothing left to rescue and
// settlement measures what was delivered.

/** Below this share of the target, a running event is under-delivering. */
export const UNDER_DELIVERY_SHARE = 0.8;
/** Time the batteries get after the start before a low response counts. */
export const UNDER_DELIVERY_GRACE_MS = 10 * 60_000;

/** Statuses in which the platform has committed to deliver the event. */
const COMMITTED_STATUSES = new Set(["scheduled", "dispatching", "active"]);

export type EventPhase = "before" | "ramping" | "running" | "ended";

export interface EventResponseInput {
  status: string;
  startAt: Date;
  endAt: Date;
  targetKw: number;
  /** The aggregate response now, kW in the event direction; null when no participant has reported lately. */
  responseKw: number | null;
  now: Date;
}

export interface EventResponseAssessment {
  phase: EventPhase;
  /** The response below which the event is under-delivering, kW. */
  thresholdKw: number;
  underDelivering: boolean;
  /** How far the response is below the target while under-delivering, kW. */
  shortfallKw: number | null;
}

function phaseAt(startAt: Date, endAt: Date, now: Date): EventPhase {
  const t = now.getTime();
  if (t < startAt.getTime()) return "before";
  if (t >= endAt.getTime()) return "ended";
  return t - startAt.getTime() < UNDER_DELIVERY_GRACE_MS ? "ramping" : "running";
}

/**
 * A committed event under way past its grace period is under-delivering when its response is
 * below the threshold; silence (no recent reading from any participant) counts as no response.
 */
export function assessEventResponse(input: EventResponseInput): EventResponseAssessment {
  const phase = phaseAt(input.startAt, input.endAt, input.now);
  const thresholdKw = Math.round(UNDER_DELIVERY_SHARE * input.targetKw * 1000) / 1000;
  const response = input.responseKw ?? 0;
  const underDelivering = phase === "running" && COMMITTED_STATUSES.has(input.status) && response < thresholdKw;
  return {
    phase,
    thresholdKw,
    underDelivering,
    shortfallKw: underDelivering ? Math.round((input.targetKw - response) * 1000) / 1000 : null,
  };
}
