import { energyCoordinationHandlers as ec } from "@/server/api/rest/energy-coordination";

export const GET = ec.GetWebhookById;
export const PUT = ec.UpdateWebhookById;
export const DELETE = ec.DeleteWebhookById;
export const PATCH = ec.PatchWebhookById;
