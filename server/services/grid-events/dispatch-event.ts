// The dispatch event a partner's webhook receives for one asset in a grid event. One builder
// for real deliveries (execution.ts) and the published example (GET /examples/dispatch-event).

export interface DispatchEventInput {
  assetId: string;
  eventId: string;
  issuedAt: Date;
  region: string | null;
  /** `turn_down` or `turn_up` (as stored). */
  direction: string;
  plannedKw: number;
  startAt: Date;
  endAt: Date;
  /** The platform's public base URL, without a trailing slash. */
  appUrl: string;
}

export type DispatchEvent = {
  asset_id: string;
  event_id: string;
  issued_timestamp: string;
  event_timestamp: string;
  market_id: string;
  level_kw: number;
  from_time: string;
  to_time: string;
  update_status_callback: string;
};

export function buildDispatchEvent(input: DispatchEventInput): DispatchEvent {
  const issued = input.issuedAt.toISOString();
  return {
    asset_id: input.assetId,
    event_id: input.eventId,
    issued_timestamp: issued,
    event_timestamp: issued,
    market_id: `flexfleet:${input.region ?? "fleet"}`,
    // The power the asset should output: positive (export) on turn-down, negative (import) on turn-up.
    level_kw: input.direction === "turn_up" ? -input.plannedKw : input.plannedKw,
    from_time: input.startAt.toISOString(),
    to_time: input.endAt.toISOString(),
    update_status_callback: `${input.appUrl.replace(/\/$/, "")}/api/v1/entities/asset/${input.assetId}/callback/${input.eventId}`,
  };
}
