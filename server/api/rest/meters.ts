// Meter lookups (/meter/*) over the operator's meter registry: by MPAN, by address, or by
// searching a postcode and resolving the reference the householder picked. The deprecated GET
// forms answer exactly as their replacements.
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "@/server/api/openapi/define-route";
import { errorWithDetailSchema, type ValidationErrorItem } from "@/server/api/schemas/entities-common";
import { getMeterByAddress, getMeterByMpan, getMeterByRef, searchMeters, type MeterInfo } from "@/server/services/meters/meter-registry";
import { ELIGIBLE_MARKETS } from "@/server/services/meters/parse-meter-registry-csv";
import { restHandler, type OperationHandler, type RestReply, type RestRequest } from "./rest-handler";

export const meterResponseSchema = z
  .object({
    mpan: z.string().describe("13-digit MPAN core"),
    half_hourly_settled: z.boolean(),
    supplier_mpid: z.string().optional().describe("The supplier's market participant id"),
    supplier_name: z.string().optional(),
    eligible_markets: z.array(z.enum(ELIGIBLE_MARKETS)).describe("Markets the meter may take part in"),
  })
  .meta({ id: "MeterResponse", description: "A meter from the registry." });

const meterSearchResultSchema = z
  .object({ ref: z.string().describe("Opaque reference for /meter/by-ref/{meter_ref}; valid for a day"), address: z.string() })
  .meta({ id: "MeterSearchResponse", description: "A meter at the searched postcode, by address." });

const addressField = z.string().min(1).max(500).describe("Full address ending with its postcode, e.g. '221B Baker Street, London, NW1 6XE'");
const mpanField = z.string().min(1).max(40).describe("13-digit MPAN core");

// The published document explains a meter lookup's 422 in one sentence, not a list.
const invalidLookup = { description: "The request is not valid; the sentence names the field", schema: errorWithDetailSchema };
const notFound = { description: "No such meter in the registry", schema: errorWithDetailSchema };
const ambiguous = { description: "More than one meter matches: search the postcode instead", schema: errorWithDetailSchema };
const common = { tags: ["Meters"], permission: "meter_registry:read" } as const;
// Listed because the published document lists it; the registry answers at once, so it is never sent.
const pending = { description: "A lookup still in progress (never sent: the registry answers at once)", schema: errorWithDetailSchema };

export const meterByAddressRoute = defineRoute({
  ...common,
  method: "post",
  path: "/meter/by-address",
  operationId: "get_meter_info_by_address_meter_by_address_post",
  summary: "Look a meter up by address",
  request: { body: z.object({ address: addressField }).meta({ id: "MeterByAddressRequest" }) },
  responses: { 200: meterResponseSchema, 202: pending, 404: notFound, 409: ambiguous, 422: invalidLookup },
});

export const meterByMpanRoute = defineRoute({
  ...common,
  method: "post",
  path: "/meter/by-mpan",
  operationId: "get_meter_info_by_mpan_meter_by_mpan_post",
  summary: "Look a meter up by MPAN",
  request: { body: z.object({ mpan: mpanField }).meta({ id: "MeterByMPANRequest" }) },
  responses: { 200: meterResponseSchema, 202: pending, 404: notFound, 422: invalidLookup },
});

export const meterByAddressDeprecatedRoute = defineRoute({
  ...common,
  method: "get",
  path: "/meter/",
  operationId: "get_meter_info_by_address_deprecated_meter__get",
  summary: "Look a meter up by address (use POST /meter/by-address)",
  deprecated: true,
  request: { query: z.object({ address: addressField }) },
  responses: { 200: meterResponseSchema, 404: notFound, 409: ambiguous, 422: invalidLookup },
});

export const searchMetersRoute = defineRoute({
  ...common,
  method: "get",
  path: "/meter/search",
  operationId: "search_meters_meter_search_get",
  summary: "Meters at a postcode, for the householder to pick from",
  request: {
    query: z.object({
      postcode: z.string().min(1).max(20).describe("Postcode to search"),
      building_identifier: z.string().min(1).max(200).optional().describe("House number or name, e.g. '3', '10A', 'Flat 4'"),
    }),
  },
  responses: { 200: z.array(meterSearchResultSchema), 422: invalidLookup },
});

export const meterByRefRoute = defineRoute({
  ...common,
  method: "get",
  path: "/meter/by-ref/{meter_ref}",
  operationId: "get_meter_info_by_meter_ref_meter_by_ref__meter_ref__get",
  summary: "Resolve a search reference to its meter",
  request: { params: z.object({ meter_ref: z.string().min(1).max(2000).describe("A reference from /meter/search") }) },
  responses: { 200: meterResponseSchema, 404: notFound, 422: invalidLookup },
});

export const meterByRefDeprecatedRoute = defineRoute({
  ...meterByRefRoute,
  path: "/meter/{meter_ref}/mpan",
  operationId: "get_meter_info_by_meter_ref_meter__meter_ref__mpan_get",
  summary: "Resolve a search reference (use /meter/by-ref/{meter_ref})",
  deprecated: true,
});

export const meterByMpanDeprecatedRoute = defineRoute({
  ...common,
  method: "get",
  path: "/meter/{mpan}",
  operationId: "get_meter_info_by_mpan_deprecated_meter__mpan__get",
  summary: "Look a meter up by MPAN (use POST /meter/by-mpan)",
  deprecated: true,
  request: { params: z.object({ mpan: mpanField }) },
  responses: { 200: meterResponseSchema, 404: notFound, 422: invalidLookup },
});

function meterToWire(meter: MeterInfo): z.input<typeof meterResponseSchema> {
  return {
    mpan: meter.mpan,
    half_hourly_settled: meter.halfHourlySettled,
    ...(meter.supplierMpid === null ? {} : { supplier_mpid: meter.supplierMpid }),
    ...(meter.supplierName === null ? {} : { supplier_name: meter.supplierName }),
    eligible_markets: meter.eligibleMarkets as z.input<typeof meterResponseSchema>["eligible_markets"],
  };
}

/** The published document explains a lookup's 422 in one sentence naming each field: "mpan: MPAN must be exactly 13 digits". */
function validationSentence(reply: RestReply): RestReply {
  const detail = (reply.body as { detail?: unknown } | undefined)?.detail;
  if (reply.status !== 422 || !Array.isArray(detail)) return reply;
  const parts = (detail as ValidationErrorItem[]).map((problem) => `${problem.loc.slice(1).join(".") || "body"}: ${problem.msg}`);
  return { ...reply, body: { detail: parts.join("; ") } };
}

const meterHandler = <R extends RouteDefinition>(route: R, lookup: (request: RestRequest<R>) => Promise<MeterInfo>) =>
  restHandler({ route, errorShape: validationSentence, handler: async (request) => ({ status: 200, body: meterToWire(await lookup(request)) }) });

export const meterHandlers: Record<string, OperationHandler> = {
  meterByAddress: meterHandler(meterByAddressRoute, ({ ctx, body }) => getMeterByAddress(ctx, { address: body.address })),
  meterByMpan: meterHandler(meterByMpanRoute, ({ ctx, body }) => getMeterByMpan(ctx, { mpan: body.mpan })),
  meterByAddressDeprecated: meterHandler(meterByAddressDeprecatedRoute, ({ ctx, query }) => getMeterByAddress(ctx, { address: query.address })),
  searchMeters: restHandler({
    route: searchMetersRoute,
    errorShape: validationSentence,
    handler: async ({ ctx, query }) => ({
      status: 200,
      body: await searchMeters(ctx, { postcode: query.postcode, ...(query.building_identifier === undefined ? {} : { buildingIdentifier: query.building_identifier }) }, new Date()),
    }),
  }),
  meterByRefDeprecated: meterHandler(meterByRefDeprecatedRoute, ({ ctx, params }) => getMeterByRef(ctx, { ref: params.meter_ref }, new Date())),
  meterByRef: meterHandler(meterByRefRoute, ({ ctx, params }) => getMeterByRef(ctx, { ref: params.meter_ref }, new Date())),
  meterByMpanDeprecated: meterHandler(meterByMpanDeprecatedRoute, ({ ctx, params }) => getMeterByMpan(ctx, { mpan: params.mpan })),
};

export const meterRoutes: readonly RouteDefinition[] = [
  meterByAddressRoute,
  meterByMpanRoute,
  meterByAddressDeprecatedRoute,
  searchMetersRoute,
  meterByRefDeprecatedRoute,
  meterByRefRoute,
  meterByMpanDeprecatedRoute,
];
