// CSV import of sites: the preview checks a file without writing anything. The commit
// streams progress, so it is a route handler (app/api/import/sites) rather than a procedure.
import { z } from "zod";
import { previewSitesImport } from "@/server/services/inventory/csv-import/import-sites";
import { createTRPCRouter, procedureFor } from "../trpc";

export const siteImportRouter = createTRPCRouter({
  preview: procedureFor("sites:write")
    .input(z.object({ csv: z.string().max(30 * 1024 * 1024, "The file is too large: split it into files under 30 MB.") }))
    .mutation(({ ctx, input }) => previewSitesImport(ctx.service, input)),
});
