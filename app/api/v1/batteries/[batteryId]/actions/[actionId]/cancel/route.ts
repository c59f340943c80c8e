import { batteryHandlers as h } from "@/server/api/rest/batteries";

export const POST = h.cancelBatteryAction;
