import { batteryHandlers as h } from "@/server/api/rest/batteries";

export const GET = h.getBattery;
