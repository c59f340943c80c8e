import { chargingEventHandlers as h } from "@/server/api/rest/charging-events";

export const POST = h.postChargeNowDeletedEvent;
