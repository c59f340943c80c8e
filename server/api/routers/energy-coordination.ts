// The energy-coordination dialect on the dashboard: events produced for partners and their reports,
// on the grid-event and site pages, and the organisation's sandbox switch (admins).
import { z } from "zod";
import {
  getGridEventCoordination,
  getSiteCoordination,
} from "@/server/services/energy-coordination/activity";
import {
  isCoordinationSimulationEnabled,
  setCoordinationSimulation,
} from "@/server/services/energy-coordination/simulation";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc";

export const energyCoordinationRouter = createTRPCRouter({
  gridEventActivity: protectedProcedure
    .input(z.object({ eventId: z.uuid() }))
    .query(({ ctx, input }) => getGridEventCoordination(ctx.service, input.eventId)),
  simulationEnabled: protectedProcedure.query(({ ctx }) => isCoordinationSimulationEnabled(ctx.service)),
  setSimulationEnabled: adminProcedure
    .input(z.object({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setCoordinationSimulation(ctx.service, input.enabled)),
  siteActivity: protectedProcedure
    .input(z.object({ siteId: z.uuid() }))
    .query(({ ctx, input }) => getSiteCoordination(ctx.service, input.siteId)),
});
