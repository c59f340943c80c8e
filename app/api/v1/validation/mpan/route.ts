import { inventoryHandlers as h } from "@/server/api/rest/inventory";

export const POST = h.validateMpan;
