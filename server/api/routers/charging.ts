// Operators (and internal tools) recording charger events on a household's behalf, and
// re-planning a session on demand. The same services as the partner API; the events are
// recorded with the operator channel. Read-only views live in the chargingViews router.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordChargeNow, recordChargeNowDeleted, recordPlugIn, recordPlugOut, recordTariffUpdate } from "@/server/services/charging/events";
import { setChargingIntent } from "@/server/services/charging/intents";
import { replanSession } from "@/server/services/charging/planning";
import { createTRPCRouter, procedureFor } from "../trpc";

const write = procedureFor("charging:events");

const assetId = z.guid();
const occurredAt = z.coerce.date().optional();
const intentInput = z.object({
  energyRequiredKwh: z.number().min(0).max(500),
  readyByLocalTime: z.string().regex(/^\d{2}:\d{2}$/, "must be HH:MM"),
  mayChargePeak: z.boolean().optional(),
  chargingMode: z.enum(["maximise_charging_time", "minimise_charging_time"]).optional(),
  energyEstimated: z.boolean().optional(),
});
// Loose here on purpose: the service checks the ranges and zone and names each problem.
const tariffInput = z.object({
  off_peak_times: z.string().max(500),
  timezone: z.string().max(100),
  tariff_type: z.string().max(50).optional(),
  peak_pence_per_kwh: z.number().optional(),
  off_peak_pence_per_kwh: z.number().optional(),
  unit_rates: z.array(z.record(z.string(), z.unknown())).max(2000).optional(),
});

export const chargingRouter = createTRPCRouter({
  recordPlugIn: write
    .input(z.object({ assetId, occurredAt, chargingRateKw: z.number().positive().max(350).optional(), intent: intentInput.optional(), tariff: tariffInput.optional() }))
    .mutation(({ ctx, input }) => recordPlugIn(ctx.service, { ...input, source: "operator" })),
  recordPlugOut: write
    .input(z.object({ assetId, occurredAt }))
    .mutation(({ ctx, input }) => recordPlugOut(ctx.service, { ...input, source: "operator" })),
  setIntent: write
    .input(intentInput.extend({ assetId, occurredAt }))
    .mutation(({ ctx, input }) => setChargingIntent(ctx.service, { ...input, source: "operator" })),
  setTariff: write
    .input(z.object({ assetId, occurredAt, tariff: tariffInput }))
    .mutation(({ ctx, input }) => recordTariffUpdate(ctx.service, { ...input, source: "operator" })),
  chargeNow: write
    .input(z.object({ assetId, occurredAt, endAt: z.coerce.date() }))
    .mutation(({ ctx, input }) => recordChargeNow(ctx.service, { ...input, source: "operator" })),
  cancelChargeNow: write
    .input(z.object({ assetId, occurredAt }))
    .mutation(({ ctx, input }) => recordChargeNowDeleted(ctx.service, { ...input, source: "operator" })),
  replan: write.input(z.object({ sessionId: z.string().uuid() })).mutation(async ({ ctx, input }) => {
    const plan = await replanSession(ctx.service, input.sessionId, "operator");
    if (plan === null) throw new TRPCError({ code: "NOT_FOUND", message: "No open charging session with that id." });
    return plan;
  }),
});
