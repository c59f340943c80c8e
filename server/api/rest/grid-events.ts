// Partner dispatch callbacks for grid events: a partner that received a dispatch webhook reports
// how its asset is handling the event (RECEIVED, ACCEPTED, REJECTED, FAILED, EXECUTED).
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "@/server/api/openapi/define-route";
import { errorWithDetailSchema, httpValidationErrorSchema, uuidSchema } from "@/server/api/schemas/entities-common";
import { eventStatusReportSchema } from "@/server/api/schemas/entities-asset-events";
import { recordPartnerCallback } from "@/server/services/grid-events/callbacks";
import { restHandler, type OperationHandler } from "./rest-handler";

export const eventCallbackRoute = defineRoute({
  method: "post",
  path: "/entities/asset/{asset_id}/callback/{event_id}",
  operationId: "event_handling_status_update_entities_asset__asset_id__callback__event_id__post",
  summary: "Report how an asset is handling a dispatched event",
  description:
    "The URL arrives as update_status_callback in the dispatch webhook. Reports are kept in order; a final report (REJECTED, FAILED, EXECUTED) is not overridden by a later RECEIVED or ACCEPTED. 404 when the asset or event is unknown to your organisation or the asset is not part of the event. With asset_id_is_external=true the asset_id is your external id.",
  tags: ["Assets"],
  permission: "grid_events:write",
  request: {
    params: z.object({ asset_id: uuidSchema, event_id: z.string().min(1).max(100) }),
    query: z.object({ asset_id_is_external: z.stringbool().optional().describe("asset_id is the partner's external id") }),
    body: eventStatusReportSchema,
  },
  responses: {
    200: eventStatusReportSchema,
    404: { description: "Unknown asset or event, or the asset is not part of the event", schema: errorWithDetailSchema },
    422: httpValidationErrorSchema,
  },
});

export const gridEventHandlers: Record<string, OperationHandler> = {
  reportEventHandlingStatus: restHandler({
    route: eventCallbackRoute,
    handler: async ({ ctx, params, query, body }) => {
      const recorded = await recordPartnerCallback(ctx, {
        assetId: params.asset_id,
        eventId: params.event_id,
        status: body.status,
        timestamp: new Date(body.timestamp),
        assetIdIsExternal: query.asset_id_is_external ?? false,
      });
      return { status: 200, body: { timestamp: recorded.timestamp.toISOString(), status: recorded.status } };
    },
  }),
};

/** Routes with handlers here; only these are published. */
export const implementedGridEventRoutes: readonly RouteDefinition[] = [eventCallbackRoute];
