import { gridEventHandlers as h } from "@/server/api/rest/grid-events";

export const POST = h.reportEventHandlingStatus;
