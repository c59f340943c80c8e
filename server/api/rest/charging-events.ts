// Partner charging events (plug-in/out, intent, tariff, charge-now, generic) and GET intent.
// The published routes are the entities dialect's own, with two additions in the bodies:
// an optional `occurred_at` (events apply in that order, not by arrival) and optional
// tariff rates for dynamic tariffs. Tariff strings are checked by the service so that a
// bad off_peak_times or timezone is the dialect's 400 naming the problem.
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "@/server/api/openapi/define-route";
import { assetEventRoutes } from "@/server/api/openapi/routes-enrolment-events";
import {
  ASSET_EVENT_TYPES,
  intentSchema,
  vehicleEventSchema,
  type Intent,
} from "@/server/api/schemas/entities-asset-events";
import { assetIdParamsSchema, isoDateTimeSchema } from "@/server/api/schemas/entities-common";
import { TARIFF_TYPES } from "@/server/api/schemas/entities-site";
import {
  recordAssetEvent,
  recordChargeNow,
  recordChargeNowDeleted,
  recordIntent,
  recordPlugIn,
  recordPlugOut,
  recordTariffUpdate,
} from "@/server/services/charging/events";
import type { IntentFields } from "@/server/services/charging/intent-versions";
import { describeLatestIntent } from "@/server/services/charging/intents";
import type { TariffInput } from "@/server/services/charging/tariffs";
import { restHandler, type RestReply } from "./rest-handler";

const occurredAt = isoDateTimeSchema
  .optional()
  .describe("Extension: when the event happened at the charger. Events apply in this order, not by arrival; defaults to the time of receipt.");

const unitRateSchema = z
  .object({
    from_local_time: z.string().optional().describe("Time-of-day rate: applies daily from this wall time (HH:MM) until the next entry's"),
    start_timestamp: z.string().optional().describe("Dynamic rate: applies from this instant"),
    end_timestamp: z.string().optional().describe("Dynamic rate: until this instant; 30 minutes when absent"),
    pence_per_kwh: z.number().describe("Unit rate in pence per kWh; may be negative"),
  })
  .meta({ id: "TariffUnitRate", description: "One unit rate: either time-of-day (from_local_time) or dated (start_timestamp); all entries of a tariff take one form." });

const tariffSchema = z
  .object({
    off_peak_times: z.string().describe("Off-peak ranges in local time, opening_hours style without weekdays: 00:00-07:00 or 00:00-05:30, 23:30-24:00"),
    timezone: z.string().describe("IANA time zone of the ranges, e.g. Europe/London"),
    tariff_type: z.enum(TARIFF_TYPES).optional(),
    peak_pence_per_kwh: z.number().optional().describe("Extension: the peak unit rate in pence per kWh"),
    off_peak_pence_per_kwh: z.number().optional().describe("Extension: the off-peak unit rate in pence per kWh"),
    unit_rates: z.array(unitRateSchema).optional().describe("Extension: unit rates for time-of-day or dynamic (e.g. half-hourly) tariffs"),
  })
  .meta({ id: "Tariff", description: "The household's tariff. An invalid off_peak_times or timezone is refused with 400 naming the problem." });

const plugInBody = z
  .object({ intent: intentSchema.optional(), vehicle: vehicleEventSchema.optional(), tariff: tariffSchema.optional(), occurred_at: occurredAt })
  .meta({ id: "PlugInEventRequest", description: "A vehicle was plugged in; intent, vehicle and tariff are optional. A repeated plug-in opens no second session." });
const plugOutBody = z.object({ occurred_at: occurredAt }).meta({ id: "PlugOutEventRequest", description: "A vehicle was unplugged; nothing more is planned or pushed for the session." });
const intentBody = z.object({ intent: intentSchema, occurred_at: occurredAt }).meta({ id: "IntentEventRequest", description: "The driver changed their intent." });
const chargeNowBody = z
  .object({ end_at: isoDateTimeSchema, occurred_at: occurredAt })
  .meta({ id: "ChargeNowEventRequest", description: "The driver asked to charge immediately until end_at." });
const chargeNowDeletedBody = z.object({ occurred_at: occurredAt }).meta({ id: "ChargeNowDeletedEventRequest", description: "The driver cancelled charge-now." });
const tariffUpdateBody = z.object({ tariff: tariffSchema, occurred_at: occurredAt }).meta({ id: "TariffUpdateEventRequest", description: "The household's tariff changed." });
const assetEventBody = z
  .object({
    event_type: z.enum(ASSET_EVENT_TYPES),
    intent: intentSchema.optional(),
    vehicle: vehicleEventSchema.optional(),
    tariff: tariffSchema.optional(),
    end_at: isoDateTimeSchema.optional().describe("For charge_now: when to stop"),
    occurred_at: occurredAt,
  })
  .meta({ id: "AssetEventRequest", description: "Any asset event in one body, selected by event_type." });

// The dialect's definitions (path, summary, permission, responses) with the bodies above.
function withBody<B extends z.ZodType>(operationId: string, body: B) {
  const found = assetEventRoutes.find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`No route ${operationId}`);
  return defineRoute({
    method: "post",
    path: found.path,
    operationId: found.operationId,
    summary: found.summary,
    tags: found.tags,
    permission: found.permission,
    request: { params: assetIdParamsSchema, body },
    responses: found.responses,
  });
}

const routes = {
  postAssetEvent: withBody("asset_event_entities_asset__asset_id__event_post", assetEventBody),
  postPlugInEvent: withBody("asset_plug_in_event_entities_asset__asset_id__event_plug_in_post", plugInBody),
  postPlugOutEvent: withBody("asset_plug_out_event_entities_asset__asset_id__event_plug_out_post", plugOutBody),
  postIntentEvent: withBody("asset_intent_update_event_entities_asset__asset_id__event_intent_post", intentBody),
  postChargeNowEvent: withBody("asset_charge_now_event_entities_asset__asset_id__event_charge_now_post", chargeNowBody),
  postChargeNowDeletedEvent: withBody("asset_charge_now_deleted_event_entities_asset__asset_id__event_charge_now_deleted_post", chargeNowDeletedBody),
  postTariffUpdateEvent: withBody("asset_tariff_update_event_entities_asset__asset_id__event_tariff_update_post", tariffUpdateBody),
};
const getLatestIntentRoute = (() => {
  const found = assetEventRoutes.find((candidate) => candidate.operationId === "get_latest_intent_entities_asset__asset_id__intent_get");
  if (!found) throw new Error("No route get_latest_intent_entities_asset__asset_id__intent_get");
  return found as Extract<(typeof assetEventRoutes)[number], { operationId: "get_latest_intent_entities_asset__asset_id__intent_get" }>;
})();

/** Routes with handlers here; only these are published. */
export const implementedChargingEventRoutes: readonly RouteDefinition[] = [...Object.values(routes), getLatestIntentRoute];

const ACCEPTED: RestReply = { status: 200, body: { status: "accepted" } };
// The dialect answers a refused event (a bad tariff, a missing field for the event type) with 400.
const errorStatus = { VALIDATION: 400 } as const;
const source = "partner_api" as const;
const when = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

function intentFromWire(intent: Intent): IntentFields {
  return {
    energyRequiredKwh: intent.energy_required_kwh,
    readyByLocalTime: intent.ready_by_local_time,
    readyBy: new Date(intent.ready_by),
    mayChargePeak: intent.may_charge_peak,
    chargingMode: intent.charging_mode,
    energyEstimated: intent.energy_estimated,
  };
}

const tariffFromWire = (tariff: z.output<typeof tariffSchema> | undefined): TariffInput | undefined => tariff;

async function accepted(action: Promise<unknown>): Promise<RestReply> {
  await action;
  return ACCEPTED;
}

function intentToWire(ctxIntent: Awaited<ReturnType<typeof describeLatestIntent>>) {
  const { intent, readyBy } = ctxIntent;
  return {
    intent: {
      energy_required_kwh: intent.energyRequiredKwh,
      ready_by: readyBy.toISOString(),
      ready_by_local_time: intent.readyByLocalTime,
      energy_estimated: intent.energyEstimated,
      may_charge_peak: intent.mayChargePeak,
      charging_mode: intent.chargingMode === "minimise_charging_time" ? ("minimise_charging_time" as const) : ("maximise_charging_time" as const),
    },
    received_at: intent.createdAt.toISOString(),
  };
}

export const chargingEventHandlers = {
  postAssetEvent: restHandler({
    route: routes.postAssetEvent,
    errorStatus,
    handler: ({ ctx, params, body }) =>
      accepted(
        recordAssetEvent(ctx, {
          assetId: params.asset_id,
          occurredAt: when(body.occurred_at),
          source,
          eventType: body.event_type,
          chargingRateKw: body.vehicle?.charging_rate_kw,
          intent: body.intent === undefined ? undefined : intentFromWire(body.intent),
          tariff: tariffFromWire(body.tariff),
          endAt: when(body.end_at),
        }),
      ),
  }),
  postPlugInEvent: restHandler({
    route: routes.postPlugInEvent,
    errorStatus,
    handler: ({ ctx, params, body }) =>
      accepted(
        recordPlugIn(ctx, {
          assetId: params.asset_id,
          occurredAt: when(body.occurred_at),
          source,
          chargingRateKw: body.vehicle?.charging_rate_kw,
          intent: body.intent === undefined ? undefined : intentFromWire(body.intent),
          tariff: tariffFromWire(body.tariff),
        }),
      ),
  }),
  postPlugOutEvent: restHandler({
    route: routes.postPlugOutEvent,
    errorStatus,
    handler: ({ ctx, params, body }) => accepted(recordPlugOut(ctx, { assetId: params.asset_id, occurredAt: when(body.occurred_at), source })),
  }),
  postIntentEvent: restHandler({
    route: routes.postIntentEvent,
    errorStatus,
    handler: ({ ctx, params, body }) =>
      accepted(recordIntent(ctx, { assetId: params.asset_id, occurredAt: when(body.occurred_at), source, intent: intentFromWire(body.intent) })),
  }),
  postChargeNowEvent: restHandler({
    route: routes.postChargeNowEvent,
    errorStatus,
    handler: ({ ctx, params, body }) =>
      accepted(recordChargeNow(ctx, { assetId: params.asset_id, occurredAt: when(body.occurred_at), source, endAt: new Date(body.end_at) })),
  }),
  postChargeNowDeletedEvent: restHandler({
    route: routes.postChargeNowDeletedEvent,
    errorStatus,
    handler: ({ ctx, params, body }) => accepted(recordChargeNowDeleted(ctx, { assetId: params.asset_id, occurredAt: when(body.occurred_at), source })),
  }),
  postTariffUpdateEvent: restHandler({
    route: routes.postTariffUpdateEvent,
    errorStatus,
    handler: ({ ctx, params, body }) =>
      accepted(recordTariffUpdate(ctx, { assetId: params.asset_id, occurredAt: when(body.occurred_at), source, tariff: body.tariff })),
  }),
  getLatestIntent: restHandler({
    route: getLatestIntentRoute,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: intentToWire(await describeLatestIntent(ctx, params.asset_id)),
    }),
  }),
} satisfies Record<string, (request: Request) => Promise<Response>>;
