// The dashboard's grid events pages and the mailbox; the same procedures serve internal tools.
import { z } from "zod";
import {
  cancelGridEvent,
  commitDispatchPlan,
  createGridEvent,
  createGridEventSchema,
  getGridEvent,
  getGridEventLive,
  listGridEvents,
  listGridEventsSchema,
  previewDispatchPlan,
  updateGridEvent,
  updateGridEventSchema,
} from "@/server/services/grid-events";
import { listOutboundEmails } from "@/server/services/mail/mail";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("grid_events:read");
const write = procedureFor("grid_events:write");

const eventId = z.object({ eventId: z.guid() });
const headroom = z.number().min(0).max(200).optional();

export const gridEventsRouter = createTRPCRouter({
  list: read.input(listGridEventsSchema).query(({ ctx, input }) => listGridEvents(ctx.service, input)),
  get: read.input(eventId).query(({ ctx, input }) => getGridEvent(ctx.service, input.eventId)),
  create: write.input(createGridEventSchema).mutation(({ ctx, input }) => createGridEvent(ctx.service, input)),
  update: write.input(eventId.extend({ changes: updateGridEventSchema })).mutation(({ ctx, input }) => updateGridEvent(ctx.service, input.eventId, input.changes)),
  cancel: write.input(eventId.extend({ reason: z.string().max(500).optional() })).mutation(({ ctx, input }) => cancelGridEvent(ctx.service, input.eventId, { reason: input.reason })),
  previewPlan: read.input(eventId.extend({ headroomPct: headroom })).query(({ ctx, input }) => previewDispatchPlan(ctx.service, input.eventId, { headroomPct: input.headroomPct })),
  commit: write.input(eventId.extend({ headroomPct: headroom })).mutation(({ ctx, input }) => commitDispatchPlan(ctx.service, input.eventId, { headroomPct: input.headroomPct })),
  live: read.input(eventId).query(({ ctx, input }) => getGridEventLive(ctx.service, input.eventId)),
  mailbox: read
    // `cursor` (the previous page's nextCursor) makes this an infinite query for the mailbox page.
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50), cursor: z.string().max(100).nullish(), purpose: z.string().max(100).optional() }))
    .query(({ ctx, input }) => listOutboundEmails(ctx.service, { limit: input.limit, before: input.cursor, purpose: input.purpose })),
});
