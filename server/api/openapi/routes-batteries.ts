// Battery routes: OEM credentials per site (entities dialect) and batteries,
// operation-mode Actions (battery-control dialect).
import { z } from "zod";
import { errorWithDetailSchema, httpValidationErrorSchema, siteIdParamsSchema, uuidSchema } from "@/server/api/schemas/entities-common";
import { OEMS, OPERATION_MODES } from "@/server/oem/types";
import { defineRoute } from "./define-route";

const notFound = { description: "Not found in your organisation", schema: errorWithDetailSchema };
const batteryTags = ["Batteries"] as const;

export const siteAuthTokenRequestSchema = z
  .object({
    oem: z
      .enum(OEMS)
      .optional()
      .describe(
        "Extension, optional: which OEM cloud the token is for. When absent it is resolved from the site's asset models, then the API client's configured OEM, then by asking each supported cloud",
      ),
    access_token: z.string().min(1).max(4096).describe('The API key; for Solis and Sigenergy "<key id>:<secret>"'),
    refresh_token: z.string().min(1).max(4096).optional().describe("For Bearer tokens that can be refreshed; not needed for API_KEY"),
    token_type: z.enum(["API_KEY", "Bearer"]).default("API_KEY").describe("Kind of token; API_KEY when absent"),
    expires_utc: z.iso.datetime({ offset: true }).optional().describe("When the token expires (UTC)"),
    expires_in: z.number().int().positive().optional().describe("Seconds until the token expires"),
  })
  .meta({ id: "SiteAuthTokenRequest", description: "An OEM credential for the site's battery. Stored encrypted and never returned." });

export const siteAuthTokenResponseSchema = z
  .object({
    site_id: uuidSchema,
    oem: z.enum(OEMS),
    token_type: z.enum(["API_KEY", "Bearer"]),
    last_four: z.string().describe("Last four characters of the access token"),
    expires_utc: z.string().nullable(),
    status: z.enum(["valid", "expiring", "expired", "rejected"]),
  })
  .meta({ id: "SiteAuthTokenResponse", description: "What is stored: never the token itself." });

export const operationModeSchema = z.enum(OPERATION_MODES).meta({ id: "BatteryOperationMode" });

export const chargeStateSchema = z
  .object({
    status: z.enum(["CHARGING", "DISCHARGING", "IDLE", "FAULT", "UNKNOWN"]),
    chargeRate: z.number().nullable().describe("kW, positive while charging"),
    batteryLevel: z.number().nullable().describe("State of charge, %"),
    dischargeLimit: z.number().nullable().describe("The battery does not discharge below this SoC, %"),
    batteryCapacity: z.number().nullable().describe("kWh"),
    lastUpdated: z.string().nullable(),
  })
  .meta({ id: "BatteryChargeState" });

export const batterySchema = z
  .object({
    id: uuidSchema,
    userId: uuidSchema.describe("The site"),
    vendor: z.string().nullable(),
    isReachable: z.boolean(),
    lastSeen: z.string().nullable(),
    chargeState: chargeStateSchema,
    config: z.object({ operationMode: operationModeSchema.nullable() }),
    information: z.object({ deviceId: z.string().nullable(), externalId: z.string() }),
  })
  .meta({ id: "Battery" });

export const batteryListSchema = z.object({ data: z.array(batterySchema), pagination: z.object({ after: z.string().nullable(), before: z.string().nullable() }) }).meta({ id: "BatteryList" });

export const actionSchema = z
  .object({
    id: uuidSchema,
    userId: uuidSchema,
    vendor: z.string().nullable(),
    state: z.enum(["PENDING", "CONFIRMED", "FAILED", "CANCELLED"]),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
    targetId: uuidSchema,
    targetType: z.literal("battery"),
    kind: z.literal("SET_OPERATION_MODE"),
    targetState: z.object({ operationMode: operationModeSchema }),
    failureReason: z.object({ type: z.string(), detail: z.string() }).nullable(),
  })
  .meta({ id: "BatteryAction", description: "PENDING until the battery reports the mode (CONFIRMED), FAILED after the deadline, CANCELLED by a newer action or a cancel." });

const batteryParams = z.object({ batteryId: uuidSchema });

export const addSiteAuthToken = defineRoute({
  method: "post",
  path: "/entities/site/{site_id}/token",
  operationId: "add_site_auth_token_entities_site__site_id__token_post",
  summary: "Give the platform an OEM credential for the site",
  description: "The credential is checked with the OEM first; a refusal answers 422 naming the reason.",
  tags: ["Sites"],
  permission: "credentials:write",
  request: { params: siteIdParamsSchema, body: siteAuthTokenRequestSchema },
  responses: { 200: siteAuthTokenResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const listBatteriesRoute = defineRoute({
  method: "get",
  path: "/batteries",
  operationId: "listBatteries",
  summary: "List batteries with live state",
  tags: batteryTags,
  permission: "sites:read",
  responses: { 200: batteryListSchema },
});

export const getBatteryRoute = defineRoute({
  method: "get",
  path: "/batteries/{batteryId}",
  operationId: "getBattery",
  summary: "Get a battery with live state",
  tags: batteryTags,
  permission: "sites:read",
  request: { params: batteryParams },
  responses: { 200: batterySchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const setOperationModeRoute = defineRoute({
  method: "post",
  path: "/batteries/{batteryId}/operation-mode",
  operationId: "setBatteryOperationMode",
  summary: "Set a battery's operation mode (creates an Action)",
  description: "Needs the site's dispatch consent for full_asset_control; a newer action cancels a pending one.",
  tags: batteryTags,
  permission: "batteries:control",
  request: { params: batteryParams, body: z.object({ operationMode: operationModeSchema }).meta({ id: "BatteryOperationModeRequest" }) },
  responses: { 200: actionSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const getActionRoute = defineRoute({
  method: "get",
  path: "/batteries/actions/{actionId}",
  operationId: "getBatteryAction",
  summary: "Get a battery action",
  tags: batteryTags,
  permission: "sites:read",
  request: { params: z.object({ actionId: uuidSchema }) },
  responses: { 200: actionSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const cancelActionRoute = defineRoute({
  method: "post",
  path: "/batteries/{batteryId}/actions/{actionId}/cancel",
  operationId: "cancelBatteryAction",
  summary: "Cancel a pending battery action",
  tags: batteryTags,
  permission: "batteries:control",
  request: { params: z.object({ batteryId: uuidSchema, actionId: uuidSchema }) },
  responses: { 200: actionSchema, 404: notFound, 409: { description: "The action is already final", schema: errorWithDetailSchema }, 422: httpValidationErrorSchema },
});

export const batteryRoutes = [addSiteAuthToken, listBatteriesRoute, getBatteryRoute, setOperationModeRoute, getActionRoute, cancelActionRoute];
