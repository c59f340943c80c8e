import { z } from "zod";
import { listAuditEvents } from "@/server/services/audit/list-audit-events";
import { createTRPCRouter, procedureFor } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: procedureFor("audit:read")
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
        search: z.string().trim().max(200).optional(),
        action: z.string().max(100).optional(),
      }),
    )
    .query(({ ctx, input }) => listAuditEvents(ctx.service, input)),
});
