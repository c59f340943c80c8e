// The asset-model catalogue and per-proposition settings: the dashboard's Settings page and
// internal tools over the same procedures; permissions from server/domain/permissions.ts.
import { z } from "zod";
import { assetModelInputSchema, importAssetModelsCsv, listAssetModels, listUnknownAssetModels, saveAssetModel } from "@/server/services/catalogue/asset-models";
import { listPropositionSettings, updatePropositionSetting } from "@/server/services/catalogue/proposition-settings";
import { PROPOSITIONS } from "@/server/domain/inventory";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("asset_models:read");
const write = procedureFor("asset_models:write");

/** About 5,000 models. */
const MAX_CSV_CHARS = 1_000_000;

export const catalogueRouter = createTRPCRouter({
  assetModels: read.query(({ ctx }) => listAssetModels(ctx.service)),
  unknownAssetModels: read.query(({ ctx }) => listUnknownAssetModels(ctx.service)),
  saveAssetModel: write.input(assetModelInputSchema).mutation(({ ctx, input }) => saveAssetModel(ctx.service, input)),
  importAssetModels: write
    .input(z.object({ csv: z.string().min(1, "choose a CSV file").max(MAX_CSV_CHARS, "the file is larger than 1 MB") }))
    .mutation(({ ctx, input }) => importAssetModelsCsv(ctx.service, input.csv)),
  propositionSettings: procedureFor("consent:read").query(({ ctx }) => listPropositionSettings(ctx.service)),
  /** Changes what every site must meet: admins only. */
  updatePropositionSetting: procedureFor("organisation:settings")
    .input(z.object({ proposition: z.enum(PROPOSITIONS), requiresHalfHourlySettlement: z.boolean() }))
    .mutation(({ ctx, input }) => updatePropositionSetting(ctx.service, input)),
});
