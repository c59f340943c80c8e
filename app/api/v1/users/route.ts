import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const GET = ec.GetUsers;
export const POST = ec.PostUser;
