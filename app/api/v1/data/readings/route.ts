import { readingsPriceHandlers as h } from "@/server/api/rest/readings-prices";

export const POST = h.postReadings;
