// Market price curves: the dashboard's CSV upload (preview, then store) and internal tools posting
// curves as data; listing curves and reading the current prices of a range.
import { z } from "zod";
import {
  getPriceSlots,
  listMarkets,
  listPriceCurves,
  marketCodeSchema,
  previewPriceCsv,
  storePriceCurve,
  storePriceCurveInputSchema,
  uploadPriceCsv,
} from "@/server/services/market-prices/market-prices";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("market_prices:read");
const write = procedureFor("market_prices:write");

/** About 20,000 rows of "2026-03-01T00:00:00Z,54.20". */
const MAX_CSV_CHARS = 2_000_000;
const csvInput = z.object({
  market: marketCodeSchema.optional(),
  csv: z.string().min(1, "choose a CSV file").max(MAX_CSV_CHARS, "the file is larger than 2 MB"),
});

export const marketPricesRouter = createTRPCRouter({
  markets: read.query(({ ctx }) => listMarkets(ctx.service)),

  curves: read
    .input(z.object({ market: marketCodeSchema.optional(), limit: z.number().int().min(1).max(500).default(50) }))
    .query(({ ctx, input }) => listPriceCurves(ctx.service, input)),

  prices: read
    .input(
      z
        .object({ market: marketCodeSchema.optional(), from: z.coerce.date(), to: z.coerce.date() })
        .refine((range) => range.to.getTime() > range.from.getTime(), { message: "to must be after from", path: ["to"] }),
    )
    .query(({ ctx, input }) => getPriceSlots(ctx.service, input)),

  /** Checks a CSV and returns what would be stored and every problem by line; stores nothing. */
  previewCsv: write.input(csvInput).mutation(({ input }) => {
    const result = previewPriceCsv(input.csv);
    return {
      ok: result.ok,
      problems: result.problems,
      moreProblems: result.moreProblems,
      pointCount: result.points.length,
      firstSlotAt: result.points[0]?.slotStart ?? null,
      lastSlotAt: result.points[result.points.length - 1]?.slotStart ?? null,
      points: result.points,
    };
  }),

  uploadCsv: write.input(csvInput).mutation(({ ctx, input }) => uploadPriceCsv(ctx.service, input)),

  /** For internal tools: a curve as data, `{market?, points: [{start, priceGbpPerMwh}]}`. */
  upload: write.input(storePriceCurveInputSchema).mutation(({ ctx, input }) => storePriceCurve(ctx.service, input, "trpc")),
});
