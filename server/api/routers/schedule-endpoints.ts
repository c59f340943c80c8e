// The organisation's schedule endpoint (where charging plans are pushed as OCPP profiles) and
// the log of recent pushes. The signing secret is write-only: answers carry its last four only.
import {
  getScheduleEndpoint,
  listScheduleDeliveries,
  listScheduleDeliveriesSchema,
  sendTestScheduleDelivery,
  setScheduleEndpoint,
  setScheduleEndpointSchema,
} from "@/server/services/schedule-delivery/schedule-endpoints";
import { adminProcedure, createTRPCRouter, protectedProcedure, requireApiScope, writeProcedure } from "../trpc";

export const scheduleEndpointsRouter = createTRPCRouter({
  get: protectedProcedure.use(requireApiScope("entities:read")).query(({ ctx }) => getScheduleEndpoint(ctx.service)),
  set: adminProcedure.input(setScheduleEndpointSchema).mutation(({ ctx, input }) => setScheduleEndpoint(ctx.service, input)),
  sendTest: writeProcedure.mutation(({ ctx }) => sendTestScheduleDelivery(ctx.service)),
  recentDeliveries: protectedProcedure
    .use(requireApiScope("entities:read"))
    .input(listScheduleDeliveriesSchema.optional())
    .query(({ ctx, input }) => listScheduleDeliveries(ctx.service, input ?? {})),
});
