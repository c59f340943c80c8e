import { inventoryHandlers as h } from "@/server/api/rest/inventory";
import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const POST = h.createResource;
export const GET = ec.GetResourcesForUser;
