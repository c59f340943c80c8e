// The per-site reward ledger: settings, appending entries idempotently, balances, the fleet
// summary, payout approval and the payment-run CSV export. The ledger is append-only (a trigger
// refuses any change but a payment-status move); see docs/rewards.md.
import { nameFor } from "../personal-data";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { customers, gridEvents, rewardEntries, rewardPaymentEvents, rewardSettings, rewardWithdrawalRequests, sites, type RewardEntryRow } from "@/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid, notFound } from "../errors";
import { hidesOffboarded, isUuid } from "../inventory/records";
import { DEFAULT_MARKET } from "../market-prices/default-market";
import { formatSortCode, getCurrentBankAccount, openBankAccountsForPayout } from "./bank-accounts";

export const REWARD_ENTRY_TYPES = ["event_credit", "sign_up_bonus", "correction", "withdrawal"] as const;
export type RewardEntryType = (typeof REWARD_ENTRY_TYPES)[number];
export const PAYMENT_STATUSES = ["pending_approval", "approved", "processing", "posted", "failed"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface RewardSettings {
  operatorSharePct: number;
  signUpBonusPence: number;
  withdrawalThresholdPence: number;
  withdrawalMinWaitDays: number;
  scheduleMarket: string;
  importMarginPencePerKwh: number;
  exportMarginPencePerKwh: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export const DEFAULT_REWARD_SETTINGS: RewardSettings = {
  operatorSharePct: 50,
  signUpBonusPence: 0,
  withdrawalThresholdPence: 500,
  withdrawalMinWaitDays: 0,
  scheduleMarket: DEFAULT_MARKET,
  importMarginPencePerKwh: 15,
  exportMarginPencePerKwh: 2,
  updatedAt: null,
  updatedBy: null,
};

export const rewardSettingsInputSchema = z.object({
  operatorSharePct: z.number().min(0).max(100).multipleOf(0.01),
  signUpBonusPence: z.number().int().min(0).max(1_000_000),
  withdrawalThresholdPence: z.number().int().min(0).max(1_000_000),
  withdrawalMinWaitDays: z.number().int().min(0).max(365),
  // Stored curves are keyed by the upper-case market code (WHOLESALE); any spelling the operator types matches them.
  scheduleMarket: z.string().trim().toUpperCase().min(1).max(50),
  importMarginPencePerKwh: z.number().min(-100).max(200),
  exportMarginPencePerKwh: z.number().min(-100).max(200),
});
export type RewardSettingsInput = z.input<typeof rewardSettingsInputSchema>;

export async function getRewardSettings(ctx: ServiceContext): Promise<RewardSettings> {
  authorize(ctx, "rewards:read");
  return readRewardSettings(ctx);
}

/** The settings other services apply (settlement, battery planning), whoever their caller is: no permission of its own. */
export async function readRewardSettings(ctx: ServiceContext): Promise<RewardSettings> {
  const [row] = await ctx.db.select().from(rewardSettings).where(eq(rewardSettings.organisationId, ctx.orgId)).limit(1);
  if (!row) return { ...DEFAULT_REWARD_SETTINGS };
  return {
    operatorSharePct: row.operatorSharePct,
    signUpBonusPence: row.signUpBonusPence,
    withdrawalThresholdPence: row.withdrawalThresholdPence,
    withdrawalMinWaitDays: row.withdrawalMinWaitDays,
    // Rows written before market codes were normalised may hold "wholesale" (the old column default).
    scheduleMarket: row.scheduleMarket.toUpperCase(),
    importMarginPencePerKwh: row.importMarginPencePerKwh,
    exportMarginPencePerKwh: row.exportMarginPencePerKwh,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

/** Admins only. */
export async function updateRewardSettings(ctx: ServiceContext, rawInput: RewardSettingsInput): Promise<RewardSettings> {
  authorize(ctx, "organisation:settings");
  const parsed = rewardSettingsInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw invalid("The reward settings are not valid.", parsed.error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === "number" ? p : String(p))), message: issue.message })));
  }
  const input = parsed.data;
  const now = new Date();
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(rewardSettings)
      .values({ organisationId: ctx.orgId, ...input, updatedAt: now, updatedBy: ctx.actor.label })
      .onConflictDoUpdate({ target: rewardSettings.organisationId, set: { ...input, updatedAt: now, updatedBy: ctx.actor.label } });
    await recordAuditEvent({ ...ctx, db: tx }, { action: "rewards.settings.updated", targetType: "organisation", targetId: ctx.orgId, details: { ...input } });
  });
  return readRewardSettings(ctx);
}

export interface RewardEntry {
  id: string;
  siteId: string;
  entryType: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  flexKwh: number | null;
  amountPence: number;
  paymentStatus: string;
  eventId: string | null;
  paymentReference: string | null;
  note: string | null;
  createdAt: Date;
  createdBy: string;
}

function toEntry(row: RewardEntryRow): RewardEntry {
  return {
    id: row.id,
    siteId: row.siteId,
    entryType: row.entryType,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    flexKwh: row.flexKwh,
    amountPence: row.amountPence,
    paymentStatus: row.paymentStatus,
    eventId: row.eventId,
    paymentReference: row.paymentReference,
    note: row.note,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}

export interface AppendRewardEntryInput {
  siteId: string;
  entryType: RewardEntryType;
  amountPence: number;
  idempotencyKey: string;
  periodStart?: Date | null;
  periodEnd?: Date | null;
  flexKwh?: number | null;
  eventId?: string | null;
  note?: string | null;
}

/**
 * Appends one entry unless its idempotency key is already on the ledger; returns null then.
 * Runs in the caller's transaction when ctx.db is one.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: the ledger write of settlement, manual entries and withdrawals, each authorized
export async function appendRewardEntry(ctx: ServiceContext, input: AppendRewardEntryInput): Promise<RewardEntry | null> {
  if (!Number.isSafeInteger(input.amountPence)) throw invalid("The amount must be whole pence.", [{ path: ["amountPence"], message: "Whole pence only." }]);
  const [row] = await ctx.db
    .insert(rewardEntries)
    .values({
      organisationId: ctx.orgId,
      siteId: input.siteId,
      entryType: input.entryType,
      amountPence: input.amountPence,
      idempotencyKey: input.idempotencyKey,
      periodStart: input.periodStart ?? null,
      periodEnd: input.periodEnd ?? null,
      flexKwh: input.flexKwh ?? null,
      eventId: input.eventId ?? null,
      note: input.note ?? null,
      createdBy: ctx.actor.label,
    })
    .onConflictDoNothing({ target: [rewardEntries.organisationId, rewardEntries.idempotencyKey] })
    .returning();
  if (!row) return null;
  await ctx.db.insert(rewardPaymentEvents).values({ organisationId: ctx.orgId, entryId: row.id, fromStatus: null, toStatus: row.paymentStatus, changedBy: ctx.actor.label });
  return toEntry(row);
}

async function requireSite(ctx: ServiceContext, siteId: string): Promise<{ id: string; mpan: string; email: string | null; streetAddress: string | null; postcode: string; customerName: string | null; createdAt: Date; status: "active" | "offboarded" }> {
  if (!isUuid(siteId)) throw notFound("Site");
  const [site] = await ctx.db
    .select({ id: sites.id, mpan: sites.mpan, email: sites.email, streetAddress: sites.streetAddress, postcode: sites.postcode, customerName: customers.name, createdAt: sites.createdAt, status: sites.status })
    .from(sites)
    .leftJoin(customers, eq(customers.id, sites.customerId))
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId)))
    .limit(1);
  // Partners can no longer reach an offboarded site's payments (operators still settle them).
  if (!site || (site.status === "offboarded" && hidesOffboarded(ctx))) throw notFound("Site");
  return site;
}

/** Operator corrections (positive or negative) and sign-up bonuses; operators and admins only. */
export async function addManualRewardEntry(
  ctx: ServiceContext,
  input: { siteId: string; entryType: "correction" | "sign_up_bonus" | "withdrawal"; amountPence?: number; note: string; idempotencyKey?: string },
): Promise<RewardEntry> {
  authorize(ctx, "rewards:write");
  await requireSite(ctx, input.siteId);
  let amount = input.amountPence;
  if (input.entryType === "sign_up_bonus") amount ??= (await readRewardSettings(ctx)).signUpBonusPence;
  if (amount === undefined || !Number.isSafeInteger(amount)) throw invalid("The amount must be whole pence.", [{ path: ["amountPence"], message: "Whole pence only." }]);
  if (input.entryType === "withdrawal" && amount >= 0) throw invalid("A withdrawal is a negative amount.", [{ path: ["amountPence"], message: "Must be negative for a withdrawal." }]);
  if (input.entryType === "sign_up_bonus" && amount <= 0) throw invalid("A sign-up bonus must be positive.", [{ path: ["amountPence"], message: "Must be positive." }]);
  const key = input.entryType === "sign_up_bonus" ? `sign_up_bonus:site:${input.siteId}` : (input.idempotencyKey ?? `${input.entryType}:${randomUUID()}`);
  const note = input.note.trim();
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const entry = await appendRewardEntry(txCtx, { siteId: input.siteId, entryType: input.entryType, amountPence: amount, idempotencyKey: key, note });
    if (!entry) throw invalid(input.entryType === "sign_up_bonus" ? "This site already has its sign-up bonus." : "This entry was already recorded.", [{ path: ["entryType"], message: "Already on the ledger." }]);
    await recordAuditEvent(txCtx, { action: `rewards.${input.entryType}.added`, targetType: "site", targetId: input.siteId, details: { entryId: entry.id, amountPence: amount } });
    return entry;
  });
}

/** Idempotency-key prefix of withdrawals a householder requested through the hosted page (withdrawals.ts). */
export const HOUSEHOLDER_WITHDRAWAL_KEY_PREFIX = "withdrawal_request:";
/** A withdrawal a householder requested: its request row (withdrawals.ts) says so, not a naming convention. */
const isHouseholderWithdrawal = sql`(${rewardEntries.entryType} = 'withdrawal' and exists (
  select 1 from reward_withdrawal_requests r where r.entry_id = ${rewardEntries.id}))`;

/**
 * Balance rule: credits leave the balance once they are in a payment run (processing or posted);
 * a failed payment puts them back. A withdrawal entry (negative) an operator recorded is money paid
 * out by other means and reduces the balance unless it failed. A householder's withdrawal request
 * holds the balance while it awaits payment (pending_approval, approved); once in a payment run the
 * credits it settles move to processing with it and carry the reduction instead.
 */
const inBalance = sql`case
  when ${isHouseholderWithdrawal} then (case when ${rewardEntries.paymentStatus} in ('pending_approval', 'approved') then ${rewardEntries.amountPence} else 0 end)
  when ${rewardEntries.entryType} = 'withdrawal' then (case when ${rewardEntries.paymentStatus} = 'failed' then 0 else ${rewardEntries.amountPence} end)
  when ${rewardEntries.paymentStatus} in ('processing', 'posted') then 0
  else ${rewardEntries.amountPence} end`;

export interface SiteBalance {
  siteId: string;
  currentBalancePence: number;
  totalEarningsPence: number;
  pendingApprovalPence: number;
  paidOutPence: number;
  minimumWithdrawalThresholdPence: number;
  withdrawalMinWaitDays: number;
  canWithdraw: boolean;
  daysUntilMinimumWaitMet: number;
}

export async function getSiteBalance(ctx: ServiceContext, siteId: string, now = new Date()): Promise<SiteBalance> {
  authorize(ctx, "rewards:read");
  await requireSite(ctx, siteId);
  const settings = await readRewardSettings(ctx);
  const [totals] = await ctx.db
    .select({
      balance: sql<string>`coalesce(sum(${inBalance}), 0)`,
      earnings: sql<string>`coalesce(sum(case when ${rewardEntries.entryType} <> 'withdrawal' then ${rewardEntries.amountPence} else 0 end), 0)`,
      pending: sql<string>`coalesce(sum(case when ${rewardEntries.paymentStatus} = 'pending_approval' and ${rewardEntries.entryType} <> 'withdrawal' then ${rewardEntries.amountPence} else 0 end), 0)`,
      // Paid out is money the payment provider confirmed (posted); a payment run still processing may yet fail.
      paid: sql<string>`coalesce(sum(case when ${rewardEntries.entryType} <> 'withdrawal' and ${rewardEntries.paymentStatus} = 'posted' then ${rewardEntries.amountPence} when ${rewardEntries.entryType} = 'withdrawal' and not ${isHouseholderWithdrawal} and ${rewardEntries.paymentStatus} = 'posted' then -${rewardEntries.amountPence} else 0 end), 0)`,
      firstCreditEpoch: sql<number | null>`extract(epoch from min(case when ${rewardEntries.entryType} <> 'withdrawal' and ${rewardEntries.amountPence} > 0 then ${rewardEntries.createdAt} end))::float8`,
    })
    .from(rewardEntries)
    .where(and(eq(rewardEntries.organisationId, ctx.orgId), eq(rewardEntries.siteId, siteId)));
  const balance = Number(totals?.balance ?? 0);
  // The minimum wait runs from the site's first credit (no credit yet: the whole wait is ahead).
  const firstCreditEpoch = totals?.firstCreditEpoch ?? null;
  const firstCredit = firstCreditEpoch === null ? null : new Date(Number(firstCreditEpoch) * 1000);
  const waitedDays = firstCredit === null ? 0 : Math.floor((now.getTime() - firstCredit.getTime()) / 86_400_000);
  const daysUntilMinimumWaitMet = Math.max(0, settings.withdrawalMinWaitDays - waitedDays);
  return {
    siteId,
    currentBalancePence: balance,
    totalEarningsPence: Number(totals?.earnings ?? 0),
    pendingApprovalPence: Number(totals?.pending ?? 0),
    paidOutPence: Number(totals?.paid ?? 0),
    minimumWithdrawalThresholdPence: settings.withdrawalThresholdPence,
    withdrawalMinWaitDays: settings.withdrawalMinWaitDays,
    canWithdraw: balance > 0 && balance >= settings.withdrawalThresholdPence && daysUntilMinimumWaitMet === 0,
    daysUntilMinimumWaitMet,
  };
}

/** Newest first. */
export async function listSiteLedger(ctx: ServiceContext, siteId: string, limit = 500): Promise<RewardEntry[]> {
  authorize(ctx, "rewards:read");
  await requireSite(ctx, siteId);
  const rows = await ctx.db
    .select()
    .from(rewardEntries)
    .where(and(eq(rewardEntries.organisationId, ctx.orgId), eq(rewardEntries.siteId, siteId)))
    .orderBy(desc(rewardEntries.createdAt), desc(rewardEntries.id))
    .limit(Math.min(Math.max(limit, 1), 5000));
  return rows.map(toEntry);
}

export async function getSiteLedgerView(ctx: ServiceContext, siteId: string) {
  authorize(ctx, "rewards:read");
  const site = await requireSite(ctx, siteId);
  const [balance, entries, bankAccount] = await Promise.all([getSiteBalance(ctx, siteId), listSiteLedger(ctx, siteId), getCurrentBankAccount(ctx, siteId)]);
  // The bank account masked (sort code, last four digits): the full details only leave in a payout export.
  return { site: { id: site.id, mpan: site.mpan, postcode: site.postcode, streetAddress: site.streetAddress, householder: nameFor(ctx, site.customerName) }, balance, entries, bankAccount };
}

export interface FleetRewardSummary {
  totals: { earnedPence: number; pendingApprovalPence: number; approvedPence: number; processingPence: number; postedPence: number; flexKwh: number };
  byMonth: { month: string; earnedPence: number; flexKwh: number }[];
  byEvent: { eventId: string; name: string; startAt: Date; earnedPence: number; flexKwh: number; sites: number }[];
  sites: { siteId: string; mpan: string; postcode: string; householder: string | null; earnedPence: number; balancePence: number; pendingApprovalPence: number; approvedPence: number }[];
}

export async function getFleetRewardSummary(ctx: ServiceContext): Promise<FleetRewardSummary> {
  authorize(ctx, "rewards:read");
  const org = eq(rewardEntries.organisationId, ctx.orgId);
  const credit = sql`case when ${rewardEntries.entryType} <> 'withdrawal' then ${rewardEntries.amountPence} else 0 end`;
  const byStatus = (status: PaymentStatus) => sql<string>`coalesce(sum(case when ${rewardEntries.paymentStatus} = ${status} and ${rewardEntries.entryType} <> 'withdrawal' then ${rewardEntries.amountPence} else 0 end), 0)`;
  const [totals] = await ctx.db
    .select({
      earned: sql<string>`coalesce(sum(${credit}), 0)`,
      pending: byStatus("pending_approval"),
      approved: byStatus("approved"),
      processing: byStatus("processing"),
      posted: byStatus("posted"),
      flex: sql<number>`coalesce(sum(${rewardEntries.flexKwh}), 0)::float8`,
    })
    .from(rewardEntries)
    .where(org);
  const month = sql<string>`to_char(${rewardEntries.createdAt} at time zone 'Europe/London', 'YYYY-MM')`;
  const months = await ctx.db
    .select({ month, earned: sql<string>`coalesce(sum(${credit}), 0)`, flex: sql<number>`coalesce(sum(${rewardEntries.flexKwh}), 0)::float8` })
    .from(rewardEntries)
    .where(org)
    .groupBy(month)
    .orderBy(asc(month));
  const events = await ctx.db
    .select({
      eventId: gridEvents.id,
      name: gridEvents.name,
      startAt: gridEvents.startAt,
      earned: sql<string>`coalesce(sum(${rewardEntries.amountPence}), 0)`,
      flex: sql<number>`coalesce(sum(${rewardEntries.flexKwh}), 0)::float8`,
      sites: sql<number>`count(distinct ${rewardEntries.siteId})::int`,
    })
    .from(rewardEntries)
    .innerJoin(gridEvents, eq(gridEvents.id, rewardEntries.eventId))
    .where(and(org, eq(rewardEntries.entryType, "event_credit")))
    .groupBy(gridEvents.id, gridEvents.name, gridEvents.startAt)
    .orderBy(desc(gridEvents.startAt))
    .limit(100);
  const siteRows = await ctx.db
    .select({
      siteId: sites.id,
      mpan: sites.mpan,
      postcode: sites.postcode,
      householder: customers.name,
      earned: sql<string>`coalesce(sum(${credit}), 0)`,
      balance: sql<string>`coalesce(sum(${inBalance}), 0)`,
      pending: byStatus("pending_approval"),
      approved: byStatus("approved"),
    })
    .from(rewardEntries)
    .innerJoin(sites, eq(sites.id, rewardEntries.siteId))
    .leftJoin(customers, eq(customers.id, sites.customerId))
    .where(org)
    .groupBy(sites.id, sites.mpan, sites.postcode, customers.name)
    .orderBy(desc(sql`coalesce(sum(${credit}), 0)`))
    .limit(1000);
  return {
    totals: {
      earnedPence: Number(totals?.earned ?? 0),
      pendingApprovalPence: Number(totals?.pending ?? 0),
      approvedPence: Number(totals?.approved ?? 0),
      processingPence: Number(totals?.processing ?? 0),
      postedPence: Number(totals?.posted ?? 0),
      flexKwh: Number(totals?.flex ?? 0),
    },
    byMonth: months.map((m) => ({ month: m.month, earnedPence: Number(m.earned), flexKwh: Number(m.flex) })),
    byEvent: events.map((e) => ({ eventId: e.eventId, name: e.name, startAt: e.startAt, earnedPence: Number(e.earned), flexKwh: Number(e.flex), sites: Number(e.sites) })),
    sites: siteRows.map((s) => ({
      siteId: s.siteId,
      mpan: s.mpan,
      postcode: s.postcode,
      householder: nameFor(ctx, s.householder),
      earnedPence: Number(s.earned),
      balancePence: Number(s.balance),
      pendingApprovalPence: Number(s.pending),
      approvedPence: Number(s.approved),
    })),
  };
}

async function moveStatus(ctx: ServiceContext, entryIds: readonly string[], from: PaymentStatus, to: PaymentStatus, reference: string | null): Promise<RewardEntryRow[]> {
  if (entryIds.length === 0) return [];
  const moved = await ctx.db
    .update(rewardEntries)
    .set({ paymentStatus: to, ...(reference === null ? {} : { paymentReference: reference }) })
    .where(and(eq(rewardEntries.organisationId, ctx.orgId), inArray(rewardEntries.id, [...entryIds]), eq(rewardEntries.paymentStatus, from)))
    .returning();
  if (moved.length > 0) {
    await ctx.db.insert(rewardPaymentEvents).values(moved.map((row) => ({ organisationId: ctx.orgId, entryId: row.id, fromStatus: from, toStatus: to, reference, changedBy: ctx.actor.label })));
  }
  return moved;
}

/** Approves pending credits and householder withdrawal requests for payout (all pending ones when no ids are given). Admins only. */
export async function approveRewardEntries(ctx: ServiceContext, input: { entryIds?: string[] } = {}): Promise<{ approved: number; amountPence: number }> {
  authorize(ctx, "payouts:approve");
  const ids = input.entryIds?.filter(isUuid);
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const candidates = await tx
      .select({ id: rewardEntries.id })
      .from(rewardEntries)
      .where(
        and(
          eq(rewardEntries.organisationId, ctx.orgId),
          eq(rewardEntries.paymentStatus, "pending_approval"),
          sql`(${rewardEntries.entryType} <> 'withdrawal' or ${isHouseholderWithdrawal})`,
          ids === undefined ? undefined : inArray(rewardEntries.id, ids.length > 0 ? ids : [randomUUID()]),
        ),
      );
    const moved = await moveStatus(txCtx, candidates.map((c) => c.id), "pending_approval", "approved", null);
    // Credits only: a withdrawal request pays out credits already counted here or earlier.
    const amountPence = moved.filter((row) => row.entryType !== "withdrawal").reduce((sum, row) => sum + row.amountPence, 0);
    if (moved.length > 0) await recordAuditEvent(txCtx, { action: "rewards.payouts.approved", targetType: "organisation", targetId: ctx.orgId, details: { entries: moved.length, amountPence } });
    return { approved: moved.length, amountPence };
  });
}

/** Marks entries of a payment run as posted or failed (the payment provider's answer). Admins only. */
export async function recordPayoutOutcome(ctx: ServiceContext, input: { entryIds: string[]; outcome: "posted" | "failed" }): Promise<{ updated: number }> {
  authorize(ctx, "payouts:approve");
  const ids = input.entryIds.filter(isUuid);
  return ctx.db.transaction(async (tx) => {
    // A householder withdrawal's outcome is also the outcome of the credits it paid out.
    const requests =
      ids.length === 0
        ? []
        : await tx
            .select({ covered: rewardWithdrawalRequests.coveredEntryIds })
            .from(rewardWithdrawalRequests)
            .where(and(eq(rewardWithdrawalRequests.organisationId, ctx.orgId), inArray(rewardWithdrawalRequests.entryId, ids)));
    const withSettled = [...new Set([...ids, ...requests.flatMap((request) => request.covered)])];
    const moved = await moveStatus({ ...ctx, db: tx }, withSettled, "processing", input.outcome, null);
    if (moved.length > 0) await recordAuditEvent({ ...ctx, db: tx }, { action: `rewards.payouts.${input.outcome}`, targetType: "organisation", targetId: ctx.orgId, details: { entries: moved.length } });
    return { updated: moved.length };
  });
}

function csvCell(value: string): string {
  // Quote everything, and neutralise spreadsheet formulas in text that came from partners.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function penceAsPounds(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export interface PayoutExport {
  reference: string;
  entries: number;
  sites: number;
  totalPence: number;
  csv: string;
}

/**
 * One payment run, in one transaction, stamped with the run reference:
 * - every approved credit moves to processing and the CSV has one row per site (kind `credits`),
 *   except credits an open householder withdrawal settles (they are paid by that withdrawal);
 * - every approved householder withdrawal moves to processing together with the credits it settles,
 *   one CSV row each (kind `withdrawal`) with the account holder, sort code and account number,
 *   opened from the sealed bank account only here.
 * Exporting again finds nothing approved, so nothing is paid twice. The audit record holds counts
 * and totals, never bank details. Admins only.
 */
export async function exportPayoutRun(ctx: ServiceContext, now = new Date()): Promise<PayoutExport> {
  authorize(ctx, "payouts:approve");
  const reference = `FF-${now.toISOString().slice(0, 10).replace(/-/g, "")}-${randomUUID().slice(0, 8).toUpperCase()}`;
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const settledByOpenWithdrawal = sql`${rewardEntries.id} in (
      select unnest(r.covered_entry_ids) from reward_withdrawal_requests r join reward_entries w on w.id = r.entry_id
      where r.organisation_id = ${ctx.orgId} and w.payment_status in ('pending_approval', 'approved'))`;
    const approved = await tx
      .select({ id: rewardEntries.id })
      .from(rewardEntries)
      .where(and(eq(rewardEntries.organisationId, ctx.orgId), eq(rewardEntries.paymentStatus, "approved"), sql`${rewardEntries.entryType} <> 'withdrawal'`, sql`not ${settledByOpenWithdrawal}`))
      .for("update");
    const moved = await moveStatus(txCtx, approved.map((row) => row.id), "approved", "processing", reference);
    const bySite = new Map<string, number>();
    for (const row of moved) bySite.set(row.siteId, (bySite.get(row.siteId) ?? 0) + row.amountPence);

    const approvedWithdrawals = await tx
      .select({ entryId: rewardEntries.id, siteId: rewardEntries.siteId, amountPence: rewardEntries.amountPence, bankAccountId: rewardWithdrawalRequests.bankAccountId, covered: rewardWithdrawalRequests.coveredEntryIds })
      .from(rewardEntries)
      .innerJoin(rewardWithdrawalRequests, eq(rewardWithdrawalRequests.entryId, rewardEntries.id))
      .where(and(eq(rewardEntries.organisationId, ctx.orgId), eq(rewardEntries.paymentStatus, "approved"), isHouseholderWithdrawal))
      .orderBy(asc(rewardEntries.createdAt))
      .for("update");
    const withdrawalsMoved = await moveStatus(txCtx, approvedWithdrawals.map((row) => row.entryId), "approved", "processing", reference);
    const paidWithdrawals = approvedWithdrawals.filter((row) => withdrawalsMoved.some((movedRow) => movedRow.id === row.entryId));
    // The credits each withdrawal settles go with it: approval of the withdrawal approves them.
    const settled = paidWithdrawals.flatMap((row) => row.covered);
    await moveStatus(txCtx, settled, "pending_approval", "approved", null);
    await moveStatus(txCtx, settled, "failed", "approved", null);
    const settledMoved = await moveStatus(txCtx, settled, "approved", "processing", reference);
    const bankDetails = await openBankAccountsForPayout(txCtx, paidWithdrawals.map((row) => row.bankAccountId));

    const siteIds = [...new Set([...bySite.keys(), ...paidWithdrawals.map((row) => row.siteId)])];
    const siteRows =
      siteIds.length === 0
        ? []
        : await tx
            .select({ id: sites.id, mpan: sites.mpan, postcode: sites.postcode, streetAddress: sites.streetAddress, householder: customers.name })
            .from(sites)
            .leftJoin(customers, eq(customers.id, sites.customerId))
            .where(and(eq(sites.organisationId, ctx.orgId), inArray(sites.id, siteIds)))
            .orderBy(asc(sites.mpan));
    const lines = [["site_id", "mpan", "householder", "address", "amount_gbp", "reference", "kind", "account_holder", "sort_code", "account_number"].join(",")];
    for (const site of siteRows) {
      const siteCells = [site.id, site.mpan, site.householder ?? "", [site.streetAddress, site.postcode].filter(Boolean).join(", ")];
      const pence = bySite.get(site.id);
      if (pence !== undefined) lines.push([...siteCells, penceAsPounds(pence), reference, "credits", "", "", ""].map(csvCell).join(","));
      for (const withdrawal of paidWithdrawals.filter((row) => row.siteId === site.id)) {
        const account = bankDetails.get(withdrawal.bankAccountId);
        lines.push([...siteCells, penceAsPounds(-withdrawal.amountPence), reference, "withdrawal", account?.accountHolderName ?? "", account ? formatSortCode(account.sortCode) : "", account?.accountNumber ?? ""].map(csvCell).join(","));
      }
    }
    const totalPence = moved.reduce((sum, row) => sum + row.amountPence, 0) - paidWithdrawals.reduce((sum, row) => sum + row.amountPence, 0);
    const entries = moved.length + withdrawalsMoved.length + settledMoved.length;
    await recordAuditEvent(txCtx, { action: "rewards.payouts.exported", targetType: "organisation", targetId: ctx.orgId, details: { reference, entries, totalPence, withdrawals: paidWithdrawals.length } });
    return { reference, entries, sites: siteRows.length, totalPence, csv: `${lines.join("\n")}\n` };
  });
}
