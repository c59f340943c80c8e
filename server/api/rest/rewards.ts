// Rewards, flex events and battery schedules.
import type { RouteDefinition } from "@/server/api/openapi/define-route";

export const rewardHandlers: Record<string, (request: Request) => Promise<Response>> = {};

/** Routes with handlers here; only these are published. */
export const implementedRewardRoutes: readonly RouteDefinition[] = [];
