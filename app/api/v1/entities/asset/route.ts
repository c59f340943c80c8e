import { inventoryHandlers as h } from "@/server/api/rest/inventory";

export const GET = h.listAssets;
export const POST = h.createAsset;
