import { inventoryHandlers as h } from "@/server/api/rest/inventory";

export const GET = h.listVehicles;
export const POST = h.createVehicle;
