import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const GET = ec.GetUserEnrollmentByUserId;
export const POST = ec.PostUserEnrollment;
export const DELETE = ec.DeleteUserEnrollment;
