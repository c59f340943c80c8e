import { createTRPCRouter } from "../trpc";

export const rewardsRouter = createTRPCRouter({});
