// The published example payloads (a dispatch event, an OCPP charging profile) and the caller's own
// identity (GET /auth/users/me/): reads that need a valid token and nothing else.
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "@/server/api/openapi/define-route";
import { isoDateTimeSchema, uuidSchema } from "@/server/api/schemas/entities-common";
import { describeCurrentApiUser } from "@/server/services/api-clients/current-client";
import { exampleDispatchEvent, exampleOcppChargingProfile } from "@/server/services/examples/examples";
import { restHandler, type OperationHandler } from "./rest-handler";

export const dispatchEventSchema = z
  .object({
    asset_id: uuidSchema,
    event_id: uuidSchema,
    issued_timestamp: isoDateTimeSchema,
    event_timestamp: isoDateTimeSchema,
    market_id: z.string(),
    level_kw: z.number().describe("Power the asset should output: positive exports (turn-down), negative imports (turn-up)"),
    from_time: isoDateTimeSchema,
    to_time: isoDateTimeSchema,
    update_status_callback: z.string().describe("Where to report how the asset handles the event"),
  })
  .meta({ id: "DispatchEvent", description: "What a partner's webhook receives when one of its assets is dispatched in a grid event." });

const chargingSchedulePeriodSchema = z.object({ startPeriod: z.number().int(), limit: z.number(), numberPhases: z.number().int().optional() });
export const setChargingProfileRequestSchema = z
  .object({
    connectorId: z.number().int(),
    csChargingProfiles: z.object({
      chargingProfileId: z.number().int(),
      transactionId: z.number().int().optional(),
      stackLevel: z.number().int(),
      chargingProfilePurpose: z.enum(["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"]),
      chargingProfileKind: z.enum(["Absolute", "Recurring", "Relative"]),
      recurrencyKind: z.enum(["Daily", "Weekly"]).optional(),
      validFrom: z.string().optional(),
      validTo: z.string().optional(),
      chargingSchedule: z.object({
        duration: z.number().int().optional(),
        startSchedule: z.string().optional(),
        chargingRateUnit: z.enum(["W", "A"]),
        chargingSchedulePeriod: z.array(chargingSchedulePeriodSchema),
        minChargingRate: z.number().optional(),
      }),
    }),
  })
  .meta({ id: "SetChargingProfileRequest", description: "An OCPP 1.6 SetChargingProfile request, as pushed to a partner's schedule endpoint." });

export const currentUserSchema = z
  .object({
    username: z.string(),
    roles: z.array(z.string()).describe("Derived from the token's scopes: entity_read, entity_write, rewards, lookup, metrics_write, components"),
  })
  .meta({ id: "ApiUser", description: "The API client a bearer token belongs to, and what it may do." });

export const exampleDispatchEventRoute = defineRoute({
  method: "get",
  path: "/examples/dispatch-event",
  operationId: "get_example_dispatch_event_examples_dispatch_event_get",
  summary: "An example dispatch event",
  description: "Built by the same code that builds real dispatch webhooks, with placeholder ids.",
  tags: ["Examples"],
  permission: "api:identity",
  responses: { 200: dispatchEventSchema },
});

export const exampleOcppChargingProfileRoute = defineRoute({
  method: "get",
  path: "/examples/ocpp-charging-profile",
  operationId: "get_example_ocpp_charging_profile_examples_ocpp_charging_profile_get",
  summary: "An example OCPP charging profile",
  description: "Built by the same code that builds real schedule pushes, and valid against the official OCPP 1.6 schema.",
  tags: ["Examples"],
  permission: "api:identity",
  responses: { 200: setChargingProfileRequestSchema },
});

export const currentUserRoute = defineRoute({
  method: "get",
  path: "/auth/users/me/",
  operationId: "read_users_me_auth_users_me__get",
  summary: "Who this token belongs to",
  tags: ["Auth"],
  permission: "api:identity",
  responses: { 200: currentUserSchema },
});

export const exampleHandlers: Record<string, OperationHandler> = {
  exampleDispatchEvent: restHandler({
    route: exampleDispatchEventRoute,
    handler: async ({ ctx }) => ({ status: 200, body: exampleDispatchEvent(ctx, new Date()) }),
  }),
  exampleOcppChargingProfile: restHandler({
    route: exampleOcppChargingProfileRoute,
    handler: async ({ ctx }) => ({ status: 200, body: exampleOcppChargingProfile(ctx, new Date()) }),
  }),
  currentUser: restHandler({
    route: currentUserRoute,
    handler: async ({ ctx }) => ({ status: 200, body: describeCurrentApiUser(ctx) }),
  }),
};

export const exampleRoutes: readonly RouteDefinition[] = [exampleDispatchEventRoute, exampleOcppChargingProfileRoute, currentUserRoute];
