// The dashboard's rewards pages, the battery page's schedule panel, and settlement as an operator action.
import { z } from "zod";
import { getBatterySchedulePanel, listScheduleExecutions, planDailyBatterySchedules } from "@/server/services/battery-schedules/battery-schedules";
import {
  addManualRewardEntry,
  approveRewardEntries,
  exportPayoutRun,
  getFleetRewardSummary,
  getRewardSettings,
  getSiteLedgerView,
  recordPayoutOutcome,
  rewardSettingsInputSchema,
  updateRewardSettings,
} from "@/server/services/rewards/ledger";
import { getEventSettlementReport, settleGridEvent } from "@/server/services/rewards/settlement";
import { createRewardsLinkFromDashboard } from "@/server/services/rewards/withdrawal-links";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("rewards:read");
const write = procedureFor("rewards:write");
const payouts = procedureFor("payouts:approve");
const id = z.guid();

export const rewardsRouter = createTRPCRouter({
  fleetSummary: read.query(({ ctx }) => getFleetRewardSummary(ctx.service)),
  siteLedger: read.input(z.object({ siteId: id })).query(({ ctx, input }) => getSiteLedgerView(ctx.service, input.siteId)),
  settings: read.query(({ ctx }) => getRewardSettings(ctx.service)),
  updateSettings: procedureFor("organisation:settings").input(rewardSettingsInputSchema).mutation(({ ctx, input }) => updateRewardSettings(ctx.service, input)),
  addEntry: write
    .input(
      z.object({
        siteId: id,
        entryType: z.enum(["correction", "sign_up_bonus", "withdrawal"]),
        amountPence: z.number().int().min(-10_000_000).max(10_000_000).optional(),
        note: z.string().trim().min(1).max(500),
      }),
    )
    .mutation(({ ctx, input }) => addManualRewardEntry(ctx.service, input)),
  /** A one-hour link to the household's rewards page (balance, bank details, withdrawal). */
  createRewardsLink: procedureFor("rewards:withdrawal_links")
    .input(z.object({ siteId: id }))
    .mutation(async ({ ctx, input }) => {
      const link = await createRewardsLinkFromDashboard(ctx.service, input);
      return { url: link.url, expiresAt: link.expiresAt };
    }),
  approvePayouts: payouts.input(z.object({ entryIds: z.array(id).max(10_000).optional() })).mutation(({ ctx, input }) => approveRewardEntries(ctx.service, input.entryIds ? { entryIds: input.entryIds } : {})),
  exportPayouts: payouts.mutation(({ ctx }) => exportPayoutRun(ctx.service)),
  recordPayoutOutcome: payouts
    .input(z.object({ entryIds: z.array(id).min(1).max(10_000), outcome: z.enum(["posted", "failed"]) }))
    .mutation(({ ctx, input }) => recordPayoutOutcome(ctx.service, input)),
  eventReport: read.input(z.object({ eventId: id })).query(({ ctx, input }) => getEventSettlementReport(ctx.service, input.eventId)),
  settleEvent: write.input(z.object({ eventId: id })).mutation(({ ctx, input }) => settleGridEvent(ctx.service, input.eventId)),
  batterySchedule: procedureFor("sites:read")
    .input(z.object({ assetId: id }))
    .query(async ({ ctx, input }) => {
      const [panel, executions] = await Promise.all([getBatterySchedulePanel(ctx.service, input.assetId), listScheduleExecutions(ctx.service, input.assetId, 12)]);
      return { ...panel, executions };
    }),
  planBatterySchedules: procedureFor("batteries:control")
    .input(z.object({ assetId: id.optional(), localDate: z.iso.date().optional() }))
    .mutation(({ ctx, input }) =>
      planDailyBatterySchedules(ctx.service, { trigger: "operator", ...(input.localDate ? { localDate: input.localDate } : {}), ...(input.assetId ? { assetIds: [input.assetId] } : {}) }),
    ),
});
