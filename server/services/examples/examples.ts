// The published example payloads, made by the builders that make real deliveries, so an example
// never drifts from what a partner's endpoints will receive.
import { getConfig } from "@/server/config";
import { buildScheduleBody } from "../schedule-delivery/schedule-body";
import { buildDispatchEvent, type DispatchEvent } from "../grid-events/dispatch-event";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { precondition } from "../errors";

const HALF_HOUR_MS = 30 * 60_000;
// Fixed ids, so the example reads the same on every call; they name nothing in any organisation.
const EXAMPLE_ASSET_ID = "6f1c2a4e-9b7d-4c3a-8e5f-1a2b3c4d5e6f";
const EXAMPLE_EVENT_ID = "0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b";
const EXAMPLE_SESSION_ID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";

function nextHalfHour(now: Date): number {
  return Math.ceil(now.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS;
}

/** A turn-down dispatch of 3 kW for one hour starting two hours from now. */
export function exampleDispatchEvent(ctx: ServiceContext, now: Date, appUrl = getConfig().appUrl): DispatchEvent {
  authorize(ctx, "api:identity");
  const start = nextHalfHour(now) + 2 * 3_600_000;
  return buildDispatchEvent({
    assetId: EXAMPLE_ASSET_ID,
    eventId: EXAMPLE_EVENT_ID,
    issuedAt: now,
    region: null,
    direction: "turn_down",
    plannedKw: 3,
    startAt: new Date(start),
    endAt: new Date(start + 3_600_000),
    appUrl,
  });
}

/**
 * The OCPP 1.6 SetChargingProfile body of a planned session on a 7.4 kW charger: full power for
 * an hour, a pause, then 3.7 kW. Checked against the official schema, as every delivery is.
 */
export function exampleOcppChargingProfile(ctx: ServiceContext, now: Date): Record<string, unknown> {
  authorize(ctx, "api:identity");
  const start = nextHalfHour(now);
  const slot = (index: number, kw: number) => ({
    start: new Date(start + index * HALF_HOUR_MS).toISOString(),
    end: new Date(start + (index + 1) * HALF_HOUR_MS).toISOString(),
    kw,
    kwh: kw / 2,
    pencePerKwh: 7,
  });
  const built = buildScheduleBody({
    ocppVersion: "1.6",
    sessionId: EXAMPLE_SESSION_ID,
    planVersion: 1,
    slots: [slot(0, 7.4), slot(1, 7.4), slot(2, 0), slot(3, 3.7), slot(4, 3.7)],
    chargerPowerKw: 7.4,
    transactionId: 1,
    assetProperties: { connector_id: 1 },
  });
  if (!built.ok) throw precondition(`The example profile could not be built: ${built.reason}`);
  return built.body;
}
