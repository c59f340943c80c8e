// The energy-coordination dialect on the dashboard: events produced for partners and their reports,
// on the grid-event and site pages. Read-only.
import { z } from "zod";
import {
  getGridEventCoordination,
  getSiteCoordination,
} from "@/server/services/energy-coordination/activity";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const energyCoordinationRouter = createTRPCRouter({
  gridEventActivity: protectedProcedure
    .input(z.object({ eventId: z.uuid() }))
    .query(({ ctx, input }) => getGridEventCoordination(ctx.service, input.eventId)),
  siteActivity: protectedProcedure
    .input(z.object({ siteId: z.uuid() }))
    .query(({ ctx, input }) => getSiteCoordination(ctx.service, input.siteId)),
});
