import { inventoryHandlers as h } from "@/server/api/rest/inventory";

export const GET = h.getSite;
export const PATCH = h.updateSite;
export const DELETE = h.deleteSite;
