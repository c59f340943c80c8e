// Installation-wide state for operators: database and job queue health.
import { getSystemHealth } from "@/server/services/health/check-health";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  health: protectedProcedure.query(({ ctx }) => getSystemHealth(ctx.service)),
});
