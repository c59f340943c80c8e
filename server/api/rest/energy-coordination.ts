// Handlers of the energy-coordination dialect: validate (the adapter), call one service, shape the
// reply as published. Errors leave in the dialect's shape: RFC 9457 problems, a bad request as 400
// with the offending fields named (e.g. `payloads[0].resolution`).
import * as routes from "@/server/api/openapi/routes-energy-coordination";
import type { RouteDefinition } from "@/server/api/openapi/define-route";
import type { ValidationErrorItem } from "@/server/api/schemas/entities-common";
import * as events from "@/server/services/energy-coordination/events";
import * as inventory from "@/server/services/energy-coordination/inventory";
import * as programme from "@/server/services/energy-coordination/programme";
import { postReport } from "@/server/services/energy-coordination/reports";
import * as simulation from "@/server/services/energy-coordination/simulation";
import * as webhooks from "@/server/services/energy-coordination/webhooks";
import { restHandler, type OperationHandler, type RestHandlerOptions, type RestReply } from "./rest-handler";

const TITLES: Record<number, string> = {
  400: "The request is not valid",
  404: "Not found",
  409: "Conflict",
  429: "Too many requests",
  500: "Something went wrong on our side",
};

/** ["body", "payloads", 0, "resolution"] -> "payloads[0].resolution" (the request part is implied). */
function fieldName(loc: readonly (string | number)[]): string {
  const parts =
    ["body", "query", "path", "header"].includes(String(loc[0])) && loc.length > 1 ? loc.slice(1) : loc;
  return parts.reduce<string>(
    (name, part) => (typeof part === "number" ? `${name}[${part}]` : name === "" ? part : `${name}.${part}`),
    "",
  );
}

/**
 * Our error replies ({detail: string}, or the located 422 list) as the dialect's problem documents.
 * 401, 403 and the transport's 413 and 415 keep the shape every dialect of this API shares
 * (documented once for all routes).
 */
function asProblem(reply: RestReply): RestReply {
  if ([401, 403, 413, 415].includes(reply.status)) return reply;
  const status = reply.status === 422 ? 400 : reply.status;
  const title = TITLES[status] ?? "Request failed";
  const found = (reply.body as { detail?: unknown } | undefined)?.detail;
  let detail = typeof found === "string" ? found : title;
  let errors: Record<string, string[]> | undefined;
  if (Array.isArray(found)) {
    // Field names come from the request ("constructor", "__proto__"): a map, not an object's prototype chain.
    const byField = new Map<string, string[]>();
    for (const item of found as ValidationErrorItem[]) {
      // Unparseable JSON is located at a character position, which names no field.
      const field = (item.type === "json_invalid" ? "" : fieldName(item.loc)) || "body";
      byField.set(field, [...(byField.get(field) ?? []), item.msg]);
    }
    errors = Object.fromEntries(byField);
    detail = [...byField].map(([field, messages]) => `${field}: ${messages.join("; ")}`).join(" ");
  }
  return {
    status,
    body: { type: `https://www.rfc-editor.org/rfc/rfc9110#status.${status}`, title, status, detail, ...(errors ? { errors } : {}) },
    headers: { ...reply.headers, "content-type": "application/problem+json" },
  };
}

function coordinationHandler<R extends RouteDefinition>(options: RestHandlerOptions<R>): OperationHandler {
  return restHandler({ ...options, errorShape: asProblem });
}

const pagination = (total: number, page: number, pageSize: number) => {
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  return {
    totalRecords: total,
    pageSize,
    currentPage: page,
    totalPages,
    nextPage: page < totalPages ? page + 1 : null,
    previousPage: page > 1 ? Math.min(page - 1, totalPages) : null,
  };
};

const eventToWire = (event: events.CoordinationEvent) => ({
  id: event.id,
  createdAt: event.createdAt.toISOString(),
  payload: event.payload as never,
});

const webhookToWire = (webhook: webhooks.CoordinationWebhook) => ({
  webhookId: webhook.webhookId,
  webhookUrl: webhook.webhookUrl,
  name: webhook.name,
  notificationTypes: webhook.notificationTypes as never[],
  enabled: webhook.enabled,
  status: webhook.status,
  createdDate: webhook.createdDate.toISOString(),
  modifiedDate: webhook.modifiedDate.toISOString(),
  ...(webhook.lastAnalyzedTimestamp
    ? { lastAnalyzedTimestamp: webhook.lastAnalyzedTimestamp.toISOString() }
    : {}),
});

const logToWire = (entry: webhooks.NotificationLogEntry) => ({
  webhookId: entry.webhookId,
  tenantId: entry.tenantId,
  partnerEventId: entry.partnerEventId,
  notificationId: entry.notificationId,
  notificationType: entry.notificationType as never,
  notificationSent: entry.notificationSent.toISOString(),
  sparkSignature: entry.sparkSignature,
  webhookUrl: entry.webhookUrl,
  requestTimeout: entry.requestTimeout,
  responseStatusCode: entry.responseStatusCode,
  requestDurationMs: entry.requestDurationMs,
});

const locationToWire = (view: inventory.LocationView) => ({
  ...view,
  locationType: view.locationType as never,
});
const resourceToWire = <T extends inventory.ResourceView>(view: T) => ({
  ...view,
  resourceType: view.resourceType as never,
});
const meterPoints = (body: {
  meterPointId?: string | null | undefined;
  meterPointIds?: string[] | null | undefined;
}) => body.meterPointIds ?? (body.meterPointId ? [body.meterPointId] : undefined);

export const energyCoordinationHandlers: Record<string, OperationHandler> = {
  GetAllEvents: coordinationHandler({
    route: routes.getAllEvents,
    handler: async ({ ctx, query }) => {
      const page = await events.listCoordinationEvents(ctx, query);
      return {
        status: 200,
        body: {
          pagination: pagination(page.total, query.page, query.pageSize),
          events: page.items.map(eventToWire),
        },
      };
    },
  }),
  GetEventById: coordinationHandler({
    route: routes.getEventById,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: eventToWire(await events.getCoordinationEvent(ctx, params.eventId)),
    }),
  }),
  PostReport: coordinationHandler({
    route: routes.postReport,
    handler: async ({ ctx, body }) => {
      const report = await postReport(ctx, body);
      return {
        status: 200,
        body: { id: report.id, eventId: report.eventId, createdAt: report.createdAt.toISOString() },
      };
    },
  }),
  GetResourceById: coordinationHandler({
    route: routes.getResourceById,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: resourceToWire(await inventory.getResource(ctx, params.resourceId)),
    }),
  }),
  DeleteResourceById: coordinationHandler({
    route: routes.deleteResourceById,
    handler: async ({ ctx, params }) => {
      await inventory.deleteResource(ctx, params.resourceId);
      return { status: 204 };
    },
  }),
  PostPriceCurveSimulation: coordinationHandler({
    route: routes.postPriceCurveSimulation,
    handler: async ({ ctx, body }) => ({
      status: 200,
      body: { simulatedEvent: eventToWire(await simulation.simulatePriceCurve(ctx, body)) },
    }),
  }),
  PostUserEligibilitySimulation: coordinationHandler({
    route: routes.postUserEligibilitySimulation,
    handler: async ({ ctx }) => ({
      status: 200,
      body: { simulatedEvent: eventToWire(await simulation.simulateUserEligibility(ctx)) },
    }),
  }),
  PostLPCLocationSimulation: coordinationHandler({
    route: routes.postLPCLocationSimulation,
    handler: async ({ ctx, body }) => ({
      status: 200,
      body: { simulatedEvent: eventToWire(await simulation.simulateLocationLimits(ctx, body)) },
    }),
  }),
  PostLPCResourceSimulation: coordinationHandler({
    route: routes.postLPCResourceSimulation,
    handler: async ({ ctx, body }) => ({
      status: 200,
      body: { simulatedEvent: eventToWire(await simulation.simulateResourceLimits(ctx, body)) },
    }),
  }),
  PostTenantDataSimulation: coordinationHandler({
    route: routes.postTenantDataSimulation,
    handler: async ({ ctx }) => {
      await simulation.createSimulatedPartnerData(ctx);
      return { status: 201 };
    },
  }),
  DeleteTenantDataSimulation: coordinationHandler({
    route: routes.deleteTenantDataSimulation,
    handler: async ({ ctx }) => {
      await simulation.deleteSimulatedPartnerData(ctx);
      return { status: 200 };
    },
  }),
  GetUsers: coordinationHandler({
    route: routes.getUsers,
    handler: async ({ ctx, query }) => {
      const page = await inventory.listUsers(ctx, query);
      return {
        status: 200,
        body: { pagination: pagination(page.total, page.page, page.pageSize), users: page.items },
      };
    },
  }),
  PostUser: coordinationHandler({
    route: routes.postUser,
    handler: async ({ ctx, body }) => {
      await inventory.registerUsers(ctx, [body.userId]);
      return { status: 201, body: { userId: body.userId } };
    },
  }),
  GetUserById: coordinationHandler({
    route: routes.getUserById,
    handler: async ({ ctx, params }) => ({ status: 200, body: await inventory.getUser(ctx, params.userId) }),
  }),
  DeleteUserById: coordinationHandler({
    route: routes.deleteUserById,
    handler: async ({ ctx, params }) => {
      await inventory.deleteUser(ctx, params.userId);
      return { status: 204 };
    },
  }),
  PostUsers: coordinationHandler({
    route: routes.postUsers,
    handler: async ({ ctx, body }) => {
      const ids = await inventory.registerUsers(
        ctx,
        body.users.map((user) => user.userId),
      );
      return { status: 201, body: { users: ids.map((userId) => ({ userId })) } };
    },
  }),
  GetLocationsByUserId: coordinationHandler({
    route: routes.getLocationsByUserId,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: (await inventory.listLocations(ctx, params.userId)).map(locationToWire),
    }),
  }),
  PostLocation: coordinationHandler({
    route: routes.postLocation,
    handler: async ({ ctx, params, body }) => ({
      status: 201,
      body: locationToWire(
        await inventory.createLocation(ctx, params.userId, { ...body, meterPointIds: meterPoints(body) }),
      ),
    }),
  }),
  GetLocationByLocationId: coordinationHandler({
    route: routes.getLocationByLocationId,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: locationToWire(await inventory.getLocation(ctx, params.userId, params.locationId)),
    }),
  }),
  UpdateLocation: coordinationHandler({
    route: routes.updateLocation,
    handler: async ({ ctx, params, body }) => {
      if (body.locationId !== params.locationId) {
        return {
          status: 422,
          body: {
            detail: [
              {
                loc: ["body", "locationId"],
                msg: "Must be the id in the path; a location's id cannot change.",
                type: "value_error",
              },
            ],
          },
        };
      }
      return {
        status: 200,
        body: locationToWire(
          await inventory.updateLocation(
            ctx,
            params.userId,
            params.locationId,
            { ...body, meterPointIds: meterPoints(body) ?? null },
            false,
          ),
        ),
      };
    },
  }),
  PatchLocation: coordinationHandler({
    route: routes.patchLocation,
    handler: async ({ ctx, params, body }) => ({
      status: 200,
      body: locationToWire(await inventory.updateLocation(ctx, params.userId, params.locationId, body, true)),
    }),
  }),
  DeleteLocation: coordinationHandler({
    route: routes.deleteLocation,
    handler: async ({ ctx, params }) => {
      await inventory.deleteLocation(ctx, params.userId, params.locationId);
      return { status: 204 };
    },
  }),
  PostLocations: coordinationHandler({
    route: routes.postLocations,
    handler: async ({ ctx, body }) => ({
      status: 201,
      body: {
        locations: (
          await inventory.createLocations(
            ctx,
            body.locations.map((location) => ({ ...location, meterPointIds: meterPoints(location) })),
          )
        ).map(locationToWire),
      },
    }),
  }),
  PostVehicle: coordinationHandler({
    route: routes.postVehicle,
    handler: async ({ ctx, params, body }) => ({
      status: 201,
      body: resourceToWire(await inventory.registerVehicle(ctx, params.userId, body)),
    }),
  }),
  GetResourcesForUser: coordinationHandler({
    route: routes.getResourcesForUser,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: { resources: (await inventory.listUserResources(ctx, params.userId)).map(resourceToWire) },
    }),
  }),
  GetLocationBoundResources: coordinationHandler({
    route: routes.getLocationBoundResources,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: (await inventory.listLocationResources(ctx, params.userId, params.locationId)).map(
        resourceToWire,
      ),
    }),
  }),
  PostLocationBoundResource: coordinationHandler({
    route: routes.postLocationBoundResource,
    handler: async ({ ctx, params, body }) => ({
      status: 201,
      body: resourceToWire(
        await inventory.registerLocationResource(ctx, params.userId, params.locationId, body),
      ),
    }),
  }),
  GetUserEnrollmentByUserId: coordinationHandler({
    route: routes.getUserEnrollmentByUserId,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: enrolmentToWire(await programme.getUserEnrolment(ctx, params.userId)),
    }),
  }),
  PostUserEnrollment: coordinationHandler({
    route: routes.postUserEnrollment,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: enrolmentToWire(await programme.enrolUser(ctx, params.userId)),
    }),
  }),
  DeleteUserEnrollment: coordinationHandler({
    route: routes.deleteUserEnrollment,
    handler: async ({ ctx, params }) => {
      await programme.unenrolUser(ctx, params.userId);
      return { status: 204 };
    },
  }),
  GetUserEligibilityByUserId: coordinationHandler({
    route: routes.getUserEligibilityByUserId,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: await programme.getUserEligibility(ctx, params.userId),
    }),
  }),
  GetEligibleUsers: coordinationHandler({
    route: routes.getEligibleUsers,
    handler: async ({ ctx, query }) => {
      const page = await programme.listEligibleUsers(ctx, query);
      return {
        status: 200,
        body: { pagination: pagination(page.total, page.page, page.pageSize), users: page.items },
      };
    },
  }),
  FetchUserCompensation: coordinationHandler({
    route: routes.fetchUserCompensation,
    handler: async ({ ctx, params }) => {
      const result = await programme.getUserCompensation(ctx, params.userId);
      return {
        status: 200,
        body: {
          userId: result.userId,
          period: result.period,
          locationCompensations: result.locations.map((l) => ({
            locationId: l.locationId,
            meterPointIds: l.meterPointIds,
            activeAmount: l.activePence / 100,
            blockedAmount: l.blockedPence / 100,
            currency: "GBP",
            problems: l.problems,
          })),
        },
      };
    },
  }),
  GetMpidEligibility: coordinationHandler({
    route: routes.getMpidEligibility,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: await programme.getMeterPointEligibility(ctx, params.mpid),
    }),
  }),
  GetWebhooks: coordinationHandler({
    route: routes.getWebhooks,
    handler: async ({ ctx }) => ({
      status: 200,
      body: { webhooks: (await webhooks.listCoordinationWebhooks(ctx)).map(webhookToWire) },
    }),
  }),
  PostWebhook: coordinationHandler({
    route: routes.postWebhook,
    handler: async ({ ctx, body }) => ({
      status: 201,
      body: webhookToWire(await webhooks.createCoordinationWebhook(ctx, body)),
    }),
  }),
  GetWebhookById: coordinationHandler({
    route: routes.getWebhookById,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: webhookToWire(await webhooks.getCoordinationWebhook(ctx, params.webhookId)),
    }),
  }),
  UpdateWebhookById: coordinationHandler({
    route: routes.updateWebhookById,
    handler: async ({ ctx, params, body }) => ({
      status: 200,
      body: webhookToWire(await webhooks.updateCoordinationWebhook(ctx, params.webhookId, body, false)),
    }),
  }),
  DeleteWebhookById: coordinationHandler({
    route: routes.deleteWebhookById,
    handler: async ({ ctx, params }) => {
      await webhooks.deleteCoordinationWebhook(ctx, params.webhookId);
      return { status: 204 };
    },
  }),
  PatchWebhookById: coordinationHandler({
    route: routes.patchWebhookById,
    handler: async ({ ctx, params, body }) => ({
      status: 200,
      body: webhookToWire(await webhooks.updateCoordinationWebhook(ctx, params.webhookId, body, true)),
    }),
  }),
  UpdateWebhookEnabledById: coordinationHandler({
    route: routes.updateWebhookEnabledById,
    handler: async ({ ctx, params, query }) => {
      await webhooks.setCoordinationWebhookEnabled(ctx, params.webhookId, query.enabled);
      return { status: 204 };
    },
  }),
  GetWebhookNotificationLogs: coordinationHandler({
    route: routes.getWebhookNotificationLogs,
    handler: async ({ ctx, query }) => {
      const page = await webhooks.listNotificationLog(ctx, query);
      return {
        status: 200,
        body: {
          webhookNotificationLogs: page.items.map(logToWire),
          pagination: pagination(page.total, query.page, query.pageSize),
        },
      };
    },
  }),
  GetWebhookNotificationLogById: coordinationHandler({
    route: routes.getWebhookNotificationLogById,
    handler: async ({ ctx, params }) => {
      const entry = await webhooks.getNotificationLog(ctx, params.notificationId);
      return {
        status: 200,
        body: { webhookNotificationLog: logToWire(entry), notificationContent: entry.body },
      };
    },
  }),
};

function enrolmentToWire(enrolment: programme.UserEnrolment) {
  return {
    userId: enrolment.userId,
    isEnrolled: enrolment.isEnrolled,
    enrollmentId: enrolment.enrollmentId,
    enrollmentDate: enrolment.enrollmentDate?.toISOString() ?? null,
  };
}
