import { createTRPCRouter } from "../trpc";

export const scheduleEndpointsRouter = createTRPCRouter({});
