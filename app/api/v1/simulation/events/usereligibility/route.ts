import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const POST = ec.PostUserEligibilitySimulation;
