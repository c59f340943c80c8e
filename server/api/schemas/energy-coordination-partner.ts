// The energy-coordination dialect as its publisher's partner specification has it (field names,
// enums, shapes): users and their locations and resources, the programme, events the platform
// produces, reports partners send, webhooks and the sandbox. Component ids are the published ones,
// so a partner's generated client reads our document the same way. Descriptions are our own.
import { z } from "zod";
import { EVENT_PAYLOAD_TYPES, NOTIFICATION_TYPES } from "@/server/domain/energy-coordination-notifications";

const id = (what: string) => z.string().trim().min(1).max(255).describe(what);
/** A partner's reference in a report or a simulation request (an id, a meter point): bounded, so an answer naming it stays small. */
const ref = z.string().min(1).max(255);
const optionalRef = z.string().max(255).optional();
const dateTime = z.iso.datetime({ offset: true });
/** .NET TimeSpan text, e.g. 00:30:00 or 1.00:00:00. */
export const timeSpanSchema = z
  .string()
  .regex(/^(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d+)?$/, "a duration as hh:mm:ss, e.g. 00:30:00")
  .describe("Length of each period, as hh:mm:ss (00:30:00 is a half-hour)");

export const LOCATION_TYPES = ["Unknown", "Residential", "Commercial", "Other"] as const;
export const RESOURCE_TYPES_PUBLISHED = [
  "Generic",
  "Vehicle",
  "Charger",
  "HotWaterTank",
  "HVAC",
  "SolarInverter",
] as const;
export const REPORT_PAYLOAD_TYPES = [
  "EnergyUsage",
  "LocationEnergyUsage",
  "LocationEnergyUsagePlan",
  "ResourceLPCAcknowledgement",
  "LocationLPCAcknowledgement",
] as const;

export const locationTypeSchema = z.enum(LOCATION_TYPES).meta({ id: "LocationType" });
export const resourceTypeSchema = z.enum(RESOURCE_TYPES_PUBLISHED).meta({ id: "ResourceType" });
export const notificationTypeSchema = z
  .enum(["Unknown", ...NOTIFICATION_TYPES])
  .meta({ id: "NotificationType" });

export const paginationSchema = z
  .object({
    totalRecords: z.number().int(),
    pageSize: z.number().int(),
    currentPage: z.number().int(),
    totalPages: z.number().int(),
    nextPage: z.number().int().nullable(),
    previousPage: z.number().int().nullable(),
  })
  .meta({ id: "ApiPagination", description: "Where this page sits; pages count from 1." });

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1).describe("Page number, from 1"),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100).describe("Items per page, at most 1000"),
});
export type PageQuery = z.output<typeof pageQuerySchema>;

export const coordinateSchema = z
  .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
  .meta({ id: "Coordinate" });

// ---- Users ----

export const postUserRequestSchema = z
  .object({ userId: id("The partner's id for the user") })
  .strict()
  .meta({ id: "PostUserRequest" });
export const getUserResponseSchema = z.object({ userId: z.string() }).meta({ id: "GetUserResponse" });
export const postUsersBatchRequestSchema = z
  .object({ users: z.array(postUserRequestSchema).min(1).max(1000) })
  .strict()
  .meta({ id: "PostUsersBatchRequest" });
export const postUsersBatchResponseSchema = z
  .object({ users: z.array(getUserResponseSchema) })
  .meta({ id: "PostUsersBatchResponse" });
export const getUsersResponseSchema = z
  .object({ pagination: paginationSchema, users: z.array(getUserResponseSchema) })
  .meta({ id: "GetUsersResponse" });
export const getEligibleUsersResponseSchema = z
  .object({ pagination: paginationSchema, users: z.array(getUserResponseSchema) })
  .meta({ id: "GetEligibleUsersResponse" });
export const userPathSchema = z.object({ userId: z.string().min(1) });

// ---- Locations ----

const meterPointIdsSchema = z
  .array(z.string().trim().min(1).max(50))
  .max(20)
  .nullable()
  .optional()
  .describe("The location's meter point ids: MPAN cores (13 digits) for UK meters");
const locationFields = {
  locationType: locationTypeSchema.optional(),
  coordinates: coordinateSchema.optional(),
  meterPointId: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .nullable()
    .optional()
    .describe("Deprecated: one meter point id; use meterPointIds"),
  meterPointIds: meterPointIdsSchema,
};
export const postLocationRequestSchema = z
  .object({ locationId: id("The partner's id for the location"), ...locationFields })
  .strict()
  .meta({ id: "PostLocationRequest" });
export const putLocationRequestSchema = z
  .object({ locationId: id("Must be the location's id"), ...locationFields })
  .strict()
  .meta({ id: "PutLocationRequest" });
export const patchLocationRequestSchema = z
  .object({
    locationType: locationTypeSchema.optional(),
    coordinates: coordinateSchema.optional(),
    meterPointIds: meterPointIdsSchema,
  })
  .strict()
  .meta({ id: "PatchLocationRequest" });
export const postLocationWithUserRequestSchema = z
  .object({
    locationId: id("The partner's id for the location"),
    userId: id("The owning user's id"),
    ...locationFields,
  })
  .strict()
  .meta({ id: "PostLocationWithUserRequest" });
export const postLocationsBatchRequestSchema = z
  .object({ locations: z.array(postLocationWithUserRequestSchema).min(1).max(1000) })
  .strict()
  .meta({ id: "PostLocationsBatchRequest" });
export const getLocationResponseSchema = z
  .object({
    locationId: z.string(),
    locationType: locationTypeSchema.optional(),
    coordinates: coordinateSchema.optional(),
    meterPointIds: z.array(z.string()),
    userId: z.string().nullable(),
  })
  .meta({ id: "GetLocationResponse" });
export const postLocationsBatchResponseSchema = z
  .object({ locations: z.array(getLocationResponseSchema) })
  .meta({ id: "PostLocationsBatchResponse" });
export const locationListResponseSchema = z.array(getLocationResponseSchema);
export const userLocationPathSchema = z.object({ userId: z.string().min(1), locationId: z.string().min(1) });

// ---- Resources ----

export const postVehicleResourceRequestSchema = z
  .object({ resourceId: id("The partner's id for the vehicle"), resourceType: resourceTypeSchema })
  .strict()
  .meta({ id: "PostVehicleResourceRequest" });
export const postLocationBoundResourceRequestSchema = z
  .object({
    resourceId: id("The partner's id for the resource; an asset with this external id is the same device"),
    resourceType: resourceTypeSchema,
    meterPointId: z.string().trim().min(1).max(50).nullable().optional(),
  })
  .strict()
  .meta({ id: "PostLocationBoundResourceRequest" });
export const getResourceResponseSchema = z
  .object({
    resourceId: z.string(),
    resourceType: resourceTypeSchema,
    userId: z.string(),
    locationId: z.string().nullable(),
    meterPointId: z.string().nullable(),
  })
  .meta({ id: "GetResourceResponse" });
export const getLocationBoundResourceResponseSchema = z
  .object({
    resourceId: z.string(),
    resourceType: resourceTypeSchema,
    locationId: z.string(),
    userId: z.string(),
    meterPointId: z.string().nullable(),
  })
  .meta({ id: "GetLocationBoundResourceResponse" });
export const getUserResourcesResponseSchema = z
  .object({ resources: z.array(getResourceResponseSchema) })
  .meta({ id: "GetUserResourcesResponse" });
export const locationBoundResourceListSchema = z.array(getLocationBoundResourceResponseSchema);
export const resourcePathSchema = z.object({ resourceId: z.string().min(1) });

// ---- Programme ----

export const getUserEnrollmentResponseSchema = z
  .object({
    isEnrolled: z.boolean(),
    userId: z.string(),
    enrollmentId: z.uuid().nullable(),
    enrollmentDate: dateTime.nullable(),
  })
  .meta({ id: "GetUserEnrollmentResponse" });
export const getUserEligibilityResponseSchema = z
  .object({ userId: z.string(), isEligible: z.boolean() })
  .meta({ id: "GetUserEligibilityResponse" });
export const getMpidEligibilityResponseSchema = z
  .object({ meterPointId: z.string(), isEligible: z.boolean() })
  .meta({ id: "GetMpidEligibilityResponse" });
export const mpidPathSchema = z.object({ mpid: z.string().min(1) });
export const problemSchema = z
  .object({
    problemType: z.enum(["MissingMpidOnLocation", "CompensationMpidDoesNotMatchLocation"]).optional(),
    message: z.string(),
  })
  .meta({ id: "Problem" });
export const locationCompensationSchema = z
  .object({
    locationId: z.string(),
    meterPointIds: z.array(z.string()),
    activeAmount: z.number().describe("Credited this month and not blocked, in pounds"),
    blockedAmount: z.number().describe("Credited this month but held (awaiting approval), in pounds"),
    currency: z.string().describe("GBP (the published list names Nordic currencies only; ours is open)"),
    problems: z.array(problemSchema),
  })
  .meta({ id: "LocationCompensation" });
export const getUserCompensationResponseSchema = z
  .object({
    userId: z.string(),
    period: z.object({ from: z.iso.date(), to: z.iso.date() }).meta({ id: "Period" }),
    locationCompensations: z.array(locationCompensationSchema),
  })
  .meta({ id: "GetUserCompensationForCurrentMonthResponse" });

// ---- Events ----

const lpcDataPointSchema = z
  .object({ maxPowerInKiloWatts: z.number(), timestamp: dateTime })
  .meta({
    id: "LPCDataPoint",
    description:
      "The highest net import (kW) allowed from this instant until the next point; negative means at least that much export",
  });
const locationLpcTargetSchema = z
  .object({
    locationId: z.string(),
    meterPointId: z.string(),
    resolution: timeSpanSchema,
    points: z.array(lpcDataPointSchema),
  })
  .meta({ id: "LocationLPCTarget" });
const resourceLpcTargetSchema = z
  .object({
    meterPointId: z.string(),
    locationId: z.string(),
    resourceId: z.string(),
    resolution: timeSpanSchema,
    points: z.array(lpcDataPointSchema),
  })
  .meta({ id: "ResourceLPCTarget" });
export const priceCurveSchema = z
  .object({
    points: z.array(z.object({ price: z.number(), timestamp: dateTime }).meta({ id: "PriceCurvePoint" })),
    energyUnit: z.enum(["kWh", "MWh"]),
    currency: z.string().describe("GBP for our markets"),
    resolution: timeSpanSchema,
  })
  .meta({ id: "PriceCurve" });
const priceCurveTargetSchema = z
  .object({ resourceId: z.string(), locationId: z.string() })
  .meta({ id: "PriceCurveTarget" });

export const priceCurvePayloadSchema = z
  .object({
    payloadType: z.literal("PriceCurve"),
    targets: z.array(priceCurveTargetSchema),
    priceCurveDelta: priceCurveSchema,
    priceArea: z.string().describe("Our market code"),
  })
  .meta({ id: "PriceCurvePayload" });
export const userEligibilityPayloadSchema = z
  .object({
    payloadType: z.literal("UserEligibility"),
    lastUpdated: dateTime,
    addedUsers: z.array(z.string()),
    removedUsers: z.array(z.string()),
  })
  .meta({ id: "UserEligibilityPayload" });
export const locationLpcPayloadSchema = z
  .object({ payloadType: z.literal("LocationLPC"), targets: z.array(locationLpcTargetSchema) })
  .meta({ id: "LocationLPCPayload" });
export const resourceLpcPayloadSchema = z
  .object({ payloadType: z.literal("ResourceLPC"), targets: z.array(resourceLpcTargetSchema) })
  .meta({ id: "ResourceLPCPayload" });
export const lpcReservationPayloadSchema = z
  .object({ payloadType: z.literal("LPCReservation"), targets: z.array(locationLpcTargetSchema) })
  .meta({ id: "LPCReservationPayload" });
export const eventPayloadSchema = z.discriminatedUnion("payloadType", [
  priceCurvePayloadSchema,
  userEligibilityPayloadSchema,
  locationLpcPayloadSchema,
  resourceLpcPayloadSchema,
  lpcReservationPayloadSchema,
]);
export type EventPayload = z.output<typeof eventPayloadSchema>;
export type LocationLpcTarget = z.output<typeof locationLpcTargetSchema>;
export type ResourceLpcTarget = z.output<typeof resourceLpcTargetSchema>;

export const getEventResponseSchema = z
  .object({ id: z.string(), createdAt: dateTime, payload: eventPayloadSchema })
  .meta({ id: "GetEventResponse" });
export const getEventsResponseSchema = z
  .object({ pagination: paginationSchema, events: z.array(getEventResponseSchema) })
  .meta({ id: "GetEventsResponse" });
export const eventPathSchema = z.object({ eventId: z.string().min(1) });
// Keep the enum list honest: every payload type we can produce is in the union above.
export const EVENT_PAYLOAD_TYPE_LIST: readonly string[] = EVENT_PAYLOAD_TYPES;

// ---- Reports ----

const energyCurvePointSchema = z
  .object({ timestamp: dateTime, kiloWattHours: z.number().min(-10_000).max(10_000) })
  .meta({ id: "EnergyCurvePoint" });
const lpcLocationSchema = z
  .object({ locationId: ref, meterPointId: ref })
  .meta({ id: "LPCLocation" });
const lpcResourceSchema = z
  .object({ meterPointId: ref, locationId: ref, resourceId: ref })
  .meta({ id: "LPCResource" });
const curve = z.array(energyCurvePointSchema).max(10_000);

export const energyUsageReportSchema = z
  .object({
    payloadType: z.literal("EnergyUsage"),
    resourceId: ref,
    locationId: z.string().max(255).nullable().optional(),
    meterPointId: z.string().max(255).nullable().optional(),
    points: curve.optional(),
    resolution: timeSpanSchema,
    curvePoints: curve.nullable().optional().describe("Deprecated: read as points when points is absent"),
  })
  .strict()
  .meta({ id: "EnergyUsageReportPayload" });
export const locationEnergyUsageReportSchema = z
  .object({
    payloadType: z.literal("LocationEnergyUsage"),
    locationId: ref,
    meterPointId: ref,
    points: curve.optional(),
    resolution: timeSpanSchema,
  })
  .strict()
  .meta({ id: "LocationEnergyUsageReportPayload" });
export const locationEnergyUsagePlanReportSchema = z
  .object({
    payloadType: z.literal("LocationEnergyUsagePlan"),
    locationId: ref,
    meterPointId: ref,
    resolution: timeSpanSchema,
    baseline: curve,
    flexibility: curve,
  })
  .strict()
  .meta({ id: "LocationEnergyUsagePlanReportPayload" });
export const resourceLpcAckReportSchema = z
  .object({
    payloadType: z.literal("ResourceLPCAcknowledgement"),
    acknowledgedTargets: z.array(lpcResourceSchema).optional(),
    declinedTargets: z.array(lpcResourceSchema).optional(),
  })
  .strict()
  .meta({ id: "ResourceLPCAcknowledgmentReportPayload" });
export const locationLpcAckReportSchema = z
  .object({
    payloadType: z.literal("LocationLPCAcknowledgement"),
    acknowledgedTargets: z.array(lpcLocationSchema).optional(),
    declinedTargets: z.array(lpcLocationSchema).optional(),
  })
  .strict()
  .meta({ id: "LocationLPCAcknowledgmentReportPayload" });
export const reportPayloadSchema = z.discriminatedUnion("payloadType", [
  energyUsageReportSchema,
  locationEnergyUsageReportSchema,
  resourceLpcAckReportSchema,
  locationLpcAckReportSchema,
  locationEnergyUsagePlanReportSchema,
]);
export type ReportPayload = z.output<typeof reportPayloadSchema>;
export const postReportRequestSchema = z
  .object({
    eventId: z.string().max(255).nullable().optional().describe("The event this report answers"),
    payloads: z.array(reportPayloadSchema).min(1).max(100),
  })
  .strict()
  .meta({ id: "PostReportRequest" });
export const getReportResponseSchema = z
  .object({ id: z.string(), eventId: z.string().nullable(), createdAt: dateTime })
  .meta({ id: "GetReportResponse" });

// ---- Webhooks ----

const webhookUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe("Where notifications are POSTed");
const webhookSecretSchema = z
  .string()
  .min(8)
  .max(256)
  .describe("Key for the X-Payload-Signature HMAC; never shown again");
const notificationTypesSchema = z
  .array(z.enum(NOTIFICATION_TYPES))
  .max(NOTIFICATION_TYPES.length)
  .describe("Notifications wanted; empty or absent means all");
export const postWebhookRequestSchema = z
  .object({
    name: z.string().max(200).nullable().optional(),
    webhookSecret: webhookSecretSchema.nullable().optional(),
    webhookUrl: webhookUrlSchema,
    notificationTypes: notificationTypesSchema.optional(),
  })
  .strict()
  .meta({ id: "PostWebhookRequest" });
export const putWebhookRequestSchema = z
  .object({
    webhookSecret: webhookSecretSchema.nullable().optional(),
    webhookUrl: webhookUrlSchema,
    notificationTypes: notificationTypesSchema.optional(),
    enabled: z.boolean().optional(),
    name: z.string().max(200).nullable().optional(),
  })
  .strict()
  .meta({ id: "PutWebhookRequest" });
export const patchWebhookRequestSchema = z
  .object({
    webhookSecret: webhookSecretSchema.nullable().optional(),
    webhookUrl: webhookUrlSchema.nullable().optional(),
    notificationTypes: notificationTypesSchema.nullable().optional(),
    enabled: z.boolean().nullable().optional(),
    name: z.string().max(200).nullable().optional(),
  })
  .strict()
  .meta({ id: "PatchWebhookRequest" });
export const webhookStatusSchema = z
  .enum(["New", "Healthy", "Unhealthy", "TimeOut"])
  .meta({ id: "WebhookStatus" });
export const getWebhookResponseSchema = z
  .object({
    webhookId: z.string(),
    webhookUrl: z.string(),
    name: z.string().nullable(),
    notificationTypes: z.array(notificationTypeSchema),
    enabled: z.boolean(),
    status: webhookStatusSchema,
    modifiedDate: dateTime,
    createdDate: dateTime,
    lastAnalyzedTimestamp: dateTime.optional(),
  })
  .meta({ id: "GetWebhookResponse" });
export const getWebhooksResponseSchema = z
  .object({ webhooks: z.array(getWebhookResponseSchema) })
  .meta({ id: "GetWebhooksResponse" });
export const webhookPathSchema = z.object({ webhookId: z.string().min(1) });
export const webhookEnabledQuerySchema = z.object({
  enabled: z.enum(["true", "false"]).transform((value) => value === "true"),
});
export const webhookLogsQuerySchema = pageQuerySchema.extend({ webhookId: z.string().optional() });
export const webhookNotificationLogSchema = z
  .object({
    webhookId: z.string(),
    tenantId: z.string(),
    partnerEventId: z.string(),
    notificationId: z.string(),
    notificationType: notificationTypeSchema,
    notificationSent: dateTime,
    sparkSignature: z.string().nullable(),
    webhookUrl: z.string(),
    requestTimeout: z.boolean(),
    responseStatusCode: z.number().int().nullable(),
    requestDurationMs: z.number().int().nullable(),
  })
  .meta({ id: "WebhookNotificationLog" });
export const getWebhookNotificationLogsResponseSchema = z
  .object({ webhookNotificationLogs: z.array(webhookNotificationLogSchema), pagination: paginationSchema })
  .meta({ id: "GetWebhookNotificationLogsResponse" });
export const getWebhookNotificationLogByIdResponseSchema = z
  .object({
    webhookNotificationLog: webhookNotificationLogSchema,
    notificationContent: z.string().describe("The exact body sent"),
  })
  .meta({ id: "GetWebhookNotificationLogByIdResponse" });
export const notificationPathSchema = z.object({ notificationId: z.string().min(1) });

// ---- Simulation ----

export const simulatePriceCurveEventRequestSchema = z
  .object({
    targets: z.array(priceCurveTargetSchema).nullable().optional(),
    priceCurveDelta: priceCurveSchema.optional(),
    priceArea: optionalRef,
  })
  .strict()
  .meta({ id: "SimulatePriceCurveEventRequest" });
const lpcLocationTargetSchema = z
  .object({
    location: z
      .object({ locationId: optionalRef, meterPointId: optionalRef })
      .meta({ id: "LocationTarget" })
      .optional(),
    points: z.array(lpcDataPointSchema).nullable().optional(),
  })
  .meta({ id: "LPCLocationTarget" });
const lpcResourceTargetSchema = z
  .object({
    resource: z
      .object({
        locationId: optionalRef,
        resourceId: optionalRef,
        meterPointId: optionalRef,
      })
      .meta({ id: "ResourceTarget" })
      .optional(),
    points: z.array(lpcDataPointSchema).nullable().optional(),
  })
  .meta({ id: "LPCResourceTarget" });
export const simulateLocationLpcEventRequestSchema = z
  .object({ locations: z.array(lpcLocationTargetSchema).max(1000).nullable().optional() })
  .strict()
  .meta({ id: "SimulateLocationLPCEventRequest" });
export const simulateResourceLpcEventRequestSchema = z
  .object({ resources: z.array(lpcResourceTargetSchema).max(1000).nullable().optional() })
  .strict()
  .meta({ id: "SimulateResourceLPCEventRequest" });
export const simulateEventResponseSchema = z
  .object({ simulatedEvent: getEventResponseSchema })
  .meta({ id: "SimulateEventResponse" });

// ---- Errors ----

export const problemDetailsSchema = z
  .object({
    type: z.string().nullable().optional(),
    title: z.string().nullable().optional(),
    status: z.number().int().nullable().optional(),
    detail: z.string().nullable().optional(),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe("Messages per offending field, e.g. payloads[0].resolution"),
  })
  .meta({
    id: "HttpValidationProblemDetails",
    description: "An RFC 9457 problem; validation problems name each field",
  });
