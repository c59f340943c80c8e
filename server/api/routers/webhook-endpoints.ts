import { createTRPCRouter } from "../trpc";

export const webhookEndpointsRouter = createTRPCRouter({});
