import { meterHandlers as h } from "@/server/api/rest/meters";

export const POST = h.meterByMpan;
