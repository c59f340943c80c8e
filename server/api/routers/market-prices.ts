import { createTRPCRouter } from "../trpc";

export const marketPricesRouter = createTRPCRouter({});
