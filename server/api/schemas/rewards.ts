import { z } from "zod";
import { isoDateSchema, isoDateTimeSchema, openEnum, uuidSchema } from "./entities-common";

export const balanceInfoResponseSchema = z
  .object({
    current_balance_pence: z.number().int(),
    total_earnings_pence: z.number().int(),
    minimum_withdrawal_threshold_pence: z.number().int().min(0),
    withdrawal_min_wait_days: z.number().int().min(0),
    can_withdraw: z.boolean(),
  })
  .meta({ id: "BalanceInfoResponse", description: "A site's reward balance and lifetime earnings, in pence." });
export type BalanceInfoResponse = z.output<typeof balanceInfoResponseSchema>;

export const TRANSACTION_TYPES = [
  "flex period",
  "flex period top-up",
  "flex event",
  "withdrawal",
  "invoice paid",
  "goodwill credit",
  "signup bonus",
  "correction",
  "VPP Signup Bonus",
  "Referred Credit",
  "Referrer Credit",
  "Recurring Referrer Credit",
  "FR SC Referred Credit",
  "FR SC Referrer Credit",
  "FR SC Signup Bonus",
] as const;
export const PAYMENT_STATUSES = ["pending_approval", "approved", "processing", "posted", "failed", "rejected", "cancelled", "returned"] as const;

export const transactionSchema = z
  .object({
    transaction_type: openEnum(TRANSACTION_TYPES).optional(),
    transaction_id: uuidSchema,
    start_time: isoDateTimeSchema.optional(),
    end_time: isoDateTimeSchema.optional(),
    settlement_date: isoDateSchema.optional(),
    flex_kwh: z.number().optional().describe("Energy shifted against the baseline, kWh to 3 dp; positive means more import"),
    credit_pence: z.number().int(),
    payment_status: openEnum(PAYMENT_STATUSES).optional(),
  })
  .meta({ id: "TransactionDatumResponse", description: "One credit or withdrawal." });

export const transactionHistoryResponseSchema = z
  .object({
    site_id: uuidSchema,
    transactions: z.array(transactionSchema),
    is_below_withdrawal_minimum: z.boolean().optional(),
    days_until_minimum_wait_time_met: z.number().int().min(0).optional(),
  })
  .meta({ id: "TransactionDataResponse", description: "A site's transactions, newest first." });
export type TransactionHistoryResponse = z.output<typeof transactionHistoryResponseSchema>;

export const balanceWithdrawalUrlResponseSchema = z
  .object({ balance_withdrawal_url: z.string(), url_expiry_timestamp: isoDateTimeSchema })
  .meta({ id: "BalanceWithdrawalURLResponse", description: "A short-lived link to the hosted withdrawal page." });
