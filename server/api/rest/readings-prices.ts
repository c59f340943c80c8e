// Readings ingest, market price curves and the Flex Lite plug-in schedule.
import type { RouteDefinition } from "@/server/api/openapi/define-route";

export const readingsPriceHandlers: Record<string, (request: Request) => Promise<Response>> = {};

/** Routes with handlers here; only these are published. */
export const implementedReadingsPriceRoutes: readonly RouteDefinition[] = [];
