// Rewards, flex events and battery schedules in the entities dialect: validate (the adapter),
// call one service, shape the reply. The withdrawal-link route signs a link to the hosted rewards
// page (app/(public)/rewards/withdraw/[token]).
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "@/server/api/openapi/define-route";
import { assetEventRoutes, readingAndRewardRoutes } from "@/server/api/openapi/routes";
import { errorWithDetailSchema, httpValidationErrorSchema, isoDateTimeSchema, siteIdParamsSchema, uuidSchema } from "@/server/api/schemas/entities-common";
import { balanceWithdrawalUrlResponseSchema } from "@/server/api/schemas/rewards";
import { getActiveBatterySchedules, scheduleSteps } from "@/server/services/battery-schedules/battery-schedules";
import { notFound } from "@/server/services/errors";
import { getSiteBalance, listSiteLedger, type RewardEntry } from "@/server/services/rewards/ledger";
import { listSiteFlexEvents } from "@/server/services/rewards/settlement";
import { createWithdrawalLink, redirectUriProblem } from "@/server/services/rewards/withdrawal-links";
import { restHandler } from "./rest-handler";

export const siteFlexEventsRoute = defineRoute({
  method: "get",
  path: "/entities/site/{site_id}/flex-events",
  operationId: "get_site_flex_events_entities_site__site_id__flex_events_get",
  summary: "Flex events the site took part in",
  description:
    "Each grid event the site's assets took part in, with gross revenue in GBP (before the household's share): estimated from the dispatch plan until delivery is measured, final once the event is settled. A site that flexed the wrong way earns nothing for the event.",
  tags: ["Rewards"],
  permission: "rewards:read",
  request: { params: siteIdParamsSchema },
  responses: {
    200: z
      .object({
        site_id: uuidSchema,
        events: z.array(
          z
            .object({
              start_at: isoDateTimeSchema,
              end_at: isoDateTimeSchema,
              estimated_gross_revenue_gbp: z.number().describe("Gross GBP: delivered kWh x event price when measured, else planned"),
              final_gross_revenue_gbp: z.number().optional().describe("Gross GBP once the event is settled"),
            })
            .meta({ id: "FlexEventResponse", description: "One flex event of the site." }),
        ),
      })
      .meta({ id: "SiteFlexEventsResponse", description: "The site's flex events, newest first." }),
    404: { description: "Not found in your organisation", schema: errorWithDetailSchema },
    422: httpValidationErrorSchema,
  },
});

const optionalFlag = (description: string) => z.stringbool().optional().describe(description);

export const balanceWithdrawalUrlRoute = defineRoute({
  method: "get",
  path: "/rewards/{site_id}/url/balance",
  operationId: "get_rewards_balance_withdrawal_url_rewards__site_id__url_balance_get",
  summary: "A link to the hosted rewards page",
  description:
    "Signs a link, valid for one hour, to a page we host where the site's householder sees their reward balance and history, adds or replaces the bank account rewards are paid into, and withdraws the balance. Hand the link to the householder; when they are done the page links back to redirect_uri.",
  tags: ["Rewards"],
  permission: "rewards:withdrawal_links",
  request: {
    params: siteIdParamsSchema,
    query: z.object({
      redirect_uri: z
        .string()
        .superRefine((value, check) => {
          const problem = redirectUriProblem(value);
          if (problem !== null) check.addIssue({ code: "custom", message: problem });
        })
        .describe("Where the page sends the householder when they are done: an absolute https URL (http only for localhost)"),
      enforce_two_factor_auth: optionalFlag("Ask for a code emailed to the site's address before a bank account can be added or changed; viewing is not gated. Default false"),
      hide_transactions: optionalFlag("Leave the transaction history off the page. Default false"),
      auto_redirect_to_setup: optionalFlag("Open straight on bank setup when the site has no bank account yet. Default false"),
    }),
  },
  responses: {
    200: balanceWithdrawalUrlResponseSchema,
    404: { description: "Not found in your organisation", schema: errorWithDetailSchema },
    422: httpValidationErrorSchema,
  },
});

function rewardRoute<const Id extends "get_balance_info_rewards__site_id__info_get" | "get_transaction_history_rewards__site_id__transactions_get">(operationId: Id) {
  const found = readingAndRewardRoutes.find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`No route ${operationId}`);
  return found as Extract<(typeof readingAndRewardRoutes)[number], { operationId: Id }>;
}

function batteryScheduleRoute() {
  const found = assetEventRoutes.find((candidate) => candidate.operationId === "get_battery_schedule_entities_asset__asset_id__battery_schedule_get");
  if (!found) throw new Error("No route get_battery_schedule_entities_asset__asset_id__battery_schedule_get");
  return found as Extract<(typeof assetEventRoutes)[number], { operationId: "get_battery_schedule_entities_asset__asset_id__battery_schedule_get" }>;
}

const TRANSACTION_TYPE_BY_ENTRY: Record<string, string> = {
  event_credit: "flex event",
  sign_up_bonus: "signup bonus",
  correction: "correction",
  withdrawal: "withdrawal",
};

function transactionToWire(entry: RewardEntry) {
  return {
    transaction_type: TRANSACTION_TYPE_BY_ENTRY[entry.entryType] ?? entry.entryType,
    transaction_id: entry.id,
    ...(entry.periodStart ? { start_time: entry.periodStart.toISOString() } : {}),
    ...(entry.periodEnd ? { end_time: entry.periodEnd.toISOString() } : {}),
    settlement_date: entry.createdAt.toISOString().slice(0, 10),
    ...(entry.flexKwh === null ? {} : { flex_kwh: Math.round(entry.flexKwh * 1000) / 1000 }),
    credit_pence: entry.amountPence,
    payment_status: entry.paymentStatus,
  };
}

export const rewardHandlers = {
  getBalanceInfo: restHandler({
    route: rewardRoute("get_balance_info_rewards__site_id__info_get"),
    handler: async ({ ctx, params }) => {
      const balance = await getSiteBalance(ctx, params.site_id);
      return {
        status: 200,
        body: {
          current_balance_pence: balance.currentBalancePence,
          total_earnings_pence: balance.totalEarningsPence,
          minimum_withdrawal_threshold_pence: balance.minimumWithdrawalThresholdPence,
          withdrawal_min_wait_days: balance.withdrawalMinWaitDays,
          can_withdraw: balance.canWithdraw,
        },
      };
    },
  }),

  getTransactionHistory: restHandler({
    route: rewardRoute("get_transaction_history_rewards__site_id__transactions_get"),
    handler: async ({ ctx, params }) => {
      const [balance, entries] = await Promise.all([getSiteBalance(ctx, params.site_id), listSiteLedger(ctx, params.site_id)]);
      return {
        status: 200,
        body: {
          site_id: params.site_id,
          transactions: entries.map(transactionToWire),
          is_below_withdrawal_minimum: balance.currentBalancePence < balance.minimumWithdrawalThresholdPence,
          days_until_minimum_wait_time_met: balance.daysUntilMinimumWaitMet,
        },
      };
    },
  }),

  getBalanceWithdrawalUrl: restHandler({
    route: balanceWithdrawalUrlRoute,
    handler: async ({ ctx, params, query }) => {
      const link = await createWithdrawalLink(ctx, {
        siteId: params.site_id,
        redirectUri: query.redirect_uri,
        ...(query.enforce_two_factor_auth === undefined ? {} : { enforceTwoFactorAuth: query.enforce_two_factor_auth }),
        ...(query.hide_transactions === undefined ? {} : { hideTransactions: query.hide_transactions }),
        ...(query.auto_redirect_to_setup === undefined ? {} : { autoRedirectToSetup: query.auto_redirect_to_setup }),
      });
      return { status: 200, body: { balance_withdrawal_url: link.url, url_expiry_timestamp: link.expiresAt.toISOString() } };
    },
  }),

  getSiteFlexEvents: restHandler({
    route: siteFlexEventsRoute,
    handler: async ({ ctx, params }) => {
      const events = await listSiteFlexEvents(ctx, params.site_id);
      return {
        status: 200,
        body: {
          site_id: params.site_id,
          events: events.map((event) => ({
            start_at: event.startAt.toISOString(),
            end_at: event.endAt.toISOString(),
            estimated_gross_revenue_gbp: event.estimatedGrossRevenueGbp,
            ...(event.finalGrossRevenueGbp === null ? {} : { final_gross_revenue_gbp: event.finalGrossRevenueGbp }),
          })),
        },
      };
    },
  }),

  getBatterySchedule: restHandler({
    route: batteryScheduleRoute(),
    handler: async ({ ctx, params }) => {
      const now = new Date();
      const schedules = await getActiveBatterySchedules(ctx, params.asset_id, now);
      if (schedules.length === 0) throw notFound("Active battery schedule");
      // Today's remaining slots and tomorrow's, as one timeline.
      const slots = schedules.flatMap((schedule) => schedule.slots).filter((slot) => Date.parse(slot.end) > now.getTime());
      const lastUpdated = schedules.reduce((latest, schedule) => (schedule.createdAt > latest ? schedule.createdAt : latest), schedules[0]?.createdAt ?? now);
      return {
        status: 200,
        body: {
          schedule_steps: scheduleSteps(slots).map((step) => ({ start_timestamp: step.start, end_timestamp: step.end, action: step.action, allow_deviation: step.allowDeviation })),
          schedule_last_updated: lastUpdated.toISOString(),
        },
      };
    },
  }),
} satisfies Record<string, (request: Request) => Promise<Response>>;

/** Routes with handlers here; only these are published. */
export const implementedRewardRoutes: readonly RouteDefinition[] = [rewardRoute("get_balance_info_rewards__site_id__info_get"), rewardRoute("get_transaction_history_rewards__site_id__transactions_get"), balanceWithdrawalUrlRoute, siteFlexEventsRoute, batteryScheduleRoute()];
