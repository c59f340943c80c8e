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
import { createTRPCRouter, procedureFor } from "../trpc";

export const scheduleEndpointsRouter = createTRPCRouter({
  get: procedureFor("schedule_endpoint:read").query(({ ctx }) => getScheduleEndpoint(ctx.service)),
  set: procedureFor("schedule_endpoint:manage").input(setScheduleEndpointSchema).mutation(({ ctx, input }) => setScheduleEndpoint(ctx.service, input)),
  sendTest: procedureFor("schedule_endpoint:test").mutation(({ ctx }) => sendTestScheduleDelivery(ctx.service)),
  recentDeliveries: procedureFor("schedule_endpoint:read")
    .input(listScheduleDeliveriesSchema.optional())
    .query(({ ctx, input }) => listScheduleDeliveries(ctx.service, input ?? {})),
});
