// Reads and edits the dashboard's site and asset pages need beyond the sites router:
// a site's meters, and one asset with its properties.
import { z } from "zod";
import { ASSET_TYPES } from "@/server/domain/inventory";
import { OEMS } from "@/server/oem/types";
import { addAssetByHand, getAsset, updateAsset } from "@/server/services/inventory/assets";
import { listSiteMeters } from "@/server/services/inventory/customers";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("sites:read");
const optionalText = z.string().trim().min(1).max(200).optional();

export const siteDetailsRouter = createTRPCRouter({
  meters: procedureFor("sites:read", "users:read").input(z.object({ siteId: z.guid() })).query(({ ctx, input }) => listSiteMeters(ctx.service, input)),
  asset: read.input(z.object({ assetId: z.guid() })).query(({ ctx, input }) => getAsset(ctx.service, input)),
  /** The site page's "Add asset": an asset the partner has not sent, typed in by an operator. */
  addAsset: procedureFor("sites:write")
    .input(
      z.object({
        siteId: z.guid(),
        type: z.enum(ASSET_TYPES, "Choose the kind of asset."),
        externalId: z.string().trim().max(200).optional(),
        assetModel: optionalText,
        oem: z.enum(OEMS, "Choose the manufacturer from the list.").optional(),
        oemDeviceId: optionalText,
        powerKw: z.number("Enter the rated power in kW.").positive("The rated power must be above 0 kW.").max(1000, "The rated power must be at most 1,000 kW.").optional(),
        capacityKwh: z.number("Enter the capacity in kWh.").positive("The capacity must be above 0 kWh.").max(10_000, "The capacity must be at most 10,000 kWh.").optional(),
      }),
    )
    .mutation(({ ctx, input }) => addAssetByHand(ctx.service, input)),
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
