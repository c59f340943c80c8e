import { createTRPCRouter } from "../trpc";

export const chargingRouter = createTRPCRouter({});
