// The dashboard's charging pages: the fleet overview, the sessions list, one session's timeline,
// and the householder intent links an operator hands out for a charger.
import { z } from "zod";
import { getChargingOverview, getChargingSessionTimeline, listChargingSessions } from "@/server/services/charging-views/charging-views";
import { createIntentLink, listActiveIntentLinks, revokeIntentLink } from "@/server/services/consent/intent-links";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("sites:read");

export const chargingViewsRouter = createTRPCRouter({
  overview: read.input(z.object({ market: z.string().trim().min(1).max(64).optional() }).optional()).query(({ ctx, input }) => getChargingOverview(ctx.service, { market: input?.market })),
  sessions: read
    .input(
      z.object({
        filter: z.enum(["plugged_in", "all", "flagged"]).default("all"),
        search: z.string().trim().max(100).optional(),
        limit: z.number().int().min(1).max(200).default(25),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      }),
    )
    .query(({ ctx, input }) => listChargingSessions(ctx.service, input)),
  session: read.input(z.object({ sessionId: z.guid() })).query(({ ctx, input }) => getChargingSessionTimeline(ctx.service, input.sessionId)),
  intentLinks: procedureFor("consent:read").input(z.object({ siteId: z.guid() })).query(({ ctx, input }) => listActiveIntentLinks(ctx.service, input)),
  createIntentLink: procedureFor("consent:write")
    .input(z.object({ assetId: z.guid(), ttlHours: z.number().positive().max(720).optional() }))
    .mutation(({ ctx, input }) => createIntentLink(ctx.service, input)),
  revokeIntentLink: procedureFor("consent:write").input(z.object({ linkId: z.guid() })).mutation(({ ctx, input }) => revokeIntentLink(ctx.service, input)),
});
