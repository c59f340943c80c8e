import { inventoryHandlers as h } from "@/server/api/rest/inventory";
import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const GET = h.listVehicles;
export const POST = ec.PostVehicle;
