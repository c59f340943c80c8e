import { z } from "zod";
import { listAssets } from "@/server/services/inventory/assets";
import { getSiteEligibility } from "@/server/services/inventory/eligibility";
import { createSite, createSiteSchema, getSite, listSites, listSitesSchema, updateSite, updateSiteSchema } from "@/server/services/inventory/sites";
import { createTRPCRouter, procedureFor } from "../trpc";

const readSites = procedureFor("sites:read");
const writeSites = procedureFor("sites:write");
const siteIdInput = z.object({ siteId: z.string().uuid() });

export const sitesRouter = createTRPCRouter({
  /** Server-paginated list with search (MPAN, postcode, address, email, asset external id) and filters. */
  list: readSites.input(listSitesSchema).query(({ ctx, input }) => listSites(ctx.service, input)),
  get: readSites.input(siteIdInput).query(({ ctx, input }) => getSite(ctx.service, input)),
  eligibility: readSites.input(siteIdInput).query(({ ctx, input }) => getSiteEligibility(ctx.service, input)),
  assets: readSites
    .input(siteIdInput.extend({ limit: z.number().int().min(1).max(500).default(100), offset: z.number().int().min(0).default(0) }))
    .query(({ ctx, input }) => listAssets(ctx.service, input)),
  create: writeSites.input(createSiteSchema).mutation(({ ctx, input }) => createSite(ctx.service, input)),
  update: writeSites.input(updateSiteSchema).mutation(({ ctx, input }) => updateSite(ctx.service, input)),
});
