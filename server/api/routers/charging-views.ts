import { createTRPCRouter } from "../trpc";

export const chargingViewsRouter = createTRPCRouter({});
