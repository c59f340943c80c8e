import { createTRPCRouter } from "../trpc";

export const gridEventsRouter = createTRPCRouter({});
