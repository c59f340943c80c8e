import { exampleHandlers as h } from "@/server/api/rest/examples";

export const GET = h.exampleOcppChargingProfile;
