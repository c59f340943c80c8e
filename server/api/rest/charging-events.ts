// Partner charging events (plug-in/out, intent, tariff, charge-now, generic) and GET intent.
import type { RouteDefinition } from "@/server/api/openapi/define-route";

export const chargingEventHandlers: Record<string, (request: Request) => Promise<Response>> = {};

/** Routes with handlers here; only these are published. */
export const implementedChargingEventRoutes: readonly RouteDefinition[] = [];
