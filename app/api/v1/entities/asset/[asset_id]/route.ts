import { inventoryHandlers as h } from "@/server/api/rest/inventory";

export const GET = h.getAsset;
export const PATCH = h.updateAsset;
export const DELETE = h.deleteAsset;
