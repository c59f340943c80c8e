import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const GET = ec.GetLocationByLocationId;
export const PUT = ec.UpdateLocation;
export const PATCH = ec.PatchLocation;
export const DELETE = ec.DeleteLocation;
