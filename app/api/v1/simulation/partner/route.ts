import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const POST = ec.PostTenantDataSimulation;
export const DELETE = ec.DeleteTenantDataSimulation;
