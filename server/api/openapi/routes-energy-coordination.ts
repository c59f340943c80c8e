// The energy-coordination dialect's routes, with the published operationIds, paths and shapes.
// Errors: a bad request is 400 application/problem+json naming each field (HttpValidationProblemDetails);
// unknown ids are 404, refused sandbox calls 403.
import {
  eventPathSchema,
  getEligibleUsersResponseSchema,
  getEventResponseSchema,
  getEventsResponseSchema,
  getLocationBoundResourceResponseSchema,
  getLocationResponseSchema,
  getMpidEligibilityResponseSchema,
  getReportResponseSchema,
  getResourceResponseSchema,
  getUserCompensationResponseSchema,
  getUserEligibilityResponseSchema,
  getUserEnrollmentResponseSchema,
  getUserResourcesResponseSchema,
  getUserResponseSchema,
  getUsersResponseSchema,
  getWebhookNotificationLogByIdResponseSchema,
  getWebhookNotificationLogsResponseSchema,
  getWebhookResponseSchema,
  getWebhooksResponseSchema,
  locationBoundResourceListSchema,
  locationListResponseSchema,
  mpidPathSchema,
  notificationPathSchema,
  pageQuerySchema,
  patchLocationRequestSchema,
  patchWebhookRequestSchema,
  postLocationBoundResourceRequestSchema,
  postLocationRequestSchema,
  postLocationsBatchRequestSchema,
  postLocationsBatchResponseSchema,
  postReportRequestSchema,
  postUserRequestSchema,
  postUsersBatchRequestSchema,
  postUsersBatchResponseSchema,
  postVehicleResourceRequestSchema,
  postWebhookRequestSchema,
  problemDetailsSchema,
  putLocationRequestSchema,
  putWebhookRequestSchema,
  resourcePathSchema,
  simulateEventResponseSchema,
  simulateLocationLpcEventRequestSchema,
  simulatePriceCurveEventRequestSchema,
  simulateResourceLpcEventRequestSchema,
  userLocationPathSchema,
  userPathSchema,
  webhookEnabledQuerySchema,
  webhookLogsQuerySchema,
  webhookPathSchema,
} from "@/server/api/schemas/energy-coordination-partner";
import { type RouteDefinition, defineRoute } from "./define-route";

const problem = {
  description: "The request is not valid: each offending field is named",
  schema: problemDetailsSchema,
  contentType: "application/problem+json",
};
const notFound = {
  description: "Not found in your organisation",
  schema: problemDetailsSchema,
  contentType: "application/problem+json",
};
const conflictResponse = {
  description: "Another location already has this id",
  schema: problemDetailsSchema,
  contentType: "application/problem+json",
};

export const getAllEvents = defineRoute({
  method: "get",
  path: "/events",
  operationId: "GetAllEvents",
  summary: "List events the platform produced for you, newest first",
  tags: ["Events"],
  permission: "coordination_events:read",
  request: { query: pageQuerySchema },
  responses: { 200: getEventsResponseSchema, 400: problem },
});

export const getEventById = defineRoute({
  method: "get",
  path: "/events/{eventId}",
  operationId: "GetEventById",
  summary: "Get one event",
  tags: ["Events"],
  permission: "coordination_events:read",
  request: { params: eventPathSchema },
  responses: { 200: getEventResponseSchema, 400: problem, 404: notFound },
});

export const postReport = defineRoute({
  method: "post",
  path: "/reports",
  operationId: "PostReport",
  summary: "Report energy usage, usage plans or answers to power-limit requests",
  tags: ["Reports"],
  permission: "coordination_reports:write",
  request: { body: postReportRequestSchema },
  responses: { 200: getReportResponseSchema, 400: problem },
});

export const getResourceById = defineRoute({
  method: "get",
  path: "/resources/{resourceId}",
  operationId: "GetResourceById",
  summary: "Get a resource",
  tags: ["Resources"],
  permission: "users:read",
  request: { params: resourcePathSchema },
  responses: { 200: getResourceResponseSchema, 400: problem, 404: notFound },
});

export const deleteResourceById = defineRoute({
  method: "delete",
  path: "/resources/{resourceId}",
  operationId: "DeleteResourceById",
  summary: "Delete a resource",
  tags: ["Resources"],
  permission: "users:write",
  request: { params: resourcePathSchema },
  responses: { 204: { description: "Done" }, 400: problem, 404: notFound },
});

export const postPriceCurveSimulation = defineRoute({
  method: "post",
  path: "/simulation/events/pricecurve",
  operationId: "PostPriceCurveSimulation",
  summary: "Simulate a price-curve event",
  tags: ["Simulation"],
  permission: "coordination_simulation:run",
  request: { body: simulatePriceCurveEventRequestSchema },
  responses: { 200: simulateEventResponseSchema, 400: problem },
});

export const postUserEligibilitySimulation = defineRoute({
  method: "post",
  path: "/simulation/events/usereligibility",
  operationId: "PostUserEligibilitySimulation",
  summary: "Simulate a user-eligibility event",
  tags: ["Programme"],
  permission: "coordination_simulation:run",
  responses: { 200: simulateEventResponseSchema },
});

export const postLPCLocationSimulation = defineRoute({
  method: "post",
  path: "/simulation/events/lpc/locations",
  operationId: "PostLPCLocationSimulation",
  summary: "Simulate a location power-limit event",
  tags: ["Locations"],
  permission: "coordination_simulation:run",
  request: { body: simulateLocationLpcEventRequestSchema },
  responses: { 200: simulateEventResponseSchema, 400: problem },
});

export const postLPCResourceSimulation = defineRoute({
  method: "post",
  path: "/simulation/events/lpc/resources",
  operationId: "PostLPCResourceSimulation",
  summary: "Simulate a resource power-limit event",
  tags: ["Simulation"],
  permission: "coordination_simulation:run",
  request: { body: simulateResourceLpcEventRequestSchema },
  responses: { 200: simulateEventResponseSchema, 400: problem },
});

export const postTenantDataSimulation = defineRoute({
  method: "post",
  path: "/simulation/partner",
  operationId: "PostTenantDataSimulation",
  summary: "Create sample users, locations and resources",
  tags: ["Simulation"],
  permission: "coordination_simulation:run",
  responses: { 201: { description: "Done" } },
});

export const deleteTenantDataSimulation = defineRoute({
  method: "delete",
  path: "/simulation/partner",
  operationId: "DeleteTenantDataSimulation",
  summary: "Delete the sample data and simulated events",
  tags: ["Simulation"],
  permission: "coordination_simulation:run",
  responses: { 200: { description: "Done" } },
});

export const getUsers = defineRoute({
  method: "get",
  path: "/users",
  operationId: "GetUsers",
  summary: "List users",
  tags: ["Users"],
  permission: "users:read",
  request: { query: pageQuerySchema },
  responses: { 200: getUsersResponseSchema, 400: problem },
});

export const postUser = defineRoute({
  method: "post",
  path: "/users",
  operationId: "PostUser",
  summary: "Register a user",
  tags: ["Users"],
  permission: "users:write",
  request: { body: postUserRequestSchema },
  responses: { 201: getUserResponseSchema, 400: problem },
});

export const getUserById = defineRoute({
  method: "get",
  path: "/users/{userId}",
  operationId: "GetUserById",
  summary: "Get a user",
  tags: ["Users"],
  permission: "users:read",
  request: { params: userPathSchema },
  responses: { 200: getUserResponseSchema, 400: problem, 404: notFound },
});

export const deleteUserById = defineRoute({
  method: "delete",
  path: "/users/{userId}",
  operationId: "DeleteUserById",
  summary: "Delete a user, offboarding its sites",
  tags: ["Users"],
  permission: "users:write",
  request: { params: userPathSchema },
  responses: { 204: { description: "Done" }, 400: problem, 404: notFound },
});

export const postUsers = defineRoute({
  method: "post",
  path: "/users/batch",
  operationId: "PostUsers",
  summary: "Register several users",
  tags: ["Users"],
  permission: "users:write",
  request: { body: postUsersBatchRequestSchema },
  responses: { 201: postUsersBatchResponseSchema, 400: problem },
});

export const getLocationsByUserId = defineRoute({
  method: "get",
  path: "/users/{userId}/locations",
  operationId: "GetLocationsByUserId",
  summary: "List a user's locations",
  tags: ["Locations"],
  permission: "users:read",
  request: { params: userPathSchema },
  responses: { 200: locationListResponseSchema, 400: problem, 404: notFound },
});

export const postLocation = defineRoute({
  method: "post",
  path: "/users/{userId}/locations",
  operationId: "PostLocation",
  summary: "Add a location to a user",
  tags: ["Locations"],
  permission: "users:write",
  request: { params: userPathSchema, body: postLocationRequestSchema },
  responses: { 201: getLocationResponseSchema, 400: problem, 404: notFound, 409: conflictResponse },
});

export const getLocationByLocationId = defineRoute({
  method: "get",
  path: "/users/{userId}/locations/{locationId}",
  operationId: "GetLocationByLocationId",
  summary: "Get a location",
  tags: ["Locations"],
  permission: "users:read",
  request: { params: userLocationPathSchema },
  responses: { 200: getLocationResponseSchema, 400: problem, 404: notFound },
});

export const updateLocation = defineRoute({
  method: "put",
  path: "/users/{userId}/locations/{locationId}",
  operationId: "UpdateLocation",
  summary: "Replace a location",
  tags: ["Locations"],
  permission: "users:write",
  request: { params: userLocationPathSchema, body: putLocationRequestSchema },
  responses: { 200: getLocationResponseSchema, 400: problem, 404: notFound },
});

export const patchLocation = defineRoute({
  method: "patch",
  path: "/users/{userId}/locations/{locationId}",
  operationId: "PatchLocation",
  summary: "Change some of a location's fields",
  tags: ["Locations"],
  permission: "users:write",
  request: { params: userLocationPathSchema, body: patchLocationRequestSchema },
  responses: { 200: getLocationResponseSchema, 400: problem, 404: notFound, 409: conflictResponse },
});

export const deleteLocation = defineRoute({
  method: "delete",
  path: "/users/{userId}/locations/{locationId}",
  operationId: "DeleteLocation",
  summary: "Delete a location and the resources bound to it",
  tags: ["Locations"],
  permission: "users:write",
  request: { params: userLocationPathSchema },
  responses: { 204: { description: "Done" }, 400: problem, 404: notFound },
});

export const postLocations = defineRoute({
  method: "post",
  path: "/users/locations/batch",
  operationId: "PostLocations",
  summary: "Add locations to several users",
  tags: ["Locations"],
  permission: "users:write",
  request: { body: postLocationsBatchRequestSchema },
  responses: { 201: postLocationsBatchResponseSchema, 400: problem },
});

export const postVehicle = defineRoute({
  method: "post",
  path: "/users/{userId}/vehicles",
  operationId: "PostVehicle",
  summary: "Register a user's vehicle",
  tags: ["Users"],
  permission: "users:write",
  request: { params: userPathSchema, body: postVehicleResourceRequestSchema },
  responses: { 201: getResourceResponseSchema, 400: problem, 404: notFound },
});

export const getResourcesForUser = defineRoute({
  method: "get",
  path: "/users/{userId}/resources",
  operationId: "GetResourcesForUser",
  summary: "List a user's resources",
  tags: ["Users"],
  permission: "users:read",
  request: { params: userPathSchema },
  responses: { 200: getUserResourcesResponseSchema, 400: problem, 404: notFound },
});

export const getLocationBoundResources = defineRoute({
  method: "get",
  path: "/users/{userId}/locations/{locationId}/resources",
  operationId: "GetLocationBoundResources",
  summary: "List the resources bound to a location",
  tags: ["Locations"],
  permission: "users:read",
  request: { params: userLocationPathSchema },
  responses: { 200: locationBoundResourceListSchema, 400: problem, 404: notFound },
});

export const postLocationBoundResource = defineRoute({
  method: "post",
  path: "/users/{userId}/locations/{locationId}/resources",
  operationId: "PostLocationBoundResource",
  summary: "Bind a resource to a location",
  tags: ["Locations"],
  permission: "users:write",
  request: { params: userLocationPathSchema, body: postLocationBoundResourceRequestSchema },
  responses: { 201: getLocationBoundResourceResponseSchema, 400: problem, 404: notFound },
});

export const getUserEnrollmentByUserId = defineRoute({
  method: "get",
  path: "/users/{userId}/enrollment",
  operationId: "GetUserEnrollmentByUserId",
  summary: "Get a user's enrolment",
  tags: ["Programme"],
  permission: "users:read",
  request: { params: userPathSchema },
  responses: { 200: getUserEnrollmentResponseSchema, 400: problem, 404: notFound },
});

export const postUserEnrollment = defineRoute({
  method: "post",
  path: "/users/{userId}/enrollment",
  operationId: "PostUserEnrollment",
  summary: "Enrol a user's eligible sites",
  tags: ["Programme"],
  permission: "users:write",
  request: { params: userPathSchema },
  responses: { 200: getUserEnrollmentResponseSchema, 400: problem, 404: notFound },
});

export const deleteUserEnrollment = defineRoute({
  method: "delete",
  path: "/users/{userId}/enrollment",
  operationId: "DeleteUserEnrollment",
  summary: "Unenrol a user's sites",
  tags: ["Programme"],
  permission: "users:write",
  request: { params: userPathSchema },
  responses: { 204: { description: "Done" }, 400: problem, 404: notFound },
});

export const getUserEligibilityByUserId = defineRoute({
  method: "get",
  path: "/users/{userId}/eligibility",
  operationId: "GetUserEligibilityByUserId",
  summary: "Whether a user can be enrolled",
  tags: ["Programme"],
  permission: "users:read",
  request: { params: userPathSchema },
  responses: { 200: getUserEligibilityResponseSchema, 400: problem, 404: notFound },
});

export const getEligibleUsers = defineRoute({
  method: "get",
  path: "/users/eligible",
  operationId: "GetEligibleUsers",
  summary: "List users that can be enrolled",
  tags: ["Programme"],
  permission: "users:read",
  request: { query: pageQuerySchema },
  responses: { 200: getEligibleUsersResponseSchema, 400: problem },
});

export const fetchUserCompensation = defineRoute({
  method: "get",
  path: "/users/{userId}/compensation",
  operationId: "FetchUserCompensation",
  summary: "A user's rewards this month, per location",
  tags: ["Programme"],
  permission: "users:read",
  request: { params: userPathSchema },
  responses: { 200: getUserCompensationResponseSchema, 400: problem, 404: notFound },
});

export const getMpidEligibility = defineRoute({
  method: "get",
  path: "/meters/{mpid}/eligible",
  operationId: "GetMpidEligibility",
  summary: "Whether a meter point is eligible",
  tags: ["Programme"],
  permission: "users:read",
  request: { params: mpidPathSchema },
  responses: { 200: getMpidEligibilityResponseSchema, 400: problem, 404: notFound },
});

export const getWebhooks = defineRoute({
  method: "get",
  path: "/webhooks",
  operationId: "GetWebhooks",
  summary: "List webhooks",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:read",
  responses: { 200: getWebhooksResponseSchema },
});

export const postWebhook = defineRoute({
  method: "post",
  path: "/webhooks",
  operationId: "PostWebhook",
  summary: "Register a webhook",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:manage",
  request: { body: postWebhookRequestSchema },
  responses: { 201: getWebhookResponseSchema, 400: problem },
});

export const getWebhookById = defineRoute({
  method: "get",
  path: "/webhooks/{webhookId}",
  operationId: "GetWebhookById",
  summary: "Get a webhook",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:read",
  request: { params: webhookPathSchema },
  responses: { 200: getWebhookResponseSchema, 400: problem, 404: notFound },
});

export const updateWebhookById = defineRoute({
  method: "put",
  path: "/webhooks/{webhookId}",
  operationId: "UpdateWebhookById",
  summary: "Replace a webhook",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:manage",
  request: { params: webhookPathSchema, body: putWebhookRequestSchema },
  responses: { 200: getWebhookResponseSchema, 400: problem, 404: notFound },
});

export const deleteWebhookById = defineRoute({
  method: "delete",
  path: "/webhooks/{webhookId}",
  operationId: "DeleteWebhookById",
  summary: "Delete a webhook",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:manage",
  request: { params: webhookPathSchema },
  responses: { 204: { description: "Done" }, 400: problem, 404: notFound },
});

export const patchWebhookById = defineRoute({
  method: "patch",
  path: "/webhooks/{webhookId}",
  operationId: "PatchWebhookById",
  summary: "Change some of a webhook's fields",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:manage",
  request: { params: webhookPathSchema, body: patchWebhookRequestSchema },
  responses: { 200: getWebhookResponseSchema, 400: problem, 404: notFound },
});

export const updateWebhookEnabledById = defineRoute({
  method: "put",
  path: "/webhooks/{webhookId}/enabled",
  operationId: "UpdateWebhookEnabledById",
  summary: "Enable or disable a webhook",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:manage",
  request: { params: webhookPathSchema, query: webhookEnabledQuerySchema },
  responses: { 204: { description: "Done" }, 400: problem, 404: notFound },
});

export const getWebhookNotificationLogs = defineRoute({
  method: "get",
  path: "/webhooks/logs",
  operationId: "GetWebhookNotificationLogs",
  summary: "List notification attempts",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:read",
  request: { query: webhookLogsQuerySchema },
  responses: { 200: getWebhookNotificationLogsResponseSchema, 400: problem },
});

export const getWebhookNotificationLogById = defineRoute({
  method: "get",
  path: "/webhooks/logs/{notificationId}",
  operationId: "GetWebhookNotificationLogById",
  summary: "A notification's latest attempt and its body",
  tags: ["Webhooks"],
  permission: "coordination_webhooks:read",
  request: { params: notificationPathSchema },
  responses: { 200: getWebhookNotificationLogByIdResponseSchema, 400: problem, 404: notFound },
});

export const energyCoordinationRoutes = [
  getAllEvents,
  getEventById,
  postReport,
  getResourceById,
  deleteResourceById,
  postPriceCurveSimulation,
  postUserEligibilitySimulation,
  postLPCLocationSimulation,
  postLPCResourceSimulation,
  postTenantDataSimulation,
  deleteTenantDataSimulation,
  getUsers,
  postUser,
  getUserById,
  deleteUserById,
  postUsers,
  getLocationsByUserId,
  postLocation,
  getLocationByLocationId,
  updateLocation,
  patchLocation,
  deleteLocation,
  postLocations,
  postVehicle,
  getResourcesForUser,
  getLocationBoundResources,
  postLocationBoundResource,
  getUserEnrollmentByUserId,
  postUserEnrollment,
  deleteUserEnrollment,
  getUserEligibilityByUserId,
  getEligibleUsers,
  fetchUserCompensation,
  getMpidEligibility,
  getWebhooks,
  postWebhook,
  getWebhookById,
  updateWebhookById,
  deleteWebhookById,
  patchWebhookById,
  updateWebhookEnabledById,
  getWebhookNotificationLogs,
  getWebhookNotificationLogById,
] as const satisfies readonly RouteDefinition[];
