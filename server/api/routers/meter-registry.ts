// The operator's meter registry: preview a CSV (nothing written), then load it (all rows or none).
import { z } from "zod";
import { loadMeterRegistry, previewMeterRegistry } from "@/server/services/meters/meter-registry";
import { createTRPCRouter, procedureFor } from "../trpc";

const csvInput = z.object({ csv: z.string().min(1, "Choose a file.").max(50 * 1024 * 1024, "The file is too large: split it into files under 50 MB.") });
const write = procedureFor("meter_registry:write");

export const meterRegistryRouter = createTRPCRouter({
  preview: write.input(csvInput).mutation(({ ctx, input }) => previewMeterRegistry(ctx.service, input)),
  load: write.input(csvInput).mutation(({ ctx, input }) => loadMeterRegistry(ctx.service, input)),
});
