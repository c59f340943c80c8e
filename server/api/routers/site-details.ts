// Reads and edits the dashboard's site and asset pages need beyond the sites router:
// a site's meters, and one asset with its properties.
import { z } from "zod";
import { getAsset, updateAsset } from "@/server/services/inventory/assets";
import { listSiteMeters } from "@/server/services/inventory/customers";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("sites:read");
const optionalText = z.string().trim().min(1).max(200).optional();

export const siteDetailsRouter = createTRPCRouter({
  meters: procedureFor("sites:read", "users:read").input(z.object({ siteId: z.guid() })).query(({ ctx, input }) => listSiteMeters(ctx.service, input)),
  asset: read.input(z.object({ assetId: z.guid() })).query(({ ctx, input }) => getAsset(ctx.service, input)),
  updateAsset: procedureFor("sites:write")
    .input(
      z.object({
        assetId: z.guid(),
        properties: z.record(z.string(), z.unknown()).optional(),
        assetModel: optionalText,
        installationDate: z.iso.date("Use a date such as 2025-06-01.").optional(),
        serialNumber: optionalText,
        oem: optionalText,
        oemDeviceId: optionalText,
      }),
    )
    .mutation(({ ctx, input }) => updateAsset(ctx.service, input)),
});
