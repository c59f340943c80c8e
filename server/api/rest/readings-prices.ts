// Readings ingest, market price curves and the Flex Lite plug-in schedule: validate (the adapter),
// call one service, shape the reply in the entities dialect.
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "@/server/api/openapi/define-route";
import { assetEventRoutes, readingAndRewardRoutes } from "@/server/api/openapi/routes-enrolment-events";
import { assetIdParamsSchema, errorWithDetailSchema, httpValidationErrorSchema, isoDateTimeSchema, siteIdParamsSchema } from "@/server/api/schemas/entities-common";
import { answerFlexLitePlugInSchedule } from "@/server/services/flex-lite/plug-in-schedule";
import { getAssetPriceCurve, getSitePriceCurve } from "@/server/services/market-prices/market-prices";
import { ingestReadings } from "@/server/services/readings/ingest-readings";
import { restHandler } from "./rest-handler";

/**
 * Body limit of POST /data/readings: a full batch of 10,000 readings is about 1.7 MB of JSON, so this
 * route takes up to 8 MB (decompressed, when gzipped); every other route keeps the adapter's 1 MB.
 */
export const READINGS_MAX_BODY_BYTES = 8 * 1024 * 1024;

function routeOf<const Routes extends readonly RouteDefinition[], const Id extends Routes[number]["operationId"]>(
  routes: Routes,
  operationId: Id,
): Extract<Routes[number], { operationId: Id }> {
  const found = routes.find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`No route ${operationId}`);
  return found as Extract<Routes[number], { operationId: Id }>;
}

const publishedPostReadingsRoute = routeOf(readingAndRewardRoutes, "post_readings_data_readings_post");
/** The published readings route, with the answers the adapter gives a body it cannot decode documented too. */
export const postReadingsRoute = defineRoute({
  ...publishedPostReadingsRoute,
  responses: {
    ...publishedPostReadingsRoute.responses,
    400: { description: "The body is declared gzip but is not valid gzip", schema: errorWithDetailSchema },
    415: { description: "A Content-Encoding other than gzip", schema: errorWithDetailSchema },
  },
});
export const postPlugInScheduleEventRoute = routeOf(assetEventRoutes, "asset_plug_in_schedule_event_entities_asset__asset_id__event_plug_in_schedule_post");

export const halfHourlyPriceSchema = z
  .object({
    start_timestamp: isoDateTimeSchema,
    price_gbp_per_mwh: z.number().describe("Price in GBP/MWh, to 2 decimal places"),
  })
  .meta({ id: "HalfHourlyPrice", description: "The market price of one UK half-hour settlement period." });

export const priceCurveResponseSchema = z
  .object({ half_hourly_traded_prices: z.array(halfHourlyPriceSchema) })
  .meta({
    id: "PriceCurveResponse",
    description:
      "Half-hourly prices per MWh of flexed energy, from the current settlement period until 23:00 UK time today, or tomorrow from 14:00 UK time. Half hours without a price are left out.",
  });

const notFound = { description: "Not found in your organisation", schema: errorWithDetailSchema };

export const getAssetPriceCurveRoute = defineRoute({
  method: "get",
  path: "/entities/asset/{asset_id}/price-curve",
  operationId: "get_price_curve_entities_asset__asset_id__price_curve_get",
  summary: "The price curve for an asset",
  tags: ["Assets"],
  permission: "market_prices:read",
  request: { params: assetIdParamsSchema },
  responses: { 200: priceCurveResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const getSitePriceCurveRoute = defineRoute({
  method: "get",
  path: "/entities/site/{site_id}/price-curve",
  operationId: "get_price_curve_entities_site__site_id__price_curve_get",
  summary: "The price curve for a site",
  tags: ["Sites"],
  permission: "market_prices:read",
  request: { params: siteIdParamsSchema },
  responses: { 200: priceCurveResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const readingsPriceHandlers = {
  postReadings: restHandler({
    route: postReadingsRoute,
    maxBodyBytes: READINGS_MAX_BODY_BYTES,
    handler: async ({ ctx, body }) => {
      const result = await ingestReadings(ctx, body.readings);
      return { status: 200, body: { responses: result.responses } };
    },
  }),

  postPlugInScheduleEvent: restHandler({
    route: postPlugInScheduleEventRoute,
    handler: async ({ ctx, params, body }) => ({
      status: 200,
      body: await answerFlexLitePlugInSchedule(ctx, { assetId: params.asset_id, chargingSchedule: body.charging_schedule }),
    }),
  }),

  getAssetPriceCurve: restHandler({
    route: getAssetPriceCurveRoute,
    handler: async ({ ctx, params }) => ({ status: 200, body: await getAssetPriceCurve(ctx, { assetId: params.asset_id }) }),
  }),

  getSitePriceCurve: restHandler({
    route: getSitePriceCurveRoute,
    handler: async ({ ctx, params }) => ({ status: 200, body: await getSitePriceCurve(ctx, { siteId: params.site_id }) }),
  }),
} satisfies Record<string, (request: Request) => Promise<Response>>;

/** Routes with handlers here; only these are published. */
export const implementedReadingsPriceRoutes: readonly RouteDefinition[] = [postReadingsRoute, postPlugInScheduleEventRoute, getAssetPriceCurveRoute, getSitePriceCurveRoute];
