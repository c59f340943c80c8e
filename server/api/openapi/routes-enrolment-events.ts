// Routes of later issues (consent, enrolment, onboarding, asset events, readings,
// rewards): defined now so the document and schemas are ready when handlers land.
import { z } from "zod";
import {
  assetEventRequestSchema,
  batteryScheduleResponseSchema,
  chargeNowDeletedEventRequestSchema,
  chargeNowEventRequestSchema,
  intentEventRequestSchema,
  intentResponseSchema,
  plugInEventRequestSchema,
  plugInScheduleEventRequestSchema,
  plugInScheduleEventResponseSchema,
  plugOutEventRequestSchema,
  tariffUpdateEventRequestSchema,
} from "@/server/api/schemas/entities-asset-events";
import { assetResponseSchema } from "@/server/api/schemas/entities-asset";
import { assetIdParamsSchema, errorWithDetailSchema, httpValidationErrorSchema, siteIdParamsSchema } from "@/server/api/schemas/entities-common";
import {
  enrolRequestSchema,
  enrolResponseSchema,
  onboardingRequestSchema,
  onboardingResponseSchema,
  onboardRequestSchema,
  onboardResponseSchema,
  siteAuthTokenRequestSchema,
  siteDispatchConsentRequestSchema,
  siteMeterConsentRequestSchema,
  unenrolRequestSchema,
  unenrolResponseSchema,
} from "@/server/api/schemas/entities-enrolment";
import { siteResponseSchema } from "@/server/api/schemas/entities-site";
import { readingsRequestSchema, readingsResponseSchema } from "@/server/api/schemas/data-readings";
import {
  balanceInfoResponseSchema,
  transactionHistoryResponseSchema,
} from "@/server/api/schemas/rewards";
import { type RouteDefinition, defineRoute } from "./define-route";

const notFound = { description: "Not found in your organisation", schema: errorWithDetailSchema };
const accepted = z.object({ status: z.literal("accepted") }).meta({ id: "EventAccepted", description: "The event was recorded." });
const refused = { description: "A rule refused the request", schema: errorWithDetailSchema };

const siteRoute = <const P extends string>(path: P) => `/entities/site/{site_id}/${path}` as const;
const eventPath = <const P extends string>(event: P) => `/entities/asset/{asset_id}/event/${event}` as const;

// A site can be offboarded before any asset was attached to it, so unlike onboarding
// the asset is optional here.
const offboardingResponseSchema = z
  .object({ site: siteResponseSchema, asset: assetResponseSchema.optional() })
  .meta({ id: "OffboardingResponse", description: "The offboarded site and, when it has one, its first asset." });

export const enrolmentRoutes = [
  defineRoute({
    method: "post", path: siteRoute("meter-consent"), operationId: "add_site_meter_consent_entities_site__site_id__meter_consent_post", summary: "Record boundary meter consent",
    tags: ["Consent"], permission: "consent:write", request: { params: siteIdParamsSchema, body: siteMeterConsentRequestSchema },
    responses: { 200: siteResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "post", path: siteRoute("dispatch-consent"), operationId: "add_site_dispatch_consent_entities_site__site_id__dispatch_consent_post", summary: "Grant dispatch methods",
    tags: ["Consent"], permission: "consent:write", request: { params: siteIdParamsSchema, body: siteDispatchConsentRequestSchema },
    responses: { 200: siteResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "post", path: siteRoute("dispatch-deconsent"), operationId: "remove_site_dispatch_consent_entities_site__site_id__dispatch_deconsent_post", summary: "Withdraw dispatch methods",
    tags: ["Consent"], permission: "consent:write", request: { params: siteIdParamsSchema, body: siteDispatchConsentRequestSchema },
    responses: { 200: siteResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "post", path: siteRoute("token"), operationId: "add_site_auth_token_entities_site__site_id__token_post", summary: "Hand over manufacturer-cloud credentials",
    tags: ["Consent"], permission: "credentials:write", request: { params: siteIdParamsSchema, body: siteAuthTokenRequestSchema },
    responses: { 204: { description: "Stored; the secret is never shown again" }, 404: notFound, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "post", path: siteRoute("enrol"), operationId: "enrol_site_entities_site__site_id__enrol_post", summary: "Enrol a site in a proposition",
    tags: ["Enrolment"], permission: "consent:write", request: { params: siteIdParamsSchema, body: enrolRequestSchema },
    responses: { 200: enrolResponseSchema, 404: notFound, 422: { description: "Not eligible, withdrew before, or invalid", schema: z.union([httpValidationErrorSchema, errorWithDetailSchema]) } },
  }),
  defineRoute({
    method: "post", path: siteRoute("unenrol"), operationId: "unenrol_site_entities_site__site_id__unenrol_post", summary: "Withdraw a site from a proposition",
    tags: ["Enrolment"], permission: "consent:write", request: { params: siteIdParamsSchema, body: unenrolRequestSchema },
    responses: { 200: unenrolResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "post", path: "/entities/site/onboard", operationId: "onboard_entities_site_onboard_post", summary: "Initialise and enrol in one step",
    tags: ["Enrolment"], permission: "consent:write", request: { body: onboardRequestSchema },
    responses: { 200: onboardResponseSchema, 422: { description: "Not eligible or invalid; nothing was stored", schema: z.union([httpValidationErrorSchema, errorWithDetailSchema]) } },
  }),
  defineRoute({
    method: "post", path: "/entities/site/onboard-site-and-asset", operationId: "onboard_site_and_asset_entities_site_onboard_site_and_asset_post", summary: "Create a site and asset with dispatch consent",
    tags: ["Enrolment"], permission: "consent:write", deprecated: true, request: { body: onboardingRequestSchema },
    responses: { 200: onboardingResponseSchema, 409: { description: "The site or asset already exists", schema: errorWithDetailSchema }, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "post", path: siteRoute("offboard-site-and-assets"), operationId: "offboard_site_and_assets_entities_site__site_id__offboard_site_and_assets_post", summary: "Offboard a site and all its assets",
    tags: ["Enrolment"], permission: "consent:write", request: { params: siteIdParamsSchema },
    responses: { 200: offboardingResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
] as const satisfies readonly RouteDefinition[];

const eventRoute = (event: string, operationId: string, summary: string, body: z.ZodType) =>
  defineRoute({
    method: "post", path: eventPath(event), operationId, summary, tags: ["Asset events"], permission: "charging:events",
    request: { params: assetIdParamsSchema, body },
    responses: { 200: accepted, 400: refused, 404: notFound, 422: httpValidationErrorSchema },
  });

export const assetEventRoutes = [
  defineRoute({
    method: "post", path: "/entities/asset/{asset_id}/event", operationId: "asset_event_entities_asset__asset_id__event_post", summary: "Send any asset event",
    tags: ["Asset events"], permission: "charging:events", request: { params: assetIdParamsSchema, body: assetEventRequestSchema },
    responses: { 200: accepted, 400: refused, 404: notFound, 422: httpValidationErrorSchema },
  }),
  eventRoute("plug-in", "asset_plug_in_event_entities_asset__asset_id__event_plug_in_post", "A vehicle was plugged in", plugInEventRequestSchema),
  eventRoute("plug-out", "asset_plug_out_event_entities_asset__asset_id__event_plug_out_post", "A vehicle was unplugged", plugOutEventRequestSchema),
  eventRoute("intent", "asset_intent_update_event_entities_asset__asset_id__event_intent_post", "The driver changed their intent", intentEventRequestSchema),
  eventRoute("charge-now", "asset_charge_now_event_entities_asset__asset_id__event_charge_now_post", "Charge immediately", chargeNowEventRequestSchema),
  eventRoute("charge-now-deleted", "asset_charge_now_deleted_event_entities_asset__asset_id__event_charge_now_deleted_post", "Charge-now cancelled", chargeNowDeletedEventRequestSchema),
  eventRoute("tariff-update", "asset_tariff_update_event_entities_asset__asset_id__event_tariff_update_post", "The tariff changed", tariffUpdateEventRequestSchema),
  defineRoute({
    method: "post", path: eventPath("plug-in-schedule"), operationId: "asset_plug_in_schedule_event_entities_asset__asset_id__event_plug_in_schedule_post", summary: "Get a plug-in schedule with a pause inserted",
    tags: ["Asset events"], permission: "charging:events", request: { params: assetIdParamsSchema, body: plugInScheduleEventRequestSchema },
    responses: { 200: plugInScheduleEventResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "get", path: "/entities/asset/{asset_id}/intent", operationId: "get_latest_intent_entities_asset__asset_id__intent_get", summary: "The latest intent",
    tags: ["Asset events"], permission: "sites:read", request: { params: assetIdParamsSchema },
    responses: { 200: intentResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "get", path: "/entities/asset/{asset_id}/battery-schedule", operationId: "get_battery_schedule_entities_asset__asset_id__battery_schedule_get", summary: "The battery's active schedule",
    tags: ["Asset events"], permission: "sites:read", request: { params: assetIdParamsSchema },
    responses: { 200: batteryScheduleResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
] as const satisfies readonly RouteDefinition[];

export const readingAndRewardRoutes = [
  defineRoute({
    method: "post", path: "/data/readings", operationId: "post_readings_data_readings_post", summary: "Send readings",
    description: "Each reading is accepted or refused on its own; gzip request bodies are accepted.",
    tags: ["Readings"], permission: "readings:write", request: { body: readingsRequestSchema },
    responses: { 200: readingsResponseSchema, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "get", path: "/rewards/{site_id}/info", operationId: "get_balance_info_rewards__site_id__info_get", summary: "A site's reward balance",
    tags: ["Rewards"], permission: "rewards:read", request: { params: siteIdParamsSchema },
    responses: { 200: balanceInfoResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
  defineRoute({
    method: "get", path: "/rewards/{site_id}/transactions", operationId: "get_transaction_history_rewards__site_id__transactions_get", summary: "A site's reward transactions",
    tags: ["Rewards"], permission: "rewards:read", request: { params: siteIdParamsSchema },
    responses: { 200: transactionHistoryResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
  }),
] as const satisfies readonly RouteDefinition[];
