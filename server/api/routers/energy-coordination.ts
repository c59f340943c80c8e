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
import { createTRPCRouter, procedureFor } from "../trpc";

export const energyCoordinationRouter = createTRPCRouter({
  gridEventActivity: procedureFor("coordination_events:read")
    .input(z.object({ eventId: z.uuid() }))
    .query(({ ctx, input }) => getGridEventCoordination(ctx.service, input.eventId)),
  simulationEnabled: procedureFor("webhook_endpoints:read").query(({ ctx }) => isCoordinationSimulationEnabled(ctx.service)),
  setSimulationEnabled: procedureFor("organisation:settings")
    .input(z.object({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setCoordinationSimulation(ctx.service, input.enabled)),
  siteActivity: procedureFor("coordination_events:read")
    .input(z.object({ siteId: z.uuid() }))
    .query(({ ctx, input }) => getSiteCoordination(ctx.service, input.siteId)),
});
