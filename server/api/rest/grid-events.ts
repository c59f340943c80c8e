// Partner dispatch callbacks for grid events.
import type { RouteDefinition } from "@/server/api/openapi/define-route";

export const gridEventHandlers: Record<string, (request: Request) => Promise<Response>> = {};

/** Routes with handlers here; only these are published. */
export const implementedGridEventRoutes: readonly RouteDefinition[] = [];
