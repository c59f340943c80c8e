import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const GET = ec.GetResourceById;
export const DELETE = ec.DeleteResourceById;
