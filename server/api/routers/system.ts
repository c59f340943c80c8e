// Installation-wide state for operators: database and job queue health.
import { getSystemHealth } from "@/server/services/health/check-health";
import { createTRPCRouter, procedureFor } from "../trpc";

export const systemRouter = createTRPCRouter({
  health: procedureFor("system:read").query(({ ctx }) => getSystemHealth(ctx.service)),
});
