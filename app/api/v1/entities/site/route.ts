import { inventoryHandlers as h } from "@/server/api/rest/inventory";

export const GET = h.listSites;
export const POST = h.createSite;
