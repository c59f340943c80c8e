import { inventoryHandlers as h } from "@/server/api/rest/inventory";

export const GET = h.getAssetByExternalId;
