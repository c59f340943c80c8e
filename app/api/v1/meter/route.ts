import { meterHandlers as h } from "@/server/api/rest/meters";

export const GET = h.meterByAddressDeprecated;
